// The exact sector probability P_n(2π num/den) (post 5 §5.3) over fuzzed n, num, den: the left sum and
// the complementary sum are independent evaluations and must give the same reduced fraction, in [0, 1],
// and agree with the double-precision P_n(θ) to its stated accuracy; bad arguments are invalid_argument.
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <stdexcept>

#include "common.hpp"
#include "sector/sector.hpp"

namespace sc = probwasm::sector;
using boost::multiprecision::cpp_int;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  const auto n = static_cast<std::int64_t>(in.u(1) % 66) - 2;         // -2 … 63: invalid ones included
  const auto den = static_cast<std::int64_t>(in.u(2) % 1000) - 1;     // -1 … 998
  const auto num = static_cast<std::int64_t>(in.u(2) % 1003) - 2;     // -2 … 1000 (may exceed den)
  sc::Fraction p;
  try {
    p = sc::probability_exact(n, num, den);
  } catch (const std::invalid_argument&) {
    FUZZ_CHECK(n < 1 || den < 1 || num < 1 || num > den);
    return 0;
  }
  FUZZ_CHECK(n >= 1 && den >= 1 && num >= 1 && num <= den);
  const sc::Fraction left = sc::probability_exact_left(n, num, den);
  const sc::Fraction right = sc::probability_exact_complementary(n, num, den);
  FUZZ_CHECK(left.numerator == right.numerator && left.denominator == right.denominator);
  FUZZ_CHECK(p.numerator == left.numerator && p.denominator == left.denominator);
  const cpp_int a(p.numerator), b(p.denominator);
  FUZZ_CHECK(b > 0 && a >= 0 && a <= b);
  FUZZ_CHECK(gcd(a, b) == 1);
  // against the floating-point path at the double nearest θ = 2π num/den: |ΔP| ≤ 1e-9 is far above the
  // roundoff of both, far below any error in the sums
  const double theta = 2 * M_PI * static_cast<double>(num) / static_cast<double>(den);
  if (num < den) {
    const double pf = sc::probability(n, theta);
    const double pe = static_cast<double>(cpp_int(a * cpp_int(1000000000000LL) / b)) * 1e-12;
    FUZZ_CHECK(std::fabs(pf - pe) <= 1e-9 + 1e-6 * pf);
  }
  return 0;
}
