// Embind glue for part B of the diffusion topic (src/diffusion/denoisers, sampling, mlp): the denoiser
// classes, the sampling loop and the sliced Wasserstein distance. Convert, call, guard. No maths here.
#include <cstdint>
#include <string>

#include "common.hpp"
#include "diffusion_config.hpp"
#include "diffusion/denoisers.hpp"
#include "diffusion/mlp.hpp"
#include "diffusion/sampling.hpp"

namespace d = probwasm::diffusion;
using emscripten::allow_raw_pointers;
using emscripten::val;
using probwasm::bind::from_f32;
using probwasm::bind::from_f64;
using probwasm::bind::guarded;
using probwasm::bind::to_f32;
using probwasm::bind::to_f64;
using probwasm::bind::to_i32;

namespace {

std::uint64_t seed_of(double s) { return static_cast<std::uint64_t>(s); }  // the facade checked 0 ≤ s ≤ 2^53

d::GaussianMixture* make_mixture(const val& weights, const val& means, const val& stds, int dim) {
  return guarded([&] {
    if (dim < 1) probwasm::fail("gaussianMixture", "dim", "be a positive integer", dim);
    return new d::GaussianMixture(to_f64(weights), to_f64(means), to_f64(stds), static_cast<std::size_t>(dim));
  });
}
d::GaussianMixture* make_empirical(const val& points, int dim) {
  return guarded([&] {
    if (dim < 1) probwasm::fail("empiricalDenoiser", "dim", "be a positive integer", dim);
    return new d::GaussianMixture(d::GaussianMixture::empirical(to_f64(points), static_cast<std::size_t>(dim)));
  });
}

int denoiser_dim(const d::Denoiser& m) { return static_cast<int>(m.dim()); }
val denoiser_epsilon(const d::Denoiser& m, const val& x, double alpha_bar, double t01) {
  return guarded([&] { return from_f64(m.epsilon(to_f64(x), alpha_bar, t01)); });
}
int mixture_components(const d::GaussianMixture& g) { return static_cast<int>(g.components()); }
val mixture_denoised(const d::GaussianMixture& g, const val& x, double alpha_bar) {
  return guarded([&] { return from_f64(g.denoised(to_f64(x), alpha_bar)); });
}
val mixture_log_density(const d::GaussianMixture& g, const val& x, double alpha_bar) {
  return guarded([&] { return from_f64(g.log_density(to_f64(x), alpha_bar)); });
}
val mixture_sample(const d::GaussianMixture& g, int n, double seed) {
  return guarded([&] {
    if (n < 0) probwasm::fail("sample", "n", "be a non-negative integer", n);
    const auto s = g.sample(static_cast<std::size_t>(n), seed_of(seed));
    return from_f32(std::vector<float>(s.begin(), s.end()));
  });
}

d::MlpShape mlp_shape(int dim, int hidden, int embed) {
  d::MlpShape s;
  s.dim = dim;
  s.hidden = hidden;
  s.embed = embed;
  return s;
}
d::MlpDenoiser* make_mlp(int dim, int hidden, int embed, double seed) {
  return guarded([&] { return new d::MlpDenoiser(mlp_shape(dim, hidden, embed), seed_of(seed)); });
}
d::MlpDenoiser* mlp_from_weights(int dim, int hidden, int embed, const val& weights) {
  return guarded([&] { return new d::MlpDenoiser(mlp_shape(dim, hidden, embed), to_f32(weights)); });
}
val mlp_weights(const d::MlpDenoiser& m) { return from_f32(m.weights()); }
val mlp_shape_of(const d::MlpDenoiser& m) {
  val o = val::object();
  o.set("dim", m.shape().dim);
  o.set("hidden", m.shape().hidden);
  o.set("embed", m.shape().embed);
  return o;
}
void mlp_set_training(d::MlpDenoiser& m, const val& data, const val& alphas_cumprod, int batch, double lr, double seed) {
  guarded([&] { m.set_training(to_f64(data), to_f64(alphas_cumprod), batch, lr, seed_of(seed)); });
}
double mlp_train(d::MlpDenoiser& m, int iterations) {
  return guarded([&] { return m.train(iterations); });
}
double mlp_iterations(const d::MlpDenoiser& m) { return static_cast<double>(m.iterations_done()); }

// The schedule comes from a scheduler object of part A (its float32 ᾱ, timesteps and previous timesteps, read
// by the facade); `config` is that scheduler's full snake_case config, for the clip / prediction-type checks.
struct Run {
  d::Schedule schedule;
  d::SampleOptions opts;
  std::vector<double> noise;
};
Run make_run(const val& alphas_cumprod, const val& timesteps, const val& prev, double final_alpha, const val& config,
             const std::string& sampler, double eta, double seed, const val& noise) {
  Run r;
  r.schedule = d::schedule_from_timesteps(to_f64(alphas_cumprod), to_i32(timesteps), to_i32(prev), final_alpha);
  d::SchedulerConfig c;
  c.prediction_type = d::parse_prediction_type(config["prediction_type"].as<std::string>(), "sampleDiffusion");
  c.thresholding = config["thresholding"].as<bool>();
  c.clip_sample = config["clip_sample"].as<bool>();
  c.clip_sample_range = config["clip_sample_range"].as<double>();
  r.opts.sampler = d::parse_sampler(sampler);
  r.opts.eta = eta;
  r.opts.seed = seed_of(seed);
  d::apply_config(c, r.opts);
  if (!noise.isNull() && !noise.isUndefined()) r.noise = to_f64(noise);
  return r;
}

val sample(const d::Denoiser& m, const val& ac, const val& ts, const val& prev, double final_alpha, const val& config,
           const std::string& sampler, double eta, int count, double seed, int first, const val& noise) {
  return guarded([&] {
    Run r = make_run(ac, ts, prev, final_alpha, config, sampler, eta, seed, noise);
    if (count < 0) probwasm::fail("sampleDiffusion", "count", "be a non-negative integer", count);
    if (!r.noise.empty() && r.noise.size() != static_cast<std::size_t>(count) * m.dim())
      probwasm::fail("sampleDiffusion", "noise", "have count × dim = " + std::to_string(count * m.dim()) + " entries",
                     r.noise.size());
    const auto x = d::sample(m, r.schedule, r.opts, static_cast<std::size_t>(count), static_cast<std::size_t>(first),
                             r.noise.empty() ? nullptr : r.noise.data());
    return from_f32(std::vector<float>(x.begin(), x.end()));
  });
}

val trajectory(const d::Denoiser& m, const val& ac, const val& ts, const val& prev, double final_alpha, const val& config,
               const std::string& sampler, double eta, int count, double seed, const val& noise) {
  return guarded([&] {
    Run r = make_run(ac, ts, prev, final_alpha, config, sampler, eta, seed, noise);
    if (count < 0) probwasm::fail("diffusionTrajectory", "count", "be a non-negative integer", count);
    if (!r.noise.empty() && r.noise.size() != static_cast<std::size_t>(count) * m.dim())
      probwasm::fail("diffusionTrajectory", "noise", "have count × dim = " + std::to_string(count * m.dim()) + " entries",
                     r.noise.size());
    d::Trajectory tr;
    d::sample(m, r.schedule, r.opts, static_cast<std::size_t>(count), 0, r.noise.empty() ? nullptr : r.noise.data(), &tr);
    val o = val::object();
    o.set("xs", from_f32(std::vector<float>(tr.xs.begin(), tr.xs.end())));
    o.set("x0s", from_f32(std::vector<float>(tr.x0s.begin(), tr.x0s.end())));
    std::vector<double> levels;
    for (const auto& s : r.schedule.steps) levels.push_back(s.alpha_from);
    levels.push_back(r.schedule.steps.back().alpha_to);
    o.set("alphaBar", from_f64(levels));
    return o;
  });
}

// Samplers 'euler' … 'unipc': a diffusers scheduler class built from `config` (the facade's snake_case
// config of that class) runs the loop; with `keep`, every state is returned as diffusionTrajectory does.
val sample_sigma(const d::Denoiser& m, const val& config, const std::string& sampler, int steps, int count, double seed,
                 int first, const val& noise, bool keep) {
  return guarded([&] {
    const char* fn = keep ? "diffusionTrajectory" : "sampleDiffusion";
    const auto which = d::parse_sigma_sampler(sampler);
    if (!which) probwasm::fail(fn, "sampler", "be a diffusers scheduler sampler here", sampler);
    auto s = d::make_sampler_scheduler(*which, probwasm::bind::diffusion_config::parse_sigma_config(config, fn));
    if (count < 0) probwasm::fail(fn, "count", "be a non-negative integer", count);
    std::vector<double> x_T;
    if (!noise.isNull() && !noise.isUndefined()) x_T = to_f64(noise);
    if (!x_T.empty() && x_T.size() != static_cast<std::size_t>(count) * m.dim())
      probwasm::fail(fn, "noise", "have count × dim = " + std::to_string(count * m.dim()) + " entries", x_T.size());
    d::Trajectory tr;
    const auto x = d::sample_scheduler(m, *s, steps, seed_of(seed), static_cast<std::size_t>(count),
                                       static_cast<std::size_t>(first), x_T.empty() ? nullptr : x_T.data(),
                                       keep ? &tr : nullptr);
    if (!keep) return from_f32(std::vector<float>(x.begin(), x.end()));
    val o = val::object();
    o.set("xs", from_f32(std::vector<float>(tr.xs.begin(), tr.xs.end())));
    o.set("x0s", from_f32(std::vector<float>(tr.x0s.begin(), tr.x0s.end())));
    std::vector<double> levels;  // ᾱ = 1/(1+σ²) of each state (1 after the final σ = 0)
    for (float sg : s->sigmas()) levels.push_back(1.0 / (1.0 + static_cast<double>(sg) * sg));
    o.set("alphaBar", from_f64(levels));
    std::vector<float> ts(s->timesteps().begin(), s->timesteps().end());
    o.set("timesteps", from_f32(ts));
    return o;
  });
}

val preset(const std::string& name) {
  return guarded([&] {
    const d::MixtureSpec m = d::preset_target(name);
    val o = val::object();
    o.set("kind", std::string("mixture"));
    o.set("weights", from_f64(m.weights));
    o.set("means", from_f64(m.means));
    o.set("stds", from_f64(m.stds));
    o.set("dim", static_cast<int>(m.dim));
    return o;
  });
}

double sliced_wasserstein(const val& a, const val& b, int dim, int projections, double seed) {
  return guarded([&] {
    if (dim < 1) probwasm::fail("slicedWasserstein", "dim", "be a positive integer", dim);
    if (projections < 1) probwasm::fail("slicedWasserstein", "projections", "be a positive integer", projections);
    return d::sliced_wasserstein(to_f64(a), to_f64(b), static_cast<std::size_t>(dim), static_cast<std::size_t>(projections),
                                 seed_of(seed));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(diffusion_sampling) {
  emscripten::class_<d::Denoiser>("DiffusionDenoiser")
      .function("dim", &denoiser_dim)
      .function("epsilon", &denoiser_epsilon);
  emscripten::class_<d::GaussianMixture, emscripten::base<d::Denoiser>>("DiffusionGaussianMixture")
      .constructor(&make_mixture, allow_raw_pointers())
      .class_function("empirical", &make_empirical, allow_raw_pointers())
      .function("components", &mixture_components)
      .function("denoised", &mixture_denoised)
      .function("logDensity", &mixture_log_density)
      .function("sample", &mixture_sample);
  emscripten::class_<d::MlpDenoiser, emscripten::base<d::Denoiser>>("DiffusionMlp")
      .constructor(&make_mlp, allow_raw_pointers())
      .class_function("fromWeights", &mlp_from_weights, allow_raw_pointers())
      .function("weights", &mlp_weights)
      .function("shape", &mlp_shape_of)
      .function("setTraining", &mlp_set_training)
      .function("train", &mlp_train)
      .function("iterations", &mlp_iterations);
  emscripten::function("diffusionSample", &sample);
  emscripten::function("diffusionTrajectory", &trajectory);
  emscripten::function("diffusionSampleScheduler", &sample_sigma);
  emscripten::function("diffusionSlicedWasserstein", &sliced_wasserstein);
  emscripten::function("diffusionPreset", &preset);
}
