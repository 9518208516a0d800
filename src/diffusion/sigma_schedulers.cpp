// Euler, Euler ancestral, DPM-Solver(++) multistep and UniPC multistep with diffusers' semantics
// (diffusers 0.40.0.dev0; see sigma_schedulers.hpp). float32 expressions follow the reference's operand
// order on 0-d float32 tensors; schedule construction follows its numpy float64 steps.
#include "diffusion/sigma_schedulers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/errors.hpp"
#include "diffusion/enum_names.hpp"

namespace probwasm::diffusion {

namespace {

using detail::Names;
using detail::name_of;
using detail::parse;
constexpr Names<FinalSigmasType> kFinal[] = {{FinalSigmasType::zero, "zero"}, {FinalSigmasType::sigma_min, "sigma_min"}};
constexpr Names<InterpolationType> kInterp[] = {{InterpolationType::linear, "linear"},
                                                {InterpolationType::log_linear, "log_linear"}};
constexpr Names<AlgorithmType> kAlgo[] = {{AlgorithmType::dpmsolver_pp, "dpmsolver++"},
                                          {AlgorithmType::dpmsolver, "dpmsolver"},
                                          {AlgorithmType::sde_dpmsolver_pp, "sde-dpmsolver++"},
                                          {AlgorithmType::sde_dpmsolver, "sde-dpmsolver"}};
constexpr Names<SolverType> kSolver[] = {{SolverType::midpoint, "midpoint"},
                                         {SolverType::heun, "heun"},
                                         {SolverType::bh1, "bh1"},
                                         {SolverType::bh2, "bh2"}};

void require_finite(const std::vector<float>& v, const char* fn, const char* name) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i])) fail(fn, indexed(name, i), "be finite", static_cast<double>(v[i]));
}

std::string steps_name(const char* cls, const char* member) { return std::string(cls) + "." + member; }

// _sigma_to_alpha_sigma_t: α = 1/√(σ²+1), σ_t = σα (VP ↔ VE: x_VE = x_VP/α; post 4 §4.5).
struct AlphaSigma {
  float alpha, sigma, lambda;
};
AlphaSigma alpha_sigma(float s) {
  const float a = 1.0f / std::sqrt(s * s + 1.0f);
  const float st = s * a;
  return {a, st, std::log(a) - std::log(st)};  // λ = log α − log σ (DPM-Solver's half log-SNR)
}

// torch.linalg.solve for the UniPC coefficient systems (order ≤ 3): partial pivoting in double.
std::vector<float> solve_small(std::vector<std::vector<double>> A, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::fabs(A[r][c]) > std::fabs(A[p][c])) p = r;
    std::swap(A[c], A[p]);
    std::swap(b[c], b[p]);
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = A[r][c] / A[c][c];
      for (std::size_t k = c; k < n; ++k) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n);
  for (std::size_t r = n; r-- > 0;) {
    double s = b[r];
    for (std::size_t k = r + 1; k < n; ++k) s -= A[r][k] * x[k];
    x[r] = s / A[r][r];
  }
  return std::vector<float>(x.begin(), x.end());
}

}  // namespace

FinalSigmasType parse_final_sigmas_type(const std::string& s, const char* fn) {
  return parse(kFinal, s, fn, "config.finalSigmasType");
}
InterpolationType parse_interpolation_type(const std::string& s, const char* fn) {
  return parse(kInterp, s, fn, "config.interpolationType");
}
AlgorithmType parse_algorithm_type(const std::string& s, const char* fn) { return parse(kAlgo, s, fn, "config.algorithmType"); }
SolverType parse_solver_type(const std::string& s, const char* fn) { return parse(kSolver, s, fn, "config.solverType"); }
const char* to_string(FinalSigmasType v) { return name_of(kFinal, v); }
const char* to_string(InterpolationType v) { return name_of(kInterp, v); }
const char* to_string(AlgorithmType v) { return name_of(kAlgo, v); }
const char* to_string(SolverType v) { return name_of(kSolver, v); }

SigmaSchedulerConfig sigma_scheduler_defaults() {
  SigmaSchedulerConfig c;
  c.base.timestep_spacing = TimestepSpacing::linspace;
  c.base.clip_sample = false;  // none of the four classes clips
  return c;
}

// ---- schedule building blocks --------------------------------------------------------------------------

std::vector<double> np_linspace(double start, double stop, int n) {
  std::vector<double> y(static_cast<std::size_t>(std::max(n, 0)));
  if (n <= 0) return y;
  const double step = n > 1 ? (stop - start) / (n - 1) : 0.0;
  for (int i = 0; i < n; ++i) y[static_cast<std::size_t>(i)] = static_cast<double>(i) * step + start;
  if (n > 1) y.back() = stop;
  return y;
}

std::vector<double> np_interp_grid(const std::vector<double>& x, const std::vector<float>& fp) {
  const std::size_t m = fp.size();
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double v = x[i];
    if (std::isnan(v)) {
      out[i] = v;
    } else if (v <= 0) {
      out[i] = fp[0];
    } else if (v >= static_cast<double>(m - 1)) {
      out[i] = fp[m - 1];
    } else {
      const auto j = static_cast<std::size_t>(std::floor(v));
      const double slope = (static_cast<double>(fp[j + 1]) - fp[j]) / 1.0;
      out[i] = slope * (v - static_cast<double>(j)) + fp[j];
    }
  }
  return out;
}

std::vector<double> karras_sigmas(double sigma_min, double sigma_max, int n) {
  const double rho = 7.0;  // EDM eq. 5 and Table 1
  const std::vector<double> ramp = np_linspace(0.0, 1.0, n);
  const double min_inv = std::pow(sigma_min, 1 / rho), max_inv = std::pow(sigma_max, 1 / rho);
  std::vector<double> s(ramp.size());
  for (std::size_t i = 0; i < ramp.size(); ++i) s[i] = std::pow(max_inv + ramp[i] * (min_inv - max_inv), rho);
  return s;
}

double sigma_to_t(double sigma, const std::vector<float>& log_sigmas) {
  const double ls = std::log(std::max(sigma, 1e-10));
  // low = the last table entry ≤ log σ (first one if none), kept one below the top.
  std::size_t count = 0;
  for (float v : log_sigmas)
    if (ls - static_cast<double>(v) >= 0) ++count;
  std::size_t low = count == 0 ? 0 : count - 1;
  low = std::min(low, log_sigmas.size() - 2);
  const float lo = log_sigmas[low], hi = log_sigmas[low + 1];
  double w = (static_cast<double>(lo) - ls) / static_cast<double>(lo - hi);  // lo − hi in float32, as numpy does
  w = std::min(std::max(w, 0.0), 1.0);
  return (1 - w) * static_cast<double>(low) + w * static_cast<double>(low + 1);
}

