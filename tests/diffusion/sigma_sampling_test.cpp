// sampleDiffusion's diffusers samplers (sampling.hpp sample_scheduler) against the exact probability-flow
// map of a Gaussian target: for data N(μ, s²) the marginal at level ᾱ is N(√ᾱμ, ᾱs² + 1 − ᾱ) and the ODE
// (post 4 §4.5–4.6) keeps each point's standardised value u = (x − √ᾱμ)/√(ᾱs² + 1 − ᾱ), so a deterministic
// sampler must land on μ + s·u(x_T). Its error then shrinks with the solver's order.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common/errors.hpp"
#include "diffusion/denoisers.hpp"
#include "diffusion/sampling.hpp"
#include "numeric_test.hpp"

using namespace probwasm::diffusion;

namespace {

constexpr double mu = 0.5, sd = 0.3;

// Max |sampler − exact map| over `count` seeded points, after `steps` steps of sampler `which`.
double max_error(SigmaSampler which, int steps, bool karras = false, std::size_t count = 64) {
  GaussianMixture g({1.0}, {mu}, {sd}, 1);
  SigmaSchedulerConfig c = sigma_scheduler_defaults();
  c.use_karras_sigmas = karras;
  auto s = make_sampler_scheduler(which, c);
  const std::vector<double> x = sample_scheduler(g, *s, steps, 7, count);
  // x_T in VP scale: the scheduler's first state divided by √(σ_0²+1) for the Euler family (x_VE = x_VP·√(σ²+1)).
  const double s0 = s->sigmas()[0];
  const double abar = 1 / (1 + s0 * s0);
  const double ins = s->init_noise_sigma();
  double worst = 0;
  for (std::size_t i = 0; i < count; ++i) {
    NormalRng r = NormalRng::for_point(7, i);
    const double z = static_cast<double>(static_cast<float>(r.normal()));
    const double xT = static_cast<double>(static_cast<float>(z) * static_cast<float>(ins)) / (ins == 1.0 ? 1.0 : std::sqrt(s0 * s0 + 1));
    const double u = (xT - std::sqrt(abar) * mu) / std::sqrt(abar * sd * sd + 1 - abar);
    // The flow runs to the last nonzero σ; the step to σ = 0 returns x̂_0 = E[x_0 | x] there (diffusers'
    // final denoising step): for the Gaussian, μ + s²√ᾱ(x − √ᾱμ)/(ᾱs² + 1 − ᾱ).
    const double se = s->sigmas()[s->sigmas().size() - 2], ae = 1 / (1 + se * se);
    const double v = ae * sd * sd + 1 - ae;
    const double xe = std::sqrt(ae) * mu + std::sqrt(v) * u;
    worst = std::max(worst, std::fabs(x[i] - (mu + sd * sd * std::sqrt(ae) * (xe - std::sqrt(ae) * mu) / v)));
  }
  return worst;
}

}  // namespace

TEST_CASE("the deterministic diffusers samplers land on the exact flow map of a Gaussian target") {
  // Karras σ (EDM's ρ = 7 spacing): the λ-steps shrink everywhere as steps grow. (Linspace timesteps keep a
  // last step of ≈ ½·log 2 in λ whatever the count, where x̂_0 still moves: no convergence there.)
  for (auto which : {SigmaSampler::euler, SigmaSampler::dpmpp_2m, SigmaSampler::dpmpp_3m, SigmaSampler::unipc}) {
    INFO("sampler " << static_cast<int>(which));
    // 400 steps: Euler's first-order error is 6e-3; DPM-Solver++ and UniPC ≤ 9e-5 (measured, see the order test).
    CHECK(max_error(which, 400, true) < (which == SigmaSampler::euler ? 1e-2 : 2e-4));
  }
}

TEST_CASE("convergence order with Karras sigmas: Euler first, DPM-Solver++(2M) second, UniPC(bh2) beyond") {
  const double e1 = max_error(SigmaSampler::euler, 100, true), e2 = max_error(SigmaSampler::euler, 200, true);
  const double d1 = max_error(SigmaSampler::dpmpp_2m, 100, true), d2 = max_error(SigmaSampler::dpmpp_2m, 200, true);
  const double u1 = max_error(SigmaSampler::unipc, 100, true), u2 = max_error(SigmaSampler::unipc, 200, true);
  INFO("euler " << e1 << " → " << e2 << ", dpm++2m " << d1 << " → " << d2 << ", unipc " << u1 << " → " << u2);
  CHECK(e1 / e2 > 1.8);
  CHECK(e1 / e2 < 2.2);
  CHECK(d1 / d2 > 3.5);
  CHECK(d1 / d2 < 4.5);
  CHECK(u1 / u2 > 4.5);  // the UniC corrector raises the order
  CHECK(d2 < e2 / 10);
}

TEST_CASE("more steps than the schedule has distinct timesteps is a RangeError, not NaN") {
  GaussianMixture g({1.0}, {mu}, {sd}, 1);
  auto s = make_sampler_scheduler(SigmaSampler::unipc, sigma_scheduler_defaults());
  // linspace over n+1 = 1001 points of [0, 999] rounds two pairs together: two equal σ, h = 0.
  CHECK_THROWS_WITH_AS(sample_scheduler(g, *s, 1000, 1, 2), doctest::Contains("sampleDiffusion: steps"), std::invalid_argument);
  CHECK(sample_scheduler(g, *s, 990, 1, 2).size() == 2);
}

TEST_CASE("stochastic samplers are seeded per point: chunks reproduce the whole run bit for bit") {
  GaussianMixture g({0.5, 0.5}, {-1.0, 1.0}, {0.2, 0.2}, 1);
  for (auto which : {SigmaSampler::euler_ancestral, SigmaSampler::dpmpp_2m_sde, SigmaSampler::dpmpp_2m}) {
    auto s = make_sampler_scheduler(which, sigma_scheduler_defaults());
    const auto all = sample_scheduler(g, *s, 20, 3, 10);
    const auto head = sample_scheduler(g, *s, 20, 3, 4, 0);
    const auto tail = sample_scheduler(g, *s, 20, 3, 6, 4);
    std::vector<double> joined(head);
    joined.insert(joined.end(), tail.begin(), tail.end());
    CHECK(joined == all);
    for (double v : all) CHECK(std::isfinite(v));
  }
}

TEST_CASE("sampler names: the nine accepted, anything else a type_error listing them") {
  CHECK_FALSE(parse_sigma_sampler("ddim").has_value());
  CHECK(parse_sigma_sampler("dpm++2m-sde") == SigmaSampler::dpmpp_2m_sde);
  CHECK_THROWS_WITH_AS(parse_sigma_sampler("dpm2"), doctest::Contains("'euler-ancestral'"), probwasm::type_error);
}
