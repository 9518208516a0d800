// Native twin of bench/diffusion.mjs: the same C++ sampling loop as the wasm module, g++ -O3.
#include <cstdio>
#include <vector>

#include "diffusion/denoisers.hpp"
#include "diffusion/mlp.hpp"
#include "diffusion/sampling.hpp"
#include "diffusion/schedulers.hpp"
#include "timing.hpp"

namespace d = probwasm::diffusion;
using probwasm::bench::best_ms;
using probwasm::bench::report;
using probwasm::bench::sink;

int main() {
  d::SchedulerConfig c;
  c.clip_sample = false;
  d::DDIMScheduler s(c);
  s.set_timesteps(50);
  const d::Schedule sch = d::schedule_for(s);
  d::SampleOptions o;
  o.seed = 1;

  // 10^4 points × 50 DDIM steps with the 2→128→128→2 MLP (the benchmark).
  const d::MlpDenoiser mlp(d::MlpShape{2, 128, 16}, 1);
  report("mlp 1e4 x 50 ddim", best_ms([&] { sink = sink + d::sample(mlp, sch, o, 10000)[0]; }, 3));
  // The exact ε* of the 3×3 grid: 10^4 points × 50 steps.
  const d::MixtureSpec g = d::preset_target("grid");
  const d::GaussianMixture gm(g.weights, g.means, g.stds, 2);
  report("gmm9 1e4 x 50 ddim", best_ms([&] { sink = sink + d::sample(gm, sch, o, 10000)[0]; }, 3));
  // Sliced W2 between two 10^4-point sets, 256 projections.
  const auto a = gm.sample(10000, 1), b = gm.sample(10000, 2);
  report("sw 1e4 vs 1e4 x 256", best_ms([&] { sink = sink + d::sliced_wasserstein(a, b, 2, 256, 1); }, 3));
  return 0;
}