// ---- SigmaScheduler ------------------------------------------------------------------------------------

SigmaScheduler::SigmaScheduler(const SigmaSchedulerConfig& c, const char* cls) : config_(c), cls_(cls) {
  validate(c.base, cls);
  if (c.base.beta_schedule == BetaSchedule::sigmoid && c.base.trained_betas.empty())
    throw type_error(std::string(cls) + ": config.betaSchedule must be one of 'linear', 'scaled_linear', "
                     "'squaredcos_cap_v2' ('sigmoid' is a DDPMScheduler schedule), got \"sigmoid\"");
  require(c.solver_order >= 1 && c.solver_order <= 3, cls, "config.solverOrder", "be 1, 2 or 3", c.solver_order);
  for (const auto& [v, name] : {std::pair{c.sigma_min, "config.sigmaMin"}, std::pair{c.sigma_max, "config.sigmaMax"}})
    if (v) require(std::isfinite(*v) && *v > 0, cls, name, "be a positive finite number", *v);
  if (c.sigma_min && c.sigma_max)
    require(*c.sigma_min <= *c.sigma_max, cls, "config.sigmaMin", "be <= config.sigmaMax = " + format_value(*c.sigma_max),
            *c.sigma_min);
  betas_ = make_betas(c.base);
  std::vector<float> alphas(betas_.size());
  for (std::size_t i = 0; i < betas_.size(); ++i) alphas[i] = 1.0f - betas_[i];
  alphas_cumprod_ = cumprod_f32(alphas);
  // "Close to 0 without being 0 so first sigma is not inf" (the reference's own fix for zero terminal SNR).
  if (c.base.rescale_betas_zero_snr) alphas_cumprod_.back() = 0x1.0p-24f;
  for (std::size_t i = 0; i < alphas_cumprod_.size(); ++i) {
    const float a = alphas_cumprod_[i];
    require(a > 0, cls, "config", "give alphas_cumprod > 0 at every timestep (betas < 1), but alphas_cumprod[" +
                                      std::to_string(i) + "] is",
            static_cast<double>(a));
  }
  train_sigmas_.resize(alphas_cumprod_.size());
  log_train_sigmas_.resize(alphas_cumprod_.size());
  for (std::size_t i = 0; i < alphas_cumprod_.size(); ++i) {
    const float a = alphas_cumprod_[i];
    train_sigmas_[i] = std::sqrt((1.0f - a) / a);  // σ_t = √((1−ᾱ_t)/ᾱ_t) (EDM Table 1, VP column)
    log_train_sigmas_[i] = std::log(train_sigmas_[i]);
  }
  require(train_sigmas_.size() >= 2 || !c.use_karras_sigmas, cls, "config.numTrainTimesteps",
          "be >= 2 with useKarrasSigmas", train_sigmas_.size());
}

std::vector<float> SigmaScheduler::scale_model_input(const std::vector<float>& x, double t) {
  const std::string fn = steps_name(cls_, "scaleModelInput");
  require(num_inference_steps_ > 0, fn.c_str(), "numInferenceSteps", "be set by setTimesteps first", "null");
  index_for_timestep(t, fn.c_str());
  require_finite(x, fn.c_str(), "sample");
  return x;
}

int SigmaScheduler::index_for_timestep(double t, const char* fn) const {
  std::vector<int> hits;
  for (std::size_t i = 0; i < timesteps_.size(); ++i)
    if (timesteps_[i] == t) hits.push_back(static_cast<int>(i));
  if (hits.empty()) fail(fn, "timestep", "be one of the scheduler's timesteps (see .timesteps)", t);
  return hits.size() > 1 ? hits[1] : hits[0];  // the second match, so img2img starting mid-schedule skips no σ
}

int SigmaScheduler::enter_step(double t, const char* fn) {
  require(num_inference_steps_ > 0, fn, "numInferenceSteps", "be set by setTimesteps before step", "null");
  if (step_index_ < 0) {
    step_index_ = index_for_timestep(t, fn);
  } else {
    require(step_index_ < static_cast<int>(timesteps_.size()), fn, "timestep",
            "not follow the last timestep (all " + std::to_string(timesteps_.size()) +
                " steps are done; setTimesteps starts again)",
            t);
    index_for_timestep(t, fn);
    const double want = timesteps_[static_cast<std::size_t>(step_index_)];
    require(t == want, fn, "timestep",
            "be the next one, timesteps[" + std::to_string(step_index_) + "] = " + format_value(want) +
                " (steps run in order; setTimesteps starts again)",
            t);
  }
  return step_index_;
}

void SigmaScheduler::check_sample(const std::vector<float>& mo, const std::vector<float>& x, std::size_t batch,
                                  const char* fn) const {
  require(!x.empty(), fn, "sample.length", "be >= 1", x.size());
  require(mo.size() == x.size(), fn, "modelOutput.length", "equal sample.length = " + std::to_string(x.size()), mo.size());
  require(batch >= 1 && x.size() % batch == 0, fn, "batch", "divide sample.length = " + std::to_string(x.size()), batch);
  require_finite(mo, fn, "modelOutput");
  require_finite(x, fn, "sample");
}

std::vector<float> SigmaScheduler::noise_for(const StepOptions& o, std::size_t n, const char* fn) {
  if (o.variance_noise) {
    require(!o.seed.has_value(), fn, "seed", "be absent when varianceNoise is given (pass one or the other)", *o.seed);
    require(o.variance_noise->size() == n, fn, "varianceNoise.length", "equal sample.length = " + std::to_string(n),
            o.variance_noise->size());
    require_finite(*o.variance_noise, fn, "varianceNoise");
    return *o.variance_noise;
  }
  if (o.seed) rng_.reseed(*o.seed);
  return rng_.draw(n);
}

