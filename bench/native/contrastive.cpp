// Native twin of bench/contrastive.mjs: the same C++ (g++ -O3) on the same cases.
#include <vector>

#include "../native/timing.hpp"
#include "contrastive/contrastive.hpp"

namespace ct = probwasm::contrastive;
using probwasm::bench::best_ms;
using probwasm::bench::report;
using probwasm::bench::sink;

int main() {
  std::vector<double> margins(4001);
  for (std::size_t i = 0; i < margins.size(); ++i) margins[i] = i / 100.0;
  report("sweep/K=8/4001 margins", best_ms([&] { sink = sink + ct::margin_sweep(8, 10.0, margins).back().flat64; }));
  std::vector<double> s(4096);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = double(i % 97) / 7.0;
  report("flatnce/f64/K=4096", best_ms([&] { for (int r = 0; r < 100; ++r) sink = sink + ct::flatnce(s.data(), s.size(), 5, ct::Evaluation::stable).value; }));
  for (auto loss : {ct::Loss::cross_entropy, ct::Loss::flatnce}) {
    ct::TrainConfig c;
    c.loss = loss;
    report(loss == ct::Loss::flatnce ? "train/flatnce/1000 steps" : "train/ce/1000 steps", best_ms([&] {
      ct::Trainer t(c);
      sink = sink + t.run(1000).back().loss;
    }, 3));
  }
}
