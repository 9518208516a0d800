// A small seeded PRNG shared by the Monte Carlo topics (contrastive, attention): the same seed gives the
// same numbers natively, in Node and in the browser (integer arithmetic only until the final scaling,
// and std::log/std::cos/std::sqrt from the same libm family on every build of one tree).
#pragma once
#include <cmath>
#include <cstdint>

namespace probwasm {

// xoshiro256** (Blackman & Vigna, 2018), seeded through splitmix64 so that any 64-bit seed is usable.
class Prng {
 public:
  explicit Prng(std::uint64_t seed) {
    std::uint64_t z = seed;
    for (auto& w : s_) w = splitmix(z);
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
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  // Uniform integer in [0, n) by rejection (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    std::uint64_t r;
    do r = next(); while (r >= limit);
    return r % n;
  }

  // Standard normal by Box–Muller; the second value of each pair is kept for the next call.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform(), u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 6.283185307179586 * u2;
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& z) {
    std::uint64_t r = (z += 0x9e3779b97f4a7c15ULL);
    r = (r ^ (r >> 30)) * 0xbf58476d1ce4e5b9ULL;
    r = (r ^ (r >> 27)) * 0x94d049bb133111ebULL;
    return r ^ (r >> 31);
  }
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace probwasm
