// A branch-free float e^x for x ≤ 0 that compilers auto-vectorise (f32x4/i32x4 in wasm SIMD: four lanes where
// the double exp of exp.hpp has two): the exp inside float32 softmax (post 8, §8.1). Plain C++17.
#pragma once
#include <cstdint>
#include <cstring>

namespace probwasm {

namespace expf_detail {
inline std::uint32_t bits(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}
inline float from_bits(std::uint32_t u) {
  float v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}
}  // namespace expf_detail

// e^x in float for x ≤ 0 (and NaN → NaN, −inf → +0, ±0 → 1 exactly): softmax's e^{(x_i − max)/τ} (post 8 §8.1)
// for Float32Array inputs. Also exact-as-below for 0 < x ≤ 65 (k + 32 ≤ 127); not for larger x.
// Method (Cody & Waite 1980, as exp_nonpos in exp.hpp, in float): k = round(x/ln2) by the 1.5·2^23 magic add
// (the sum's low mantissa bits hold k), r = (x − k·ln2_hi) − k·ln2_lo with ln2_hi = 0x3F317200 (16 significant
// bits, so k·ln2_hi is exact for |k| < 2^8 and x − k·ln2_hi is exact), |r| ≤ ln2/2 + 2^-17 < 0.3466.
// e^r = 1 + (r + r²·q(r)), q = Σ_{j=0..5} r^j/(j+2)! (Taylor to degree 7): truncation ≤ e^{0.35}r⁸/8! ≤ 7.3e-9
// relative (≈ 0.06 ulp of 2^-23). The leading 1 is added last, so the rounding errors of q are scaled by
// r² ≤ 0.121; r itself carries ≤ ½ ulp(r). Stated bound: within 2 ulp of the correctly rounded e^x (the test
// measures the worst case against double exp rounded to float on a dense grid of [−104, 0] and all exponents).
// 2^k: x < −104 (including −inf) is clamped to −104, whose e^x < 2^-150 rounds to +0; then k ≥ −151 and
// e = k + 127 + 32 ≥ 8, so p·2^{k+32} is an exact normal and the final ×2^-32 rounds once (correct subnormals).
inline float exp_nonpos(float x) {
  using expf_detail::bits;
  using expf_detail::from_bits;
  // The out-of-range value is rebuilt from x's sign bit (see exp.hpp's exp_vec: a constant lets compilers fold
  // the path and stop if-converting the loop); a NaN fails the compare and passes through.
  constexpr std::uint32_t kSign = 0x80000000u;
  x = x < -104.0f ? from_bits((bits(x) & kSign) | bits(104.0f)) : x;
  constexpr float kMagic = 12582912.0f;  // 1.5·2^23
  constexpr std::uint32_t kMagicBits = 0x4B400000u;
  constexpr float kLog2e = 1.44269504f;
  constexpr float kLn2Hi = 0.693145751953125f;  // 0x3F317200
  constexpr float kLn2Lo = 1.42860682e-06f;      // ln 2 − kLn2Hi
  const float t = x * kLog2e + kMagic;
  const float kd = t - kMagic;
  const float r = (x - kd * kLn2Hi) - kd * kLn2Lo;
  const float r2 = r * r;
  // Estrin's scheme on 1/2! … 1/7!: depth 3 instead of Horner's 5.
  const float a0 = 0.5f + r * 0.166666672f;
  const float a1 = 0.0416666679f + r * 0.00833333377f;
  const float a2 = 0.00138888892f + r * 0.000198412701f;
  const float q = a0 + r2 * (a1 + r2 * a2);
  const float p = 1.0f + (r + r2 * q);
  const std::uint32_t e = bits(t) - kMagicBits + (127u + 32u);
  return (p * from_bits(e << 23)) * 2.3283064e-10f;  // 2^-32
}

}  // namespace probwasm
