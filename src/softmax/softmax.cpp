#include "softmax/softmax.hpp"

#include <cmath>
#include <limits>

#include "common/errors.hpp"
#include "common/rows.hpp"

namespace probwasm::softmax {
namespace {

// Largest entry; rejects NaN and (when allow_pos_inf is false) +inf, and an empty input.
double checked_max(const char* fn, const double* x, std::size_t n, bool allow_pos_inf) {
  if (n == 0) fail(fn, "x", "be non-empty", "an empty array");
  double m = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) fail(fn, indexed("x", i), "not be NaN", x[i]);
    if (!allow_pos_inf && x[i] == std::numeric_limits<double>::infinity())
      fail(fn, indexed("x", i), "be finite or -Infinity", x[i]);
    if (x[i] > m) m = x[i];
  }
  return m;
}

}  // namespace

double logsumexp(const double* x, std::size_t n) {
  const double m = checked_max("logsumexp", x, n, true);
  if (std::isinf(m)) return m;  // all -inf → log 0 = -inf; any +inf → +inf
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += std::exp(x[i] - m);  // each term ≤ 1, the max term = 1
  return m + std::log(s);
}

double logsumexp(const std::vector<double>& x) { return logsumexp(x.data(), x.size()); }

void softmax_into(const double* x, std::size_t n, double temperature, double* out) {
  if (!(temperature > 0) || std::isinf(temperature))
    fail("softmax", "temperature", "be a positive finite number", temperature);
  const double m = checked_max("softmax", x, n, false);
  if (std::isinf(m)) fail("softmax", "x", "have at least one finite entry", "all -Infinity");
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += (out[i] = std::exp((x[i] - m) / temperature));
  const double inv = 1.0 / s;  // s ∈ [1, n]
  for (std::size_t i = 0; i < n; ++i) out[i] *= inv;
}

std::vector<double> softmax(const std::vector<double>& x, double temperature, std::size_t cols) {
  return map_rows("softmax", x, cols,
                  [&](const double* r, std::size_t n, double* o) { softmax_into(r, n, temperature, o); });
}

}  // namespace probwasm::softmax
