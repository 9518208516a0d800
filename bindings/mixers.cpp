// Embind glue for src/mixers (post 2): convert, call, guard. No maths here.
#include "common.hpp"
#include "mixers/mixers.hpp"

namespace mx = probwasm::mixers;
using emscripten::val;
using probwasm::bind::from_f32;
using probwasm::bind::from_f64;
using probwasm::bind::guarded;
using probwasm::bind::to_f32;

namespace {

// The facade passes a complete options object of checked integers / numbers.
mx::Options options_from(const val& o) {
  mx::Options r;
  r.seed = static_cast<std::uint32_t>(o["seed"].as<double>());
  r.head_dim = o["headDim"].as<int>();
  r.hidden = o["hidden"].as<int>();
  r.memory = o["memory"].as<int>();
  r.attn_dim = o["attnDim"].as<int>();
  r.gate_init = o["gateInit"].as<double>();
  return r;
}

struct Mixer {
  mx::TokenMixer m;
};

// fn: the public JS name for error messages ("TokenMixer", or "mix" which builds one).
Mixer* make_mixer(const std::string& kind, int n, int d, const val& opts, const std::string& fn) {
  return guarded([&] { return new Mixer{mx::TokenMixer(mx::parse_kind(kind), n, d, options_from(opts), fn.c_str())}; });
}

val forward(const Mixer& w, const val& x, int n, const std::string& fn) {
  return guarded([&] {
    double flops = 0;
    const std::vector<float> out = w.m.forward(to_f32(x), n, &flops, fn.c_str());
    val r = val::object();
    r.set("output", from_f32(out));
    r.set("flops", flops);
    return r;
  });
}

val mixing_matrix(const Mixer& w, const val& x, int n) {
  return guarded([&] {
    const mx::MixingMatrix m = w.m.mixing_matrix(to_f32(x), n);
    val r = val::object();
    r.set("matrix", from_f32(m.matrix));
    r.set("n", n);
    r.set("definition", m.definition);
    r.set("formula", m.formula);
    r.set("inputDependent", m.input_dependent);
    return r;
  });
}

val input_dependence(const Mixer& w, const val& x1, const val& x2, int n) {
  return guarded([&] {
    const mx::Dependence d = mx::input_dependence(w.m, to_f32(x1), to_f32(x2), n);
    val r = val::object();
    r.set("maxAbs", d.max_abs);
    r.set("relFrobenius", d.rel_frobenius);
    return r;
  });
}

val external_weights(const Mixer& w, const val& x, int n) {
  return guarded([&] {
    const mx::TokenMixer::ExternalWeights e = w.m.external_weights(to_f32(x), n);
    val r = val::object();
    r.set("p", from_f32(e.p));
    r.set("a", from_f32(e.a));
    r.set("memory", e.memory);
    return r;
  });
}

val parameter(const Mixer& w, const std::string& name) {
  return guarded([&] {
    const mx::MatF& p = w.m.parameter(name);
    val r = val::object();
    r.set("data", from_f32(p.data(), static_cast<std::size_t>(p.size())));
    r.set("rows", static_cast<int>(p.rows()));
    r.set("cols", static_cast<int>(p.cols()));
    return r;
  });
}

val info(const Mixer& w) {
  val r = val::object();
  r.set("kind", std::string(mx::kind_name(w.m.kind())));
  r.set("n", w.m.n());
  r.set("d", w.m.d());
  r.set("outDim", w.m.out_dim());
  r.set("fixedN", mx::fixed_n(w.m.kind()));
  r.set("parameterCount", static_cast<double>(w.m.parameter_count()));
  val names = val::array();
  for (const std::string& s : w.m.parameter_names()) names.call<void>("push", s);
  r.set("parameterNames", names);
  return r;
}

val mixer_cost(const std::string& kind, int n, int d, const val& opts) {
  return guarded([&] {
    const mx::Cost c = mx::cost(mx::parse_kind(kind), n, d, options_from(opts));
    val r = val::object();
    r.set("flops", c.flops);
    r.set("params", c.params);
    r.set("activations", c.activations);
    r.set("order", c.order);
    return r;
  });
}

val mixer_kinds() {
  val r = val::array();
  for (const std::string& s : mx::kind_names()) r.call<void>("push", s);
  return r;
}

val mixer_input(const std::string& pattern, int n, int d, double seed) {
  return guarded([&] { return from_f32(mx::make_input(pattern, n, d, static_cast<std::uint32_t>(seed))); });
}

val fnet_reference(const val& x, int n, int d) {
  return guarded([&] { return from_f64(mx::fnet_dft_reference(to_f32(x), n, d)); });
}

val fnet_check(const val& x, int n, int d) {
  return guarded([&] {
    const mx::FftCheck c = mx::fnet_check(to_f32(x), n, d);
    val r = val::object();
    r.set("frobenius", c.frobenius);
    r.set("maxAbs", c.max_abs);
    r.set("bound", c.bound);
    return r;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(mixers) {
  emscripten::class_<Mixer>("MixersTokenMixer")
      .constructor(&make_mixer, emscripten::allow_raw_pointers())
      .function("forward", &forward)
      .function("mixingMatrix", &mixing_matrix)
      .function("inputDependence", &input_dependence)
      .function("externalWeights", &external_weights)
      .function("parameter", &parameter)
      .function("info", &info);
  emscripten::function("mixersCost", &mixer_cost);
  emscripten::function("mixersKinds", &mixer_kinds);
  emscripten::function("mixersInput", &mixer_input);
  emscripten::function("mixersFnetReference", &fnet_reference);
  emscripten::function("mixersFnetCheck", &fnet_check);
}
