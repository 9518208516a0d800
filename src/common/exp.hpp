// A branch-free e^x that compilers auto-vectorise (f64x2/i64x2 in wasm SIMD, SSE2 natively): the exp inside
// softmax (post 8, §8.1), where the libm call is the bottleneck and blocks vectorisation. Plain C++17.
#pragma once
#include <cstdint>
#include <cstring>

namespace probwasm {

namespace exp_detail {
// The IEEE-754 bits of a double and back (memcpy: well-defined, compiled to a register move), for the
// integer side of §8.1's exp below.
inline std::uint64_t bits(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}
inline double from_bits(std::uint64_t u) {
  double v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

constexpr double kMagic = 6755399441055744.0;  // 1.5·2^52: v + kMagic rounds v to an integer (|v| < 2^51)
constexpr std::uint64_t kMagicBits = 0x4338000000000000ull;

// The shared core of §8.1's exp (method and bounds at exp_vec): t = x/ln2 + kMagic, whose low mantissa bits
// hold k = round(x/ln2), and p = e^r for r = x − k·ln2.
struct Reduced {
  double t, p;
};
inline Reduced reduce(double x) {
  constexpr double kLog2e = 1.4426950408889634;          // 1/ln 2
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3FE62E42FEE00000: 32 significant bits
  constexpr double kLn2Lo = 1.90821492927058770002e-10;  // ln 2 − kLn2Hi
  const double t = x * kLog2e + kMagic;
  const double kd = t - kMagic;  // k as a double (exact)
  const double r = (x - kd * kLn2Hi) - kd * kLn2Lo;
  // q ≈ q*(r) = (e^r − 1 − r)/r² = Σ_j r^j/(j+2)!: the degree-9 Chebyshev interpolant on |r| ≤ 0.3466 (near-
  // minimax; Chebyshev economisation of the Taylor series), by Estrin's scheme (pairs, then the powers r², r⁴):
  // depth 4 instead of Horner's 9, so the loop is throughput-bound, not latency-bound.
  const double r2 = r * r, r4 = r2 * r2;
  const double a0 = 0.5000000000000001 + r * 0.16666666666666669;
  const double a1 = 0.041666666666624136 + r * 0.008333333333330063;
  const double a2 = 0.001388888891720967 + r * 0.00019841269863050506;
  const double a3 = 2.4801521302241082e-05 + r * 2.7557268464831627e-06;
  const double a4 = 2.7620085455018414e-07 + r * 2.510038319586702e-08;
  const double q = (a0 + r2 * a1) + r4 * ((a2 + r2 * a3) + r4 * a4);
  return {t, 1.0 + (r + r2 * q)};
}
}  // namespace exp_detail

// e^x for every double x (post 8 §8.1's e^{x_i − max}), the same special values as std::exp: NaN → NaN,
// −inf → +0, +inf → +inf, ±0 → 1 exactly, underflow to subnormals and 0, overflow to +inf.
// Method (Cody & Waite 1980, "Software Manual for the Elementary Functions", ch. 6; the two-constant ln 2 of
// fdlibm's e_exp.c): x = k·ln2 + r with k = round(x/ln2) by the 1.5·2^52 "magic add" (the sum's low mantissa
// bits hold k as an integer), r = (x − k·ln2_hi) − k·ln2_lo, where ln2_hi has 32 significant bits so k·ln2_hi
// is exact for |k| < 2^21 and x − k·ln2_hi is exact (Sterbenz); |r| ≤ ln2/2 + 2^-41 < 0.3466.
// e^r = 1 + (r + r²·q(r)), q of degree 9 (total degree 11). Truncation: |r²(q − q*)|/e^r ≤ 1.7e-17 (0.15 ulp
// of 2^-53) for the double coefficients below, evaluated in 60-digit arithmetic (mpmath) on a 4001-point grid
// of |r| ≤ 0.3466; the interpolant's own bound is ‖q − q*‖ ≤ 1.05e-16 (mpmath.chebyfit), times r² ≤ 0.121,
// over e^r ≥ 0.70: ≤ 1.9e-17. The leading 1 is added last, so the rounding errors of q are scaled by
// r² ≤ 0.121 and the result is within ~1 ulp of e^x (the test measures the worst case against std::exp on a
// dense grid: ≤ 2 ulp).
// 2^k: with e = k + 2046 ∈ [0, 4094], e1 = ⌊e/2⌋, e2 = e − e1, the factors 2^{e1−1023}, 2^{e2−1023} are built from
// bits and e^x = (p·2^{e1−1023})·2^{e2−1023}: the first product is exact (normal), the second rounds once, so
// results round correctly into the subnormal range and to +0 below it; a biased exponent 0 gives the factor +0
// (k ≤ −2045: e^x = +0 exactly) and 2047 gives +inf (k ≥ 2047: overflow), with no branch.
inline double exp_vec(double x) {
  using exp_detail::bits;
  using exp_detail::from_bits;
  using exp_detail::kMagicBits;
  // Clamp to [−1418, 1419.6] (k ∈ [−2046, 2048]), the out-of-range value rebuilt from x's sign bit rather than
  // a constant: with a constant, g++ folds that path and no longer if-converts (vectorises) the loop; bit ops
  // because wasm SIMD has no f64x2 copysign. A NaN fails both compares and passes through.
  constexpr std::uint64_t kSign = 0x8000000000000000ull;
  x = x < -1418.0 ? from_bits((bits(x) & kSign) | bits(1418.0)) : x;
  x = x > 1419.6 ? from_bits((bits(x) & kSign) | bits(1419.6)) : x;
  const exp_detail::Reduced z = exp_detail::reduce(x);
  // Integer arithmetic on the bits of t (its low bits are k in two's complement): no float→int conversion.
  const std::uint64_t e = bits(z.t) - kMagicBits + 2046u;
  const std::uint64_t e1 = e >> 1, e2 = e - e1;
  return (z.p * from_bits(e1 << 52)) * from_bits(e2 << 52);
}

// e^x for x ≤ 0 (and NaN, −inf): softmax's e^{(x_i − max)/τ} (post 8 §8.1), the hot loop of the row-wise
// softmax. The same reduction and polynomial as exp_vec, hence the same values wherever both apply (normal
// results are p·2^k exactly, subnormal ones p·2^k rounded once), with ~8 fewer operations: one clamp
// (x < −745.5, including −inf, becomes −745.5, whose e^x rounds to +0 like std::exp's) and a one-factor
// 2^k: e = k + 1023 + 64 ≥ 11 for k ≥ −1076, so p·2^{k+64} is exact and the final ×2^-64 rounds once.
// Also exact-as-exp_vec for 0 < x ≤ 664 (k + 64 ≤ 1023); not for larger x.
inline double exp_nonpos(double x) {
  using exp_detail::bits;
  using exp_detail::from_bits;
  using exp_detail::kMagicBits;
  constexpr std::uint64_t kSign = 0x8000000000000000ull;
  x = x < -745.5 ? from_bits((bits(x) & kSign) | bits(745.5)) : x;  // see exp_vec for the sign-bit form
  const exp_detail::Reduced z = exp_detail::reduce(x);
  const std::uint64_t e = bits(z.t) - kMagicBits + (1023u + 64u);
  return (z.p * from_bits(e << 52)) * 5.421010862427522e-20;  // 2^-64
}

}  // namespace probwasm
