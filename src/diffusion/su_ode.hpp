// Su's two bounded-time ODEs for the worked schedule (post 4 §4.6): with ᾱ_t ≈ e^{−5t²/T²} the σ = 0 sampler
// is the Euler discretisation of d(x/ᾱ)/ds = ε·d(β̄/ᾱ)/ds; Su prefers a time variable on [0, 1] to the DDIM
// paper's unbounded β̄/ᾱ, and writes it out for two choices of s.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "diffusion/su_sampler.hpp"

namespace probwasm::diffusion::su {

// s = t/T: ᾱ(s) = e^{−5s²},  dx/ds = 10s(ε/√(1 − e^{−10s²}) − x).
// s = t²/T²: ᾱ(s) = e^{−5s},  dx/ds = 5(ε/√(1 − e^{−10s}) − x).
enum class BoundedTime { linear, quadratic };
BoundedTime parse_bounded_time(const char* fn, const std::string& name);  // 'linear' | 'quadratic'
// ᾱ(s) (Su's standard-deviation scale) of the chosen time variable, s ∈ [0, 1].
double bounded_time_abar(BoundedTime time, double s);
// The post's velocity for one coordinate, given ε at (x, s); s > 0 (both are 0/0 or singular at s = 0).
double bounded_time_velocity(BoundedTime time, double s, double x, double eps);

// ε model with continuous time: ε(x, ᾱ²) for n values (diffusers' ᾱ = Su's ᾱ², as the wasm denoisers take
// it) and t/T ∈ [0, 1] for a model with a time input.
using EpsAtFn = std::function<void(const double* x, std::size_t n, double alpha_bar_ddpm, double t01, double* eps)>;

// Integrates the ODE from s = 1 (x = xT, ≈ N(0, I): ᾱ(1) = e^{−5}) down to s = 0 on `steps` equal steps in s,
// Euler or Heun (explicit trapezoid). The last step, which ends at s = 0 where the velocity is not defined,
// is always an Euler step.  `trajectory`, if given, receives steps + 1 states (s = 1 first).
std::vector<double> bounded_time_sample(const std::vector<double>& xT, BoundedTime time, int steps, OdeMethod method,
                                        const EpsAtFn& eps, std::vector<double>* trajectory = nullptr,
                                        const char* fn = "suOdeSample");

// ---- the DDIM paper's σ̂ row (post 4 §4.3 item 2) and the table's statistics ------------------------------

// Samples with σ_t = σ̂ = β_t along τ (τ_0 = 0 prepended), Su's generalised step with the √max(0, ·) clamp; the
// noise z is N(0, I) from `seed`.  §4.3 item 2: the DDIM paper's other DDPM variance, worst at few steps.
std::vector<double> sample_sigma_hat(const std::vector<double>& xT, const std::vector<int>& tau,
                                     const std::vector<double>& abar, const EpsFn& eps, double seed);

// Mean, standard deviation (n − 1) and standard error of a few repeated measurements (error bars).
struct MeanSem {
  double mean, sd, sem;
};
MeanSem mean_sem(const std::vector<double>& v, const char* fn = "diffusionMeanSem");

}  // namespace probwasm::diffusion::su
