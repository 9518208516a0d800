// The float32 path of the softmax family (DESIGN.md "dtype follows the input"; post 8): the float exp of
// common/expf.hpp against the correctly rounded e^x, and every float map against the double path (the old
// kernels) on random and special inputs, with tolerances derived from float arithmetic.
#include "common/exp.hpp"
#include "common/expf.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "numeric_test.hpp"
#include "softmax/softmax.hpp"

using namespace probwasm::softmax;

namespace {
const float finf = std::numeric_limits<float>::infinity();
const double epsf = std::numeric_limits<float>::epsilon();  // 2^-23 = one ulp of 1

// ulp distance of two floats ≥ +0 (bit order is value order there, subnormals included).
std::int64_t ulps(float a, float b) {
  std::int32_t ia, ib;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  return ia > ib ? std::int64_t(ia) - ib : std::int64_t(ib) - ia;
}
// The correctly rounded float e^x, up to double rounding of a double exp that is itself within 1 ulp (2^-52
// relative): the two roundings differ only when e^x lies within 2^-52 of a float midpoint, a ≤ 1-ulp effect.
float exp_ref(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }

std::vector<double> normals(std::size_t n, unsigned seed, double scale = 1.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0, scale);
  std::vector<double> x(n);
  for (auto& v : x) v = static_cast<float>(g(rng));  // values that are exact in float
  return x;
}
std::vector<float> to_f32(const std::vector<double>& x) { return std::vector<float>(x.begin(), x.end()); }
double sum(const std::vector<float>& p) {
  double s = 0;
  for (float v : p) s += v;
  return s;
}
}  // namespace

TEST_CASE("the float exp_nonpos is within 2 ulp of the correctly rounded e^x on a dense grid and at every exponent") {
  using probwasm::exp_nonpos;
  std::int64_t worst = 0;
  float at = 0;
  const int steps = 2000000;
  std::vector<float> x(steps + 1), y(steps + 1);
  for (int i = 0; i <= steps; ++i) x[i] = static_cast<float>(-104.0 * i / steps);
  for (int i = 0; i <= steps; ++i) y[i] = exp_nonpos(x[i]);  // the vectorised loop, as in softmax
  for (int i = 0; i <= steps; ++i) {
    const std::int64_t d = ulps(y[i], exp_ref(x[i]));
    if (d > worst) worst = d, at = x[i];
  }
  // −2^e for every exponent (tiny arguments, where e^x rounds to 1 or just below) and 4096 floats around each
  // boundary: the normal/subnormal edge (−87.34) and the underflow to 0 (−103.28 … −103.97).
  for (int e = -149; e <= 6; ++e) {
    const float v = -std::ldexp(1.0f, e);
    if (v >= -104.0f) worst = std::max(worst, ulps(exp_nonpos(v), exp_ref(v)));
  }
  for (float c : {-87.336544f, -103.278929f, -103.972077f, -0.34657359f, -1e-7f}) {
    float v = c;
    for (int i = 0; i < 2048; ++i) v = std::nextafter(v, -finf);
    for (int i = 0; i < 4096; ++i, v = std::nextafter(v, finf)) {
      const std::int64_t d = ulps(exp_nonpos(v), exp_ref(v));
      if (d > worst) worst = d, at = v;
    }
  }
  INFO("worst at x = " << at);
  CHECK(worst <= 2);
}

TEST_CASE("the float exp_nonpos has std::exp's special values") {
  using probwasm::exp_nonpos;
  CHECK(exp_nonpos(0.0f) == 1.0f);
  CHECK(exp_nonpos(-0.0f) == 1.0f);
  CHECK(exp_nonpos(-finf) == 0.0f);
  CHECK(!std::signbit(exp_nonpos(-finf)));
  CHECK(std::isnan(exp_nonpos(std::numeric_limits<float>::quiet_NaN())));
  CHECK(exp_nonpos(-104.0f) == 0.0f);   // e^-104 < 2^-150: rounds to +0
  CHECK(exp_nonpos(-1e30f) == 0.0f);
  CHECK(exp_nonpos(-103.0f) > 0.0f);    // a subnormal, not flushed
  CHECK(exp_nonpos(-103.0f) < std::numeric_limits<float>::min());
  CHECK(ulps(exp_nonpos(65.0f), exp_ref(65.0f)) <= 2);  // the stated positive range
}

