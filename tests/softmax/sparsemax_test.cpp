// Sparsemax (§8.6) and entmax-α (§8.7) against independent references written here: the sort-based
// sparsemax of the post in long double, and a plain long-double bisection on λ for entmax-α.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "numeric_test.hpp"
#include "softmax/softmax.hpp"

using namespace probwasm::softmax;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {
const double inf = std::numeric_limits<double>::infinity();
const std::vector<double> kPost{1.0, 0.5, 0.2, -0.3, -1.0};

// §8.6's algorithm: sort descending, λ_k = (Σ_{i≤k} x_(i) − 1)/k, the largest k with x_(k) > λ_k.
std::vector<double> sparsemax_sort(const std::vector<double>& x, long double* lambda_out = nullptr) {
  std::vector<long double> z(x.begin(), x.end());
  std::sort(z.begin(), z.end(), std::greater<long double>());
  long double cum = 0, lambda = 0;
  for (std::size_t k = 1; k <= z.size(); ++k) {
    cum += z[k - 1];
    const long double l = (cum - 1) / k;
    if (z[k - 1] > l) lambda = l;
  }
  if (lambda_out) *lambda_out = lambda;
  std::vector<double> p;
  for (double v : x) p.push_back(static_cast<double>(std::max<long double>(v - lambda, 0)));
  return p;
}

// Entmax-α by bisection on λ in long double: p_i = relu(βx_i − λ)^{1/β}, λ ∈ [β max − 1, β max] (§8.7).
std::vector<double> entmax_ref(const std::vector<double>& x, long double alpha) {
  const long double beta = alpha - 1;
  long double m = -INFINITY;
  for (double v : x) m = std::max<long double>(m, v);
  long double lo = beta * m - 1, hi = beta * m;
  const auto mass = [&](long double l) {
    long double s = 0;
    for (double v : x) {
      const long double r = beta * v - l;
      if (r > 0) s += std::pow(r, 1 / beta);
    }
    return s;
  };
  for (int it = 0; it < 200; ++it) {
    const long double mid = (lo + hi) / 2;
    (mass(mid) >= 1 ? lo : hi) = mid;
  }
  const long double s = mass(lo);
  std::vector<double> p;
  for (double v : x) {
    const long double r = beta * v - lo;
    p.push_back(r > 0 ? static_cast<double>(std::pow(r, 1 / beta) / s) : 0.0);
  }
  return p;
}

std::vector<double> random_vector(std::mt19937_64& rng, std::size_t n, double scale, bool ties) {
  std::normal_distribution<double> g(0, scale);
  std::uniform_int_distribution<int> small(-3, 3);
  std::vector<double> x(n);
  for (auto& v : x) v = ties ? small(rng) * scale / 4 : g(rng);
  return x;
}

// The maps are accurate to a few ulps of the threshold, i.e. in absolute terms: entries of p below 1e-3
// are compared absolutely, the rest relatively (tol relative ↔ tol·1e-3 absolute on the small ones).
void check_close(const std::vector<double>& a, const std::vector<double>& b, double rel) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("index " << i << ": " << a[i] << " vs " << b[i]);
    if (std::max(a[i], b[i]) >= 1e-3) CHECK(close_rel(a[i], b[i], rel));
    else CHECK(std::fabs(a[i] - b[i]) <= rel * 1e-3);
  }
}
}  // namespace

