#include "attention/attention.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "common/errors.hpp"
#include "common/prng.hpp"
#include "numeric_test.hpp"

using namespace probwasm::attention;
using probwasm::testing::close_abs;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {
const double inf = std::numeric_limits<double>::infinity();
const double e = std::exp(1.0);

// Independent reference: p_i = e^{s_i − max}/Σ_j e^{s_j − max} and −Σ p log p, in long double.
std::vector<long double> probs_ref(const std::vector<double>& s) {
  double m = s[0];
  for (double v : s) m = std::fmax(m, v);
  long double z = 0;
  for (double v : s) z += std::exp(static_cast<long double>(v) - m);
  std::vector<long double> p;
  for (double v : s) p.push_back(std::exp(static_cast<long double>(v) - m) / z);
  return p;
}
long double entropy_ref(const std::vector<double>& s) {
  long double h = 0;
  for (long double p : probs_ref(s))
    if (p > 0) h -= p * std::log(p);
  return h;
}

// Golden-section search for the maximum of a unimodal f on [lo, hi] (a second algorithm for t*).
template <class F>
double golden_max(F f, double lo, double hi) {
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = lo, b = hi, c = b - g * (b - a), d = a + g * (b - a);
  for (int i = 0; i < 200; ++i) {
    if (f(c) > f(d)) b = d; else a = c;
    c = b - g * (b - a);
    d = a + g * (b - a);
  }
  return (a + b) / 2;
}
}  // namespace

TEST_CASE("attention output is the softmax-weighted mean of the values") {
  const std::vector<double> s{0.3, -1, 2}, v{1, 10, 2, 20, 3, 30};
  const auto o = attention_output(s, v);
  long double z = 0, o0 = 0, o1 = 0;
  for (int i = 0; i < 3; ++i) {
    const long double w = std::exp(static_cast<long double>(s[i]));
    z += w;
    o0 += w * v[2 * i];
    o1 += w * v[2 * i + 1];
  }
  REQUIRE(o.size() == 2);
  CHECK(close_rel(o[0], double(o0 / z), 8 * eps));
  CHECK(close_rel(o[1], double(o1 / z), 8 * eps));
  CHECK(attention_output({5}, {7})[0] == 7.0);  // n = 1: p = 1
  CHECK(attention_output({0, -inf}, {1, 1e300})[0] == 1.0);  // a masked row never contributes
  CHECK_THROWS_WITH_AS(attention_output({1, 2}, {1, 2, 3}), "attentionOutput: v must hold n × d entries for n = 2, got 3", std::invalid_argument);
  CHECK_THROWS_AS(attention_output({}, {}), std::invalid_argument);
}

TEST_CASE("the noise moment generating functions match numerical quadrature of the densities") {
  // Simpson's rule on a wide grid: a second algorithm for E[e^{tε}], independent of the closed forms.
  auto quad = [](auto pdf, double lo, double hi, double t) {
    const int m = 200000;
    const double h = (hi - lo) / m;
    double acc = 0;
    for (int i = 0; i <= m; ++i) {
      const double x = lo + i * h, w = (i == 0 || i == m) ? 1 : (i % 2 ? 4 : 2);
      acc += w * pdf(x) * std::exp(t * x);
    }
    return acc * h / 3;
  };
  const double b = 0.3;
  for (double t : {1.0, 2.0}) {
    CHECK(close_rel(noise_mgf(Noise::gaussian, b, t), quad([&](double x) { return std::exp(-x * x / (2 * b * b)) / (b * std::sqrt(2 * M_PI)); }, -40 * b, 40 * b, t), 1e-10));
    CHECK(close_rel(noise_mgf(Noise::laplace, b, t), quad([&](double x) { return std::exp(-std::fabs(x) / b) / (2 * b); }, -60 * b, 60 * b, t), 1e-8));
    CHECK(close_rel(noise_mgf(Noise::gumbel, b, t), quad([&](double x) { const double z = x / b; return std::exp(-z - std::exp(-z)) / b; }, -10 * b, 80 * b, t), 1e-8));
    // uniform density has jumps at ±b: integrate exactly over [−b, b] where it is smooth
    CHECK(close_rel(noise_mgf(Noise::uniform, b, t), quad([&](double) { return 1 / (2 * b); }, -b, b, t), 1e-12));
  }
  CHECK(noise_mgf(Noise::gumbel, 1.0, 1.0) == inf);  // the standard Gumbel has E[e^ε] = Γ(0) = ∞
  CHECK(noise_mgf(Noise::laplace, 0.6, 2.0) == inf);
  CHECK(noise_mgf(Noise::uniform, 0.0, 2.0) == 1.0);
  const auto th = noise_theory(Noise::gumbel, 1.0, 1.0);
  CHECK(!th.mean_finite);
  CHECK(th.slope == 0.0);
  const auto heavy = noise_theory(Noise::laplace, 0.75, 1.0);  // α = 4/3: rate n^{1/α − 1} = n^{−1/4}
  CHECK(heavy.mean_finite);
  CHECK(!heavy.variance_finite);
  CHECK(close_abs(heavy.slope, -0.25, 4 * eps));
}

