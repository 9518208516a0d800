// Dense maps of post 8: softmax, logsumexp, AM-softmax's distribution, Taylor softmax, sparse (top-k/top-p)
// softmax and perturb-max. Sparsemax and entmax live in sparsemax.cpp; Jacobians and losses in gradients.cpp.
#include "softmax/softmax.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "common/dd.hpp"
#include "common/errors.hpp"
#include "common/exp.hpp"
#include "common/expf.hpp"
#include "common/rows.hpp"
#include "common/simd.hpp"
#include "softmax/internal.hpp"

namespace probwasm::softmax {
using detail::checked_max;
using detail::fast_checked_max;
using detail::grow;
using detail::from_order_key;
using detail::kInf;
using detail::KeyOf;
using detail::order_key;

// ---- softmax ---------------------------------------------------------------------------------------------

double logsumexp(const double* x, std::size_t n) {
  if (n == 0) fail("logsumexp", "x", "be non-empty", "an empty array");
  double m = -kInf;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) fail("logsumexp", indexed("x", i), "not be NaN", x[i]);
    if (x[i] > m) m = x[i];
  }
  if (std::isinf(m)) return m;  // all -inf → log 0 = -inf; any +inf → +inf
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += std::exp(x[i] - m);  // each term ≤ 1, the max term = 1
  return m + std::log(s);
}

double logsumexp(const std::vector<double>& x) { return logsumexp(x.data(), x.size()); }

// The same special values as the double logsumexp; the terms e^{x_i − max} in float (exp_nonpos of expf.hpp,
// ≤ 2 ulp each), their sum and log in double (four partial sums, so the sum vectorises), one final rounding.
float logsumexp(const float* x, std::size_t n) {
  if (n == 0) fail("logsumexp", "x", "be non-empty", "an empty array");
  float m = -std::numeric_limits<float>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) fail("logsumexp", indexed("x", i), "not be NaN", x[i]);
    if (x[i] > m) m = x[i];
  }
  if (std::isinf(m)) return m;
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += exp_nonpos(x[i] - m);
    s1 += exp_nonpos(x[i + 1] - m);
    s2 += exp_nonpos(x[i + 2] - m);
    s3 += exp_nonpos(x[i + 3] - m);
  }
  for (; i < n; ++i) s0 += exp_nonpos(x[i] - m);
  return static_cast<float>(static_cast<double>(m) + std::log((s0 + s2) + (s1 + s3)));
}

namespace {
using detail::Lanes;

// out_i ← out_i · inv (§8.1's division by Σ, as one product per entry), a vector at a time.
template <class T>
inline void scale_row(T* out, std::size_t n, T inv) {
  using L = Lanes<T>;
  const typename L::V v = L::splat(inv);
  std::size_t j = 0;
  for (; j + L::n <= n; j += L::n) L::store(out + j, L::load(out + j) * v);
  for (; j < n; ++j) out[j] *= inv;
}

// out_i ← e^{y_i} for y_i ≤ 0 (or NaN/−inf), the vector exp of common/simd.hpp (the same bits as exp_nonpos).
template <class T>
inline void exp_row(const T* y, std::size_t n, T* out) {
  using L = Lanes<T>;
  const typename L::ExpConsts k;
  std::size_t i = 0;
  for (; i + L::n <= n; i += L::n) L::store(out + i, simd::exp_nonpos(L::load(y + i), k));
  for (; i < n; ++i) out[i] = exp_nonpos(y[i]);
}

// p_i = e_i / Σ_j e_j (§8.1) in place, for e_i = e^{(x_i − max)/τ} ≥ 0 with the max term exactly 1. Four
// interleaved partial sums in double (also for float rows, so that Σ stays exact to ~n·2^-53 and float rows
// sum to 1 within a few float ulps), so that the sum vectorises; each is a sum of positive terms, so the total
// is still within n ulps of Σ (the tests' bound).
template <class T>
inline void normalize_row(T* out, std::size_t n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += out[i];
    s1 += out[i + 1];
    s2 += out[i + 2];
    s3 += out[i + 3];
  }
  for (; i < n; ++i) s0 += out[i];
  scale_row(out, n, static_cast<T>(1.0 / ((s0 + s2) + (s1 + s3))));  // s ∈ [1, n]
}

