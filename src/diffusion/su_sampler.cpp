// Post 4's formulation of DDPM/DDIM in float64 (see su_sampler.hpp for the notation).
#include "diffusion/su_sampler.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/errors.hpp"

namespace probwasm::diffusion::su {

namespace {

void require_abar(double abar, const char* fn, const char* param) {
  require(abar > 0 && abar <= 1, fn, param, "be in (0, 1]", abar);
}
double bbar(double abar) { return std::sqrt(std::max(0.0, (1 - abar) * (1 + abar))); }  // √(1−ᾱ²) without cancellation

void check_schedule(const std::vector<double>& abar, const char* fn) {
  require(abar.size() >= 2, fn, "abar.length", "be >= 2 (ᾱ_0 … ᾱ_T)", abar.size());
  require(abar[0] == 1.0, fn, "abar[0]", "be 1 (clean data)", abar[0]);
  for (std::size_t i = 1; i < abar.size(); ++i)
    require(abar[i] > 0 && abar[i] <= abar[i - 1], fn, indexed("abar", i), "be in (0, abar[i-1]]", abar[i]);
}
void check_t(int t, const std::vector<double>& abar, const char* fn, const char* param) {
  require(t >= 0 && static_cast<std::size_t>(t) < abar.size(), fn, param,
          "be in [0, " + std::to_string(abar.size() - 1) + "]", t);
}
void check_finite(const std::vector<double>& x, const char* fn, const char* param) {
  for (std::size_t i = 0; i < x.size(); ++i) require(std::isfinite(x[i]), fn, indexed(param, i), "be finite", x[i]);
}

}  // namespace

std::vector<double> worked_schedule(int T) {
  require(T >= 1 && T <= 10000000, "suSchedule", "T", "be in [1, 1e7]", T);
  std::vector<double> a(static_cast<std::size_t>(T) + 1);
  a[0] = 1;
  // §4.6: α_t = √(1 − 0.02t/T); the product is accumulated in logs (log1p keeps the small terms exact).
  double log_a = 0;
  for (int t = 1; t <= T; ++t) {
    log_a += 0.5 * std::log1p(-0.02 * t / T);
    a[static_cast<std::size_t>(t)] = std::exp(log_a);
  }
  return a;
}

double worked_schedule_approx(double t, int T) { return std::exp(-5.0 * t * t / (static_cast<double>(T) * T)); }
double worked_schedule_bound(double t, int T) { return std::exp(-0.005 * t * (t + 1) / T); }

std::vector<double> from_alphas_cumprod(const std::vector<float>& ac) {
  require(!ac.empty(), "suScheduleFrom", "alphasCumprod.length", "be >= 1 (ᾱ_1 … ᾱ_T)", ac.size());
  std::vector<double> a(ac.size() + 1);
  a[0] = 1;
  for (std::size_t i = 0; i < ac.size(); ++i) {
    require(ac[i] > 0 && ac[i] <= 1, "suScheduleFrom", indexed("alphasCumprod", i), "be in (0, 1]",
            static_cast<double>(ac[i]));
    a[i + 1] = std::sqrt(static_cast<double>(ac[i]));
  }
  return a;
}

Posterior posterior(double abar_t, double abar_prev, double sigma) {
  const char* fn = "ddimPosterior";
  require_abar(abar_t, fn, "abarT");
  require_abar(abar_prev, fn, "abarPrev");
  require(abar_t < 1, fn, "abarT", "be < 1 (β̄_t > 0 divides)", abar_t);
  const double bp = bbar(abar_prev), bt = bbar(abar_t);
  require(sigma >= 0 && sigma <= bp, fn, "sigma", "be in [0, β̄_prev = " + format_value(bp) + "]", sigma);
  // §4.2: ᾱ_{t−1} = κ ᾱ_t + λ and β̄²_{t−1} = κ² β̄_t² + σ².
  const double kappa = std::sqrt((bp - sigma) * (bp + sigma)) / bt;
  return {kappa, abar_prev - abar_t * kappa, sigma};
}

double sigma_eta(double abar_t, double abar_prev, double eta) {
  const char* fn = "ddimSigma";
  require_abar(abar_t, fn, "abarT");
  require_abar(abar_prev, fn, "abarPrev");
  require(abar_t < 1, fn, "abarT", "be < 1", abar_t);
  require(abar_t <= abar_prev, fn, "abarT", "be <= abar_prev", abar_t);
  require(std::isfinite(eta) && eta >= 0, fn, "eta", "be a finite number >= 0", eta);
  const double r = abar_t / abar_prev;
  // §4.3 item 1 / §4.4: σ = η (β̄_prev/β̄_t) √(1 − ᾱ_t²/ᾱ_prev²).
  return eta * bbar(abar_prev) / bbar(abar_t) * std::sqrt((1 - r) * (1 + r));
}

double sigma_hat(double abar_t, double abar_prev) {
  require_abar(abar_t, "ddimSigma", "abarT");
  require_abar(abar_prev, "ddimSigma", "abarPrev");
  require(abar_t <= abar_prev, "ddimSigma", "abarT", "be <= abar_prev", abar_t);
  const double r = abar_t / abar_prev;
  return std::sqrt((1 - r) * (1 + r));  // §4.3 item 2: σ̂_t = β_t
}

void generalized_step(const double* x, const double* eps, const double* z, std::size_t n, double abar_t,
                      double abar_prev, double sigma, double* out) {
  const char* fn = "generalizedStep";
  require_abar(abar_t, fn, "abarT");
  require_abar(abar_prev, fn, "abarPrev");
  // §4.4 multiplies by ᾱ_prev/ᾱ_t: an ᾱ_t so small that it overflows gives ∞·0 = NaN entries
  require(std::isfinite(abar_prev / abar_t), fn, "abarT", "be large enough that abarPrev/abarT is finite", abar_t);
  require(std::isfinite(sigma) && sigma >= 0, fn, "sigma", "be a finite number >= 0", sigma);
  for (std::size_t i = 0; i < n; ++i) {
    require(std::isfinite(x[i]), fn, indexed("x", i), "be finite", x[i]);
    require(std::isfinite(eps[i]), fn, indexed("eps", i), "be finite", eps[i]);
    if (z) require(std::isfinite(z[i]), fn, indexed("noise", i), "be finite", z[i]);
  }
  const double bp = bbar(abar_prev);
  // §4.4 with the §4.3 clamp: √max(0, β̄²_prev − σ²).
  const double keep = sigma < bp ? std::sqrt((bp - sigma) * (bp + sigma)) : 0.0;
  const double ratio = abar_prev / abar_t;
  const double coef = bbar(abar_t) - keep / ratio;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = ratio * (x[i] - coef * eps[i]);
    if (z) out[i] += sigma * z[i];
  }
}