TEST_CASE("attention error under i.i.d. logit noise shrinks like n^-1/2 for every light-tailed noise") {
  // Each n has its own stream; the slope's standard error comes from the Monte Carlo standard errors (delta
  // method). |slope + 1/2| <= 4 standard errors: a false alarm has probability < 1e-4 for a correct rate.
  const std::vector<double> ns{1000, 3000, 10000, 30000};
  struct Case { Noise noise; double scale; };
  for (const Case c : {Case{Noise::gaussian, 1.0}, Case{Noise::uniform, 1.0}, Case{Noise::gumbel, 0.3}, Case{Noise::laplace, 0.3}}) {
    std::vector<double> m, se;
    for (double n : ns) {
      const auto r = noise_error(std::size_t(n), c.noise, c.scale, 1.0, 150, 2023);
      m.push_back(r.mean);
      se.push_back(r.stderr_);
    }
    const auto fit = fit_loglog(ns, m, se);
    INFO("noise " << int(c.noise) << " slope " << fit.slope << " ± " << fit.slope_stderr);
    CHECK(noise_theory(c.noise, c.scale, 1.0).slope == -0.5);
    CHECK(std::fabs(fit.slope + 0.5) <= 4 * fit.slope_stderr);
    CHECK(fit.slope_stderr < 0.05);  // the test has power: it would reject a slope of −1/4
    const auto sum = summarize_scaling(ns, m, se, c.noise, c.scale, 1.0);
    CHECK(sum.fit.slope == fit.slope);
    for (std::size_t i = 0; i < ns.size(); ++i) {
      CHECK(close_rel(sum.predicted[i], sum.theory.constant / std::sqrt(ns[i]), 2 * eps));
      CHECK(close_rel(sum.fitted[i], std::exp(fit.intercept) * std::pow(ns[i], fit.slope), 64 * eps));
    }
  }
}

TEST_CASE("the Monte Carlo error matches the delta-method constant sqrt(2V/pi) at large n") {
  // Logits all equal (σ_s = 0): õ − o = Σ (w_i − w̄) v_i / Σ w_i with w = e^ε, so V = Var(w)/E[w]² exactly in
  // the limit; at n = 1e4 the O(1/n) correction is far below the Monte Carlo error.
  for (Noise noise : {Noise::gaussian, Noise::uniform}) {
    const auto th = noise_theory(noise, 0.5, 0.0);
    const auto r = noise_error(10000, noise, 0.5, 0.0, 400, 99);
    INFO("mean " << r.mean << " se " << r.stderr_ << " predicted " << th.constant / 100);
    CHECK(std::fabs(r.mean - th.constant / 100) <= 4 * r.stderr_);
  }
  // Seeded: the same seed gives the same estimate; another seed, another estimate.
  CHECK(noise_error(100, Noise::laplace, 0.2, 1, 10, 5).mean == noise_error(100, Noise::laplace, 0.2, 1, 10, 5).mean);
  CHECK(noise_error(100, Noise::laplace, 0.2, 1, 10, 5).mean != noise_error(100, Noise::laplace, 0.2, 1, 10, 6).mean);
  CHECK(noise_error(100, Noise::gaussian, 0.0, 1, 10, 5).mean == 0.0);  // no noise, no error
  CHECK_THROWS_WITH_AS(noise_error(0, Noise::gaussian, 1, 1, 10, 1), "attentionNoiseError: n must be an integer in [1, 1e7], got 0", std::invalid_argument);
  CHECK_THROWS_AS(parse_noise("f", "cauchy"), probwasm::type_error);
}