std::vector<double> SigmaScheduler::multistep_timesteps(int n, const char* fn) const {
  const int T = config_.base.num_train_timesteps;
  require(n >= 1 && n <= T, fn, "numInferenceSteps", "be an integer in [1, numTrainTimesteps = " + std::to_string(T) + "]", n);
  std::vector<double> ts;
  switch (config_.base.timestep_spacing) {
    case TimestepSpacing::linspace: {  // np.linspace(0, T−1, n+1).round()[::-1][:-1]
      const auto y = np_linspace(0, T - 1, n + 1);
      for (int i = n; i >= 1; --i) ts.push_back(std::nearbyint(y[static_cast<std::size_t>(i)]));
      break;
    }
    case TimestepSpacing::leading: {  // arange(n+1)·(T // (n+1)), reversed, last dropped, + steps_offset
      const int ratio = T / (n + 1);
      require(static_cast<long long>(n) * ratio + config_.base.steps_offset < T, fn, "numInferenceSteps",
              "leave room for config.stepsOffset = " + std::to_string(config_.base.steps_offset) +
                  " (n·(T//(n+1)) + stepsOffset < " + std::to_string(T) + ")",
              n);
      for (int i = n; i >= 1; --i) ts.push_back(static_cast<double>(i) * ratio + config_.base.steps_offset);
      break;
    }
    case TimestepSpacing::trailing:
      for (int t : spaced_timesteps(T, n, TimestepSpacing::trailing, 0)) ts.push_back(t);
      break;
  }
  return ts;
}

void SigmaScheduler::check_custom(const std::vector<double>& ts, bool integers, const char* fn) const {
  const int T = config_.base.num_train_timesteps;
  require(!ts.empty(), fn, "timesteps.length", "be >= 1", ts.size());
  require(!config_.use_karras_sigmas, fn, "timesteps", "not be given with config.useKarrasSigmas (as in the reference)",
          "an array");
  for (std::size_t i = 0; i < ts.size(); ++i) {
    require(ts[i] >= 0 && ts[i] <= T - 1, fn, indexed("timesteps", i), "be in [0, numTrainTimesteps − 1 = " + std::to_string(T - 1) + "]",
            ts[i]);
    if (integers) require(ts[i] == std::floor(ts[i]), fn, indexed("timesteps", i), "be an integer", ts[i]);
  }
}

void SigmaScheduler::reset_schedule(std::vector<double> ts, std::vector<float> sigmas) {
  timesteps_ = std::move(ts);
  sigmas_ = std::move(sigmas);
  num_inference_steps_ = static_cast<int>(timesteps_.size());
  step_index_ = -1;
}

std::vector<float> SigmaScheduler::add_noise(const std::vector<float>& original, const std::vector<float>& noise,
                                             const std::vector<double>& ts) const {
  const std::string f = steps_name(cls_, "addNoise");
  const char* fn = f.c_str();
  require(num_inference_steps_ > 0, fn, "numInferenceSteps", "be set by setTimesteps first", "null");
  require(noise.size() == original.size(), fn, "noise.length", "equal original.length = " + std::to_string(original.size()),
          noise.size());
  require(!ts.empty() && original.size() % ts.size() == 0, fn, "timestep.length",
          "be >= 1 and divide original.length = " + std::to_string(original.size()), ts.size());
  require_finite(original, fn, "original");
  require_finite(noise, fn, "noise");
  const bool euler = std::string(cls_).rfind("Euler", 0) == 0;
  std::vector<float> out(original.size());
  const std::size_t m = original.size() / ts.size();
  for (std::size_t b = 0; b < ts.size(); ++b) {
    const float s = sigmas_[static_cast<std::size_t>(index_for_timestep(ts[b], fn))];
    const AlphaSigma as = alpha_sigma(s);
    for (std::size_t i = b * m; i < (b + 1) * m; ++i)
      out[i] = euler ? original[i] + noise[i] * s                         // x_σ = x_0 + σε (EDM eq. 1)
                     : as.alpha * original[i] + as.sigma * noise[i];      // x_t = α_t x_0 + σ_t ε
  }
  return out;
}

// ---- Euler family: the pieces Euler and Euler ancestral share --------------------------------------------

void SigmaScheduler::euler_training_schedule() {
  const int T = config_.base.num_train_timesteps;
  for (int t = T - 1; t >= 0; --t) {
    timesteps_.push_back(t);
    sigmas_.push_back(train_sigmas_[static_cast<std::size_t>(t)]);
  }
  sigmas_.push_back(0.0f);
}

float SigmaScheduler::euler_init_noise_sigma() const {
  const float mx = *std::max_element(sigmas_.begin(), sigmas_.end());
  const TimestepSpacing sp = config_.base.timestep_spacing;
  return sp == TimestepSpacing::linspace || sp == TimestepSpacing::trailing ? mx : std::sqrt(mx * mx + 1.0f);
}

std::vector<double> SigmaScheduler::euler_timesteps(int n, const char* fn) const {
  const int T = config_.base.num_train_timesteps;
  require(n >= 1 && n <= T, fn, "numInferenceSteps", "be an integer in [1, numTrainTimesteps = " + std::to_string(T) + "]", n);
  std::vector<double> ts;  // float32 values, as the reference's np.float32 timesteps
  if (config_.base.timestep_spacing == TimestepSpacing::linspace) {
    const auto y = np_linspace(0, T - 1, n);
    for (int i = n - 1; i >= 0; --i) ts.push_back(static_cast<float>(y[static_cast<std::size_t>(i)]));
  } else {
    for (int t : spaced_timesteps(T, n, config_.base.timestep_spacing, config_.base.steps_offset))
      ts.push_back(static_cast<float>(t));
  }
  return ts;
}

std::vector<float> SigmaScheduler::euler_scale_model_input(const std::vector<float>& x, double t, const char* fn) const {
  require(num_inference_steps_ > 0, fn, "numInferenceSteps", "be set by setTimesteps first", "null");
  const int i = step_index_ >= 0 && step_index_ < static_cast<int>(timesteps_.size()) &&
                        timesteps_[static_cast<std::size_t>(step_index_)] == t
                    ? step_index_
                    : index_for_timestep(t, fn);
  require_finite(x, fn, "sample");
  const float s = sigmas_[static_cast<std::size_t>(i)];
  const float c = std::sqrt(s * s + 1.0f);  // c_in = 1/√(σ²+1) (EDM Table 1)
  std::vector<float> out(x.size());
  for (std::size_t k = 0; k < x.size(); ++k) out[k] = x[k] / c;
  return out;
}

// ---- Euler ---------------------------------------------------------------------------------------------

