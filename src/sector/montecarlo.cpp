// Monte Carlo for P_n(θ) (POSTS §5.4) and the point sets the page draws.
// A point uniform in the unit disc is drawn in polar form: angle φ = 2π U1, radius r = sqrt(U2)
// (area element r dr dφ). Only φ decides membership of a sector (§5.1), so the Monte Carlo draws the
// same (U1, U2) pairs as sample_points — the very points the page shows — but skips the sqrt, sin and
// cos it does not need. The event "some sector of angle θ holds every point" is "the largest
// angular gap is at least 2π - θ" (§5.1 (a)).
// PRNG: xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64; uniform doubles from the top
// 53 bits. Integer arithmetic only, so node, browsers and the native build give identical streams.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "common/errors.hpp"
#include "common/prng.hpp"
#include "sector/sector.hpp"

namespace probwasm::sector {
namespace {

constexpr double kTwoPi = 6.283185307179586;

// The shared xoshiro256** (common/prng.hpp) with this topic's mapping: uniforms on [0, 1).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  double uniform() { return uniform_half_open(g_.next()); }  // [0, 1)
  // One point of the disc as (angle in [0, 2π), U2); radius = sqrt(U2).
  double angle(double& u2) {
    const double phi = kTwoPi * uniform();
    u2 = uniform();
    return phi;
  }

 private:
  Prng g_;
};

// Largest gap between consecutive sorted angles on the circle, and where the arc after it starts.
double largest_gap(std::vector<double>& a, double* start) {
  if (a.size() < 2) {
    if (start) *start = a.empty() ? 0 : a[0];
    return a.empty() ? kTwoPi : kTwoPi;
  }
  if (a.size() <= 24) {
    for (std::size_t i = 1; i < a.size(); ++i)  // insertion sort: fastest for the small n of the page
      for (std::size_t j = i; j > 0 && a[j - 1] > a[j]; --j) std::swap(a[j - 1], a[j]);
  } else {
    std::sort(a.begin(), a.end());
  }
  double best = a.front() + kTwoPi - a.back();
  std::size_t after = 0;
  for (std::size_t i = 1; i < a.size(); ++i) {
    const double g = a[i] - a[i - 1];
    if (g > best) {
      best = g;
      after = i;
    }
  }
  if (start) *start = a[after];
  return best;
}

}  // namespace

MonteCarlo monte_carlo(std::int64_t n, double theta, std::int64_t trials, std::uint64_t seed) {
  const char* fn = "sectorMonteCarlo";
  require(n >= 1, fn, "n", "be a positive integer", n);
  require(n <= kMaxPoints, fn, "n", "be at most 1e7 (the points of one trial are held in memory)", n);
  require(theta > 0 && theta <= kTwoPi, fn, "theta", "be in (0, 2π] radians", theta);
  require(trials >= 1, fn, "trials", "be a positive integer", trials);
  require(static_cast<double>(n) * static_cast<double>(trials) <= kMaxMonteCarloWork, fn, "n × trials",
          "be at most the work cap 1e9 (split the run into several seeds)", static_cast<double>(n) * static_cast<double>(trials));
  Rng rng(seed);
  std::vector<double> a(static_cast<std::size_t>(n));
  const double need = kTwoPi - theta;
  std::int64_t hits = 0;
  for (std::int64_t t = 0; t < trials; ++t) {
    for (auto& ai : a) {
      double u2;
      ai = rng.angle(u2);
    }
    if (largest_gap(a, nullptr) >= need) ++hits;
  }
  MonteCarlo r;
  r.trials = trials;
  r.hits = hits;
  r.estimate = static_cast<double>(hits) / static_cast<double>(trials);
  r.stderr_ = std::sqrt(r.estimate * (1 - r.estimate) / static_cast<double>(trials));
  return r;
}

std::vector<double> sample_points(std::int64_t n, std::uint64_t seed) {
  require(n >= 1 && n <= kMaxPoints, "sectorSamplePoints", "n", "be an integer in [1, 1e7]", n);
  Rng rng(seed);
  std::vector<double> xy(static_cast<std::size_t>(2 * n));
  for (std::int64_t i = 0; i < n; ++i) {
    double u2;
    const double phi = rng.angle(u2), r = std::sqrt(u2);
    xy[2 * i] = r * std::cos(phi);
    xy[2 * i + 1] = r * std::sin(phi);
  }
  return xy;
}

Cover smallest_covering_sector(const std::vector<double>& xy) {
  const char* fn = "sectorCoveringSector";
  require(!xy.empty(), fn, "points", "hold at least one point (x0, y0, x1, y1, …)", "an empty array");
  require(xy.size() % 2 == 0, fn, "points.length", "be even (x0, y0, x1, y1, …)", xy.size());
  std::vector<double> a;
  for (std::size_t i = 0; i < xy.size(); i += 2) {
    require(std::isfinite(xy[i]), fn, indexed("points", i), "be finite", xy[i]);
    require(std::isfinite(xy[i + 1]), fn, indexed("points", i + 1), "be finite", xy[i + 1]);
    if (xy[i] != 0 || xy[i + 1] != 0) a.push_back(std::atan2(xy[i + 1], xy[i]));
  }
  Cover c;
  if (a.empty()) return c;
  const double gap = largest_gap(a, &c.start);
  c.angle = a.size() < 2 ? 0 : std::max(0.0, kTwoPi - gap);
  return c;
}

}  // namespace probwasm::sector
