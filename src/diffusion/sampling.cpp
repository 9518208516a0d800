#include "diffusion/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/errors.hpp"
#include "common/prng.hpp"

namespace probwasm::diffusion {

// ---- seeded normals -------------------------------------------------------------------------------

// splitmix64 → uniform on (0, 1) → cached Box–Muller pairs, all from common/prng.hpp (the SplitMix64 stream).
std::uint64_t NormalRng::next_u64() { return splitmix64(state_); }

NormalRng NormalRng::for_point(std::uint64_t seed, std::uint64_t index) {
  NormalRng mixer(seed ^ (index * 0xD1B54A32D192ED03ull));  // a distinct, well-mixed start per point
  return NormalRng(mixer.next_u64());
}

double NormalRng::uniform() { return uniform_open(next_u64()); }

// Box–Muller: two uniforms → two independent N(0,1); the second is kept for the next call.
double NormalRng::normal() {
  return cached_normal(has_spare_, spare_, [this] { return uniform(); });
}

// ---- schedules ---------------------------------------------------------------------------------------

namespace {
void check_level(const char* fn, const std::string& name, double a) {
  if (!(a > 0.0 && a <= 1.0)) fail(fn, name, "be in (0, 1] (ᾱ = 0 leaves x̂0 = (x − √(1−ᾱ)ε)/√ᾱ undefined)", a);
}
}  // namespace

Schedule schedule_from_timesteps(const std::vector<double>& alphas_cumprod, const std::vector<int>& timesteps,
                                 const std::vector<int>& prev_timesteps, double final_alpha_cumprod) {
  const char* fn = "sampleDiffusion";
  const int T = static_cast<int>(alphas_cumprod.size());
  if (T == 0) fail(fn, "alphasCumprod", "be non-empty", "an empty array");
  if (timesteps.empty()) fail(fn, "timesteps", "be non-empty", "an empty array");
  if (prev_timesteps.size() != timesteps.size())
    fail(fn, "prevTimesteps", "have one entry per timestep (" + std::to_string(timesteps.size()) + ")", prev_timesteps.size());
  check_level(fn, "finalAlphaCumprod", final_alpha_cumprod);
  Schedule out;
  for (std::size_t i = 0; i < timesteps.size(); ++i) {
    const int t = timesteps[i], prev = prev_timesteps[i];
    if (t < 0 || t >= T) fail(fn, indexed("timesteps", i), "be in [0, " + std::to_string(T - 1) + "]", t);
    if (prev >= t) fail(fn, indexed("prevTimesteps", i), "be below timesteps[" + std::to_string(i) + "] = " + std::to_string(t), prev);
    Step s;
    s.alpha_from = alphas_cumprod[t];
    s.alpha_to = prev >= 0 ? alphas_cumprod[prev] : final_alpha_cumprod;
    // ᾱ = 0 (zero terminal SNR) may start a step; sample() then needs v-prediction.
    if (s.alpha_from != 0.0) check_level(fn, "alphasCumprod[" + std::to_string(t) + "]", s.alpha_from);
    check_level(fn, "alphasCumprod[" + std::to_string(prev) + "]", s.alpha_to);
    s.t01 = static_cast<double>(t) / T;
    s.t01_to = prev >= 0 ? static_cast<double>(prev) / T : -1.0;
    s.ddpm_noise = t > 0;
    out.steps.push_back(s);
  }
  return out;
}

namespace {
template <class S>
Schedule schedule_of(const S& s, double final_alpha) {
  if (s.num_inference_steps() == 0) fail("sampleDiffusion", "scheduler", "have its timesteps set", "none");
  const std::vector<float>& acf = s.alphas_cumprod();
  const std::vector<double> ac(acf.begin(), acf.end());
  std::vector<int> prev;
  for (int t : s.timesteps()) prev.push_back(s.previous_timestep(t));
  return schedule_from_timesteps(ac, s.timesteps(), prev, final_alpha);
}
}  // namespace

Schedule schedule_for(const DDIMScheduler& s) { return schedule_of(s, s.final_alpha_cumprod()); }
Schedule schedule_for(const DDPMScheduler& s) { return schedule_of(s, 1.0); }  // DDPM's step uses `self.one`

void apply_config(const SchedulerConfig& c, SampleOptions& o) {
  if (c.prediction_type == PredictionType::sample)
    fail("sampleDiffusion", "scheduler.predictionType", "be 'epsilon' or 'v_prediction' (the denoisers predict ε)",
         to_string(c.prediction_type));
  o.v_prediction = c.prediction_type == PredictionType::v_prediction;
  if (c.thresholding) fail("sampleDiffusion", "scheduler.thresholding", "be false (not supported by sampleDiffusion)", "true");
  o.clip_sample = c.clip_sample;
  o.clip_range = c.clip_sample_range;
}

Schedule schedule_from_subsequence(const std::vector<double>& alpha_bar, const std::vector<int>& tau) {
  const char* fn = "scheduleFromSubsequence";
  if (alpha_bar.size() < 2) fail(fn, "alphaBar", "hold ᾱ_0 … ᾱ_T with T ≥ 1", alpha_bar.size());
  const int T = static_cast<int>(alpha_bar.size()) - 1;
  for (int t = 0; t <= T; ++t) check_level(fn, indexed("alphaBar", t), alpha_bar[t]);
  if (tau.empty()) fail(fn, "tau", "be non-empty", "an empty array");
  for (std::size_t i = 0; i < tau.size(); ++i) {
    if (tau[i] < 1 || tau[i] > T) fail(fn, indexed("tau", i), "be in [1, " + std::to_string(T) + "]", tau[i]);
    if (i > 0 && tau[i] <= tau[i - 1]) fail(fn, indexed("tau", i), "be increasing", tau[i]);
  }
  Schedule out;
  for (std::size_t i = tau.size(); i-- > 0;) {
    const int t = tau[i], prev = i > 0 ? tau[i - 1] : 0;
    Step s;
    s.alpha_from = alpha_bar[t];
    s.alpha_to = alpha_bar[prev];
    s.t01 = static_cast<double>(t) / T;
    s.t01_to = prev > 0 ? static_cast<double>(prev) / T : -1.0;  // no model call at t = 0: Heun's last step is Euler
    s.ddpm_noise = prev > 0;
    out.steps.push_back(s);
  }
  return out;
}

Sampler parse_sampler(const std::string& name) {
  if (name == "ddim") return Sampler::ddim;
  if (name == "ddpm") return Sampler::ddpm;
  if (name == "heun") return Sampler::heun;
  throw type_error("sampleDiffusion: sampler must be one of 'ddim', 'ddpm', 'heun', got \"" + name + "\"");
}

// ---- the loop ------------------------------------------------------------------------------------------

std::vector<double> sample(const Denoiser& model, const Schedule& schedule, const SampleOptions& opts,
                           std::size_t count, std::size_t first_index, const double* x_T, Trajectory* trajectory) {
  const char* fn = "sampleDiffusion";
  if (schedule.steps.empty()) fail(fn, "steps", "be at least 1", 0);
  if (!(opts.eta >= 0.0 && opts.eta <= 1.0)) fail(fn, "eta", "be in [0, 1]", opts.eta);
  if (opts.sampler == Sampler::heun && opts.eta != 0.0)
    fail(fn, "eta", "be 0 for the deterministic 'heun' sampler", opts.eta);
  if (opts.clip_sample && !(opts.clip_range > 0.0)) fail(fn, "clipSampleRange", "be positive", opts.clip_range);
  if (count > (std::size_t{1} << 26) / model.dim()) fail(fn, "count", "be at most 2^26 / dim", count);
  const std::size_t d = model.dim(), nd = count * d, S = schedule.steps.size();

  std::vector<NormalRng> rngs;
  rngs.reserve(count);
  for (std::size_t i = 0; i < count; ++i) rngs.push_back(NormalRng::for_point(opts.seed, first_index + i));
  std::vector<double> x(nd), eps(nd), x0(nd), y2(nd), eps2(nd);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double z = rngs[i].normal();  // always drawn, so the noise stream does not depend on x_T
      x[i * d + j] = x_T ? x_T[i * d + j] : z;
    }
  if (trajectory) {
    trajectory->xs.assign(x.begin(), x.end());
    trajectory->xs.reserve((S + 1) * nd);
    trajectory->x0s.clear();
    trajectory->x0s.reserve(S * nd);
  }