EulerDiscreteScheduler::EulerDiscreteScheduler(const SigmaSchedulerConfig& c)
    : SigmaScheduler(c, "EulerDiscreteScheduler") {
  euler_training_schedule();
}

float EulerDiscreteScheduler::init_noise_sigma() const { return euler_init_noise_sigma(); }

void EulerDiscreteScheduler::set_timesteps(int n) { build(euler_timesteps(n, "EulerDiscreteScheduler.setTimesteps"), n); }

void EulerDiscreteScheduler::set_custom_timesteps(const std::vector<double>& custom) {
  check_custom(custom, false, "EulerDiscreteScheduler.setTimesteps");
  std::vector<double> ts;
  for (double t : custom) ts.push_back(static_cast<float>(t));  // np.array(timesteps).astype(np.float32)
  build(std::move(ts), static_cast<int>(custom.size()));
}

void EulerDiscreteScheduler::build(std::vector<double> ts, int n) {
  std::vector<double> s = np_interp_grid(ts, train_sigmas_);  // σ at the (fractional) timesteps, float64
  if (config_.interpolation_type == InterpolationType::log_linear) {
    // torch.linspace(log σ_last, log σ_first, n+1).exp() in float32: n+1 values (the reference's own count).
    const auto l = torch_linspace_f32(std::log(s.back()), std::log(s.front()), n + 1);
    s.assign(l.size(), 0.0);
    for (std::size_t i = 0; i < l.size(); ++i) s[i] = std::exp(l[i]);
  }
  if (config_.use_karras_sigmas) {
    s = karras_sigmas(config_.sigma_min.value_or(s.back()), config_.sigma_max.value_or(s.front()), n);
    ts.clear();
    for (double v : s) ts.push_back(static_cast<float>(sigma_to_t(v, log_train_sigmas_)));
  }
  const float a0 = alphas_cumprod_[0];
  const float last = config_.final_sigmas_type == FinalSigmasType::sigma_min ? std::sqrt((1.0f - a0) / a0) : 0.0f;
  std::vector<float> sig(s.begin(), s.end());
  sig.push_back(last);
  reset_schedule(std::move(ts), std::move(sig));
}

std::vector<float> EulerDiscreteScheduler::scale_model_input(const std::vector<float>& x, double t) {
  return euler_scale_model_input(x, t, "EulerDiscreteScheduler.scaleModelInput");
}

StepOutput EulerDiscreteScheduler::step(const std::vector<float>& mo, double t, const std::vector<float>& x,
                                        const StepOptions& o) {
  const char* fn = "EulerDiscreteScheduler.step";
  check_sample(mo, x, o.batch, fn);
  const auto i = static_cast<std::size_t>(enter_step(t, fn));
  const float sigma = sigmas_[i];
  const float sigma_hat = sigma;  // s_churn = 0: γ = 0
  const std::size_t n = x.size();
  StepOutput out;
  out.pred_original_sample.resize(n);
  auto& x0 = out.pred_original_sample;
  switch (config_.base.prediction_type) {
    case PredictionType::epsilon:  // x̂_0 = x − σ ε̂ (EDM's D = x − σF for ε-models)
      for (std::size_t k = 0; k < n; ++k) x0[k] = x[k] - sigma_hat * mo[k];
      break;
    case PredictionType::sample:
      x0 = mo;
      break;
    case PredictionType::v_prediction: {  // x̂_0 = −σ/√(σ²+1)·v + x/(σ²+1)
      const float cv = -sigma / std::sqrt(sigma * sigma + 1.0f), cx = sigma * sigma + 1.0f;
      for (std::size_t k = 0; k < n; ++k) x0[k] = mo[k] * cv + x[k] / cx;
      break;
    }
  }
  // dx/dσ = (x − x̂_0)/σ (EDM eq. 3 with σ(t) = t); one Euler step to σ_{i+1}.
  const float dt = sigmas_[i + 1] - sigma_hat;
  out.prev_sample.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const float d = (x[k] - x0[k]) / sigma_hat;
    out.prev_sample[k] = x[k] + d * dt;
  }
  ++step_index_;
  return out;
}

// ---- Euler ancestral -----------------------------------------------------------------------------------

EulerAncestralDiscreteScheduler::EulerAncestralDiscreteScheduler(const SigmaSchedulerConfig& c)
    : SigmaScheduler(c, "EulerAncestralDiscreteScheduler") {
  require(c.base.prediction_type != PredictionType::sample, "EulerAncestralDiscreteScheduler", "config.predictionType",
          "be 'epsilon' or 'v_prediction' (the reference raises NotImplementedError for 'sample')", "sample");
  euler_training_schedule();
}

float EulerAncestralDiscreteScheduler::init_noise_sigma() const { return euler_init_noise_sigma(); }

void EulerAncestralDiscreteScheduler::set_timesteps(int n) {
  std::vector<double> ts = euler_timesteps(n, "EulerAncestralDiscreteScheduler.setTimesteps");
  const std::vector<double> s = np_interp_grid(ts, train_sigmas_);
  std::vector<float> sig(s.begin(), s.end());
  sig.push_back(0.0f);
  reset_schedule(std::move(ts), std::move(sig));
}

std::vector<float> EulerAncestralDiscreteScheduler::scale_model_input(const std::vector<float>& x, double t) {
  return euler_scale_model_input(x, t, "EulerAncestralDiscreteScheduler.scaleModelInput");
}

StepOutput EulerAncestralDiscreteScheduler::step(const std::vector<float>& mo, double t, const std::vector<float>& x,
                                                 const StepOptions& o) {
  const char* fn = "EulerAncestralDiscreteScheduler.step";
  check_sample(mo, x, o.batch, fn);
  if (o.variance_noise) noise_for(o, x.size(), fn);  // validate before the counter moves
  const auto i = static_cast<std::size_t>(enter_step(t, fn));
  const float sigma = sigmas_[i];
  const std::size_t n = x.size();
  StepOutput out;
  out.pred_original_sample.resize(n);
  auto& x0 = out.pred_original_sample;
  if (config_.base.prediction_type == PredictionType::epsilon) {
    for (std::size_t k = 0; k < n; ++k) x0[k] = x[k] - sigma * mo[k];
  } else {
    const float cv = -sigma / std::sqrt(sigma * sigma + 1.0f), cx = sigma * sigma + 1.0f;
    for (std::size_t k = 0; k < n; ++k) x0[k] = mo[k] * cv + x[k] / cx;
  }
  // σ_up = √(σ_to²(σ_from² − σ_to²)/σ_from²), σ_down = √(σ_to² − σ_up²): the ancestral split of the
  // DDPM posterior's variance (k-diffusion get_ancestral_step with η = 1).
  const float sf = sigmas_[i], st = sigmas_[i + 1];
  const float sigma_up = std::sqrt(st * st * (sf * sf - st * st) / (sf * sf));
  const float sigma_down = std::sqrt(st * st - sigma_up * sigma_up);
  const float dt = sigma_down - sigma;
  const std::vector<float> z = noise_for(o, n, fn);  // drawn at every step, as the reference does
  out.prev_sample.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const float d = (x[k] - x0[k]) / sigma;
    const float p = x[k] + d * dt;
    out.prev_sample[k] = p + z[k] * sigma_up;
  }
  ++step_index_;
  return out;
}

