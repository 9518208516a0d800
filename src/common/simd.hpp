// Portable 128-bit vectors for the softmax family's hot loops (post 8, §8.1 and §8.6–8.7): GCC/Clang vector
// extensions, which em++ -msimd128 compiles to wasm SIMD128 (f64x2/f32x4/i64x2/i32x4 instructions) and g++/clang++
// natively to SSE2. Plain C++17 with the GNU `vector_size` attribute; no intrinsics, no Emscripten header.
// Only +, −, ×, ÷, compares, bit operations and integer shifts: each lane is IEEE-exact, so a vector kernel
// computes the same bits as its scalar twin written with the same operations in the same order.
//
// The vector exps (exp_nonpos for f64x2 and f32x4) are the lane-wise twins of common/exp.hpp's and
// common/expf.hpp's exp_nonpos: the same Cody–Waite reduction, polynomial and 2^k scaling, hence bit-identical
// results and the accuracy stated there (double: within 2 ulp of std::exp, float: within 2 ulp of the correctly
// rounded e^x). expf_vec (f32x4) extends the float one to every float x, with std::exp's special values.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace probwasm::simd {

typedef double f64x2 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));
typedef std::int64_t i64x2 __attribute__((vector_size(16)));
typedef std::int32_t i32x4 __attribute__((vector_size(16)));

