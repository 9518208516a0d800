#include "contrastive/contrastive.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "common/prng.hpp"
#include "numeric_test.hpp"

using namespace probwasm::contrastive;
using probwasm::testing::close_abs;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {
constexpr double eps32 = std::numeric_limits<float>::epsilon();  // 2^-23
constexpr double half_ulp_one32 = 0x1.0p-24;                      // 1 + x rounds to 1 in float32 iff x <= 2^-24
const double inf = std::numeric_limits<double>::infinity();

// Reference: ξ = (K−1)e^{−D}, CE = log1p(ξ), ∂CE/∂s_t = −ξ/(1+ξ), FlatNCE = log(K−1) − D, in long double.
struct Ref {
  long double xi, ce, grad_t, flat;
};
Ref reference(std::size_t k, long double d) {
  const long double xi = (k - 1) * std::exp(-d);
  return {xi, std::log1p(xi), -xi / (1 + xi), std::log(static_cast<long double>(k - 1)) - d};
}
}  // namespace

TEST_CASE("the post's §3.5 table: float64 columns agree with long-double closed forms") {
  // K = 8, s_t = 10, seven negatives at 10 − D.
  const auto rows = margin_sweep(8, 10.0, {10, 15, 17, 20});
  for (const auto& r : rows) {
    INFO("D = " << r.margin);
    const Ref ref = reference(8, r.margin);
    // ξ from exp of a logsumexp: a few ulps of relative error (exp amplifies the absolute error of log ξ ≈ −D by D).
    CHECK(close_rel(r.xi, double(ref.xi), 4 * eps * (1 + r.margin)));
    CHECK(close_rel(r.ce64, double(ref.ce), 4 * eps * (1 + r.margin)));
    CHECK(close_rel(r.grad64, double(ref.grad_t), 4 * eps * (1 + r.margin)));
    CHECK(close_abs(r.flat64, double(ref.flat), 4 * eps * r.margin));
    // FlatNCE in float32 equals float64 to a few float32 ulps of its O(1) value (post: "to 4 decimals").
    CHECK(close_abs(r.flat32, r.flat64, 4 * eps32 * std::fabs(r.flat64)));
  }
  // The post's rounded values of ξ and FlatNCE (3 and 4 significant digits) follow from the closed forms.
  CHECK(rows[0].xi == doctest::Approx(3.177e-4).epsilon(5e-4));
  CHECK(rows[1].flat64 == doctest::Approx(-13.0541).epsilon(1e-5));
  CHECK(rows[3].ce64 == doctest::Approx(1.443e-8).epsilon(5e-4));
}

