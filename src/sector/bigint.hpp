// A small unsigned big integer for the exact rationals of POSTS §5.3 (exact.cpp): just what the
// inclusion–exclusion sums need, so that the module carries neither Boost's cpp_int nor, through its
// str(), libc++'s locale/iostream machinery. Little-endian 64-bit limbs, no leading zero limbs (zero
// is the empty vector). Signed sums are kept as separate positive and negative accumulators.
// Internal header (exact.cpp and the tests).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace probwasm::sector {

class BigNat {
 public:
  BigNat() = default;
  explicit BigNat(std::uint64_t v) {
    if (v) limbs_.push_back(v);
  }
  static BigNat from_limbs(std::vector<std::uint64_t> limbs);  // trims leading zero limbs
  const std::vector<std::uint64_t>& limbs() const { return limbs_; }
  bool is_zero() const { return limbs_.empty(); }

  BigNat& operator*=(std::uint64_t m);
  BigNat& operator+=(const BigNat& b);
  BigNat& operator-=(const BigNat& b);  // requires *this >= b (std::logic_error otherwise)
  // *this = floor(*this / d), returns the remainder; d > 0.
  std::uint64_t divmod(std::uint64_t d);
  std::string str() const;  // decimal, no sign, "0" for zero

  friend BigNat operator*(const BigNat& a, const BigNat& b);  // Karatsuba above a cutoff
  friend int compare(const BigNat& a, const BigNat& b);       // -1, 0, 1

 private:
  void trim();
  std::vector<std::uint64_t> limbs_;
};

// base^e by left-to-right binary powering: squarings (Karatsuba) and single-limb products.
BigNat pow(std::uint64_t base, std::uint64_t e);

}  // namespace probwasm::sector
