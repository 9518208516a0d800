// Reference-exact DDIM and DDPM schedulers (post 4, "DDIM = 高观点DDPM", §4.2–4.4) with the semantics of
// Hugging Face diffusers' DDIMScheduler / DDPMScheduler (scheduling_ddim.py, scheduling_ddpm.py, read from
// github.com/huggingface/diffusers): same betas, set_timesteps, previous-timestep rule and step maths,
// quirks included, computed in float32 wherever the reference computes in torch.float32 (with torch's CPU
// kernels' own rules: linspace from both ends, cumprod accumulated in double then rounded to float).
//
// Notation here is the reference's: alphas_cumprod = ᾱ_t (DDPM sense) = (Su's ᾱ_t)², beta_prod = 1 − ᾱ_t.
//
// Sample layout: a sample is a flat float array of `batch` equal contiguous items (an NCHW tensor flattened
// row-major has batch = N). The batch matters only where the reference works per item: dynamic
// thresholding (a quantile per item), learned variances (model output = [ε | v] per item, split along the
// channel dimension = the two halves of each item), and add_noise with one timestep per item.
//
// Part B's sampleDiffusion drives these classes through set_timesteps / timesteps / step / add_noise; keep
// those signatures and SchedulerConfig stable.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace probwasm::diffusion {

enum class BetaSchedule { linear, scaled_linear, squaredcos_cap_v2, sigmoid };  // sigmoid: DDPM only (GeoDiff)
enum class PredictionType { epsilon, sample, v_prediction };
enum class TimestepSpacing { leading, trailing, linspace };
enum class VarianceType { fixed_small, fixed_small_log, fixed_large, fixed_large_log, learned, learned_range };

// Parse / print the reference's option strings ("scaled_linear", …); parse throws type_error naming `param`.
BetaSchedule parse_beta_schedule(const std::string& s, const char* fn);
PredictionType parse_prediction_type(const std::string& s, const char* fn);
TimestepSpacing parse_timestep_spacing(const std::string& s, const char* fn);
VarianceType parse_variance_type(const std::string& s, const char* fn);
const char* to_string(BetaSchedule v);
const char* to_string(PredictionType v);
const char* to_string(TimestepSpacing v);
const char* to_string(VarianceType v);

// Constructor arguments of both schedulers, with the reference's defaults (DDIM and DDPM share them; the
// DDIM-only and DDPM-only fields are ignored by the other class).
struct SchedulerConfig {
  int num_train_timesteps = 1000;
  double beta_start = 0.0001;
  double beta_end = 0.02;
  BetaSchedule beta_schedule = BetaSchedule::linear;
  std::vector<double> trained_betas;  // non-empty: used as the betas (cast to float32), like `trained_betas`
  bool clip_sample = true;
  double clip_sample_range = 1.0;
  bool set_alpha_to_one = true;  // DDIM only
  int steps_offset = 0;
  PredictionType prediction_type = PredictionType::epsilon;
  bool thresholding = false;
  double dynamic_thresholding_ratio = 0.995;
  double sample_max_value = 1.0;
  TimestepSpacing timestep_spacing = TimestepSpacing::leading;
  bool rescale_betas_zero_snr = false;
  VarianceType variance_type = VarianceType::fixed_small;  // DDPM only
};

// Throws std::invalid_argument naming `fn` and the field for out-of-range values (T ≥ 1, finite betas, …).
void validate(const SchedulerConfig& c, const char* fn);

// ---- schedule building blocks (each mirrors one reference function) -------------------------------------
// torch.linspace(start, end, n, dtype=float32) on CPU: step in float32, the first half counted from start
// and the second from end (so both ends are exact).
std::vector<float> torch_linspace_f32(double start, double end, int n);
// betas_for_alpha_bar (GLIDE cosine, Nichol & Dhariwal): float64, min(·, max_beta), then cast to float32.
std::vector<float> betas_for_alpha_bar(int n, double max_beta = 0.999);
// The config's betas (linear, scaled_linear = linspace(√β₀, √β₁)², cosine, or trained), then zero-SNR rescale.
std::vector<float> make_betas(const SchedulerConfig& c);
// torch.cumprod on CPU: the running product kept in double (acc_type<float> = double), each entry rounded.
std::vector<float> cumprod_f32(const std::vector<float>& x);
// Lin et al. 2023 (arXiv 2305.08891) Algorithm 1, in float32: shift √ᾱ so √ᾱ_{T−1} = 0, rescale so √ᾱ_0 is kept.
std::vector<float> rescale_zero_terminal_snr(const std::vector<float>& betas);
// set_timesteps' three spacings (Lin et al. Table 2), with numpy's arithmetic: np.round is half-to-even,
// np.arange(T, 0, −T/n) with numpy's float arange (its length may exceed n by one, as in the reference).
std::vector<int> spaced_timesteps(int num_train_timesteps, int num_inference_steps, TimestepSpacing spacing,
                                  int steps_offset);
// Imagen's dynamic thresholding (_threshold_sample): per item, s = quantile(|x|, ratio) (torch.quantile,
// linear), clamped to [1, max_value]; x ← clamp(x, −s, s)/s.
std::vector<float> threshold_sample(const std::vector<float>& x, std::size_t batch, double ratio, double max_value);

// Standard normal float32 draws (splitmix64 → Box–Muller in double → float), identical in native and wasm.
// The stand-in for torch's generator when the caller gives no noise: same seed, same numbers.
class NormalStream {
 public:
  explicit NormalStream(std::uint64_t seed = 0) { reseed(seed); }
  void reseed(std::uint64_t seed);
  double next();  // one N(0,1) draw in double
  std::vector<float> draw(std::size_t n);

