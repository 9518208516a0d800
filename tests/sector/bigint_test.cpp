// BigNat (src/sector/bigint.hpp), the integer arithmetic under the exact rationals, checked against
// Boost.Multiprecision cpp_int as an independent implementation: products (schoolbook, Karatsuba,
// unbalanced), sums, differences, small products and divisions, powers and decimal strings, on
// zero, one limb, carries across limbs, powers of the limb base and values of thousands of digits.
#include "sector/bigint.hpp"

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "numeric_test.hpp"

using probwasm::sector::BigNat;
using boost::multiprecision::cpp_int;

namespace {

cpp_int to_cpp(const BigNat& x) {
  cpp_int r = 0;
  for (std::size_t i = x.limbs().size(); i-- > 0;) r = (r << 64) + x.limbs()[i];
  return r;
}

BigNat from_cpp(cpp_int x) {
  std::vector<std::uint64_t> limbs;
  while (x > 0) {
    limbs.push_back(static_cast<std::uint64_t>(x & cpp_int(~std::uint64_t{0})));
    x >>= 64;
  }
  return BigNat::from_limbs(limbs);
}

// Limbs drawn from {0, 1, 2^64 - 1, random} so that carries and borrows run across many limbs.
BigNat random_big(std::mt19937_64& g, std::size_t limbs) {
  std::vector<std::uint64_t> v(limbs);
  for (auto& x : v) {
    switch (g() % 4) {
      case 0: x = 0; break;
      case 1: x = 1; break;
      case 2: x = ~std::uint64_t{0}; break;
      default: x = g();
    }
  }
  if (limbs) v.back() |= 1;  // exactly `limbs` limbs
  return BigNat::from_limbs(v);
}

// Around the Karatsuba cutoff (64 limbs) and its halves, and several recursion levels.
const std::size_t kSizes[] = {0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 65, 127, 128, 129, 257, 600};

}  // namespace

TEST_CASE("BigNat round-trips through limbs and compares like cpp_int") {
  CHECK(BigNat().is_zero());
  CHECK(BigNat(0).is_zero());
  CHECK(BigNat::from_limbs({0, 0, 0}).is_zero());
  CHECK(BigNat::from_limbs({5, 0, 0}).limbs().size() == 1);
  std::mt19937_64 g(1);
  for (std::size_t n : kSizes)
    for (std::size_t m : kSizes) {
      const BigNat a = random_big(g, n), b = random_big(g, m);
      const cpp_int ca = to_cpp(a), cb = to_cpp(b);
      CHECK(compare(a, b) == (ca < cb ? -1 : ca > cb ? 1 : 0));
      CHECK(compare(a, a) == 0);
      CHECK(from_cpp(ca).limbs() == a.limbs());
    }
}

TEST_CASE("BigNat sums and differences match cpp_int, with carries across every limb") {
  std::mt19937_64 g(2);
  for (std::size_t n : kSizes)
    for (std::size_t m : kSizes) {
      const BigNat a = random_big(g, n), b = random_big(g, m);
      BigNat s = a;
      s += b;
      CHECK(to_cpp(s) == to_cpp(a) + to_cpp(b));
      BigNat d = s;
      d -= b;
      CHECK(d.limbs() == a.limbs());
      d -= a;
      CHECK(d.is_zero());
    }
  // B^k - 1 + 1 = B^k, and back.
  for (std::size_t k : {1, 2, 5, 300}) {
    BigNat x = BigNat::from_limbs(std::vector<std::uint64_t>(k, ~std::uint64_t{0}));
    x += BigNat(1);
    CHECK(to_cpp(x) == cpp_int(1) << (64 * k));
    x -= BigNat(1);
    CHECK(to_cpp(x) == (cpp_int(1) << (64 * k)) - 1);
  }
  BigNat small(3);
  CHECK_THROWS_AS(small -= BigNat(4), std::logic_error);
  CHECK_THROWS_AS(BigNat(1) -= BigNat::from_limbs({0, 1}), std::logic_error);
}

