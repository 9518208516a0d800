// The seeded generators of every topic, in one place. The integer streams are identical everywhere; the
// wasm module gives bit-identical numbers in Node and in every browser (one binary, one musl libm). A native
// build shares the integer streams and uniforms, but its normals may differ in the last bits (glibc's
// log/sin/cos). Each topic's stream is fixed (tests, docs and users' seeds depend on it): the pieces below
// reproduce them exactly, so change none of them.
#pragma once
#include <cmath>
#include <cstdint>

namespace probwasm {

constexpr double kPrngTwoPi = 6.283185307179586;  // fl(2π)

// splitmix64 (Steele, Lea & Flood 2014): advances `state` by the golden-ratio increment and returns the
// mixed value.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
// One splitmix64 step from x as a hash (x is not modified): for deriving child seeds.
inline std::uint64_t splitmix64_hash(std::uint64_t x) { return splitmix64(x); }

// xorshift64 (Marsaglia 2003, shifts 13, 7, 17): advances `state` (never 0) and returns it.
inline std::uint64_t xorshift64(std::uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

// Uniform on (0, 1) from the top 53 bits, offset by half a step so that 0 and 1 never occur (log-safe).
inline double uniform_open(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }
// Uniform on [0, 1) from the top 53 bits.
inline double uniform_half_open(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// Box–Muller from u1 in (0, 1] and u2: returns sqrt(-2 log u1) cos(2π u2) and stores the sin partner in
// `second`.
inline double box_muller(double u1, double u2, double& second) {
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double a = kPrngTwoPi * u2;
  second = r * std::sin(a);
  return r * std::cos(a);
}
// Box–Muller, the cos variate only (the sin partner is dropped).
inline double box_muller_cos(double u1, double u2) {
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kPrngTwoPi * u2);
}

// Standard normals in pairs: draws u1 then u2 from `uniform`, returns the cos variate and keeps the sin
// one for the next call. The state (has_spare, spare) lives with the caller's generator.
template <class Uniform>
double cached_normal(bool& has_spare, double& spare, Uniform&& uniform) {
  if (has_spare) {
    has_spare = false;
    return spare;
  }
  const double u1 = uniform(), u2 = uniform();
  const double z = box_muller(u1, u2, spare);
  has_spare = true;
  return z;
}

// A splitmix64 generator: one 64-bit state, uniforms on (0, 1), normals by cached Box–Muller pairs.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return splitmix64(state_); }
  double uniform() { return uniform_open(next()); }
  double normal() {
    return cached_normal(has_spare_, spare_, [this] { return uniform(); });
  }

 private:
  std::uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// xoshiro256** (Blackman & Vigna, 2018), seeded through splitmix64 so that any 64-bit seed is usable.
class Prng {
 public:
  explicit Prng(std::uint64_t seed) {
    std::uint64_t z = seed;
    for (auto& w : s_) w = splitmix64(z);
  }

  std::uint64_t next() {
    const std::uint64_t r = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return r;
  }

  // Uniform on (0, 1): 53 random bits, offset by half a step so that 0 and 1 never occur (log-safe).
  double uniform() { return uniform_open(next()); }

  // Uniform integer in [0, n) by rejection (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    std::uint64_t r;
    do r = next(); while (r >= limit);
    return r % n;
  }

  // Standard normal by Box–Muller; the second value of each pair is kept for the next call.
  double normal() {
    return cached_normal(has_spare_, spare_, [this] { return uniform(); });
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace probwasm