// ---- DPM-Solver multistep ------------------------------------------------------------------------------

namespace {
SigmaSchedulerConfig dpm_config(SigmaSchedulerConfig c) {
  const char* fn = "DPMSolverMultistepScheduler";
  // The reference maps UniPC's solver types to 'midpoint' (register_to_config), so configs transfer.
  if (!c.solver_type || *c.solver_type == SolverType::bh1 || *c.solver_type == SolverType::bh2)
    c.solver_type = SolverType::midpoint;
  const bool plus = c.algorithm_type == AlgorithmType::dpmsolver_pp || c.algorithm_type == AlgorithmType::sde_dpmsolver_pp;
  if (!plus && c.final_sigmas_type == FinalSigmasType::zero)
    fail(fn, "config.finalSigmasType", std::string("be 'sigma_min' with algorithmType '") + to_string(c.algorithm_type) +
                                           "' (σ = 0 has no noise prediction)",
         "zero");
  if (c.algorithm_type == AlgorithmType::sde_dpmsolver && c.solver_order == 3)
    fail(fn, "config.solverOrder", "be 1 or 2 with algorithmType 'sde-dpmsolver' (the reference has no third-order SDE-DPM-Solver)", 3);
  return c;
}
SigmaSchedulerConfig unipc_config(SigmaSchedulerConfig c) {
  if (!c.solver_type || *c.solver_type == SolverType::midpoint || *c.solver_type == SolverType::heun)
    c.solver_type = SolverType::bh2;  // the reference's mapping of DPM-Solver types
  return c;
}

// x̂_0 (or ε̂) from the raw model output at σ (convert_model_output; DPM-Solver++ §3.3, data prediction).
std::vector<float> convert_output(const std::vector<float>& mo, const std::vector<float>& x, float sigma,
                                  const SchedulerConfig& c, bool want_x0, std::size_t batch) {
  const AlphaSigma as = alpha_sigma(sigma);
  const std::size_t n = x.size();
  std::vector<float> r(n);
  if (want_x0) {
    switch (c.prediction_type) {
      case PredictionType::epsilon:
        for (std::size_t k = 0; k < n; ++k) r[k] = (x[k] - as.sigma * mo[k]) / as.alpha;
        break;
      case PredictionType::sample:
        r = mo;
        break;
      case PredictionType::v_prediction:
        for (std::size_t k = 0; k < n; ++k) r[k] = as.alpha * x[k] - as.sigma * mo[k];
        break;
    }
    if (c.thresholding) r = threshold_sample(r, batch, c.dynamic_thresholding_ratio, c.sample_max_value);
    return r;
  }
  switch (c.prediction_type) {
    case PredictionType::epsilon:
      r = mo;
      break;
    case PredictionType::sample:
      for (std::size_t k = 0; k < n; ++k) r[k] = (x[k] - as.alpha * mo[k]) / as.sigma;
      break;
    case PredictionType::v_prediction:
      for (std::size_t k = 0; k < n; ++k) r[k] = as.alpha * mo[k] + as.sigma * x[k];
      break;
  }
  if (c.thresholding) {
    std::vector<float> x0(n);
    for (std::size_t k = 0; k < n; ++k) x0[k] = (x[k] - as.sigma * r[k]) / as.alpha;
    x0 = threshold_sample(x0, batch, c.dynamic_thresholding_ratio, c.sample_max_value);
    for (std::size_t k = 0; k < n; ++k) r[k] = (x[k] - as.alpha * x0[k]) / as.sigma;
  }
  return r;
}

std::vector<float> x0_from_eps(const std::vector<float>& eps, const std::vector<float>& x, float sigma) {
  const AlphaSigma as = alpha_sigma(sigma);
  std::vector<float> r(x.size());
  for (std::size_t k = 0; k < x.size(); ++k) r[k] = (x[k] - as.sigma * eps[k]) / as.alpha;
  return r;
}
}  // namespace

DPMSolverMultistepScheduler::DPMSolverMultistepScheduler(const SigmaSchedulerConfig& c)
    : SigmaScheduler(dpm_config(c), "DPMSolverMultistepScheduler") {
  const int T = c.base.num_train_timesteps;
  for (int t = T - 1; t >= 0; --t) timesteps_.push_back(t);
  sigmas_ = train_sigmas_;
  model_outputs_.assign(static_cast<std::size_t>(c.solver_order), {});
}

void DPMSolverMultistepScheduler::set_timesteps(int n) {
  const char* fn = "DPMSolverMultistepScheduler.setTimesteps";
  std::vector<double> ts = multistep_timesteps(n, fn);
  std::vector<double> s;
  if (config_.use_karras_sigmas) {
    s = karras_sigmas(train_sigmas_.front(), train_sigmas_.back(), n);
    ts.clear();
    const bool cosine = config_.base.beta_schedule == BetaSchedule::squaredcos_cap_v2;
    // Rounded, except for the cosine schedule, whose float timesteps the int64 cast truncates.
    for (double v : s) ts.push_back(cosine ? std::trunc(sigma_to_t(v, log_train_sigmas_)) : std::nearbyint(sigma_to_t(v, log_train_sigmas_)));
  } else {
    s = np_interp_grid(ts, train_sigmas_);
  }
  const float a0 = alphas_cumprod_[0];
  const float last = config_.final_sigmas_type == FinalSigmasType::sigma_min ? std::sqrt((1.0f - a0) / a0) : 0.0f;
  std::vector<float> sig(s.begin(), s.end());
  sig.push_back(last);
  reset_schedule(std::move(ts), std::move(sig));
  model_outputs_.assign(static_cast<std::size_t>(config_.solver_order), {});
  lower_order_nums_ = 0;
}

