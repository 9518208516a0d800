// Native twin of bench/mixers.mjs: the same TokenMixer::forward the wasm module calls (fresh output vector
// per call, like the JS API), built with g++ -O3. Prints {"case": "<kind>/<n>", "ms": …} lines.
#include <string>
#include <vector>

#include "mixers/mixers.hpp"
#include "timing.hpp"

namespace mx = probwasm::mixers;
using probwasm::bench::best_ms;
using probwasm::bench::report;
using probwasm::bench::sink;

int main() {
  const int d = 64;
  const double max_flops = 5e9;  // the same cut as bench/mixers.mjs
  for (int n : {64, 256, 1024, 4096}) {
    const std::vector<float> x = mx::make_input("random", n, d, 1);  // the JS side uses the same seed
    for (const std::string& k : mx::kind_names()) {
      const mx::Kind kind = mx::parse_kind(k);
      const double flops = mx::cost(kind, n, d).flops;
      if (flops > max_flops) continue;
      const mx::TokenMixer m(kind, n, d, mx::Options{1});
      const int reps = flops > 1e9 ? 3 : 7;
      report(k + "/" + std::to_string(n), best_ms([&] { sink = sink + m.forward(x, n)[0]; }, reps));
    }
  }
  return 0;
}