TEST_CASE("float32 cross-entropy collapses to exactly zero once 1 + e^{s_i - s_t} rounds to 1") {
  // The framework (shifted) evaluation sums e^{s_i − m} in float32 with the positive's 1 first; each negative
  // term e^{−D} ≤ 2^-24 is then absorbed exactly (round to nearest even), so Σ = 1, log Σ = 0 and p_t − 1 = 0.
  // A term > 2^-24 (and so ξ > 2^-24) survives. The naive evaluation sums e^{s_i} with fl(e^{s_t}) first: a term
  // below half an ulp of fl(e^{s_t}) is absorbed, and log(fl(e^{s_t})) rounds back to s_t when it lies within
  // a few hundredths of an ulp of s_t (checked below), giving exactly 0 as well.
  int zeros = 0, nonzeros = 0;
  for (double d = 8; d <= 30; d += 0.125) {
    const auto r = margin_sweep(8, 10.0, {d})[0];
    INFO("D = " << d << ", xi = " << r.xi);
    const float term = std::exp(-float(d));  // what the float32 sum adds, seven times
    if (term <= half_ulp_one32) {
      CHECK(r.ce32_shifted == 0.0);
      CHECK(r.grad32_shifted == 0.0);
      ++zeros;
    } else {
      // Seven float32 additions at magnitude ~1, each off by at most 2^-24: |fl(1+ξ) − (1+ξ)| <= 7·2^-24.
      CHECK(r.ce32_shifted > 0.0);
      CHECK(std::fabs(r.ce32_shifted - r.ce64) <= 8 * half_ulp_one32 + 2 * eps32 * r.ce64);
      ++nonzeros;
    }
    const float big = std::exp(10.0f);
    const float half_ulp_big = std::nextafter(big, 2 * big) - big;
    if (std::exp(float(10 - d)) < half_ulp_big / 2) {
      CHECK(std::fabs(std::log(double(big)) - 10.0) < 0.1 * (std::nextafter(10.0f, 20.0f) - 10.0f));
      CHECK(r.ce32_naive == 0.0);
      CHECK(r.grad32_naive == 0.0);
    }
    // FlatNCE never collapses: its float32 value is log 7 − D to float32 rounding.
    CHECK(close_abs(r.flat32, std::log(7.0) - d, 4 * eps32 * (1 + d)));
    // The stable float32 evaluation keeps CE and its gradient to a few float32 ulps, however small ξ is.
    CHECK(close_rel(r.ce32_stable, r.ce64, 8 * eps32 * (1 + d)));
    CHECK(close_rel(r.grad32_stable, r.grad64, 8 * eps32 * (1 + d)));
  }
  CHECK(zeros > 0);
  CHECK(nonzeros > 0);
  // The rule of thumb: the collapse starts where ξ/7 ≈ 2^-24, i.e. ξ ≈ 4e-7 for K = 8; with one negative, at 6e-8.
  const auto one = margin_sweep(2, 10.0, {16.5, 16.7});
  CHECK(one[0].xi > half_ulp_one32);
  CHECK(one[0].ce32_shifted > 0.0);
  CHECK(one[1].xi < half_ulp_one32);
  CHECK(one[1].ce32_shifted == 0.0);
}

TEST_CASE("the naive float32 log-sum-exp at D = 15 is quantised to ulps of s_t (the post's 34% error row)") {
  const auto r = margin_sweep(8, 10.0, {15})[0];
  // log Σ e^{s_i} ≈ 10 lies in [8, 16), where float32 values are multiples of 2^-20; minus s_t = 10 is exact (Sterbenz).
  const double q = r.ce32_naive / 0x1.0p-20;
  CHECK(q == std::round(q));
  // Within one such ulp of the truth, and so wrong by more than 10% of ξ ≈ 2.14e-6.
  CHECK(std::fabs(r.ce32_naive - r.ce64) <= 0x1.0p-20);
  CHECK(std::fabs(r.ce32_naive - r.ce64) / r.ce64 > 0.1);
}

TEST_CASE("gradient identity: grad CE = xi/(1+xi) grad FlatNCE to rounding in float64") {
  probwasm::Prng rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    const std::size_t k = 2 + rng.below(30), t = rng.below(k);
    std::vector<double> s(k);
    for (auto& v : s) v = 6 * rng.normal();
    const auto ce = cross_entropy(s.data(), k, t, Evaluation::stable);
    const auto fl = flatnce(s.data(), k, t, Evaluation::stable);
    const double w = ce.xi / (1 + ce.xi);
    for (std::size_t i = 0; i < k; ++i) {
      INFO("k=" << k << " t=" << t << " i=" << i);
      CHECK(close_abs(ce.grad[i], w * fl.grad[i], 8 * eps * w * std::fabs(fl.grad[i]) + 4 * eps * w));
    }
    // The three evaluations agree in float64 up to the absolute rounding of log Σ and of the subtraction of
    // s_t, each a few eps times the magnitudes involved (|log Σ e^{s}| <= max|s| + log K).
    const auto naive = cross_entropy(s.data(), k, t, Evaluation::naive);
    const auto shifted = cross_entropy(s.data(), k, t, Evaluation::shifted);
    double smax = 0;
    for (double v : s) smax = std::fmax(smax, std::fabs(v));
    const double tol = 8 * eps * (2 * smax + std::log(double(k)) + 1);
    CHECK(close_abs(naive.value, ce.value, tol));
    CHECK(close_abs(shifted.value, ce.value, tol));
  }
  // Rows of the sweep report the identity error: rounding in float64, O(1) in float32 once CE underflows.
  const auto rows = margin_sweep(8, 10.0, {1, 10, 20});
  for (const auto& r : rows) {
    CHECK(r.identity64 <= 16 * eps);
    // float32 stable CE vs float32 FlatNCE scaled by the float64 weight: float32 rounding of the scores
    // (|s| <= 10, absolute error 2^-20 in s → relative ~1e-6 in e^{s}) plus a few ulps of arithmetic.
    CHECK(r.identity32_stable <= 64 * eps32 * (1 + r.margin));
  }
  CHECK(rows[2].identity32 == doctest::Approx(1.0).epsilon(1e-6));  // CE gradient is exactly 0: error = 100%
}