  const auto* mixture = dynamic_cast<const GaussianMixture*>(&model);
  for (const Step& st : schedule.steps) {
    const double a_t = st.alpha_from, a_p = st.alpha_to;
    const double sa_t = std::sqrt(a_t), sb_t = std::sqrt(1.0 - a_t), sa_p = std::sqrt(a_p);
    if (a_t == 0.0) {
      // Zero terminal SNR: x = ε exactly, and x̂0 = −v = E[x0] is the model's own (Lin et al. 2023 §3.2).
      if (!opts.v_prediction)
        fail(fn, "scheduler.predictionType", "be 'v_prediction' when a step starts at ᾱ = 0 (rescaleBetasZeroSnr)",
             "epsilon");
      if (opts.sampler == Sampler::heun) fail(fn, "sampler", "not be 'heun' at ᾱ = 0 (its ODE variable β̄/ᾱ is infinite)", "heun");
      if (!mixture)
        fail(fn, "model", "predict x̂0 at ᾱ = 0 (a gaussianMixture or empiricalDenoiser; an ε-model cannot)", "an ε-model");
      const std::vector<double> d0 = mixture->denoised(x, 0.0);
      for (std::size_t k = 0; k < nd; ++k) {
        eps[k] = x[k];
        x0[k] = opts.clip_sample ? std::clamp(d0[k], -opts.clip_range, opts.clip_range) : d0[k];
      }
    } else {
      model.epsilon(x.data(), count, a_t, st.t01, eps.data());
    }
    for (std::size_t k = 0; k < nd && a_t != 0.0; ++k) {
      double v = (x[k] - sb_t * eps[k]) / sa_t;
      if (opts.clip_sample && opts.sampler != Sampler::heun) v = std::clamp(v, -opts.clip_range, opts.clip_range);
      x0[k] = v;
    }
    if (opts.sampler == Sampler::ddim) {
      // σ = η √((1−ᾱ_prev)/(1−ᾱ_t)) √(1 − ᾱ_t/ᾱ_prev)  (post 4 §4.3, the DDIM paper's σ(η)).
      const double sigma = opts.eta * std::sqrt((1.0 - a_p) / (1.0 - a_t)) * std::sqrt(std::max(0.0, 1.0 - a_t / a_p));
      const double dir = std::sqrt(std::max(0.0, 1.0 - a_p - sigma * sigma));
      for (std::size_t i = 0; i < count; ++i)
        for (std::size_t j = 0; j < d; ++j) {
          const std::size_t k = i * d + j;
          x[k] = sa_p * x0[k] + dir * eps[k];
          if (opts.eta > 0.0) x[k] += sigma * rngs[i].normal();
        }
    } else if (opts.sampler == Sampler::ddpm) {
      // DDPM posterior q(x_prev | x_t, x̂0) with β = 1 − ᾱ_t/ᾱ_prev and the 'fixed_small' variance.
      const double alpha = a_t / a_p, beta = 1.0 - alpha;
      const double c0 = sa_p * beta / (1.0 - a_t), ct = std::sqrt(alpha) * (1.0 - a_p) / (1.0 - a_t);
      const double sd = std::sqrt(std::max(1e-20, (1.0 - a_p) / (1.0 - a_t) * beta));
      for (std::size_t i = 0; i < count; ++i)
        for (std::size_t j = 0; j < d; ++j) {
          const std::size_t k = i * d + j;
          x[k] = c0 * x0[k] + ct * x[k];
          if (st.ddpm_noise) x[k] += sd * rngs[i].normal();
        }
    } else {
      // Heun on y = x/√ᾱ against s = √(1−ᾱ)/√ᾱ: dy/ds = ε (post 4 §4.6); the predictor is DDIM's η = 0 step.
      const double s_t = sb_t / sa_t, s_p = std::sqrt(1.0 - a_p) / sa_p, h = s_p - s_t;
      for (std::size_t k = 0; k < nd; ++k) y2[k] = (x[k] / sa_t + h * eps[k]);
      if (st.t01_to >= 0.0) {
        for (std::size_t k = 0; k < nd; ++k) y2[k] *= sa_p;  // x at the predicted point
        model.epsilon(y2.data(), count, a_p, st.t01_to, eps2.data());
        for (std::size_t k = 0; k < nd; ++k) x[k] = sa_p * (x[k] / sa_t + 0.5 * h * (eps[k] + eps2[k]));
      } else {
        for (std::size_t k = 0; k < nd; ++k) x[k] = sa_p * y2[k];
      }
    }
    if (trajectory) {
      trajectory->x0s.insert(trajectory->x0s.end(), x0.begin(), x0.end());
      trajectory->xs.insert(trajectory->xs.end(), x.begin(), x.end());
    }
  }
  return x;
}

