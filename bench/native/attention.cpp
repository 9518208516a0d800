// Native twin of bench/attention.mjs: the same C++ (g++ -O3) on the same cases.
#include <vector>

#include "../native/timing.hpp"
#include "attention/attention.hpp"

namespace at = probwasm::attention;
using probwasm::bench::best_ms;
using probwasm::bench::report;
using probwasm::bench::sink;

int main() {
  report("noise/gaussian/n=1e5/20 trials", best_ms([&] { sink = sink + at::noise_error(100000, at::Noise::gaussian, 1, 1, 20, 1).mean; }, 3));
  report("minEntropy/n=1e6", best_ms([&] { sink = sink + at::min_entropy(1000000, 1.0).gap; }));
  const std::vector<double> scales{0, 0.5, 1, 2, 4, 8};
  report("scaleCurve/n=4096/6 scales/50 trials", best_ms([&] { sink = sink + at::init_scale_curve(4096, scales, 50, 1).entropy.back(); }, 3));
}
