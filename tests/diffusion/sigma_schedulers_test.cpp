// Euler, Euler ancestral, DPM-Solver++ and UniPC replay diffusers' own full-loop tests
// (huggingface/diffusers 0.40.0.dev0 tests/schedulers/test_scheduler_euler.py, _euler_ancestral.py,
// _dpm_multi.py, _unipc.py): the reference asserts result_sum / result_mean printed to 4 decimals (or more),
// so agreement is checked to half a unit of the last printed digit (the rounding of the printed value)
// plus 1e-5 relative (float32 summation order of 768 values). Building blocks are checked against
// closed forms.
#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "common/errors.hpp"
#include "diffusers_fixtures.hpp"
#include "diffusion/sigma_schedulers.hpp"
#include "numeric_test.hpp"

using namespace probwasm::diffusion;
using namespace probwasm::testing::diffusers;
using probwasm::testing::close_rel;

namespace {

// |got − printed| ≤ ½ unit of the printed value's last decimal + 1e-5·|printed|.
bool matches_printed(double got, double printed, int decimals) {
  return std::fabs(got - printed) <= 0.5 * std::pow(10.0, -decimals) + 1e-5 * std::fabs(printed);
}

SigmaSchedulerConfig euler_test_config() {  // get_scheduler_config() of test_scheduler_euler*.py
  SigmaSchedulerConfig c = sigma_scheduler_defaults();
  c.base.num_train_timesteps = 1100;
  c.base.beta_start = 0.0001;
  c.base.beta_end = 0.02;
  return c;
}
SigmaSchedulerConfig dpm_test_config() {  // test_scheduler_dpm_multi.py
  SigmaSchedulerConfig c = sigma_scheduler_defaults();
  c.solver_order = 2;
  c.algorithm_type = AlgorithmType::dpmsolver_pp;
  c.solver_type = SolverType::midpoint;
  c.lower_order_final = false;
  c.final_sigmas_type = FinalSigmasType::sigma_min;
  return c;
}
SigmaSchedulerConfig unipc_test_config() {  // test_scheduler_unipc.py
  SigmaSchedulerConfig c = sigma_scheduler_defaults();
  c.solver_order = 2;
  c.solver_type = SolverType::bh2;
  c.final_sigmas_type = FinalSigmasType::sigma_min;
  return c;
}

// Euler family full_loop: sample = dummy·init_noise_sigma; per t: sample = scale(sample, t) (the test keeps
// the scaled sample, a quirk of the reference test), model, step.
template <class S>
std::vector<float> euler_loop(const SigmaSchedulerConfig& c, std::mt19937* gen = nullptr, int start = 0,
                              bool add_noise = false) {
  S s(c);
  s.set_timesteps(10);
  auto x = dummy_sample_deter();
  const float ins = s.init_noise_sigma();
  for (auto& v : x) v = v * ins;
  std::vector<double> ts(s.timesteps().begin() + start, s.timesteps().end());
  if (add_noise) x = s.add_noise(x, dummy_sample_deter(true), {ts[0]});
  for (double t : ts) {
    x = s.scale_model_input(x, t);
    StepOptions o;
    if (gen) o.variance_noise = torch_randn(*gen, x.size());
    x = s.step(dummy_model(x, t), t, x, o).prev_sample;
  }
  return x;
}

template <class S>
std::vector<float> multistep_loop(const SigmaSchedulerConfig& c, int spatial = 64, int start = 0, bool add_noise = false,
                                  std::mt19937* gen = nullptr) {
  S s(c);
  s.set_timesteps(10);
  auto x = dummy_sample_deter(false, spatial);
  std::vector<double> ts(s.timesteps().begin() + start, s.timesteps().end());
  if (add_noise) x = s.add_noise(x, dummy_sample_deter(true, spatial), {ts[0]});
  for (double t : ts) {
    StepOptions o;
    o.batch = 4;
    if (gen) o.variance_noise = torch_randn(*gen, x.size());
    x = s.step(dummy_model(x, t), t, x, o).prev_sample;
  }
  return x;
}

// Euler's full loop (T = 1100, 10 linspace steps) re-derived in float64 from the definitions: ᾱ from the
// linear betas, σ = √((1−ᾱ)/ᾱ) interpolated linearly at fractional t, c_in = 1/√(σ²+1), x̂_0 for ε or v,
// x ← x + (x − x̂_0)/σ·(σ_next − σ); each element evolves on its own. Returns Σ|x|.
double euler_full_loop_f64(bool v) {
  const int T = 1100, n = 10;
  std::vector<double> ac(T), sig(T);
  double p = 1;
  for (int i = 0; i < T; ++i) {
    p *= 1 - (0.0001 + (0.02 - 0.0001) * i / (T - 1));
    ac[static_cast<std::size_t>(i)] = p;
    sig[static_cast<std::size_t>(i)] = std::sqrt((1 - p) / p);
  }
  std::vector<double> ts(n), s(n + 1, 0.0);
  for (int k = 0; k < n; ++k) {
    ts[static_cast<std::size_t>(k)] = (T - 1) * static_cast<double>(n - 1 - k) / (n - 1);
    const auto j = static_cast<std::size_t>(std::floor(ts[static_cast<std::size_t>(k)]));
    const double f = ts[static_cast<std::size_t>(k)] - static_cast<double>(j);
    s[static_cast<std::size_t>(k)] = j + 1 < sig.size() ? sig[j] + (sig[j + 1] - sig[j]) * f : sig[j];
  }
  const auto x0s = dummy_sample_deter();
  double sum = 0;
  for (float xv : x0s) {
    double x = static_cast<double>(xv) * s[0];
    for (std::size_t q = 0; q < static_cast<std::size_t>(n); ++q) {
      const double sg = s[q], t = ts[q];
      x = x / std::sqrt(sg * sg + 1);
      const double mo = x * t / (t + 1);
      const double x0 = v ? mo * (-sg / std::sqrt(sg * sg + 1)) + x / (sg * sg + 1) : x - sg * mo;
      x = x + (x - x0) / sg * (s[q + 1] - sg);
    }
    sum += std::fabs(x);
  }
  return sum;
}

}  // namespace