// ---- the diffusers schedulers as samplers ---------------------------------------------------------------

std::optional<SigmaSampler> parse_sigma_sampler(const std::string& name) {
  if (name == "ddim" || name == "ddpm" || name == "heun") return std::nullopt;
  if (name == "euler") return SigmaSampler::euler;
  if (name == "euler-ancestral") return SigmaSampler::euler_ancestral;
  if (name == "dpm++2m") return SigmaSampler::dpmpp_2m;
  if (name == "dpm++3m") return SigmaSampler::dpmpp_3m;
  if (name == "dpm++2m-sde") return SigmaSampler::dpmpp_2m_sde;
  if (name == "unipc") return SigmaSampler::unipc;
  throw type_error("sampleDiffusion: sampler must be one of 'ddim', 'ddpm', 'heun', 'euler', 'euler-ancestral', "
                   "'dpm++2m', 'dpm++3m', 'dpm++2m-sde', 'unipc', got \"" + name + "\"");
}

std::unique_ptr<SigmaScheduler> make_sampler_scheduler(SigmaSampler s, SigmaSchedulerConfig c) {
  switch (s) {
    case SigmaSampler::euler:
      return std::make_unique<EulerDiscreteScheduler>(c);
    case SigmaSampler::euler_ancestral:
      return std::make_unique<EulerAncestralDiscreteScheduler>(c);
    case SigmaSampler::dpmpp_2m:
    case SigmaSampler::dpmpp_3m:
    case SigmaSampler::dpmpp_2m_sde:
      c.solver_order = s == SigmaSampler::dpmpp_3m ? 3 : 2;
      c.algorithm_type = s == SigmaSampler::dpmpp_2m_sde ? AlgorithmType::sde_dpmsolver_pp : AlgorithmType::dpmsolver_pp;
      return std::make_unique<DPMSolverMultistepScheduler>(c);
    case SigmaSampler::unipc:
      return std::make_unique<UniPCMultistepScheduler>(c);
  }
  return nullptr;
}