// (x_i − m)/τ for §8.1, computed as (x_i − m)·(1/τ) while 1/τ is finite. A τ so small that 1/τ overflows
// (e.g. 5e-324) divides instead: the max entries give 0/τ = 0 (not 0·∞ = NaN) and the others −∞, so p is the
// uniform distribution on the argmax set, the τ → 0 limit.
template <class T>
inline void scaled_shift(const T* x, std::size_t n, T m, T inv_t, double temperature, T* out) {
  if (inv_t == T(1)) {
    for (std::size_t i = 0; i < n; ++i) out[i] = x[i] - m;
  } else if (std::isinf(inv_t)) {
    // in double: a float τ below 2^-149 would round to 0
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>((static_cast<double>(x[i]) - m) / temperature);
  } else {
    using L = Lanes<T>;
    const typename L::V mv = L::splat(m), iv = L::splat(inv_t);
    std::size_t i = 0;
    for (; i + L::n <= n; i += L::n) L::store(out + i, (L::load(x + i) - mv) * iv);
    for (; i < n; ++i) out[i] = (x[i] - m) * inv_t;
  }
}

// p = softmax((x − m)/τ) (§8.1) for one validated row with max m, inv_t = 1/τ: the exps (common/simd.hpp's
// vector exp_nonpos, arguments ≤ 0) and their sum share one pass, then one scaling pass. The sum is four
// partial sums in double, s_j over the entries i ≡ j (mod 4), added as (s0 + s2) + (s1 + s3): the order of
// normalize_row (hence the same bits), kept in two double vectors {s0, s1}, {s2, s3}; float rows widen each
// exp to double exactly.
inline void exp_sum_scale(const double* y, std::size_t n, double m, double* out) {
  using simd::f64x2;
  const simd::Exp64 k;
  const f64x2 mv = simd::splat2(m);
  f64x2 a = simd::splat2(0.0), b = a;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const f64x2 e0 = simd::exp_nonpos(simd::load2(y + i) - mv, k);
    const f64x2 e1 = simd::exp_nonpos(simd::load2(y + i + 2) - mv, k);
    simd::store2(out + i, e0);
    simd::store2(out + i + 2, e1);
    a += e0;
    b += e1;
  }
  double s0 = a[0], s1 = a[1];
  const double s2 = b[0], s3 = b[1];
  for (; i < n; ++i) s0 += (out[i] = exp_nonpos(y[i] - m));
  scale_row(out, n, 1.0 / ((s0 + s2) + (s1 + s3)));  // s ∈ [1, n]
}
inline void exp_sum_scale(const float* y, std::size_t n, float m, float* out) {
  using simd::f32x4;
  using simd::f64x2;
  const simd::Exp32 k;
  const f32x4 mv = simd::splat4(m);
  f64x2 a = simd::splat2(0.0), b = a;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const f32x4 e0 = simd::exp_nonpos(simd::load4(y + i) - mv, k);
    const f32x4 e1 = simd::exp_nonpos(simd::load4(y + i + 4) - mv, k);
    simd::store4(out + i, e0);
    simd::store4(out + i + 4, e1);
    a += simd::widen_lo(e0);
    b += simd::widen_hi(e0);
    a += simd::widen_lo(e1);
    b += simd::widen_hi(e1);
  }
  double s0 = a[0], s1 = a[1], s2 = b[0], s3 = b[1];
  for (; i + 4 <= n; i += 4) {
    const float e0 = exp_nonpos(y[i] - m), e1 = exp_nonpos(y[i + 1] - m);
    const float e2 = exp_nonpos(y[i + 2] - m), e3 = exp_nonpos(y[i + 3] - m);
    out[i] = e0;
    out[i + 1] = e1;
    out[i + 2] = e2;
    out[i + 3] = e3;
    s0 += e0;
    s1 += e1;
    s2 += e2;
    s3 += e3;
  }
  for (; i < n; ++i) s0 += (out[i] = exp_nonpos(y[i] - m));
  scale_row(out, n, static_cast<float>(1.0 / ((s0 + s2) + (s1 + s3))));  // s ∈ [1, n]
}

template <class T>
inline void softmax_row(const T* x, std::size_t n, T m, T inv_t, double temperature, T* out) {
  if (inv_t == T(1)) {
    exp_sum_scale(x, n, m, out);
  } else {
    scaled_shift(x, n, m, inv_t, temperature, out);
    exp_sum_scale(out, n, T(0), out);  // y − 0 = y exactly
  }
}

