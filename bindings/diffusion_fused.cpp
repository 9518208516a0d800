// Embind glue for the fused float32 MLP sampler (src/diffusion/fused_mlp): sampleDiffusion's route for an
// MLP model with sampler 'ddim'. Convert, call, guard. No maths here.
#include <cstdint>
#include <string>

#include "common.hpp"
#include "diffusion/fused_mlp.hpp"
#include "diffusion/mlp.hpp"
#include "diffusion/sampling.hpp"

namespace d = probwasm::diffusion;
using emscripten::val;
using probwasm::bind::from_f32;
using probwasm::bind::guarded;
using probwasm::bind::to_f64;
using probwasm::bind::to_i32;

namespace {

// The same arguments as diffusionSample (the facade reads the schedule from part A's scheduler; `config` is
// its snake_case config, for the clip / prediction-type checks), for an MLP model and sampler 'ddim'.
val sample_mlp_fused(const d::MlpDenoiser& m, const val& ac, const val& ts, const val& prev, double final_alpha,
                     const val& config, double eta, int count, double seed, int first, const val& noise) {
  return guarded([&] {
    const char* fn = "sampleDiffusion";
    const d::Schedule schedule = d::schedule_from_timesteps(to_f64(ac), to_i32(ts), to_i32(prev), final_alpha);
    d::SchedulerConfig c;
    c.prediction_type = d::parse_prediction_type(config["prediction_type"].as<std::string>(), fn);
    c.thresholding = config["thresholding"].as<bool>();
    c.clip_sample = config["clip_sample"].as<bool>();
    c.clip_sample_range = config["clip_sample_range"].as<double>();
    d::SampleOptions o;
    o.sampler = d::Sampler::ddim;
    o.eta = eta;
    o.seed = static_cast<std::uint64_t>(seed);  // the facade checked 0 ≤ seed ≤ 2^53
    d::apply_config(c, o);
    if (count < 0) probwasm::fail(fn, "count", "be a non-negative integer", count);
    std::vector<double> x_T;
    if (!noise.isNull() && !noise.isUndefined()) x_T = to_f64(noise);
    if (!x_T.empty() && x_T.size() != static_cast<std::size_t>(count) * m.dim())
      probwasm::fail(fn, "noise", "have count × dim = " + std::to_string(count * m.dim()) + " entries", x_T.size());
    const d::FusedMlp net(m);
    return from_f32(net.sample_ddim(schedule, o, static_cast<std::size_t>(count), static_cast<std::size_t>(first),
                                    x_T.empty() ? nullptr : x_T.data()));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(diffusion_fused) {
  emscripten::function("diffusionSampleMlpFused", &sample_mlp_fused);
}