TEST_CASE("entropy of softmax: long-double reference, bounds, special values") {
  probwasm::Prng rng(1);
  for (int trial = 0; trial < 100; ++trial) {
    const std::size_t n = 1 + rng.below(50);
    std::vector<double> s(n);
    const double sc = std::exp(4 * rng.normal());
    for (auto& x : s) x = sc * rng.normal();
    const double h = entropy(s);
    CHECK(h >= 0);
    CHECK(h <= std::log(double(n)) * (1 + 4 * eps));
    CHECK(close_abs(h, double(entropy_ref(s)), 16 * eps * (1 + std::log(double(n)))));
    // ½‖J‖₁ with J = diag(p) − ppᵀ, summed entry by entry, equals 1 − Σp² (post 8's identity)
    const auto p = probs_ref(s);
    long double l1 = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) l1 += std::fabs((i == j ? p[i] : 0) - p[i] * p[j]);
    CHECK(close_abs(jacobian_half_l1(s), double(l1 / 2), 16 * eps));
  }
  CHECK(close_rel(entropy(std::vector<double>(1000, 2.5)), std::log(1000.0), 4 * eps));  // uniform: log n
  CHECK(entropy({7.0}) == 0.0);
  CHECK(entropy({0.0, -inf, -inf}) == 0.0);
  CHECK(jacobian_half_l1({0.0, -inf}) == 0.0);
  // Nearly one-hot: H = ξ(1 − log ξ) + O(ξ²) with ξ = e^{−50}; relative accuracy survives.
  const double xi = std::exp(-50.0);
  CHECK(close_rel(entropy({0.0, -50.0}), xi * (1 + 50) - xi * xi * 51, 8 * eps));
  CHECK(close_rel(jacobian_half_l1({0.0, -50.0}), 2 * xi / ((1 + xi) * (1 + xi)), 8 * eps));
  CHECK(close_abs(entropy({1e300, 1e300 - 1e290}), 0.0, 0.0));
  CHECK_THROWS_WITH_AS(entropy({1.0, std::nan("")}), "softmaxEntropy: s[1] must not be NaN, got NaN", std::invalid_argument);
  CHECK_THROWS_AS(entropy(std::vector<double>{}), std::invalid_argument);
  CHECK_THROWS_AS(jacobian_half_l1({inf}), std::invalid_argument);
}

TEST_CASE("minimum entropy over [-1/tau, 1/tau]^n: the scan matches brute force and the post's table") {
  // Brute force over every ±1 sign pattern (2^n configurations, long-double entropy) for n <= 12.
  for (std::size_t n = 2; n <= 12; ++n) {
    long double best = -1;
    for (unsigned mask = 0; mask < (1u << n); ++mask) {
      std::vector<double> s(n);
      for (std::size_t i = 0; i < n; ++i) s[i] = (mask >> i) & 1 ? 1.0 : -1.0;
      best = std::max(best, std::log(static_cast<long double>(n)) - entropy_ref(s));
    }
    const auto r = min_entropy(n, 1.0);
    INFO("n = " << n);
    CHECK(close_abs(r.gap, double(best), 16 * eps));
    CHECK(r.plus + r.minus == n);
  }
  // No point of the box beats the extremes (the reader's boundary argument), n = 5, random interior points.
  probwasm::Prng rng(9);
  const double hmin = min_entropy(5, 1.0).entropy;
  for (int k = 0; k < 20000; ++k) {
    std::vector<double> s(5);
    for (auto& x : s) x = 2 * rng.uniform() - 1;
    CHECK(entropy(s) >= hmin - 4 * eps);
  }
  // The post's table (τ = 1): log n − H_min and the count of −1 logits, to the digits printed there.
  struct Row { std::size_t n; double gap; std::size_t minus; };
  for (const Row row : {Row{2, 0.32781, 1}, Row{3, 0.43304, 2}, Row{4, 0.46801, 3}, Row{8, 0.46801, 6},
                        Row{16, 0.47315, 13}, Row{64, 0.47445, 51}, Row{1000, 0.474474, 794}}) {
    const auto r = min_entropy(row.n, 1.0);
    INFO("n = " << row.n << " gap " << r.gap);
    CHECK(std::fabs(r.gap - row.gap) <= (row.n == 1000 ? 5e-7 : 5e-6));
    CHECK(r.minus == row.minus);
  }
  // Small τ: the lower bound approaches 0 (one logit at +1/τ, the rest e^{−2/τ} times smaller).
  CHECK(min_entropy(100, 0.01).entropy < 1e-80);
  CHECK(min_entropy(1, 1.0).gap == 0.0);
  CHECK_THROWS_WITH_AS(min_entropy(10, 0.0), "minEntropy: tau must be in [0.001, 1000000], got 0", std::invalid_argument);
}

