// Tolerances stated in units of machine epsilon, not magic numbers (see DESIGN.md, Eigen's style).
#pragma once
#include <doctest/doctest.h>
#include <cmath>
#include <limits>
#include <vector>

namespace probwasm::testing {

constexpr double eps = std::numeric_limits<double>::epsilon();

// |a - b| <= tol * max(|a|, |b|), or both exactly equal (covers ±inf and 0).
inline bool close_rel(double a, double b, double tol) {
  if (a == b) return true;
  if (std::isnan(a) || std::isnan(b)) return false;
  return std::fabs(a - b) <= tol * std::fmax(std::fabs(a), std::fabs(b));
}
inline bool close_abs(double a, double b, double tol) { return a == b || std::fabs(a - b) <= tol; }

// Checks every element and reports the first index that differs.
#define PW_CHECK_VEC_REL(actual, expected, tol)                                                  \
  do {                                                                                           \
    const auto& pw_a_ = (actual);                                                                \
    const auto& pw_e_ = (expected);                                                              \
    REQUIRE(pw_a_.size() == pw_e_.size());                                                       \
    for (std::size_t pw_i_ = 0; pw_i_ < pw_a_.size(); ++pw_i_) {                                 \
      INFO("index " << pw_i_ << ": " << pw_a_[pw_i_] << " vs " << pw_e_[pw_i_]);                 \
      CHECK(::probwasm::testing::close_rel(pw_a_[pw_i_], pw_e_[pw_i_], (tol)));                  \
    }                                                                                            \
  } while (0)
#define PW_CHECK_VEC_ABS(actual, expected, tol)                                                  \
  do {                                                                                           \
    const auto& pw_a_ = (actual);                                                                \
    const auto& pw_e_ = (expected);                                                              \
    REQUIRE(pw_a_.size() == pw_e_.size());                                                       \
    for (std::size_t pw_i_ = 0; pw_i_ < pw_a_.size(); ++pw_i_) {                                 \
      INFO("index " << pw_i_ << ": " << pw_a_[pw_i_] << " vs " << pw_e_[pw_i_]);                 \
      CHECK(::probwasm::testing::close_abs(pw_a_[pw_i_], pw_e_[pw_i_], (tol)));                  \
    }                                                                                            \
  } while (0)

}  // namespace probwasm::testing
