// Embind glue for src/diffusion/schedulers (part A of the diffusion topic): the DDIM/DDPM scheduler classes.
// Convert, call, guard. No maths here. Part B's sampling glue lives in bindings/diffusion_sampling.cpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common.hpp"
#include "diffusion_config.hpp"
#include "diffusion/denoisers.hpp"
#include "diffusion/schedulers.hpp"
#include "diffusion/sigma_schedulers.hpp"
#include "diffusion/su_sampler.hpp"

namespace d = probwasm::diffusion;
namespace su = probwasm::diffusion::su;
using emscripten::val;
using probwasm::bind::from_f32;
using probwasm::bind::from_f64;
using probwasm::bind::from_i32;
using probwasm::bind::guarded;
using probwasm::bind::to_f32;
using probwasm::bind::to_f64;
using probwasm::bind::to_i32;
using probwasm::bind::diffusion_config::parse_config;
using probwasm::bind::diffusion_config::parse_sigma_config;

namespace {

val config_object(const d::SchedulerConfig& c) {
  val o = val::object();
  o.set("num_train_timesteps", c.num_train_timesteps);
  o.set("beta_start", c.beta_start);
  o.set("beta_end", c.beta_end);
  o.set("beta_schedule", std::string(d::to_string(c.beta_schedule)));
  o.set("trained_betas", from_f64(c.trained_betas));
  o.set("clip_sample", c.clip_sample);
  o.set("clip_sample_range", c.clip_sample_range);
  o.set("set_alpha_to_one", c.set_alpha_to_one);
  o.set("steps_offset", c.steps_offset);
  o.set("prediction_type", std::string(d::to_string(c.prediction_type)));
  o.set("thresholding", c.thresholding);
  o.set("dynamic_thresholding_ratio", c.dynamic_thresholding_ratio);
  o.set("sample_max_value", c.sample_max_value);
  o.set("timestep_spacing", std::string(d::to_string(c.timestep_spacing)));
  o.set("rescale_betas_zero_snr", c.rescale_betas_zero_snr);
  o.set("variance_type", std::string(d::to_string(c.variance_type)));
  return o;
}

d::StepOptions step_options(double eta, bool clipped, const val& noise, double seed, int batch) {
  d::StepOptions o;
  o.eta = eta;
  o.use_clipped_model_output = clipped;
  if (!noise.isNull() && !noise.isUndefined()) o.variance_noise = to_f32(noise);
  if (seed >= 0) o.seed = static_cast<std::uint64_t>(seed);
  o.batch = static_cast<std::size_t>(batch);
  return o;
}

val step_result(const d::StepOutput& r) {
  val o = val::object();
  o.set("prevSample", from_f32(r.prev_sample));
  o.set("predOriginalSample", from_f32(r.pred_original_sample));
  return o;
}

// Shared accessors of both wrappers (S = d::DDIMScheduler or d::DDPMScheduler).
template <class S>
struct Wrap {
  S s;
  explicit Wrap(const d::SchedulerConfig& c) : s(c) {}
  val config() const { return config_object(s.config()); }
  val betas() const { return from_f32(s.betas()); }
  val alphas() const { return from_f32(s.alphas()); }
  val alphas_cumprod() const { return from_f32(s.alphas_cumprod()); }
  val timesteps() const { return from_i32(s.timesteps()); }
  int num_inference_steps() const { return s.num_inference_steps(); }
  void set_timesteps(int n) {
    guarded([&] { s.set_timesteps(n); });
  }
  int previous_timestep(int t) const {
    return guarded([&] { return s.previous_timestep(t); });
  }
  val step(const val& mo, int t, const val& x, double eta, bool clipped, const val& noise, double seed, int batch) {
    return guarded([&] { return step_result(s.step(to_f32(mo), t, to_f32(x), step_options(eta, clipped, noise, seed, batch))); });
  }
  val add_noise(const val& x, const val& noise, const val& ts) const {
    return guarded([&] { return from_f32(s.add_noise(to_f32(x), to_f32(noise), to_i32(ts))); });
  }
  val get_velocity(const val& x, const val& noise, const val& ts) const {
    return guarded([&] { return from_f32(s.get_velocity(to_f32(x), to_f32(noise), to_i32(ts))); });
  }
};

using DDIM = Wrap<d::DDIMScheduler>;
using DDPM = Wrap<d::DDPMScheduler>;

double ddim_final_alpha_cumprod(const DDIM& w) { return w.s.final_alpha_cumprod(); }
void ddim_set_timesteps_follow(DDIM& w, int n, bool follow) {
  guarded([&] { w.s.set_timesteps(n, follow); });
}
void ddim_set_custom_timesteps(DDIM& w, const val& ts) {
  guarded([&] { w.s.set_custom_timesteps(to_i32(ts)); });
}
bool ddim_follows_schedule(const DDIM& w) { return w.s.follows_schedule(); }
double ddim_variance(const DDIM& w, int t, int prev) {
  return guarded([&] { return static_cast<double>(w.s.variance(t, prev)); });
}
void ddpm_set_custom_timesteps(DDPM& w, const val& ts) {
  guarded([&] { w.s.set_custom_timesteps(to_i32(ts)); });
}
double ddpm_variance(const DDPM& w, int t) {
  return guarded([&] { return static_cast<double>(w.s.variance(t)); });
}

DDIM* make_ddim(const val& config) {
  return guarded([&] { return new DDIM(parse_config(config, "DDIMScheduler")); });
}
DDPM* make_ddpm(const val& config) {
  return guarded([&] { return new DDPM(parse_config(config, "DDPMScheduler")); });
}

// ---- Euler / Euler ancestral / DPM-Solver / UniPC (src/diffusion/sigma_schedulers) -----------------------

val sigma_config_object(const d::SigmaSchedulerConfig& c) {
  val o = config_object(c.base);
  o.set("use_karras_sigmas", c.use_karras_sigmas);
  o.set("final_sigmas_type", std::string(d::to_string(c.final_sigmas_type)));
  o.set("interpolation_type", std::string(d::to_string(c.interpolation_type)));
  o.set("sigma_min", c.sigma_min ? val(*c.sigma_min) : val::null());
  o.set("sigma_max", c.sigma_max ? val(*c.sigma_max) : val::null());
  o.set("solver_order", c.solver_order);
  o.set("algorithm_type", std::string(d::to_string(c.algorithm_type)));
  o.set("solver_type", c.solver_type ? val(std::string(d::to_string(*c.solver_type))) : val::null());
  o.set("lower_order_final", c.lower_order_final);
  o.set("euler_at_final", c.euler_at_final);
  o.set("predict_x0", c.predict_x0);
  return o;
}

// S = one of the four classes; Euler-family timesteps are float32 values, the multistep ones integers.
template <class S, bool FloatTimesteps>
struct SigmaWrap {
  S s;
  explicit SigmaWrap(const d::SigmaSchedulerConfig& c) : s(c) {}
  val config() const { return sigma_config_object(s.config()); }
  val betas() const { return from_f32(s.betas()); }
  val alphas_cumprod() const { return from_f32(s.alphas_cumprod()); }
  val timesteps() const {
    const auto& t = s.timesteps();
    if (FloatTimesteps) return from_f32(std::vector<float>(t.begin(), t.end()));
    return from_i32(std::vector<int>(t.begin(), t.end()));
  }
  val sigmas() const { return from_f32(s.sigmas()); }
  double init_noise_sigma() const { return s.init_noise_sigma(); }
  int num_inference_steps() const { return s.num_inference_steps(); }
  int step_index() const { return s.step_index(); }
  void set_timesteps(int n) {
    guarded([&] { s.set_timesteps(n); });
  }
  val scale_model_input(const val& x, double t) {
    return guarded([&] { return from_f32(s.scale_model_input(to_f32(x), t)); });
  }
  val step(const val& mo, double t, const val& x, const val& noise, double seed, int batch) {
    return guarded([&] { return step_result(s.step(to_f32(mo), t, to_f32(x), step_options(0, false, noise, seed, batch))); });
  }
  val add_noise(const val& x, const val& noise, const val& ts) const {
    return guarded([&] { return from_f32(s.add_noise(to_f32(x), to_f32(noise), to_f64(ts))); });
  }
};
using Euler = SigmaWrap<d::EulerDiscreteScheduler, true>;
using EulerA = SigmaWrap<d::EulerAncestralDiscreteScheduler, true>;
using Dpm = SigmaWrap<d::DPMSolverMultistepScheduler, false>;
using UniPC = SigmaWrap<d::UniPCMultistepScheduler, false>;

template <class W>
void sigma_set_custom_timesteps(W& w, const val& ts) {
  guarded([&] { w.s.set_custom_timesteps(to_f64(ts)); });
}

template <class W>
W* make_sigma(const val& config, const char* cls) {
  return guarded([&] { return new W(parse_sigma_config(config, cls)); });
}
Euler* make_euler(const val& c) { return make_sigma<Euler>(c, "EulerDiscreteScheduler"); }
EulerA* make_euler_a(const val& c) { return make_sigma<EulerA>(c, "EulerAncestralDiscreteScheduler"); }
Dpm* make_dpm(const val& c) { return make_sigma<Dpm>(c, "DPMSolverMultistepScheduler"); }
UniPC* make_unipc(const val& c) { return make_sigma<UniPC>(c, "UniPCMultistepScheduler"); }

template <class W>
void sigma_methods(emscripten::class_<W>& c) {
  c.function("config", &W::config)
      .function("betas", &W::betas)
      .function("alphasCumprod", &W::alphas_cumprod)
      .function("timesteps", &W::timesteps)
      .function("sigmas", &W::sigmas)
      .function("initNoiseSigma", &W::init_noise_sigma)
      .function("numInferenceSteps", &W::num_inference_steps)
      .function("stepIndex", &W::step_index)
      .function("setTimesteps", &W::set_timesteps)
      .function("scaleModelInput", &W::scale_model_input)
      .function("step", &W::step)
      .function("addNoise", &W::add_noise);
}

// ---- post 4's own formulation (src/diffusion/su_sampler) --------------------------------------------------

std::vector<double> f64_of(const val& x) { return to_f64(x); }
val f32_of(const std::vector<double>& v) { return from_f32(std::vector<float>(v.begin(), v.end())); }

val su_schedule(int T) {
  return guarded([&] { return from_f64(su::worked_schedule(T)); });
}
val su_from_alphas_cumprod(const val& ac) {
  return guarded([&] { return from_f64(su::from_alphas_cumprod(to_f32(ac))); });
}
val su_tau(int T, int S, const std::string& kind) {
  return guarded([&] {
    if (kind == "uniform") return from_i32(su::tau_uniform(T, S));
    if (kind == "linspace") return from_i32(su::tau_linspace(T, S));
    return from_i32(su::tau_quadratic(T, S));  // the facade checked the name
  });
}
double su_sigma(double abar_t, double abar_prev, double eta, bool hat) {
  return guarded([&] { return hat ? su::sigma_hat(abar_t, abar_prev) : su::sigma_eta(abar_t, abar_prev, eta); });
}
val su_posterior(double abar_t, double abar_prev, double sigma) {
  return guarded([&] {
    const su::Posterior p = su::posterior(abar_t, abar_prev, sigma);
    val o = val::object();
    o.set("kappa", p.kappa);
    o.set("lambda", p.lambda);
    o.set("sigma", p.sigma);
    return o;
  });
}
val su_generalized_step(const val& x, const val& eps, const val& z, double abar_t, double abar_prev, double sigma) {
  return guarded([&] {
    const auto xs = f64_of(x), es = f64_of(eps);
    if (es.size() != xs.size())
      probwasm::fail("generalizedStep", "eps.length", "equal x.length = " + std::to_string(xs.size()), es.size());
    std::vector<double> zs;
    if (!z.isNull() && !z.isUndefined()) {
      zs = f64_of(z);
      if (zs.size() != xs.size())
        probwasm::fail("generalizedStep", "noise.length", "equal x.length = " + std::to_string(xs.size()), zs.size());
    }
    std::vector<double> out(xs.size());
    su::generalized_step(xs.data(), es.data(), zs.empty() ? nullptr : zs.data(), xs.size(), abar_t, abar_prev, sigma,
                         out.data());
    return f32_of(out);
  });
}
// ε(x, t) of a wasm denoiser on Su's schedule: the model takes diffusers' ᾱ = (Su's ᾱ)² and t/T.
su::EpsFn eps_of(const d::Denoiser& m, const std::vector<double>& abar) {
  const double T = static_cast<double>(abar.size() - 1);
  return [&m, &abar, T](const double* x, std::size_t n, int t, double* out) {
    const double a = abar[static_cast<std::size_t>(t)];
    m.epsilon(x, n / m.dim(), a * a, t / T, out);
  };
}
val su_ode(const d::Denoiser& m, const val& x, const val& tau, const val& abar, bool heun, bool invert) {
  return guarded([&] {
    const auto xs = f64_of(x), ab = f64_of(abar);
    const char* fn = invert ? "ddimInvert" : "ddimGenerate";
    if (xs.empty() || xs.size() % m.dim() != 0)
      probwasm::fail(fn, "x.length", "be a positive multiple of the model's dim = " + std::to_string(m.dim()), xs.size());
    const auto ts = to_i32(tau);
    const auto method = heun ? su::OdeMethod::heun : su::OdeMethod::euler;
    const auto e = eps_of(m, ab);
    return f32_of(invert ? su::ddim_invert(xs, ts, ab, e, method) : su::ddim_generate(xs, ts, ab, e, method));
  });
}
val su_slerp(const val& z1, const val& z2, double lambda) {
  return guarded([&] { return f32_of(su::slerp_noise(f64_of(z1), f64_of(z2), lambda)); });
}

template <class W>
void common_methods(emscripten::class_<W>& c) {
  c.function("config", &W::config)
      .function("betas", &W::betas)
      .function("alphas", &W::alphas)
      .function("alphasCumprod", &W::alphas_cumprod)
      .function("timesteps", &W::timesteps)
      .function("numInferenceSteps", &W::num_inference_steps)
      .function("setTimesteps", &W::set_timesteps)
      .function("previousTimestep", &W::previous_timestep)
      .function("step", &W::step)
      .function("addNoise", &W::add_noise)
      .function("getVelocity", &W::get_velocity);
}

}  // namespace

