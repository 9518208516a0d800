// The branch-free exp of common/exp.hpp (used by softmax, post 8 §8.1) against std::exp: the ulp distance is
// the difference of the bit patterns (both results are ≥ +0, where bit order is value order, subnormals included).
#include "common/exp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "numeric_test.hpp"

using probwasm::exp_vec;

namespace {
const double inf = std::numeric_limits<double>::infinity();

std::int64_t ulps(double a, double b) {
  std::int64_t ia, ib;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  return ia > ib ? ia - ib : ib - ia;
}

// Worst ulp distance to std::exp over x = lo + i·(hi − lo)/steps, i = 0..steps; vectorised like softmax's loop.
std::int64_t worst(double lo, double hi, int steps, double* at) {
  std::vector<double> x(steps + 1), y(steps + 1);
  for (int i = 0; i <= steps; ++i) x[i] = lo + (hi - lo) * i / steps;
  for (int i = 0; i <= steps; ++i) y[i] = exp_vec(x[i]);
  std::int64_t w = 0;
  for (int i = 0; i <= steps; ++i) {
    const std::int64_t d = ulps(y[i], std::exp(x[i]));
    if (d > w) w = d, *at = x[i];
  }
  return w;
}
}  // namespace

TEST_CASE("exp_vec is within 2 ulp of std::exp on a dense grid of [-745.2, 0] and of the positive range") {
  // Both are within ~1 ulp of e^x (std::exp: < 1 ulp in glibc and musl; exp_vec: < 0.15 ulp truncation plus
  // the Estrin/summation rounding, see exp.hpp), so they can differ by at most 2 ulp.
  double at = 0;
  std::int64_t w = worst(-745.2, 0.0, 2000003, &at);
  CAPTURE(at);
  CHECK(w <= 2);
  w = worst(-1.0, 1.0, 400001, &at);  // |r| spans the whole reduced interval many times
  CHECK(w <= 2);
  w = worst(0.0, 709.78, 400001, &at);
  CHECK(w <= 2);
  MESSAGE("worst ulp distance on [-745.2, 0]: " << worst(-745.2, 0.0, 2000003, &at) << " at " << at);
}

TEST_CASE("exp_vec rounds correctly into the subnormal range and underflows to +0 like std::exp") {
  // Below −708.396… (e^x < 2^-1022) the result is subnormal: p·2^{k1} is exact, the last scaling rounds once.
  double at = 0;
  CHECK(worst(-745.2, -708.0, 1000003, &at) <= 2);
  CHECK(worst(-709.0, -707.0, 200001, &at) <= 2);  // across the normal/subnormal boundary
  for (double x : {-708.3964185322641, -708.39641853226408, -708.3964185322642, -708.4, -744.44007192138122,
                   -745.13321910194110, -745.1332191019411, -745.13321910194122, -745.1332191019412, -745.2,
                   -746.0, -800.0, -1074.0 * 0.6931471805599453, -1100.0, -1e300, -inf}) {
    CAPTURE(x);
    CHECK(ulps(exp_vec(x), std::exp(x)) <= 1);
  }
  CHECK(exp_vec(-745.2) == 0.0);
  CHECK(exp_vec(-inf) == 0.0);
  CHECK(!std::signbit(exp_vec(-inf)));
  CHECK(exp_vec(-std::numeric_limits<double>::max()) == 0.0);
  CHECK(exp_vec(-745.0) == std::numeric_limits<double>::denorm_min());  // e^-745 ≈ 4.94e-324 · 1.0001…
}

TEST_CASE("exp_vec has std::exp's special values") {
  CHECK(exp_vec(0.0) == 1.0);
  CHECK(exp_vec(-0.0) == 1.0);
  CHECK(exp_vec(-std::numeric_limits<double>::denorm_min()) == 1.0);
  CHECK(exp_vec(std::numeric_limits<double>::denorm_min()) == 1.0);
  CHECK(std::isnan(exp_vec(std::numeric_limits<double>::quiet_NaN())));
  CHECK(std::isnan(exp_vec(-std::numeric_limits<double>::quiet_NaN())));
  CHECK(exp_vec(inf) == inf);
  CHECK(exp_vec(709.8) == inf);
  CHECK(exp_vec(1e300) == inf);
  CHECK(ulps(exp_vec(709.78), std::exp(709.78)) <= 2);
  CHECK(ulps(exp_vec(1.0), 2.718281828459045) <= 1);
  CHECK(ulps(exp_vec(-1.0), 0.36787944117144233) <= 1);
}

TEST_CASE("exp_nonpos, softmax's exp for x <= 0, equals exp_vec bit for bit and has std::exp's special values") {
  // Same reduction and polynomial; the one-factor 2^k is exact for normal results and rounds once for
  // subnormal ones, as exp_vec's two factors do: so the values are identical, and within 2 ulp of std::exp.
  const int steps = 2000003;
  std::vector<double> x(steps + 1), a(steps + 1), b(steps + 1);
  for (int i = 0; i <= steps; ++i) x[i] = -745.6 + 745.6 * i / steps;
  for (int i = 0; i <= steps; ++i) a[i] = probwasm::exp_nonpos(x[i]);
  for (int i = 0; i <= steps; ++i) b[i] = exp_vec(x[i]);
  std::int64_t w = 0, differ = 0;
  for (int i = 0; i <= steps; ++i) {
    differ += a[i] != b[i];
    w = std::max(w, ulps(a[i], std::exp(x[i])));
  }
  CHECK(differ == 0);
  CHECK(w <= 2);
  for (double v : {0.0, -0.0, -1e-300, -708.3964185322641, -708.39641853226408, -708.4, -745.13321910194110,
                   -745.1332191019412, -745.2, -745.5, -745.50000000000011, -746.0, -1100.0, -1e300, -inf}) {
    CAPTURE(v);
    CHECK(ulps(probwasm::exp_nonpos(v), std::exp(v)) <= 1);
    CHECK(probwasm::exp_nonpos(v) == exp_vec(v));
  }
  CHECK(probwasm::exp_nonpos(0.0) == 1.0);
  CHECK(probwasm::exp_nonpos(-0.0) == 1.0);
  CHECK(probwasm::exp_nonpos(-inf) == 0.0);
  CHECK(!std::signbit(probwasm::exp_nonpos(-inf)));
  CHECK(std::isnan(probwasm::exp_nonpos(std::numeric_limits<double>::quiet_NaN())));
  CHECK(probwasm::exp_nonpos(-745.0) == std::numeric_limits<double>::denorm_min());
  CHECK(probwasm::exp_nonpos(1.0) == exp_vec(1.0));  // also exact for 0 < x ≤ 664
  CHECK(probwasm::exp_nonpos(664.0) == exp_vec(664.0));
}
