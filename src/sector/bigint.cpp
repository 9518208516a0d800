// BigNat (bigint.hpp): schoolbook limb loops with 64x64->128 products, Karatsuba (and a squaring
// variant) above a cutoff, and decimal output by repeated division by 10^19 with a precomputed
// reciprocal. Checked against Boost's cpp_int in tests/sector/bigint_test.cpp.
#include "sector/bigint.hpp"

#include <algorithm>
#include <stdexcept>

namespace probwasm::sector {
namespace {

using u64 = std::uint64_t;
__extension__ typedef unsigned __int128 u128;  // g++ and clang (em++) both have it
using std::size_t;

// The 128-bit product a b as (hi, lo). wasm32 has no 64x64->128 instruction and lowers an __int128
// product to a call of __multi3 (a 128x128 product returned through memory); four 32x32->64
// products inline are faster there. Natively the __int128 product is one instruction.
inline u64 mul_wide(u64 a, u64 b, u64* hi) {
#if defined(__wasm__)
  const u64 a0 = static_cast<std::uint32_t>(a), a1 = a >> 32;
  const u64 b0 = static_cast<std::uint32_t>(b), b1 = b >> 32;
  const u64 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const u64 mid = (p00 >> 32) + static_cast<std::uint32_t>(p01) + static_cast<std::uint32_t>(p10);  // < 3 * 2^32
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | static_cast<std::uint32_t>(p00);
#else
  const u128 p = static_cast<u128>(a) * b;
  *hi = static_cast<u64>(p >> 64);
  return static_cast<u64>(p);
#endif
}

// acc = low limb of x y + acc + carry; returns the high limb. x y + acc + carry ≤ (B−1)² + 2(B−1) < B²: no overflow.
inline u64 mul_add(u64 x, u64 y, u64& acc, u64 carry) {
  u64 hi;
  u64 lo = mul_wide(x, y, &hi);
  lo += acc;
  hi += lo < acc;
  lo += carry;
  hi += lo < carry;
  acc = lo;
  return hi;
}

// Below this many limbs in the shorter factor, schoolbook beats Karatsuba's extra additions.
constexpr size_t kKaratsubaCutoff = 64;

// r[0..n) += a[0..m) (m <= n); returns the carry out of r[n-1].
u64 add_into(u64* r, size_t n, const u64* a, size_t m) {
  u64 carry = 0;
  for (size_t i = 0; i < m; ++i) {
    const u128 s = static_cast<u128>(r[i]) + a[i] + carry;
    r[i] = static_cast<u64>(s);
    carry = static_cast<u64>(s >> 64);
  }
  for (size_t i = m; carry && i < n; ++i) carry = (++r[i] == 0);
  return carry;
}

// r[0..n) -= a[0..m) (m <= n); returns the borrow out of r[n-1].
u64 sub_into(u64* r, size_t n, const u64* a, size_t m) {
  u64 borrow = 0;
  for (size_t i = 0; i < m; ++i) {
    const u64 x = r[i], y = a[i];
    const u64 d = x - y - borrow;
    borrow = (x < y) || (x == y && borrow);
    r[i] = d;
  }
  for (size_t i = m; borrow && i < n; ++i) borrow = (r[i]-- == 0);
  return borrow;
}

// r[0..an+bn) = a * b, schoolbook (Knuth TAOCP vol. 2 §4.3.1, Algorithm M).
void mul_basecase(u64* r, const u64* a, size_t an, const u64* b, size_t bn) {
  std::fill(r, r + an + bn, u64{0});
  for (size_t i = 0; i < an; ++i) {
    u64 carry = 0;
    const u64 ai = a[i];
    for (size_t j = 0; j < bn; ++j) carry = mul_add(ai, b[j], r[i + j], carry);
    r[i + bn] = carry;
  }
}

// r[0..an+bn) = a * b for an >= bn >= 1 (operands may have leading zero limbs).
// Karatsuba (1962; Knuth §4.3.3): with a = a1 B + a0, b = b1 B + b0,
// a b = a1 b1 B^2 + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) B + a0 b0: three half-size products.
void mul_rec(u64* r, const u64* a, size_t an, const u64* b, size_t bn) {
  if (bn < kKaratsubaCutoff) {
    mul_basecase(r, a, an, b, bn);
    return;
  }
  const size_t h = (an + 1) / 2;
  if (bn <= h) {
    // Unbalanced: a in pieces of bn limbs, each piece times b, added in place.
    std::fill(r, r + an + bn, u64{0});
    std::vector<u64> t(2 * bn);
    for (size_t off = 0; off < an; off += bn) {
      const size_t len = std::min(bn, an - off);
      if (len >= bn) mul_rec(t.data(), a + off, len, b, bn);
      else mul_rec(t.data(), b, bn, a + off, len);
      add_into(r + off, an + bn - off, t.data(), len + bn);
    }
    return;
  }
  const size_t a1n = an - h, b1n = bn - h;  // 1 <= b1n <= a1n <= h
  // z0 = a0 b0 into r[0..2h), z2 = a1 b1 into r[2h..an+bn).
  mul_rec(r, a, h, b, h);
  mul_rec(r + 2 * h, a + h, a1n, b + h, b1n);
  // sa = a0 + a1, sb = b0 + b1 (h + 1 limbs each), z1 = sa sb - z0 - z2.
  std::vector<u64> sa(a, a + h), sb(b, b + h), z1(2 * h + 2);
  sa.push_back(add_into(sa.data(), h, a + h, a1n));
  sb.push_back(add_into(sb.data(), h, b + h, b1n));
  mul_rec(z1.data(), sa.data(), h + 1, sb.data(), h + 1);
  sub_into(z1.data(), z1.size(), r, 2 * h);
  sub_into(z1.data(), z1.size(), r + 2 * h, a1n + b1n);
  size_t z1n = z1.size();
  while (z1n && z1[z1n - 1] == 0) --z1n;  // z1 < B^(an+bn-h): fits above r[h]
  add_into(r + h, an + bn - h, z1.data(), z1n);
}

// r[0..2n) = a^2, schoolbook with each cross product a[i] a[j] (i < j) formed once, then doubled,
// then the squares a[i]^2 added: about half the limb products of mul_basecase(a, a).
void sqr_basecase(u64* r, const u64* a, size_t n) {
  std::fill(r, r + 2 * n, u64{0});
  for (size_t i = 0; i + 1 < n; ++i) {
    u64 carry = 0;
    const u64 ai = a[i];
    for (size_t j = i + 1; j < n; ++j) carry = mul_add(ai, a[j], r[i + j], carry);
    r[i + n] = carry;
  }
  u64 top = 0;  // the cross sum is < B^(2n) / 2: doubling does not overflow
  for (size_t i = 0; i < 2 * n; ++i) {
    const u64 x = r[i];
    r[i] = (x << 1) | top;
    top = x >> 63;
  }
  u64 carry = 0;
  for (size_t i = 0; i < n; ++i) {
    u64 hi;
    u64 lo = mul_wide(a[i], a[i], &hi);
    lo += carry;
    hi += lo < carry;  // a[i]^2 + carry < B^2
    u64 s0 = r[2 * i] + lo;
    u64 c0 = s0 < lo;
    u64 s1 = r[2 * i + 1] + hi;
    u64 c1 = s1 < hi;
    s1 += c0;
    c1 += s1 < c0;
    r[2 * i] = s0;
    r[2 * i + 1] = s1;
    carry = c1;
  }
}

// r[0..2n) = a^2 by Karatsuba's identity with one operand: a0^2, a1^2 and (a0 + a1)^2.
void sqr_rec(u64* r, const u64* a, size_t n) {
  if (n < kKaratsubaCutoff) {
    sqr_basecase(r, a, n);
    return;
  }
  const size_t h = (n + 1) / 2, a1n = n - h;
  sqr_rec(r, a, h);
  sqr_rec(r + 2 * h, a + h, a1n);
  std::vector<u64> sa(a, a + h), z1(2 * h + 2);
  sa.push_back(add_into(sa.data(), h, a + h, a1n));
  sqr_rec(z1.data(), sa.data(), h + 1);
  sub_into(z1.data(), z1.size(), r, 2 * h);
  sub_into(z1.data(), z1.size(), r + 2 * h, 2 * a1n);
  size_t z1n = z1.size();
  while (z1n && z1[z1n - 1] == 0) --z1n;  // z1 = 2 a0 a1 < B^(2n-h)
  add_into(r + h, 2 * n - h, z1.data(), z1n);
}

}  // namespace

BigNat BigNat::from_limbs(std::vector<std::uint64_t> limbs) {
  BigNat x;
  x.limbs_ = std::move(limbs);
  x.trim();
  return x;
}

void BigNat::trim() {
  while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
}

BigNat& BigNat::operator*=(std::uint64_t m) {
  if (m == 0) {
    limbs_.clear();
    return *this;
  }
  u64 carry = 0;
  for (u64& x : limbs_) {
    u64 hi;
    const u64 lo = mul_wide(x, m, &hi) + carry;
    x = lo;
    carry = hi + (lo < carry);
  }
  if (carry) limbs_.push_back(carry);
  return *this;
}

BigNat& BigNat::operator+=(const BigNat& b) {
  if (limbs_.size() < b.limbs_.size()) limbs_.resize(b.limbs_.size(), 0);
  if (add_into(limbs_.data(), limbs_.size(), b.limbs_.data(), b.limbs_.size())) limbs_.push_back(1);
  return *this;
}

BigNat& BigNat::operator-=(const BigNat& b) {
  if (limbs_.size() < b.limbs_.size() ||
      sub_into(limbs_.data(), limbs_.size(), b.limbs_.data(), b.limbs_.size()))
    throw std::logic_error("BigNat: negative difference");
  trim();
  return *this;
}

std::uint64_t BigNat::divmod(std::uint64_t d) {
  if (d == 0) throw std::logic_error("BigNat: division by zero");
  u64 rem = 0;
  for (size_t i = limbs_.size(); i-- > 0;) {
    const u128 t = (static_cast<u128>(rem) << 64) | limbs_[i];
    limbs_[i] = static_cast<u64>(t / d);
    rem = static_cast<u64>(t % d);
  }
  trim();
  return rem;
}

BigNat operator*(const BigNat& a, const BigNat& b) {
  if (a.is_zero() || b.is_zero()) return {};
  if (&a == &b) {  // a square (pow's squarings)
    std::vector<u64> r(2 * a.limbs_.size());
    sqr_rec(r.data(), a.limbs_.data(), a.limbs_.size());
    return BigNat::from_limbs(std::move(r));
  }
  const BigNat& x = a.limbs_.size() >= b.limbs_.size() ? a : b;
  const BigNat& y = &x == &a ? b : a;
  std::vector<u64> r(x.limbs_.size() + y.limbs_.size());
  mul_rec(r.data(), x.limbs_.data(), x.limbs_.size(), y.limbs_.data(), y.limbs_.size());
  return BigNat::from_limbs(std::move(r));
}

int compare(const BigNat& a, const BigNat& b) {
  if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() < b.limbs_.size() ? -1 : 1;
  for (size_t i = a.limbs_.size(); i-- > 0;)
    if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] < b.limbs_[i] ? -1 : 1;
  return 0;
}

