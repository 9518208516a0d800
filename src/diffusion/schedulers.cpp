// DDIM / DDPM schedulers with diffusers' semantics (post 4 §4.2–4.4; see schedulers.hpp). Every float32
// expression below follows the reference's operand order, so results agree with torch.float32 on CPU to
// the rounding of its libm (sqrt, +, −, ×, ÷ are exact IEEE operations and agree bit for bit).
#include "diffusion/schedulers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/errors.hpp"
#include "diffusion/enum_names.hpp"
#include "common/prng.hpp"

namespace probwasm::diffusion {

namespace {

using detail::Names;
using detail::name_of;
using detail::parse;
constexpr Names<BetaSchedule> kBeta[] = {{BetaSchedule::linear, "linear"},
                                         {BetaSchedule::scaled_linear, "scaled_linear"},
                                         {BetaSchedule::squaredcos_cap_v2, "squaredcos_cap_v2"},
                                         {BetaSchedule::sigmoid, "sigmoid"}};
constexpr Names<PredictionType> kPred[] = {{PredictionType::epsilon, "epsilon"},
                                           {PredictionType::sample, "sample"},
                                           {PredictionType::v_prediction, "v_prediction"}};
constexpr Names<TimestepSpacing> kSpacing[] = {{TimestepSpacing::leading, "leading"},
                                               {TimestepSpacing::trailing, "trailing"},
                                               {TimestepSpacing::linspace, "linspace"}};
constexpr Names<VarianceType> kVar[] = {{VarianceType::fixed_small, "fixed_small"},
                                        {VarianceType::fixed_small_log, "fixed_small_log"},
                                        {VarianceType::fixed_large, "fixed_large"},
                                        {VarianceType::fixed_large_log, "fixed_large_log"},
                                        {VarianceType::learned, "learned"},
                                        {VarianceType::learned_range, "learned_range"}};


// np.round / rint: half to even under the default rounding mode.
double round_half_even(double x) { return std::nearbyint(x); }

void require_finite(const std::vector<float>& v, const char* fn, const char* name) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i])) fail(fn, indexed(name, i), "be finite", static_cast<double>(v[i]));
}

}  // namespace

BetaSchedule parse_beta_schedule(const std::string& s, const char* fn) { return parse(kBeta, s, fn, "config.betaSchedule"); }
PredictionType parse_prediction_type(const std::string& s, const char* fn) {
  return parse(kPred, s, fn, "config.predictionType");
}
TimestepSpacing parse_timestep_spacing(const std::string& s, const char* fn) {
  return parse(kSpacing, s, fn, "config.timestepSpacing");
}
VarianceType parse_variance_type(const std::string& s, const char* fn) { return parse(kVar, s, fn, "config.varianceType"); }
const char* to_string(BetaSchedule v) { return name_of(kBeta, v); }
const char* to_string(PredictionType v) { return name_of(kPred, v); }
const char* to_string(TimestepSpacing v) { return name_of(kSpacing, v); }
const char* to_string(VarianceType v) { return name_of(kVar, v); }