std::vector<int> tau_uniform(int T, int S) {
  require(S >= 1 && S <= T, "tauSequence", "S", "be in [1, T = " + std::to_string(T) + "]", S);
  std::vector<int> tau(static_cast<std::size_t>(S));
  for (int i = 1; i <= S; ++i)
    tau[static_cast<std::size_t>(i - 1)] = static_cast<int>(std::nearbyint(static_cast<double>(i) * T / S));
  return tau;
}

std::vector<int> tau_linspace(int T, int S) {
  require(S >= 1 && S <= T, "tauSequence", "S", "be in [1, T = " + std::to_string(T) + "]", S);
  if (S == 1) return {T};
  std::vector<int> tau(static_cast<std::size_t>(S));
  for (int i = 0; i < S; ++i)
    tau[static_cast<std::size_t>(i)] = static_cast<int>(std::nearbyint(1 + (T - 1.0) * i / (S - 1)));
  return tau;
}

std::vector<int> tau_quadratic(int T, int S) {
  require(S >= 1 && S <= T, "tauSequence", "S", "be in [1, T = " + std::to_string(T) + "]", S);
  std::vector<int> tau(static_cast<std::size_t>(S));
  int prev = 0;
  for (int i = 1; i <= S; ++i) {
    const double f = static_cast<double>(i) / S;
    // Dense near t = 0 where the data's fine detail is resolved; at least one step apart.
    const int v = std::max(prev + 1, static_cast<int>(std::nearbyint(T * f * f)));
    tau[static_cast<std::size_t>(i - 1)] = prev = v;
  }
  return tau;
}

namespace {
std::vector<double> eval(const EpsFn& eps, const std::vector<double>& x, int t) {
  std::vector<double> e(x.size());
  eps(x.data(), x.size(), t, e.data());
  return e;
}
// y = x/ᾱ advanced by Δρ·ε, back to x' = ᾱ' y (§4.6: d(x/ᾱ) = ε d(β̄/ᾱ)).
std::vector<double> advance(const std::vector<double>& x, const std::vector<double>& e, double a, double a2) {
  const double drho = bbar(a2) / a2 - bbar(a) / a;
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = a2 * (x[i] / a + drho * e[i]);
  return out;
}
}  // namespace

std::vector<double> ode_euler_step(const std::vector<double>& x, int t_from, int t_to, const std::vector<double>& abar,
                                   const EpsFn& eps) {
  const char* fn = "ode_euler_step";
  check_schedule(abar, fn);
  check_t(t_from, abar, fn, "t_from");
  check_t(t_to, abar, fn, "t_to");
  check_finite(x, fn, "x");
  // Backwards (t_to < t_from) this is exactly DDIM (σ = 0); forwards (inversion) ε is read at the target
  // time, as DDIM inversion does, so that no evaluation at t = 0 is needed.
  const int te = t_to < t_from ? t_from : t_to;
  return advance(x, eval(eps, x, te), abar[static_cast<std::size_t>(t_from)], abar[static_cast<std::size_t>(t_to)]);
}