TEST_CASE("float softmax rows sum to 1 within a few float ulps times log n and match the double path") {
  for (std::size_t n : {1u, 2u, 3u, 8u, 1000u, 100000u}) {
    for (double scale : {1.0, 10.0, 100.0}) {
      CAPTURE(n);
      CAPTURE(scale);
      const auto xd = normals(n, 11 + static_cast<unsigned>(n), scale);
      const auto xf = to_f32(xd);
      std::vector<double> pd(n);
      std::vector<float> pf(n);
      softmax_into(xd.data(), n, 1.0, pd.data());
      softmax_into(xf.data(), n, 1.0, pf.data());
      CHECK(std::fabs(sum(pf) - 1.0) <= 2 * epsf * std::max(1.0, std::log2(double(n))));
      // p_i = e_i/S: the argument y = x_i − max rounds to ½ ulp (relative 2^-24, i.e. |y|·2^-24 in e^y), exp is
      // ≤ 2 ulp, 1/S and the product ≤ ½ ulp each: |p_f − p_d| ≤ (3.5 + |y|/2)·2^-23·p_d, plus one subnormal ulp.
      const double m = *std::max_element(xd.begin(), xd.end());
      for (std::size_t i = 0; i < n; ++i) {
        const double tol = (3.5 + (m - xd[i]) / 2) * epsf * pd[i] + 1.5e-45;
        if (!(std::fabs(pf[i] - pd[i]) <= tol)) FAIL_CHECK("i = " << i << ": " << pf[i] << " vs " << pd[i]);
      }
    }
  }
}

TEST_CASE("float logsumexp agrees with the double one and keeps its special values") {
  for (std::size_t n : {1u, 5u, 1000u, 100000u}) {
    const auto xd = normals(n, 3, 20.0);
    const auto xf = to_f32(xd);
    const double ld = logsumexp(xd.data(), n), lf = logsumexp(xf.data(), n);
    // the terms carry ≤ (2.5 + |y|/2) ulp each, but log S is a weighted mean of them (≤ 2.5 ulp + tiny terms'
    // argument errors) and the final rounding adds ½ ulp of the result.
    CHECK(std::fabs(lf - ld) <= 3 * epsf + 0.5 * epsf * std::fabs(ld));
  }
  const float all_masked[] = {-finf, -finf};
  CHECK(logsumexp(all_masked, 2) == -finf);
  const float plus_inf[] = {1.0f, finf};
  CHECK(logsumexp(plus_inf, 2) == finf);
  const float huge[] = {3e38f, 3e38f};
  CHECK(logsumexp(huge, 2) == doctest::Approx(3e38).epsilon(epsf));
  const float nan[] = {1.0f, std::nanf("")};
  CHECK_THROWS_WITH_AS(logsumexp(nan, 2), "logsumexp: x[1] must not be NaN, got NaN", std::invalid_argument);
  CHECK_THROWS_AS(logsumexp(static_cast<const float*>(nullptr), 0), std::invalid_argument);
}

TEST_CASE("float maps reject and mask special values exactly as the double ones do") {
  std::vector<float> out(3);
  const float masked[] = {1.0f, -finf, 0.5f};
  softmax_into(masked, 3, 1.0, out.data());
  CHECK(out[1] == 0.0f);
  Workspace w;
  sparsemax_into(masked, 3, out.data(), w);
  CHECK(out[1] == 0.0f);
  entmax_into(masked, 3, 1.5, out.data(), w);
  CHECK(out[1] == 0.0f);
  entmax_into(masked, 3, 1.3, out.data(), w);
  CHECK(out[1] == 0.0f);
  const float bad[] = {1.0f, std::nanf(""), finf};
  const double badd[] = {1.0, std::nan(""), std::numeric_limits<double>::infinity()};
  std::vector<double> outd(3);
  for (std::size_t skip : {1u, 2u}) {
    const float xf[] = {0.0f, bad[skip]};
    const double xd[] = {0.0, badd[skip]};
    std::string a, b;
    try { softmax_into(xf, 2, 1.0, out.data()); } catch (const std::invalid_argument& e) { a = e.what(); }
    try { softmax_into(xd, 2, 1.0, outd.data()); } catch (const std::invalid_argument& e) { b = e.what(); }
    CHECK(!a.empty());
    CHECK(a == b);
    a.clear();
    b.clear();
    try { entmax_into(xf, 2, 1.5, out.data(), w); } catch (const std::invalid_argument& e) { a = e.what(); }
    try { entmax_into(xd, 2, 1.5, outd.data(), w); } catch (const std::invalid_argument& e) { b = e.what(); }
    CHECK(!a.empty());
    CHECK(a == b);
  }
  const float ties[] = {2.0f, 2.0f, -1.0f};
  softmax_into(ties, 3, 1.0, out.data());
  CHECK(out[0] == out[1]);
  sparsemax_into(ties, 3, out.data(), w);
  CHECK(out[0] == 0.5f);
  CHECK(out[1] == 0.5f);
  CHECK(out[2] == 0.0f);
}