void validate(const SchedulerConfig& c, const char* fn) {
  // 10^7 steps bounds the float tables at 40 MB; real models use ≤ 4000.
  require(c.num_train_timesteps >= 1 && c.num_train_timesteps <= 10000000, fn, "config.numTrainTimesteps",
          "be an integer in [1, 10000000]", c.num_train_timesteps);
  require(std::isfinite(c.beta_start), fn, "config.betaStart", "be finite", c.beta_start);
  require(std::isfinite(c.beta_end), fn, "config.betaEnd", "be finite", c.beta_end);
  // β_t is a variance fraction of one step (DDPM eq. 2): the schedules the reference builds from betaStart and
  // betaEnd need 0 < β_start ≤ β_end < 1 (the cosine schedule ignores both).
  if (c.trained_betas.empty() && c.beta_schedule != BetaSchedule::squaredcos_cap_v2) {
    require(c.beta_start > 0 && c.beta_start < 1, fn, "config.betaStart", "be in (0, 1) (a variance fraction)",
            c.beta_start);
    require(c.beta_end > 0 && c.beta_end < 1, fn, "config.betaEnd", "be in (0, 1) (a variance fraction)", c.beta_end);
    require(c.beta_start <= c.beta_end, fn, "config.betaStart", "be <= config.betaEnd = " + format_value(c.beta_end),
            c.beta_start);
  }
  if (!c.trained_betas.empty()) {
    require(c.trained_betas.size() == static_cast<std::size_t>(c.num_train_timesteps), fn, "config.trainedBetas",
            "have numTrainTimesteps = " + std::to_string(c.num_train_timesteps) + " entries", c.trained_betas.size());
    for (std::size_t i = 0; i < c.trained_betas.size(); ++i)
      require(c.trained_betas[i] > 0 && c.trained_betas[i] < 1, fn, indexed("config.trainedBetas", i),
              "be in (0, 1) (a variance fraction)", c.trained_betas[i]);
  }
  require(std::isfinite(c.clip_sample_range) && c.clip_sample_range >= 0, fn, "config.clipSampleRange",
          "be a finite number >= 0", c.clip_sample_range);
  // The offset shifts 'leading' timesteps, which must stay below T (the reference indexes ᾱ with them).
  require(c.steps_offset >= 0 && c.steps_offset < c.num_train_timesteps, fn, "config.stepsOffset",
          "be an integer in [0, numTrainTimesteps − 1 = " + std::to_string(c.num_train_timesteps - 1) + "]", c.steps_offset);
  require(c.dynamic_thresholding_ratio >= 0 && c.dynamic_thresholding_ratio <= 1, fn, "config.dynamicThresholdingRatio",
          "be in [0, 1] (a quantile)", c.dynamic_thresholding_ratio);
  require(std::isfinite(c.sample_max_value) && c.sample_max_value > 0, fn, "config.sampleMaxValue",
          "be a positive finite number", c.sample_max_value);
  // With one step the shift-and-scale of Lin et al. divides 0 by 0.
  require(!c.rescale_betas_zero_snr || c.num_train_timesteps >= 2, fn, "config.numTrainTimesteps",
          "be >= 2 with rescaleBetasZeroSnr", c.num_train_timesteps);
}

// ---- schedule building blocks --------------------------------------------------------------------------

std::vector<float> torch_linspace_f32(double start, double end, int n) {
  std::vector<float> out(static_cast<std::size_t>(std::max(n, 0)));
  if (n <= 0) return out;
  const float s = static_cast<float>(start), e = static_cast<float>(end);
  if (n == 1) {
    out[0] = s;
    return out;
  }
  // RangeFactoriesKernel.cpp linspace_kernel: step = (end − start)/(steps − 1) in float, halfway = steps/2.
  const float step = (e - s) / static_cast<float>(n - 1);
  const int halfway = n / 2;
  for (int i = 0; i < n; ++i)
    out[static_cast<std::size_t>(i)] =
        i < halfway ? s + step * static_cast<float>(i) : e - step * static_cast<float>(n - i - 1);
  return out;
}

std::vector<float> betas_for_alpha_bar(int n, double max_beta) {
  const double pi = 3.14159265358979323846;
  auto alpha_bar = [pi](double t) {
    const double c = std::cos((t + 0.008) / 1.008 * pi / 2);
    return c * c;
  };
  std::vector<float> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double t1 = static_cast<double>(i) / n, t2 = static_cast<double>(i + 1) / n;
    out[static_cast<std::size_t>(i)] = static_cast<float>(std::min(1 - alpha_bar(t2) / alpha_bar(t1), max_beta));
  }
  return out;
}

std::vector<float> cumprod_f32(const std::vector<float>& x) {
  std::vector<float> out(x.size());
  double acc = 1.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    acc *= static_cast<double>(x[i]);
    out[i] = static_cast<float>(acc);
  }
  return out;
}

std::vector<float> rescale_zero_terminal_snr(const std::vector<float>& betas) {
  const std::size_t n = betas.size();
  if (n < 2) fail("rescale_zero_terminal_snr", "betas.length", "be >= 2", n);
  std::vector<float> a(n);
  for (std::size_t i = 0; i < n; ++i) a[i] = 1.0f - betas[i];
  std::vector<float> s = cumprod_f32(a);
  for (auto& v : s) v = std::sqrt(v);
  const float s0 = s[0], sT = s[n - 1];
  for (auto& v : s) v -= sT;
  const float scale = s0 / (s0 - sT);
  for (auto& v : s) v *= scale;
  std::vector<float> ab(n);
  for (std::size_t i = 0; i < n; ++i) ab[i] = s[i] * s[i];
  std::vector<float> out(n);
  out[0] = 1.0f - ab[0];
  for (std::size_t i = 1; i < n; ++i) out[i] = 1.0f - ab[i] / ab[i - 1];
  return out;
}

