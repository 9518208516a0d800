// The whole sampling loop of post 4 for a batch of points, a seeded normal stream that gives the same
// numbers in every build, and the sliced Wasserstein distance used to score samples.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diffusion/denoisers.hpp"
#include <memory>

#include "diffusion/schedulers.hpp"
#include "diffusion/sigma_schedulers.hpp"

namespace probwasm::diffusion {

// splitmix64 (Steele, Lea & Flood 2014) + Box–Muller: a few lines of integer arithmetic and libm, so node,
// browsers and the native build draw the same stream for the same seed (no std:: distribution, whose
// algorithm the standard leaves open).
class NormalRng {
 public:
  explicit NormalRng(std::uint64_t seed) : state_(seed) {}
  // The stream of point `index` under `seed`: every point has its own stream, so sampling in chunks or in
  // any order gives the same numbers.
  static NormalRng for_point(std::uint64_t seed, std::uint64_t index);
  std::uint64_t next_u64();
  double uniform();  // in (0, 1): 53 random bits, never 0
  double normal();   // N(0, 1)

 private:
  std::uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// One step of a sampler: from noise level ᾱ_from (timestep t) to ᾱ_to (DDPM/diffusers ᾱ, see denoisers.hpp).
struct Step {
  double alpha_from;
  double alpha_to;
  double t01;       // t / T, given to the model
  double t01_to;    // (timestep landed on) / T for Heun's second evaluation; < 0: no model there (Euler step)
  bool ddpm_noise;  // diffusers' DDPM adds noise only when t > 0
};

// The schedule of a sampler: the steps in order, from pure noise to data.
struct Schedule {
  std::vector<Step> steps;
};

// diffusers' loop: timesteps t_i (descending) with ᾱ from `alphas_cumprod`; step i lands on prev_timesteps[i]
// (the scheduler's previous_timestep: t − T/S, the reference's fixed stride), or on `final_alpha_cumprod`
// when that is < 0 (DDIM's set_alpha_to_one; DDPM uses 1).
Schedule schedule_from_timesteps(const std::vector<double>& alphas_cumprod, const std::vector<int>& timesteps,
                                 const std::vector<int>& prev_timesteps, double final_alpha_cumprod);
// The same, read from a scheduler after set_timesteps (ᾱ in the reference's float32).
Schedule schedule_for(const DDIMScheduler& s);
Schedule schedule_for(const DDPMScheduler& s);
// Su's setting (post 4 §4.4): ᾱ given at t = 0..T (ᾱ_0 = 1), and a sub-sequence τ_1 < … < τ_S of 1..T;
// step i goes τ_i → τ_{i−1} with τ_0 = 0.
Schedule schedule_from_subsequence(const std::vector<double>& alpha_bar_0_to_T, const std::vector<int>& tau);

enum class Sampler { ddim, ddpm, heun };
Sampler parse_sampler(const std::string& name);  // 'ddim' | 'ddpm' | 'heun'

struct SampleOptions {
  Sampler sampler = Sampler::ddim;
  double eta = 0.0;            // DDIM's η (post 4 §4.3: σ = η·β̄_{t−1}β_t/β̄_t); 'ddpm' is η = 1 in DDPM's form
  std::uint64_t seed = 0;
  bool clip_sample = false;    // clamp x̂0 to ±clip_range, as diffusers' clip_sample (ddim/ddpm only)
  double clip_range = 1.0;
  // The scheduler's predictionType 'v_prediction': the ε-model's output is read as v = √ᾱ ε − √(1−ᾱ) x̂0,
  // identical to 'epsilon' where ᾱ > 0, and defined at zero terminal SNR (ᾱ = 0, rescaleBetasZeroSnr), where
  // x̂0 comes from the model itself (a Gaussian-mixture denoiser) and ε̂ = x.
  bool v_prediction = false;
};

// sampleDiffusion drives an ε-model: the config's clip_sample/clip_sample_range carry over; 'v_prediction' is
// served through v = √ᾱ ε − √(1−ᾱ) x̂0 (see SampleOptions); 'sample' and dynamic thresholding are rejected.
void apply_config(const SchedulerConfig& c, SampleOptions& o);

// Everything a picture of the run needs: x at each level (S+1 frames) and x̂0 at each step (S frames).
struct Trajectory {
  std::vector<double> xs;   // (S+1) × n × dim
  std::vector<double> x0s;  // S × n × dim
};

// Samples points first_index … first_index+count−1 of the run (seeded per point). x_T: optional start
// (count × dim); without it x_T ~ N(0, I) from each point's stream. Returns count × dim.
// ddim (post 4 §4.3–4.4): x_prev = √ᾱ_prev x̂0 + √(1−ᾱ_prev−σ²) ε̂ + σz, x̂0 = (x − √(1−ᾱ)ε̂)/√ᾱ.
// ddpm (DDPM posterior): mean = √ᾱ_prev β/(1−ᾱ) x̂0 + √α (1−ᾱ_prev)/(1−ᾱ) x, var = (1−ᾱ_prev)/(1−ᾱ)·β.
// heun (post 4 §4.6): the σ = 0 ODE d(x/√ᾱ) = ε d(√(1−ᾱ)/√ᾱ) with Heun's method (Euler = DDIM η = 0).
std::vector<double> sample(const Denoiser& model, const Schedule& schedule, const SampleOptions& opts,
                           std::size_t count, std::size_t first_index = 0, const double* x_T = nullptr,
                           Trajectory* trajectory = nullptr);

// The samplers people run with, each a diffusers scheduler class (sigma_schedulers.hpp) driven by an ε-model:
// 'euler' (EulerDiscrete), 'euler-ancestral' (EulerAncestralDiscrete), 'dpm++2m' / 'dpm++3m' (DPMSolverMultistep,
// dpmsolver++, order 2 / 3), 'dpm++2m-sde' (sde-dpmsolver++, order 2), 'unipc' (UniPCMultistep, bh2, order 2).
enum class SigmaSampler { euler, euler_ancestral, dpmpp_2m, dpmpp_3m, dpmpp_2m_sde, unipc };
// nullopt for the names of the ᾱ samplers ('ddim', 'ddpm', 'heun'); type_error naming all nine otherwise.
std::optional<SigmaSampler> parse_sigma_sampler(const std::string& name);
// The scheduler for a sampler: `c` carries the model's training schedule and options (Karras σ, …); the
// sampler fixes the solver (order, algorithm), as diffusers' from_config(…, algorithm_type=…) would.
std::unique_ptr<SigmaScheduler> make_sampler_scheduler(SigmaSampler s, SigmaSchedulerConfig c);

// diffusers' pipeline loop: x_T = z·init_noise_sigma (z: the given start, else the seeded normals); per timestep t_i: ε̂ = model(scale_model_input(x, t_i))
// at ᾱ = 1/(1+σ_i²) (the VP level of σ_i) and t_i/T; x = step(ε̂, t_i, x). Each point has its own seeded
// stream (x_T, then the step noise of stochastic samplers), so chunks (first_index) give identical results.
// The scheduler computes in float32, as the reference does. trajectory: xs in the scheduler's own scale
// (σ-scaled for the Euler family), x0s = each step's x̂_0, alpha levels 1/(1+σ²).
std::vector<double> sample_scheduler(const Denoiser& model, SigmaScheduler& scheduler, int steps, std::uint64_t seed,
                                     std::size_t count, std::size_t first_index = 0, const double* x_T = nullptr,
                                     Trajectory* trajectory = nullptr);

// Sliced 2-Wasserstein distance (Bonneel et al. 2015): SW₂² = mean over `projections` random unit θ of
// W₂²(θ·a, θ·b), each 1-D W₂² exact from the two quantile functions (sizes may differ).
double sliced_wasserstein(const std::vector<double>& a, const std::vector<double>& b, std::size_t dim,
                          std::size_t projections, std::uint64_t seed);
// Exact W₂² between the empirical laws of two 1-D samples (sorted copies are made).
double wasserstein2_squared_1d(std::vector<double> a, std::vector<double> b);

}  // namespace probwasm::diffusion
