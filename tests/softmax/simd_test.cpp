// The vector exps of common/simd.hpp (the f64x2/f32x4 hot loop of softmax, post 8 §8.1): bit-identical to the
// scalar exp_nonpos of exp.hpp/expf.hpp (whose accuracy tests then carry over), within 2 ulp of std::exp /
// the correctly rounded float e^x on their own, and with std::exp's special values. expf_vec (every float x)
// is checked on a strided sweep of every float in [−104, 89] plus dense windows at its boundaries; an
// exhaustive sweep of all 2^32 floats is a skipped case (run it with --no-skip -tc='*every float*').
#include "common/simd.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "common/exp.hpp"
#include "common/expf.hpp"
#include "numeric_test.hpp"
#include "softmax/softmax.hpp"

namespace simd = probwasm::simd;

namespace {
const double inf = std::numeric_limits<double>::infinity();
const float finf = std::numeric_limits<float>::infinity();

std::uint64_t bits64(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}
std::uint32_t bits32(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}
float float_of(std::uint32_t u) {
  float v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}
// ulp distance of two non-negative results (bit order is value order there, subnormals included).
std::int64_t ulps64(double a, double b) {
  const auto ia = static_cast<std::int64_t>(bits64(a)), ib = static_cast<std::int64_t>(bits64(b));
  return ia > ib ? ia - ib : ib - ia;
}
std::int64_t ulps32(float a, float b) {
  const auto ia = static_cast<std::int64_t>(bits32(a)), ib = static_cast<std::int64_t>(bits32(b));
  return ia > ib ? ia - ib : ib - ia;
}
// The correctly rounded float e^x, up to the double rounding of a double exp within 1 ulp of e^x: the two
// differ only when e^x lies within ~2^-52 (relative) of a float midpoint, a ≤ 1-ulp effect on the reference.
float exp_ref(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }

// The vector exps applied to a whole array, as softmax's loops apply them (constants splatted once).
void vexp64(const std::vector<double>& x, std::vector<double>& y) {
  const simd::Exp64 k;
  std::size_t i = 0;
  for (; i + 2 <= x.size(); i += 2) simd::store2(&y[i], simd::exp_nonpos(simd::load2(&x[i]), k));
  for (; i < x.size(); ++i) y[i] = simd::exp_nonpos(simd::f64x2{x[i], x[i]}, k)[0];
}
template <class F>
void vexp32(const std::vector<float>& x, std::vector<float>& y, F f) {
  const simd::Exp32 k;
  std::size_t i = 0;
  for (; i + 4 <= x.size(); i += 4) simd::store4(&y[i], f(simd::load4(&x[i]), k));
  for (; i < x.size(); ++i) y[i] = f(simd::splat4(x[i]), k)[0];
}
const auto f32_nonpos = [](simd::f32x4 v, const simd::Exp32& k) { return simd::exp_nonpos(v, k); };
const auto f32_full = [](simd::f32x4 v, const simd::Exp32& k) { return simd::expf_vec(v, k); };
bool same_bits(float a, float b) { return bits32(a) == bits32(b) || (std::isnan(a) && std::isnan(b)); }
bool same_bits(double a, double b) { return bits64(a) == bits64(b) || (std::isnan(a) && std::isnan(b)); }
}  // namespace

TEST_CASE("the f64x2 exp equals the scalar exp_nonpos bit for bit and is within 2 ulp of std::exp") {
  const int steps = 2000003;
  std::vector<double> x(steps + 1), y(steps + 1);
  for (int i = 0; i <= steps; ++i) x[i] = -746.0 + 746.0 * i / steps;
  for (double v : {0.0, -0.0, -1e-300, -4.9e-324, -708.3964185322641, -708.39641853226408, -745.13321910194110,
                   -745.1332191019412, -745.2, -745.5, -745.50000000000011, -746.0, -1100.0, -1e300,
                   -std::numeric_limits<double>::max(), -inf, std::numeric_limits<double>::quiet_NaN(),
                   -std::numeric_limits<double>::quiet_NaN()})
    x.push_back(v);
  y.resize(x.size());
  vexp64(x, y);
  std::int64_t differ = 0, worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    differ += !same_bits(y[i], probwasm::exp_nonpos(x[i]));
    if (!std::isnan(x[i])) worst = std::max(worst, ulps64(y[i], std::exp(x[i])));
  }
  CHECK(differ == 0);
  CHECK(worst <= 2);
  // special values, lane by lane
  const simd::Exp64 k;
  const simd::f64x2 a = simd::exp_nonpos(simd::f64x2{0.0, -0.0}, k), b = simd::exp_nonpos(simd::f64x2{-inf, NAN}, k);
  CHECK(a[0] == 1.0);
  CHECK(a[1] == 1.0);
  CHECK(b[0] == 0.0);
  CHECK(!std::signbit(b[0]));
  CHECK(std::isnan(b[1]));
  CHECK(simd::exp_nonpos(simd::splat2(-745.0), k)[0] == std::numeric_limits<double>::denorm_min());
}