StepOutput DPMSolverMultistepScheduler::step(const std::vector<float>& mo, double t, const std::vector<float>& x,
                                             const StepOptions& o) {
  const char* fn = "DPMSolverMultistepScheduler.step";
  check_sample(mo, x, o.batch, fn);
  const AlgorithmType algo = config_.algorithm_type;
  const bool sde = algo == AlgorithmType::sde_dpmsolver_pp || algo == AlgorithmType::sde_dpmsolver;
  const bool plus = algo == AlgorithmType::dpmsolver_pp || algo == AlgorithmType::sde_dpmsolver_pp;
  if (sde && o.variance_noise) noise_for(o, x.size(), fn);  // validate before the counter moves
  const int i = enter_step(t, fn);
  const int steps = static_cast<int>(timesteps_.size());
  const bool short_run = config_.lower_order_final && steps < 15;
  const bool lower_final = i == steps - 1 && (config_.euler_at_final || short_run ||
                                              config_.final_sigmas_type == FinalSigmasType::zero);
  const bool lower_second = i == steps - 2 && short_run;

  const auto ui = static_cast<std::size_t>(i);
  const std::vector<float> m = convert_output(mo, x, sigmas_[ui], config_.base, plus, o.batch);
  std::rotate(model_outputs_.begin(), model_outputs_.begin() + 1, model_outputs_.end());
  model_outputs_.back() = m;
  std::vector<float> z;
  if (sde) z = noise_for(o, x.size(), fn);

  const std::size_t n = x.size();
  const int order = config_.solver_order;
  const SolverType solver = *config_.solver_type;
  const AlphaSigma at = alpha_sigma(sigmas_[ui + 1]), s0 = alpha_sigma(sigmas_[ui]);
  const float h = at.lambda - s0.lambda;
  StepOutput out;
  out.prev_sample.resize(n);
  auto& y = out.prev_sample;
  // Coefficients named as in DPM-Solver++ (Lu et al. 2022b): A·x + B·D0 + C·D1 + E·D2 + G·z.
  if (order == 1 || lower_order_nums_ < 1 || lower_final) {
    // First order = DDIM (DPM-Solver++ eq. 5 with k = 1; post 4 §4.4 with σ = 0).
    float A = 0, B = 0, G = 0;
    switch (algo) {
      case AlgorithmType::dpmsolver_pp: A = at.sigma / s0.sigma; B = -(at.alpha * (std::exp(-h) - 1.0f)); break;
      case AlgorithmType::dpmsolver: A = at.alpha / s0.alpha; B = -(at.sigma * (std::exp(h) - 1.0f)); break;
      case AlgorithmType::sde_dpmsolver_pp:
        A = at.sigma / s0.sigma * std::exp(-h);
        B = at.alpha * (1 - std::exp(-2.0f * h));
        G = at.sigma * std::sqrt(1.0f - std::exp(-2 * h));
        break;
      case AlgorithmType::sde_dpmsolver:
        A = at.alpha / s0.alpha;
        B = -(2.0f * (at.sigma * (std::exp(h) - 1.0f)));
        G = at.sigma * std::sqrt(std::exp(2 * h) - 1.0f);
        break;
    }
    for (std::size_t k = 0; k < n; ++k) y[k] = A * x[k] + B * m[k];
    if (sde)
      for (std::size_t k = 0; k < n; ++k) y[k] = y[k] + G * z[k];
  } else if (order == 2 || lower_order_nums_ < 2 || lower_second) {
    const AlphaSigma s1 = alpha_sigma(sigmas_[ui - 1]);
    const auto& m0 = model_outputs_[model_outputs_.size() - 1];
    const auto& m1 = model_outputs_[model_outputs_.size() - 2];
    const float h0 = s0.lambda - s1.lambda;
    const float r0 = h0 / h;
    const float inv_r0 = 1.0f / r0;
    float A = 0, B = 0, C = 0, G = 0;
    const float em = std::exp(-h), ep = std::exp(h), e2 = std::exp(-2.0f * h);
    switch (algo) {  // DPM-Solver++(2M) (Algorithm 2) / DPM-Solver-2M and their SDE forms
      case AlgorithmType::dpmsolver_pp:
        A = at.sigma / s0.sigma;
        B = -(at.alpha * (em - 1.0f));
        C = solver == SolverType::midpoint ? -(0.5f * (at.alpha * (em - 1.0f))) : at.alpha * ((em - 1.0f) / h + 1.0f);
        break;
      case AlgorithmType::dpmsolver:
        A = at.alpha / s0.alpha;
        B = -(at.sigma * (ep - 1.0f));
        C = solver == SolverType::midpoint ? -(0.5f * (at.sigma * (ep - 1.0f))) : -(at.sigma * ((ep - 1.0f) / h - 1.0f));
        break;
      case AlgorithmType::sde_dpmsolver_pp:
        A = at.sigma / s0.sigma * em;
        B = at.alpha * (1 - e2);
        C = solver == SolverType::midpoint ? 0.5f * (at.alpha * (1 - e2)) : at.alpha * ((1.0f - e2) / (-2.0f * h) + 1.0f);
        G = at.sigma * std::sqrt(1.0f - e2);
        break;
      case AlgorithmType::sde_dpmsolver:
        A = at.alpha / s0.alpha;
        B = -(2.0f * (at.sigma * (ep - 1.0f)));
        C = solver == SolverType::midpoint ? -(at.sigma * (ep - 1.0f)) : -(2.0f * (at.sigma * ((ep - 1.0f) / h - 1.0f)));
        G = at.sigma * std::sqrt(std::exp(2 * h) - 1.0f);
        break;
    }
    for (std::size_t k = 0; k < n; ++k) {
      const float d1 = inv_r0 * (m0[k] - m1[k]);
      y[k] = A * x[k] + B * m0[k] + C * d1;
    }
    if (sde)
      for (std::size_t k = 0; k < n; ++k) y[k] = y[k] + G * z[k];
  } else {
    const AlphaSigma s1 = alpha_sigma(sigmas_[ui - 1]), s2 = alpha_sigma(sigmas_[ui - 2]);
    const auto& m0 = model_outputs_[model_outputs_.size() - 1];
    const auto& m1 = model_outputs_[model_outputs_.size() - 2];
    const auto& m2 = model_outputs_[model_outputs_.size() - 3];
    const float h0 = s0.lambda - s1.lambda, h1 = s1.lambda - s2.lambda;
    const float r0 = h0 / h, r1 = h1 / h;
    const float inv_r0 = 1.0f / r0, inv_r1 = 1.0f / r1, w = r0 / (r0 + r1), inv_r01 = 1.0f / (r0 + r1);
    const float em = std::exp(-h), ep = std::exp(h), e2 = std::exp(-2.0f * h);
    float A = 0, B = 0, C = 0, E = 0, G = 0;
    switch (algo) {  // DPM-Solver++(3M) / DPM-Solver-3M (Lu et al. 2022a eq. 3.x, multistep form)
      case AlgorithmType::dpmsolver_pp:
        A = at.sigma / s0.sigma;
        B = -(at.alpha * (em - 1.0f));
        C = at.alpha * ((em - 1.0f) / h + 1.0f);
        E = -(at.alpha * ((em - 1.0f + h) / (h * h) - 0.5f));
        break;
      case AlgorithmType::dpmsolver:
        A = at.alpha / s0.alpha;
        B = -(at.sigma * (ep - 1.0f));
        C = -(at.sigma * ((ep - 1.0f) / h - 1.0f));
        E = -(at.sigma * ((ep - 1.0f - h) / (h * h) - 0.5f));
        break;
      case AlgorithmType::sde_dpmsolver_pp:
        A = at.sigma / s0.sigma * em;
        B = at.alpha * (1.0f - e2);
        C = at.alpha * ((1.0f - e2) / (-2.0f * h) + 1.0f);
        E = at.alpha * ((1.0f - e2 - 2.0f * h) / ((2.0f * h) * (2.0f * h)) - 0.5f);
        G = at.sigma * std::sqrt(1.0f - e2);
        break;
      case AlgorithmType::sde_dpmsolver:
        break;  // refused by the constructor
    }
    for (std::size_t k = 0; k < n; ++k) {
      const float d10 = inv_r0 * (m0[k] - m1[k]), d11 = inv_r1 * (m1[k] - m2[k]);
      const float d1 = d10 + w * (d10 - d11);
      const float d2 = inv_r01 * (d10 - d11);
      y[k] = A * x[k] + B * m0[k] + C * d1 + E * d2;
    }
    if (sde)
      for (std::size_t k = 0; k < n; ++k) y[k] = y[k] + G * z[k];
  }
  if (lower_order_nums_ < order) ++lower_order_nums_;
  out.pred_original_sample = plus ? m : x0_from_eps(m, x, sigmas_[ui]);
  ++step_index_;
  return out;
}

