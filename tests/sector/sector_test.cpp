// Post 5 (sector probability). References derived independently of src/sector:
//  * exact rationals in cpp_int by the complementary sum, and the §5.4 table (hand-checked values);
//  * the §5.3 polynomial identity evaluated exactly over the whole polynomial;
//  * mpmath values at the exact double θ with precision sized from the cancellation
//    (tests/sector/reference.py → reference_values.hpp);
//  * Wendel's theorem, the closed form for θ <= π, the one-term complement next to θ*,
//    and Monte Carlo.
#include "sector/sector.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "numeric_test.hpp"
#include "reference_values.hpp"

using namespace probwasm::sector;
using probwasm::testing::close_rel;
using probwasm::testing::eps;
using boost::multiprecision::cpp_int;
using Big = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<60>>;

namespace {
constexpr double kTwoPi = 6.283185307179586;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Accuracy budget (sector.cpp): each direct sum is accepted at <= 1e-15, the saddle integral is
// converged to 1e-15 and its prefactor is double-double; the final rounding adds 1/2 ulp. A few
// roundings on top: 64 eps (1.4e-14) is a strict yet honest bound, far inside the 1e-12 target.
constexpr double kTol = 64 * eps;

double to_double(const Fraction& f) {
  return static_cast<double>(Big(cpp_int(f.numerator)) / Big(cpp_int(f.denominator)));
}
std::string str(const Fraction& f) { return f.numerator + "/" + f.denominator; }

// Inside the documented snap band below θ* = 2π(n-1)/n, P is 1 by convention.
bool in_snap_band(long long n, double theta) {
  return n >= 2 && static_cast<double>(n) * (kTwoPi - theta) - kTwoPi <= 4 * 0x1p-53 * (n - 1) * kTwoPi * 1.01;
}
}  // namespace

TEST_CASE("the exact probabilities reproduce the table of POSTS §5.4 (four ducks: 1/2)") {
  // rows n = 2..6, columns θ/2π = 1/4, 1/2, 2/3, 3/4, 5/6
  const int q[5][2] = {{1, 4}, {1, 2}, {2, 3}, {3, 4}, {5, 6}};
  const char* table[5][5] = {{"1/2", "1/1", "1/1", "1/1", "1/1"},
                             {"3/16", "3/4", "1/1", "1/1", "1/1"},
                             {"1/16", "1/2", "26/27", "1/1", "1/1"},
                             {"5/256", "5/16", "70/81", "255/256", "1/1"},
                             {"3/512", "3/16", "59/81", "499/512", "1/1"}};
  for (int n = 2; n <= 6; ++n)
    for (int c = 0; c < 5; ++c) {
      INFO("n = " << n << ", θ/2π = " << q[c][0] << "/" << q[c][1]);
      CHECK(str(probability_exact(n, q[c][0], q[c][1])) == table[n - 2][c]);
      CHECK(str(probability_exact_left(n, q[c][0], q[c][1])) == table[n - 2][c]);
      CHECK(str(probability_exact_complementary(n, q[c][0], q[c][1])) == table[n - 2][c]);
    }
  CHECK(str(probability_exact(4, 1, 2)) == "1/2");
  CHECK(str(probability_exact(4, 2, 4)) == "1/2");  // num/den need not be reduced
}

TEST_CASE("the exact left and right sums agree for many n and rational angles, n up to 2000") {
  for (long long n : {2, 3, 7, 10, 31, 64, 150, 400})
    for (int den : {7, 12, 60, 97})
      for (int num = 1; num <= den; num += (den > 20 ? 5 : 1)) {
        INFO("n = " << n << ", θ/2π = " << num << "/" << den);
        const std::string left = str(probability_exact_left(n, num, den));
        CHECK(left == str(probability_exact_complementary(n, num, den)));
        CHECK(left == str(probability_exact(n, num, den)));
      }
  const Fraction a = probability_exact_left(2000, 997, 1000), b = probability_exact_complementary(2000, 997, 1000);
  CHECK(str(a) == str(b));
  CHECK(a.denominator.size() > 100);  // a genuine many-digit fraction, not a shortcut to 1
}

