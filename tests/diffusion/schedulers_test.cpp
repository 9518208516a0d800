// Tests of the diffusers-exact DDIM/DDPM schedulers (post 4 §4.2–4.4). Reference numbers quoted from
// huggingface/diffusers tests/schedulers/test_scheduler_ddim.py and test_scheduler_ddpm.py carry a
// comment; everything else is derived here (float64 re-derivations, closed forms, hand examples).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "common/errors.hpp"
#include "diffusers_fixtures.hpp"
#include "diffusion/schedulers.hpp"
#include "numeric_test.hpp"

using namespace probwasm::diffusion;
using probwasm::testing::close_abs;
using probwasm::testing::close_rel;

namespace {

constexpr double eps32 = 0x1.0p-23;  // float32 machine epsilon

// dummy_sample_deter / dummy_model / abs_sum: diffusers' SchedulerCommonTest fixtures (diffusers_fixtures.hpp).
using probwasm::testing::diffusers::abs_sum;
using probwasm::testing::diffusers::dummy_model;
using probwasm::testing::diffusers::dummy_sample_deter;

SchedulerConfig ddim_test_config() {  // get_scheduler_config() of test_scheduler_ddim.py
  SchedulerConfig c;
  c.num_train_timesteps = 1000;
  c.beta_start = 0.0001;
  c.beta_end = 0.02;
  c.clip_sample = true;
  return c;
}

std::vector<float> ddim_full_loop(const SchedulerConfig& c, int n = 10) {
  DDIMScheduler s(c);
  s.set_timesteps(n);
  auto x = dummy_sample_deter();
  for (int t : s.timesteps()) x = s.step(dummy_model(x, t), t, x).prev_sample;
  return x;
}

// The same full loop re-derived in float64 from the published algorithm (DDIM eq. 12 with clipping and
// v-prediction), with ᾱ from a float64 linspace and product: an independent second implementation.
std::vector<double> ddim_full_loop_f64(const SchedulerConfig& c, int n = 10) {
  const int T = c.num_train_timesteps;
  std::vector<double> abar(static_cast<std::size_t>(T));
  double p = 1;
  for (int i = 0; i < T; ++i) {
    p *= 1 - (c.beta_start + (c.beta_end - c.beta_start) * i / (T - 1));
    abar[static_cast<std::size_t>(i)] = p;
  }
  const double final_abar = c.set_alpha_to_one ? 1.0 : abar[0];
  std::vector<double> x(768);
  const auto x32 = dummy_sample_deter();
  std::copy(x32.begin(), x32.end(), x.begin());
  for (int k = n - 1; k >= 0; --k) {
    const int t = k * (T / n) + c.steps_offset;
    const int prev = t - T / n;
    const double a = abar[static_cast<std::size_t>(t)], ap = prev >= 0 ? abar[static_cast<std::size_t>(prev)] : final_abar;
    for (auto& v : x) {
      const double mo = v * t / (t + 1.0);
      double x0, e;
      if (c.prediction_type == PredictionType::v_prediction) {
        x0 = std::sqrt(a) * v - std::sqrt(1 - a) * mo;
        e = std::sqrt(a) * mo + std::sqrt(1 - a) * v;
      } else {
        x0 = (v - std::sqrt(1 - a) * mo) / std::sqrt(a);
        e = mo;
      }
      if (c.clip_sample) x0 = std::clamp(x0, -1.0, 1.0);
      v = std::sqrt(ap) * x0 + std::sqrt(1 - ap) * e;
    }
  }
  return x;
}

}  // namespace

TEST_CASE("torch.linspace in float32 is exact at both ends and within a few ulps inside") {
  const auto b = torch_linspace_f32(0.0001, 0.02, 1000);
  REQUIRE(b.size() == 1000);
  CHECK(b[0] == 0.0001f);
  CHECK(b[999] == 0.02f);
  // s + step·i accumulates one rounding of step (×i) and one of the sum: ≤ 3 ulps of the value here.
  for (int i = 0; i < 1000; ++i) {
    const double exact = 0.0001 + (0.02 - 0.0001) * i / 999.0;
    INFO("i = " << i);
    CHECK(close_rel(b[static_cast<std::size_t>(i)], exact, 4 * eps32));
  }
  CHECK(torch_linspace_f32(3, 7, 1) == std::vector<float>{3.0f});
  CHECK(torch_linspace_f32(3, 7, 0).empty());
}

TEST_CASE("alphas_cumprod matches a float64 product to the accumulated float32 rounding of the alphas") {
  DDIMScheduler s(ddim_test_config());
  const auto& ac = s.alphas_cumprod();
  double p = 1;
  for (int i = 0; i < 1000; ++i) {
    p *= 1 - (0.0001 + (0.02 - 0.0001) * i / 999.0);
    // Each float alpha carries ≤ 1 ulp (β's ≤ 4 ulps ×β plus the subtraction); the product keeps them all:
    // (i+1) ulps of 1, plus the final rounding.
    INFO("i = " << i);
    CHECK(close_rel(ac[static_cast<std::size_t>(i)], p, (i + 2) * eps32));
  }
  // The running product is kept in double (torch's CPU acc_type<float>): rounding only at the output.
  std::vector<float> a{0.5f, 0.75f, 1.0f / 3.0f};
  const auto c = cumprod_f32(a);
  CHECK(c[2] == static_cast<float>(0.5 * 0.75 * static_cast<double>(1.0f / 3.0f)));
}

