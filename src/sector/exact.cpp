// Exact rational P_n(2π num/den) (POSTS §5.3) with Boost.Multiprecision cpp_int.
// With d = den - num, 1 - kx = (den - k d)/den, so
//   P · den^(n-1) = Σ_{k: kd < den} (-1)^(k-1) C(n,k) (den - k d)^(n-1)        (left sum)
//   (1 - P) · den^(n-1) = Σ_{k: kd > den} (-1)^(n+k) C(n,k) (k d - den)^(n-1)   (right sum)
// The two are independent evaluations of the same number (their agreement is the §5.3 identity).
#include <boost/multiprecision/cpp_int.hpp>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/errors.hpp"
#include "sector/sector.hpp"

namespace probwasm::sector {
namespace {

using boost::multiprecision::cpp_int;

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

Fraction reduce(cpp_int p, cpp_int q) {
  const cpp_int g = gcd(p, q);
  if (g != 0) {
    p /= g;
    q /= g;
  }
  return {p.str(), q.str()};
}

}  // namespace

namespace {
Fraction left_sum(const Reduced& r) {
  const std::int64_t d = r.den - r.num;
  const unsigned p = static_cast<unsigned>(r.n - 1);
  cpp_int sum = 0, binom = 1;
  for (std::int64_t k = 1; k * d < r.den && k <= r.n; ++k) {
    binom = binom * (r.n - k + 1) / k;
    const cpp_int term = binom * pow(cpp_int(r.den - k * d), p);
    if (k % 2) sum += term; else sum -= term;
  }
  return reduce(sum, pow(cpp_int(r.den), p));
}

Fraction right_sum(const Reduced& r) {
  const std::int64_t d = r.den - r.num;
  const unsigned p = static_cast<unsigned>(r.n - 1);
  cpp_int comp = 0, binom = 1;  // binom = C(n, k) for k from n down
  for (std::int64_t k = r.n; k * d > r.den; --k) {
    if (k < r.n) binom = binom * (k + 1) / (r.n - k);
    const cpp_int term = binom * pow(cpp_int(k * d - r.den), p);
    if ((r.n + k) % 2 == 0) comp += term; else comp -= term;
  }
  const cpp_int q = pow(cpp_int(r.den), p);
  return reduce(q - comp, q);
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