TEST_CASE("the §5.3 polynomial identity: the full sum over k = 1..n is 1 for every x, exactly") {
  // Σ_k (-1)^(k-1) C(n,k) (1 - kx)^(n-1) = 1 with x = a/b, including x > 1/n (θ < 2π/n),
  // where most bases are negative: the identity is algebraic, not the pigeonhole statement.
  for (int n = 1; n <= 40; n += 3)
    for (const auto& ab : std::vector<std::pair<int, int>>{{1, 3}, {2, 7}, {9, 10}, {1, 100}, {37, 40}}) {
      const int a = ab.first, b = ab.second;
      cpp_int sum = 0, binom = 1;
      for (int k = 1; k <= n; ++k) {
        binom = binom * (n - k + 1) / k;
        const cpp_int t = binom * pow(cpp_int(b - k * a), n - 1);
        sum += (k % 2) ? t : cpp_int(-t);
      }
      INFO("n = " << n << ", x = " << a << "/" << b);
      CHECK(sum == pow(cpp_int(b), n - 1));
    }
}

TEST_CASE("P and 1 - P match high-precision references at the exact double θ (grid to n = 10^4, random n <= 2500)") {
  double worst = 0;
  int checked = 0;
  std::vector<SectorRef> refs(std::begin(kSectorRefs), std::end(kSectorRefs));
  refs.insert(refs.end(), std::begin(kSectorRandomRefs), std::end(kSectorRandomRefs));
  for (const auto& r : refs) {
    const Split s = evaluate(r.n, r.theta);
    INFO("n = " << r.n << ", θ = " << r.theta << " (" << s.method << "): P = " << s.probability << " vs "
                << r.p << ", 1-P = " << s.complement << " vs " << r.q);
    if (in_snap_band(r.n, r.theta)) {
      CHECK(s.probability == 1);
      CHECK(s.complement == 0);
      CHECK(r.q <= std::pow(4 * 0x1p-53 * r.n, r.n - 1));  // what the snap discards
      continue;
    }
    for (auto [got, want] : {std::pair{s.probability, r.p}, std::pair{s.complement, r.q}}) {
      if (want >= 1e-300) {
        CHECK(close_rel(got, want, kTol));
        worst = std::max(worst, std::fabs(got - want) / want);
      } else {
        CHECK(std::fabs(got - want) <= 1e-310);  // subnormal or zero: absolute
      }
    }
    ++checked;
  }
  MESSAGE("worst relative error over " << checked << " reference points: " << worst);
  CHECK(checked > 400);
}

TEST_CASE("P agrees with exact rationals at angles that are exact doubles, n up to 2000") {
  // θ = fl(2π)·num/2^j with num <= 7 is an exact double, so q = θ/fl(2π) = num/2^j exactly.
  for (long long n : {2, 5, 13, 40, 77, 150, 333, 1000, 2000})
    for (const auto& nd : std::vector<std::pair<int, int>>{{1, 2}, {5, 8}, {3, 4}, {7, 8}, {7, 16}, {3, 32}}) {
      const int num = nd.first, den = nd.second;
      const double theta = kTwoPi * num / den;
      const double p = to_double(probability_exact(n, num, den));
      const Split s = evaluate(n, theta);
      INFO("n = " << n << ", θ/2π = " << num << "/" << den << " (" << s.method << ")");
      if (p >= 1e-300) CHECK(close_rel(s.probability, p, kTol));
      else CHECK(s.probability <= 1e-300);
      const Big qb = Big(1) - Big(cpp_int(probability_exact(n, num, den).numerator)) /
                                  Big(cpp_int(probability_exact(n, num, den).denominator));
      const double q = static_cast<double>(qb);
      if (q >= 1e-300) CHECK(close_rel(s.complement, q, kTol));
    }
}

TEST_CASE("θ <= π is the closed form n (θ/2π)^(n-1), and θ = π is Wendel's n / 2^(n-1)") {
  for (long long n : {1, 2, 3, 4, 10, 100, 1000, 1074, 5000}) {
    INFO("n = " << n);
    CHECK(close_rel(probability(n, M_PI), wendel_semicircle(n), 4 * eps));
    CHECK(wendel_semicircle(n) == std::ldexp(static_cast<double>(n), static_cast<int>(1 - n)));
  }
  CHECK(probability(4, M_PI) == 0.5);  // four ducks
  CHECK(complement(4, M_PI) == 0.5);
  CHECK(probability(2, M_PI) == 1);    // n = 2: θ* = π
  CHECK(complement(2, M_PI) == 0);
  // P underflows gracefully: 10^4 (1/4)^9999 ~ 1e-6016 → 0, 1 - P = 1.
  CHECK(probability(10000, M_PI / 2) == 0);
  CHECK(complement(10000, M_PI / 2) == 1);
  // a subnormal result keeps its leading digits: 2000 · (1/2)^1999
  CHECK(close_rel(probability(2000, M_PI), std::ldexp(2000.0, -1999), 1e-3));
}