std::vector<float> make_betas(const SchedulerConfig& c) {
  std::vector<float> b;
  if (!c.trained_betas.empty()) {
    b.reserve(c.trained_betas.size());
    for (double v : c.trained_betas) b.push_back(static_cast<float>(v));
  } else if (c.beta_schedule == BetaSchedule::linear) {
    b = torch_linspace_f32(c.beta_start, c.beta_end, c.num_train_timesteps);
  } else if (c.beta_schedule == BetaSchedule::scaled_linear) {
    // "this schedule is very specific to the latent diffusion model": linspace of √β in float32, squared.
    b = torch_linspace_f32(std::sqrt(c.beta_start), std::sqrt(c.beta_end), c.num_train_timesteps);
    for (auto& v : b) v = v * v;
  } else if (c.beta_schedule == BetaSchedule::sigmoid) {
    // GeoDiff: sigmoid(linspace(−6, 6)) in float32, scaled by (β₁ − β₀) and shifted by β₀ (both cast to float).
    b = torch_linspace_f32(-6.0, 6.0, c.num_train_timesteps);
    const float scale = static_cast<float>(c.beta_end - c.beta_start), shift = static_cast<float>(c.beta_start);
    for (auto& v : b) v = 1.0f / (1.0f + std::exp(-v)) * scale + shift;
  } else {
    b = betas_for_alpha_bar(c.num_train_timesteps);
  }
  if (c.rescale_betas_zero_snr) b = rescale_zero_terminal_snr(b);
  return b;
}

std::vector<int> spaced_timesteps(int T, int n, TimestepSpacing spacing, int steps_offset) {
  const char* fn = "setTimesteps";
  require(n >= 1 && n <= T, fn, "numInferenceSteps", "be an integer in [1, numTrainTimesteps = " + std::to_string(T) + "]",
          n);
  std::vector<int> ts;
  if (spacing == TimestepSpacing::linspace) {
    // np.linspace(0, T−1, n): y_i = i·step, last = stop exactly; then .round() (half to even), reversed.
    ts.resize(static_cast<std::size_t>(n));
    const double stop = T - 1;
    const double step = n > 1 ? stop / (n - 1) : 0.0;
    for (int i = 0; i < n; ++i) {
      const double y = (n > 1 && i == n - 1) ? stop : static_cast<double>(i) * step;
      ts[static_cast<std::size_t>(n - 1 - i)] = static_cast<int>(round_half_even(y));
    }
  } else if (spacing == TimestepSpacing::leading) {
    const int ratio = T / n;
    // (n−1)·(T//n) + offset ≤ T − 1, else the last timestep has no ᾱ (an IndexError in the reference).
    require(static_cast<long long>(n - 1) * ratio + steps_offset < T, fn, "numInferenceSteps",
            "leave room for config.stepsOffset = " + std::to_string(steps_offset) + " ((n−1)·(T//n) + stepsOffset < " +
                std::to_string(T) + ")",
            n);
    ts.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) ts[static_cast<std::size_t>(n - 1 - i)] = i * ratio + steps_offset;
  } else {
    // np.arange(T, 0, −T/n): length ceil(T/(T/n)); numpy fills a[0] = start, a[1] = start + step and then
    // a[i] = start + i·(a[1] − a[0]). Then np.round (half to even), − 1.
    const double ratio = static_cast<double>(T) / n;
    const double len_d = std::ceil((0.0 - T) / -ratio);
    const auto len = static_cast<std::size_t>(len_d);
    std::vector<double> a(len);
    const double start = T;
    if (len > 0) a[0] = start;
    if (len > 1) a[1] = start + -ratio;
    const double delta = len > 1 ? a[1] - a[0] : -ratio;
    for (std::size_t i = 2; i < len; ++i) a[i] = start + static_cast<double>(i) * delta;
    ts.resize(len);
    for (std::size_t i = 0; i < len; ++i) ts[i] = static_cast<int>(round_half_even(a[i])) - 1;
  }
  return ts;
}

