// Embind glue for src/diffusion/schedulers (part A of the diffusion topic): the DDIM/DDPM scheduler classes.
// Convert, call, guard. No maths here. Part B's sampling glue lives in bindings/diffusion_sampling.cpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common.hpp"
#include "diffusion/denoisers.hpp"
#include "diffusion/schedulers.hpp"
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

namespace {

bool present(const val& o, const char* k) {
  if (!o.hasOwnProperty(k)) return false;
  const val v = o[k];
  return !v.isUndefined() && !v.isNull();
}

// The facade has checked kinds and names (snake_case keys); ranges are checked by d::validate.
d::SchedulerConfig parse_config(const val& o, const char* fn) {
  d::SchedulerConfig c;
  if (present(o, "trained_betas")) {
    c.trained_betas = to_f64(o["trained_betas"]);
    c.num_train_timesteps = static_cast<int>(c.trained_betas.size());
  }
  if (present(o, "num_train_timesteps")) c.num_train_timesteps = o["num_train_timesteps"].as<int>();
  if (present(o, "beta_start")) c.beta_start = o["beta_start"].as<double>();
  if (present(o, "beta_end")) c.beta_end = o["beta_end"].as<double>();
  if (present(o, "beta_schedule")) c.beta_schedule = d::parse_beta_schedule(o["beta_schedule"].as<std::string>(), fn);
  if (present(o, "clip_sample")) c.clip_sample = o["clip_sample"].as<bool>();
  if (present(o, "clip_sample_range")) c.clip_sample_range = o["clip_sample_range"].as<double>();
  if (present(o, "set_alpha_to_one")) c.set_alpha_to_one = o["set_alpha_to_one"].as<bool>();
  if (present(o, "steps_offset")) c.steps_offset = o["steps_offset"].as<int>();
  if (present(o, "prediction_type"))
    c.prediction_type = d::parse_prediction_type(o["prediction_type"].as<std::string>(), fn);
  if (present(o, "thresholding")) c.thresholding = o["thresholding"].as<bool>();
  if (present(o, "dynamic_thresholding_ratio")) c.dynamic_thresholding_ratio = o["dynamic_thresholding_ratio"].as<double>();
  if (present(o, "sample_max_value")) c.sample_max_value = o["sample_max_value"].as<double>();
  if (present(o, "timestep_spacing"))
    c.timestep_spacing = d::parse_timestep_spacing(o["timestep_spacing"].as<std::string>(), fn);
  if (present(o, "rescale_betas_zero_snr")) c.rescale_betas_zero_snr = o["rescale_betas_zero_snr"].as<bool>();
  if (present(o, "variance_type")) c.variance_type = d::parse_variance_type(o["variance_type"].as<std::string>(), fn);
  return c;
}

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
      .function("variance", &ddim_variance);
  common_methods(ddim);
  auto ddpm = emscripten::class_<DDPM>("DiffusionDDPMScheduler");
  ddpm.constructor(&make_ddpm, emscripten::allow_raw_pointers())
      .function("setCustomTimesteps", &ddpm_set_custom_timesteps)
      .function("variance", &ddpm_variance);
  common_methods(ddpm);

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