std::vector<double> sample_scheduler(const Denoiser& model, SigmaScheduler& s, int steps, std::uint64_t seed,
                                     std::size_t count, std::size_t first_index, const double* x_T,
                                     Trajectory* trajectory) {
  const char* fn = "sampleDiffusion";
  if (count > (std::size_t{1} << 26) / model.dim()) fail(fn, "count", "be at most 2^26 / dim", count);
  s.set_timesteps(steps);
  // Repeated timesteps (too many steps for the spacing's rounding) give equal σ: h = 0 in the multistep
  // solvers, NaN in the reference too. Refuse them.
  const auto& sg = s.sigmas();
  for (std::size_t i = 1; i + 1 < sg.size(); ++i)
    if (!(sg[i] < sg[i - 1]))
      fail(fn, "steps", "give distinct timesteps (this schedule repeats timesteps[" + std::to_string(i) + "] = " +
                            format_value(s.timesteps()[i]) + "; use fewer steps)",
           steps);
  const std::size_t d = model.dim(), nd = count * d;
  const double T = s.config().base.num_train_timesteps;
  std::vector<NormalRng> rngs;
  rngs.reserve(count);
  for (std::size_t i = 0; i < count; ++i) rngs.push_back(NormalRng::for_point(seed, first_index + i));
  const float ins = s.init_noise_sigma();
  std::vector<float> x(nd);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double z = rngs[i].normal();  // always drawn, so the step noise does not depend on x_T
      x[i * d + j] = static_cast<float>(x_T ? x_T[i * d + j] : z) * ins;  // latents·init_noise_sigma, as pipelines do
    }
  if (trajectory) {
    trajectory->xs.assign(x.begin(), x.end());
    trajectory->x0s.clear();
  }
  if (count == 0) return {};
  const std::vector<double> ts = s.timesteps();
  std::vector<double> xin(nd), eps(nd);
  std::vector<float> eps32(nd), z(nd);
  for (std::size_t k = 0; k < ts.size(); ++k) {
    const std::vector<float> scaled = s.scale_model_input(x, ts[k]);
    const double sigma = s.sigmas()[k];
    const double abar = 1.0 / (1.0 + sigma * sigma);  // x_VP = x_VE/√(σ²+1) lives at ᾱ = 1/(1+σ²)
    std::copy(scaled.begin(), scaled.end(), xin.begin());
    // Euler's c_in scaling puts the model input at ᾱ; the multistep classes keep x at ᾱ already.
    model.epsilon(xin.data(), count, abar, ts[k] / T, eps.data());
    std::copy(eps.begin(), eps.end(), eps32.begin());
    StepOptions o;
    if (s.stochastic()) {
      for (std::size_t i = 0; i < count; ++i)
        for (std::size_t j = 0; j < d; ++j) z[i * d + j] = static_cast<float>(rngs[i].normal());
      o.variance_noise = z;
    }
    StepOutput out = s.step(eps32, ts[k], x, o);
    x = std::move(out.prev_sample);
    if (trajectory) {
      trajectory->x0s.insert(trajectory->x0s.end(), out.pred_original_sample.begin(), out.pred_original_sample.end());
      trajectory->xs.insert(trajectory->xs.end(), x.begin(), x.end());
    }
  }
  return std::vector<double>(x.begin(), x.end());
}

