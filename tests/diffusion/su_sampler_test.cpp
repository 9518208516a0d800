// Tests of post 4's own formulation (su_sampler.hpp): §4.2 identities, §4.3 σ choices, §4.4 sub-sequences,
// §4.6 ODE form, §4.5 inversion and interpolation, and the §4.7 tables, with an exact Gaussian ε*.
#include <cmath>
#include <stdexcept>
#include <vector>

#include "diffusion/schedulers.hpp"
#include "diffusion/su_sampler.hpp"
#include "numeric_test.hpp"

using namespace probwasm::diffusion;
using probwasm::testing::close_abs;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {

// x_0 ~ N(μ, s²): ε*(x, t) = β̄_t(x − ᾱ_t μ)/(ᾱ_t² s² + β̄_t²) (post 4 §4.7).
su::EpsFn gaussian_eps(const std::vector<double>& abar, double mu, double s) {
  return [&abar, mu, s](const double* x, std::size_t n, int t, double* out) {
    const double a = abar[static_cast<std::size_t>(t)], b2 = (1 - a) * (1 + a);
    for (std::size_t i = 0; i < n; ++i) out[i] = std::sqrt(b2) * (x[i] - a * mu) / (a * a * s * s + b2);
  };
}

// Exact law of x_0 when sampling the Gaussian from its exact x_{τ_S} marginal: ε* is affine, so each step is
// x ↦ A x + B + σ z; A and B are read off generalized_step at x = 0 and 1.
void sampled_stats(const std::vector<double>& abar, const std::vector<int>& tau, double mu, double s, double eta,
                   double& mean, double& sd) {
  const double aT = abar[static_cast<std::size_t>(tau.back())];
  double m = aT * mu, v = aT * aT * s * s + (1 - aT) * (1 + aT);
  const auto eps_fn = gaussian_eps(abar, mu, s);
  for (std::size_t i = tau.size(); i-- > 0;) {
    const int t = tau[i], p = i ? tau[i - 1] : 0;
    const double a = abar[static_cast<std::size_t>(t)], ap = abar[static_cast<std::size_t>(p)];
    const double x[2] = {0, 1};
    double e[2], out[2];
    eps_fn(x, 2, t, e);
    const double sigma = su::sigma_eta(a, ap, eta);
    su::generalized_step(x, e, nullptr, 2, a, ap, sigma, out);
    const double A = out[1] - out[0], B = out[0];
    m = A * m + B;
    v = A * A * v + sigma * sigma;
  }
  mean = m;
  sd = std::sqrt(v);
}

}  // namespace

TEST_CASE("the worked schedule reproduces the post's section 4.7 numbers") {
  const auto a = su::worked_schedule(1000);
  // §4.7 table (6 significant digits): exact, approx e^{−5t²/T²}, bound e^{−0.005t(t+1)/T}.
  struct Row {
    int t;
    double exact, approx, bound;
  };
  for (const Row& r : {Row{100, 0.950722, 0.951229, 0.950754}, Row{500, 0.284592, 0.286505, 0.285789},
                       Row{1000, 0.00648203, 0.00673795, 0.00670434}}) {
    INFO("t = " << r.t);
    CHECK(close_rel(a[static_cast<std::size_t>(r.t)], r.exact, 6e-6));  // half a unit in the 6th digit
    CHECK(close_rel(su::worked_schedule_approx(r.t, 1000), r.approx, 6e-6));
    CHECK(close_rel(su::worked_schedule_bound(r.t, 1000), r.bound, 6e-6));
  }
  // log(1 − x) < −x makes the bound strict for every t ≥ 1.
  for (int t = 1; t <= 1000; ++t) CHECK(a[static_cast<std::size_t>(t)] < su::worked_schedule_bound(t, 1000));
  CHECK(a[0] == 1.0);
}

TEST_CASE("the generalised posterior satisfies the marginal condition and kappa + lambda/abar_t = 1/alpha_t") {
  const auto a = su::worked_schedule(1000);
  for (int t : {1, 2, 10, 500, 1000})
    for (double frac : {0.0, 0.3, 1.0}) {
      const double at = a[static_cast<std::size_t>(t)], ap = a[static_cast<std::size_t>(t - 1)];
      // β̄ = √((1−ᾱ)(1+ᾱ)): no cancellation when ᾱ → 1 (as the library computes it).
      const double bp = std::sqrt((1 - ap) * (1 + ap)), bt = std::sqrt((1 - at) * (1 + at));
      const auto p = su::posterior(at, ap, frac * bp);
      INFO("t = " << t << ", sigma = " << frac << " beta_bar_prev");
      // §4.2: ᾱ_{t−1} = κᾱ_t + λ, β̄²_{t−1} = κ²β̄_t² + σ², and the [checked] identity κ + λ/ᾱ_t = 1/α_t.
      CHECK(close_rel(p.kappa * at + p.lambda, ap, 8 * eps));
      CHECK(close_abs(p.kappa * p.kappa * bt * bt + p.sigma * p.sigma, bp * bp, 16 * eps));
      CHECK(close_rel(p.kappa + p.lambda / at, ap / at, 16 * eps));
    }
  CHECK_THROWS_AS(su::posterior(0.5, 0.9, 0.5), std::invalid_argument);  // σ > β̄_prev: no solution
}