TEST_CASE("float sparsemax and entmax match the double path on random rows") {
  Workspace w;
  for (std::size_t n : {2u, 8u, 100u, 10000u, 1000000u}) {
    for (double scale : {0.1, 1.0, 30.0}) {
      CAPTURE(n);
      CAPTURE(scale);
      const auto xd = normals(n, 5 + static_cast<unsigned>(n), scale);
      const auto xf = to_f32(xd);
      const double big = 1.0 + std::fabs(*std::max_element(xd.begin(), xd.end()));
      for (double alpha : {2.0, 1.5, 1.25, 1.0}) {
        CAPTURE(alpha);
        std::vector<double> pd(n);
        std::vector<float> pf(n);
        entmax_into(xd.data(), n, alpha, pd.data(), w);
        entmax_into(xf.data(), n, alpha, pf.data(), w);
        CHECK(std::fabs(sum(pf) - 1.0) <= 2 * epsf * std::max(1.0, std::log2(double(n))));
        // p = relu(βx − λ)^{1/β}: x − max and the threshold round to ulps of max|x| (+1 for the λ ≥ −1 offset),
        // so entries move by a few ulps of that scale; α = 1 is softmax (tested above, relative).
        double worst = 0;
        for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::fabs(pf[i] - pd[i]));
        CHECK(worst <= 8 * epsf * big);
      }
    }
  }
}

TEST_CASE("many float rows (cols) equal row-by-row calls, bit for bit, for every map") {
  const std::size_t rows = 1000, cols = 8, size = rows * cols;
  const auto xf = to_f32(normals(size, 9, 2.0));
  Workspace w;
  for (double t : {1.0, 0.37}) {
    std::vector<float> all(size), one(cols);
    softmax_rows(xf.data(), size, t, cols, all.data());
    for (std::size_t r = 0; r < rows; ++r) {
      softmax_into(xf.data() + r * cols, cols, t, one.data());
      for (std::size_t i = 0; i < cols; ++i) REQUIRE(all[r * cols + i] == one[i]);
    }
  }
  std::vector<float> all(size), one(cols);
  sparsemax_rows(xf.data(), size, cols, all.data(), w);
  for (std::size_t r = 0; r < rows; ++r) {
    sparsemax_into(xf.data() + r * cols, cols, one.data(), w);
    for (std::size_t i = 0; i < cols; ++i) REQUIRE(all[r * cols + i] == one[i]);
  }
  entmax_rows(xf.data(), size, 1.5, cols, all.data(), w);
  for (std::size_t r = 0; r < rows; ++r) {
    entmax_into(xf.data() + r * cols, cols, 1.5, one.data(), w);
    for (std::size_t i = 0; i < cols; ++i) REQUIRE(all[r * cols + i] == one[i]);
  }
}

TEST_CASE("float Taylor, sparse and perturb-max rows are the double result rounded once") {
  const std::size_t cols = 6, size = 60;
  const auto xd = normals(size, 4, 1.5);
  const auto xf = to_f32(xd);  // exact: the normals are float values
  Workspace w;
  std::vector<float> pf(size);
  const auto same = [&](const std::vector<double>& pd) {
    for (std::size_t i = 0; i < size; ++i) REQUIRE(pf[i] == static_cast<float>(pd[i]));
  };
  taylor_softmax_rows(xf.data(), size, 4, cols, pf.data(), w);
  same(taylor_softmax(xd, 4, cols));
  sparse_softmax_rows(xf.data(), size, SparseRule::top_k(3), cols, pf.data(), w);
  same(sparse_softmax(xd, SparseRule::top_k(3), cols));
  sparse_softmax_rows(xf.data(), size, SparseRule::nucleus(0.8), cols, pf.data(), w);
  same(sparse_softmax(xd, SparseRule::nucleus(0.8), cols));
  perturb_max_rows(xf.data(), size, Noise::normal, 64, cols, pf.data(), w);
  same(perturb_max(xd, Noise::normal, 64, cols));
}

