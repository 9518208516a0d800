// Embind glue for src/attention (post 6): convert, call, guard. No maths here.
#include <cmath>
#include <string>

#include "attention/attention.hpp"
#include "common.hpp"

namespace at = probwasm::attention;
using emscripten::val;
using probwasm::bind::from_f64;
using probwasm::bind::guarded;
using probwasm::bind::to_f64;

namespace {

std::size_t count_of(const char* fn, const char* name, double v) {
  probwasm::require(std::isfinite(v) && std::trunc(v) == v && v >= 0 && v <= 2147483647.0, fn, name,
                    "be a non-negative integer", v);
  return static_cast<std::size_t>(v);
}
std::uint64_t seed_of(const char* fn, double v) {
  probwasm::require(std::isfinite(v) && std::trunc(v) == v && v >= 0 && v <= 9007199254740991.0, fn, "seed",
                    "be an integer in [0, 2^53)", v);
  return static_cast<std::uint64_t>(v);
}

val attention_output(const val& s, const val& v) {
  return guarded([&] { return from_f64(at::attention_output(to_f64(s), to_f64(v))); });
}
double noise_mgf(const std::string& noise, double scale, double t) {
  return guarded([&] { return at::noise_mgf(at::parse_noise("attentionNoiseMgf", noise), scale, t); });
}
val noise_theory(const std::string& noise, double scale, double logit_std) {
  return guarded([&] {
    const auto th = at::noise_theory(at::parse_noise("attentionNoiseTheory", noise), scale, logit_std);
    val o = val::object();
    o.set("meanFinite", th.mean_finite);
    o.set("varianceFinite", th.variance_finite);
    o.set("slope", th.slope);
    o.set("constant", th.constant);
    return o;
  });
}
// name: the public JS function (attentionNoiseError, or attentionNoiseScaling that calls it per n).
val noise_error(double n, const std::string& noise, double scale, double logit_std, double trials, double seed,
                const std::string& name) {
  return guarded([&] {
    const char* fn = name.c_str();
    const auto r = at::noise_error(count_of(fn, "n", n), at::parse_noise(fn, noise), scale, logit_std,
                                   count_of(fn, "trials", trials), seed_of(fn, seed), fn);
    val o = val::object();
    o.set("n", double(r.n));
    o.set("mean", r.mean);
    o.set("stderr", r.stderr_);
    o.set("trials", double(r.trials));
    return o;
  });
}
val fit_loglog(const val& n, const val& mean, const val& se) {
  return guarded([&] {
    const auto f = at::fit_loglog(to_f64(n), to_f64(mean), to_f64(se));
    val o = val::object();
    o.set("slope", f.slope);
    o.set("slopeStderr", f.slope_stderr);
    o.set("intercept", f.intercept);
    return o;
  });
}
val theory_obj(const at::NoiseTheory& th) {
  val o = val::object();
  o.set("meanFinite", th.mean_finite);
  o.set("varianceFinite", th.variance_finite);
  o.set("slope", th.slope);
  o.set("constant", th.constant);
  return o;
}
val summarize_scaling(const val& n, const val& mean, const val& se, const std::string& noise, double scale, double logit_std) {
  return guarded([&] {
    const auto r = at::summarize_scaling(to_f64(n), to_f64(mean), to_f64(se), at::parse_noise("attentionNoiseScaling", noise),
                                         scale, logit_std, "attentionNoiseScaling");
    val fit = val::object();
    fit.set("slope", r.fit.slope);
    fit.set("slopeStderr", r.fit.slope_stderr);
    fit.set("intercept", r.fit.intercept);
    val o = val::object();
    o.set("fit", fit);
    o.set("theory", theory_obj(r.theory));
    o.set("fitted", from_f64(r.fitted));
    o.set("predicted", from_f64(r.predicted));
    return o;
  });
}
double entropy(const val& s) {
  return guarded([&] { return at::entropy(to_f64(s)); });
}
double half_l1(const val& s) {
  return guarded([&] { return at::jacobian_half_l1(to_f64(s)); });
}
val min_entropy(double n, double tau) {
  return guarded([&] {
    const auto r = at::min_entropy(count_of("minEntropy", "n", n), tau);
    val o = val::object();
    o.set("entropy", r.entropy);
    o.set("gap", r.gap);
    o.set("plus", double(r.plus));
    o.set("minus", double(r.minus));
    return o;
  });
}
double two_level_gap(double n, double plus, double tau) {
  return guarded([&] { return at::two_level_gap(count_of("twoLevelEntropyGap", "n", n), count_of("twoLevelEntropyGap", "plus", plus), tau); });
}
val gap_fractions(const val& t, double tau) {
  return guarded([&] {
    const auto ts = to_f64(t);
    std::vector<double> g(ts.size());
    for (std::size_t i = 0; i < ts.size(); ++i) g[i] = at::entropy_gap_fraction(ts[i], tau);
    return from_f64(g);
  });
}
val min_entropy_limit(double tau) {
  return guarded([&] {
    const auto l = at::min_entropy_limit(tau);
    val o = val::object();
    o.set("fractionMinus", l.fraction_minus);
    o.set("gap", l.gap);
    o.set("halfSplitGap", l.half_split_gap);
    return o;
  });
}
val init_scale_curve(double n, const val& scales, double trials, double seed, double offset) {
  return guarded([&] {
    const char* fn = "attentionInitScaleCurve";
    const auto c = at::init_scale_curve(count_of(fn, "n", n), to_f64(scales), count_of(fn, "trials", trials), seed_of(fn, seed),
                                      count_of(fn, "offset", offset));
    val o = val::object();
    o.set("scale", from_f64(c.scale));
    o.set("entropy", from_f64(c.entropy));
    o.set("entropyStderr", from_f64(c.entropy_stderr));
    o.set("halfL1", from_f64(c.half_l1));
    o.set("halfL1Stderr", from_f64(c.half_l1_stderr));
    return o;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(attention) {
  emscripten::function("attentionOutput", &attention_output);
  emscripten::function("attentionNoiseMgf", &noise_mgf);
  emscripten::function("attentionNoiseTheory", &noise_theory);
  emscripten::function("attentionNoiseError", &noise_error);
  emscripten::function("attentionFitLogLog", &fit_loglog);
  emscripten::function("attentionSummarizeScaling", &summarize_scaling);
  emscripten::function("attentionEntropy", &entropy);
  emscripten::function("attentionHalfL1", &half_l1);
  emscripten::function("attentionMinEntropy", &min_entropy);
  emscripten::function("attentionTwoLevelGap", &two_level_gap);
  emscripten::function("attentionGapFractions", &gap_fractions);
  emscripten::function("attentionMinEntropyLimit", &min_entropy_limit);
  emscripten::function("attentionInitScaleCurve", &init_scale_curve);
}