TEST_CASE("sigma choices: the DDPM sigma equals the DDIM paper's form and gives the DDPM mean") {
  const auto a = su::worked_schedule(1000);
  for (int t : {1, 37, 500, 1000}) {
    const double at = a[static_cast<std::size_t>(t)], ap = a[static_cast<std::size_t>(t - 1)];
    // The paper's σ_t(η) with its cumulative α = ᾱ² ([checked] in §4.3).
    const double A = at * at, Ap = ap * ap;
    // Both forms cancel in 1 − ᾱ_t/ᾱ_{t−1}: relative error ~ eps/(1 − A/A_prev) each.
    CHECK(close_rel(su::sigma_eta(at, ap, 0.7), 0.7 * std::sqrt((1 - Ap) / (1 - A)) * std::sqrt(1 - A / Ap),
                    16 * eps / (1 - A / Ap)));
    // σ = β̄_{t−1}β_t/β̄_t gives the mean (1/α_t)(x − β_t²/β̄_t ε) (§4.3 item 1).
    const double x = 0.8, e = -1.3;
    double out;
    su::generalized_step(&x, &e, nullptr, 1, at, ap, su::sigma_eta(at, ap, 1), &out);
    const double alpha = at / ap, beta2 = 1 - alpha * alpha;
    INFO("t = " << t);
    CHECK(close_rel(out, (x - beta2 / std::sqrt(1 - at * at) * e) / alpha, 1e3 * eps));
  }
  CHECK(su::sigma_eta(0.9, 0.95, 0) == 0.0);
  CHECK(close_rel(su::sigma_hat(0.9, 0.95), std::sqrt(1 - (0.9 / 0.95) * (0.9 / 0.95)), 4 * eps));
}

TEST_CASE("sigma-hat needs the clamp at t = 1, and every last step outputs mu-bar(x) exactly") {
  const auto a = su::worked_schedule(1000);
  const double a1 = a[1], x = 0.4, e = 0.9, z = 1.7;
  // σ̂_1 = β_1 > β̄_0 = 0: the clamp makes the deterministic part (x − β̄_1 ε)/ᾱ_1 = μ̄(x_1) (§4.4 [derived]).
  const double sh = su::sigma_hat(a1, 1.0);
  CHECK(sh > 0);
  double out;
  su::generalized_step(&x, &e, nullptr, 1, a1, 1.0, sh, &out);
  CHECK(std::isfinite(out));
  const double mubar = (x - std::sqrt((1 - a1) * (1 + a1)) * e) / a1;
  CHECK(close_rel(out, mubar, 4 * eps));
  // Any η on a sub-sequence: σ ∝ β̄_{τ_0} = 0, so the step to τ_0 = 0 adds no noise and returns μ̄.
  for (double eta : {0.0, 0.5, 1.0}) {
    const double at = a[200];
    const double sigma = su::sigma_eta(at, 1.0, eta);
    CHECK(sigma == 0.0);
    su::generalized_step(&x, &e, &z, 1, at, 1.0, sigma, &out);
    CHECK(close_rel(out, (x - std::sqrt((1 - at) * (1 + at)) * e) / at, 4 * eps));
  }
}

TEST_CASE("the post's step agrees with the diffusers DDIM class on the same schedule") {
  SchedulerConfig c;
  c.clip_sample = false;
  DDIMScheduler s(c);
  s.set_timesteps(20);
  const auto abar = su::from_alphas_cumprod(s.alphas_cumprod());  // abar[t+1] ↔ diffusers ᾱ_t
  const std::vector<float> x{0.3f, -1.2f, 2.5f}, e{1.1f, -0.4f, 0.2f}, z{0.5f, -1.5f, 0.25f};
  for (int t : {950, 500, 50})
    for (double eta : {0.0, 0.6, 1.0}) {
      StepOptions o;
      o.eta = eta;
      o.variance_noise = z;
      const auto ref = s.step(e, t, x, o).prev_sample;
      const double at = abar[static_cast<std::size_t>(t + 1)], ap = abar[static_cast<std::size_t>(t - 50 + 1)];
      const double sigma = su::sigma_eta(at, ap, eta);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const double xi = x[i], ei = e[i], zi = z[i];
        double out;
        su::generalized_step(&xi, &ei, &zi, 1, at, ap, sigma, &out);
        INFO("t = " << t << ", eta = " << eta << ", i = " << i);
        // diffusers works in float32: a few float32 roundings of O(|x|+|ε|+|z|) terms, scaled by 1/√ᾱ_t.
        CHECK(close_abs(ref[i], out, 64 * 0x1.0p-23 * (std::fabs(xi) + std::fabs(ei) + std::fabs(zi)) / at));
      }
    }
}

