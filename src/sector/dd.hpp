// Double-double extensions for the sector probability, where a plain double loses the digits that the
// inclusion–exclusion sum (POSTS §5.3) and the saddle-point prefactor need: exp, log and a mantissa with
// an extended exponent (XD). The double-double type and its arithmetic are common/dd.hpp's (Dekker 1971,
// Knuth; Dekker's splitting instead of fma so that native and wasm are bit-identical). Internal header.
#pragma once
#include <cmath>
#include <cstdint>

#include "common/dd.hpp"

// Emscripten 3.1.6 (clang 14) with -msimd128 miscompiles these double-double sequences in some
// inlining contexts (see common/dd.hpp): SIMD is off for this arithmetic and for sector.cpp's code
// that inlines it (which wraps itself in PW_SECTOR_NO_SIMD_BEGIN / END).
#define PW_SECTOR_NO_SIMD_BEGIN PW_DD_NO_SIMD_BEGIN
#define PW_SECTOR_NO_SIMD_END PW_DD_NO_SIMD_END

PW_SECTOR_NO_SIMD_BEGIN
namespace probwasm::sector::dd {

using probwasm::dd::DD;
using probwasm::dd::ldexp;
using probwasm::dd::quick_two_sum;
using probwasm::dd::split;
using probwasm::dd::to_double;
using probwasm::dd::two_prod;
using probwasm::dd::two_sum;

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