TEST_CASE("loss gradients match central finite differences") {
  probwasm::Prng rng(11);
  for (Loss loss : {Loss::cross_entropy, Loss::flatnce}) {
    for (Evaluation ev : {Evaluation::naive, Evaluation::shifted, Evaluation::stable}) {
      const std::size_t k = 6, t = 2;
      std::vector<double> s(k);
      for (auto& v : s) v = rng.normal();
      const auto r = contrastive_loss(loss, s.data(), k, t, ev);
      const double h = 1e-5;  // truncation ~h²·|f'''| ≈ 1e-10, rounding ~eps·|f|/h ≈ 1e-11
      for (std::size_t i = 0; i < k; ++i) {
        auto sp = s, sm = s;
        sp[i] += h;
        sm[i] -= h;
        const double fd = (contrastive_loss(loss, sp.data(), k, t, ev).value - contrastive_loss(loss, sm.data(), k, t, ev).value) / (2 * h);
        CHECK(close_abs(r.grad[i], fd, 1e-9));
      }
    }
  }
}

TEST_CASE("special values, invariances and errors") {
  SUBCASE("ties: all scores equal give CE = log K and FlatNCE = log(K-1)") {
    for (std::size_t k : {2u, 3u, 8u, 1000u}) {
      std::vector<double> s(k, 3.5);
      CHECK(close_rel(cross_entropy(s.data(), k, 0, Evaluation::stable).value, std::log(double(k)), 4 * eps));
      CHECK(close_abs(flatnce(s.data(), k, 0, Evaluation::stable).value, std::log(double(k - 1)), 4 * eps * std::log(double(k))));
    }
  }
  SUBCASE("shift invariance and FlatNCE can be negative") {
    std::vector<double> s{5, 1, -2, 0.5}, s2 = s;
    for (auto& v : s2) v += 1000;
    const auto a = flatnce(s.data(), 4, 0, Evaluation::stable), b = flatnce(s2.data(), 4, 0, Evaluation::stable);
    CHECK(a.value < 0);
    CHECK(close_abs(a.value, b.value, 4 * eps * 1000));
    CHECK(cross_entropy(s.data(), 4, 0, Evaluation::stable).value > 0);
  }
  SUBCASE("a -Infinity negative is masked") {
    std::vector<double> s{1, 0.5, -inf, -1}, s3{1, 0.5, -1};
    CHECK(close_rel(cross_entropy(s.data(), 4, 0, Evaluation::stable).value, cross_entropy(s3.data(), 3, 0, Evaluation::stable).value, 2 * eps));
    CHECK(flatnce(s.data(), 4, 0, Evaluation::stable).grad[2] == 0.0);
  }
  SUBCASE("huge scores: naive float32 overflows, shifted and stable stay finite") {
    std::vector<float> s{100.0f, 99.0f, 90.0f};
    const auto n = cross_entropy(s.data(), 3, 0, Evaluation::naive);
    CHECK(!std::isfinite(n.value - n.value));  // e^{100} overflows float32: inf or NaN, never a silent number
    const auto st = cross_entropy(s.data(), 3, 0, Evaluation::stable);
    CHECK(std::isfinite(st.value));
    CHECK(close_rel(double(st.value), std::log1p(std::exp(-1.0) + std::exp(-10.0)), 8 * eps32));
  }
  SUBCASE("bad arguments name the function, the parameter and the value") {
    std::vector<double> s{1, 2, 3};
    CHECK_THROWS_WITH_AS(cross_entropy(s.data(), 1, 0, Evaluation::stable),
                         "infoNce: scores must hold a positive and at least one negative (length >= 2), got 1", std::invalid_argument);
    CHECK_THROWS_WITH_AS(flatnce(s.data(), 3, 3, Evaluation::stable), "flatNce: target must be an index into scores (< 3), got 3", std::invalid_argument);
    std::vector<double> bad{1, std::nan(""), 0};
    CHECK_THROWS_WITH_AS(flatnce(bad.data(), 3, 0, Evaluation::stable), "flatNce: scores[1] must not be NaN, got NaN", std::invalid_argument);
    std::vector<double> pinf{1, inf};
    CHECK_THROWS_AS(cross_entropy(pinf.data(), 2, 0, Evaluation::stable), std::invalid_argument);
    std::vector<double> masked{1, -inf};
    CHECK_THROWS_WITH_AS(flatnce(masked.data(), 2, 0, Evaluation::stable), "flatNce: scores must have at least one finite negative, got \"all -Infinity\"", std::invalid_argument);
    std::vector<double> negpos{-inf, 1};
    CHECK_THROWS_AS(flatnce(negpos.data(), 2, 0, Evaluation::stable), std::invalid_argument);
    CHECK_THROWS_AS(parse_evaluation("f", "fast"), probwasm::type_error);
    CHECK_THROWS_AS(parse_loss("f", "infonce"), probwasm::type_error);
    CHECK_THROWS_AS(margin_sweep(1, 10, {1}), std::invalid_argument);
    CHECK_THROWS_AS(margin_sweep(8, 10, {std::nan("")}), std::invalid_argument);
  }
}