TEST_CASE("BigNat products match cpp_int: schoolbook, Karatsuba, unbalanced and squares (own routine)") {
  std::mt19937_64 g(3);
  for (std::size_t n : kSizes)
    for (std::size_t m : kSizes) {
      const BigNat a = random_big(g, n), b = random_big(g, m);
      INFO("limbs " << n << " x " << m);
      CHECK(to_cpp(a * b) == to_cpp(a) * to_cpp(b));
      CHECK(to_cpp(a * a) == to_cpp(a) * to_cpp(a));
    }
  // Worst-case carries: (B^k - 1)^2 and (B^k - 1)(B^j - 1).
  for (std::size_t k : {1, 33, 64, 65, 200}) {
    const BigNat x = BigNat::from_limbs(std::vector<std::uint64_t>(k, ~std::uint64_t{0}));
    const BigNat y = BigNat::from_limbs(std::vector<std::uint64_t>(3 * k + 1, ~std::uint64_t{0}));
    CHECK(to_cpp(x * x) == to_cpp(x) * to_cpp(x));
    CHECK(to_cpp(x * y) == to_cpp(x) * to_cpp(y));
  }
  // A few thousand limbs (several Karatsuba levels, unbalanced pieces).
  const BigNat a = random_big(g, 3001), b = random_big(g, 1234);
  CHECK(to_cpp(a * b) == to_cpp(a) * to_cpp(b));
  CHECK(to_cpp(a * a) == to_cpp(a) * to_cpp(a));
}

TEST_CASE("BigNat times and divided by a single limb match cpp_int, remainders included") {
  std::mt19937_64 g(4);
  const std::uint64_t divisors[] = {1, 2, 3, 7, 1000000007, (std::uint64_t{1} << 40) + 15, 10000000000000000000ull,
                                    ~std::uint64_t{0}, std::uint64_t{1} << 63, g() | 1};
  for (std::size_t n : kSizes)
    for (std::uint64_t d : divisors) {
      const BigNat a = random_big(g, n);
      const cpp_int ca = to_cpp(a);
      BigNat p = a;
      p *= d;
      CHECK(to_cpp(p) == ca * d);
      BigNat q = a;
      const std::uint64_t r = q.divmod(d);
      CHECK(to_cpp(q) == ca / d);
      CHECK(cpp_int(r) == ca % d);
      CHECK(p.divmod(d) == 0);  // exact division gives a back
      CHECK(p.limbs() == a.limbs());
    }
  BigNat z = random_big(g, 5);
  z *= 0;
  CHECK(z.is_zero());
  CHECK_THROWS_AS(BigNat(1).divmod(0), std::logic_error);
}

TEST_CASE("BigNat powers of single limbs match cpp_int") {
  using probwasm::sector::pow;
  for (std::uint64_t base : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{10},
                             std::uint64_t{1} << 32, (std::uint64_t{1} << 41) - 1, std::uint64_t{999983},
                             ~std::uint64_t{0}})
    for (std::uint64_t e : {0, 1, 2, 3, 63, 64, 65, 1000, 4097}) {
      INFO(base << "^" << e);
      CHECK(to_cpp(pow(base, e)) == boost::multiprecision::pow(cpp_int(base), static_cast<unsigned>(e)));
    }
  // The sizes the exact sums reach: 2^41-ish bases to 20000 (~820000 bits).
  const std::uint64_t big = (std::uint64_t{1} << 40) - 87;
  CHECK(to_cpp(pow(big, 20000)) == boost::multiprecision::pow(cpp_int(big), 20000));
}

TEST_CASE("BigNat decimal strings match cpp_int's") {
  CHECK(BigNat().str() == "0");
  CHECK(BigNat(7).str() == "7");
  CHECK(BigNat(~std::uint64_t{0}).str() == "18446744073709551615");
  CHECK(BigNat(10000000000000000000ull).str() == "10000000000000000000");
  CHECK(BigNat(9999999999999999999ull).str() == "9999999999999999999");
  // Inner 19-digit chunks with leading zeros, powers of ten and of the limb base.
  for (const cpp_int& v : std::vector<cpp_int>{cpp_int("10000000000000000000000000000000000005"), cpp_int("100000000000000000000000000000000000000"),
                           cpp_int(1) << 64, cpp_int(1) << 128, (cpp_int(1) << 640) - 1,
                           boost::multiprecision::pow(cpp_int(10), 19 * 7), boost::multiprecision::pow(cpp_int(10), 19 * 7) - 1})
    CHECK(from_cpp(v).str() == v.str());
  std::mt19937_64 g(5);
  for (std::size_t n : kSizes) {
    const BigNat a = random_big(g, n);
    CHECK(a.str() == to_cpp(a).str());
  }
  const BigNat huge = random_big(g, 700);  // ~13500 digits
  CHECK(huge.str() == to_cpp(huge).str());
}