namespace {
// Worst ulp distance to the reference of a float vector exp (exp_nonpos or expf_vec) over the floats with
// bit patterns lo, lo + stride, … ≤ hi (one sign), and how many results where x ≤ 0 differ in their bits from
// the scalar float exp_nonpos (the function softmax's exps must equal). NaN inputs must give NaN.
struct Sweep {
  std::int64_t worst = 0, differ = 0, nan_bad = 0;
  float at = 0;
};
template <class F>
void sweep(F f, std::uint32_t lo, std::uint32_t hi, std::uint32_t stride, Sweep& s) {
  const std::size_t chunk = 1 << 18;
  std::vector<float> x, y;
  x.reserve(chunk);
  for (std::uint64_t u = lo; u <= hi;) {
    x.clear();
    for (; u <= hi && x.size() < chunk; u += stride) x.push_back(float_of(static_cast<std::uint32_t>(u)));
    y.resize(x.size());
    vexp32(x, y, f);
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (std::isnan(x[i])) {
        s.nan_bad += !std::isnan(y[i]);
        continue;
      }
      const std::int64_t d = ulps32(y[i], exp_ref(x[i]));
      if (d > s.worst) s.worst = d, s.at = x[i];
      if (x[i] <= 0 && x[i] >= -104.0f) s.differ += !same_bits(y[i], probwasm::exp_nonpos(x[i]));
    }
  }
}
}  // namespace

TEST_CASE("the f32x4 exp_nonpos equals the scalar float exp_nonpos bit for bit and is within 2 ulp") {
  Sweep s;
  sweep(f32_nonpos, 0x80000000u, bits32(-104.0f), 31, s);  // every 31st float of [−104, −0]: 3.6e7 values
  for (float c : {-103.972077f, -87.336544f, -0.34657359f, -1e-7f}) {  // every float near the edges
    const std::uint32_t b = bits32(c);
    sweep(f32_nonpos, b - (1u << 14), b + (1u << 14), 1, s);
  }
  INFO("worst at x = " << s.at);
  CHECK(s.worst <= 2);
  CHECK(s.differ == 0);
  const simd::Exp32 k;
  const simd::f32x4 a = simd::exp_nonpos(simd::f32x4{0.0f, -0.0f, -finf, NAN}, k);
  CHECK(a[0] == 1.0f);
  CHECK(a[1] == 1.0f);
  CHECK(a[2] == 0.0f);
  CHECK(!std::signbit(a[2]));
  CHECK(std::isnan(a[3]));
  CHECK(simd::exp_nonpos(simd::splat4(-1e30f), k)[0] == 0.0f);
}