TEST_CASE("just past θ*, 1 - P is the single term (n x - 1)^(n-1), even far below 1e-300") {
  // x = 1/n + δ with 1/(n-1) > x: only k = n has a negative base. Reference in 60-digit arithmetic.
  for (long long n : {3, 10, 100, 1000, 10000, 100000})
    for (double d : {1e-3, 1e-6, 1e-9}) {
      const double theta = kTwoPi * (1 - (1.0 / n) * (1 + d));
      const Big x = 1 - Big(theta) / Big(kTwoPi);
      const Big want = pow(Big(n) * x - 1, n - 1);
      const Split s = evaluate(n, theta);
      INFO("n = " << n << ", δ = " << d << " (" << s.method << ")");
      if (want >= 1e-300) CHECK(close_rel(s.complement, static_cast<double>(want), kTol));
      else CHECK(s.complement <= 1e-300);
      CHECK(s.probability == (want < 1e-17 ? 1.0 : s.probability));
    }
}

TEST_CASE("P + (1 - P) = 1, and both are monotone in θ and in n") {
  for (long long n : {2, 3, 8, 50, 300, 3000, 10000, 100000}) {
    double prev_p = 0, prev_q = 2;
    for (int i = 1; i <= 200; ++i) {
      const double theta = kTwoPi * i / 200;
      const Split s = evaluate(n, theta);
      INFO("n = " << n << ", θ = " << theta);
      CHECK(std::fabs(s.probability + s.complement - 1) <= 2 * eps);
      CHECK(s.probability >= prev_p);
      CHECK(s.complement <= prev_q);
      prev_p = s.probability;
      prev_q = s.complement;
    }
  }
  // decreasing in n: more points are harder to cover
  for (double theta : {1.0, 3.0, 4.5, 5.5, 6.0, 6.2}) {
    double prev = 2;
    for (long long n = 1; n <= 4000; n = n < 10 ? n + 1 : n * 3 / 2) {
      const double p = probability(n, theta);
      INFO("θ = " << theta << ", n = " << n);
      CHECK(p <= prev);
      prev = p;
    }
  }
}

TEST_CASE("the saddle-point integral agrees with the direct sums wherever they are accepted") {
  // The saddle representation is exact mathematics for every x; here it is checked against the
  // left/right sums (and vice versa) across the transition region x = c/n, 1 < c < 12.
  int compared = 0;
  for (long long n : {40, 100, 300, 1000, 3000})
    for (double c = 1.05; c < 12; c *= 1.15) {
      const double theta = kTwoPi * (1 - c / n);
      const Split s = evaluate(n, theta);
      const double q = complement_by_saddle(n, theta);
      INFO("n = " << n << ", x = " << c << "/n (" << s.method << "): " << s.complement << " vs saddle " << q);
      if (s.complement < 1e-300) continue;
      CHECK(close_rel(q, s.complement, kTol));
      ++compared;
    }
  CHECK(compared > 60);
}

TEST_CASE("large n: every representation agrees where two of them apply, up to n = 10^5") {
  // The saddle integral (complement) against the direct right sum near θ* and the closed form
  // continuation: compare a sweep of θ for consistency of the method switch (no jumps).
  for (long long n : {500, 10000, 100000}) {
    double prev = -1;
    for (int i = 0; i <= 400; ++i) {
      const double c = 1.0 + 0.02 * i;  // x = c/n
      const double theta = kTwoPi * (1 - c / n);
      const double lq = std::log(evaluate(n, theta).complement);
      INFO("n = " << n << ", x = " << c << "/n");
      if (prev != -1 && std::isfinite(lq) && std::isfinite(prev)) CHECK(lq >= prev);  // 1-P grows with x
      prev = lq;
    }
  }
}