std::vector<float> threshold_sample(const std::vector<float>& x, std::size_t batch, double ratio, double max_value) {
  const char* fn = "threshold_sample";
  require(batch >= 1 && !x.empty() && x.size() % batch == 0, fn, "batch",
          "divide the sample's length " + std::to_string(x.size()), batch);
  const std::size_t m = x.size() / batch;
  std::vector<float> out(x.size()), row(m);
  const float q = static_cast<float>(ratio);
  const float hi = static_cast<float>(max_value);
  for (std::size_t b = 0; b < batch; ++b) {
    const float* in = x.data() + b * m;
    bool has_nan = false;
    for (std::size_t i = 0; i < m; ++i) {
      row[i] = std::fabs(in[i]);
      has_nan = has_nan || std::isnan(in[i]);
    }
    float s;
    if (has_nan) {
      s = std::numeric_limits<float>::quiet_NaN();  // torch.quantile returns NaN for a row with NaN
    } else {
      std::sort(row.begin(), row.end());
      // torch.quantile (linear): rank = q·(m−1) in the input dtype, lerp between floor and ceil ranks.
      const float rank = q * static_cast<float>(m - 1);
      const auto below = static_cast<std::size_t>(rank);
      const auto above = static_cast<std::size_t>(std::ceil(rank));
      const float w = rank - static_cast<float>(below);
      const float lo = row[below], up = row[std::min(above, m - 1)];
      s = w < 0.5f ? lo + w * (up - lo) : up - (up - lo) * (1.0f - w);  // torch's lerp
      s = std::min(std::max(s, 1.0f), hi);                               // clamp(min=1) then (max=hi)
    }
    for (std::size_t i = 0; i < m; ++i) {
      const float v = in[i];
      const float c = std::isnan(v) || std::isnan(s) ? std::numeric_limits<float>::quiet_NaN()
                                                      : std::min(std::max(v, -s), s);
      out[b * m + i] = c / s;
    }
  }
  return out;
}

// ---- random normals ------------------------------------------------------------------------------------

void NormalStream::reseed(std::uint64_t seed) {
  state_ = seed;
  has_spare_ = false;
  spare_ = 0.0;
}

// splitmix64 → uniform on (0, 1) → cached Box–Muller pairs, all from common/prng.hpp (the SplitMix64 stream).
double NormalStream::uniform() { return uniform_open(splitmix64(state_)); }

double NormalStream::next() {
  return cached_normal(has_spare_, spare_, [this] { return uniform(); });
}

std::vector<float> NormalStream::draw(std::size_t n) {
  std::vector<float> z(n);
  for (auto& v : z) v = static_cast<float>(next());
  return z;
}

// ---- Scheduler -----------------------------------------------------------------------------------------

Scheduler::Scheduler(const SchedulerConfig& c, const char* fn) : config_(c) {
  validate(c, fn);
  betas_ = make_betas(c);
  alphas_.resize(betas_.size());
  for (std::size_t i = 0; i < betas_.size(); ++i) alphas_[i] = 1.0f - betas_[i];
  alphas_cumprod_ = cumprod_f32(alphas_);
  // Before set_timesteps the reference's timesteps are arange(T)[::-1].
  timesteps_.resize(betas_.size());
  for (std::size_t i = 0; i < timesteps_.size(); ++i) timesteps_[i] = static_cast<int>(timesteps_.size() - 1 - i);
}

void Scheduler::check_timestep(int t, const char* fn) const {
  const int T = config_.num_train_timesteps;
  require(t >= -T && t < T, fn, "timestep",
          "be an integer in [-" + std::to_string(T) + ", " + std::to_string(T - 1) + "] (negative: from the end)", t);
}

float Scheduler::ac(int t) const {
  // torch indexing: alphas_cumprod[-1] is the last entry ('trailing' spacing can emit t = −1, see spaced_timesteps).
  const int T = config_.num_train_timesteps;
  return alphas_cumprod_[static_cast<std::size_t>(t < 0 ? t + T : t)];
}

std::vector<float> Scheduler::add_noise(const std::vector<float>& original, const std::vector<float>& noise,
                                        const std::vector<int>& ts) const {
  const char* fn = "addNoise";
  require(noise.size() == original.size(), fn, "noise.length", "equal original.length = " + std::to_string(original.size()),
          noise.size());
  require(!ts.empty() && original.size() % ts.size() == 0, fn, "timestep.length",
          "be >= 1 and divide original.length = " + std::to_string(original.size()), ts.size());
  require_finite(original, fn, "original");
  require_finite(noise, fn, "noise");
  for (int t : ts) check_timestep(t, fn);
  std::vector<float> out(original.size());
  const std::size_t m = original.size() / ts.size();
  for (std::size_t b = 0; b < ts.size(); ++b) {
    const float a = ac(ts[b]);
    const float sa = std::sqrt(a), sb = std::sqrt(1.0f - a);
    for (std::size_t i = b * m; i < (b + 1) * m; ++i) out[i] = sa * original[i] + sb * noise[i];
  }
  return out;
}