TEST_CASE("float and double instantiations agree when xi is O(1)") {
  probwasm::Prng rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> s(8);
    for (auto& v : s) v = rng.normal();
    std::vector<float> f(s.begin(), s.end());
    std::vector<double> sf(f.begin(), f.end());  // the same float32-rounded scores in double
    for (Loss loss : {Loss::cross_entropy, Loss::flatnce}) {
      const auto a = contrastive_loss(loss, f.data(), 8, 0, Evaluation::stable);
      const auto b = contrastive_loss(loss, sf.data(), 8, 0, Evaluation::stable);
      CHECK(close_abs(a.value, b.value, 16 * eps32 * (1 + std::fabs(b.value))));
      for (int i = 0; i < 8; ++i) CHECK(close_abs(a.grad[i], b.grad[i], 16 * eps32));
    }
  }
}

TEST_CASE("the batch gradient of the encoder matches central finite differences") {
  probwasm::Prng rng(5);
  const int e = 3, din = 4, nb = 4;
  std::vector<double> w(e * din), xa(nb * din), xb(nb * din);
  for (auto& v : w) v = rng.normal();
  for (auto& v : xa) v = rng.normal();
  for (auto& v : xb) v = rng.normal();
  for (Loss loss : {Loss::cross_entropy, Loss::flatnce}) {
    std::vector<double> g, tmp;
    batch_loss_gradient(w, e, din, xa, xb, nb, 0.5, loss, Evaluation::stable, g);
    const double h = 1e-6;
    for (std::size_t i = 0; i < w.size(); ++i) {
      auto wp = w, wm = w;
      wp[i] += h;
      wm[i] -= h;
      const double fd = (batch_loss_gradient(wp, e, din, xa, xb, nb, 0.5, loss, Evaluation::stable, tmp) -
                         batch_loss_gradient(wm, e, din, xa, xb, nb, 0.5, loss, Evaluation::stable, tmp)) / (2 * h);
      CHECK(close_abs(g[i], fd, 1e-7));
    }
  }
}

