// The vectorised softmax paths (post 8 §8.1): softmax built on common/exp.hpp's exp_vec against an independent
// long-double reference, and the many-rows path against the one-row path (values and error messages).
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "numeric_test.hpp"
#include "softmax/softmax.hpp"

using namespace probwasm::softmax;

namespace {
const double inf = std::numeric_limits<double>::infinity();

// Row-wise long-double softmax with std::exp (libm), written independently of the library.
std::vector<double> reference(const std::vector<double>& x, std::size_t cols, long double tau) {
  std::vector<double> r(x.size());
  for (std::size_t a = 0; a < x.size(); a += cols) {
    long double m = -INFINITY, z = 0;
    for (std::size_t i = a; i < a + cols; ++i) m = std::max(m, static_cast<long double>(x[i]));
    for (std::size_t i = a; i < a + cols; ++i) z += std::exp((x[i] - m) / tau);
    for (std::size_t i = a; i < a + cols; ++i) r[i] = static_cast<double>(std::exp((x[i] - m) / tau) / z);
  }
  return r;
}

// ≤ 1e-12 relative for normal results; a subnormal p is within 2 units of 2^-1074 (its exp rounds once into
// the subnormal range, then is divided by Σ ≥ 1).
void check_close(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  int bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const bool ok = want[i] >= std::numeric_limits<double>::min()
                        ? std::fabs(got[i] - want[i]) <= 1e-12 * want[i]
                        : std::fabs(got[i] - want[i]) <= 2 * std::numeric_limits<double>::denorm_min();
    if (!ok && ++bad <= 5) FAIL_CHECK("index " << i << ": " << got[i] << " vs " << want[i]);
  }
  CHECK(bad == 0);
}

std::vector<double> logits(std::size_t n, double sd, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0, sd);
  std::vector<double> x(n);
  for (auto& v : x) v = g(rng);
  return x;
}

std::string message(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}
}  // namespace

TEST_CASE("softmax matches an independent long-double reference to 1e-12 relative, down to subnormal outputs") {
  auto x = logits(20000, 30.0, 3);  // spans ~±120: p down to e^-240
  x[5] = -inf;
  x[6] = x[0] - 700.0;  // e^-700: normal
  x[7] = x[0] - 740.0;  // subnormal e^{x − max}
  x[8] = x[0] - 800.0;  // underflows to 0
  for (std::size_t i = 10; i < 20; ++i) x[i] = x[0] - 708.0 - 0.1 * static_cast<double>(i);  // across 2^-1022
  check_close(softmax(x), reference(x, x.size(), 1));
  check_close(softmax(x, 0.37), reference(x, x.size(), 0.37L));
  check_close(softmax(x, 8.0), reference(x, x.size(), 8.0L));
  const auto small = logits(1000, 1.0, 4);
  check_close(softmax(small), reference(small, small.size(), 1));
}

TEST_CASE("row-wise softmax matches the reference to 1e-12 and each row's one-row softmax bitwise") {
  for (std::size_t cols : {1u, 2u, 3u, 8u, 33u}) {
    CAPTURE(cols);
    auto x = logits(cols * 500, 4.0, static_cast<unsigned>(cols));
    x[1] = -inf;  // a masked logit (rows of one column keep a finite entry elsewhere)
    if (cols == 1) x[1] = 0.0;
    x[cols * 10] = x[cols * 10 + cols - 1] = 9.0;  // a tie at the max
    x[cols * 20] = -0.0;
    for (double tau : {1.0, 0.37, 3.0}) {
      CAPTURE(tau);
      const auto all = softmax(x, tau, cols);
      check_close(all, reference(x, cols, tau));
      for (std::size_t a = 0; a < x.size(); a += cols) {
        const std::vector<double> row(x.begin() + a, x.begin() + a + cols);
        const std::vector<double> got(all.begin() + a, all.begin() + a + cols);
        PW_CHECK_VEC_REL(got, softmax(row, tau), 0);
      }
    }
  }
  CHECK(softmax({-0.0, 0.0, 0.0, -0.0}, 1.0, 2) == std::vector<double>{0.5, 0.5, 0.5, 0.5});
}

TEST_CASE("row-wise softmax rejects bad rows with the message of the first bad row alone") {
  auto x = logits(8 * 50, 1.0, 9);
  const auto first_error = [&](const std::vector<double>& y, double tau) {
    for (std::size_t a = 0; a < y.size(); a += 8) {
      const std::vector<double> row(y.begin() + a, y.begin() + a + 8);
      const std::string m = message([&] { softmax(row, tau); });
      if (m != "no exception") return m;
    }
    return std::string("no exception");
  };
  SUBCASE("NaN") {
    x[8 * 3 + 5] = NAN;
    x[8 * 7 + 1] = inf;
    CHECK(message([&] { softmax(x, 1.0, 8); }) == "softmax: x[5] must not be NaN, got NaN");
    CHECK(message([&] { softmax(x, 1.0, 8); }) == first_error(x, 1.0));
  }
  SUBCASE("+inf") {
    x[8 * 7 + 1] = inf;
    CHECK(message([&] { softmax(x, 2.0, 8); }) == "softmax: x[1] must be finite or -Infinity, got Infinity");
  }
  SUBCASE("all -inf") {
    for (std::size_t i = 8 * 4; i < 8 * 5; ++i) x[i] = -inf;
    CHECK(message([&] { softmax(x, 1.0, 8); }) == first_error(x, 1.0));
    CHECK(message([&] { softmax(x, 1.0, 8); }) != "no exception");
  }
  SUBCASE("temperature and shape") {
    CHECK(message([&] { softmax(x, 0.0, 8); }) == "softmax: temperature must be a positive finite number, got 0");
    CHECK(message([&] { softmax(x, -inf, 8); }) == first_error(x, -inf));
    CHECK(message([&] { softmax(x, 1.0, 7); }) == "softmax: cols must divide the length 400, got 7");
  }
}