TEST_CASE("the largest gap: tails through evaluate, and the mean H_n / n") {
  CHECK(largest_gap_mean(1) == 1);
  CHECK(close_rel(largest_gap_mean(2), 0.75, eps));
  CHECK(close_rel(largest_gap_mean(4), (1 + 0.5 + 1.0 / 3 + 0.25) / 4, 2 * eps));
  // E[G] = ∫_0^1 P(G > g) dg, by Gauss–Legendre on each polynomial piece [1/k, 1/(k-1)]
  for (long long n : {3, 6, 12}) {
    const double xg[3] = {-0.7745966692414834, 0, 0.7745966692414834}, wg[3] = {5.0 / 9, 8.0 / 9, 5.0 / 9};
    // pieces are polynomials of degree n-1 <= 11: 6 points per piece are exact
    const double x6[6] = {-0.9324695142031521, -0.6612093864662645, -0.2386191860831969,
                          0.2386191860831969, 0.6612093864662645, 0.9324695142031521};
    const double w6[6] = {0.1713244923791704, 0.3607615730481386, 0.4679139345726910,
                          0.4679139345726910, 0.3607615730481386, 0.1713244923791704};
    (void)xg;
    (void)wg;
    double integral = 0;
    for (long long k = n; k >= 1; --k) {
      const double a = 1.0 / (k + 1 > n ? 1e300 : k + 1), lo = (k == n ? 0 : 1.0 / (k + 1)), hi = 1.0 / k;
      (void)a;
      for (int i = 0; i < 6; ++i) {
        const double g = lo + (hi - lo) * (x6[i] + 1) / 2;
        integral += (hi - lo) / 2 * w6[i] * largest_gap_tails(n, g).probability;
      }
    }
    INFO("n = " << n);
    CHECK(close_rel(integral, largest_gap_mean(n), 1e-13));
  }
  const Split s = largest_gap_tails(5, 0.25);  // x = 1/4: P_5 at θ = 3π/2 is 255/256
  CHECK(close_rel(s.probability, 255.0 / 256, 4 * eps));
  CHECK(close_rel(s.complement, 1.0 / 256, 16 * eps));
}

TEST_CASE("Monte Carlo lies within 4 standard errors of the exact value and is reproducible") {
  struct Case {
    long long n;
    double theta;
  };
  for (const Case c : {Case{4, M_PI}, Case{4, 4 * M_PI / 3}, Case{5, 3 * M_PI / 2}, Case{7, 5 * M_PI / 3},
                       Case{30, 5.6}, Case{1, 0.1}}) {
    const MonteCarlo mc = monte_carlo(c.n, c.theta, 200000, 12345);
    const double p = probability(c.n, c.theta);
    INFO("n = " << c.n << ", θ = " << c.theta << ": " << mc.estimate << " ± " << mc.stderr_ << " vs " << p);
    CHECK(std::fabs(mc.estimate - p) <= 4 * std::max(mc.stderr_, std::sqrt(p * (1 - p) / mc.trials)) + 1e-12);
    CHECK(mc.trials == 200000);
  }
  const MonteCarlo a = monte_carlo(4, M_PI, 1000, 7), b = monte_carlo(4, M_PI, 1000, 7), c = monte_carlo(4, M_PI, 1000, 8);
  CHECK(a.hits == b.hits);
  (void)c;
  CHECK(sample_points(5, 7) != sample_points(5, 8));
  // The stream is fixed by xoshiro256** + splitmix64: the first point for seed 1 never changes.
  const auto pts = sample_points(3, 1);
  REQUIRE(pts.size() == 6);
  for (std::size_t i = 0; i < 6; i += 2) CHECK(pts[i] * pts[i] + pts[i + 1] * pts[i + 1] < 1);
  CHECK(sample_points(3, 1) == pts);
}

TEST_CASE("the smallest covering sector of a point set") {
  // points at 0°, 90°, 180°: the largest gap is 180° → cover 180°, starting at 0°
  const Cover c = smallest_covering_sector({1, 0, 0, 0.5, -0.25, 0});
  CHECK(close_rel(c.angle, M_PI, 2 * eps));
  CHECK(c.start == 0);
  const Cover one = smallest_covering_sector({0.3, 0.4});
  CHECK(one.angle == 0);
  CHECK_THROWS_AS(smallest_covering_sector({}), std::invalid_argument);  // no point: no sector to speak of
  CHECK(smallest_covering_sector({0, 0, 0.5, 0.5}).angle == 0);  // the centre has no angle
  // a wrap-around cluster: -10°, 10°, 20° → 30°, starting at -10°
  auto pt = [](double deg) { return std::vector<double>{std::cos(deg * M_PI / 180), std::sin(deg * M_PI / 180)}; };
  std::vector<double> xy;
  for (double d : {10.0, -10.0, 20.0}) for (double v : pt(d)) xy.push_back(v);
  const Cover w = smallest_covering_sector(xy);
  CHECK(close_rel(w.angle, 30 * M_PI / 180, 64 * eps));
  CHECK(close_rel(w.start, -10 * M_PI / 180, 64 * eps));
  CHECK_THROWS_AS(smallest_covering_sector({1, 2, 3}), std::invalid_argument);
  CHECK_THROWS_AS(smallest_covering_sector({1, kNaN}), std::invalid_argument);
}

