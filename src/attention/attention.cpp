#include "attention/attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/errors.hpp"
#include "common/prng.hpp"
#include "softmax/softmax.hpp"

namespace probwasm::attention {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = 3.14159265358979323846;

// Rejects an empty s, NaN and +inf (−inf is a masked logit) and all-masked input; returns the argmax.
std::size_t checked_argmax(const char* fn, const double* s, std::size_t n) {
  if (n == 0) fail(fn, "s", "be non-empty", "an empty array");
  std::size_t am = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(s[i])) fail(fn, indexed("s", i), "not be NaN", s[i]);
    if (s[i] == kInf) fail(fn, indexed("s", i), "be finite or -Infinity", s[i]);
    if (s[i] > s[am]) am = i;
  }
  if (s[am] == -kInf) fail(fn, "s", "have at least one finite entry", "all -Infinity");
  return am;
}

void check_noise_args(const char* fn, double scale, double logit_std) {
  require(std::isfinite(scale) && scale >= 0 && scale <= 50, fn, "scale", "be in [0, 50]", scale);
  require(std::isfinite(logit_std) && logit_std >= 0 && logit_std <= 20, fn, "logitStd", "be in [0, 20]", logit_std);
}

double draw_noise(Prng& rng, Noise noise, double b) {
  switch (noise) {
    case Noise::gaussian: return b * rng.normal();
    case Noise::uniform: return b * (2 * rng.uniform() - 1);
    case Noise::gumbel: return -b * std::log(-std::log(rng.uniform()));
    case Noise::laplace: {
      const double u = rng.uniform() - 0.5;
      return -b * std::copysign(std::log1p(-2 * std::fabs(u)), u);
    }
  }
  return 0;
}

// Pareto tail index of e^ε (+inf for light tails): P(e^ε > x) ~ x^{−1/b} for Gumbel and Laplace.
double tail_index(Noise noise, double b) {
  if (noise == Noise::gumbel || noise == Noise::laplace) return b > 0 ? 1 / b : kInf;
  return kInf;
}

}  // namespace

Noise parse_noise(const char* fn, const std::string& name) {
  if (name == "gaussian") return Noise::gaussian;
  if (name == "uniform") return Noise::uniform;
  if (name == "gumbel") return Noise::gumbel;
  if (name == "laplace") return Noise::laplace;
  throw type_error(std::string(fn) + ": noise must be one of 'gaussian', 'uniform', 'gumbel', 'laplace', got \"" + name + "\"");
}

std::vector<double> attention_output(const std::vector<double>& s, const std::vector<double>& v) {
  const char* fn = "attentionOutput";
  checked_argmax(fn, s.data(), s.size());
  if (v.size() % s.size() != 0 || v.empty())
    fail(fn, "v", "hold n × d entries for n = " + std::to_string(s.size()), v.size());
  const std::size_t n = s.size(), d = v.size() / n;
  std::vector<double> p(n), o(d, 0.0);
  softmax::softmax_into(s.data(), n, 1.0, p.data());
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] == 0) continue;  // a masked row never multiplies a value (0·inf would be NaN)
    for (std::size_t j = 0; j < d; ++j) {
      if (!std::isfinite(v[i * d + j])) fail(fn, indexed("v", i * d + j), "be finite", v[i * d + j]);
      o[j] += p[i] * v[i * d + j];
    }
  }
  return o;
}

double noise_mgf(Noise noise, double b, double t) {
  check_noise_args("attentionNoiseMgf", b, 0);
  require(std::isfinite(t), "attentionNoiseMgf", "t", "be finite", t);
  const double x = b * t;
  switch (noise) {
    case Noise::gaussian: return std::exp(0.5 * x * x);
    case Noise::uniform: return x == 0 ? 1.0 : std::sinh(x) / x;
    case Noise::gumbel: return x < 1 ? std::tgamma(1 - x) : kInf;
    case Noise::laplace: return std::fabs(x) < 1 ? 1 / (1 - x * x) : kInf;
  }
  return kInf;
}

NoiseTheory noise_theory(Noise noise, double b, double logit_std) {
  check_noise_args("attentionNoiseTheory", b, logit_std);
  const double alpha = tail_index(noise, b);
  NoiseTheory th{alpha > 1, alpha > 2, 0, std::nan("")};
  if (th.variance_finite) {
    const double m1 = noise_mgf(noise, b, 1), m2 = noise_mgf(noise, b, 2);
    const double var = std::exp(logit_std * logit_std) * (m2 / (m1 * m1) - 1);
    th.slope = -0.5;
    th.constant = std::sqrt(2 * var / kPi);
  } else {
    th.slope = th.mean_finite ? 1 / alpha - 1 : 0.0;
  }
  return th;
}