TEST_CASE("a seeded float32 training run: CE loses the positive's gradient, FlatNCE keeps it") {
  // Per anchor, a float32 CE row with ξ < 2^-24 has ∂/∂s_t exactly 0 while the float64 row is
  // (−ξ/(1+ξ), ξ/(1+ξ)·q) with ‖q‖ <= 1, so its cosine is <= ‖q‖/√(1+‖q‖²) <= 1/√2. Hence the batch mean
  // anchor cosine is <= 1 − underflow·(1 − 1/√2). FlatNCE has no 1 + ξ: its float32 rows are float64's up to
  // float32 rounding of the scores (|s| <= 1/τ = 50): cosine >= 1 − 1e-4.
  TrainConfig c;  // defaults: 32 classes, batch 8, τ = 0.02, Adam lr 1e-2, float32 framework (shifted) CE
  double late_underflow = 0;
  for (Loss loss : {Loss::cross_entropy, Loss::flatnce}) {
    c.loss = loss;
    Trainer a(c), b(c);
    const double acc0 = a.accuracy();
    const auto ra = a.run(600), rb = b.run(600);
    REQUIRE(ra.size() == 600);
    for (std::size_t i = 0; i < ra.size(); ++i) {
      INFO("step " << ra[i].step);
      CHECK(ra[i].loss == rb[i].loss);  // same seed, same numbers
      CHECK(ra[i].anchor_cosine == rb[i].anchor_cosine);
      if (loss == Loss::cross_entropy) {
        CHECK(ra[i].anchor_cosine <= 1 - ra[i].underflow * (1 - 1 / std::sqrt(2.0)) + 1e-9);
        if (i >= 300) late_underflow += ra[i].underflow / 300;
      } else {
        CHECK(ra[i].anchor_cosine >= 1 - 1e-4);
      }
      CHECK((std::isnan(ra[i].cosine) || std::fabs(ra[i].cosine) <= 1 + 1e-12));
    }
    CHECK(a.accuracy() > acc0);
    const auto sm = a.summary(300);
    double mean_ac = 0;
    for (std::size_t i = 300; i < ra.size(); ++i) mean_ac += ra[i].anchor_cosine;
    CHECK(sm.steps == 300);
    CHECK(close_rel(sm.anchor_cosine, mean_ac / 300, 300 * eps));  // contrastive training helps the downstream nearest-centroid classifier
    CHECK(a.steps_done() == 600);
  }
  CHECK(late_underflow > 0.25);  // in this run, a quarter or more of CE's anchors have underflowed by step 300
  // The stable float32 evaluation of the same CE run keeps the gradient: the problem is the evaluation, not float32.
  c.loss = Loss::cross_entropy;
  c.evaluation = Evaluation::stable;
  Trainer s(c);
  for (const auto& r : s.run(600)) CHECK(r.anchor_cosine >= 1 - 1e-4);
  TrainConfig bad;
  bad.batch = 64;  // more than classes
  CHECK_THROWS_WITH_AS(Trainer{bad}, doctest::Contains("contrastiveTrainer: batch must be"), std::invalid_argument);
}

TEST_CASE("the float32 collapse of framework CE depends on where the positive sits in the sum (post 3 §3.5)") {
  // Independent thresholds: positive first, each negative term e^{−D} is added to 1 alone and lost once
  // e^{−D} ≤ 2^-24, D ≥ 24 ln 2; positive last, the K−1 negatives sum first and 1 + (K−1)e^{−D} = 1 once
  // D ≥ 24 ln 2 + ln(K−1).  On a 1/8 grid the first zero sits within one grid step above the threshold.
  for (std::size_t k : {std::size_t(8), std::size_t(64)}) {
    CAPTURE(k);
    std::vector<double> margins;
    for (int i = 0; i <= 30 * 8; ++i) margins.push_back(i / 8.0);
    const auto rows = margin_sweep_order(k, 10.0, margins);
    auto first_zero = [&](double OrderRow::*f) {
      for (const auto& r : rows)
        if (r.*f == 0) return r.margin;
      return -1.0;
    };
    const double th_first = 24 * std::log(2.0), th_last = th_first + std::log(double(k - 1));
    const double zf = first_zero(&OrderRow::ce32_first), zl = first_zero(&OrderRow::ce32_last);
    CHECK(zf >= th_first - 0.125);
    CHECK(zf <= th_first + 0.25);
    CHECK(zl >= th_last - 0.125);
    CHECK(zl <= th_last + 0.25);
    for (const auto& r : rows)
      if (r.margin >= zf + 0.5 && r.margin < th_last - 0.5) CHECK(r.ce32_last > 0);  // still learning when summed last
  }
}