// §8.1's temperature τ must be positive and finite (shared by the one-row and many-row paths).
bool valid_temperature(double temperature) { return temperature > 0 && !std::isinf(temperature); }
void check_temperature(double temperature) {
  if (!valid_temperature(temperature)) fail("softmax", "temperature", "be a positive finite number", temperature);
}
// 1/τ in the row type (1 exactly for τ = 1; +inf when it overflows the type: see scaled_shift).
template <class T>
T inverse_temperature(double temperature) {
  return temperature == 1.0 ? T(1) : static_cast<T>(1.0 / temperature);
}

template <class T>
void softmax_one(const T* x, std::size_t n, double temperature, T* out) {
  check_temperature(temperature);
  const T m = fast_checked_max("softmax", x, n);
  softmax_row(x, n, m, inverse_temperature<T>(temperature), temperature, out);
}
}  // namespace

void softmax_into(const double* x, std::size_t n, double temperature, double* out) {
  softmax_one(x, n, temperature, out);
}
void softmax_into(const float* x, std::size_t n, double temperature, float* out) {
  softmax_one(x, n, temperature, out);
}

template <class T>
void softmax_rows(const T* x, std::size_t size, double temperature, std::size_t cols, T* out) {
  const auto per_row = [&] {
    detail::rows_into("softmax", x, size, cols, out,
                      [&](const T* r, std::size_t n, T* o) { softmax_into(r, n, temperature, o); });
  };
  // One row, long rows (where one fused pass per row beats the flat passes below), or an error that
  // rows_into/softmax_into report with their usual messages.
  if (cols == 0 || cols >= 64 || cols >= size || size % cols != 0 || !valid_temperature(temperature))
    return per_row();
  // Many rows (§8.1 row by row): the row max is taken on integer order keys, which also flag NaN/+inf (keys
  // above +inf's or below −inf's); a bad entry or an all −inf row reruns the per-row path, which throws
  // exactly the message it always did (first bad row and entry).
  // Short rows: shift (and scale) row by row, then one flat exp pass over the whole matrix (full vector
  // width, no per-row loop overhead), then normalise row by row. Bit-identical to softmax_row per row.
  using I = KeyOf<T>;
  constexpr T inf = std::numeric_limits<T>::infinity();
  const I pos_inf = order_key(inf), neg_inf = order_key(-inf);  // NaNs lie outside
  const T inv_t = inverse_temperature<T>(temperature);
  const std::size_t rows = size / cols;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * cols;
    T* o = out + r * cols;
    I hi = order_key(xr[0]), lo = hi;
    for (std::size_t i = 1; i < cols; ++i) {
      const I k = order_key(xr[i]);
      hi = k > hi ? k : hi;
      lo = k < lo ? k : lo;
    }
    if (hi >= pos_inf || hi == neg_inf || lo < neg_inf) return per_row();  // NaN, +inf, all −inf
    const T m = from_order_key<T>(hi);  // a ±0 max may differ in sign from checked_max's: x − m and p do not
    scaled_shift(xr, cols, m, inv_t, temperature, o);
  }
  exp_row(out, size, out);
  for (std::size_t r = 0; r < rows; ++r) normalize_row(out + r * cols, cols);
}
template void softmax_rows(const double*, std::size_t, double, std::size_t, double*);
template void softmax_rows(const float*, std::size_t, double, std::size_t, float*);

std::vector<double> softmax(const std::vector<double>& x, double temperature, std::size_t cols) {
  std::vector<double> out(x.size());
  softmax_rows(x.data(), x.size(), temperature, cols, out.data());
  return out;
}

// ---- AM-softmax --------------------------------------------------------------------------------------------

void am_softmax_into(const double* x, std::size_t n, std::size_t target, double margin, double scale, double* out) {
  const char* fn = "amSoftmax";
  if (!std::isfinite(margin) || margin < 0) fail(fn, "margin", "be a finite number ≥ 0", margin);
  if (!(scale > 0) || std::isinf(scale)) fail(fn, "scale", "be a positive finite number", scale);
  checked_max(fn, x, n);
  if (target >= n) fail(fn, "target", "be an index in [0, " + std::to_string(n - 1) + "]", target);
  if (!std::isfinite(x[target])) fail(fn, "x[target]", "be finite", x[target]);
  // y = x − m e_t; softmax(s·y) as e^{s(y_i − max y)}: the max is subtracted before scaling, so huge logits
  // (x = [1e308, −1e308]: s·x overflows to ±inf and ∞ − ∞ = NaN) give the limit instead of NaN.
  double ymax = -kInf;
  for (std::size_t i = 0; i < n; ++i) {
    const double y = i == target ? x[i] - margin : x[i];
    out[i] = y;
    ymax = std::max(ymax, y);
  }
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += (out[i] = std::exp(scale * (out[i] - ymax)));
  for (std::size_t i = 0; i < n; ++i) out[i] /= s;
}

