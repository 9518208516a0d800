// Native twin of bench/softmax.mjs: the same C++ entry points the wasm module calls (fresh output vector
// per call, as the JS API returns a fresh array), built with g++ -O3. Prints {"case", "ms"} lines.
#include <random>
#include <vector>

#include "../native/timing.hpp"
#include "softmax/softmax.hpp"

namespace sm = probwasm::softmax;
using probwasm::bench::best_ms;
using probwasm::bench::report;
using probwasm::bench::sink;

int main() {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> g(0, 1);
  for (std::size_t n : {1000u, 10000u, 100000u, 1000000u}) {
    std::vector<double> x(n);
    for (auto& v : x) v = g(rng);  // the same distribution as the JS side (standard normal logits)
    const int reps = n >= 1000000 ? 5 : 9;
    const std::string s = std::to_string(n);
    report("softmax/" + s, best_ms([&] { sink = sink + sm::softmax(x)[0]; }, reps));
    report("sparsemax/" + s, best_ms([&] { sink = sink + sm::sparsemax(x)[0]; }, reps));
    report("entmax15/" + s, best_ms([&] { sink = sink + sm::entmax(x, 1.5)[0]; }, reps));
    const std::vector<float> xf(x.begin(), x.end());  // float32 end to end (a fresh output, as the JS API returns)
    report("softmax-f32/" + s, best_ms([&] {
      std::vector<float> out(n);
      sm::softmax_rows(xf.data(), n, 1.0, 0, out.data());
      sink = sink + out[0];
    }, reps));
  }
  std::vector<double> rows(100000 * 8);
  for (auto& v : rows) v = g(rng);
  report("softmax-rows/100000x8", best_ms([&] { sink = sink + sm::softmax(rows, 1.0, 8)[0]; }));
  report("sparsemax-rows/100000x8", best_ms([&] { sink = sink + sm::sparsemax(rows, 8)[0]; }));
  report("entmax15-rows/100000x8", best_ms([&] { sink = sink + sm::entmax(rows, 1.5, 8)[0]; }));
  return 0;
}
