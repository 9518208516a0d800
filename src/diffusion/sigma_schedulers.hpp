// The σ-parametrised schedulers people actually sample with, with the semantics of Hugging Face diffusers
// 0.40.0.dev0 (github.com/huggingface/diffusers at 58eb52c, Aug 2026: scheduling_euler_discrete.py,
// scheduling_euler_ancestral_discrete.py, scheduling_dpmsolver_multistep.py, scheduling_unipc_multistep.py;
// read, not copied). Post 4 (kexue.fm/archives/9181) §4.5 reads DDIM as an ODE in (x, t); these schedulers
// integrate the same probability-flow ODE in σ = √((1−ᾱ)/ᾱ) (Euler, Karras et al. 2022 "EDM" eq. 3), or in
// λ = log(α/σ) with exponential integrators (DPM-Solver++, Lu et al. 2022; UniPC, Zhao et al. 2023).
//
// Reference dtypes are kept: betas, ᾱ and the training σ table are torch.float32; set_timesteps works in
// numpy float64 (np.interp, the Karras ramp, _sigma_to_t) and stores σ and timesteps as float32; steps are
// float32 tensor arithmetic in the reference's operand order.
//
// What is not ported: timestep_type 'continuous', exponential / beta / Lu-lambda / flow sigmas, dynamic
// shifting, variance_type 'learned*', lambda_min_clipped (its default, −inf, is what we compute), s_churn,
// UniPC's disable_corrector / solver_p, set_begin_index. Constructing with those keys is a TypeError in JS.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "diffusion/schedulers.hpp"

namespace probwasm::diffusion {

enum class FinalSigmasType { zero, sigma_min };
enum class InterpolationType { linear, log_linear };
enum class AlgorithmType { dpmsolver_pp, dpmsolver, sde_dpmsolver_pp, sde_dpmsolver };
enum class SolverType { midpoint, heun, bh1, bh2 };

FinalSigmasType parse_final_sigmas_type(const std::string& s, const char* fn);
InterpolationType parse_interpolation_type(const std::string& s, const char* fn);
AlgorithmType parse_algorithm_type(const std::string& s, const char* fn);
SolverType parse_solver_type(const std::string& s, const char* fn);
const char* to_string(FinalSigmasType v);
const char* to_string(InterpolationType v);
const char* to_string(AlgorithmType v);
const char* to_string(SolverType v);

// Constructor arguments of the four classes. `base` carries the shared keys (betas, prediction type,
// spacing, steps offset, zero-SNR rescale, thresholding); its timestep_spacing default is 'linspace' here
// (sigma_scheduler_defaults), as in all four reference classes. Fields a class does not have are ignored.
struct SigmaSchedulerConfig {
  SchedulerConfig base;
  bool use_karras_sigmas = false;
  FinalSigmasType final_sigmas_type = FinalSigmasType::zero;  // Euler, DPM, UniPC
  InterpolationType interpolation_type = InterpolationType::linear;  // Euler
  std::optional<double> sigma_min, sigma_max;                        // Euler, UniPC (Karras range)
  int solver_order = 2;                                              // DPM, UniPC: 1, 2 or 3
  AlgorithmType algorithm_type = AlgorithmType::dpmsolver_pp;        // DPM
  std::optional<SolverType> solver_type;  // DPM: midpoint (default) | heun; UniPC: bh2 (default) | bh1
  bool lower_order_final = true;          // DPM, UniPC
  bool euler_at_final = false;            // DPM
  bool predict_x0 = true;                 // UniPC
};
SigmaSchedulerConfig sigma_scheduler_defaults();

// ---- schedule building blocks (each mirrors one reference expression) -----------------------------------
// np.linspace(start, stop, n) in float64: y_i = i·step + start, the last entry exactly stop.
std::vector<double> np_linspace(double start, double stop, int n);
// np.interp(x, arange(len(fp)), fp) in float64 (x clamped to the table's ends, exact at grid points).
std::vector<double> np_interp_grid(const std::vector<double>& x, const std::vector<float>& fp);
// Karras et al. 2022 eq. 5 (ρ = 7): σ_i = (σ_max^{1/ρ} + i/(n−1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, float64.
std::vector<double> karras_sigmas(double sigma_min, double sigma_max, int n);
// _sigma_to_t: piecewise-linear inverse of log σ(t) over the float32 table log_sigmas (ascending in t).
double sigma_to_t(double sigma, const std::vector<float>& log_sigmas);

// What the four classes share: ᾱ, the training σ table, the inference σ_i with their timesteps, the step
// counter (diffusers' _step_index) and add_noise.
class SigmaScheduler {
 public:
  SigmaScheduler(const SigmaSchedulerConfig& c, const char* cls);
  virtual ~SigmaScheduler() = default;