// ---- Taylor softmax -----------------------------------------------------------------------------------------
namespace {

// Double-double arithmetic (Dekker 1971, common/dd.hpp): a value hi + lo with |lo| ≤ ulp(hi)/2, ~106 bits.
// Here |values| ≤ 2^100, far from the splitting's overflow bound.
using dd::DD;

void check_order(const char* fn, int order) {
  if (order < 2 || order > kMaxTaylorOrder || order % 2 != 0)
    fail(fn, "order", "be an even integer in [2, " + std::to_string(kMaxTaylorOrder) + "]", order);
}

}  // namespace

namespace detail {
void taylor_values(const double* x, std::size_t n, int order, double* f, double* df, Workspace& w) {
  const char* fn = "taylorSoftmax";
  check_order(fn, order);
  if (n == 0) fail(fn, "x", "be non-empty", "an empty array");
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) fail(fn, indexed("x", i), "not be NaN", x[i]);
    if (std::isinf(x[i])) fail(fn, indexed("x", i), "be finite (f_k(±inf) = +inf)", x[i]);
    s = std::max(s, std::fabs(x[i]));
  }
  // Scale by 2^e ≥ max|x| (exact): u = x/2^e ∈ [−1, 1] and c_m = 2^{−e(k−m)}/m!, so Σ c_m u^m = f_k(x)/2^{ek}
  // cannot overflow. The coefficients are double-double, so 1/m! is not rounded to 53 bits.
  const int k = order;
  const int e = s > 1.0 ? std::ilogb(s) + 1 : 0;
  grow(w.a, k + 1);
  grow(w.b, k + 1);
  DD c{1.0, 0.0};
  for (int m = 0; m <= k; ++m) {
    if (m > 0) c = dd::div_fast(c, m);
    const int shift = -e * (k - m);
    w.a[m] = std::ldexp(c.hi, shift);
    w.b[m] = std::ldexp(c.lo, shift);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double u = std::ldexp(x[i], -e);
    DD acc{w.a[k], w.b[k]};
    DD dacc{w.a[k - 1], w.b[k - 1]};  // f_{k−1}: the same coefficients without the top one
    for (int m = k - 1; m >= 0; --m) {
      acc = dd::add_fast(acc * u, DD{w.a[m], w.b[m]});
      if (df && m < k - 1) dacc = dd::add_fast(dacc * u, DD{w.a[m], w.b[m]});
    }
    f[i] = acc.hi + acc.lo;
    if (df) df[i] = dacc.hi + dacc.lo;
  }
}
}  // namespace detail

void taylor_softmax_into(const double* x, std::size_t n, int order, double* out, Workspace& w) {
  detail::taylor_values(x, n, order, out, nullptr, w);
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += out[i];  // f_k > 0 for even k: no cancellation
  const double inv = 1.0 / s;
  for (std::size_t i = 0; i < n; ++i) out[i] *= inv;
}

template <class T>
void taylor_softmax_rows(const T* x, std::size_t size, int order, std::size_t cols, T* out, Workspace& w) {
  check_order("taylorSoftmax", order);
  detail::rows_in_double("taylorSoftmax", x, size, cols, out, w,
                         [&](const double* r, std::size_t n, double* o) { taylor_softmax_into(r, n, order, o, w); });
}
template void taylor_softmax_rows(const double*, std::size_t, int, std::size_t, double*, Workspace&);
template void taylor_softmax_rows(const float*, std::size_t, int, std::size_t, float*, Workspace&);

std::vector<double> taylor_softmax(const std::vector<double>& x, int order, std::size_t cols) {
  Workspace w;
  std::vector<double> out(x.size());
  taylor_softmax_rows(x.data(), x.size(), order, cols, out.data(), w);
  return out;
}