TEST_CASE("expf_vec is within 2 ulp of the correctly rounded e^x over the float range, boundaries densely") {
  Sweep s;
  // every 29th float of [−104, −0] and of [+0, 89] (≈ 7.7e7 values); beyond them e^x is +0 or +inf
  sweep(f32_full, 0x80000000u, bits32(-104.0f), 29, s);
  sweep(f32_full, 0u, bits32(89.0f), 29, s);
  // every float within 2^16 of the edges: underflow to 0, the subnormal edge, 1 − ulp, overflow
  for (float c : {-103.972077f, -103.278929f, -87.336544f, -1e-7f, 1e-7f, 88.7228394f, 88.0f}) {
    const std::uint32_t b = bits32(c);
    sweep(f32_full, b - (1u << 16), b + (1u << 16), 1, s);
  }
  INFO("worst at x = " << s.at);
  CHECK(s.worst <= 2);
  CHECK(s.differ == 0);  // for x ≤ 0 the same bits as the float softmax's exp
  CHECK(s.nan_bad == 0);

  const simd::Exp32 k;
  const simd::f32x4 a = simd::expf_vec(simd::f32x4{0.0f, -0.0f, finf, -finf}, k);
  CHECK(a[0] == 1.0f);
  CHECK(a[1] == 1.0f);
  CHECK(a[2] == finf);
  CHECK(a[3] == 0.0f);
  CHECK(!std::signbit(a[3]));
  const simd::f32x4 b = simd::expf_vec(simd::f32x4{NAN, 88.72284f, 1e30f, -1e30f}, k);
  CHECK(std::isnan(b[0]));
  CHECK(b[1] == finf);  // above ln FLT_MAX = 88.7228391
  CHECK(b[2] == finf);
  CHECK(b[3] == 0.0f);
  const simd::f32x4 c = simd::expf_vec(simd::f32x4{88.72283f, -103.9f, 1.0f, -1.0f}, k);
  CHECK(ulps32(c[0], exp_ref(88.72283f)) <= 2);
  CHECK(c[0] < finf);
  CHECK(c[1] > 0.0f);  // a subnormal, ~2^-149.9: rounds to the smallest subnormal
  CHECK(c[1] == std::numeric_limits<float>::denorm_min());
  CHECK(ulps32(c[2], 2.71828183f) <= 1);
  CHECK(ulps32(c[3], 0.367879441f) <= 1);
  const float tiny = std::numeric_limits<float>::denorm_min();
  const simd::f32x4 d = simd::expf_vec(simd::f32x4{tiny, -tiny, std::numeric_limits<float>::max(),
                                                   -std::numeric_limits<float>::max()}, k);
  CHECK(d[0] == 1.0f);
  CHECK(d[1] == 1.0f);
  CHECK(d[2] == finf);
  CHECK(d[3] == 0.0f);
}

TEST_CASE("expf_vec on every float (exhaustive, 2^32 inputs; skipped by default)" * doctest::skip()) {
  Sweep s;
  sweep(f32_full, 0u, 0xFFFFFFFFu, 1, s);
  INFO("worst at x = " << s.at);
  MESSAGE("expf_vec, every float: worst " << s.worst << " ulp at x = " << s.at << ", " << s.differ
                                          << " differ from exp_nonpos on [-104, 0]");
  CHECK(s.worst <= 2);
  CHECK(s.differ == 0);
  CHECK(s.nan_bad == 0);
}

TEST_CASE("softmax_rows in place (out == x, the JS API's single scratch block) equals the out-of-place result") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> g(0, 3);
  for (std::size_t cols : {0u, 1u, 3u, 8u, 63u, 64u, 1000u}) {
    for (double tau : {1.0, 0.37, 5e-324}) {
      CAPTURE(cols);
      CAPTURE(tau);
      const std::size_t size = cols == 0 ? 10007 : cols * 37;
      std::vector<double> x(size);
      for (auto& v : x) v = g(rng);
      if (cols != 1) x[size / 3] = -inf;  // (a row of one −inf is an error)
      std::vector<double> want(size), got = x;
      probwasm::softmax::softmax_rows(x.data(), size, tau, cols, want.data());
      probwasm::softmax::softmax_rows(got.data(), size, tau, cols, got.data());
      for (std::size_t i = 0; i < size; ++i) REQUIRE(same_bits(got[i], want[i]));
      std::vector<float> xf(x.begin(), x.end()), wf(size), gf = xf;
      probwasm::softmax::softmax_rows(xf.data(), size, tau, cols, wf.data());
      probwasm::softmax::softmax_rows(gf.data(), size, tau, cols, gf.data());
      for (std::size_t i = 0; i < size; ++i) REQUIRE(same_bits(gf[i], wf[i]));
    }
  }
  // a bad row found midway (rows before it already shifted in place) gives the message of the first bad row
  std::vector<double> x(8 * 20, 0.5);
  x[8 * 11 + 3] = NAN;
  CHECK_THROWS_WITH_AS(probwasm::softmax::softmax_rows(x.data(), x.size(), 0.5, 8, x.data()),
                       "softmax: x[3] must not be NaN, got NaN", std::invalid_argument);
}