TEST_CASE("scaled_linear and squaredcos_cap_v2 betas follow their definitions") {
  SchedulerConfig c;
  c.beta_schedule = BetaSchedule::scaled_linear;
  c.beta_start = 0.00085;
  c.beta_end = 0.012;
  const auto b = make_betas(c);
  CHECK(close_rel(b[0], 0.00085, 2 * eps32));
  CHECK(close_rel(b[999], 0.012, 2 * eps32));
  const double mid = std::pow(std::sqrt(0.00085) + (std::sqrt(0.012) - std::sqrt(0.00085)) * 500 / 999, 2);
  CHECK(close_rel(b[500], mid, 8 * eps32));

  c.beta_schedule = BetaSchedule::squaredcos_cap_v2;
  const auto cb = make_betas(c);
  CHECK(cb[999] == 0.999f);  // ᾱ(1) = cos²(π/2) ≈ 0: β capped at max_beta
  // Telescoping: Π(1−β_i) = ᾱ(t+1/T)/ᾱ(0) wherever no β was capped.
  DDPMScheduler s(c);
  const auto f = [](double t) { return std::pow(std::cos((t + 0.008) / 1.008 * M_PI / 2), 2); };
  for (int t : {0, 10, 500, 900, 990}) {
    INFO("t = " << t);
    CHECK(close_rel(s.alphas_cumprod()[static_cast<std::size_t>(t)], f((t + 1) / 1000.0) / f(0), (t + 2) * 2 * eps32));
  }
}

TEST_CASE("the DDPM-only sigmoid schedule is GeoDiff's scaled sigmoid; DDIM refuses it like the reference") {
  SchedulerConfig c;
  c.beta_schedule = BetaSchedule::sigmoid;
  DDPMScheduler s(c);
  // σ(±6) and σ(0) = 1/2 at the middle of an odd grid: β = σ(x)(β₁ − β₀) + β₀, float32 with an expf.
  SchedulerConfig c3 = c;
  c3.num_train_timesteps = 3;
  const auto b = make_betas(c3);
  const double span = 0.02 - 0.0001;
  CHECK(close_rel(b[0], 1 / (1 + std::exp(6.0)) * span + 0.0001, 8 * eps32));
  CHECK(close_rel(b[1], 0.5 * span + 0.0001, 4 * eps32));
  CHECK(close_rel(b[2], 1 / (1 + std::exp(-6.0)) * span + 0.0001, 8 * eps32));
  for (std::size_t i = 1; i < s.betas().size(); ++i) CHECK(s.betas()[i] >= s.betas()[i - 1]);
  CHECK_THROWS_AS(DDIMScheduler{c}, probwasm::type_error);
}

TEST_CASE("rescale_zero_terminal_snr gives zero terminal SNR and is affine in sqrt(alphas_cumprod)") {
  SchedulerConfig c = ddim_test_config();
  DDIMScheduler plain(c);
  c.rescale_betas_zero_snr = true;
  DDIMScheduler z(c);
  const auto& a0 = plain.alphas_cumprod();
  const auto& a1 = z.alphas_cumprod();
  CHECK(a1[999] == 0.0f);
  CHECK(z.betas()[999] == 1.0f);
  const double s0 = std::sqrt(double(a0[0])), sT = std::sqrt(double(a0[999]));
  for (int t : {0, 1, 100, 500, 900, 998}) {
    const double expect = (std::sqrt(double(a0[static_cast<std::size_t>(t)])) - sT) * s0 / (s0 - sT);
    INFO("t = " << t);
    // float32 shift/scale/square/ratio/cumprod: a few ulps per op, the cumprod re-accumulates t+1 of them.
    CHECK(close_rel(std::sqrt(double(a1[static_cast<std::size_t>(t)])), expect, (t + 16) * eps32));
  }
}

