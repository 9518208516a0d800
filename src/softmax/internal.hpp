// Helpers shared by the softmax topic's .cpp files (not part of the public header).
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "common/errors.hpp"
#include "common/rows.hpp"
#include "common/simd.hpp"

namespace probwasm::softmax::detail {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Largest entry of a row. Rejects an empty row, NaN, +inf, and a row whose entries are all -inf
// (the header's special-value convention).
template <class T>
T checked_max(const char* fn, const T* x, std::size_t n) {
  if (n == 0) fail(fn, "x", "be non-empty", "an empty array");
  T m = -std::numeric_limits<T>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) fail(fn, indexed("x", i), "not be NaN", x[i]);
    if (x[i] == kInf) fail(fn, indexed("x", i), "be finite or -Infinity", x[i]);
    if (x[i] > m) m = x[i];
  }
  if (m == -std::numeric_limits<T>::infinity()) fail(fn, "x", "have at least one finite entry", "all -Infinity");
  return m;
}

// The 128-bit vector of a row type (common/simd.hpp): f64x2 for double rows, f32x4 for float rows.
template <class T>
struct Lanes;
template <>
struct Lanes<double> {
  using V = simd::f64x2;
  using ExpConsts = simd::Exp64;
  static constexpr std::size_t n = 2;
  static V load(const double* p) { return simd::load2(p); }
  static void store(double* p, V v) { simd::store2(p, v); }
  static V splat(double a) { return simd::splat2(a); }
};
template <>
struct Lanes<float> {
  using V = simd::f32x4;
  using ExpConsts = simd::Exp32;
  static constexpr std::size_t n = 4;
  static V load(const float* p) { return simd::load4(p); }
  static void store(float* p, V v) { simd::store4(p, v); }
  static V splat(float a) { return simd::splat4(a); }
};

// checked_max's value with one branch-free vector pass: a NaN or +inf only sets a flag (NaN fails every
// compare, so it never becomes the max), and any flagged, empty or all −inf row is handed to checked_max,
// which throws the message naming the first bad entry (§8.1's max shift, validated per the header). Two vector
// maxima in the pmax form m < v ? v : m (wasm's f64x2.pmax/f32x4.pmax), then the scalar tail.
template <class T>
T fast_checked_max(const char* fn, const T* x, std::size_t n) {
  using L = Lanes<T>;
  using V = typename L::V;
  constexpr T kInfT = std::numeric_limits<T>::infinity();
  const V inf = L::splat(kInfT);
  V m0 = L::splat(-kInfT), m1 = m0;
  decltype(simd::lt(inf, inf)) bad{};
  std::size_t i = 0;
  for (; i + 2 * L::n <= n; i += 2 * L::n) {
    const V a = L::load(x + i), b = L::load(x + i + L::n);
    bad |= ~(simd::lt(a, inf) & simd::lt(b, inf));
    m0 = simd::pmax(m0, a);
    m1 = simd::pmax(m1, b);
  }
  m0 = simd::pmax(m0, m1);
  T m = m0[0];
  for (std::size_t l = 1; l < L::n; ++l) m = m < m0[l] ? m0[l] : m;
  bool flagged = simd::any(bad);
  for (; i < n; ++i) {
    flagged |= !(x[i] < kInfT);
    m = m < x[i] ? x[i] : m;
  }
  if (flagged || n == 0 || m == -kInfT) return checked_max(fn, x, n);
  return m;
}

// A float's order as a signed integer of its width (−0 just below +0; NaN excluded by the caller), and back:
// the rows' max of §8.1's shift via integer compares, which wasm engines select without a branch (a float
// select is a branch in V8, mispredicted on random logits; native code is unaffected).
template <class T>
using KeyOf = std::conditional_t<sizeof(T) == 8, std::int64_t, std::int32_t>;
template <class T>
inline KeyOf<T> order_key(T v) {
  using I = KeyOf<T>;
  I b;
  std::memcpy(&b, &v, sizeof b);
  return b ^ ((b >> (8 * sizeof(I) - 1)) & std::numeric_limits<I>::max());
}
template <class T>
inline T from_order_key(KeyOf<T> k) {
  using I = KeyOf<T>;
  const I b = k ^ ((k >> (8 * sizeof(I) - 1)) & std::numeric_limits<I>::max());
  T v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

// out[r] = f(x[r]) for each row of a row-major buffer: `cols` per row, 0 = one row of `size` (common/rows.hpp's
// map_rows over raw pointers, the same checks and messages). f(const T* row, std::size_t n, T* out_row).
template <class T, class F>
void rows_into(const char* fn, const T* x, std::size_t size, std::size_t cols, T* out, F&& f) {
  if (size == 0) fail(fn, "x", "be non-empty", "an empty array");
  const std::size_t rows = row_count(fn, size, cols);
  const std::size_t n = cols == 0 ? size : cols;
  for (std::size_t r = 0; r < rows; ++r) f(x + r * n, n, out + r * n);
}

template <class T>
void grow(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
}

}  // namespace probwasm::softmax::detail

#include "softmax/softmax.hpp"

namespace probwasm::softmax {
namespace detail {
// rows_into for a kernel that exists in double only (f(const double*, n, double*)): a float row is widened
// exactly into w.wx, mapped into w.wo, and rounded once to float.
template <class T, class F>
void rows_in_double(const char* fn, const T* x, std::size_t size, std::size_t cols, T* out, Workspace& w, F&& f) {
  if constexpr (std::is_same_v<T, double>) {
    rows_into(fn, x, size, cols, out, f);
  } else {
    rows_into(fn, x, size, cols, out, [&](const T* r, std::size_t n, T* o) {
      grow(w.wx, n);
      grow(w.wo, n);
      for (std::size_t i = 0; i < n; ++i) w.wx[i] = r[i];
      f(w.wx.data(), n, w.wo.data());
      for (std::size_t i = 0; i < n; ++i) o[i] = static_cast<T>(w.wo[i]);
    });
  }
}

// f_k(x_i)·2^{-ek} and f_{k-1}(x_i)·2^{-ek} with the same scale (df may be null); see taylor_softmax_into.
void taylor_values(const double* x, std::size_t n, int order, double* f, double* df, Workspace& w);
}  // namespace detail
}  // namespace probwasm::softmax
