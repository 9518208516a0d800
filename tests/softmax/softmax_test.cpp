// Dense maps of post 8: softmax, logsumexp, AM-softmax, Taylor softmax, sparse softmax, perturb-max.
// References are computed here independently: long double or 50-digit Boost arithmetic, exact rationals,
// closed forms (n = 2 perturb-max), and the post's §8.9 vectors as a sanity check.
#include "softmax/softmax.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "numeric_test.hpp"

using namespace probwasm::softmax;
using probwasm::testing::close_rel;
using probwasm::testing::eps;
using Big = boost::multiprecision::cpp_bin_float_50;

namespace {
const double inf = std::numeric_limits<double>::infinity();
const std::vector<double> kPost{1.0, 0.5, 0.2, -0.3, -1.0};  // post 8 §8.9

std::vector<double> softmax_ref(const std::vector<double>& x, long double tau = 1) {
  long double m = -INFINITY, z = 0;
  for (double v : x) m = std::max(m, static_cast<long double>(v));
  for (double v : x) z += std::exp((v - m) / tau);
  std::vector<double> r;
  for (double v : x) r.push_back(static_cast<double>(std::exp((v - m) / tau) / z));
  return r;
}

std::vector<double> taylor_ref(const std::vector<double>& x, int k) {
  std::vector<Big> f;
  Big s = 0;
  for (double v : x) {
    Big term = 1, acc = 0, xv = v;
    for (int m = 0; m <= k; ++m) {
      if (m > 0) term = term * xv / m;
      acc += term;
    }
    f.push_back(acc);
    s += acc;
  }
  std::vector<double> r;
  for (auto& v : f) r.push_back(static_cast<double>(v / s));
  return r;
}
}  // namespace

TEST_CASE("softmax matches a long-double reference to a few ulps") {
  // Each p_i: n exps (≤ 1 ulp each), a sum of n positive terms (≤ n ulps), one division: (n + 3) eps.
  PW_CHECK_VEC_REL(softmax(kPost), softmax_ref(kPost), 8 * eps);
  CHECK(softmax(kPost)[0] == doctest::Approx(0.405889).epsilon(1e-6));
  std::mt19937_64 rng(7);
  std::normal_distribution<double> g(0, 5);
  for (int n : {1, 2, 17, 1000}) {
    CAPTURE(n);
    std::vector<double> x(n);
    for (auto& v : x) v = g(rng);
    // Entries far below the max are tiny; relative accuracy still holds (exp is relatively accurate).
    PW_CHECK_VEC_REL(softmax(x), softmax_ref(x), (n + 3) * eps);
    PW_CHECK_VEC_REL(softmax(x, 0.37), softmax_ref(x, 0.37L), (n + 3) * 4 * eps);
  }
}

TEST_CASE("softmax is shift-invariant, masks -inf, splits ties and tends to one-hot as the temperature falls") {
  const auto p = softmax(kPost);
  std::vector<double> shifted;
  for (double v : kPost) shifted.push_back(v + 1000.0);
  PW_CHECK_VEC_REL(softmax(shifted), p, 2056 * eps);  // x + 1000 rounds by ≤ ulp(1000)/2 = 2^-44 each: p moves ≤ 2·2^-44
  PW_CHECK_VEC_REL(softmax({0.0, -inf, 0.0}), (std::vector<double>{0.5, 0.0, 0.5}), 0);
  PW_CHECK_VEC_REL(softmax({1e308, -1e308}), (std::vector<double>{1.0, 0.0}), 0);
  PW_CHECK_VEC_REL(softmax({2.0, 2.0, 2.0, 2.0}), (std::vector<double>(4, 0.25)), 0);
  PW_CHECK_VEC_REL(softmax({3.0, 1.0, 3.0}, 1e-3), (std::vector<double>{0.5, 0.0, 0.5}), 0);
  CHECK(softmax({5.0})[0] == 1.0);
}

TEST_CASE("logsumexp is stable at the ends of the double range") {
  CHECK(logsumexp({1e308, 1e308}) == doctest::Approx(1e308).epsilon(eps));
  CHECK(logsumexp({-1e308, -1e308}) == doctest::Approx(-1e308).epsilon(eps));
  CHECK(logsumexp({0.0, -inf}) == 0.0);
  CHECK(logsumexp({-inf}) == -inf);
  CHECK(logsumexp({1.0, inf}) == inf);
  CHECK(logsumexp({3.0, 3.0, 3.0, 3.0}) == doctest::Approx(3.0 + std::log(4.0)).epsilon(2 * eps));
  // log(e + e^{0.5} + …) in long double.
  long double z = 0;
  for (double v : kPost) z += std::exp(static_cast<long double>(v));
  CHECK(close_rel(logsumexp(kPost), static_cast<double>(std::log(z)), 4 * eps));
  CHECK_THROWS_WITH_AS(logsumexp(std::vector<double>{}), "logsumexp: x must be non-empty, got \"an empty array\"",
                       std::invalid_argument);
  CHECK_THROWS_AS(logsumexp({1.0, NAN}), std::invalid_argument);
}