// ---- sliced Wasserstein -------------------------------------------------------------------------------

// W₂² = ∫₀¹ (F_a⁻¹(u) − F_b⁻¹(u))² du: both quantile functions are steps, so walk the merged breakpoints
// i/n and j/m and add (a_i − b_j)² × (length of the overlap).
double wasserstein2_squared_1d(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const std::size_t n = a.size(), m = b.size();
  std::size_t i = 0, j = 0;
  double u = 0.0, total = 0.0;
  while (i < n && j < m) {
    // Breakpoints compared exactly in integers: (i+1)/n vs (j+1)/m.
    const unsigned long long ln = (i + 1) * static_cast<unsigned long long>(m), lm = (j + 1) * static_cast<unsigned long long>(n);
    const double next = static_cast<double>(std::min(ln, lm)) / (static_cast<double>(n) * static_cast<double>(m));
    const double diff = a[i] - b[j];
    total += diff * diff * (next - u);
    u = next;
    if (ln <= lm) ++i;
    if (lm <= ln) ++j;
  }
  return total;
}

double sliced_wasserstein(const std::vector<double>& a, const std::vector<double>& b, std::size_t dim,
                          std::size_t projections, std::uint64_t seed) {
  const char* fn = "slicedWasserstein";
  if (dim == 0) fail(fn, "dim", "be a positive integer", dim);
  if (a.empty() || a.size() % dim != 0) fail(fn, "a", "be non-empty with a length divisible by dim " + std::to_string(dim), a.size());
  if (b.empty() || b.size() % dim != 0) fail(fn, "b", "be non-empty with a length divisible by dim " + std::to_string(dim), b.size());
  if (projections == 0) fail(fn, "projections", "be a positive integer", projections);
  for (std::size_t i = 0; i < a.size(); ++i) if (!std::isfinite(a[i])) fail(fn, indexed("a", i), "be finite", a[i]);
  for (std::size_t i = 0; i < b.size(); ++i) if (!std::isfinite(b[i])) fail(fn, indexed("b", i), "be finite", b[i]);
  const std::size_t n = a.size() / dim, m = b.size() / dim;
  std::vector<double> theta(dim), pa(n), pb(m);
  double sum = 0.0;
  for (std::size_t p = 0; p < projections; ++p) {
    NormalRng rng = NormalRng::for_point(seed, p);
    double norm = 0.0;
    do {  // a uniform direction on the sphere: a normalised Gaussian vector
      norm = 0.0;
      for (auto& t : theta) {
        t = rng.normal();
        norm += t * t;
      }
    } while (!(norm > 1e-300));
    norm = std::sqrt(norm);
    for (auto& t : theta) t /= norm;
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0.0;
      for (std::size_t j = 0; j < dim; ++j) s += theta[j] * a[i * dim + j];
      pa[i] = s;
    }
    for (std::size_t i = 0; i < m; ++i) {
      double s = 0.0;
      for (std::size_t j = 0; j < dim; ++j) s += theta[j] * b[i * dim + j];
      pb[i] = s;
    }
    sum += wasserstein2_squared_1d(pa, pb);
  }
  return std::sqrt(sum / static_cast<double>(projections));
}

}  // namespace probwasm::diffusion