std::vector<double> ode_heun_step(const std::vector<double>& x, int t_from, int t_to, const std::vector<double>& abar,
                                  const EpsFn& eps) {
  const char* fn = "ode_heun_step";
  check_schedule(abar, fn);
  check_t(t_from, abar, fn, "t_from");
  check_t(t_to, abar, fn, "t_to");
  check_finite(x, fn, "x");
  if (t_from == 0 || t_to == 0) return ode_euler_step(x, t_from, t_to, abar, eps);
  const double a = abar[static_cast<std::size_t>(t_from)], a2 = abar[static_cast<std::size_t>(t_to)];
  // Trapezoid in ρ (Heun, second order): predictor with ε(x, t), corrector with ε at the predicted point.
  const auto e1 = eval(eps, x, t_from);
  const auto xp = advance(x, e1, a, a2);
  const auto e2 = eval(eps, xp, t_to);
  std::vector<double> e(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) e[i] = 0.5 * (e1[i] + e2[i]);
  return advance(x, e, a, a2);
}

double ode_velocity_linear_time(double s, double x, double eps) {
  require(s > 0 && s <= 1, "ode_velocity_linear_time", "s", "be in (0, 1]", s);
  return 10 * s * (eps / std::sqrt(-std::expm1(-10 * s * s)) - x);
}
double ode_velocity_quadratic_time(double s, double x, double eps) {
  require(s > 0 && s <= 1, "ode_velocity_quadratic_time", "s", "be in (0, 1]", s);
  return 5 * (eps / std::sqrt(-std::expm1(-10 * s)) - x);
}

namespace {
void check_tau(const std::vector<int>& tau, const std::vector<double>& abar, const char* fn) {
  require(!tau.empty(), fn, "tau.length", "be >= 1", tau.size());
  for (std::size_t i = 0; i < tau.size(); ++i) {
    require(tau[i] >= 1 && static_cast<std::size_t>(tau[i]) < abar.size(), fn, indexed("tau", i),
            "be in [1, " + std::to_string(abar.size() - 1) + "]", tau[i]);
    if (i) require(tau[i] > tau[i - 1], fn, indexed("tau", i), "exceed tau[i-1] (increasing)", tau[i]);
  }
}
}  // namespace

std::vector<double> ddim_invert(const std::vector<double>& x0, const std::vector<int>& tau,
                                const std::vector<double>& abar, const EpsFn& eps, OdeMethod m) {
  check_schedule(abar, "ddimInvert");
  check_tau(tau, abar, "ddimInvert");
  check_finite(x0, "ddimInvert", "x0");
  std::vector<double> x = x0;
  int t = 0;
  for (int next : tau) {
    x = m == OdeMethod::heun ? ode_heun_step(x, t, next, abar, eps) : ode_euler_step(x, t, next, abar, eps);
    t = next;
  }
  return x;
}

std::vector<double> ddim_generate(const std::vector<double>& xT, const std::vector<int>& tau,
                                  const std::vector<double>& abar, const EpsFn& eps, OdeMethod m) {
  check_schedule(abar, "ddimGenerate");
  check_tau(tau, abar, "ddimGenerate");
  check_finite(xT, "ddimGenerate", "xT");
  std::vector<double> x = xT;
  for (std::size_t i = tau.size(); i-- > 0;) {
    const int prev = i ? tau[i - 1] : 0;
    x = m == OdeMethod::heun ? ode_heun_step(x, tau[i], prev, abar, eps) : ode_euler_step(x, tau[i], prev, abar, eps);
  }
  return x;
}

std::vector<double> slerp_noise(const std::vector<double>& z1, const std::vector<double>& z2, double lambda) {
  const char* fn = "slerpNoise";
  require(z1.size() == z2.size(), fn, "z2.length", "equal z1.length = " + std::to_string(z1.size()), z2.size());
  require(lambda >= 0 && lambda <= 1, fn, "lambda", "be in [0, 1]", lambda);
  check_finite(z1, fn, "z1");
  check_finite(z2, fn, "z2");
  const double pi = 3.14159265358979323846;
  // §4.5: cos² + sin² = 1 keeps the variance of independent N(0, I) noises.
  const double c = std::cos(lambda * pi / 2), s = std::sin(lambda * pi / 2);
  std::vector<double> z(z1.size());
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = c * z1[i] + s * z2[i];
  return z;
}

}  // namespace probwasm::diffusion::su