  const SigmaSchedulerConfig& config() const { return config_; }
  const std::vector<float>& betas() const { return betas_; }
  const std::vector<float>& alphas_cumprod() const { return alphas_cumprod_; }
  // diffusers' scheduler.timesteps (float32 values for the Euler family, integers for the multistep ones).
  const std::vector<double>& timesteps() const { return timesteps_; }
  // diffusers' scheduler.sigmas: one per timestep plus the final σ (0 with final_sigmas_type 'zero').
  const std::vector<float>& sigmas() const { return sigmas_; }
  int num_inference_steps() const { return num_inference_steps_; }  // 0 until set_timesteps
  int step_index() const { return step_index_; }                    // −1 until the first step
  virtual float init_noise_sigma() const { return 1.0f; }
  virtual void set_timesteps(int n) = 0;
  // The model input at timestep t: x/√(σ²+1) for the Euler family (EDM's c_in), unchanged otherwise.
  virtual std::vector<float> scale_model_input(const std::vector<float>& x, double t);
  // One step from timestep t (the next of timesteps(); the first call may start anywhere in the list).
  virtual StepOutput step(const std::vector<float>& model_output, double t, const std::vector<float>& sample,
                          const StepOptions& o) = 0;
  // Whether step() draws noise (Euler ancestral, the SDE variants of DPM-Solver).
  virtual bool stochastic() const { return false; }
  // Euler: x + σ·noise (VE form); multistep: α_σ·x + σ_σ·noise. One timestep for all, or one per item.
  std::vector<float> add_noise(const std::vector<float>& original, const std::vector<float>& noise,
                               const std::vector<double>& timesteps) const;
  NormalStream& generator() { return rng_; }

 protected:
  // First step: diffusers' index_for_timestep (the second match if t repeats); later: t must be the next one.
  int enter_step(double t, const char* fn);
  int index_for_timestep(double t, const char* fn) const;
  void check_sample(const std::vector<float>& mo, const std::vector<float>& x, std::size_t batch, const char* fn) const;
  std::vector<float> noise_for(const StepOptions& o, std::size_t n, const char* fn);
  // The shared spacing rule of the multistep classes (linspace/leading over n+1 points, last one dropped).
  std::vector<double> multistep_timesteps(int n, const char* fn) const;
  void reset_schedule(std::vector<double> timesteps, std::vector<float> sigmas);
  void check_custom(const std::vector<double>& ts, bool integers, const char* fn) const;
  // What Euler and Euler ancestral share: every training timestep T−1 … 0 with its σ and a trailing 0 (the
  // schedule before set_timesteps); the initial noise σ; set_timesteps' float32 timesteps; c_in scaling.
  void euler_training_schedule();
  float euler_init_noise_sigma() const;
  std::vector<double> euler_timesteps(int n, const char* fn) const;
  std::vector<float> euler_scale_model_input(const std::vector<float>& x, double t, const char* fn) const;