std::string BigNat::str() const {
  if (is_zero()) return "0";
  // 10^19 has its top bit set, so the 2-by-1 division of Möller & Granlund ("Improved division by
  // invariant integers", IEEE Trans. Computers 60(2), 2011, Algorithm 4) applies unshifted: with
  // v = floor((B^2 - 1)/d) - B, each limb costs two products instead of a 128-by-64 division.
  constexpr u64 d = 10000000000000000000ull;
  const u64 v = static_cast<u64>(((static_cast<u128>(~d) << 64) | ~u64{0}) / d);
  // Each sweep runs kChains divisions at once, chain c dividing the quotient limbs of chain c - 1
  // as they appear: the chains' remainder dependencies overlap instead of running one after another.
  constexpr int kChains = 4;
  std::vector<u64> x = limbs_, chunks;  // chunks: base-10^19 digits, least significant first
  while (!x.empty()) {
    u64 rem[kChains] = {};  // running remainders, each < d
    for (size_t i = x.size(); i-- > 0;) {
      u64 u0 = x[i];
      for (int c = 0; c < kChains; ++c) {
        const u64 u1 = rem[c];
        u64 q1;  // (q1, q0) = v u1 + (u1 + 1, u0) mod B^2
        const u64 q0 = mul_wide(v, u1, &q1) + u0;
        q1 += u1 + 1 + (q0 < u0);
        u64 r = u0 - q1 * d;
        const u64 over = 0 - static_cast<u64>(r > q0);  // all ones half the time: no branch
        q1 += over;
        r += d & over;
        if (r >= d) {  // rare
          ++q1;
          r -= d;
        }
        rem[c] = r;
        u0 = q1;  // the next chain divides this quotient limb
      }
      x[i] = u0;
    }
    chunks.insert(chunks.end(), rem, rem + kChains);
    while (!x.empty() && x.back() == 0) x.pop_back();
  }
  while (chunks.size() > 1 && chunks.back() == 0) chunks.pop_back();  // chains that ran past the top
  std::string s;
  s.reserve(chunks.size() * 19);
  char buf[20];
  for (size_t c = chunks.size(); c-- > 0;) {
    u64 w = chunks[c];
    int len = 0;
    do {
      buf[len++] = static_cast<char>('0' + w % 10);
      w /= 10;
    } while (w);
    if (c + 1 != chunks.size()) s.append(19 - len, '0');  // inner chunks: all 19 digits
    while (len) s.push_back(buf[--len]);
  }
  return s;
}

BigNat pow(std::uint64_t base, std::uint64_t e) {
  if (e == 0) return BigNat(1);
  if (base <= 1) return BigNat(base);
  int top = 63;
  while (!((e >> top) & 1)) --top;
  BigNat r(base);
  for (int bit = top - 1; bit >= 0; --bit) {
    r = r * r;
    if ((e >> bit) & 1) r *= base;
  }
  return r;
}

}  // namespace probwasm::sector
