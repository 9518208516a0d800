// Native twin of bench/lora.mjs: the same C++ entry points the wasm module calls (lora::train, lora::sweep),
// built with g++ -O3. Prints {"case", "ms"} lines.
#include <vector>

#include "../native/timing.hpp"
#include "lora/lora.hpp"

namespace lr = probwasm::lora;
using probwasm::bench::best_ms;
using probwasm::bench::report;
using probwasm::bench::sink;

int main() {
  // The cases of bench/lora.mjs, with the facade's defaults (r = 2, batch = 128, 100 steps, k = 8).
  struct Case { const char* name; lr::Model model; lr::Optimizer opt; int n; };
  for (const Case& c : {Case{"train/linear-adam/n=64", lr::Model::linear, lr::Optimizer::adam, 64},
                        Case{"train/linear-signsgd/n=128", lr::Model::linear, lr::Optimizer::signsgd, 128},
                        Case{"train/two-layer-adam/n=64", lr::Model::two_layer, lr::Optimizer::adam, 64}}) {
    lr::TrainConfig t;
    t.shape.model = c.model;
    t.shape.n = c.n;
    t.shape.r = 2;
    t.shape.batch = 128;
    t.optimizer = c.opt;
    t.steps = 100;
    t.lr_a = 3e-3;
    t.ratio = 8;
    report(c.name, best_ms([&] { sink = sink + lr::train(t).back(); }));
  }
  lr::SweepConfig s;
  s.base.shape.r = 2;
  s.base.shape.batch = 128;
  s.base.steps = 100;
  s.widths = {16, 32, 64};
  s.ratios = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256};
  s.lrs = {1e-3, 3e-3};
  report("sweep/default", best_ms([&] { sink = sink + lr::sweep(s).fit.slope; }, 3));
  return 0;
}