void DPMSolverMultistepScheduler::set_custom_timesteps(const std::vector<double>& ts) {
  check_custom(ts, true, "DPMSolverMultistepScheduler.setTimesteps");
  const std::vector<double> s = np_interp_grid(ts, train_sigmas_);
  const float a0 = alphas_cumprod_[0];
  const float last = config_.final_sigmas_type == FinalSigmasType::sigma_min ? std::sqrt((1.0f - a0) / a0) : 0.0f;
  std::vector<float> sig(s.begin(), s.end());
  sig.push_back(last);
  reset_schedule(ts, std::move(sig));
  model_outputs_.assign(static_cast<std::size_t>(config_.solver_order), {});
  lower_order_nums_ = 0;
}

// ---- UniPC multistep -----------------------------------------------------------------------------------

UniPCMultistepScheduler::UniPCMultistepScheduler(const SigmaSchedulerConfig& c)
    : SigmaScheduler(unipc_config(c), "UniPCMultistepScheduler") {
  const int T = c.base.num_train_timesteps;
  for (int t = T - 1; t >= 0; --t) timesteps_.push_back(t);
  sigmas_ = train_sigmas_;
  model_outputs_.assign(static_cast<std::size_t>(c.solver_order), {});
}

void UniPCMultistepScheduler::set_timesteps(int n) {
  const char* fn = "UniPCMultistepScheduler.setTimesteps";
  std::vector<double> ts = multistep_timesteps(n, fn);
  std::vector<float> sig;
  if (config_.use_karras_sigmas) {
    const std::vector<double> s = karras_sigmas(config_.sigma_min.value_or(train_sigmas_.front()),
                                                config_.sigma_max.value_or(train_sigmas_.back()), n);
    ts.clear();
    for (double v : s) ts.push_back(std::nearbyint(sigma_to_t(v, log_train_sigmas_)));
    sig.assign(s.begin(), s.end());
    sig.push_back(config_.final_sigmas_type == FinalSigmasType::sigma_min ? static_cast<float>(s.back()) : 0.0f);
  } else {
    const std::vector<double> s = np_interp_grid(ts, train_sigmas_);
    sig.assign(s.begin(), s.end());
    const float a0 = alphas_cumprod_[0];
    sig.push_back(config_.final_sigmas_type == FinalSigmasType::sigma_min ? std::sqrt((1.0f - a0) / a0) : 0.0f);
  }
  reset_schedule(std::move(ts), std::move(sig));
  model_outputs_.assign(static_cast<std::size_t>(config_.solver_order), {});
  last_sample_.clear();
  lower_order_nums_ = 0;
  this_order_ = 0;
}

namespace {
// The B(h)-weighted coefficient system shared by UniP and UniC (Zhao et al. 2023, Algorithms 1–2):
// R[i][k] = r_k^i, b_i = i!·φ_{i+1}(hh)/B(h) with φ built by φ_{k+1} = φ_k/hh − 1/(k+1)!.
struct UniCoeffs {
  float h_phi_1, B_h;
  std::vector<std::vector<double>> R;
  std::vector<double> b;
};
UniCoeffs uni_coeffs(float h, bool predict_x0, SolverType st, const std::vector<float>& rks, int order) {
  const float hh = predict_x0 ? -h : h;
  UniCoeffs c;
  c.h_phi_1 = std::expm1(hh);  // h·φ_1(h) = e^h − 1
  float h_phi_k = c.h_phi_1 / hh - 1.0f;
  int factorial = 1;
  c.B_h = st == SolverType::bh1 ? hh : std::expm1(hh);
  for (int i = 1; i <= order; ++i) {
    std::vector<double> row;
    for (float r : rks) row.push_back(i == 1 ? 1.0f : (i == 2 ? r : r * r));
    c.R.push_back(row);
    c.b.push_back(h_phi_k * static_cast<float>(factorial) / c.B_h);
    factorial *= i + 1;
    h_phi_k = h_phi_k / hh - static_cast<float>(1.0 / factorial);
  }
  return c;
}
}  // namespace