NoiseError noise_error(std::size_t n, Noise noise, double b, double logit_std, std::size_t trials, std::uint64_t seed,
                       const char* fn) {
  require(n >= 1 && n <= 10000000, fn, "n", "be an integer in [1, 1e7]", n);
  require(trials >= 2 && trials <= 1000000, fn, "trials", "be an integer in [2, 1e6]", trials);
  require(double(n) * double(trials) <= kMaxNoiseWork, fn, "n × trials", "be at most the work cap 1e9", double(n) * double(trials));
  check_noise_args(fn, b, logit_std);
  Prng rng(seed ^ (0x9e3779b97f4a7c15ULL * (n + 1)));
  std::vector<double> s(n), sn(n), v(n), p(n);
  double sum = 0, sum2 = 0;
  for (std::size_t k = 0; k < trials; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      s[i] = logit_std * rng.normal();
      v[i] = rng.normal();
      sn[i] = s[i] + draw_noise(rng, noise, b);
    }
    softmax::softmax_into(s.data(), n, 1.0, p.data());
    double o = 0, on = 0;
    for (std::size_t i = 0; i < n; ++i) o += p[i] * v[i];
    softmax::softmax_into(sn.data(), n, 1.0, p.data());
    for (std::size_t i = 0; i < n; ++i) on += p[i] * v[i];
    const double e = std::fabs(on - o);
    sum += e;
    sum2 += e * e;
  }
  const double mean = sum / trials;
  const double var = std::max(0.0, (sum2 - trials * mean * mean) / (trials - 1));
  return {n, mean, std::sqrt(var / trials), trials};
}

SlopeFit fit_loglog(const std::vector<double>& n, const std::vector<double>& mean, const std::vector<double>& se, const char* fn) {
  require(n.size() >= 2 && mean.size() == n.size() && se.size() == n.size(), fn, "n", "have >= 2 points matching mean and stderr", n.size());
  double sw = 0, sx = 0, sy = 0;
  std::vector<double> x(n.size()), y(n.size()), w(n.size());
  for (std::size_t i = 0; i < n.size(); ++i) {
    require(n[i] > 0 && std::isfinite(n[i]), fn, indexed("n", i), "be positive", n[i]);
    require(mean[i] > 0 && std::isfinite(mean[i]), fn, indexed("mean", i), "be positive", mean[i]);
    require(se[i] > 0 && std::isfinite(se[i]), fn, indexed("stderr", i), "be positive", se[i]);
    x[i] = std::log(n[i]);
    y[i] = std::log(mean[i]);
    w[i] = (mean[i] / se[i]) * (mean[i] / se[i]);  // 1/Var(log mean) by the delta method
    sw += w[i];
    sx += w[i] * x[i];
    sy += w[i] * y[i];
  }
  const double xm = sx / sw, ym = sy / sw;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n.size(); ++i) {
    sxx += w[i] * (x[i] - xm) * (x[i] - xm);
    sxy += w[i] * (x[i] - xm) * (y[i] - ym);
  }
  require(sxx > 0, fn, "n", "contain at least two distinct values", n.size());
  const double slope = sxy / sxx;
  return {slope, std::sqrt(1 / sxx), ym - slope * xm};
}

ScalingSummary summarize_scaling(const std::vector<double>& n, const std::vector<double>& mean, const std::vector<double>& se,
                                 Noise noise, double scale, double logit_std, const char* fn) {
  ScalingSummary r{fit_loglog(n, mean, se, fn), noise_theory(noise, scale, logit_std), {}, {}};
  for (double x : n) {
    r.fitted.push_back(std::exp(r.fit.intercept + r.fit.slope * std::log(x)));
    r.predicted.push_back(r.theory.variance_finite ? r.theory.constant / std::sqrt(x) : std::nan(""));
  }
  return r;
}

double entropy(const double* s, std::size_t n) {
  const std::size_t am = checked_argmax("softmaxEntropy", s, n);
  const double m = s[am];
  double rest = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (i != am) rest += std::exp(s[i] - m);
  const double z = 1 + rest;
  double cross = 0;  // Σ_{i≠max} p_i (m − s_i) >= 0
  for (std::size_t i = 0; i < n; ++i)
    if (i != am && s[i] != -kInf) cross += std::exp(s[i] - m) / z * (m - s[i]);
  return std::log1p(rest) + cross;
}
double entropy(const std::vector<double>& s) { return entropy(s.data(), s.size()); }

double jacobian_half_l1(const double* s, std::size_t n) {
  const std::size_t am = checked_argmax("softmaxJacobianHalfL1", s, n);
  const double m = s[am];
  double rest = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (i != am) rest += std::exp(s[i] - m);
  const double z = 1 + rest;
  double acc = (1 / z) * (rest / z);  // p_max (1 − p_max)
  for (std::size_t i = 0; i < n; ++i)
    if (i != am) {
      const double p = std::exp(s[i] - m) / z;
      acc += p * (1 - p);
    }
  return acc;
}
double jacobian_half_l1(const std::vector<double>& s) { return jacobian_half_l1(s.data(), s.size()); }

