// Double-double arithmetic (about 106 significant bits): a value hi + lo with |lo| <= ulp(hi)/2, shared by
// the sector probability (sector/dd.hpp adds exp, log and an extended exponent) and Taylor softmax's
// coefficients. Error-free transforms after Dekker (1971) and Knuth; Dekker's splitting instead of fma so
// that the native and the wasm trees compute bit-identical results (wasm has no hardware fma).
// Internal header: not part of the public API.
#pragma once
#include <cmath>

// Emscripten 3.1.6 (clang 14) with -msimd128 vectorises these error-free transforms into wrong
// code in some inlining contexts (results off by up to 1e-12 relative, or far worse; found by the
// sector wasm doctest against mpmath references). SIMD is switched off for this arithmetic only:
// wrap code that inlines it in PW_DD_NO_SIMD_BEGIN / PW_DD_NO_SIMD_END too.
#if defined(__wasm__) && defined(__clang__)
#define PW_DD_NO_SIMD_BEGIN \
  _Pragma("clang attribute push(__attribute__((target(\"no-simd128\"))), apply_to = function)")
#define PW_DD_NO_SIMD_END _Pragma("clang attribute pop")
#else
#define PW_DD_NO_SIMD_BEGIN
#define PW_DD_NO_SIMD_END
#endif

PW_DD_NO_SIMD_BEGIN
namespace probwasm::dd {

struct DD {
  double hi = 0, lo = 0;
};

// ---- error-free transforms ----
inline DD two_sum(double a, double b) {  // a + b = s + e exactly (Knuth)
  const double s = a + b, bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}
inline DD quick_two_sum(double a, double b) {  // the same when |a| >= |b| (Dekker)
  const double s = a + b;
  return {s, b - (s - a)};
}
inline void split(double a, double& hi, double& lo) {  // Veltkamp: a = hi + lo, each with <= 26 bits
  const double c = 134217729.0 * a;                   // 2^27 + 1; needs |a| < 2^996
  hi = c - (c - a);
  lo = a - hi;
}
inline DD two_prod(double a, double b) {  // a b = p + e exactly (Dekker)
  const double p = a * b;
  double ah, al, bh, bl;
  split(a, ah, al);
  split(b, bh, bl);
  return {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}

// ---- arithmetic (relative error ~2^-104 per operation) ----
inline DD operator+(DD a, DD b) {  // accurate sum: both parts through two_sum
  DD s = two_sum(a.hi, b.hi), t = two_sum(a.lo, b.lo);
  s.lo += t.hi;
  s = quick_two_sum(s.hi, s.lo);
  s.lo += t.lo;
  return quick_two_sum(s.hi, s.lo);
}
inline DD operator-(DD a) { return {-a.hi, -a.lo}; }
inline DD operator-(DD a, DD b) { return a + (-b); }
inline DD operator+(DD a, double b) {
  DD s = two_sum(a.hi, b);
  s.lo += a.lo;
  return quick_two_sum(s.hi, s.lo);
}
inline DD operator-(DD a, double b) { return a + (-b); }
inline DD operator*(DD a, DD b) {
  DD p = two_prod(a.hi, b.hi);
  p.lo += a.hi * b.lo + a.lo * b.hi;
  return quick_two_sum(p.hi, p.lo);
}
inline DD operator*(DD a, double b) {
  DD p = two_prod(a.hi, b);
  p.lo += a.lo * b;
  return quick_two_sum(p.hi, p.lo);
}
inline DD operator/(DD a, DD b) {  // three quotient digits
  const double q1 = a.hi / b.hi;
  DD r = a - b * q1;
  const double q2 = r.hi / b.hi;
  r = r - b * q2;
  const double q3 = r.hi / b.hi;
  return quick_two_sum(q1, q2) + q3;
}
inline DD operator/(DD a, double b) { return a / DD{b, 0}; }

// Cheaper variants (Dekker's add2 and div2 with a double divisor): one two_sum instead of two, one
// correction step instead of two. Accurate to ~2^-104 relative when the summands have the same sign.
inline DD add_fast(DD a, DD b) {
  DD s = two_sum(a.hi, b.hi);
  return quick_two_sum(s.hi, s.lo + (a.lo + b.lo));
}
inline DD div_fast(DD a, double b) {
  const double q1 = a.hi / b;
  const DD p = two_prod(q1, b);
  const double r = ((a.hi - p.hi) - p.lo) + a.lo;
  return quick_two_sum(q1, r / b);
}

inline DD ldexp(DD a, int e) { return {std::ldexp(a.hi, e), std::ldexp(a.lo, e)}; }
inline double to_double(DD a) { return a.hi + a.lo; }

}  // namespace probwasm::dd
PW_DD_NO_SIMD_END