TEST_CASE("set_timesteps reproduces the reference's three spacings, numpy rounding included") {
  // test_scheduler_ddim.py test_steps_offset: steps_offset=1, 5 steps → [801, 601, 401, 201, 1].
  SchedulerConfig c = ddim_test_config();
  c.steps_offset = 1;
  DDIMScheduler s(c);
  s.set_timesteps(5);
  CHECK(s.timesteps() == std::vector<int>{801, 601, 401, 201, 1});

  CHECK(spaced_timesteps(1000, 10, TimestepSpacing::leading, 0) ==
        std::vector<int>{900, 800, 700, 600, 500, 400, 300, 200, 100, 0});
  CHECK(spaced_timesteps(1000, 10, TimestepSpacing::trailing, 0) ==
        std::vector<int>{999, 899, 799, 699, 599, 499, 399, 299, 199, 99});
  CHECK(spaced_timesteps(1000, 10, TimestepSpacing::linspace, 0) ==
        std::vector<int>{999, 888, 777, 666, 555, 444, 333, 222, 111, 0});
  // Ties go to even (np.round): linspace(0, 5, 3) = 0, 2.5, 5 → 0, 2, 5; arange(10, 0, −2.5) → 10, 8, 5, 2.
  CHECK(spaced_timesteps(6, 3, TimestepSpacing::linspace, 0) == std::vector<int>{5, 2, 0});
  CHECK(spaced_timesteps(10, 4, TimestepSpacing::trailing, 0) == std::vector<int>{9, 7, 4, 1});
  // numpy's float arange: ceil(15/(15/13)) = 14 entries, the last 15 − 13·(15/13) ≈ 7e−15 → round 0 → −1
  // (worked out with Python floats, which are numpy's doubles). steps_offset is ignored off 'leading'.
  CHECK(spaced_timesteps(15, 13, TimestepSpacing::trailing, 3) ==
        std::vector<int>{14, 13, 12, 11, 9, 8, 7, 6, 5, 4, 2, 1, 0, -1});
  CHECK(spaced_timesteps(1000, 61, TimestepSpacing::trailing, 0).size() == 62);
  CHECK(spaced_timesteps(7, 1, TimestepSpacing::linspace, 0) == std::vector<int>{0});
  CHECK(spaced_timesteps(7, 7, TimestepSpacing::leading, 0) == std::vector<int>{6, 5, 4, 3, 2, 1, 0});

  // diffusers issue #9261 (trailing, 13 of 1000 steps) lists the timesteps and DDIM's fixed-stride
  // previous timesteps t − 1000//13 = t − 76: 999 → 923, 922 → 846, …, 76 → 0.
  SchedulerConfig tc = ddim_test_config();
  tc.timestep_spacing = TimestepSpacing::trailing;
  DDIMScheduler tr(tc);
  tr.set_timesteps(13);
  CHECK(tr.timesteps() == std::vector<int>{999, 922, 845, 768, 691, 614, 537, 461, 384, 307, 230, 153, 76});
  CHECK(tr.previous_timestep(999) == 923);
  CHECK(tr.previous_timestep(461) == 385);
  CHECK(tr.previous_timestep(76) == 0);

  CHECK_THROWS_AS(s.set_timesteps(0), std::invalid_argument);     // test_num_inference_steps_zero_raises
  CHECK_THROWS_AS(s.set_timesteps(1001), std::invalid_argument);  // "cannot be larger than train_timesteps"
}

TEST_CASE("DDIM variance matches the reference's test_variance values") {
  DDIMScheduler s(ddim_test_config());
  // test_scheduler_ddim.py test_variance (tolerance 1e-5 there; the printed values have 5 decimals).
  CHECK(std::fabs(s.variance(0, 0) - 0.0) < 1e-5);
  CHECK(std::fabs(s.variance(420, 400) - 0.14771) < 1e-5);
  CHECK(std::fabs(s.variance(980, 960) - 0.32460) < 1e-5);
  CHECK(std::fabs(s.variance(487, 486) - 0.00979) < 1e-5);
  CHECK(std::fabs(s.variance(999, 998) - 0.02) < 1e-5);
}

TEST_CASE("DDPM variance matches the reference's test_variance values") {
  SchedulerConfig c = ddim_test_config();
  DDPMScheduler s(c);
  // test_scheduler_ddpm.py test_variance; t = 0 is clamped to 1e-20, not 0.
  CHECK(s.variance(0) == 1e-20f);
  CHECK(std::fabs(s.variance(487) - 0.00979) < 1e-5);
  CHECK(std::fabs(s.variance(999) - 0.02) < 1e-5);
  c.variance_type = VarianceType::fixed_large;
  // β_t re-derived as 1 − ᾱ_t/ᾱ_{t−1} in float32: a few ulps of 1 off the schedule's β.
  CHECK(close_abs(DDPMScheduler(c).variance(487), DDPMScheduler(c).betas()[487], 4 * eps32));
}