TEST_CASE("softmax rejects NaN, +inf, all -inf, empty input and bad temperatures with named messages") {
  CHECK_THROWS_WITH_AS(softmax({1.0, NAN}), "softmax: x[1] must not be NaN, got NaN", std::invalid_argument);
  CHECK_THROWS_WITH_AS(softmax({inf, 0.0}), "softmax: x[0] must be finite or -Infinity, got Infinity", std::invalid_argument);
  CHECK_THROWS_AS(softmax({-inf, -inf}), std::invalid_argument);
  CHECK_THROWS_AS(softmax(std::vector<double>{}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(softmax({1.0}, 0.0), "softmax: temperature must be a positive finite number, got 0",
                       std::invalid_argument);
  CHECK_THROWS_AS(softmax({1.0}, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(softmax({1.0}, inf), std::invalid_argument);
  CHECK_THROWS_AS(softmax({1.0, 2.0, 3.0}, 1.0, 2), std::invalid_argument);  // cols does not divide 3
}

TEST_CASE("every map applied row-wise equals the map applied to each row") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> g(0, 2);
  const std::size_t rows = 7, cols = 6;
  std::vector<double> x(rows * cols);
  for (auto& v : x) v = g(rng);
  const auto rowwise = [&](auto&& f, const std::vector<double>& all) {
    for (std::size_t r = 0; r < rows; ++r) {
      std::vector<double> row(x.begin() + r * cols, x.begin() + (r + 1) * cols);
      std::vector<double> got(all.begin() + r * cols, all.begin() + (r + 1) * cols);
      PW_CHECK_VEC_REL(got, f(row), 0);  // the same kernel on the same numbers: bitwise equal
    }
  };
  SUBCASE("softmax") { rowwise([](auto& r) { return softmax(r, 0.7); }, softmax(x, 0.7, cols)); }
  SUBCASE("taylor") { rowwise([](auto& r) { return taylor_softmax(r, 4); }, taylor_softmax(x, 4, cols)); }
  SUBCASE("sparse top-k") {
    rowwise([](auto& r) { return sparse_softmax(r, SparseRule::top_k(3)); }, sparse_softmax(x, SparseRule::top_k(3), cols));
  }
  SUBCASE("sparse top-p") {
    rowwise([](auto& r) { return sparse_softmax(r, SparseRule::nucleus(0.8)); },
            sparse_softmax(x, SparseRule::nucleus(0.8), cols));
  }
  SUBCASE("perturb-max") {
    rowwise([](auto& r) { return perturb_max(r, Noise::normal, 512); }, perturb_max(x, Noise::normal, 512, cols));
  }
  SUBCASE("sparsemax") { rowwise([](auto& r) { return sparsemax(r); }, sparsemax(x, cols)); }
  SUBCASE("entmax") {
    for (double a : {1.0, 1.25, 1.5, 2.0, 3.0})
      rowwise([a](auto& r) { return entmax(r, a); }, entmax(x, a, cols));
  }
}

TEST_CASE("AM-softmax's distribution lowers the target's cosine by the margin before a scaled softmax") {
  const std::vector<double> cosines{0.8, 0.6, -0.2};
  std::vector<double> q(3);
  am_softmax_into(cosines.data(), 3, 0, 0.35, 30.0, q.data());
  PW_CHECK_VEC_REL(q, softmax_ref({30 * (0.8 - 0.35), 30 * 0.6, 30 * -0.2}), 8 * eps);
  am_softmax_into(cosines.data(), 3, 1, 0.0, 10.0, q.data());  // m = 0: plain softmax of s·x
  PW_CHECK_VEC_REL(q, softmax_ref({8.0, 6.0, -2.0}), 8 * eps);
  CHECK_THROWS_AS(am_softmax_into(cosines.data(), 3, 3, 0.35, 30.0, q.data()), std::invalid_argument);
  CHECK_THROWS_AS(am_softmax_into(cosines.data(), 3, 0, -0.1, 30.0, q.data()), std::invalid_argument);
  CHECK_THROWS_AS(am_softmax_into(cosines.data(), 3, 0, 0.35, 0.0, q.data()), std::invalid_argument);
}

TEST_CASE("Taylor softmax matches 50-digit references, exact rationals and the post's vectors") {
  // p_i = f_i/Σf: f_i from double-double Horner (≲ 1 ulp after rounding), Σ of n positives, one division.
  SUBCASE("post 8 §8.9") {
    PW_CHECK_VEC_REL(taylor_softmax(kPost, 2), taylor_ref(kPost, 2), 8 * eps);
    PW_CHECK_VEC_REL(taylor_softmax(kPost, 4), taylor_ref(kPost, 4), 8 * eps);
    CHECK(taylor_softmax(kPost, 2)[4] == doctest::Approx(0.075873).epsilon(1e-5));
    CHECK(taylor_softmax(kPost, 4)[4] == doctest::Approx(0.056020).epsilon(1e-5));
  }
  SUBCASE("exact rationals: f_2(3) = 17/2, f_2(1) = 5/2, f_2(0) = 1 → [17, 5, 2]/24") {
    PW_CHECK_VEC_REL(taylor_softmax({3.0, 1.0, 0.0}, 2), (std::vector<double>{17.0 / 24, 5.0 / 24, 2.0 / 24}), 4 * eps);
  }
  SUBCASE("heavy cancellation: f_10 near its minimum, f_20 at −9 (condition numbers ~1e4 … 1e7)") {
    const std::vector<double> x{-5.0, -4.5, 0.3, -7.0, -2.0};
    PW_CHECK_VEC_REL(taylor_softmax(x, 10), taylor_ref(x, 10), 8 * eps);
    const std::vector<double> y{-9.0, -8.0, -10.5, -6.0};
    PW_CHECK_VEC_REL(taylor_softmax(y, 20), taylor_ref(y, 20), 8 * eps);
    PW_CHECK_VEC_REL(taylor_softmax(y, 100), taylor_ref(y, 100), 8 * eps);
  }
  SUBCASE("huge logits do not overflow: f_2(x) ≈ x²/2") {
    PW_CHECK_VEC_REL(taylor_softmax({1e200, 5e199}, 2), (std::vector<double>{0.8, 0.2}), 4 * eps);
    PW_CHECK_VEC_REL(taylor_softmax({1e300, -1e300, 1.0}, 4), (std::vector<double>{0.5, 0.5, 0.0}), 4 * eps);
    const std::vector<double> z{1e5, -3e4, 7.0};
    PW_CHECK_VEC_REL(taylor_softmax(z, 30), taylor_ref(z, 30), 8 * eps);
  }
  SUBCASE("random inputs and orders") {
    std::mt19937_64 rng(3);
    std::normal_distribution<double> g(0, 3);
    for (int k : {2, 4, 6, 8, 12}) {
      std::vector<double> x(9);
      for (auto& v : x) v = g(rng);
      CAPTURE(k);
      PW_CHECK_VEC_REL(taylor_softmax(x, k), taylor_ref(x, k), 16 * eps);
    }
  }
}

TEST_CASE("Taylor softmax is neither shift-invariant nor (k = 2) monotone below −1, as §8.3 says") {
  const auto p = taylor_softmax({0.0, 1.0}, 2), q = taylor_softmax({5.0, 6.0}, 2);
  CHECK(std::fabs(p[0] - q[0]) > 0.05);
  // f_2(−3) = 5/2 > f_2(−1) = 1/2: the smaller logit gets 5/6.
  PW_CHECK_VEC_REL(taylor_softmax({-3.0, -1.0}, 2), (std::vector<double>{5.0 / 6, 1.0 / 6}), 4 * eps);
  CHECK_THROWS_WITH_AS(taylor_softmax({1.0}, 3), "taylorSoftmax: order must be an even integer in [2, 100], got 3",
                       std::invalid_argument);
  CHECK_THROWS_AS(taylor_softmax({1.0}, 0), std::invalid_argument);
  CHECK_THROWS_AS(taylor_softmax({1.0}, 102), std::invalid_argument);
  CHECK_THROWS_AS(taylor_softmax({1.0, -inf}, 2), std::invalid_argument);
  CHECK_THROWS_AS(taylor_softmax({1.0, NAN}, 2), std::invalid_argument);
}

TEST_CASE("sparse softmax: top-k renormalises the k largest, ties go to the lower index") {
  const auto p = sparse_softmax(kPost, SparseRule::top_k(2));
  const auto ref = softmax_ref({1.0, 0.5});
  PW_CHECK_VEC_REL(p, (std::vector<double>{ref[0], ref[1], 0, 0, 0}), 4 * eps);
  CHECK(p[0] == doctest::Approx(0.622459).epsilon(1e-6));
  PW_CHECK_VEC_REL(sparse_softmax(kPost, SparseRule::top_k(5)), softmax_ref(kPost), 8 * eps);  // k = n: softmax
  PW_CHECK_VEC_REL(sparse_softmax({1.0, 2.0, 2.0, 2.0, 0.0}, SparseRule::top_k(2)),
                   (std::vector<double>{0, 0.5, 0.5, 0, 0}), 0);
  PW_CHECK_VEC_REL(sparse_softmax({2.0, 2.0, 2.0}, SparseRule::top_k(1)), (std::vector<double>{1, 0, 0}), 0);
  PW_CHECK_VEC_REL(sparse_softmax({-inf, 0.0, -inf}, SparseRule::top_k(2)), (std::vector<double>{0, 1, 0}), 0);
  // Shift invariance.
  PW_CHECK_VEC_REL(sparse_softmax({101.0, 100.5, 100.2, 99.7, 99.0}, SparseRule::top_k(2)), p, 256 * eps);
}

TEST_CASE("sparse softmax: nucleus keeps the fewest largest logits whose softmax mass reaches p") {
  // softmax(kPost) = [.406, .246, .182, …]: cumulative .406, .652, .834 …
  PW_CHECK_VEC_REL(sparse_softmax(kPost, SparseRule::nucleus(0.6)), sparse_softmax(kPost, SparseRule::top_k(2)), 0);
  PW_CHECK_VEC_REL(sparse_softmax(kPost, SparseRule::nucleus(0.4)), (std::vector<double>{1, 0, 0, 0, 0}), 0);
  PW_CHECK_VEC_REL(sparse_softmax(kPost, SparseRule::nucleus(0.8)), sparse_softmax(kPost, SparseRule::top_k(3)), 0);
  PW_CHECK_VEC_REL(sparse_softmax(kPost, SparseRule::nucleus(1.0)), softmax(kPost), 0);
  // Four equal logits: masses 1/4 each, exact; mass 1/2 is reached by the first two (lower indices).
  PW_CHECK_VEC_REL(sparse_softmax({0.0, 0.0, 0.0, 0.0}, SparseRule::nucleus(0.5)), (std::vector<double>{0.5, 0.5, 0, 0}), 0);
}

TEST_CASE("sparse softmax rejects a missing or double rule, k outside [1, n] and p outside (0, 1]") {
  CHECK_THROWS_WITH_AS(sparse_softmax(kPost, SparseRule::top_k(6)), "sparseSoftmax: k must be an integer in [1, 5], got 6",
                       std::invalid_argument);
  CHECK_THROWS_AS(sparse_softmax(kPost, SparseRule::top_k(0)), std::invalid_argument);
  CHECK_THROWS_AS(sparse_softmax(kPost, SparseRule::nucleus(0.0)), std::invalid_argument);
  CHECK_THROWS_AS(sparse_softmax(kPost, SparseRule::nucleus(1.5)), std::invalid_argument);
  CHECK_THROWS_AS(sparse_softmax(kPost, SparseRule::nucleus(NAN)), std::invalid_argument);
  CHECK_THROWS_AS(sparse_softmax(kPost, SparseRule{}), std::invalid_argument);
  CHECK_THROWS_AS(sparse_softmax(kPost, SparseRule{true, true, 2, 0.5}), std::invalid_argument);
  CHECK_THROWS_AS(sparse_softmax({1.0, inf}, SparseRule::top_k(1)), std::invalid_argument);
}

TEST_CASE("the normal quantile inverts Φ to a few ulps") {
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(close_rel(normal_quantile(0.975), 1.959963984540054, 4 * eps));
  CHECK(close_rel(normal_quantile(1e-10), -6.361340902404056, 4 * eps));
  CHECK(close_rel(normal_quantile(0.3), -0.5244005127080407, 4 * eps));
  for (double t = 1e-300; t < 0.5; t *= 7.3) {
    CAPTURE(t);
    // Φ(Φ^{-1}(t)) = t: Φ has condition |x φ(x)/Φ(x)| ≤ x² + 1 in the tail, erfc is accurate to ~2 ulps.
    const double x = normal_quantile(t);
    CHECK(close_rel(0.5 * std::erfc(-x / std::sqrt(2.0)), t, 4 * (x * x + 1) * eps));
  }
  CHECK_THROWS_AS(normal_quantile(0.0), std::invalid_argument);
  CHECK_THROWS_AS(normal_quantile(1.0), std::invalid_argument);
}

TEST_CASE("perturb-max with Gumbel noise equals softmax to the stated quadrature error") {
  // Tanh-sinh quadrature of ∫_0^1 t^S dt = 1/(1+S): exponentially convergent, ≤ 1e-14 at N = 4096 (header).
  std::mt19937_64 rng(5);
  std::normal_distribution<double> g(0, 2);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> x(trial % 7 + 2);
    for (auto& v : x) v = g(rng);
    PW_CHECK_VEC_ABS(perturb_max(x), softmax(x), 1e-14);
  }
  PW_CHECK_VEC_ABS(perturb_max(kPost), softmax(kPost), 1e-14);
  // The error shrinks with the grid: a real quadrature, not a call to softmax.
  const auto err = [&](int grid) {
    double e = 0;
    const auto p = perturb_max(kPost, Noise::gumbel, grid), q = softmax(kPost);
    for (std::size_t i = 0; i < 5; ++i) e = std::max(e, std::fabs(p[i] - q[i]));
    return e;
  };
  CHECK(err(16) > 1e-3);
  CHECK(err(48) < 1e-6);
  CHECK(err(48) > 1e-8);
  CHECK(err(128) < 1e-14);
}

TEST_CASE("perturb-max with normal noise matches 30-digit quadrature values and the n = 2 closed form") {
  // POSTS §8.9 (adaptive quadrature, printed to 10 digits: agreement is limited to ~5e-11 by the printing).
  const std::vector<double> ref{0.4812104811, 0.2562859559, 0.1674350106, 0.07525612137, 0.0198124311};
  PW_CHECK_VEC_ABS(perturb_max(kPost, Noise::normal), ref, 1e-10);
  PW_CHECK_VEC_ABS(perturb_max({3.0, 1.0, 0.0}, Noise::normal),
                   (std::vector<double>{0.9115421097, 0.07613341936, 0.01232447095}), 1e-10);
  // The post's third vector was computed with the midpoint rule at N = 4000, which is itself ~1e-5 off. An
  // independent midpoint rule written here reproduces those 6 decimals at N = 4000, and at N = 2^18 (error
  // ~N^{-1}: 65× smaller) agrees with the tanh-sinh value to 3e-7.
  const std::vector<double> x3{2.0, 1.9, -1.0, 0.0, 1.2, 0.3};
  const auto midpoint = [&](int N) {
    std::vector<double> p(6, 0.0);
    for (int k = 0; k < N; ++k) {
      const double e = normal_quantile((k + 0.5) / N);
      for (int i = 0; i < 6; ++i) {
        double prod = 1.0 / N;
        for (int j = 0; j < 6; ++j)
          if (j != i) prod *= 0.5 * std::erfc(-(x3[i] - x3[j] + e) / std::sqrt(2.0));
        p[i] += prod;
      }
    }
    return p;
  };
  PW_CHECK_VEC_ABS(midpoint(4000), (std::vector<double>{0.427982, 0.378931, 0.001402, 0.016366, 0.144970, 0.030336}),
                   5e-7 + 2e-7);  // printed to 6 decimals; sum ≠ 1 by ~1e-7
  PW_CHECK_VEC_ABS(perturb_max(x3, Noise::normal), midpoint(1 << 18), 3e-7);
  PW_CHECK_VEC_ABS(perturb_max(kPost, Noise::normal, 48), ref, 1e-6);
  // n = 2: P(x_0 + ε_0 > x_1 + ε_1) = Φ((x_0 − x_1)/√2) exactly.
  for (double d : {0.0, 0.3, 1.7, 4.0, 9.0}) {
    CAPTURE(d);
    const double exact = 0.5 * std::erfc(-d / 2.0);
    const auto p = perturb_max({d, 0.0}, Noise::normal);
    CHECK(std::fabs(p[0] - exact) <= 1e-14);
  }
  // Monotone, shift-invariant, masks -inf.
  const auto p = perturb_max(kPost, Noise::normal);
  for (std::size_t i = 0; i + 1 < 5; ++i) CHECK(p[i] > p[i + 1]);
  std::vector<double> s;
  for (double v : kPost) s.push_back(v - 3.25);
  PW_CHECK_VEC_ABS(perturb_max(s, Noise::normal), p, 1e-13);
  CHECK(perturb_max({0.0, -inf, 1.0}, Noise::normal)[1] == 0.0);
  CHECK(perturb_max({0.0, -inf}, Noise::gumbel)[0] == 1.0);
  CHECK_THROWS_AS(perturb_max(kPost, Noise::normal, 0), std::invalid_argument);
  CHECK_THROWS_AS(perturb_max({1.0, NAN}), std::invalid_argument);
}