TEST_CASE("np_linspace, np_interp and the Karras ramp follow their definitions") {
  const auto y = np_linspace(0, 1099, 10);
  CHECK(y.front() == 0.0);
  CHECK(y.back() == 1099.0);
  CHECK(y[3] == 3 * (1099.0 / 9));
  const std::vector<float> fp{1.0f, 3.0f, 7.0f};
  const auto v = np_interp_grid({-1.0, 0.0, 0.25, 1.0, 1.5, 2.0, 9.0}, fp);
  CHECK(v == std::vector<double>{1.0, 1.0, 1.5, 3.0, 5.0, 7.0, 7.0});
  // EDM eq. 5: ends are σ_max and σ_min (to the pow round trip), and σ^{1/ρ} is linear in i.
  const auto k = karras_sigmas(0.02, 80.0, 7);
  CHECK(close_rel(k.front(), 80.0, 8 * probwasm::testing::eps));
  CHECK(close_rel(k.back(), 0.02, 8 * probwasm::testing::eps));
  for (std::size_t i = 1; i + 1 < k.size(); ++i)
    CHECK(close_rel(std::pow(k[i], 1 / 7.0) * 2, std::pow(k[i - 1], 1 / 7.0) + std::pow(k[i + 1], 1 / 7.0), 16 * probwasm::testing::eps));
}