TEST_CASE("DDIM full loops reproduce the reference's deterministic test sums") {
  // Tolerances: the reference prints 4 decimals; its float32 torch.sum of 768 terms and ours (in double of
  // the same float32 values) differ by ≤ log2(768)·eps32·sum ≈ 1e-4 for sums near 170, and our elementwise
  // float32 values match torch's to an ulp or two (768 × 2 ulps × 0.5 ≈ 1e-4). So 4e-4 on sums, and the
  // mean (sum/768) to its printed digits.
  SUBCASE("no noise, epsilon (test_full_loop_no_noise: 172.0067, 0.223967)") {
    const auto x = ddim_full_loop(ddim_test_config());
    CHECK(std::fabs(abs_sum(x) - 172.0067) < 4e-4);
    CHECK(std::fabs(abs_sum(x) / 768 - 0.223967) < 1e-6);
  }
  SUBCASE("v_prediction (test_full_loop_with_v_prediction: 52.5302, 0.0684)") {
    SchedulerConfig c = ddim_test_config();
    c.prediction_type = PredictionType::v_prediction;
    const auto x = ddim_full_loop(c);
    CHECK(std::fabs(abs_sum(x) - 52.5302) < 4e-4);
    CHECK(std::fabs(abs_sum(x) / 768 - 0.0684) < 5e-5);
  }
  SUBCASE("set_alpha_to_one with beta_start 0.01 (149.8295 / 0.1951; false: 149.0784 / 0.1941)") {
    SchedulerConfig c = ddim_test_config();
    c.beta_start = 0.01;
    c.set_alpha_to_one = true;
    CHECK(std::fabs(abs_sum(ddim_full_loop(c)) - 149.8295) < 4e-4);
    c.set_alpha_to_one = false;
    CHECK(std::fabs(abs_sum(ddim_full_loop(c)) - 149.0784) < 4e-4);
    CHECK(std::fabs(abs_sum(ddim_full_loop(c)) / 768 - 0.1941) < 5e-5);
  }
  SUBCASE("with add_noise at timesteps[8] (test_full_loop_with_noise: 354.5418, 0.4616)") {
    DDIMScheduler s(ddim_test_config());
    s.set_timesteps(10);
    const std::vector<int> ts(s.timesteps().begin() + 8, s.timesteps().end());
    REQUIRE(ts == std::vector<int>{100, 0});
    auto x = s.add_noise(dummy_sample_deter(), dummy_sample_deter(true), {ts[0]});
    for (int t : ts) x = s.step(dummy_model(x, t), t, x).prev_sample;
    CHECK(std::fabs(abs_sum(x) - 354.5418) < 4e-4);
    CHECK(std::fabs(abs_sum(x) / 768 - 0.4616) < 5e-5);
  }
}

TEST_CASE("DDIM steps at t = 0, 1, 2 reproduce test_scheduler_ddim_parallel.py's batch_step_no_noise (1147.7904)") {
  // Three copies of the dummy sample (+0, +0.1, −0.1) stepped at t = 0, 1, 2 of 10 steps; every previous
  // timestep is negative, so ᾱ_prev = final_alpha_cumprod = 1. Sum of 2304 values near 1148: torch's float32
  // sum differs from ours by ≤ log2(2304)·eps32/2·1148 ≈ 8e-4.
  DDIMScheduler s(ddim_test_config());
  s.set_timesteps(10);
  const auto x = dummy_sample_deter();
  double sum = 0;
  for (int j = 0; j < 3; ++j) {
    const float off = j == 0 ? 0.0f : (j == 1 ? 0.1f : -0.1f);
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] + off;
    sum += abs_sum(s.step(dummy_model(y, j), j, y).prev_sample);
  }
  CHECK(std::fabs(sum - 1147.7904) < 1e-3);
  CHECK(std::fabs(sum / 2304 - 0.4982) < 5e-5);
}

TEST_CASE("DDIM full loops agree with an independent float64 re-derivation") {
  for (bool v : {false, true})
    for (bool one : {true, false}) {
      SchedulerConfig c = ddim_test_config();
      c.prediction_type = v ? PredictionType::v_prediction : PredictionType::epsilon;
      c.set_alpha_to_one = one;
      c.beta_start = 0.01;
      const auto x = ddim_full_loop(c);
      const auto y = ddim_full_loop_f64(c);
      CAPTURE(v);
      CAPTURE(one);
      // 10 steps of O(10) float32 ops on O(1) values, ᾱ off by ≤ 1000 ulps relative: 1e-4 absolute is
      // ~2000 eps32, the ᾱ error dominating.
      for (std::size_t i = 0; i < x.size(); ++i) CHECK(close_abs(x[i], y[i], 2000 * eps32));
    }
}

TEST_CASE("DDIM with eta = 0 satisfies Su's ODE-form identity (post 4 §4.6)") {
  SchedulerConfig c = ddim_test_config();
  c.clip_sample = false;
  DDIMScheduler s(c);
  s.set_timesteps(50);
  const std::vector<float> x{0.3f, -1.2f, 2.5f, 0.0f}, e{1.1f, -0.4f, 0.2f, -2.0f};
  for (int t : {980, 500, 20}) {
    const auto out = s.step(e, t, x).prev_sample;
    const double a = s.alphas_cumprod()[static_cast<std::size_t>(t)], ap = s.alphas_cumprod()[static_cast<std::size_t>(t - 20)];
    for (std::size_t i = 0; i < x.size(); ++i) {
      // x_prev/ᾱ_prev − x/ᾱ = (β̄_prev/ᾱ_prev − β̄/ᾱ)·ε, Su's ᾱ = √(DDPM ᾱ).
      const double lhs = out[i] / std::sqrt(ap) - x[i] / std::sqrt(a);
      const double rhs = (std::sqrt(1 - ap) / std::sqrt(ap) - std::sqrt(1 - a) / std::sqrt(a)) * e[i];
      INFO("t = " << t << ", i = " << i);
      // float32 intermediates scaled by 1/√ᾱ (≤ 1/0.08 at t = 980): 64 eps32 relative to the largest term.
      CHECK(close_abs(lhs, rhs, 64 * eps32 * (std::fabs(x[i]) + std::fabs(e[i])) / std::sqrt(a)));
    }
  }
}