TEST_CASE("the large-n constant: closed form, golden-section maximisation and finite-n limits agree") {
  const auto lim = min_entropy_limit(1.0);
  // The post's closed form for τ = 1.
  const double e2 = e * e, e4 = e2 * e2;
  CHECK(close_rel(lim.fraction_minus, (e4 - 3 * e2) / (e4 - 2 * e2 + 1), 16 * eps));
  // A second algorithm: maximise the post's expression numerically (golden section: the argmax to ~√eps).
  const auto f = [](double t) { return -std::log(t / e + (1 - t) * e) + ((1 - t) * e - t / e) / (t / e + (1 - t) * e); };
  const double tnum = golden_max(f, 0.0, 1.0);
  CHECK(std::fabs(tnum - lim.fraction_minus) <= 1e-7);
  CHECK(close_rel(lim.gap, f(lim.fraction_minus), 16 * eps));
  CHECK(close_rel(entropy_gap_fraction(lim.fraction_minus, 1.0), lim.gap, 4 * eps));
  CHECK(std::fabs(lim.fraction_minus - 0.7944868) < 5e-8);
  CHECK(std::fabs(lim.gap - 0.4744746) < 5e-8);
  // History: Su's first half/half value −log((e + 1/e)/2) + (e − 1/e)/(e + 1/e) = 0.3278133…, exactly n = 2.
  CHECK(close_rel(lim.half_split_gap, -std::log((e + 1 / e) / 2) + (e - 1 / e) / (e + 1 / e), 16 * eps));
  CHECK(close_rel(lim.half_split_gap, min_entropy(2, 1.0).gap, 16 * eps));
  CHECK(std::fabs(lim.half_split_gap - 0.3278133) < 5e-8);
  // Finite n is the continuum sampled at t = k/n, so gap_n <= c and c − gap_n <= ½|g''(t*)|·(1/(2n))² to second
  // order (the nearest k/n is within 1/(2n) of t*); the bound below uses (1/n)², a factor 4 of room for the cubic term.
  const double h = 1e-4;
  const double g2 = std::fabs(f(lim.fraction_minus + h) - 2 * f(lim.fraction_minus) + f(lim.fraction_minus - h)) / (h * h);
  CHECK(g2 > 0);
  for (std::size_t n : {10u, 100u, 1000u, 100000u}) {
    const double gn = min_entropy(n, 1.0).gap;
    CHECK(gn <= lim.gap + 4 * eps);
    CHECK(lim.gap - gn <= 0.5 * g2 / (double(n) * n) * 1.01 + 4 * eps);
  }
  // Other τ: the derived closed form vs golden section on entropy_gap_fraction.
  for (double tau : {0.1, 0.5, 2.0, 10.0}) {
    const auto l = min_entropy_limit(tau);
    const double tn = golden_max([&](double t) { return entropy_gap_fraction(t, tau); }, 0.0, 1.0 - 1e-12);
    INFO("tau " << tau);
    CHECK(std::fabs(tn - l.fraction_minus) <= 1e-6);
    CHECK(l.gap >= entropy_gap_fraction(tn, tau) - 4 * eps);
  }
  CHECK(min_entropy_limit(0.1).gap > min_entropy_limit(1.0).gap);  // smaller τ, lower entropy floor
}

TEST_CASE("entropy and half-L1 of the Jacobian against the scale of random initial logits") {
  const std::size_t n = 20000;
  const auto c = init_scale_curve(n, {0.0, 0.25, 0.5, 2.0, 8.0, 64.0}, 20, 4);
  REQUIRE(c.entropy.size() == 6);
  CHECK(close_rel(c.entropy[0], std::log(double(n)), 4 * eps));  // scale 0: uniform
  CHECK(close_rel(c.half_l1[0], 1 - 1.0 / n, n * eps));  // a recursive sum of n terms: relative error <= (n−1)·eps
  // LLN [derived]: H → log n + log E e^{σg} − E[σg e^{σg}]/E e^{σg} = log n − σ²/2 for small σ; the O(e^{σ²}/n)
  // correction is < 1e-4 here, far below 4 standard errors + that correction.
  for (int j : {1, 2}) {
    const double sg = c.scale[j];
    CHECK(std::fabs(c.entropy[j] - (std::log(double(n)) - sg * sg / 2)) <= 4 * c.entropy_stderr[j] + std::exp(sg * sg) / n);
  }
  for (std::size_t j = 1; j < 6; ++j) {
    CHECK(c.entropy[j] < c.entropy[j - 1]);
    CHECK(c.half_l1[j] < c.half_l1[j - 1]);
  }
  CHECK(c.entropy[5] < 0.5);   // huge initial scale: nearly one-hot, little information …
  CHECK(c.half_l1[5] < 0.25);  // … and little gradient
  CHECK_THROWS_AS(init_scale_curve(10, {-1.0}, 10, 1), std::invalid_argument);
  // One scale at a time with the offset reproduces the whole curve exactly.
  const auto one = init_scale_curve(n, {2.0}, 20, 4, 3);
  CHECK(one.entropy[0] == c.entropy[3]);
  CHECK(one.half_l1[0] == c.half_l1[3]);
}