TEST_CASE("sub-sequences tau are increasing, end at T, and match the section 4.7 grid") {
  CHECK(su::tau_uniform(1000, 10) == std::vector<int>{100, 200, 300, 400, 500, 600, 700, 800, 900, 1000});
  CHECK(su::tau_linspace(1000, 10) == std::vector<int>{1, 112, 223, 334, 445, 556, 667, 778, 889, 1000});
  CHECK(su::tau_linspace(1000, 1) == std::vector<int>{1000});
  for (int S : {1, 2, 7, 50, 999, 1000}) {
    const auto q = su::tau_quadratic(1000, S);
    REQUIRE(q.size() == static_cast<std::size_t>(S));
    CHECK(q.back() == 1000);
    CHECK(q.front() >= 1);
    for (std::size_t i = 1; i < q.size(); ++i) CHECK(q[i] > q[i - 1]);
  }
  // Quadratic spacing is denser near t = 0 than uniform.
  CHECK(su::tau_quadratic(1000, 10)[0] < su::tau_uniform(1000, 10)[0]);
  CHECK_THROWS_AS(su::tau_uniform(10, 11), std::invalid_argument);
  CHECK_THROWS_AS(su::tau_quadratic(10, 0), std::invalid_argument);
}

TEST_CASE("the section 4.7 table: exact mean 2 and the standard deviations for each S and eta") {
  const auto a = su::worked_schedule(1000);
  struct Row {
    int S;
    double eta0, eta1;
  };
  for (const Row& r : {Row{1000, 0.49857, 0.49621}, Row{100, 0.48595, 0.46810}, Row{50, 0.47202, 0.44339},
                       Row{20, 0.43059, 0.38840}, Row{10, 0.36154, 0.32409}, Row{5, 0.22325, 0.21192}}) {
    const auto tau = su::tau_linspace(1000, r.S);
    double m, sd;
    INFO("S = " << r.S);
    sampled_stats(a, tau, 2.0, 0.5, 0.0, m, sd);
    CHECK(close_abs(m, 2.0, 1e4 * eps));  // ε* is exact: the mean is preserved up to rounding
    CHECK(close_abs(sd, r.eta0, 5e-6));  // the table's 5 decimals
    sampled_stats(a, tau, 2.0, 0.5, 1.0, m, sd);
    CHECK(close_abs(m, 2.0, 1e4 * eps));
    CHECK(close_abs(sd, r.eta1, 5e-6));
  }
}

TEST_CASE("Euler in rho is DDIM, and Heun converges at second order on the exact Gaussian flow") {
  const auto a = su::worked_schedule(1000);
  const double mu = 2, s = 0.5;
  const auto eps_fn = gaussian_eps(a, mu, s);
  const std::vector<double> x{0.3, 2.9};
  // Euler step = generalised step with σ = 0.
  const auto eu = su::ode_euler_step(x, 700, 600, a, eps_fn);
  std::vector<double> e(2), g(2);
  eps_fn(x.data(), 2, 700, e.data());
  su::generalized_step(x.data(), e.data(), nullptr, 2, a[700], a[600], 0.0, g.data());
  CHECK(close_rel(eu[0], g[0], 16 * eps));
  CHECK(close_rel(eu[1], g[1], 16 * eps));
  // Exact probability-flow map for N(μ, s²): x_t/ᾱ_t − μ = (x_0 − μ)·√(s² + ρ_t²)/s, ρ = β̄/ᾱ.
  auto flow = [&](double x0, int t) {
    const double at = a[static_cast<std::size_t>(t)], rho = std::sqrt(1 - at * at) / at;
    return at * (mu + (x0 - mu) * std::sqrt(s * s + rho * rho) / s);
  };
  const std::vector<double> x0{1.2, 2.7};
  const std::vector<double> xT{flow(x0[0], 1000), flow(x0[1], 1000)};
  auto err = [&](int S, su::OdeMethod m) {
    const auto out = su::ddim_generate(xT, su::tau_linspace(1000, S), a, eps_fn, m);
    return std::fmax(std::fabs(out[0] - x0[0]), std::fabs(out[1] - x0[1]));
  };
  const double e50 = err(50, su::OdeMethod::euler), e100 = err(100, su::OdeMethod::euler);
  const double h50 = err(50, su::OdeMethod::heun), h100 = err(100, su::OdeMethod::heun);
  MESSAGE("Euler errors 50/100 steps: " << e50 << " " << e100 << "; Heun: " << h50 << " " << h100);
  CHECK(e50 / e100 > 1.7);  // first order: halving h halves the error
  CHECK(e50 / e100 < 2.3);
  CHECK(h50 / h100 > 3.0);  // second order: a quarter
  CHECK(h100 < e100 / 10);
}