TEST_CASE("DDIM with eta = 1 and every timestep is DDPM's step (post 4 §4.3, item 1)") {
  SchedulerConfig c = ddim_test_config();
  c.clip_sample = false;
  DDIMScheduler ddim(c);
  ddim.set_timesteps(1000);
  DDPMScheduler ddpm(c);
  const std::vector<float> x{0.3f, -1.2f, 2.5f, 0.7f}, e{1.1f, -0.4f, 0.2f, -2.0f}, z{0.5f, -1.5f, 0.25f, 2.0f};
  for (int t : {999, 500, 10, 1}) {
    StepOptions o;
    o.eta = 1;
    o.variance_noise = z;
    const auto a = ddim.step(e, t, x, o).prev_sample;
    const auto b = ddpm.step(e, t, x, o).prev_sample;
    // The two forms differ in how they round 1 − ᾱ (relative error eps32/(1 − ᾱ_t), large near t = 0,
    // where √(1 − ᾱ_prev − σ²) cancels): 16 such errors bound the gap.
    const double cond = 1.0 / (1.0 - ddim.alphas_cumprod()[static_cast<std::size_t>(t)]);
    for (std::size_t i = 0; i < x.size(); ++i) {
      INFO("t = " << t << ", i = " << i << ": " << a[i] << " vs " << b[i]);
      CHECK(close_abs(a[i], b[i], 16 * eps32 * cond * (std::fabs(x[i]) + std::fabs(e[i]) + std::fabs(z[i]))));
    }
  }
}

TEST_CASE("DDIM options: clipping, use_clipped_model_output, prediction types, eta noise") {
  SchedulerConfig c = ddim_test_config();
  DDIMScheduler s(c);
  s.set_timesteps(10);
  const std::vector<float> x{3.0f, -3.0f, 0.1f}, e{0.0f, 0.0f, 0.0f};
  const float a = s.alphas_cumprod()[100];
  const auto o = s.step(e, 100, x);
  // x̂_0 = x/√ᾱ clipped to ±1.
  CHECK(o.pred_original_sample[0] == 1.0f);
  CHECK(o.pred_original_sample[1] == -1.0f);
  CHECK(o.pred_original_sample[2] == 0.1f / std::sqrt(a));
  StepOptions u;
  u.use_clipped_model_output = true;
  const auto o2 = s.step(e, 100, x, u);
  // ε re-derived from the clipped x̂_0: (x − √ᾱ x̂_0)/√(1−ᾱ); ᾱ_prev = ᾱ_0 (stride 100).
  const float ap = s.alphas_cumprod()[0];
  const double eps0 = (3.0 - std::sqrt(double(a)) * 1.0) / std::sqrt(1.0 - a);
  CHECK(close_rel(o2.prev_sample[0], std::sqrt(double(ap)) * 1.0 + std::sqrt(1.0 - ap) * eps0, 8 * eps32));
  CHECK(o.prev_sample[0] == std::sqrt(ap) * 1.0f);  // without it the ε = 0 direction term vanishes

  // η > 0 with explicit noise: the noise enters as σ·z exactly.
  StepOptions n1;
  n1.eta = 0.5;
  n1.variance_noise = std::vector<float>{1.0f, 0.0f, -2.0f};
  const auto d = s.step(e, 900, x, n1).prev_sample;
  StepOptions n0 = n1;
  n0.variance_noise = std::vector<float>{0.0f, 0.0f, 0.0f};
  const auto d0 = s.step(e, 900, x, n0).prev_sample;
  const float sigma = 0.5f * std::sqrt(s.variance(900, 800));
  CHECK(d[1] == d0[1]);
  CHECK(close_abs(d[0] - d0[0], sigma, 4 * eps32));
  CHECK(close_abs(d[2] - d0[2], -2 * sigma, 8 * eps32));
  // Seeded noise: reproducible; passing both seed and noise is an error (as generator + variance_noise).
  StepOptions s1;
  s1.eta = 1;
  s1.seed = 42;
  CHECK(s.step(e, 900, x, s1).prev_sample == s.step(e, 900, x, s1).prev_sample);
  s1.variance_noise = std::vector<float>{0, 0, 0};
  CHECK_THROWS_AS(s.step(e, 900, x, s1), std::invalid_argument);

  // sample prediction: x̂_0 is the output itself (clipped).
  c.prediction_type = PredictionType::sample;
  DDIMScheduler sp(c);
  sp.set_timesteps(10);
  CHECK(sp.step({0.5f, 2.0f, -0.25f}, 500, x).pred_original_sample == std::vector<float>{0.5f, 1.0f, -0.25f});
}