std::vector<float> Scheduler::get_velocity(const std::vector<float>& sample, const std::vector<float>& noise,
                                           const std::vector<int>& ts) const {
  const char* fn = "getVelocity";
  require(noise.size() == sample.size(), fn, "noise.length", "equal sample.length = " + std::to_string(sample.size()),
          noise.size());
  require(!ts.empty() && sample.size() % ts.size() == 0, fn, "timestep.length",
          "be >= 1 and divide sample.length = " + std::to_string(sample.size()), ts.size());
  require_finite(sample, fn, "sample");
  require_finite(noise, fn, "noise");
  for (int t : ts) check_timestep(t, fn);
  std::vector<float> out(sample.size());
  const std::size_t m = sample.size() / ts.size();
  for (std::size_t b = 0; b < ts.size(); ++b) {
    const float a = ac(ts[b]);
    const float sa = std::sqrt(a), sb = std::sqrt(1.0f - a);
    for (std::size_t i = b * m; i < (b + 1) * m; ++i) out[i] = sa * noise[i] - sb * sample[i];
  }
  return out;
}

std::vector<float> Scheduler::predict_original(const std::vector<float>& mo, const std::vector<float>& x, float a_t,
                                               std::size_t batch) const {
  const float b_t = 1.0f - a_t;
  const float sa = std::sqrt(a_t), sb = std::sqrt(b_t);
  std::vector<float> x0(x.size());
  switch (config_.prediction_type) {
    case PredictionType::epsilon:  // DDPM eq. 15; post 4 §4.2 μ̄(x_t) = (x_t − β̄_t ε)/ᾱ_t
      for (std::size_t i = 0; i < x.size(); ++i) x0[i] = (x[i] - sb * mo[i]) / sa;
      break;
    case PredictionType::sample:
      x0 = mo;
      break;
    case PredictionType::v_prediction:  // x_0 = √ᾱ x_t − √(1−ᾱ) v
      for (std::size_t i = 0; i < x.size(); ++i) x0[i] = sa * x[i] - sb * mo[i];
      break;
  }
  if (config_.thresholding) {
    x0 = threshold_sample(x0, batch, config_.dynamic_thresholding_ratio, config_.sample_max_value);
  } else if (config_.clip_sample) {
    const float r = static_cast<float>(config_.clip_sample_range);
    for (auto& v : x0) v = std::isnan(v) ? v : std::min(std::max(v, -r), r);
  }
  return x0;
}