TEST_CASE("DDIM inversion maps x0 to the exact flow's x_T, and reconstruction returns x0") {
  const auto a = su::worked_schedule(1000);
  const double mu = -1, s = 0.3;
  const auto eps_fn = gaussian_eps(a, mu, s);
  const std::vector<double> x0{-1.5, -0.8, -1.0};
  auto flowT = [&](double v) {
    const double at = a[1000], rho = std::sqrt(1 - at * at) / at;
    return at * (mu + (v - mu) * std::sqrt(s * s + rho * rho) / s);
  };
  double prev_err = INFINITY;
  for (int S : {20, 100, 500}) {
    const auto tau = su::tau_linspace(1000, S);
    const auto zT = su::ddim_invert(x0, tau, a, eps_fn, su::OdeMethod::heun);
    const auto back = su::ddim_generate(zT, tau, a, eps_fn, su::OdeMethod::heun);
    double e_inv = 0, e_rec = 0;
    for (std::size_t i = 0; i < x0.size(); ++i) {
      e_inv = std::fmax(e_inv, std::fabs(zT[i] - flowT(x0[i])));
      e_rec = std::fmax(e_rec, std::fabs(back[i] - x0[i]));
    }
    MESSAGE("S = " << S << ": inversion error " << e_inv << ", round trip " << e_rec);
    CHECK(e_rec < prev_err);
    prev_err = e_rec;
    if (S == 500) {
      CHECK(e_inv < 1e-3);
      CHECK(e_rec < 1e-4);
    }
  }
}

TEST_CASE("the worked schedule's ODEs match the general form d(x/abar) = eps d(beta_bar/abar)") {
  // dx/ds = x·ᾱ'/ᾱ + ᾱ·ε·(β̄/ᾱ)', derivatives by central differences (h = 1e−5: error ~ h² + eps/h ≈ 1e−10).
  auto general = [](auto abar_of, double s, double x, double e) {
    const double h = 1e-5;
    auto rho = [&](double u) { const double a = abar_of(u); return std::sqrt(1 - a * a) / a; };
    const double a = abar_of(s);
    const double da = (abar_of(s + h) - abar_of(s - h)) / (2 * h);
    const double drho = (rho(s + h) - rho(s - h)) / (2 * h);
    return x * da / a + a * e * drho;
  };
  for (double sv : {0.1, 0.5, 0.9})
    for (double x : {-1.0, 0.7}) {
      const double e = 0.35;
      INFO("s = " << sv << ", x = " << x);
      CHECK(close_abs(su::ode_velocity_linear_time(sv, x, e),
                      general([](double u) { return std::exp(-5 * u * u); }, sv, x, e), 1e-7));
      CHECK(close_abs(su::ode_velocity_quadratic_time(sv, x, e),
                      general([](double u) { return std::exp(-5 * u); }, sv, x, e), 1e-7));
    }
}

TEST_CASE("spherical interpolation of noises stays on the unit circle and hits both ends") {
  const std::vector<double> z1{1, 0, 0.5}, z2{0, 1, -0.5};
  CHECK(su::slerp_noise(z1, z2, 0) == z1);
  const auto end = su::slerp_noise(z1, z2, 1);
  for (std::size_t i = 0; i < 3; ++i) CHECK(close_abs(end[i], z2[i], 4 * eps));  // cos(π/2) ≈ 6e−17
  for (double l : {0.1, 0.5, 0.77}) {
    const auto z = su::slerp_noise({1, 0}, {0, 1}, l);
    CHECK(close_rel(z[0] * z[0] + z[1] * z[1], 1.0, 4 * eps));  // cos² + sin² = 1: variance kept
  }
  CHECK_THROWS_AS(su::slerp_noise(z1, {1.0}, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(su::slerp_noise(z1, z2, 1.5), std::invalid_argument);
}

TEST_CASE("generalizedStep rejects an abarT so small that abarPrev/abarT overflows (∞·0 = NaN before)") {
  const double x = 0.5, e = 0.5;
  double out = 0;
  CHECK_THROWS_WITH_AS(su::generalized_step(&x, &e, nullptr, 1, 5e-324, 0.9, 0.0, &out),
                       "generalizedStep: abarT must be large enough that abarPrev/abarT is finite, got 5e-324", std::invalid_argument);
  su::generalized_step(&x, &e, nullptr, 1, 1e-300, 0.9, 0.0, &out);  // a large but finite ratio is fine
  CHECK(std::isfinite(out));
}