TEST_CASE("sparsemax reproduces the post's vectors, including the boundary tie with λ = 0") {
  Workspace w;
  std::vector<double> p(6);
  CHECK(sparsemax_into(kPost.data(), 5, p.data(), w) == doctest::Approx(0.25).epsilon(4 * eps));
  PW_CHECK_VEC_ABS(std::vector<double>(p.begin(), p.begin() + 5), (std::vector<double>{0.75, 0.25, 0, 0, 0}), 2 * eps);
  const std::vector<double> a{3, 1, 0};
  CHECK(sparsemax_into(a.data(), 3, p.data(), w) == 2.0);
  PW_CHECK_VEC_REL(std::vector<double>(p.begin(), p.begin() + 3), (std::vector<double>{1, 0, 0}), 0);
  const std::vector<double> b{0.5, 0.4, 0.1, 0.0};
  CHECK(std::fabs(sparsemax_into(b.data(), 4, p.data(), w)) <= 2 * eps);
  PW_CHECK_VEC_ABS(std::vector<double>(p.begin(), p.begin() + 4), b, 2 * eps);
  const std::vector<double> c{2.0, 1.9, -1.0, 0.0, 1.2, 0.3};
  CHECK(sparsemax_into(c.data(), 6, p.data(), w) == doctest::Approx(1.45).epsilon(4 * eps));
  PW_CHECK_VEC_ABS(p, (std::vector<double>{0.55, 0.45, 0, 0, 0, 0}), 4 * eps);
}

TEST_CASE("the O(n) pivot sparsemax agrees with the sort-based algorithm on random inputs") {
  std::mt19937_64 rng(42);
  for (std::size_t n : {1, 2, 3, 10, 100, 1000, 100000}) {
    for (double scale : {0.01, 1.0, 30.0}) {
      for (bool ties : {false, true}) {
        CAPTURE(n);
        CAPTURE(scale);
        CAPTURE(ties);
        const auto x = random_vector(rng, n, scale, ties);
        const auto p = sparsemax(x);
        // Both thresholds carry ≲ ρ rounding errors of size eps·max|x − max|; 64 eps relative on p ≥ 1e-3.
        check_close(p, sparsemax_sort(x), 64 * eps * (1 + scale));
        double s = 0;
        for (double v : p) s += v;
        CHECK(std::fabs(s - 1) <= 8 * eps * std::sqrt(static_cast<double>(n)));
      }
    }
  }
}

