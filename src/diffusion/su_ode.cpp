#include "diffusion/su_ode.hpp"

#include <cmath>
#include <string>

#include "common/errors.hpp"
#include "common/prng.hpp"

namespace probwasm::diffusion::su {

BoundedTime parse_bounded_time(const char* fn, const std::string& name) {
  if (name == "linear") return BoundedTime::linear;
  if (name == "quadratic") return BoundedTime::quadratic;
  throw type_error(std::string(fn) + ": time must be 'linear' or 'quadratic', got " + format_value(name));
}

// Post 4 §4.6: ᾱ_t ≈ e^{−5t²/T²} with s = t/T or s = t²/T².
double bounded_time_abar(BoundedTime time, double s) {
  return time == BoundedTime::linear ? std::exp(-5 * s * s) : std::exp(-5 * s);
}

// Post 4 §4.6's two ODEs; β̄ = √(1 − ᾱ²) through expm1 so that small s keeps its digits.
double bounded_time_velocity(BoundedTime time, double s, double x, double eps) {
  if (time == BoundedTime::linear) {
    const double bbar = std::sqrt(-std::expm1(-10 * s * s));
    return 10 * s * (eps / bbar - x);
  }
  const double bbar = std::sqrt(-std::expm1(-10 * s));
  return 5 * (eps / bbar - x);
}

std::vector<double> bounded_time_sample(const std::vector<double>& xT, BoundedTime time, int steps, OdeMethod method,
                                        const EpsAtFn& eps, std::vector<double>* trajectory, const char* fn) {
  require(steps >= 1 && steps <= 100000, fn, "steps", "be an integer in [1, 100000]", steps);
  for (std::size_t i = 0; i < xT.size(); ++i)
    require(std::isfinite(xT[i]), fn, indexed("x", i), "be finite", xT[i]);
  const std::size_t n = xT.size();
  std::vector<double> x = xT, e(n), v1(n), x1(n);
  if (trajectory) {
    trajectory->clear();
    trajectory->insert(trajectory->end(), x.begin(), x.end());
  }
  // Velocity field at (x, s): ε from the model at ᾱ(s)² and model time t/T (= s, or √s for s = t²/T²).
  auto velocity = [&](const std::vector<double>& at, double s, std::vector<double>& out) {
    const double a = bounded_time_abar(time, s);
    eps(at.data(), n, a * a, time == BoundedTime::linear ? s : std::sqrt(s), e.data());
    for (std::size_t i = 0; i < n; ++i) out[i] = bounded_time_velocity(time, s, at[i], e[i]);
  };
  const double h = 1.0 / steps;
  for (int k = 0; k < steps; ++k) {
    const double s0 = 1.0 - k * h, s1 = k + 1 == steps ? 0.0 : 1.0 - (k + 1) * h;
    velocity(x, s0, v1);
    if (method == OdeMethod::heun && s1 > 0) {
      for (std::size_t i = 0; i < n; ++i) x1[i] = x[i] + (s1 - s0) * v1[i];
      std::vector<double> v2(n);
      velocity(x1, s1, v2);
      for (std::size_t i = 0; i < n; ++i) x[i] += (s1 - s0) * 0.5 * (v1[i] + v2[i]);
    } else {
      for (std::size_t i = 0; i < n; ++i) x[i] += (s1 - s0) * v1[i];
    }
    if (trajectory) trajectory->insert(trajectory->end(), x.begin(), x.end());
  }
  return x;
}

std::vector<double> sample_sigma_hat(const std::vector<double>& xT, const std::vector<int>& tau,
                                     const std::vector<double>& abar, const EpsFn& eps, double seed) {
  const char* fn = "sigmaHatSample";
  require(!tau.empty(), fn, "tau.length", "be at least 1", 0);
  require(std::isfinite(seed) && seed >= 0 && seed == std::floor(seed), fn, "seed", "be a non-negative integer", seed);
  const int T = int(abar.size()) - 1;
  for (std::size_t i = 0; i < tau.size(); ++i)
    require(tau[i] >= 1 && tau[i] <= T && (i == 0 || tau[i] > tau[i - 1]), fn, indexed("tau", i),
            "increase within [1, " + std::to_string(T) + "]", tau[i]);
  const std::size_t n = xT.size();
  std::vector<double> x = xT, e(n), z(n), out(n);
  std::uint64_t state = splitmix64_hash(std::uint64_t(seed) ^ 0x51D0A7ULL);
  for (std::size_t i = tau.size(); i-- > 0;) {
    const int t = tau[i], prev = i == 0 ? 0 : tau[i - 1];
    eps(x.data(), n, t, e.data());
    for (std::size_t j = 0; j < n; ++j) {
      const double u1 = uniform_open(splitmix64(state)), u2 = uniform_open(splitmix64(state));
      z[j] = box_muller_cos(u1, u2);
    }
    generalized_step(x.data(), e.data(), z.data(), n, abar[t], abar[prev], sigma_hat(abar[t], abar[prev]), out.data());
    x.swap(out);
  }
  return x;
}

MeanSem mean_sem(const std::vector<double>& v, const char* fn) {
  require(v.size() >= 2, fn, "values.length", "be at least 2", double(v.size()));
  double m = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    require(std::isfinite(v[i]), fn, indexed("values", i), "be finite", v[i]);
    m += v[i];
  }
  m /= double(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  const double sd = std::sqrt(ss / double(v.size() - 1));
  return {m, sd, sd / std::sqrt(double(v.size()))};
}

}  // namespace probwasm::diffusion::su