TEST_CASE("bad inputs throw std::invalid_argument naming the function, parameter and value") {
  auto message = [](auto f) {
    try {
      f();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no throw");
  };
  CHECK(message([] { probability(0, 1); }) == "sectorProbability: n must be a positive integer, got 0");
  CHECK(message([] { complement(-3, 1); }).find("sectorComplement: n") == 0);
  CHECK(message([] { probability(3, 0); }).find("theta must be in (0, 2π] radians, got 0") != std::string::npos);
  CHECK(message([] { probability(3, -1); }).find("got -1") != std::string::npos);
  CHECK(message([] { probability(3, 7); }).find("got 7") != std::string::npos);
  CHECK(message([] { probability(3, 6.2831853071795871); }).find("theta") != std::string::npos);  // next double above 2π
  CHECK(message([] { probability(3, kNaN); }).find("got NaN") != std::string::npos);
  CHECK(message([] { probability_exact(3, 1, 0); }).find("sectorProbabilityExact: den") == 0);
  CHECK(message([] { probability_exact(3, 1, -2); }).find("den") != std::string::npos);
  CHECK(message([] { probability_exact(3, 0, 2); }).find("num") != std::string::npos);
  CHECK(message([] { probability_exact(3, 3, 2); }).find("num") != std::string::npos);
  CHECK(message([] { probability_exact(100000, 99990, 100000); }).find("exact arithmetic") != std::string::npos);
  CHECK(message([] { monte_carlo(3, 1, 0, 1); }) == "sectorMonteCarlo: trials must be a positive integer, got 0");
  CHECK(message([] { monte_carlo(3, kNaN, 10, 1); }).find("theta") != std::string::npos);
  CHECK(probability(3, kTwoPi) == 1);  // θ = 2π itself is valid
  CHECK(message([] { evaluate(3, 0, "sectorCurve"); }).find("sectorCurve: theta") == 0);
  CHECK(message([] { curve(3, {1, 2, -1}); }) == "sectorCurve: thetas[2] must be in (0, 2π] radians, got -1");
  CHECK(message([] { breakpoints(10, kMaxBreakpoints + 1); }).find("sectorBreakpoints: maxCount") == 0);
}

TEST_CASE("n is accepted up to the accuracy bound 2^52 and rejected beyond it; P and 1 - P stay in [0, 1] and sum to 1") {
  // Beyond ~5.07e15 the double-double terms' error bound (n + 64)·2^-102 exceeds the 1e-15 acceptance test
  // and the result was garbage (P = -7.2e7 at n = 5225686709463028); 2^52 is the stated bound.
  CHECK_THROWS_AS(probability(kMaxN + 1, 6.28), std::invalid_argument);
  CHECK_THROWS_AS(complement(5225686709463028, 6.28), std::invalid_argument);
  CHECK_THROWS_AS(evaluate(kMaxN + 1, 4), std::invalid_argument);
  CHECK_THROWS_AS(largest_gap_tails(kMaxN + 1, 0.5), std::invalid_argument);
  // the largest accepted n, and a spread of n just below it, over angles across (0, 2π]: θ = 2π(1 - x), x log-spaced
  for (std::int64_t n : {kMaxN, kMaxN - 1, kMaxN - 12345, std::int64_t{4000000000000000}, std::int64_t{1} << 40}) {
    CAPTURE(n);
    for (double lx = std::log(0.999); lx > std::log(0.5 / static_cast<double>(n)); lx -= 0.05) {
      const double theta = kTwoPi * (1 - std::exp(lx));
      CAPTURE(theta);
      const Split s = evaluate(n, theta);
      CHECK(s.probability >= 0);
      CHECK(s.probability <= 1);
      CHECK(s.complement >= 0);
      CHECK(s.complement <= 1);
      CHECK(std::fabs(s.probability + s.complement - 1) <= 0x1p-52);
    }
  }
  // the other n-only functions take every n: H_n / n and Wendel's n / 2^(n-1) have no accuracy limit
  CHECK(largest_gap_mean(9007199254740991) > 0);
  CHECK(wendel_semicircle(9007199254740991) == 0);
}

TEST_CASE("Monte Carlo and the point sets are bounded before allocating: n <= 1e7 and the work cap n × trials <= 1e9") {
  auto message = [](auto f) {
    try {
      f();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no throw");
  };
  // 2^32 + 3 points: a 32-bit size_t would have read 3
  CHECK(message([] { monte_carlo(4294967299, 3, 1, 1); }).find("sectorMonteCarlo: n must be at most 1e7") == 0);
  CHECK(message([] { monte_carlo(4, 3, 2147483648, 1); }).find("sectorMonteCarlo: n × trials must be at most the work cap 1e9") == 0);
  CHECK(message([] { sample_points(kMaxPoints + 1, 1); }).find("sectorSamplePoints: n") == 0);
}