TEST_CASE("a temperature whose inverse overflows gives the argmax distribution, not NaN (post 8 §8.1, τ → 0)") {
  const double x[] = {1.0, 3.0, -2.0, 3.0};
  std::vector<double> p(4);
  softmax_into(x, 4, 5e-324, p.data());
  CHECK(p == std::vector<double>{0.0, 0.5, 0.0, 0.5});
  softmax_into(x, 1, 5e-324, p.data());
  CHECK(p[0] == 1.0);
  const float xf[] = {1.0f, 3.0f, -2.0f, 2.5f};
  std::vector<float> pf(4);
  for (double t : {5e-324, 1e-40, 1e-300}) {
    softmax_into(xf, 4, t, pf.data());
    CHECK(pf == std::vector<float>{0.0f, 1.0f, 0.0f, 0.0f});
  }
  // many rows take the same path
  const std::vector<double> rows = {1, 3, -2, 3, 0, 0, -1, 7};
  CHECK(softmax(rows, 5e-324, 4) == std::vector<double>{0, 0.5, 0, 0.5, 0, 0, 0, 1});
}

TEST_CASE("AM-softmax at ±1e308 gives the limit, not NaN (post 8 §8.2)") {
  const double x[] = {1e308, -1e308};
  std::vector<double> q(2);
  am_softmax_into(x, 2, 0, 0.0, 30.0, q.data());
  CHECK(q == std::vector<double>{1.0, 0.0});
  am_softmax_into(x, 2, 1, 0.35, 30.0, q.data());
  CHECK(q == std::vector<double>{1.0, 0.0});
}

namespace {
// The entmax-1.5 kernel as it was before the candidate list (every pass over all n), kept here as the
// reference that the listed version must reproduce bit for bit.
double old_entmax15(const double* x, std::size_t n, double* out) {
  double m = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, x[i]);
  double* z = out;
  std::size_t len = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = (x[i] - m) / 2;
    if (v > -1.0) z[len++] = v;
  }
  std::sort(z, z + len, std::greater<double>());
  double mean = z[0], m2 = 0.0;
  std::size_t k = 1;
  for (; k < len; ++k) {
    const double c = z[k], d0 = mean - c;
    if (m2 + static_cast<double>(k) * d0 * d0 >= 1.0) break;
    const double d = c - mean;
    mean += d / static_cast<double>(k + 1);
    m2 += d * (c - mean);
  }
  const double kk = static_cast<double>(k);
  const double lambda = mean - std::sqrt(std::max(1.0 / kk - m2 / kk, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    const double v = (x[i] - m) / 2 - lambda, r = std::max(v, 0.0);
    out[i] = r * r;
  }
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    if (out[i] != 0.0) s += out[i];
  for (std::size_t i = 0; i < n; ++i) out[i] *= 1.0 / s;
  return lambda + m / 2;
}
}  // namespace

TEST_CASE("entmax-1.5 with its candidate list equals the full-scan kernel bit for bit (random and special rows)") {
  Workspace w;
  std::vector<std::vector<double>> rows;
  for (std::size_t n : {1u, 2u, 8u, 64u, 65u, 1000u, 100000u})
    for (double scale : {0.01, 1.0, 30.0}) rows.push_back(normals(n, 21 + static_cast<unsigned>(n), scale));
  rows.push_back(std::vector<double>(20000, 0.25));              // every entry tied: 20000 candidates (full scan)
  std::vector<double> up(5000), down(3000);
  for (std::size_t i = 0; i < up.size(); ++i) up[i] = 1e-3 * static_cast<double>(i);  // running max rises at every
  for (std::size_t i = 0; i < down.size(); ++i) down[i] = -1e-3 * static_cast<double>(i);  // entry / never
  rows.push_back(up);
  rows.push_back(down);
  rows.push_back({3, 1, 0});                                      // the post's tie
  rows.push_back({0.0, -0.0, -std::numeric_limits<double>::infinity(), 1e-300});
  rows.push_back({1e308, -1e308, 1e308 - 1e292});
  for (const auto& x : rows) {
    CAPTURE(x.size());
    std::vector<double> a(x.size()), b(x.size());
    const double la = entmax15_into(x.data(), x.size(), a.data(), w), lb = old_entmax15(x.data(), x.size(), b.data());
    CHECK(la == lb);
    for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(a[i] == b[i]);
  }
}