TEST_CASE("dynamic thresholding takes torch.quantile of |x| per item and rescales") {
  // |x| sorted = 0.5, 1, 2, 3; rank 0.5·3 = 1.5 → s = 1.5; clamp to ±1.5 then divide.
  const std::vector<float> x{0.5f, -3.0f, 2.0f, 1.0f};
  const auto y = threshold_sample(x, 1, 0.5, 10.0);
  CHECK(y == std::vector<float>{0.5f / 1.5f, -1.0f, 1.0f, 1.0f / 1.5f});
  // s is clamped to [1, sample_max_value].
  CHECK(threshold_sample(x, 1, 0.5, 1.2)[3] == 1.0f / 1.2f);
  CHECK(threshold_sample(x, 1, 0.0, 10.0) == std::vector<float>{0.5f, -1.0f, 1.0f, 1.0f});  // s = max(0.5,1) = 1
  // sample_max_value < 1 wins over min = 1 (torch.clamp applies max last).
  CHECK(threshold_sample({0.25f, 4.0f}, 1, 0.5, 0.5) == std::vector<float>{0.5f, 1.0f});
  // Items are independent.
  const auto two = threshold_sample({0.5f, -3.0f, 2.0f, 1.0f, 0.1f, 0.2f, 0.3f, 0.4f}, 2, 0.5, 10.0);
  CHECK(two[4] == 0.1f);
  CHECK(two[1] == -1.0f);
  // NaN in an item makes the whole item NaN (torch.quantile's rule); the other item is untouched.
  const auto nan = threshold_sample({1.0f, std::nanf(""), 0.5f, 0.5f}, 2, 0.5, 10.0);
  CHECK(std::isnan(nan[0]));
  CHECK(nan[2] == 0.5f);
  CHECK_THROWS_AS(threshold_sample(x, 3, 0.5, 1.0), std::invalid_argument);
}

TEST_CASE("add_noise and get_velocity follow q(x_t|x_0), and v_prediction recovers x_0") {
  DDPMScheduler s(ddim_test_config());
  const std::vector<float> x0{0.5f, -0.25f, 1.0f, 0.0f}, e{1.0f, 2.0f, -1.0f, 0.5f};
  const float a = s.alphas_cumprod()[300];
  const auto xt = s.add_noise(x0, e, {300});
  for (std::size_t i = 0; i < 4; ++i) CHECK(xt[i] == std::sqrt(a) * x0[i] + std::sqrt(1.0f - a) * e[i]);
  // One timestep per item (2 items of 2).
  const auto per = s.add_noise(x0, e, {0, 999});
  CHECK(per[0] == std::sqrt(s.alphas_cumprod()[0]) * x0[0] + std::sqrt(1.0f - s.alphas_cumprod()[0]) * e[0]);
  CHECK(per[3] == std::sqrt(s.alphas_cumprod()[999]) * x0[3] + std::sqrt(1.0f - s.alphas_cumprod()[999]) * e[3]);
  SchedulerConfig c = ddim_test_config();
  c.prediction_type = PredictionType::v_prediction;
  c.clip_sample = false;
  DDPMScheduler v(c);
  const auto vel = v.get_velocity(x0, e, {300});
  const auto rec = v.step(vel, 300, xt).pred_original_sample;
  // x̂_0 = √ᾱ x_t − √(1−ᾱ) v = (ᾱ + 1 − ᾱ) x_0 up to a few float32 roundings.
  for (std::size_t i = 0; i < 4; ++i) CHECK(close_abs(rec[i], x0[i], 8 * eps32));
  CHECK_THROWS_AS(s.add_noise(x0, e, {0, 1, 2}), std::invalid_argument);
  CHECK_THROWS_AS(s.add_noise(x0, e, {1000}), std::invalid_argument);
  CHECK_THROWS_AS(s.add_noise(x0, {1.0f}, {1}), std::invalid_argument);
}

TEST_CASE("DDPM previous timesteps: t-1, the list after set_timesteps, and custom timesteps") {
  DDPMScheduler s(ddim_test_config());
  CHECK(s.previous_timestep(500) == 499);
  s.set_timesteps(10);  // leading: 900 … 0
  CHECK(s.previous_timestep(900) == 800);
  CHECK(s.previous_timestep(0) == -1);
  CHECK_THROWS_AS(s.previous_timestep(901), std::invalid_argument);
  // test_scheduler_ddpm.py test_custom_timesteps: [100, 87, 50, 1, 0] → 87, 50, 1, 0, −1.
  s.set_custom_timesteps({100, 87, 50, 1, 0});
  CHECK(s.previous_timestep(100) == 87);
  CHECK(s.previous_timestep(87) == 50);
  CHECK(s.previous_timestep(1) == 0);
  CHECK(s.previous_timestep(0) == -1);
  CHECK_THROWS_AS(s.set_custom_timesteps({100, 87, 50, 51, 0}), std::invalid_argument);  // not descending
  CHECK_THROWS_AS(s.set_custom_timesteps({1000}), std::invalid_argument);               // too large
}