namespace {
void check_tau(const char* fn, double tau, double lo, double hi) {
  require(std::isfinite(tau) && tau >= lo && tau <= hi, fn, "tau", "be in [" + format_value(lo) + ", " + format_value(hi) + "]", tau);
}
// gap(u) with u the fraction at +a, normalised by e^{a}: Y' = u + (1−u)r, r = e^{−2a};
// log n − H = −log Y' − 2a(1−u)r/Y'  [derived from the post's expression; no overflow for large a].
double gap_plus_fraction(double u, double a) {
  const double r = std::exp(-2 * a);
  const double y = u + (1 - u) * r;
  return -std::log(y) - 2 * a * (1 - u) * r / y;
}
}  // namespace

double two_level_gap(std::size_t n, std::size_t k, double tau) {
  const char* fn = "twoLevelEntropyGap";
  require(n >= 1 && n <= 100000000, fn, "n", "be an integer in [1, 1e8]", n);
  require(k >= 1 && k <= n, fn, "plus", "be an integer in [1, n]", k);
  check_tau(fn, tau, 1e-3, 1e6);
  return gap_plus_fraction(double(k) / double(n), 1 / tau);
}

MinEntropy min_entropy(std::size_t n, double tau) {
  const char* fn = "minEntropy";
  require(n >= 1 && n <= 100000000, fn, "n", "be an integer in [1, 1e8]", n);
  check_tau(fn, tau, 1e-3, 1e6);
  const double a = 1 / tau;
  MinEntropy best{std::log(double(n)), 0.0, n, 0};  // k = n: all equal, H = log n
  for (std::size_t k = 1; k < n; ++k) {  // k = 0 is the same uniform p as k = n
    const double g = gap_plus_fraction(double(k) / double(n), a);
    if (g > best.gap) best = {0, g, k, n - k};
  }
  // H directly (not log n − gap, which cancels when H is tiny): H = log(k + (n−k)r) + 2a(n−k)r/(k + (n−k)r).
  const double r = std::exp(-2 * a), k = double(best.plus), rest = double(best.minus) * r;
  best.entropy = std::log1p((k - 1) + rest) + 2 * a * rest / (k + rest);
  return best;
}

double entropy_gap_fraction(double t, double tau) {
  require(std::isfinite(t) && t >= 0 && t < 1, "entropyGapFraction", "t", "be in [0, 1)", t);
  check_tau("entropyGapFraction", tau, 1e-3, 1e6);
  return gap_plus_fraction(1 - t, 1 / tau);
}

EntropyLimit min_entropy_limit(double tau) {
  check_tau("minEntropyLimit", tau, 1e-2, 1e3);
  const double a = 1 / tau, sh = std::sinh(a);
  const double u = (a / sh - std::exp(-a)) / (2 * sh);  // fraction at +a
  return {1 - u, gap_plus_fraction(u, a), gap_plus_fraction(0.5, a)};
}

ScaleCurve init_scale_curve(std::size_t n, const std::vector<double>& scales, std::size_t trials, std::uint64_t seed,
                            std::size_t offset) {
  const char* fn = "attentionInitScaleCurve";
  require(n >= 1 && n <= 1000000, fn, "n", "be an integer in [1, 1e6]", n);
  require(trials >= 2 && trials <= 100000, fn, "trials", "be an integer in [2, 1e5]", trials);
  require(double(n) * double(trials) <= kMaxNoiseWork, fn, "n × trials", "be at most the work cap 1e9 (per scale)",
          double(n) * double(trials));
  ScaleCurve c;
  std::vector<double> s(n);
  for (std::size_t j = 0; j < scales.size(); ++j) {
    const double sc = scales[j];
    require(std::isfinite(sc) && sc >= 0 && sc <= 1e4, fn, indexed("scales", j), "be in [0, 1e4]", sc);
    Prng rng(seed ^ (0xd1b54a32d192ed03ULL * (offset + j + 1)));
    double h = 0, h2 = 0, l = 0, l2 = 0;
    for (std::size_t k = 0; k < trials; ++k) {
      for (auto& x : s) x = sc * rng.normal();
      const double e = entropy(s), q = jacobian_half_l1(s);
      h += e;
      h2 += e * e;
      l += q;
      l2 += q * q;
    }
    const double hm = h / trials, lm = l / trials;
    c.scale.push_back(sc);
    c.entropy.push_back(hm);
    c.entropy_stderr.push_back(std::sqrt(std::max(0.0, (h2 - trials * hm * hm) / (trials - 1)) / trials));
    c.half_l1.push_back(lm);
    c.half_l1_stderr.push_back(std::sqrt(std::max(0.0, (l2 - trials * lm * lm) / (trials - 1)) / trials));
  }
  return c;
}

}  // namespace probwasm::attention