TEST_CASE("sparsemax: invariance, masking, uniform ties, huge logits, and adversarial orders") {
  const auto p = sparsemax(kPost);
  std::vector<double> s;
  for (double v : kPost) s.push_back(v + 1e6);
  PW_CHECK_VEC_ABS(sparsemax(s), p, 1e6 * eps);  // x + 1e6 rounds each entry by ≤ 1e6·eps/2
  PW_CHECK_VEC_REL(sparsemax({0.0, -inf, 0.0}), (std::vector<double>{0.5, 0, 0.5}), 0);
  PW_CHECK_VEC_REL(sparsemax(std::vector<double>(8, 3.0)), std::vector<double>(8, 0.125), 0);
  PW_CHECK_VEC_REL(sparsemax({1e308, -1e308, 1e308}), (std::vector<double>{0.5, 0, 0.5}), 0);
  CHECK(sparsemax({-7.0})[0] == 1.0);
  // Sorted ascending / descending and all-equal inputs of 1e5: still exact and fast (expected O(n)).
  std::vector<double> up(100000), down(100000);
  for (std::size_t i = 0; i < up.size(); ++i) up[i] = down[up.size() - 1 - i] = 1e-5 * static_cast<double>(i);
  check_close(sparsemax(up), sparsemax_sort(up), 64 * eps);
  check_close(sparsemax(down), sparsemax_sort(down), 64 * eps);
  CHECK_THROWS_WITH_AS(sparsemax({1.0, NAN}), "sparsemax: x[1] must not be NaN, got NaN", std::invalid_argument);
  CHECK_THROWS_AS(sparsemax({inf, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(sparsemax({-inf}), std::invalid_argument);
  CHECK_THROWS_AS(sparsemax(std::vector<double>{}), std::invalid_argument);
}

TEST_CASE("exact entmax-1.5 reproduces the post's vectors and has no tie bug at x = [3, 1, 0]") {
  Workspace w;
  std::vector<double> p(6);
  CHECK(entmax15_into(kPost.data(), 5, p.data(), w) == doctest::Approx(-0.265880).epsilon(1e-5));
  PW_CHECK_VEC_ABS(std::vector<double>(p.begin(), p.begin() + 5),
                   (std::vector<double>{0.586572, 0.266132, 0.133868, 0.013428, 0}), 1e-6);
  CHECK(p[4] == 0.0);
  const std::vector<double> a{3, 1, 0};
  CHECK(entmax15_into(a.data(), 3, p.data(), w) == 0.5);  // λ = z_2 = 0.5 exactly: the tie
  PW_CHECK_VEC_REL(std::vector<double>(p.begin(), p.begin() + 3), (std::vector<double>{1, 0, 0}), 0);
  PW_CHECK_VEC_ABS(entmax({0.5, 0.4, 0.1, 0.0}), (std::vector<double>{0.377315, 0.318389, 0.171611, 0.132685}), 1e-6);
  const std::vector<double> c{2.0, 1.9, -1.0, 0.0, 1.2, 0.3};
  CHECK(entmax15_into(c.data(), 6, p.data(), w) == doctest::Approx(0.300758).epsilon(1e-5));
  PW_CHECK_VEC_ABS(p, (std::vector<double>{0.488939, 0.421515, 0, 0, 0.089546, 0}), 1e-6);
  // More ties on the support boundary: z = x/2 − max = [0, −1, −1] (λ = −1) and [0, 0, −1/√2] (λ = −1/√2).
  PW_CHECK_VEC_REL(entmax({2.0, 0.0, 0.0}), (std::vector<double>{1, 0, 0}), 0);
  PW_CHECK_VEC_ABS(entmax({4.0, 4.0, 4.0 - std::sqrt(2.0)}), (std::vector<double>{0.5, 0.5, 0}), 2 * eps);
}

TEST_CASE("entmax-1.5 (exact) agrees with an independent long-double bisection to 1e-12") {
  std::mt19937_64 rng(9);
  for (std::size_t n : {2, 5, 50, 1000}) {
    for (double scale : {0.1, 1.0, 10.0}) {
      for (bool ties : {false, true}) {
        CAPTURE(n);
        CAPTURE(scale);
        const auto x = random_vector(rng, n, scale, ties);
        check_close(entmax(x, 1.5), entmax_ref(x, 1.5L), 1e-12);
      }
    }
  }
}

TEST_CASE("entmax-α by root search is full precision for every α ≥ 1") {
  std::mt19937_64 rng(13);
  SUBCASE("post 8 §8.9 vectors") {
    PW_CHECK_VEC_ABS(entmax(kPost, 1.25), (std::vector<double>{0.493325, 0.258549, 0.165764, 0.069299, 0.013063}), 1e-6);
    PW_CHECK_VEC_ABS(entmax(kPost, 1.001), (std::vector<double>{0.406199, 0.246231, 0.182327, 0.110479, 0.054764}), 1e-6);
    PW_CHECK_VEC_ABS(entmax({3.0, 1.0, 0.0}, 1.25), (std::vector<double>{0.941586, 0.055361, 0.003053}), 1e-6);
  }
  SUBCASE("against the long-double bisection: ≤ 1e-10 for 1 < α ≤ 2 (measured ≲ 1e-14)") {
    for (double alpha : {1.0001, 1.1, 1.25, 1.5, 1.75, 1.999, 2.0}) {
      for (std::size_t n : {2, 7, 200, 2000}) {
        CAPTURE(alpha);
        CAPTURE(n);
        const auto x = random_vector(rng, n, 2.0, n == 7);
        Workspace w;
        std::vector<double> p(n);
        entmax_bisect_into(x.data(), n, alpha, p.data(), w);
        check_close(p, entmax_ref(x, alpha), 1e-10);
        check_close(entmax(x, alpha), entmax_ref(x, alpha), 1e-10);
      }
    }
  }
  SUBCASE("α > 2: full precision away from the support edge, (ε·64)^{1/(α−1)} at it (the map's own conditioning)") {
    // p_i = r_i^{1/β} with β = α − 1 > 1 is not Lipschitz at r = 0: r carries an absolute rounding error of a few
    // eps in any double algorithm, so an entry at the edge can only be known to ~(64 eps)^{1/β}.
    for (double alpha : {2.5, 4.0}) {
      for (std::size_t n : {2, 7, 200}) {
        CAPTURE(alpha);
        CAPTURE(n);
        const auto x = random_vector(rng, n, 2.0, n == 7);
        const auto p = entmax(x, alpha), ref = entmax_ref(x, alpha);
        const double edge = std::pow(64 * eps, 1 / (alpha - 1));
        for (std::size_t i = 0; i < n; ++i) {
          if (ref[i] >= 1e-3) CHECK(close_rel(p[i], ref[i], 1e-10));
          else CHECK(std::fabs(p[i] - ref[i]) <= edge);
        }
      }
    }
  }
  SUBCASE("the root search reproduces the exact cases α = 1.5 and α = 2") {
    for (int trial = 0; trial < 20; ++trial) {
      const auto x = random_vector(rng, 3 + trial * 5, 1.5, trial % 3 == 0);
      Workspace w;
      std::vector<double> p(x.size());
      entmax_bisect_into(x.data(), x.size(), 1.5, p.data(), w);
      check_close(p, entmax(x, 1.5), 1e-12);
      entmax_bisect_into(x.data(), x.size(), 2.0, p.data(), w);
      check_close(p, sparsemax(x), 1e-12);
    }
  }
  SUBCASE("limits: α → 1⁺ tends to softmax at rate O(α − 1); α = 1 is softmax exactly") {
    PW_CHECK_VEC_REL(entmax(kPost, 1.0), softmax(kPost), 0);
    const auto p = entmax(kPost, 1.0 + 1e-9), q = softmax(kPost);
    for (std::size_t i = 0; i < 5; ++i) CHECK(std::fabs(p[i] - q[i]) <= 1e-8);
    PW_CHECK_VEC_REL(entmax(kPost, 2.0), sparsemax(kPost), 0);
  }
  SUBCASE("between softmax and sparsemax: the support shrinks as α grows") {
    int last = 6;
    for (double alpha : {1.0, 1.25, 1.5, 1.75, 2.0, 3.0}) {
      const auto p = entmax(kPost, alpha);
      int support = 0;
      for (double v : p) support += v > 0;
      CHECK(support <= last);
      last = support;
    }
    CHECK(last == 1);  // α = 3: λ = 1 = 2·0.5 exactly, a tie that leaves x_1 out
  }
}

TEST_CASE("entmax rejects α < 1, NaN α, infinite α and bad logits") {
  CHECK_THROWS_WITH_AS(entmax(kPost, 0.5), "entmax: alpha must be a finite number ≥ 1, got 0.5", std::invalid_argument);
  CHECK_THROWS_AS(entmax(kPost, NAN), std::invalid_argument);
  CHECK_THROWS_AS(entmax(kPost, inf), std::invalid_argument);
  CHECK_THROWS_AS(entmax({1.0, NAN}, 1.3), std::invalid_argument);
  CHECK_THROWS_AS(entmax({1.0, inf}, 1.5), std::invalid_argument);
  PW_CHECK_VEC_REL(entmax({1.0, -inf, 1.0}, 1.3), (std::vector<double>{0.5, 0, 0.5}), 2 * eps);
}

TEST_CASE("±0 are equal logits for every map, and huge equal logits split evenly") {
  const std::vector<double> z{0.0, -0.0};
  const std::vector<double> half{0.5, 0.5};
  PW_CHECK_VEC_REL(softmax(z), half, 0);
  PW_CHECK_VEC_REL(taylor_softmax(z, 2), half, 0);
  PW_CHECK_VEC_REL(sparsemax(z), half, 0);
  PW_CHECK_VEC_REL(entmax(z, 1.5), half, 0);
  PW_CHECK_VEC_REL(entmax(z, 1.3), half, 0);
  PW_CHECK_VEC_ABS(perturb_max(z, Noise::normal), half, 1e-15);
  PW_CHECK_VEC_REL(sparse_softmax(z, SparseRule::top_k(1)), (std::vector<double>{1, 0}), 0);  // tie → lower index
  const std::vector<double> big{1e300, 1e300, 1e300};
  for (const auto& p : {softmax(big), sparsemax(big), entmax(big, 1.5), entmax(big, 1.7), perturb_max(big)})
    PW_CHECK_VEC_ABS(p, std::vector<double>(3, 1.0 / 3), 2 * eps);
}

namespace {
// The former kernel for every row (expected O(n) random pivots, Duchi et al. 2008, Fig. 2, with the same
// fixed-seed xorshift64 draws), kept here as the reference for the sorted short-support path that replaced it
// for ≤ 16 candidates, and for the vector candidate pass of long rows.
std::vector<double> sparsemax_pivot(const std::vector<double>& x) {
  const double m = *std::max_element(x.begin(), x.end());
  std::vector<double> u;
  for (double v : x)
    if (v - m > -1) u.push_back(v - m);
  double s = 0.0;
  std::size_t rho = 0, lo = 0, hi = u.size();
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  const auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  while (lo < hi) {
    std::swap(u[lo], u[lo + next() % (hi - lo)]);
    const double v = u[lo];
    std::size_t g = lo + 1;
    double ds = v;
    for (std::size_t i = lo + 1; i < hi; ++i)
      if (u[i] >= v) ds += u[i], std::swap(u[i], u[g++]);
    const std::size_t dr = g - lo;
    if ((s + ds) - static_cast<double>(rho + dr) * v < 1.0) {
      s += ds, rho += dr, lo = g;
    } else {
      hi = g, ++lo;
    }
  }
  const double tau = (s - 1.0) / static_cast<double>(rho);
  std::vector<double> p(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) p[i] = std::max(x[i] - m - tau, 0.0);
  return p;
}
}  // namespace

TEST_CASE("sparsemax's sorted short-support path and vector candidate pass agree with the former pivot kernel") {
  // Both thresholds are (Σ_support y − 1)/ρ with the same support; only the order of the ≤ ρ additions differs,
  // so τ agrees to ~ρ·eps·max|y| and p to that absolutely. The support (which entries are exactly 0) must match.
  std::mt19937_64 rng(7);
  for (std::size_t n : {1u, 2u, 3u, 5u, 8u, 16u, 17u, 40u, 64u, 65u, 1000u, 100000u}) {
    for (double scale : {0.05, 0.4, 1.0, 30.0}) {
      for (bool ties : {false, true}) {
        CAPTURE(n);
        CAPTURE(scale);
        CAPTURE(ties);
        auto x = random_vector(rng, n, scale, ties);
        if (n > 4) x[n / 2] = -std::numeric_limits<double>::infinity();
        const auto got = sparsemax(x), want = sparsemax_pivot(x);
        for (std::size_t i = 0; i < n; ++i) {
          INFO("index " << i);
          CHECK((got[i] == 0) == (want[i] == 0));
          CHECK(std::fabs(got[i] - want[i]) <= 32 * eps);
        }
        // rows of this length: the same values as one row at a time, bit for bit
        std::vector<double> rows;
        for (int r = 0; r < 3; ++r) rows.insert(rows.end(), x.begin(), x.end());
        const auto p = sparsemax(rows, n);
        for (std::size_t i = 0; i < rows.size(); ++i) REQUIRE(p[i] == got[i % n]);
      }
    }
  }
  // exact ties at the support's edge (Σ_{y ≥ v}(y − v) = 1 exactly): v stays out, as in the pivot test
  for (const std::vector<double>& x : {std::vector<double>{3, 2, 1}, {1, 0, 0, -1}, {2, 1, 1, 1, 0}, {0.5, 0, 0}}) {
    PW_CHECK_VEC_REL(sparsemax(x), sparsemax_pivot(x), 0);
  }
}
