// Sector probability (post 5, kexue.fm/archives/9324; POSTS.md §5): n points uniform in a disc, the
// probability P_n(θ) that one sector of central angle θ holds them all, its complement, exact
// rationals, Monte Carlo, and the largest-gap quantities the page draws.
//
// Angle convention: θ is in radians and the full turn is the double 2π = 6.283185307179586
// (fl(2π), what 2 * Math.PI gives); the fraction of the circle is q = θ / fl(2π) evaluated exactly
// (double-double). So θ = Math.PI is exactly a semicircle and θ = 2 * Math.PI exactly the full
// circle; valid θ are 0 < θ <= fl(2π). Near the top breakpoint θ* = 2π(n-1)/n, which no double
// represents exactly, θ within 4 units of roundoff below θ* (q >= (n-1)/n · (1 - 2^-51)) counts as
// on it: P = 1 and 1 - P = 0 exactly there (the true 1 - P is then below (2^-51 n)^(n-1)).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace probwasm::sector {

// The largest n that evaluate() and the functions built on it accept (a RangeError beyond it). Each
// inclusion–exclusion term is a power (1 - kx)^(n-1) in double-double with relative error up to
// (n + 64)·2^-102, and a sum is accepted only when that keeps the result within 1e-15; at n ≈ 5.07e15
// no sum can pass and the saddle point would be used outside its domain (it returned 1 - P = 7e7).
// 2^52 leaves a margin of 12%: measured P, 1 - P in [0, 1] summing to 1 at 10^4 random n in [4.5e15, 2^52].
constexpr std::int64_t kMaxN = std::int64_t{1} << 52;  // 4503599627370496
// Monte Carlo and sample points: n points held at once (8 bytes each, 32-bit wasm memory), and the work
// cap n × trials of one sectorMonteCarlo call (~10 s in wasm at the cap).
constexpr std::int64_t kMaxPoints = 10000000;
constexpr double kMaxMonteCarloWork = 1e9;
// sectorBreakpoints returns at most this many angles.
constexpr std::int64_t kMaxBreakpoints = 10000000;

// P_n(θ) and 1 - P_n(θ) at the exact double θ, each to a relative error bound of ~1e-14 by design
// (sector.cpp); measured <= 4.1e-16 against mpmath at 452 points with n up to 10^4, native and wasm.
// Conditioning: dP/P = (n-1) dq/q for θ <= π, so a θ that is itself rounded (e.g. 2π·3/4 computed
// in floating point) moves P by up to ~n·1e-16 relative; the function is exact for the θ it is given.
struct Split {
  double probability = 0;  // P_n(θ)
  double complement = 0;   // 1 - P_n(θ)
  const char* method = ""; // which representation produced them (for tests and the bench)
};

// §5.3 boxed formula: P_n(θ) = Σ_k (-1)^(k-1) C(n,k) [(1 - k(1 - θ/2π))_+]^(n-1).
// `fn` is the public JS function named in error messages (sectorEvaluate, sectorCurve, …).
Split evaluate(std::int64_t n, double theta, const char* fn = "sectorEvaluate");
double probability(std::int64_t n, double theta);
// evaluate() on a grid of angles (sectorCurve); a bad angle is named thetas[i].
std::vector<Split> curve(std::int64_t n, const std::vector<double>& thetas);
double complement(std::int64_t n, double theta);
// 1 - P by the saddle-point integral alone (for tests: it must agree with the sums where both apply).
double complement_by_saddle(std::int64_t n, double theta);

// The largest of the n arcs cut by n uniform points on a circle, as a fraction g of the circle
// (§5.1 (a)): P(G <= g) = 1 - P_n(2π(1 - g)), for 0 <= g <= 1; both tails accurate.
Split largest_gap_tails(std::int64_t n, double g);  // probability = P(G > g), complement = P(G <= g)
// §5.3 [supplement]: E[G] = H_n / n.
double largest_gap_mean(std::int64_t n);
// §5.1 Wendel (1962) for d = 2: P_n(π) = n / 2^(n-1).
double wendel_semicircle(std::int64_t n);
// Breakpoints of the piecewise polynomial: θ_k = 2π(1 - 1/k), k = 2..n-1 (at most max_count).
std::vector<double> breakpoints(std::int64_t n, std::int64_t max_count);

// Exact P_n(2π num/den) as a reduced fraction of decimal strings (§5.3 in integer arithmetic).
struct Fraction {
  std::string numerator, denominator;
};
Fraction probability_exact(std::int64_t n, std::int64_t num, std::int64_t den);
// (probability_exact uses whichever of the two sums below has fewer terms.)
// The left sum Σ_{k: k x < 1} of §5.3, and the complementary (right-hand) sum 1 - Σ_{k: k x > 1}:
// two independent evaluations of the same number.
Fraction probability_exact_left(std::int64_t n, std::int64_t num, std::int64_t den);
Fraction probability_exact_complementary(std::int64_t n, std::int64_t num, std::int64_t den);

// Monte Carlo (§5.4): n points uniform in the unit disc (polar: φ = 2πU1, r = sqrt(U2); xoshiro256**
// seeded by splitmix64, identical in every build), the event "largest angular gap >= 2π - θ".
struct MonteCarlo {
  double estimate = 0, stderr_ = 0;
  std::int64_t trials = 0, hits = 0;
};
MonteCarlo monte_carlo(std::int64_t n, double theta, std::int64_t trials, std::uint64_t seed);

// n points uniform in the unit disc, interleaved x0 y0 x1 y1 … (the same generator as monte_carlo).
std::vector<double> sample_points(std::int64_t n, std::uint64_t seed);
// The smallest sector (apex at the centre) holding every point: angle = 2π - largest angular gap,
// starting at polar angle `start` and running counter-clockwise. Points at the centre are ignored.
struct Cover {
  double angle = 0, start = 0;
};
Cover smallest_covering_sector(const std::vector<double>& xy);

}  // namespace probwasm::sector
