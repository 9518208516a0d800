// The post's own formulation of DDPM/DDIM sampling (post 4, "生成扩散模型漫谈（四）：DDIM = 高观点DDPM"), in
// float64 and in Su's notation: ᾱ_t is a standard-deviation-scale coefficient (= √ of diffusers'
// alphas_cumprod), β̄_t = √(1 − ᾱ_t²), α_t = ᾱ_t/ᾱ_{t−1}, β_t = √(1 − α_t²), and a schedule is the vector
// ᾱ_0 … ᾱ_T with ᾱ_0 = 1. The reference-exact diffusers classes are in schedulers.hpp; these functions are
// the step formulas a sampler loop (sampling.hpp, part B) or the page calls with its own ε.
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

namespace probwasm::diffusion::su {

// ---- schedules (§4.6 worked example and §4.7 table) -----------------------------------------------------
// ᾱ_t = Π_{k≤t} √(1 − 0.02k/T), t = 0 … T: DDPM's default variance β_t² = 0.02 t/T.
std::vector<double> worked_schedule(int T);
// The post's approximation ᾱ_t ≈ exp(−5t²/T²) and its bound ᾱ_t < exp(−0.005 t(t+1)/T).
double worked_schedule_approx(double t, int T);
double worked_schedule_bound(double t, int T);
// Su's ᾱ (with ᾱ_0 = 1 prepended) from diffusers' alphas_cumprod (float32 ᾱ in the DDPM sense).
std::vector<double> from_alphas_cumprod(const std::vector<float>& alphas_cumprod);

// ---- the generalised posterior (§4.2) --------------------------------------------------------------------
// p(x_{t−1}|x_t, x_0) = N(κ_t x_t + λ_t x_0, σ_t²): κ_t = √(β̄²_{t−1} − σ²)/β̄_t, λ_t = ᾱ_{t−1} − ᾱ_t κ_t.
// σ ≤ β̄_{t−1} is required here (the marginal condition has no solution otherwise).
struct Posterior {
  double kappa, lambda, sigma;
};
Posterior posterior(double abar_t, double abar_prev, double sigma);

// ---- named σ choices (§4.3), written in ᾱ, β̄ only so that they hold on a sub-sequence τ (§4.4) ----------
// η·σ_DDPM, σ_DDPM = (β̄_{t−1}/β̄_t)·√(1 − ᾱ_t²/ᾱ²_{t−1}); η = 1 is DDPM, η = 0 is DDIM.
double sigma_eta(double abar_t, double abar_prev, double eta);
// σ̂ = β_t = √(1 − ᾱ_t²/ᾱ²_{t−1}), the paper's other DDPM variance (may exceed β̄_{t−1}, e.g. at t = 1).
double sigma_hat(double abar_t, double abar_prev);

// One generalised step (§4.4; §4.2's p(x_{t−1}|x_t) on a sub-sequence) for n values:
//   x_prev = (ᾱ_prev/ᾱ_t)·(x − (β̄_t − (ᾱ_t/ᾱ_prev)·√max(0, β̄²_prev − σ²))·ε) + σ·z.
// The max(0, ·) is the clamp σ̂ needs at t = 1 (§4.3 item 2). z may be null (σ·z omitted).
void generalized_step(const double* x, const double* eps, const double* z, std::size_t n, double abar_t,
                      double abar_prev, double sigma, double* out);

// ---- sub-sequences τ of 1 … T (§4.4); increasing, τ_S = T ------------------------------------------------
// uniform: τ_i = round(i·T/S); linspace: "evenly spaced from 1 to T", τ_i = round(1 + (T−1)(i−1)/(S−1)) (the
// §4.7 table's grid); quadratic (DDIM paper §D.2): τ_i ∝ i², made strictly increasing from 1.
std::vector<int> tau_uniform(int T, int S);
std::vector<int> tau_linspace(int T, int S);
std::vector<int> tau_quadratic(int T, int S);

// ---- the ODE view (§4.6) ----------------------------------------------------------------------------------
// ε model: writes ε(x, t) for n values at integer timestep t (t = 0 means clean data).
using EpsFn = std::function<void(const double* x, std::size_t n, int t, double* eps)>;
// With ρ = β̄/ᾱ and y = x/ᾱ the σ = 0 sampler is Euler on dy/dρ = ε; Heun adds the trapezoid corrector
// (a second ε evaluation at t_to). Steps towards t_to = 0 fall back to Euler (ε at ρ = 0 is not needed).
std::vector<double> ode_euler_step(const std::vector<double>& x, int t_from, int t_to, const std::vector<double>& abar,
                                   const EpsFn& eps);
std::vector<double> ode_heun_step(const std::vector<double>& x, int t_from, int t_to, const std::vector<double>& abar,
                                  const EpsFn& eps);
// The worked schedule's ODEs: s = t/T, dx/ds = 10s(ε/√(1−e^{−10s²}) − x); s = t²/T², dx/ds = 5(ε/√(1−e^{−10s}) − x).
double ode_velocity_linear_time(double s, double x, double eps);
double ode_velocity_quadratic_time(double s, double x, double eps);

// ---- deterministic encode / decode and interpolation (§4.5) ---------------------------------------------
enum class OdeMethod { euler, heun };
// σ = 0 along τ (with τ_0 = 0): x_0 → x_{τ_S} (inversion: the same Euler/Heun steps run forwards) …
std::vector<double> ddim_invert(const std::vector<double>& x0, const std::vector<int>& tau,
                                const std::vector<double>& abar, const EpsFn& eps, OdeMethod m = OdeMethod::euler);
// … and x_{τ_S} → x_0 (generation / reconstruction).
std::vector<double> ddim_generate(const std::vector<double>& xT, const std::vector<int>& tau,
                                  const std::vector<double>& abar, const EpsFn& eps, OdeMethod m = OdeMethod::euler);
// z = z₁cos(λπ/2) + z₂sin(λπ/2): keeps two independent N(0, I) noises on the Gaussian shell, unlike a lerp.
std::vector<double> slerp_noise(const std::vector<double>& z1, const std::vector<double>& z2, double lambda);

}  // namespace probwasm::diffusion::su
