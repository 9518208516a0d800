// Helpers shared by the softmax topic's .cpp files (not part of the public header).
#pragma once
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "common/errors.hpp"

namespace probwasm::softmax::detail {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Largest entry of a row. Rejects an empty row, NaN, +inf, and a row whose entries are all -inf
// (the header's special-value convention).
inline double checked_max(const char* fn, const double* x, std::size_t n) {
  if (n == 0) fail(fn, "x", "be non-empty", "an empty array");
  double m = -kInf;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) fail(fn, indexed("x", i), "not be NaN", x[i]);
    if (x[i] == kInf) fail(fn, indexed("x", i), "be finite or -Infinity", x[i]);
    if (x[i] > m) m = x[i];
  }
  if (m == -kInf) fail(fn, "x", "have at least one finite entry", "all -Infinity");
  return m;
}

// checked_max's value with one branch-free, vectorisable pass: a NaN or +inf only sets a flag (NaN fails
// every compare, so it never becomes the max), and any flagged, empty or all −inf row is handed to
// checked_max, which throws the message naming the first bad entry (§8.1's max shift, validated per the header).
inline double fast_checked_max(const char* fn, const double* x, std::size_t n) {
  // Four running maxima written as m < v ? v : m, the form wasm SIMD's f64x2.pmax computes: clang packs
  // them into vectors (a scalar float select is a branch in V8).
  double m0 = -kInf, m1 = -kInf, m2 = -kInf, m3 = -kInf;
  unsigned bad = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const double a = x[i], b = x[i + 1], c = x[i + 2], d = x[i + 3];
    bad |= !(a < kInf) | !(b < kInf) | !(c < kInf) | !(d < kInf);
    m0 = m0 < a ? a : m0;
    m1 = m1 < b ? b : m1;
    m2 = m2 < c ? c : m2;
    m3 = m3 < d ? d : m3;
  }
  for (; i < n; ++i) {
    bad |= !(x[i] < kInf);
    m0 = m0 < x[i] ? x[i] : m0;
  }
  m0 = m0 < m1 ? m1 : m0;
  m2 = m2 < m3 ? m3 : m2;
  const double m = m0 < m2 ? m2 : m0;
  if (bad || n == 0 || m == -kInf) return checked_max(fn, x, n);
  return m;
}

template <class T>
void grow(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
}

}  // namespace probwasm::softmax::detail

namespace probwasm::softmax {
struct Workspace;
namespace detail {
// f_k(x_i)·2^{-ek} and f_{k-1}(x_i)·2^{-ek} with the same scale (df may be null); see taylor_softmax_into.
void taylor_values(const double* x, std::size_t n, int order, double* f, double* df, Workspace& w);
}  // namespace detail
}  // namespace probwasm::softmax
