// Denoisers ε(x_t, t) for post 4 ("生成扩散模型漫谈（四）：DDIM = 高观点DDPM"): the interface every sampler
// calls, and the exact (Bayes-optimal) ε* of data whose law we know in closed form.
//
// Noise-level convention: `alpha_bar` is the DDPM/diffusers cumulative product ᾱ_t, so
// x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε. Su's ᾱ_t (post 4 §4.1) is √ of it and his β̄_t = √(1−ᾱ_t).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace probwasm::diffusion {

// What the samplers call: ε̂ for n points (row-major n×dim) at one noise level. `t01` = t/T ∈ [0, 1] is for
// models that embed time (the MLP); the exact denoisers ignore it because ᾱ alone fixes p_t.
class Denoiser {
 public:
  virtual ~Denoiser() = default;
  virtual std::size_t dim() const = 0;
  virtual void epsilon(const double* x, std::size_t n, double alpha_bar, double t01, double* out) const = 0;
  std::vector<double> epsilon(const std::vector<double>& x, double alpha_bar, double t01 = 0.0) const;
};

// x_0 ~ Σ_k w_k N(μ_k, diag(s_k²)). Then p_t = Σ_k w_k N(√ᾱ μ_k, diag(ᾱ s_k² + 1−ᾱ)) and the ideal noise
// predictor is ε* = −√(1−ᾱ)·∇log p_t (post 4 §4.7 gives the one-Gaussian case β̄(x−ᾱμ)/(ᾱ²s²+β̄²) in Su's
// notation). Responsibilities come from probwasm::softmax (a softmax of log-weights + log-densities).
// s_k = 0 is allowed (an empirical point set: the ideal denoiser is a softmax-weighted average of the
// points), but then ᾱ < 1 is required.
class GaussianMixture final : public Denoiser {
 public:
  // means: K×dim row-major. stds: K values (isotropic) or K×dim (diagonal). weights: K values ≥ 0, any scale.
  GaussianMixture(std::vector<double> weights, std::vector<double> means, std::vector<double> stds, std::size_t dim);
  // The empirical distribution of `points` (n×dim): equal weights, zero stds.
  static GaussianMixture empirical(std::vector<double> points, std::size_t dim);

  std::size_t dim() const override { return dim_; }
  std::size_t components() const { return weights_.size(); }
  void epsilon(const double* x, std::size_t n, double alpha_bar, double t01, double* out) const override;
  using Denoiser::epsilon;
  // E[x_0 | x_t] (Tweedie): Σ_k r_k (μ_k + √ᾱ s_k²/(ᾱ s_k² + 1−ᾱ)·(x − √ᾱ μ_k)); defined for ᾱ = 0 as well.
  std::vector<double> denoised(const std::vector<double>& x, double alpha_bar) const;
  // log p_t(x) at each point (for finite-difference checks of ε* = −√(1−ᾱ)∇log p_t).
  std::vector<double> log_density(const std::vector<double>& x, double alpha_bar) const;
  // n exact draws from p_0 (splitmix64 + Box–Muller, `seed`): the reference sample for quality tables.
  std::vector<double> sample(std::size_t n, std::uint64_t seed) const;

  const std::vector<double>& weights() const { return weights_; }  // normalised to sum 1
  const std::vector<double>& means() const { return means_; }
  const std::vector<double>& stds() const { return stds_; }  // always K×dim

 private:
  struct Level {
    double a = 0, b2 = 1;  // √ᾱ, 1 − ᾱ
    std::vector<double> amu, inv_v, log_c;
  };
  Level level(double alpha_bar) const;
  // r_k = p(k | x_t) for one point (logits: K scratch values); returns log p_t(x) if want_log.
  double responsibilities(const Level& L, const double* x, double* logits, double* r, bool want_log) const;
  std::size_t dim_;
  std::vector<double> weights_, log_weights_, means_, stds_;
  bool has_zero_std_ = false;
};

// The page's 2-D targets: 'ring' (8 Gaussians on a circle of radius 2), 'grid' (3×3 Gaussians, spacing 1.5),
// and the point sets 'spiral' and 'moons' (zero stds: their exact ε* is the empirical-data denoiser).
struct MixtureSpec {
  std::vector<double> weights, means, stds;
  std::size_t dim = 2;
};
MixtureSpec preset_target(const std::string& name);

}  // namespace probwasm::diffusion
