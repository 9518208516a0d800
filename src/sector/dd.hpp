// Double-double arithmetic (about 106 significant bits) with an extended exponent, used by the sector
// probability where a plain double loses the digits that the inclusion–exclusion sum (POSTS §5.3) and
// the saddle-point prefactor need. Error-free transforms after Dekker (1971) and Knuth; Dekker's
// splitting instead of fma so that the native and the wasm trees compute bit-identical results
// (wasm has no hardware fma). Internal header: not part of the public API.
#pragma once
#include <cmath>
#include <cstdint>

// Emscripten 3.1.6 (clang 14) with -msimd128 vectorises these error-free transforms into wrong
// code in some inlining contexts (results off by up to 1e-12 relative, or far worse; found by the
// wasm doctest against mpmath references). SIMD is switched off for this arithmetic only.
#if defined(__wasm__) && defined(__clang__)
#define PW_SECTOR_NO_SIMD_BEGIN \
  _Pragma("clang attribute push(__attribute__((target(\"no-simd128\"))), apply_to = function)")
#define PW_SECTOR_NO_SIMD_END _Pragma("clang attribute pop")
#else
#define PW_SECTOR_NO_SIMD_BEGIN
#define PW_SECTOR_NO_SIMD_END
#endif

PW_SECTOR_NO_SIMD_BEGIN
namespace probwasm::sector::dd {

struct DD {
  double hi = 0, lo = 0;
};

inline DD two_sum(double a, double b) {
  const double s = a + b, bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}
inline DD quick_two_sum(double a, double b) {
  const double s = a + b;
  return {s, b - (s - a)};
}
inline void split(double a, double& hi, double& lo) {
  const double c = 134217729.0 * a;  // 2^27 + 1
  hi = c - (c - a);
  lo = a - hi;
}
inline DD two_prod(double a, double b) {
  const double p = a * b;
  double ah, al, bh, bl;
  split(a, ah, al);
  split(b, bh, bl);
  return {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}

inline DD operator+(DD a, DD b) {
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
inline DD operator/(DD a, DD b) {
  const double q1 = a.hi / b.hi;
  DD r = a - b * q1;
  const double q2 = r.hi / b.hi;
  r = r - b * q2;
  const double q3 = r.hi / b.hi;
  return quick_two_sum(q1, q2) + q3;
}
inline DD operator/(DD a, double b) { return a / DD{b, 0}; }
inline DD ldexp(DD a, int e) { return {std::ldexp(a.hi, e), std::ldexp(a.lo, e)}; }
inline double to_double(DD a) { return a.hi + a.lo; }

constexpr DD ln2{0.6931471805599453, 2.3190468138462996e-17};
constexpr DD half_log_2pi{0.9189385332046728, -3.8782941580672414e-17};

// exp to ~1e-31 relative: x = k ln2 + r, |r| <= ln2/2, then r / 2^10, Taylor for expm1, ten doublings.
inline DD exp(DD x) {
  if (x.hi > 709.7) return {HUGE_VAL, 0};
  if (x.hi < -745.2) return {0, 0};
  const double k = std::nearbyint(x.hi / ln2.hi);
  DD r = ldexp(x - ln2 * k, -10);
  DD s = r, term = r;
  for (int i = 2; i <= 11; ++i) {
    term = term * r / static_cast<double>(i);
    s = s + term;
  }
  for (int i = 0; i < 10; ++i) s = s * 2.0 + s * s;  // expm1(2r) = 2 expm1(r) + expm1(r)^2
  return ldexp(s + 1.0, static_cast<int>(k));
}

// log to ~1e-31 relative: one Newton step y + x e^{-y} - 1 from the double log doubles the digits.
inline DD log(DD x) {
  const double y0 = std::log(x.hi);
  return DD{y0, 0} + (x * exp(DD{-y0, 0}) - 1.0);
}

// A positive double-double mantissa in [0.5, 1) times 2^e: products of thousands of factors
// (binomials, (1-kx)^(n-1)) stay in range where a double would overflow or underflow.
struct XD {
  DD m{1, 0};
  std::int64_t e = 0;
};
inline XD normalize(XD a) {
  if (a.m.hi == 0) return {DD{0, 0}, 0};
  int ex = 0;
  std::frexp(a.m.hi, &ex);
  return {ldexp(a.m, -ex), a.e + ex};
}
inline XD make_xd(DD a) { return normalize(XD{a, 0}); }
inline XD operator*(XD a, XD b) { return normalize(XD{a.m * b.m, a.e + b.e}); }
inline XD operator*(XD a, double b) { return normalize(XD{a.m * b, a.e}); }
inline XD operator/(XD a, double b) { return normalize(XD{a.m / b, a.e}); }
// base^p by binary powering: about 2 log2(p) products, each with relative error ~2^-104.
inline XD pow(XD base, std::uint64_t p) {
  XD r{DD{1, 0}, 0};
  while (p) {
    if (p & 1) r = r * base;
    p >>= 1;
    if (p) base = base * base;
  }
  return r;
}
// m * 2^e as a double (0 or subnormal when it underflows, inf when it overflows).
inline double to_double(XD a) {
  if (a.m.hi == 0) return 0;
  if (a.e > 2000) return HUGE_VAL;
  if (a.e < -2000) return 0;
  const int e = static_cast<int>(a.e);
  // Two steps so that the subnormal range rounds once from the full mantissa.
  return std::ldexp(a.m.hi + a.m.lo, e);
}

}  // namespace probwasm::sector::dd
PW_SECTOR_NO_SIMD_END