std::vector<float> UniPCMultistepScheduler::uni_p(const std::vector<float>& x, int order) const {
  const auto i = static_cast<std::size_t>(step_index_);
  const auto& m0 = model_outputs_.back();
  const AlphaSigma at = alpha_sigma(sigmas_[i + 1]), s0 = alpha_sigma(sigmas_[i]);
  const float h = at.lambda - s0.lambda;
  std::vector<float> rks;
  std::vector<std::vector<float>> d1s;
  for (int k = 1; k < order; ++k) {
    const AlphaSigma sk = alpha_sigma(sigmas_[i - static_cast<std::size_t>(k)]);
    const auto& mk = model_outputs_[model_outputs_.size() - 1 - static_cast<std::size_t>(k)];
    const float rk = (sk.lambda - s0.lambda) / h;
    rks.push_back(rk);
    std::vector<float> d(x.size());
    for (std::size_t j = 0; j < x.size(); ++j) d[j] = (mk[j] - m0[j]) / rk;
    d1s.push_back(std::move(d));
  }
  rks.push_back(1.0f);
  const UniCoeffs c = uni_coeffs(h, config_.predict_x0, *config_.solver_type, rks, order);
  std::vector<float> rhos;
  if (!d1s.empty()) {
    if (order == 2) {
      rhos = {0.5f};
    } else {
      std::vector<std::vector<double>> R(c.R.begin(), c.R.end() - 1);
      for (auto& row : R) row.pop_back();
      rhos = solve_small(R, std::vector<double>(c.b.begin(), c.b.end() - 1));
    }
  }
  const bool px0 = config_.predict_x0;
  const float A = px0 ? at.sigma / s0.sigma : at.alpha / s0.alpha;
  const float B = px0 ? at.alpha * c.h_phi_1 : at.sigma * c.h_phi_1;
  const float C = px0 ? at.alpha * c.B_h : at.sigma * c.B_h;
  std::vector<float> y(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    const float base = A * x[j] - B * m0[j];
    if (d1s.empty()) {
      y[j] = base;
    } else {
      float res = 0;
      for (std::size_t k = 0; k < d1s.size(); ++k) res = k == 0 ? rhos[0] * d1s[0][j] : res + rhos[k] * d1s[k][j];
      y[j] = base - C * res;
    }
  }
  return y;
}

std::vector<float> UniPCMultistepScheduler::uni_c(const std::vector<float>& model_t, const std::vector<float>& xl,
                                                  const std::vector<float>& /*this_sample*/, int order) const {
  const auto i = static_cast<std::size_t>(step_index_);
  const auto& m0 = model_outputs_.back();
  const AlphaSigma at = alpha_sigma(sigmas_[i]), s0 = alpha_sigma(sigmas_[i - 1]);
  const float h = at.lambda - s0.lambda;
  std::vector<float> rks;
  std::vector<std::vector<float>> d1s;
  for (int k = 1; k < order; ++k) {
    const AlphaSigma sk = alpha_sigma(sigmas_[i - static_cast<std::size_t>(k + 1)]);
    const auto& mk = model_outputs_[model_outputs_.size() - 1 - static_cast<std::size_t>(k)];
    const float rk = (sk.lambda - s0.lambda) / h;
    rks.push_back(rk);
    std::vector<float> d(xl.size());
    for (std::size_t j = 0; j < xl.size(); ++j) d[j] = (mk[j] - m0[j]) / rk;
    d1s.push_back(std::move(d));
  }
  rks.push_back(1.0f);
  const UniCoeffs c = uni_coeffs(h, config_.predict_x0, *config_.solver_type, rks, order);
  const std::vector<float> rhos = order == 1 ? std::vector<float>{0.5f} : solve_small(c.R, c.b);
  const bool px0 = config_.predict_x0;
  const float A = px0 ? at.sigma / s0.sigma : at.alpha / s0.alpha;
  const float B = px0 ? at.alpha * c.h_phi_1 : at.sigma * c.h_phi_1;
  const float C = px0 ? at.alpha * c.B_h : at.sigma * c.B_h;
  const float r_last = rhos.back();
  std::vector<float> y(xl.size());
  for (std::size_t j = 0; j < xl.size(); ++j) {
    const float base = A * xl[j] - B * m0[j];
    float res = 0;
    for (std::size_t k = 0; k < d1s.size(); ++k) res = k == 0 ? rhos[0] * d1s[0][j] : res + rhos[k] * d1s[k][j];
    const float d1t = model_t[j] - m0[j];
    y[j] = base - C * (res + r_last * d1t);
  }
  return y;
}

StepOutput UniPCMultistepScheduler::step(const std::vector<float>& mo, double t, const std::vector<float>& x_in,
                                         const StepOptions& o) {
  const char* fn = "UniPCMultistepScheduler.step";
  check_sample(mo, x_in, o.batch, fn);
  const int i = enter_step(t, fn);
  const auto ui = static_cast<std::size_t>(i);
  const bool use_corrector = i > 0 && !last_sample_.empty();
  const std::vector<float> mc = convert_output(mo, x_in, sigmas_[ui], config_.base, config_.predict_x0, o.batch);
  std::vector<float> x = use_corrector ? uni_c(mc, last_sample_, x_in, this_order_) : x_in;  // UniC (Alg. 2)
  std::rotate(model_outputs_.begin(), model_outputs_.begin() + 1, model_outputs_.end());
  model_outputs_.back() = mc;
  const int order = config_.solver_order;
  const int steps = static_cast<int>(timesteps_.size());
  const int wanted = config_.lower_order_final ? std::min(order, steps - i) : order;
  this_order_ = std::min(wanted, lower_order_nums_ + 1);  // warm-up for the multistep history
  StepOutput out;
  out.prev_sample = uni_p(x, this_order_);  // UniP (Alg. 1)
  last_sample_ = std::move(x);
  if (lower_order_nums_ < order) ++lower_order_nums_;
  out.pred_original_sample = config_.predict_x0 ? mc : x0_from_eps(mc, x_in, sigmas_[ui]);
  ++step_index_;
  return out;
}

}  // namespace probwasm::diffusion
