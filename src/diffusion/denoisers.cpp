#include "diffusion/denoisers.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "common/errors.hpp"
#include "diffusion/sampling.hpp"
#include "softmax/softmax.hpp"

namespace probwasm::diffusion {
namespace {

constexpr double kLog2Pi = 1.8378770664093454835606594728112;

void check_alpha_bar(const char* fn, double alpha_bar, bool allow_one) {
  if (!(alpha_bar >= 0.0 && (allow_one ? alpha_bar <= 1.0 : alpha_bar < 1.0)))
    fail(fn, "alphaBar", allow_one ? "be in [0, 1]" : "be in [0, 1) for a mixture with a zero std", alpha_bar);
}

void check_points(const char* fn, const char* name, const double* x, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i)
    if (!std::isfinite(x[i])) fail(fn, indexed(name, i), "be finite", x[i]);
}

}  // namespace

std::vector<double> Denoiser::epsilon(const std::vector<double>& x, double alpha_bar, double t01) const {
  const std::size_t d = dim();
  if (x.size() % d != 0)
    fail("epsilon", "x", "have a length divisible by dim " + std::to_string(d), x.size());
  std::vector<double> out(x.size());
  epsilon(x.data(), x.size() / d, alpha_bar, t01, out.data());
  return out;
}

GaussianMixture::GaussianMixture(std::vector<double> weights, std::vector<double> means, std::vector<double> stds,
                                 std::size_t dim)
    : dim_(dim), weights_(std::move(weights)), means_(std::move(means)) {
  const char* fn = "gaussianMixture";
  const std::size_t k = weights_.size();
  if (dim_ == 0) fail(fn, "dim", "be a positive integer", dim_);
  if (k == 0) fail(fn, "weights", "be non-empty", "an empty array");
  if (means_.size() != k * dim_)
    fail(fn, "means", "have weights.length × dim = " + std::to_string(k * dim_) + " entries", means_.size());
  if (stds.size() != k && stds.size() != k * dim_)
    fail(fn, "stds", "have " + std::to_string(k) + " (isotropic) or " + std::to_string(k * dim_) + " (diagonal) entries",
         stds.size());
  double total = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    if (!(weights_[i] >= 0.0) || std::isinf(weights_[i])) fail(fn, indexed("weights", i), "be finite and ≥ 0", weights_[i]);
    total += weights_[i];
  }
  if (!(total > 0.0) || std::isinf(total)) fail(fn, "weights", "have a positive finite sum", total);
  check_points(fn, "means", means_.data(), means_.size());
  for (std::size_t i = 0; i < stds.size(); ++i)
    if (!(stds[i] >= 0.0) || std::isinf(stds[i])) fail(fn, indexed("stds", i), "be finite and ≥ 0", stds[i]);
  stds_.resize(k * dim_);
  for (std::size_t c = 0; c < k; ++c)
    for (std::size_t j = 0; j < dim_; ++j) {
      const double s = stds.size() == k ? stds[c] : stds[c * dim_ + j];
      stds_[c * dim_ + j] = s;
      if (s == 0.0) has_zero_std_ = true;
    }
  log_weights_.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    weights_[i] /= total;
    log_weights_[i] = std::log(weights_[i]);  // −inf for a zero weight: softmax masks it
  }
}

GaussianMixture GaussianMixture::empirical(std::vector<double> points, std::size_t dim) {
  if (dim == 0) fail("empiricalDenoiser", "dim", "be a positive integer", dim);
  if (points.empty() || points.size() % dim != 0)
    fail("empiricalDenoiser", "points", "be a non-empty array whose length is divisible by dim " + std::to_string(dim),
         points.size());
  const std::size_t n = points.size() / dim;
  return GaussianMixture(std::vector<double>(n, 1.0), std::move(points), std::vector<double>(n, 0.0), dim);
}