inline f64x2 splat2(double a) { return f64x2{a, a}; }
inline f32x4 splat4(float a) { return f32x4{a, a, a, a}; }
// Unaligned loads and stores (memcpy: one v128.load/store, movupd natively).
inline f64x2 load2(const double* p) {
  f64x2 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline f32x4 load4(const float* p) {
  f32x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store2(double* p, f64x2 v) { std::memcpy(p, &v, sizeof v); }
inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }

// Lane masks of compares (all ones or zero per lane) and bit selects on them (v128.bitselect).
inline i64x2 lt(f64x2 a, f64x2 b) { return (i64x2)(a < b); }
inline i32x4 lt(f32x4 a, f32x4 b) { return (i32x4)(a < b); }
inline f64x2 select(i64x2 mask, f64x2 a, f64x2 b) {  // mask lane all ones: a, zero: b
  return (f64x2)(((i64x2)a & mask) | ((i64x2)b & ~mask));
}
inline f32x4 select(i32x4 mask, f32x4 a, f32x4 b) { return (f32x4)(((i32x4)a & mask) | ((i32x4)b & ~mask)); }
// The larger of a and b, written as a < b ? b : a (wasm's f64x2.pmax/f32x4.pmax form: NaN in b is not taken).
inline f64x2 pmax(f64x2 a, f64x2 b) { return select(lt(a, b), b, a); }
inline f32x4 pmax(f32x4 a, f32x4 b) { return select(lt(a, b), b, a); }
inline bool any(i64x2 m) { return (m[0] | m[1]) != 0; }
inline bool any(i32x4 m) { return ((m[0] | m[1]) | (m[2] | m[3])) != 0; }
// Lanes 0,1 and 2,3 of a float vector widened to double (exact: f64x2.promote_low_f32x4 and a shuffle).
inline f64x2 widen_lo(f32x4 v) { return f64x2{v[0], v[1]}; }
inline f64x2 widen_hi(f32x4 v) { return f64x2{v[2], v[3]}; }

// The constants of the vector exps below, splatted once before a loop and passed in. They are read from
// `volatile` tables on purpose: written as literals, clang re-materialises every v128.const inside the loop
// body and V8 builds each one from immediates in every iteration (measured: ~25% of the f64 loop's time and
// ~45% of the f32 one's in Chromium 156, ~15% in Node 20); read once from memory, they stay in registers. The values are those
// of exp.hpp's exp_nonpos (double) and expf.hpp's exp_nonpos (float), in the same roles.
inline const volatile double kExp64[] = {
    -745.5,                  // 0: clamp (e^x rounds to +0 below it)
    1.4426950408889634,      // 1: 1/ln 2
    6755399441055744.0,      // 2: 1.5·2^52, the rounding magic
    6.93147180369123816490e-01, 1.90821492927058770002e-10,  // 3, 4: ln 2 = hi + lo
    0.5000000000000001,     0.16666666666666669,    0.041666666666624136,   0.008333333333330063,  // 5–8
    0.001388888891720967,   0.00019841269863050506, 2.4801521302241082e-05, 2.7557268464831627e-06,  // 9–12
    2.7620085455018414e-07, 2.510038319586702e-08,  // 13, 14: q's coefficients, degree 0 to 9
    1.0,                    // 15
    5.421010862427522e-20,  // 16: 2^-64
};
inline const volatile float kExp32[] = {
    -104.0f,       1.44269504f,   12582912.0f,   0.693145751953125f, 1.42860682e-06f,  // clamp, 1/ln 2, magic, ln 2
    0.5f,          0.166666672f,  0.0416666679f, 0.00833333377f,     0.00138888892f, 0.000198412701f,  // q
    1.0f,          2.3283064e-10f,  // 1, 2^-32
    89.0f,  // 13: expf_vec's upper clamp
};

struct Exp64 {
  f64x2 c[17];
  Exp64() {
    for (int j = 0; j < 17; ++j) c[j] = splat2(kExp64[j]);
  }
};
struct Exp32 {
  f32x4 c[14];
  Exp32() {
    for (int j = 0; j < 14; ++j) c[j] = splat4(kExp32[j]);
  }
};

// e^x for x ≤ 0, NaN and −inf, lane by lane: exp.hpp's exp_nonpos (same reduction, polynomial and one-factor
// 2^k, so the same bits; within 2 ulp of std::exp, subnormal results rounded once, +0 below −745.13).
inline f64x2 exp_nonpos(f64x2 x, const Exp64& k) {
  const f64x2* c = k.c;
  x = select(lt(x, c[0]), c[0], x);  // −inf and x < −745.5 → −745.5 (e^x rounds to +0); NaN fails the compare
  const f64x2 t = x * c[1] + c[2];
  const f64x2 kd = t - c[2];  // k = round(x/ln 2), exactly
  const f64x2 r = (x - kd * c[3]) - kd * c[4];
  const f64x2 r2 = r * r, r4 = r2 * r2;
  const f64x2 a0 = c[5] + r * c[6], a1 = c[7] + r * c[8], a2 = c[9] + r * c[10], a3 = c[11] + r * c[12];
  const f64x2 a4 = c[13] + r * c[14];
  const f64x2 q = (a0 + r2 * a1) + r4 * ((a2 + r2 * a3) + r4 * a4);
  const f64x2 p = c[15] + (r + r2 * q);
  // The low bits of t hold k; e = k + 1023 + 64 ≥ 11, so p·2^{k+64} is exact and ×2^-64 rounds once.
  const i64x2 e = (i64x2)t - i64x2{0x4338000000000000ll, 0x4338000000000000ll} + (1023 + 64);
  return (p * (f64x2)(e << 52)) * c[16];
}

// The float polynomial part shared by the two float exps: t (whose low bits hold k) and p = e^r.
struct Reduced32 {
  f32x4 t, p;
};
inline Reduced32 reduce32(f32x4 x, const f32x4* c) {
  const f32x4 t = x * c[1] + c[2];
  const f32x4 kd = t - c[2];
  const f32x4 r = (x - kd * c[3]) - kd * c[4];
  const f32x4 r2 = r * r;
  const f32x4 a0 = c[5] + r * c[6], a1 = c[7] + r * c[8], a2 = c[9] + r * c[10];
  const f32x4 q = a0 + r2 * (a1 + r2 * a2);
  return {t, c[11] + (r + r2 * q)};
}
constexpr i32x4 kMagic32Bits = {0x4B400000, 0x4B400000, 0x4B400000, 0x4B400000};

// e^x for x ≤ 0 in float, lane by lane: expf.hpp's exp_nonpos (same bits; within 2 ulp of the correctly
// rounded e^x; +0 below −103.97).
inline f32x4 exp_nonpos(f32x4 x, const Exp32& k) {
  const f32x4* c = k.c;
  x = select(lt(x, c[0]), c[0], x);
  const Reduced32 z = reduce32(x, c);
  const i32x4 e = (i32x4)z.t - kMagic32Bits + (127 + 32);
  return (z.p * (f32x4)(e << 23)) * c[12];
}

// e^x in float for every float x, lane by lane, with std::exp's special values: NaN → NaN, −inf → +0,
// +inf → +inf, ±0 → 1 exactly, gradual underflow to subnormals and +0 (below −103.97), overflow to +inf (above
// 88.72). exp_nonpos's reduction and polynomial (so for x ≤ 0 the same p); x is clamped to [−104, 89] first
// (NaN passes, ±inf become the ends), then k = round(x/ln 2) ∈ [−150, 128] and 2^k is applied as two factors,
// as exp.hpp's exp_vec does: e = k + 254 ∈ [104, 382], e1 = ⌊e/2⌋, e2 = e − e1 ∈ [52, 191], both normal.
// p·2^{e1−127} (p ∈ [0.7, 1.42]) is an exact normal float and the second product rounds once, into the
// subnormals, to +0 or to +inf exactly as the true value does. Within 2 ulp of the correctly rounded e^x.
inline f32x4 expf_vec(f32x4 x, const Exp32& k) {
  const f32x4* c = k.c;
  x = select(lt(x, c[0]), c[0], x);
  x = select(lt(c[13], x), c[13], x);
  const Reduced32 z = reduce32(x, c);
  const i32x4 e = (i32x4)z.t - kMagic32Bits + 254;
  const i32x4 e1 = e >> 1, e2 = e - e1;
  return (z.p * (f32x4)(e1 << 23)) * (f32x4)(e2 << 23);
}

}  // namespace probwasm::simd