TEST_CASE("DDPM step: mean of DDPM eq. 7, noise only for t > 0, variance types") {
  SchedulerConfig c = ddim_test_config();
  c.clip_sample = false;
  const std::vector<float> x{0.3f, -1.2f}, e{1.1f, -0.4f}, z{1.0f, -2.0f};
  StepOptions noise;
  noise.variance_noise = z;
  StepOptions zero;
  zero.variance_noise = std::vector<float>{0.0f, 0.0f};
  DDPMScheduler s(c);
  // t = 0: no noise at all, whatever the seed.
  StepOptions sa, sb;
  sa.seed = 1;
  sb.seed = 2;
  CHECK(s.step(e, 0, x, sa).prev_sample == s.step(e, 0, x, sb).prev_sample);
  // The mean against a float64 evaluation of μ̃ = (x − β_t/√(1−ᾱ_t) ε)/√α_t (the ε form of eq. 7).
  const double a = s.alphas_cumprod()[400], ap = s.alphas_cumprod()[399];
  const auto m = s.step(e, 400, x, zero).prev_sample;
  for (std::size_t i = 0; i < 2; ++i) {
    const double mu = (x[i] - (1 - a / ap) / std::sqrt(1 - a) * e[i]) / std::sqrt(a / ap);
    CHECK(close_abs(m[i], mu, 32 * eps32 * (std::fabs(x[i]) + std::fabs(e[i])) / std::sqrt(a)));
  }
  const auto withz = s.step(e, 400, x, noise).prev_sample;
  CHECK(close_abs(withz[0] - m[0], std::sqrt(s.variance(400)), 4 * eps32));
  for (VarianceType vt : {VarianceType::fixed_small_log, VarianceType::fixed_large}) {
    c.variance_type = vt;
    DDPMScheduler v(c);
    const auto d = v.step(e, 400, x, noise).prev_sample;
    const double sd = vt == VarianceType::fixed_large ? std::sqrt(v.betas()[400]) : std::sqrt(DDPMScheduler(ddim_test_config()).variance(400));
    CHECK(close_abs(d[1] - m[1], -2 * sd, 16 * eps32));
  }
  // fixed_large_log: the reference adds √(log β) = NaN; reproduced.
  c.variance_type = VarianceType::fixed_large_log;
  CHECK(std::isnan(DDPMScheduler(c).step(e, 400, x, noise).prev_sample[0]));
  // learned_range: v = −1 gives the fixed_small log-variance, +1 the fixed_large one.
  c.variance_type = VarianceType::learned_range;
  DDPMScheduler lr(c);
  const auto lo = lr.step({1.1f, -0.4f, -1.0f, -1.0f}, 400, x, noise).prev_sample;
  const auto hi = lr.step({1.1f, -0.4f, 1.0f, 1.0f}, 400, x, noise).prev_sample;
  CHECK(close_abs(lo[0] - m[0], std::sqrt(s.variance(400)), 16 * eps32));
  CHECK(close_abs(hi[0] - m[0], std::sqrt(s.betas()[400]), 16 * eps32));
  CHECK_THROWS_AS(lr.step(e, 400, x, noise), std::invalid_argument);  // no predicted variance
  // learned: the second half is the variance itself.
  c.variance_type = VarianceType::learned;
  const auto l = DDPMScheduler(c).step({1.1f, -0.4f, 0.25f, 0.25f}, 400, x, noise).prev_sample;
  CHECK(close_abs(l[0] - m[0], 0.5, 8 * eps32));
}

TEST_CASE("the normal stream is reproducible and standard") {
  NormalStream a(7), b(7), c(8);
  const auto x = a.draw(100000);
  CHECK(x == b.draw(100000));
  CHECK(x != c.draw(100000));
  double m = 0, v = 0;
  for (float t : x) m += t;
  m /= x.size();
  for (float t : x) v += (t - m) * (t - m);
  v /= x.size() - 1;
  // 5-sigma bands: sd(mean) = 1/√n, sd(var) ≈ √(2/n).
  CHECK(std::fabs(m) < 5 / std::sqrt(1e5));
  CHECK(std::fabs(v - 1) < 5 * std::sqrt(2 / 1e5));
}