TEST_CASE("long rows (one fused pass for the max and the candidates) report bad entries as the short ones do") {
  Workspace w;
  for (std::size_t n : {10u, 1000u}) {
    std::vector<double> x(n, 0.5), out(n);
    x[n - 3] = std::nan("");
    CHECK_THROWS_WITH_AS(sparsemax_into(x.data(), n, out.data(), w),
                         ("sparsemax: x[" + std::to_string(n - 3) + "] must not be NaN, got NaN").c_str(), std::invalid_argument);
    CHECK_THROWS_WITH_AS(entmax_into(x.data(), n, 1.5, out.data(), w),
                         ("entmax: x[" + std::to_string(n - 3) + "] must not be NaN, got NaN").c_str(), std::invalid_argument);
    x[n - 3] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(sparsemax_into(x.data(), n, out.data(), w), std::invalid_argument);
    CHECK_THROWS_AS(entmax_into(x.data(), n, 1.5, out.data(), w), std::invalid_argument);
    std::fill(x.begin(), x.end(), -std::numeric_limits<double>::infinity());
    CHECK_THROWS_WITH_AS(sparsemax_into(x.data(), n, out.data(), w),
                         "sparsemax: x must have at least one finite entry, got \"all -Infinity\"", std::invalid_argument);
  }
}

TEST_CASE("softmax with its fused exp-and-sum pass equals the former two-pass kernel bit for bit") {
  // The former kernel: e_i = exp_nonpos((x_i − m)·(1/τ)), then four partial sums, then ×(1/Σ).
  const auto old_softmax = [](const std::vector<double>& x, double t, std::vector<double>& out) {
    const double m = *std::max_element(x.begin(), x.end()), inv_t = t == 1.0 ? 1.0 : 1.0 / t;
    const std::size_t n = x.size();
    for (std::size_t i = 0; i < n; ++i) out[i] = probwasm::exp_nonpos(t == 1.0 ? x[i] - m : (x[i] - m) * inv_t);
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) s0 += out[i], s1 += out[i + 1], s2 += out[i + 2], s3 += out[i + 3];
    for (; i < n; ++i) s0 += out[i];
    const double inv = 1.0 / ((s0 + s2) + (s1 + s3));
    for (double& v : out) v *= inv;
  };
  for (std::size_t n : {1u, 3u, 8u, 63u, 64u, 1000u, 100001u}) {
    for (double t : {1.0, 0.3, 7.0}) {
      CAPTURE(n);
      CAPTURE(t);
      auto x = normals(n, 31 + static_cast<unsigned>(n), 5.0);
      if (n > 3) x[2] = -std::numeric_limits<double>::infinity();
      std::vector<double> a(n), b(n);
      softmax_into(x.data(), n, t, a.data());
      old_softmax(x, t, b);
      for (std::size_t i = 0; i < n; ++i) REQUIRE(a[i] == b[i]);
    }
  }
}

TEST_CASE("softmaxReport returns the threshold λ of sparsemax and entmax, NaN for the other maps") {
  using probwasm::testing::eps;
  MapOptions o;
  // x = post 8 §8.9's vector: sparsemax's support {1, 0.5}, λ = (1 + 0.5 − 1)/2 = 1/4.
  const std::vector<double> post = {1, 0.5, 0.2, -0.3, -1};
  CHECK(report("sparsemax", post, o).threshold == doctest::Approx(0.25).epsilon(4 * eps));
  // entmax-1.5 at [3, 1, 0]: z = x/2 = [1.5, 0.5, 0], support {1.5} with λ = 1.5 − 1 = 0.5 (p = relu(z − λ)²).
  o.alpha = 1.5;
  CHECK(report("entmax", {3, 1, 0}, o).threshold == 0.5);
  o.alpha = 1.0;  // the softmax limit: λ = logsumexp(x)
  CHECK(report("entmax", {0, std::log(3.0)}, o).threshold == doctest::Approx(std::log(4.0)).epsilon(4 * eps));
  o.alpha = 2.0;
  CHECK(report("entmax", post, o).threshold == doctest::Approx(0.25).epsilon(4 * eps));
  CHECK(std::isnan(report("softmax", post, o).threshold));
  CHECK(std::isnan(report("taylor", post, o).threshold));
}