// ---- sparse softmax -----------------------------------------------------------------------------------------
namespace {
void check_rule(const char* fn, SparseRule rule, std::size_t n) {
  const bool has_k = rule.has_k, has_p = rule.has_p;
  if (has_k == has_p) fail(fn, "options", "set exactly one of k (top-k) or p (nucleus)", has_k ? "both" : "neither");
  if (has_k && (rule.k < 1 || static_cast<std::size_t>(rule.k) > n))
    fail(fn, "k", "be an integer in [1, " + std::to_string(n) + "]", rule.k);
  if (has_p && !(rule.p > 0 && rule.p <= 1)) fail(fn, "p", "be in (0, 1]", rule.p);
}
}  // namespace

void sparse_softmax_into(const double* x, std::size_t n, SparseRule rule, double* out, Workspace& w) {
  const char* fn = "sparseSoftmax";
  check_rule(fn, rule, n);
  const double m = checked_max(fn, x, n);
  grow(w.idx, n);
  std::size_t* idx = w.idx.data();
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  // Strict total order: larger logit first, the lower index first among equal logits (documented tie rule).
  const auto before = [x](std::size_t a, std::size_t b) { return x[a] > x[b] || (x[a] == x[b] && a < b); };
  std::size_t keep;
  if (rule.has_k) {
    keep = static_cast<std::size_t>(rule.k);
    std::nth_element(idx, idx + keep - 1, idx + n, before);  // expected O(n)
  } else {
    double z = 0.0;
    for (std::size_t i = 0; i < n; ++i) z += (out[i] = exp_nonpos(x[i] - m));
    std::sort(idx, idx + n, before);
    double cum = 0.0;
    keep = n;
    for (std::size_t j = 0; j < n; ++j) {
      cum += out[idx[j]] / z;
      if (cum >= rule.p) {
        keep = j + 1;
        break;
      }
    }
  }
  if (keep == n) return softmax_row(x, n, m, 1.0, 1.0, out);  // Ω = everything: exactly softmax (p = 1 included)
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) out[i] = 0.0;
  for (std::size_t j = 0; j < keep; ++j) s += (out[idx[j]] = exp_nonpos(x[idx[j]] - m));  // the max is in Ω
  const double inv = 1.0 / s;
  for (std::size_t j = 0; j < keep; ++j) out[idx[j]] *= inv;
}

template <class T>
void sparse_softmax_rows(const T* x, std::size_t size, SparseRule rule, std::size_t cols, T* out, Workspace& w) {
  detail::rows_in_double("sparseSoftmax", x, size, cols, out, w,
                         [&](const double* r, std::size_t n, double* o) { sparse_softmax_into(r, n, rule, o, w); });
}
template void sparse_softmax_rows(const double*, std::size_t, SparseRule, std::size_t, double*, Workspace&);
template void sparse_softmax_rows(const float*, std::size_t, SparseRule, std::size_t, float*, Workspace&);

std::vector<double> sparse_softmax(const std::vector<double>& x, SparseRule rule, std::size_t cols) {
  Workspace w;
  std::vector<double> out(x.size());
  sparse_softmax_rows(x.data(), x.size(), rule, cols, out.data(), w);
  return out;
}

// ---- perturb-max ---------------------------------------------------------------------------------------------