EMSCRIPTEN_BINDINGS(diffusion) {
  auto ddim = emscripten::class_<DDIM>("DiffusionDDIMScheduler");
  ddim.constructor(&make_ddim, emscripten::allow_raw_pointers())
      .function("finalAlphaCumprod", &ddim_final_alpha_cumprod)
      .function("setTimestepsFollow", &ddim_set_timesteps_follow)
      .function("setCustomTimesteps", &ddim_set_custom_timesteps)
      .function("followsSchedule", &ddim_follows_schedule)
      .function("variance", &ddim_variance);
  common_methods(ddim);
  auto ddpm = emscripten::class_<DDPM>("DiffusionDDPMScheduler");
  ddpm.constructor(&make_ddpm, emscripten::allow_raw_pointers())
      .function("setCustomTimesteps", &ddpm_set_custom_timesteps)
      .function("variance", &ddpm_variance);
  common_methods(ddpm);
  auto euler = emscripten::class_<Euler>("DiffusionEulerScheduler");
  euler.constructor(&make_euler, emscripten::allow_raw_pointers())
      .function("setCustomTimesteps", &sigma_set_custom_timesteps<Euler>);
  sigma_methods(euler);
  auto euler_a = emscripten::class_<EulerA>("DiffusionEulerAncestralScheduler");
  euler_a.constructor(&make_euler_a, emscripten::allow_raw_pointers());
  sigma_methods(euler_a);
  auto dpm = emscripten::class_<Dpm>("DiffusionDPMSolverScheduler");
  dpm.constructor(&make_dpm, emscripten::allow_raw_pointers())
      .function("setCustomTimesteps", &sigma_set_custom_timesteps<Dpm>);
  sigma_methods(dpm);
  auto unipc = emscripten::class_<UniPC>("DiffusionUniPCScheduler");
  unipc.constructor(&make_unipc, emscripten::allow_raw_pointers());
  sigma_methods(unipc);

  emscripten::function("diffusionSuSchedule", &su_schedule);
  emscripten::function("diffusionSuFromAlphasCumprod", &su_from_alphas_cumprod);
  emscripten::function("diffusionTau", &su_tau);
  emscripten::function("diffusionSigma", &su_sigma);
  emscripten::function("diffusionPosterior", &su_posterior);
  emscripten::function("diffusionGeneralizedStep", &su_generalized_step);
  emscripten::function("diffusionOde", &su_ode);
  emscripten::function("diffusionSlerp", &su_slerp);
}

