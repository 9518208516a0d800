// Scheduler configs from the facade's snake_case objects, shared by the scheduler glue (diffusion.cpp) and
// sampleDiffusion's glue (diffusion_sampling.cpp). Conversion only: ranges are checked by the core.
#pragma once
#include <string>

#include "common.hpp"
#include "diffusion/schedulers.hpp"
#include "diffusion/sigma_schedulers.hpp"

namespace probwasm::bind::diffusion_config {

namespace d = probwasm::diffusion;
using emscripten::val;
using probwasm::bind::to_f64;

inline bool present(const val& o, const char* k) {
  if (!o.hasOwnProperty(k)) return false;
  const val v = o[k];
  return !v.isUndefined() && !v.isNull();
}

// The facade has checked kinds and names (snake_case keys); ranges are checked by d::validate.
inline d::SchedulerConfig parse_config(const val& o, const char* fn, d::SchedulerConfig c = {}) {
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

inline d::SigmaSchedulerConfig parse_sigma_config(const val& o, const char* fn) {
  d::SigmaSchedulerConfig c = d::sigma_scheduler_defaults();
  c.base = parse_config(o, fn, c.base);
  if (present(o, "use_karras_sigmas")) c.use_karras_sigmas = o["use_karras_sigmas"].as<bool>();
  if (present(o, "final_sigmas_type"))
    c.final_sigmas_type = d::parse_final_sigmas_type(o["final_sigmas_type"].as<std::string>(), fn);
  if (present(o, "interpolation_type"))
    c.interpolation_type = d::parse_interpolation_type(o["interpolation_type"].as<std::string>(), fn);
  if (present(o, "sigma_min")) c.sigma_min = o["sigma_min"].as<double>();
  if (present(o, "sigma_max")) c.sigma_max = o["sigma_max"].as<double>();
  if (present(o, "solver_order")) c.solver_order = o["solver_order"].as<int>();
  if (present(o, "algorithm_type")) c.algorithm_type = d::parse_algorithm_type(o["algorithm_type"].as<std::string>(), fn);
  if (present(o, "solver_type")) c.solver_type = d::parse_solver_type(o["solver_type"].as<std::string>(), fn);
  if (present(o, "lower_order_final")) c.lower_order_final = o["lower_order_final"].as<bool>();
  if (present(o, "euler_at_final")) c.euler_at_final = o["euler_at_final"].as<bool>();
  if (present(o, "predict_x0")) c.predict_x0 = o["predict_x0"].as<bool>();
  return c;
}

}  // namespace probwasm::bind::diffusion_config