// Per-level constants: √ᾱμ_k, 1/v_kj with v = ᾱs² + 1−ᾱ, and log w_k − ½(Σ_j log v_kj + d log 2π).
GaussianMixture::Level GaussianMixture::level(double alpha_bar) const {
  const std::size_t k = weights_.size();
  Level L;
  L.a = std::sqrt(alpha_bar);
  L.b2 = 1.0 - alpha_bar;
  L.amu.resize(k * dim_);
  L.inv_v.resize(k * dim_);
  L.log_c.resize(k);
  for (std::size_t c = 0; c < k; ++c) {
    double sum_log_v = 0.0;
    for (std::size_t j = 0; j < dim_; ++j) {
      const double s = stds_[c * dim_ + j];
      const double v = alpha_bar * s * s + L.b2;
      L.amu[c * dim_ + j] = L.a * means_[c * dim_ + j];
      L.inv_v[c * dim_ + j] = 1.0 / v;
      sum_log_v += std::log(v);
    }
    L.log_c[c] = log_weights_[c] - 0.5 * (sum_log_v + static_cast<double>(dim_) * kLog2Pi);
  }
  return L;
}

// log w_k + log N(x; √ᾱμ_k, diag v_k) for each k, then r = softmax (post 8's map, reused); returns log p_t(x)
// when asked (want_log), else 0.
double GaussianMixture::responsibilities(const Level& L, const double* x, double* logits, double* r, bool want_log) const {
  const std::size_t k = weights_.size();
  for (std::size_t c = 0; c < k; ++c) {
    const double* amu = &L.amu[c * dim_];
    const double* iv = &L.inv_v[c * dim_];
    double q = 0.0;
    for (std::size_t j = 0; j < dim_; ++j) {
      const double u = x[j] - amu[j];
      q += u * u * iv[j];
    }
    logits[c] = L.log_c[c] - 0.5 * q;
  }
  if (k == 1) {
    r[0] = 1.0;
  } else {
    softmax::softmax_into(logits, k, 1.0, r);
  }
  return want_log ? softmax::logsumexp(logits, k) : 0.0;
}

// ε* = −√(1−ᾱ)∇log p_t = √(1−ᾱ) Σ_k r_k (x − √ᾱμ_k)/(ᾱs_k² + 1−ᾱ)  (post 4 §4.7, extended to a mixture).
void GaussianMixture::epsilon(const double* x, std::size_t n, double alpha_bar, double /*t01*/, double* out) const {
  check_alpha_bar("epsilon", alpha_bar, !has_zero_std_);
  check_points("epsilon", "x", x, n * dim_);
  const Level L = level(alpha_bar);
  const double b = std::sqrt(L.b2);
  const std::size_t k = weights_.size();
  std::vector<double> r(k), logits(k);
  for (std::size_t i = 0; i < n; ++i) {
    const double* xi = x + i * dim_;
    double* oi = out + i * dim_;
    responsibilities(L, xi, logits.data(), r.data(), false);
    for (std::size_t j = 0; j < dim_; ++j) oi[j] = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
      if (r[c] == 0.0) continue;
      const double* amu = &L.amu[c * dim_];
      const double* iv = &L.inv_v[c * dim_];
      for (std::size_t j = 0; j < dim_; ++j) oi[j] += r[c] * (xi[j] - amu[j]) * iv[j];
    }
    for (std::size_t j = 0; j < dim_; ++j) oi[j] *= b;
  }
}