// ---- post 4 §4.6's bounded-time ODEs, the σ̂ sampler and error bars (src/diffusion/su_ode) ----------------
#include "diffusion/su_ode.hpp"

namespace {
val su_schedule_compare(int T) {
  return guarded([&] {
    const std::vector<double> exact = su::worked_schedule(T);
    std::vector<double> approx(exact.size()), bound(exact.size());
    for (std::size_t t = 0; t < exact.size(); ++t) {
      approx[t] = su::worked_schedule_approx(double(t), T);
      bound[t] = su::worked_schedule_bound(double(t), T);
    }
    val o = val::object();
    o.set("exact", from_f64(exact));
    o.set("approx", from_f64(approx));
    o.set("bound", from_f64(bound));
    return o;
  });
}
val su_ode_sample(const d::Denoiser& m, const val& x, const std::string& time, int steps, bool heun, bool keep) {
  return guarded([&] {
    const char* fn = "suOdeSample";
    const auto xs = f64_of(x);
    if (xs.empty() || xs.size() % m.dim() != 0)
      probwasm::fail(fn, "x.length", "be a positive multiple of the model's dim = " + std::to_string(m.dim()), xs.size());
    const su::EpsAtFn e = [&m](const double* p, std::size_t n, double ab, double t01, double* out) {
      m.epsilon(p, n / m.dim(), ab, t01, out);
    };
    std::vector<double> traj;
    const auto out = su::bounded_time_sample(xs, su::parse_bounded_time(fn, time), steps,
                                             heun ? su::OdeMethod::heun : su::OdeMethod::euler, e, keep ? &traj : nullptr, fn);
    if (!keep) return f32_of(out);
    val o = val::object();
    o.set("x", f32_of(out));
    o.set("trajectory", f32_of(traj));
    return o;
  });
}
val su_sigma_hat_sample(const d::Denoiser& m, const val& x, const val& tau, const val& abar, double seed) {
  return guarded([&] {
    const auto xs = f64_of(x), ab = f64_of(abar);
    if (xs.empty() || xs.size() % m.dim() != 0)
      probwasm::fail("sigmaHatSample", "x.length", "be a positive multiple of the model's dim = " + std::to_string(m.dim()), xs.size());
    return f32_of(su::sample_sigma_hat(xs, to_i32(tau), ab, eps_of(m, ab), seed));
  });
}
val su_mean_sem(const val& v) {
  return guarded([&] {
    const su::MeanSem r = su::mean_sem(to_f64(v));
    val o = val::object();
    o.set("mean", r.mean);
    o.set("sd", r.sd);
    o.set("sem", r.sem);
    return o;
  });
}
}  // namespace

EMSCRIPTEN_BINDINGS(diffusion_su_ode) {
  emscripten::function("diffusionSuScheduleCompare", &su_schedule_compare);
  emscripten::function("diffusionSuOdeSample", &su_ode_sample);
  emscripten::function("diffusionSigmaHatSample", &su_sigma_hat_sample);
  emscripten::function("diffusionMeanSem", &su_mean_sem);
}