 private:
  double uniform();
  std::uint64_t state_ = 0;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

struct StepOutput {
  std::vector<float> prev_sample;
  std::vector<float> pred_original_sample;
};

// step(...) options. `variance_noise` replaces the generated noise (CycleDiffusion); otherwise noise comes
// from the scheduler's NormalStream, reseeded first when `seed` is given (both at once is an error, as
// passing both `generator` and `variance_noise` is in the reference).
struct StepOptions {
  double eta = 0.0;                       // DDIM only (η of DDIM paper eq. 16)
  bool use_clipped_model_output = false;  // DDIM only
  std::optional<std::vector<float>> variance_noise;
  std::optional<std::uint64_t> seed;
  std::size_t batch = 1;
};

// What both schedulers share: the schedule, timesteps and the forward process q(x_t | x_0).
class Scheduler {
 public:
  explicit Scheduler(const SchedulerConfig& c, const char* fn);
  virtual ~Scheduler() = default;

  const SchedulerConfig& config() const { return config_; }
  const std::vector<float>& betas() const { return betas_; }
  const std::vector<float>& alphas() const { return alphas_; }
  const std::vector<float>& alphas_cumprod() const { return alphas_cumprod_; }
  const std::vector<int>& timesteps() const { return timesteps_; }
  int num_inference_steps() const { return num_inference_steps_; }  // 0 until set_timesteps
  float init_noise_sigma() const { return 1.0f; }

  // x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε (DDPM eq. 4; post 4 §4.1), in float32. One timestep for all, or one per item.
  std::vector<float> add_noise(const std::vector<float>& original, const std::vector<float>& noise,
                               const std::vector<int>& timesteps) const;
  // v = √ᾱ_t ε − √(1−ᾱ_t) x_0 (Imagen Video §2.4), the v_prediction target.
  std::vector<float> get_velocity(const std::vector<float>& sample, const std::vector<float>& noise,
                                  const std::vector<int>& timesteps) const;
  NormalStream& generator() { return rng_; }

 protected:
  void check_timestep(int t, const char* fn) const;  // t ∈ [−T, T−1]
  float ac(int t) const;                              // ᾱ_t with torch's negative indexing
  // Steps 3–4 shared by both step()s: x̂_0 from the model output, then clip or threshold.
  std::vector<float> predict_original(const std::vector<float>& model_output, const std::vector<float>& sample,
                                      float alpha_prod_t, std::size_t batch) const;
  std::vector<float> noise_for(const StepOptions& o, std::size_t n, const char* fn);

  SchedulerConfig config_;
  std::vector<float> betas_, alphas_, alphas_cumprod_;
  std::vector<int> timesteps_;
  int num_inference_steps_ = 0;
  NormalStream rng_;
};

// DDIM (Song et al. 2020, eqs. 12 and 16) = Su's generalised step with σ_t = η·σ_DDPM (post 4 §4.3–4.4).
class DDIMScheduler final : public Scheduler {
 public:
  explicit DDIMScheduler(const SchedulerConfig& c);
  // follow_schedule = false: diffusers' previous-timestep rule, the fixed stride t − T//n. With 'linspace' and
  // 'trailing' spacing that stride misses the grid (T = 1000, n = 10, linspace: 999 → 899, but the next
  // timestep is 888: the model then sees a sample noised to ᾱ_899 labelled 888). follow_schedule = true steps
  // to the next entry of timesteps (−1, i.e. final_alpha_cumprod, after the last): the corrected rule.
  void set_timesteps(int num_inference_steps, bool follow_schedule = false);
  // Custom descending timesteps (all in [0, T)); steps follow the list (follow_schedule implied).
  void set_custom_timesteps(const std::vector<int>& timesteps);
  bool follows_schedule() const { return follow_; }
  float final_alpha_cumprod() const { return final_alpha_cumprod_; }
  // The stride t − T//n, or the next entry of timesteps when following the schedule (see set_timesteps).
  int previous_timestep(int t) const;
  // _get_variance: σ_t²/η² = (1−ᾱ_prev)/(1−ᾱ_t)·(1 − ᾱ_t/ᾱ_prev), in float32.
  float variance(int t, int prev_t) const;
  StepOutput step(const std::vector<float>& model_output, int t, const std::vector<float>& sample,
                  const StepOptions& o = {});

 private:
  float alpha_prod(int t) const { return t >= 0 ? ac(t) : final_alpha_cumprod_; }
  float final_alpha_cumprod_ = 1.0f;
  bool follow_ = false;
};

// DDPM (Ho et al. 2020, eqs. 6–7 and 15) = Su's σ_t = β̄_{t−1}β_t/β̄_t choice (post 4 §4.3 item 1).
class DDPMScheduler final : public Scheduler {
 public:
  explicit DDPMScheduler(const SchedulerConfig& c);
  void set_timesteps(int num_inference_steps);
  // Custom descending timesteps (all < T); previous_timestep then walks this list, −1 after the last.
  // (After set_timesteps too, as in diffusers ≥ 0.31; before any set_timesteps it is t − 1.)
  void set_custom_timesteps(const std::vector<int>& timesteps);
  bool custom_timesteps() const { return custom_; }
  int previous_timestep(int t) const;
  // _get_variance for one timestep with no predicted variance (fixed_* types), in float32.
  float variance(int t) const;
  // o.eta and o.use_clipped_model_output are ignored (the reference has neither). Noise is added iff t > 0.
  StepOutput step(const std::vector<float>& model_output, int t, const std::vector<float>& sample,
                  const StepOptions& o = {});

 private:
  bool custom_ = false;
};

}  // namespace probwasm::diffusion