// Tweedie: E[x_0|x_t] = Σ_k r_k E[x_0|x_t, k], each the Gaussian posterior mean μ_k + √ᾱs²/v (x − √ᾱμ_k).
std::vector<double> GaussianMixture::denoised(const std::vector<double>& x, double alpha_bar) const {
  check_alpha_bar("denoised", alpha_bar, !has_zero_std_);
  if (x.size() % dim_ != 0) fail("denoised", "x", "have a length divisible by dim " + std::to_string(dim_), x.size());
  check_points("denoised", "x", x.data(), x.size());
  const Level L = level(alpha_bar);
  const std::size_t k = weights_.size(), n = x.size() / dim_;
  std::vector<double> out(x.size(), 0.0), r(k), logits(k);
  for (std::size_t i = 0; i < n; ++i) {
    const double* xi = &x[i * dim_];
    responsibilities(L, xi, logits.data(), r.data(), false);
    for (std::size_t c = 0; c < k; ++c) {
      if (r[c] == 0.0) continue;
      for (std::size_t j = 0; j < dim_; ++j) {
        const std::size_t cj = c * dim_ + j;
        const double s2 = stds_[cj] * stds_[cj];
        out[i * dim_ + j] += r[c] * (means_[cj] + L.a * s2 * L.inv_v[cj] * (xi[j] - L.amu[cj]));
      }
    }
  }
  return out;
}

std::vector<double> GaussianMixture::log_density(const std::vector<double>& x, double alpha_bar) const {
  check_alpha_bar("logDensity", alpha_bar, !has_zero_std_);
  if (x.size() % dim_ != 0) fail("logDensity", "x", "have a length divisible by dim " + std::to_string(dim_), x.size());
  check_points("logDensity", "x", x.data(), x.size());
  const Level L = level(alpha_bar);
  const std::size_t n = x.size() / dim_;
  std::vector<double> out(n), r(weights_.size()), logits(weights_.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = responsibilities(L, &x[i * dim_], logits.data(), r.data(), true);
  return out;
}

// Component by inverting the cumulative weights with one uniform, then μ + s·z; point i has its own stream.
std::vector<double> GaussianMixture::sample(std::size_t n, std::uint64_t seed) const {
  std::vector<double> out(n * dim_);
  const std::size_t k = weights_.size();
  for (std::size_t i = 0; i < n; ++i) {
    NormalRng rng = NormalRng::for_point(seed, i);
    const double u = rng.uniform();
    std::size_t c = 0;
    double acc = weights_[0];
    while (c + 1 < k && u > acc) acc += weights_[++c];
    while (weights_[c] == 0.0) --c;  // rounding left u above the total: take the last component that exists
    for (std::size_t j = 0; j < dim_; ++j) out[i * dim_ + j] = means_[c * dim_ + j] + stds_[c * dim_ + j] * rng.normal();
  }
  return out;
}

MixtureSpec preset_target(const std::string& name) {
  constexpr double kPi = 3.14159265358979323846;
  MixtureSpec m;
  auto add = [&](double x, double y, double s) {
    m.weights.push_back(1.0);
    m.means.push_back(x);
    m.means.push_back(y);
    m.stds.push_back(s);
  };
  if (name == "ring") {
    for (int k = 0; k < 8; ++k) add(2.0 * std::cos(k * kPi / 4), 2.0 * std::sin(k * kPi / 4), 0.12);
  } else if (name == "grid") {
    for (int i = -1; i <= 1; ++i)
      for (int j = -1; j <= 1; ++j) add(1.5 * i, 1.5 * j, 0.25);
  } else if (name == "spiral") {
    for (int k = 0; k < 80; ++k) {  // Archimedean spiral r = 0.3 + 0.22θ, θ ∈ [0, 3π]
      const double th = 3.0 * kPi * k / 79.0, r = 0.3 + 0.22 * th;
      add(r * std::cos(th), r * std::sin(th), 0.0);
    }
  } else if (name == "moons") {
    for (int k = 0; k < 50; ++k) {  // two interleaved half circles, centred and scaled by 1.6
      const double t = kPi * k / 49.0;
      add(1.6 * (std::cos(t) - 0.5), 1.6 * (std::sin(t) - 0.25), 0.0);
      add(1.6 * (0.5 - std::cos(t)), 1.6 * (0.25 - std::sin(t)), 0.0);
    }
  } else {
    throw type_error("diffusionPreset: name must be one of 'ring', 'grid', 'spiral', 'moons', got \"" + name + "\"");
  }
  return m;
}

}  // namespace probwasm::diffusion