TEST_CASE("bad configs and arguments throw naming the parameter") {
  auto bad = [](auto f, const char* needle) {
    try {
      f();
      FAIL("no throw");
    } catch (const std::invalid_argument& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(needle) != std::string::npos);
    }
  };
  SchedulerConfig c;
  c.num_train_timesteps = 0;
  bad([&] { DDIMScheduler s(c); }, "config.numTrainTimesteps");
  c = {};
  c.beta_end = std::nan("");
  bad([&] { DDIMScheduler s(c); }, "config.betaEnd");
  c = {};
  c.dynamic_thresholding_ratio = 1.5;
  bad([&] { DDPMScheduler s(c); }, "config.dynamicThresholdingRatio");
  c = {};
  c.trained_betas = {0.1, 0.2};
  bad([&] { DDPMScheduler s(c); }, "config.trainedBetas");
  // The reference's implied domain (issue 12.5): 0 < betaStart ≤ betaEnd < 1, trained betas in (0, 1),
  // 0 ≤ stepsOffset < T (2³¹ − 1 used to overflow i·ratio + offset).
  for (double b : {0.0, -0.1, 1.0, 1.5, 1e308}) {
    c = {};
    c.beta_start = b;
    bad([&] { DDIMScheduler s(c); }, "DDIMScheduler: config.betaStart must be in (0, 1)");
  }
  c = {};
  c.beta_end = 1e308;
  bad([&] { DDPMScheduler s(c); }, "DDPMScheduler: config.betaEnd must be in (0, 1)");
  c = {};
  c.beta_start = 0.03;
  bad([&] { DDIMScheduler s(c); }, "config.betaStart must be <= config.betaEnd = 0.02, got 0.03");
  c = {};
  c.num_train_timesteps = 2;
  c.trained_betas = {0.5, 1.0};
  bad([&] { DDPMScheduler s(c); }, "config.trainedBetas[1] must be in (0, 1) (a variance fraction), got 1");
  c = {};
  c.steps_offset = 2147483647;
  bad([&] { DDIMScheduler s(c); }, "config.stepsOffset must be an integer in [0, numTrainTimesteps − 1 = 999]");
  c = {};
  c.steps_offset = 999;
  DDIMScheduler late(c);
  bad([&] { late.set_timesteps(2); }, "leave room for config.stepsOffset = 999");
  late.set_timesteps(1);
  CHECK(late.timesteps() == std::vector<int>{999});
  c = {};
  c.beta_schedule = BetaSchedule::squaredcos_cap_v2;
  c.beta_start = 5;  // unused by the cosine schedule, as in the reference
  CHECK_NOTHROW(DDIMScheduler{c});
  CHECK_THROWS_AS(parse_beta_schedule("cosine", "DDIMScheduler"), probwasm::type_error);
  CHECK(parse_variance_type("learned_range", "DDPMScheduler") == VarianceType::learned_range);

  DDIMScheduler s{SchedulerConfig{}};
  bad([&] { s.step({1.0f}, 10, {1.0f}); }, "numInferenceSteps");
  s.set_timesteps(10);
  bad([&] { s.step({1.0f}, 1000, {1.0f}); }, "timestep");
  bad([&] { s.step({1.0f, 2.0f}, 10, {1.0f}); }, "modelOutput.length");
  bad([&] { s.step({1.0f}, 10, {std::nanf("")}); }, "sample[0]");
  StepOptions o;
  o.batch = 2;
  bad([&] { s.step({1.0f, 1.0f, 1.0f}, 10, {1.0f, 1.0f, 1.0f}, o); }, "batch");
  for (double eta : {1.5, -0.1, std::nan("")}) {
    StepOptions e;
    e.eta = eta;
    bad([&] { s.step({1.0f}, 10, {1.0f}, e); }, "DDIMScheduler.step: eta must be in [0, 1]");
  }
}

TEST_CASE("DDIM: the corrected previous-timestep rule and custom timesteps walk the schedule") {
  SchedulerConfig c;
  c.timestep_spacing = TimestepSpacing::linspace;
  DDIMScheduler s(c);
  s.set_timesteps(10);  // linspace: 999, 888, …, 111, 0 and the stride T//n = 100
  CHECK(s.timesteps()[1] == 888);
  CHECK(s.previous_timestep(999) == 899);  // diffusers' rule, off the grid
  s.set_timesteps(10, true);
  CHECK(s.follows_schedule());
  CHECK(s.previous_timestep(999) == 888);
  CHECK(s.previous_timestep(0) == -1);
  CHECK_THROWS_AS(s.previous_timestep(899), std::invalid_argument);
  // A followed step lands exactly on ᾱ of the next timestep: with ε = 0 (x = √ᾱ x0), x_prev = √ᾱ_prev·x0.
  std::vector<float> x0{0.5f}, x{std::sqrt(s.alphas_cumprod()[999]) * 0.5f};
  SchedulerConfig nc = c;
  nc.clip_sample = false;
  DDIMScheduler f(nc);
  f.set_timesteps(10, true);
  const auto out = f.step({0.0f}, 999, x);
  CHECK(out.prev_sample[0] == doctest::Approx(std::sqrt(f.alphas_cumprod()[888]) * 0.5).epsilon(1e-6));
  // Custom timesteps follow the given list; leading spacing with n | T is unchanged by following.
  f.set_custom_timesteps({700, 300, 0});
  CHECK(f.num_inference_steps() == 3);
  CHECK(f.previous_timestep(700) == 300);
  CHECK(f.previous_timestep(0) == -1);
  CHECK_THROWS_AS(f.set_custom_timesteps({300, 700}), std::invalid_argument);
  CHECK_THROWS_AS(f.set_custom_timesteps({1000}), std::invalid_argument);
  CHECK_THROWS_AS(f.set_custom_timesteps({}), std::invalid_argument);
  SchedulerConfig lc;
  DDIMScheduler a(lc), b(lc);
  a.set_timesteps(10);
  b.set_timesteps(10, true);
  for (int t : a.timesteps()) {  // the same ᾱ_prev: equal timesteps, or both below 0 (final_alpha_cumprod)
    const int pa = a.previous_timestep(t), pb = b.previous_timestep(t);
    CHECK((pa == pb || (pa < 0 && pb < 0)));
  }
}
