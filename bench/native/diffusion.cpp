// Native twin of bench/diffusion.mjs: the same C++ sampling loop as the wasm module, g++ -O3. Also built as
// wasm (build/wasm/bench_diffusion.cjs): the fused kernel's wasm ÷ native ratio compares the same C++.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "diffusion/denoisers.hpp"
#include "diffusion/fused_mlp.hpp"
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
  // The same run through the fused float32 kernel (src/diffusion/fused_mlp), weights packed inside the timing.
  std::vector<float> fused;
  report("mlp fused 1e4 x 50 ddim", best_ms([&] { fused = d::FusedMlp(mlp).sample_ddim(sch, o, 10000); sink = sink + fused[0]; }, 5));
  // Not a time: the samples' bits folded into one number, so native and wasm can be compared for identity.
  std::uint64_t h = 1469598103934665603ull;
  for (float v : fused) {
    std::uint32_t b;
    std::memcpy(&b, &v, 4);
    h = (h ^ b) * 1099511628211ull;
  }
  std::printf("{\"case\": \"mlp fused checksum\", \"ms\": %llu}\n", static_cast<unsigned long long>(h % 1000000007ull));
  // <pw-images> (issue 16): the shipped digit model's shape (64 + 32 time features → 256 → 256 → 64), 64 images
  // × 20 DDIM steps with clip_sample, through the fused kernel. Random weights of that shape: the time does
  // not depend on their values (no data-dependent branches but SiLU's exp, whose cost is the same).
  {
    d::SchedulerConfig ci;  // DDIMScheduler's defaults: clip_sample on, as the page runs it
    d::DDIMScheduler si(ci);
    si.set_timesteps(20);
    const d::Schedule schi = d::schedule_for(si);
    d::SampleOptions oi;
    oi.seed = 1;
    d::apply_config(ci, oi);
    const d::FusedMlp net(d::MlpDenoiser(d::MlpShape{64, 256, 32}, 1));
    report("images 64 x 20 ddim", best_ms([&] { sink = sink + net.sample_ddim(schi, oi, 64)[0]; }, 7));
  }
  // The exact ε* of the 3×3 grid: 10^4 points × 50 steps.
  const d::MixtureSpec g = d::preset_target("grid");
  const d::GaussianMixture gm(g.weights, g.means, g.stds, 2);
  report("gmm9 1e4 x 50 ddim", best_ms([&] { sink = sink + d::sample(gm, sch, o, 10000)[0]; }, 3));
  // Sliced W2 between two 10^4-point sets, 256 projections.
  const auto a = gm.sample(10000, 1), b = gm.sample(10000, 2);
  report("sw 1e4 vs 1e4 x 256", best_ms([&] { sink = sink + d::sliced_wasserstein(a, b, 2, 256, 1); }, 3));
  return 0;
}