std::vector<float> Scheduler::noise_for(const StepOptions& o, std::size_t n, const char* fn) {
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

namespace {
void check_step_inputs(const std::vector<float>& mo, const std::vector<float>& x, std::size_t batch, const char* fn,
                       bool allow_double) {
  require(!x.empty(), fn, "sample.length", "be >= 1", x.size());
  require(mo.size() == x.size() || (allow_double && mo.size() == 2 * x.size()), fn, "modelOutput.length",
          std::string("equal sample.length = ") + std::to_string(x.size()) +
              (allow_double ? " (or twice it, with a learned variance)" : ""),
          mo.size());
  require(batch >= 1 && x.size() % batch == 0, fn, "batch", "divide sample.length = " + std::to_string(x.size()), batch);
  require_finite(mo, fn, "modelOutput");
  require_finite(x, fn, "sample");
}
}  // namespace

// ---- DDIM ----------------------------------------------------------------------------------------------

namespace {
const SchedulerConfig& ddim_config(const SchedulerConfig& c) {
  // The reference's DDIMScheduler raises NotImplementedError for the DDPM-only GeoDiff schedule.
  if (c.beta_schedule == BetaSchedule::sigmoid && c.trained_betas.empty())
    throw type_error("DDIMScheduler: config.betaSchedule must be one of 'linear', 'scaled_linear', "
                     "'squaredcos_cap_v2' ('sigmoid' is a DDPMScheduler schedule), got \"sigmoid\"");
  return c;
}
}  // namespace

DDIMScheduler::DDIMScheduler(const SchedulerConfig& c) : Scheduler(ddim_config(c), "DDIMScheduler") {
  final_alpha_cumprod_ = c.set_alpha_to_one ? 1.0f : alphas_cumprod_[0];
}

void DDIMScheduler::set_timesteps(int n, bool follow_schedule) {
  timesteps_ = spaced_timesteps(config_.num_train_timesteps, n, config_.timestep_spacing, config_.steps_offset);
  num_inference_steps_ = n;
  follow_ = follow_schedule;
}

void DDIMScheduler::set_custom_timesteps(const std::vector<int>& ts) {
  const char* fn = "DDIMScheduler.setTimesteps";
  require(!ts.empty(), fn, "timesteps.length", "be >= 1", ts.size());
  for (std::size_t i = 1; i < ts.size(); ++i)
    require(ts[i] < ts[i - 1], fn, indexed("timesteps", i),
            "be below timesteps[" + std::to_string(i - 1) + "] = " + std::to_string(ts[i - 1]) + " (descending order)", ts[i]);
  require(ts[0] < config_.num_train_timesteps, fn, "timesteps[0]",
          "be < numTrainTimesteps = " + std::to_string(config_.num_train_timesteps), ts[0]);
  require(ts.back() >= 0, fn, indexed("timesteps", ts.size() - 1), "be >= 0", ts.back());
  timesteps_ = ts;
  num_inference_steps_ = static_cast<int>(ts.size());
  follow_ = true;
}

int DDIMScheduler::previous_timestep(int t) const {
  const char* fn = "DDIMScheduler.previousTimestep";
  require(num_inference_steps_ > 0, fn, "numInferenceSteps", "be set by setTimesteps first", "null");
  if (follow_) {
    const auto it = std::find(timesteps_.begin(), timesteps_.end(), t);
    require(it != timesteps_.end(), fn, "timestep", "be one of the scheduler's timesteps (they are followed)", t);
    return it + 1 == timesteps_.end() ? -1 : *(it + 1);
  }
  return t - config_.num_train_timesteps / num_inference_steps_;
}

float DDIMScheduler::variance(int t, int prev_t) const {
  const char* fn = "DDIMScheduler.variance";
  check_timestep(t, fn);
  require(prev_t < config_.num_train_timesteps, fn, "prevTimestep", "be < numTrainTimesteps", prev_t);
  const float a_t = ac(t), a_prev = alpha_prod(prev_t);
  const float b_t = 1.0f - a_t, b_prev = 1.0f - a_prev;
  return (b_prev / b_t) * (1.0f - a_t / a_prev);  // DDIM eq. 16 with η = 1
}

StepOutput DDIMScheduler::step(const std::vector<float>& mo_in, int t, const std::vector<float>& x, const StepOptions& o) {
  const char* fn = "DDIMScheduler.step";
  require(num_inference_steps_ > 0, fn, "numInferenceSteps", "be set by setTimesteps before step", "null");
  check_timestep(t, fn);
  check_step_inputs(mo_in, x, o.batch, fn, false);
  // DDIM eq. 16: η interpolates DDIM (0) and DDPM (1); beyond 1, 1 − ᾱ_prev − σ² < 0 and the step is NaN.
  require(o.eta >= 0 && o.eta <= 1, fn, "eta", "be in [0, 1]", o.eta);
  int prev_t = t - config_.num_train_timesteps / num_inference_steps_;  // the fixed stride, a quirk
  if (follow_) {
    const auto it = std::find(timesteps_.begin(), timesteps_.end(), t);
    require(it != timesteps_.end(), fn, "timestep", "be one of the scheduler's timesteps (they are followed)", t);
    prev_t = it + 1 == timesteps_.end() ? -1 : *(it + 1);
  }
  require(prev_t < config_.num_train_timesteps, fn, "timestep", "have its previous timestep in range", t);
  const float a_t = ac(t), a_prev = alpha_prod(prev_t);
  const float b_t = 1.0f - a_t;
  const float sa = std::sqrt(a_t), sb = std::sqrt(b_t);
  const std::size_t n = x.size();

  // ε̂ from the raw output (before clipping), as the reference does.
  std::vector<float> eps(n);
  switch (config_.prediction_type) {
    case PredictionType::epsilon:
      eps = mo_in;
      break;
    case PredictionType::sample:
      for (std::size_t i = 0; i < n; ++i) eps[i] = (x[i] - sa * mo_in[i]) / sb;
      break;
    case PredictionType::v_prediction:
      for (std::size_t i = 0; i < n; ++i) eps[i] = sa * mo_in[i] + sb * x[i];
      break;
  }
  StepOutput out;
  out.pred_original_sample = predict_original(mo_in, x, a_t, o.batch);
  const auto& x0 = out.pred_original_sample;

  // σ_t = η·√((1−ᾱ_prev)/(1−ᾱ_t)·(1−ᾱ_t/ᾱ_prev)) (DDIM eq. 16; post 4 §4.3, η family).
  const float var = variance(t, prev_t);
  const float std_dev = static_cast<float>(o.eta) * std::sqrt(var);
  if (o.use_clipped_model_output)
    for (std::size_t i = 0; i < n; ++i) eps[i] = (x[i] - sa * x0[i]) / sb;  // GLIDE: ε re-derived from clipped x̂_0

  // x_prev = √ᾱ_prev x̂_0 + √(1−ᾱ_prev−σ²) ε̂ + σ z (DDIM eq. 12; post 4 §4.4).
  const float dir = std::sqrt(1.0f - a_prev - std_dev * std_dev);
  const float sp = std::sqrt(a_prev);
  out.prev_sample.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.prev_sample[i] = sp * x0[i] + dir * eps[i];
  if (o.eta > 0) {
    const std::vector<float> z = noise_for(o, n, fn);
    for (std::size_t i = 0; i < n; ++i) out.prev_sample[i] = out.prev_sample[i] + std_dev * z[i];
  }
  return out;
}

// ---- DDPM ----------------------------------------------------------------------------------------------

DDPMScheduler::DDPMScheduler(const SchedulerConfig& c) : Scheduler(c, "DDPMScheduler") {}

void DDPMScheduler::set_timesteps(int n) {
  timesteps_ = spaced_timesteps(config_.num_train_timesteps, n, config_.timestep_spacing, config_.steps_offset);
  num_inference_steps_ = n;
  custom_ = false;
}

void DDPMScheduler::set_custom_timesteps(const std::vector<int>& ts) {
  const char* fn = "DDPMScheduler.setTimesteps";
  require(!ts.empty(), fn, "timesteps.length", "be >= 1", ts.size());
  for (std::size_t i = 1; i < ts.size(); ++i)
    require(ts[i] < ts[i - 1], fn, indexed("timesteps", i), "be below timesteps[" + std::to_string(i - 1) + "] = " +
                                                                std::to_string(ts[i - 1]) + " (descending order)",
            ts[i]);
  require(ts[0] < config_.num_train_timesteps, fn, "timesteps[0]",
          "be < numTrainTimesteps = " + std::to_string(config_.num_train_timesteps), ts[0]);
  require(ts.back() >= 0, fn, indexed("timesteps", ts.size() - 1), "be >= 0", ts.back());
  timesteps_ = ts;
  custom_ = true;
}

int DDPMScheduler::previous_timestep(int t) const {
  // diffusers ≥ 0.31 (PR #9384): after set_timesteps the previous timestep is the next entry of the list
  // (−1 after the last); before it, t − 1.
  if (custom_ || num_inference_steps_ > 0) {
    const auto it = std::find(timesteps_.begin(), timesteps_.end(), t);
    require(it != timesteps_.end(), "DDPMScheduler.previousTimestep", "timestep", "be one of the scheduler's timesteps", t);
    return it + 1 == timesteps_.end() ? -1 : *(it + 1);
  }
  return t - 1;
}

float DDPMScheduler::variance(int t) const {
  const char* fn = "DDPMScheduler.variance";
  check_timestep(t, fn);
  const VarianceType vt = config_.variance_type;
  require(vt != VarianceType::learned && vt != VarianceType::learned_range, fn, "config.varianceType",
          "be a fixed_* type (a learned variance comes from the model)", to_string(vt));
  const int prev_t = previous_timestep(t);
  const float a_t = ac(t);
  const float a_prev = prev_t >= 0 ? ac(prev_t) : 1.0f;
  const float beta = 1.0f - a_t / a_prev;
  // β̃_t = (1−ᾱ_{t−1})/(1−ᾱ_t)·β_t (DDPM eqs. 6–7) = Su's σ_t² = β̄²_{t−1}β²_t/β̄²_t (post 4 §4.3 item 1).
  float v = (1.0f - a_prev) / (1.0f - a_t) * beta;
  v = std::isnan(v) ? v : std::max(v, 1e-20f);
  switch (vt) {
    case VarianceType::fixed_small_log:
      return std::exp(0.5f * std::log(v));  // a standard deviation, as in the reference
    case VarianceType::fixed_large:
      return beta;  // σ_t² = β_t: Su's σ̂ (post 4 §4.3 item 2)
    case VarianceType::fixed_large_log:
      return std::log(beta);
    default:
      return v;
  }
}

StepOutput DDPMScheduler::step(const std::vector<float>& mo_in, int t, const std::vector<float>& x, const StepOptions& o) {
  const char* fn = "DDPMScheduler.step";
  check_timestep(t, fn);
  const VarianceType vt = config_.variance_type;
  const bool learned = vt == VarianceType::learned || vt == VarianceType::learned_range;
  check_step_inputs(mo_in, x, o.batch, fn, learned);
  const std::size_t n = x.size(), m = n / o.batch;
  // A learned variance: the output has twice the channels; per item, the first half is the prediction.
  std::vector<float> mo, pv;
  if (learned && mo_in.size() == 2 * n) {
    mo.resize(n);
    pv.resize(n);
    for (std::size_t b = 0; b < o.batch; ++b) {
      std::copy(mo_in.begin() + static_cast<std::ptrdiff_t>(2 * b * m), mo_in.begin() + static_cast<std::ptrdiff_t>(2 * b * m + m),
                mo.begin() + static_cast<std::ptrdiff_t>(b * m));
      std::copy(mo_in.begin() + static_cast<std::ptrdiff_t>(2 * b * m + m),
                mo_in.begin() + static_cast<std::ptrdiff_t>(2 * b * m + 2 * m), pv.begin() + static_cast<std::ptrdiff_t>(b * m));
    }
  } else {
    mo = mo_in;
  }
  const int prev_t = previous_timestep(t);
  require(prev_t < config_.num_train_timesteps, fn, "timestep", "have its previous timestep in range", t);
  const float a_t = ac(t);
  const float a_prev = prev_t >= 0 ? ac(prev_t) : 1.0f;
  const float b_t = 1.0f - a_t, b_prev = 1.0f - a_prev;
  const float cur_alpha = a_t / a_prev, cur_beta = 1.0f - cur_alpha;

  StepOutput out;
  out.pred_original_sample = predict_original(mo, x, a_t, o.batch);
  const auto& x0 = out.pred_original_sample;
  // μ̃_t = √ᾱ_{t−1}β_t/(1−ᾱ_t)·x̂_0 + √α_t(1−ᾱ_{t−1})/(1−ᾱ_t)·x_t (DDPM eq. 7).
  const float c0 = (std::sqrt(a_prev) * cur_beta) / b_t;
  const float cx = std::sqrt(cur_alpha) * b_prev / b_t;
  out.prev_sample.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.prev_sample[i] = c0 * x0[i] + cx * x[i];

  if (t > 0) {  // the reference adds noise iff t > 0
    if (learned && pv.empty())
      fail(fn, "modelOutput.length", "be twice sample.length with varianceType '" + std::string(to_string(vt)) + "'",
           mo_in.size());
    const std::vector<float> z = noise_for(o, n, fn);
    // _get_variance's fixed part (clamped at 1e-20 before the logs).
    float v = (1.0f - a_prev) / (1.0f - a_t) * cur_beta;
    v = std::isnan(v) ? v : std::max(v, 1e-20f);
    for (std::size_t i = 0; i < n; ++i) {
      float add;
      switch (vt) {
        case VarianceType::fixed_small:
          add = std::sqrt(v) * z[i];
          break;
        case VarianceType::fixed_small_log:
          add = std::exp(0.5f * std::log(v)) * z[i];
          break;
        case VarianceType::fixed_large:
          add = std::sqrt(cur_beta) * z[i];
          break;
        case VarianceType::fixed_large_log:
          add = std::sqrt(std::log(cur_beta)) * z[i];  // √(log β) is NaN for β < 1: the reference's own result
          break;
        case VarianceType::learned:
          add = std::sqrt(pv[i]) * z[i];
          break;
        case VarianceType::learned_range: {
          const float min_log = std::log(v), max_log = std::log(cur_beta);
          const float frac = (pv[i] + 1.0f) / 2.0f;
          const float lv = frac * max_log + (1.0f - frac) * min_log;
          add = std::exp(0.5f * lv) * z[i];
          break;
        }
        default:
          add = 0.0f;
      }
      out.prev_sample[i] = out.prev_sample[i] + add;
    }
  }
  return out;
}

}  // namespace probwasm::diffusion