  SigmaSchedulerConfig config_;
  const char* cls_;
  std::vector<float> betas_, alphas_cumprod_;
  std::vector<float> train_sigmas_;      // √((1−ᾱ_t)/ᾱ_t), t = 0…T−1, float32
  std::vector<float> log_train_sigmas_;  // its float32 log
  std::vector<double> timesteps_;
  std::vector<float> sigmas_;
  int num_inference_steps_ = 0;
  int step_index_ = -1;
  NormalStream rng_;
};

// Euler's method on dx/dσ = (x − x̂_0)/σ (EDM Algorithm 1 without churn; post 4 §4.5's ODE in σ).
class EulerDiscreteScheduler final : public SigmaScheduler {
 public:
  explicit EulerDiscreteScheduler(const SigmaSchedulerConfig& c);
  float init_noise_sigma() const override;
  void set_timesteps(int n) override;
  // set_timesteps(timesteps=…): custom timesteps (float32, in [0, T−1]); not with use_karras_sigmas.
  void set_custom_timesteps(const std::vector<double>& timesteps);
  std::vector<float> scale_model_input(const std::vector<float>& x, double t) override;
  StepOutput step(const std::vector<float>& model_output, double t, const std::vector<float>& sample,
                  const StepOptions& o = {}) override;

 private:
  void build(std::vector<double> ts, int n);
};

// Euler ancestral (k-diffusion's sample_euler_ancestral): a deterministic step down to σ_down, then fresh
// noise of size σ_up, with σ_down² + σ_up² = σ_next².
class EulerAncestralDiscreteScheduler final : public SigmaScheduler {
 public:
  explicit EulerAncestralDiscreteScheduler(const SigmaSchedulerConfig& c);
  bool stochastic() const override { return true; }
  float init_noise_sigma() const override;
  void set_timesteps(int n) override;
  std::vector<float> scale_model_input(const std::vector<float>& x, double t) override;
  StepOutput step(const std::vector<float>& model_output, double t, const std::vector<float>& sample,
                  const StepOptions& o = {}) override;
};

// DPM-Solver (Lu et al. 2022a, eqs. 3.x) and DPM-Solver++ (Lu et al. 2022b, Algorithms 1–2 and the SDE
// variant, §4), multistep up to order 3, with the reference's lower-order warm-up and final steps.
class DPMSolverMultistepScheduler final : public SigmaScheduler {
 public:
  explicit DPMSolverMultistepScheduler(const SigmaSchedulerConfig& c);
  bool stochastic() const override {
    return config_.algorithm_type == AlgorithmType::sde_dpmsolver_pp || config_.algorithm_type == AlgorithmType::sde_dpmsolver;
  }
  void set_timesteps(int n) override;
  // set_timesteps(timesteps=…): custom integer timesteps in [0, T−1]; not with use_karras_sigmas.
  void set_custom_timesteps(const std::vector<double>& timesteps);
  StepOutput step(const std::vector<float>& model_output, double t, const std::vector<float>& sample,
                  const StepOptions& o = {}) override;
  int lower_order_nums() const { return lower_order_nums_; }

 private:
  std::vector<std::vector<float>> model_outputs_;  // the last solver_order converted outputs, oldest first
  int lower_order_nums_ = 0;
};

// UniPC (Zhao et al. 2023): the UniP predictor and UniC corrector of Algorithm 1/2 with B(h) = h (bh1) or
// e^h − 1 (bh2), multistep up to order 3.
class UniPCMultistepScheduler final : public SigmaScheduler {
 public:
  explicit UniPCMultistepScheduler(const SigmaSchedulerConfig& c);
  void set_timesteps(int n) override;
  StepOutput step(const std::vector<float>& model_output, double t, const std::vector<float>& sample,
                  const StepOptions& o = {}) override;

 private:
  std::vector<float> uni_p(const std::vector<float>& x, int order) const;
  std::vector<float> uni_c(const std::vector<float>& model_t, const std::vector<float>& last_sample,
                           const std::vector<float>& this_sample, int order) const;
  std::vector<std::vector<float>> model_outputs_;
  std::vector<float> last_sample_;
  int lower_order_nums_ = 0;
  int this_order_ = 0;
};

}  // namespace probwasm::diffusion
