#include "softmax/softmax.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "numeric_test.hpp"

using namespace probwasm::softmax;
using probwasm::testing::eps;

TEST_CASE("softmax reproduces the post's test vector to a few ulps") {
  // Independent reference: e^{x_i} / Σ e^{x_j} in long double, x = [1, .5, .2, -.3, -1] (post 8 §8.9).
  const std::vector<double> x{1.0, 0.5, 0.2, -0.3, -1.0};
  long double z = 0;
  for (double v : x) z += std::exp(static_cast<long double>(v));
  std::vector<double> ref;
  for (double v : x) ref.push_back(static_cast<double>(std::exp(static_cast<long double>(v)) / z));
  PW_CHECK_VEC_REL(softmax(x), ref, 8 * eps);
  CHECK(softmax(x)[0] == doctest::Approx(0.405889).epsilon(1e-6));
}

TEST_CASE("logsumexp is stable at the ends of the double range") {
  CHECK(logsumexp({1e308, 1e308}) == doctest::Approx(1e308).epsilon(eps));
  CHECK(logsumexp({-1e308, -1e308}) == doctest::Approx(-1e308).epsilon(eps));
  CHECK(logsumexp({0.0, -std::numeric_limits<double>::infinity()}) == 0.0);
  CHECK(logsumexp({-std::numeric_limits<double>::infinity()}) == -std::numeric_limits<double>::infinity());
  CHECK(logsumexp({3.0, 3.0, 3.0, 3.0}) == doctest::Approx(3.0 + std::log(4.0)).epsilon(2 * eps));
  CHECK_THROWS_WITH_AS(logsumexp(std::vector<double>{}), "logsumexp: x must be non-empty, got \"an empty array\"",
                       std::invalid_argument);
}
