#include "diffusion/su_ode.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "common/errors.hpp"
#include "common/prng.hpp"
#include "numeric_test.hpp"

using namespace probwasm::diffusion::su;
using probwasm::box_muller_cos;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {
// x₀ ~ N(μ, s²): the exact ε* (post 4 §4.7) at Su's level ᾱ (diffusers' ᾱ² passed in) is β̄(x − ᾱμ)/(ᾱ²s² + β̄²).
constexpr double kMu = 2.0, kS = 0.5;
void gaussian_eps(const double* x, std::size_t n, double abar2, double, double* out) {
  const double a = std::sqrt(abar2), b2 = -std::expm1(std::log(abar2));  // β̄² = 1 − ᾱ²
  for (std::size_t i = 0; i < n; ++i) out[i] = std::sqrt(b2) * (x[i] - a * kMu) / (abar2 * kS * kS + b2);
}
// The probability-flow map of Gaussian data is affine: x(s) = ᾱ(s)μ + σ(s)/σ(1)·(x(1) − ᾱ(1)μ), σ² = ᾱ²s² + β̄².
double exact_flow(BoundedTime time, double x1) {
  const double a1 = bounded_time_abar(time, 1.0);
  const double sig1 = std::sqrt(a1 * a1 * kS * kS + 1 - a1 * a1);
  return kMu + kS / sig1 * (x1 - a1 * kMu);
}
}  // namespace

TEST_CASE("Su's bounded-time schedules are e^{-5s²} and e^{-5s}, and meet at s = 0 and s = 1") {
  CHECK(bounded_time_abar(BoundedTime::linear, 0) == 1);
  CHECK(bounded_time_abar(BoundedTime::quadratic, 0) == 1);
  CHECK(close_rel(bounded_time_abar(BoundedTime::linear, 1), std::exp(-5.0), 2 * eps));
  CHECK(close_rel(bounded_time_abar(BoundedTime::quadratic, 0.25), bounded_time_abar(BoundedTime::linear, 0.5), 2 * eps));
}

TEST_CASE("the two velocities are the general form d(x/ᾱ)/ds = ε·d(β̄/ᾱ)/ds, checked by central differences") {
  // x' = (ᾱ'/ᾱ) x + ᾱ (β̄/ᾱ)' ε, with ᾱ' and (β̄/ᾱ)' by central differences (h = 1e-5: error ~ h² + eps/h ≈ 1e-10).
  for (BoundedTime time : {BoundedTime::linear, BoundedTime::quadratic}) {
    for (double s : {0.05, 0.3, 0.7, 1.0}) {
      const double h = 1e-5, x = 0.8, e = -0.3;
      auto abar = [&](double u) { return bounded_time_abar(time, u); };
      auto ratio = [&](double u) { return std::sqrt(1 - abar(u) * abar(u)) / abar(u); };
      const double da = (abar(s + h) - abar(s - h)) / (2 * h), dr = (ratio(s + h) - ratio(s - h)) / (2 * h);
      const double expect = da / abar(s) * x + abar(s) * dr * e;
      CHECK(std::fabs(bounded_time_velocity(time, s, x, e) - expect) <= 1e-7 * (1 + std::fabs(expect)));
    }
  }
}

TEST_CASE("integrating either ODE maps Gaussian noise onto N(μ, s²) along the exact affine flow; Heun converges at order 2") {
  for (BoundedTime time : {BoundedTime::linear, BoundedTime::quadratic}) {
    CAPTURE(int(time));
    const std::vector<double> x1 = {-1.5, 0.0, 0.7, 2.0};
    double prev_err = 0;
    for (int steps : {50, 100, 200}) {
      const auto x = bounded_time_sample(x1, time, steps, OdeMethod::heun, gaussian_eps);
      double err = 0;
      for (std::size_t i = 0; i < x.size(); ++i) err = std::fmax(err, std::fabs(x[i] - exact_flow(time, x1[i])));
      if (steps == 200) CHECK(err < 0.02);
      if (prev_err > 0 && time == BoundedTime::linear) CHECK(err < 0.5 * prev_err);  // halving h at least halves it
      prev_err = err;
    }
  }
  std::vector<double> traj;
  const auto x = bounded_time_sample({0.3}, BoundedTime::linear, 10, OdeMethod::euler, gaussian_eps, &traj);
  CHECK(traj.size() == 11);
  CHECK(traj.front() == 0.3);
  CHECK(traj.back() == x[0]);
  CHECK_THROWS_WITH_AS(bounded_time_sample({0.3}, BoundedTime::linear, 0, OdeMethod::euler, gaussian_eps),
                       "suOdeSample: steps must be an integer in [1, 100000], got 0", std::invalid_argument);
}

TEST_CASE("σ̂ sampling follows the linear-Gaussian variance recursion and ends above s² at few steps") {
  // Gaussian data and exact ε* = k(x − ᾱμ), k = β̄/(ᾱ²s² + β̄²), make each step affine: the deviation from the
  // mean is multiplied by g = (ᾱ_p/ᾱ)(1 − (β̄ − (ᾱ/ᾱ_p)√max(0, β̄_p² − σ̂²))k) and gains σ̂² of variance.  This
  // recursion, from Var x_T = 1, is the independent value; the sample variance of N draws has s.d. ≈ v√(2/N).
  const std::vector<double> abar = worked_schedule(1000);
  const std::vector<int> tau = tau_uniform(1000, 10);
  const std::size_t N = 4000;
  std::vector<double> xT(N);
  std::uint64_t st = 7;
  for (double& v : xT) v = box_muller_cos(probwasm::uniform_open(probwasm::splitmix64(st)), probwasm::uniform_open(probwasm::splitmix64(st)));
  auto eps_fn = [&](const double* x, std::size_t n, int t, double* out) { gaussian_eps(x, n, abar[t] * abar[t], 0, out); };
  const auto x0 = sample_sigma_hat(xT, tau, abar, eps_fn, 1);
  double var = 1;
  for (std::size_t i = tau.size(); i-- > 0;) {
    const double a = abar[tau[i]], ap = i == 0 ? 1.0 : abar[tau[i - 1]];
    const double b = std::sqrt(1 - a * a), bp = std::sqrt(1 - ap * ap);
    const double sig = sigma_hat(a, ap), k = b / (a * a * kS * kS + b * b);
    const double g = (ap / a) * (1 - (b - (a / ap) * std::sqrt(std::fmax(0.0, bp * bp - sig * sig))) * k);
    var = g * g * var + sig * sig;
  }
  const MeanSem m = mean_sem(x0);
  CHECK(std::fabs(m.sd * m.sd - var) <= 5 * var * std::sqrt(2.0 / N));
  CHECK(var > 1.05 * kS * kS);  // σ̂ at 10 steps: excess variance over s² = 0.25 (0.272 here)
  CHECK(sample_sigma_hat(xT, tau, abar, eps_fn, 1) == x0);  // seeded
  CHECK_THROWS_AS(mean_sem({1.0}), std::invalid_argument);
  const MeanSem k = mean_sem({1.0, 2.0, 3.0});
  CHECK(k.mean == 2.0);
  CHECK(k.sd == 1.0);
  CHECK(close_rel(k.sem, 1 / std::sqrt(3.0), 2 * eps));
}