double normal_quantile(double t) {
  if (!(t > 0 && t < 1)) fail("normal_quantile", "t", "be in (0, 1)", t);
  if (t > 0.5) return -normal_quantile(1.0 - t);  // 1 − t is exact for t ∈ [0.5, 1)
  // Acklam's rational approximation (relative error < 1.15e-9), then one Halley step on
  // Φ(x) = erfc(−x/√2)/2, which roughly cubes the error.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  double x;
  if (t < 0.02425) {
    const double q = std::sqrt(-2 * std::log(t));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const double q = t - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - t;
  const double u = e * 2.5066282746310002  /* √(2π) */ * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

void perturb_max_into(const double* x, std::size_t n, Noise noise, int grid, double* out, Workspace& w) {
  const char* fn = "perturbMax";
  if (grid < 1 || grid > (1 << 24)) fail(fn, "grid", "be an integer in [1, 16777216]", grid);
  const double m = checked_max(fn, x, n);
  // Nodes and weights, cached across rows. t = ½(1 + tanh(π/2·sinh u)) (tanh-sinh, Takahasi & Mori 1974) turns the
  // endpoint singularities of the t-integrand (t^{S} at t → 0, …) into double-exponential decay, so the
  // trapezoid rule in u, u_k = −U + (k + ½)h, h = 2U/N, converges exponentially; U = 6.085 puts the outer nodes
  // at t ≈ 1e-300. Node values: Gumbel L = −log t = log1p(e^{−2v}) (so Φ-products become e^{−L·S}); normal
  // ε = Φ^{-1}(t), through the complement 1/(1 + e^{2v}) when t > ½ so that no digits are lost.
  const long key = 2L * grid + (noise == Noise::normal ? 1 : 0);
  const std::size_t N = static_cast<std::size_t>(grid);
  if (w.nodes_key != key) {
    grow(w.nodes, 2 * N);
    const double U = 6.085, h = 2 * U / static_cast<double>(N), half_pi = 1.5707963267948966;
    for (std::size_t k = 0; k < N; ++k) {
      const double u = -U + (static_cast<double>(k) + 0.5) * h, v = half_pi * std::sinh(u);
      const double sech = 1.0 / std::cosh(v);
      double weight = h * half_pi * std::cosh(u) * 0.5 * sech * sech;  // dt/du · h
      double node;
      if (noise == Noise::gumbel) {
        node = std::log1p(std::exp(-2 * v));
      } else {
        const double tail = 1.0 / (1.0 + std::exp(2 * std::fabs(v)));  // min(t, 1 − t), without cancellation
        if (!(tail > 0)) {
          weight = 0.0;  // beyond double range: the weight has underflowed too
          node = 0.0;
        } else {
          node = v < 0 ? normal_quantile(tail) : -normal_quantile(tail);
        }
      }
      // The integrand is ≤ 1, so nodes of weight < 1e-18 (about half of them: |u| > 3.2) change p by less than
      // N·1e-18 ≤ 2e-14 in total at N ≤ 16384: drop them and halve the work.
      w.nodes[2 * k] = node;
      w.nodes[2 * k + 1] = weight < 1e-18 ? 0.0 : weight;
    }
    w.nodes_key = key;
  }
  const double* nodes = w.nodes.data();
  double total = 0.0;
  if (noise == Noise::gumbel) {
    // Π_{j≠i} exp(−e^{−(x_i − x_j + ε)}) = exp(−e^{−ε} S_i) = t^{S_i}, S_i = Σ_{j≠i} e^{x_j − x_i}.
    grow(w.a, n);
    double z = 0.0;
    for (std::size_t i = 0; i < n; ++i) z += (w.a[i] = std::exp(x[i] - m));
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = 0.0;
      if (w.a[i] == 0.0) continue;  // masked, or e^{x_i − m} underflows: S_i = ∞, every t^{S_i} = 0
      const double S = std::max(0.0, z - w.a[i]) / w.a[i];
      double acc = 0.0;
      for (std::size_t k = 0; k < N; ++k)
        if (nodes[2 * k + 1] > 0) acc += nodes[2 * k + 1] * std::exp(-nodes[2 * k] * S);  // L = ∞ only where weight = 0
      out[i] = acc;
      total += acc;
    }
  } else {
    const double r2 = 1.0 / std::sqrt(2.0);
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = 0.0;
      if (x[i] == -kInf) continue;
      double acc = 0.0;
      for (std::size_t k = 0; k < N; ++k) {
        double prod = nodes[2 * k + 1];
        for (std::size_t j = 0; j < n && prod > 0.0; ++j) {
          if (j == i || x[j] == -kInf) continue;
          prod *= 0.5 * std::erfc(-(x[i] - x[j] + nodes[2 * k]) * r2);
        }
        acc += prod;
      }
      out[i] = acc;
      total += acc;
    }
  }
  const double inv = 1.0 / total;  // total > 0: the argmax's integrand is ≥ 1/(n·…) on a set of positive measure
  for (std::size_t i = 0; i < n; ++i) out[i] *= inv;
}

template <class T>
void perturb_max_rows(const T* x, std::size_t size, Noise noise, int grid, std::size_t cols, T* out, Workspace& w) {
  detail::rows_in_double("perturbMax", x, size, cols, out, w, [&](const double* r, std::size_t n, double* o) {
    perturb_max_into(r, n, noise, grid, o, w);
  });
}
template void perturb_max_rows(const double*, std::size_t, Noise, int, std::size_t, double*, Workspace&);
template void perturb_max_rows(const float*, std::size_t, Noise, int, std::size_t, float*, Workspace&);

std::vector<double> perturb_max(const std::vector<double>& x, Noise noise, int grid, std::size_t cols) {
  Workspace w;
  std::vector<double> out(x.size());
  perturb_max_rows(x.data(), x.size(), noise, grid, cols, out.data(), w);
  return out;
}

}  // namespace probwasm::softmax