TEST_CASE("sigma_to_t inverts the piecewise-linear log-sigma table and clamps outside it") {
  std::vector<float> ls{0.0f, 1.0f, 3.0f, 4.0f};
  CHECK(sigma_to_t(std::exp(0.5), ls) == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(sigma_to_t(std::exp(2.0), ls) == doctest::Approx(1.5).epsilon(1e-15));
  CHECK(sigma_to_t(std::exp(4.0), ls) == 3.0);
  CHECK(sigma_to_t(std::exp(9.0), ls) == 3.0);   // above: clipped at the top
  CHECK(sigma_to_t(std::exp(-9.0), ls) == 0.0);  // below: w clipped to 0
  CHECK(sigma_to_t(1.0, ls) == 0.0);
}

TEST_CASE("Euler: timesteps, sigmas with the trailing 0, and init_noise_sigma") {
  EulerDiscreteScheduler s(euler_test_config());
  s.set_timesteps(10);
  REQUIRE(s.timesteps().size() == 10);
  REQUIRE(s.sigmas().size() == 11);
  CHECK(s.timesteps()[0] == 1099.0);
  CHECK(s.timesteps()[9] == 0.0);
  CHECK(s.timesteps()[1] == static_cast<double>(static_cast<float>(8 * (1099.0 / 9))));
  CHECK(s.sigmas()[10] == 0.0f);
  CHECK(s.init_noise_sigma() == s.sigmas()[0]);
  // σ at an integer timestep is the training table's entry √((1−ᾱ)/ᾱ).
  const float a0 = s.alphas_cumprod()[0];
  CHECK(s.sigmas()[9] == std::sqrt((1.0f - a0) / a0));
  for (std::size_t i = 1; i < 10; ++i) CHECK(s.sigmas()[i] < s.sigmas()[i - 1]);
}

TEST_CASE("Euler full loops reproduce test_scheduler_euler.py") {
  SUBCASE("test_full_loop_no_noise: sum 10.0807, mean 0.0131") {
    const auto x = euler_loop<EulerDiscreteScheduler>(euler_test_config());
    CHECK(matches_printed(abs_sum(x), 10.0807, 4));
    CHECK(matches_printed(abs_sum(x) / 768, 0.0131, 4));
  }
  SUBCASE("test_full_loop_with_v_prediction: |sum − 0.0002| < 1e-2, |mean − 2.2676e-06| < 1e-3") {
    // The printed pair is not self-consistent (0.0002/768 ≠ 2.2676e-06): the test only asserts "about 0".
    // The value itself comes from the float64 re-derivation: 2.418e-10.
    auto c = euler_test_config();
    c.base.prediction_type = PredictionType::v_prediction;
    const auto x = euler_loop<EulerDiscreteScheduler>(c);
    CHECK(std::fabs(abs_sum(x) - 0.0002) < 1e-2);
    CHECK(std::fabs(abs_sum(x) / 768 - 2.2676e-06) < 1e-3);
    // 10 float32 steps, each a few roundings of O(1) relative size: 1e-4 relative is ~100× that.
    CHECK(close_rel(abs_sum(x), euler_full_loop_f64(true), 1e-4));
  }
  SUBCASE("the epsilon full loop agrees with a float64 re-derivation") {
    CHECK(close_rel(abs_sum(euler_loop<EulerDiscreteScheduler>(euler_test_config())), euler_full_loop_f64(false), 1e-5));
  }
  SUBCASE("test_full_loop_device_karras_sigmas: sum 124.52299499511719, mean 0.16213932633399963") {
    auto c = euler_test_config();
    c.use_karras_sigmas = true;
    const auto x = euler_loop<EulerDiscreteScheduler>(c);
    CHECK(matches_printed(abs_sum(x), 124.52299499511719, 4));
    CHECK(matches_printed(abs_sum(x) / 768, 0.16213932633399963, 6));
  }
  SUBCASE("test_full_loop_with_noise: sum 57062.9297, mean 74.3007") {
    const auto x = euler_loop<EulerDiscreteScheduler>(euler_test_config(), nullptr, 8, true);
    CHECK(matches_printed(abs_sum(x), 57062.9297, 4));
    CHECK(matches_printed(abs_sum(x) / 768, 74.3007, 4));
  }
}

TEST_CASE("Euler ancestral full loops reproduce test_scheduler_euler_ancestral.py (torch.manual_seed(0) noise)") {
  SUBCASE("test_full_loop_no_noise: sum 152.3192, mean 0.1983") {
    std::mt19937 g(0);
    const auto x = euler_loop<EulerAncestralDiscreteScheduler>(euler_test_config(), &g);
    CHECK(matches_printed(abs_sum(x), 152.3192, 4));
    CHECK(matches_printed(abs_sum(x) / 768, 0.1983, 4));
  }
  SUBCASE("test_full_loop_with_v_prediction: sum 108.4439, mean 0.1412") {
    auto c = euler_test_config();
    c.base.prediction_type = PredictionType::v_prediction;
    std::mt19937 g(0);
    const auto x = euler_loop<EulerAncestralDiscreteScheduler>(c, &g);
    CHECK(matches_printed(abs_sum(x), 108.4439, 4));
    CHECK(matches_printed(abs_sum(x) / 768, 0.1412, 4));
  }
  SUBCASE("test_full_loop_with_noise: sum 56163.0508, mean 73.1290") {
    std::mt19937 g(0);
    const auto x = euler_loop<EulerAncestralDiscreteScheduler>(euler_test_config(), &g, 8, true);
    CHECK(matches_printed(abs_sum(x), 56163.0508, 4));
    CHECK(matches_printed(abs_sum(x) / 768, 73.1290, 4));
  }
}

TEST_CASE("DPM-Solver++ full loops reproduce test_scheduler_dpm_multi.py") {
  SUBCASE("test_full_loop_no_noise: mean 0.3301") {
    CHECK(matches_printed(abs_sum(multistep_loop<DPMSolverMultistepScheduler>(dpm_test_config())) / 768, 0.3301, 4));
  }
  SUBCASE("test_full_loop_with_noise: sum 318.4111, mean 0.4146") {
    const auto x = multistep_loop<DPMSolverMultistepScheduler>(dpm_test_config(), 64, 5, true);
    CHECK(matches_printed(abs_sum(x), 318.4111, 4));
    CHECK(matches_printed(abs_sum(x) / 768, 0.4146, 4));
  }
  SUBCASE("test_full_loop_no_noise_thres: mean 1.1364") {
    auto c = dpm_test_config();
    c.base.thresholding = true;
    c.base.dynamic_thresholding_ratio = 0.87;
    c.base.sample_max_value = 0.5;
    CHECK(matches_printed(abs_sum(multistep_loop<DPMSolverMultistepScheduler>(c)) / 768, 1.1364, 4));
  }
  SUBCASE("test_full_loop_with_v_prediction: mean 0.2251") {
    auto c = dpm_test_config();
    c.base.prediction_type = PredictionType::v_prediction;
    CHECK(matches_printed(abs_sum(multistep_loop<DPMSolverMultistepScheduler>(c)) / 768, 0.2251, 4));
  }
  SUBCASE("test_full_loop_with_karras_and_v_prediction: mean 0.2096 (to the reference's 1e-3)") {
    // 0.2096 dates from #3001 (2023), before "refactor DPMSolverMultistepScheduler using sigmas" (#4986) made
    // the steps use the Karras σ themselves instead of the table's σ at the rounded timesteps; the test
    // still passes at its 1e-3 tolerance and was never re-printed. We follow today's source: 0.20920.
    auto c = dpm_test_config();
    c.base.prediction_type = PredictionType::v_prediction;
    c.use_karras_sigmas = true;
    CHECK(std::fabs(abs_sum(multistep_loop<DPMSolverMultistepScheduler>(c)) / 768 - 0.2096) < 1e-3);
  }
}

TEST_CASE("test_solver_order_and_type: every DPM-Solver variant runs the full loop without NaN") {
  for (auto algo : {AlgorithmType::dpmsolver, AlgorithmType::dpmsolver_pp, AlgorithmType::sde_dpmsolver,
                    AlgorithmType::sde_dpmsolver_pp})
    for (auto st : {SolverType::midpoint, SolverType::heun})
      for (int order : {1, 2, 3})
        for (auto pt : {PredictionType::epsilon, PredictionType::sample}) {
          const bool sde = algo == AlgorithmType::sde_dpmsolver || algo == AlgorithmType::sde_dpmsolver_pp;
          if (sde && order == 3) continue;
          auto c = dpm_test_config();
          c.algorithm_type = algo;
          c.solver_type = st;
          c.solver_order = order;
          c.base.prediction_type = pt;
          std::mt19937 g(0);
          const auto x = multistep_loop<DPMSolverMultistepScheduler>(c, 64, 0, false, sde ? &g : nullptr);
          INFO(to_string(algo) << " " << to_string(st) << " order " << order);
          CHECK(std::none_of(x.begin(), x.end(), [](float v) { return std::isnan(v); }));
        }
}

TEST_CASE("UniPC full loops reproduce test_scheduler_unipc.py (2-D and 1-D samples)") {
  struct Case {
    bool v, karras;
    double mean2d, mean1d;
  };
  for (const Case& k : {Case{false, false, 0.2464, 0.2441}, Case{false, true, 0.2925, 0.2898},
                        Case{true, false, 0.1014, 0.1014}, Case{true, true, 0.1966, 0.1944}}) {
    auto c = unipc_test_config();
    if (k.v) c.base.prediction_type = PredictionType::v_prediction;
    c.use_karras_sigmas = k.karras;
    INFO("v_prediction " << k.v << ", karras " << k.karras);
    // The 2-D karras + v_prediction value (0.1966, #4581) predates the σ refactor (#4986), like DPM's 0.2096;
    // the 1-D one (0.1944, #5199) was printed after it and matches to its last digit. The 2-D one is
    // checked to the reference's own 1e-3.
    const double m2 = abs_sum(multistep_loop<UniPCMultistepScheduler>(c, 64)) / 768;
    if (k.v && k.karras)
      CHECK(std::fabs(m2 - k.mean2d) < 1e-3);
    else
      CHECK(matches_printed(m2, k.mean2d, 4));
    // Every step is linear in the sample (dummy model x·t/(t+1), no thresholding), so x_final = G·x_start
    // with one scalar G: mean|x| of the 1-D run over the 2-D run is mean(x_1d)/mean(x_2d) = (95/96)/(767/768).
    const double m1 = abs_sum(multistep_loop<UniPCMultistepScheduler>(c, 8)) / 96;
    CHECK(close_rel(m1 / m2, (95.0 / 96) / (767.0 / 768), 1e-5));
    // The 1-D v_prediction value printed by the reference (0.1014) is the 2-D one copied (#5199): by the
    // identity above it is 0.1014·0.99087 = 0.10047. It passes there at 1e-3, and so here.
    if (k.v && !k.karras)
      CHECK(std::fabs(m1 - k.mean1d) < 1e-3);
    else
      CHECK(matches_printed(m1, k.mean1d, 4));
  }
  const auto x = multistep_loop<UniPCMultistepScheduler>(unipc_test_config(), 64, 8, true);
  CHECK(matches_printed(abs_sum(x), 315.5757, 4));
  CHECK(matches_printed(abs_sum(x) / 768, 0.4109, 4));
  const auto y = multistep_loop<UniPCMultistepScheduler>(unipc_test_config(), 8, 8, true);
  CHECK(matches_printed(abs_sum(y), 39.0870, 4));
  CHECK(matches_printed(abs_sum(y) / 96, 0.4072, 4));
}

TEST_CASE("test_custom_timesteps: a loop on set_timesteps(timesteps=…) equals the loop it was read from") {
  for (auto pt : {PredictionType::epsilon, PredictionType::sample, PredictionType::v_prediction})
    for (auto fs : {FinalSigmasType::sigma_min, FinalSigmasType::zero}) {
      INFO("prediction " << to_string(pt) << ", final " << to_string(fs));
      auto c = euler_test_config();
      c.base.prediction_type = pt;
      c.final_sigmas_type = fs;
      EulerDiscreteScheduler a(c), b(c);
      a.set_timesteps(10);
      b.set_custom_timesteps(a.timesteps());
      CHECK(b.sigmas() == a.sigmas());
      CHECK(b.timesteps() == a.timesteps());
      auto d = dpm_test_config();
      d.base.prediction_type = pt;
      d.final_sigmas_type = fs;
      DPMSolverMultistepScheduler p(d), q(d);
      p.set_timesteps(10);
      q.set_custom_timesteps(p.timesteps());
      CHECK(q.sigmas() == p.sigmas());
      auto x = dummy_sample_deter(), y = x;
      for (double t : p.timesteps()) {
        x = p.step(dummy_model(x, t), t, x).prev_sample;
        y = q.step(dummy_model(y, t), t, y).prev_sample;
      }
      CHECK(x == y);
    }
  EulerDiscreteScheduler e(euler_test_config());
  CHECK_THROWS_AS(e.set_custom_timesteps({}), std::invalid_argument);
  CHECK_THROWS_AS(e.set_custom_timesteps({1100}), std::invalid_argument);
  DPMSolverMultistepScheduler f(dpm_test_config());
  CHECK_THROWS_WITH_AS(f.set_custom_timesteps({500.5}), doctest::Contains("timesteps[0] must be an integer"), std::invalid_argument);
  auto k = dpm_test_config();
  k.use_karras_sigmas = true;
  DPMSolverMultistepScheduler g(k);
  CHECK_THROWS_AS(g.set_custom_timesteps({500}), std::invalid_argument);
}
