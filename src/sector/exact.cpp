// Exact rational P_n(2π num/den) (POSTS §5.3) in BigNat (bigint.hpp) integer arithmetic.
// With d = den - num, 1 - kx = (den - k d)/den, so
//   P · den^(n-1) = Σ_{k: kd < den} (-1)^(k-1) C(n,k) (den - k d)^(n-1)        (left sum)
//   (1 - P) · den^(n-1) = Σ_{k: kd > den} (-1)^(n+k) C(n,k) (k d - den)^(n-1)   (right sum)
// The two are independent evaluations of the same number (their agreement is the §5.3 identity).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/errors.hpp"
#include "sector/bigint.hpp"
#include "sector/sector.hpp"

namespace probwasm::sector {
namespace {

struct Reduced {
  std::int64_t n, num, den;
};

Reduced check(const char* fn, std::int64_t n, std::int64_t num, std::int64_t den) {
  require(n >= 1, fn, "n", "be a positive integer", n);
  require(n <= 100000, fn, "n", "be at most 100000 (exact arithmetic)", n);
  require(den > 0, fn, "den", "be a positive integer", den);
  require(den <= (std::int64_t{1} << 40), fn, "den", "be at most 2^40", den);
  require(num > 0, fn, "num", "be a positive integer (θ = 2π num/den > 0)", num);
  require(num <= den, fn, "num", "be at most den (θ <= 2π), den = " + std::to_string(den) + ",", num);
  const std::int64_t g = std::gcd(num, den);
  return {n, num / g, den / g};
}

// p / q in lowest terms for q = den^(n-1): gcd(p, q) divides q, so only the primes of den can
// cancel; each is divided out (first by its largest power below 2^63) while it divides both.
Fraction reduce(BigNat p, BigNat q, std::int64_t den) {
  if (p.is_zero()) return {"0", "1"};
  std::uint64_t rest = static_cast<std::uint64_t>(den);
  for (std::uint64_t f = 2; rest > 1; f += (f == 2 ? 1 : 2)) {
    if (f * f > rest) f = rest;  // what is left is prime
    if (rest % f) continue;
    while (rest % f == 0) rest /= f;
    std::uint64_t fe = f;
    while (fe <= (std::uint64_t{1} << 63) / f) fe *= f;
    for (std::uint64_t step : {fe, f}) {
      for (;;) {
        BigNat p2 = p, q2 = q;
        if (p2.divmod(step) || q2.divmod(step)) break;
        p = std::move(p2);
        q = std::move(q2);
      }
    }
  }
  return {p.str(), q.str()};
}

}  // namespace

namespace {
// §5.3 left sum: P den^(n-1) = Σ_{kd < den} (-1)^(k-1) C(n,k) (den - kd)^(n-1).
Fraction left_sum(const Reduced& r) {
  const std::int64_t d = r.den - r.num;
  const std::uint64_t p = static_cast<std::uint64_t>(r.n - 1);
  BigNat plus, minus, binom(1);
  for (std::int64_t k = 1; k * d < r.den && k <= r.n; ++k) {
    binom *= static_cast<std::uint64_t>(r.n - k + 1);
    binom.divmod(static_cast<std::uint64_t>(k));  // exact: C(n,k) = C(n,k-1) (n-k+1) / k
    const BigNat term = binom * pow(static_cast<std::uint64_t>(r.den - k * d), p);
    (k % 2 ? plus : minus) += term;
  }
  plus -= minus;
  return reduce(std::move(plus), pow(static_cast<std::uint64_t>(r.den), p), r.den);
}

// §5.3 right sum: (1 - P) den^(n-1) = Σ_{kd > den} (-1)^(n+k) C(n,k) (kd - den)^(n-1).
Fraction right_sum(const Reduced& r) {
  const std::int64_t d = r.den - r.num;
  const std::uint64_t p = static_cast<std::uint64_t>(r.n - 1);
  BigNat plus, minus, binom(1);  // binom = C(n, k) for k from n down
  for (std::int64_t k = r.n; k * d > r.den; --k) {
    if (k < r.n) {
      binom *= static_cast<std::uint64_t>(k + 1);
      binom.divmod(static_cast<std::uint64_t>(r.n - k));  // exact: C(n,k) = C(n,k+1) (k+1) / (n-k)
    }
    const BigNat term = binom * pow(static_cast<std::uint64_t>(k * d - r.den), p);
    ((r.n + k) % 2 == 0 ? plus : minus) += term;
  }
  BigNat q = pow(static_cast<std::uint64_t>(r.den), p);
  BigNat num = q;  // P den^(n-1) = q - (plus - minus)
  num += minus;
  num -= plus;
  return reduce(std::move(num), std::move(q), r.den);
}
}  // namespace

Fraction probability_exact(std::int64_t n, std::int64_t num, std::int64_t den) {
  const Reduced r = check("sectorProbabilityExact", n, num, den);
  const std::int64_t d = r.den - r.num;
  if (r.n == 1 || d == 0 || r.n * d <= r.den) return {"1", "1"};  // θ >= 2π(n-1)/n
  // Both sums are exact; use the one with fewer terms (m = #{k: kd < den} on the left, n - m right).
  const std::int64_t m = (r.den - 1) / d;
  // Work ~ terms × digits: refuse what would run for minutes (n = 2000 with den = 2^40 is ~1e8).
  const double work = static_cast<double>(std::min(m, r.n - m)) * static_cast<double>(r.n) * std::log2(static_cast<double>(r.den) + 1);
  require(work <= 2e9, "sectorProbabilityExact", "n", "be small enough for exact arithmetic (terms × digits <= 2e9; use sectorProbability)", n);
  return m <= r.n - m ? left_sum(r) : right_sum(r);
}

Fraction probability_exact_left(std::int64_t n, std::int64_t num, std::int64_t den) {
  const Reduced r = check("sectorProbabilityExact", n, num, den);
  const std::int64_t d = r.den - r.num;
  if (r.n == 1 || d == 0 || r.n * d <= r.den) return {"1", "1"};
  return left_sum(r);
}

Fraction probability_exact_complementary(std::int64_t n, std::int64_t num, std::int64_t den) {
  const Reduced r = check("sectorProbabilityExact", n, num, den);
  const std::int64_t d = r.den - r.num;
  if (r.n == 1 || d == 0 || r.n * d <= r.den) return {"1", "1"};
  return right_sum(r);
}

}  // namespace probwasm::sector
