// Embind glue for src/softmax: convert, call, guard. No maths here.
#include <string>

#include "common.hpp"
#include "softmax/softmax.hpp"

namespace sm = probwasm::softmax;
using emscripten::val;
using probwasm::bind::from_f64;
using probwasm::bind::guarded;
using probwasm::bind::into_f64;
using probwasm::bind::to_f64;

namespace {

// The facade fills every field (defaults included), so the core receives a complete MapOptions.
struct Opts {
  double temperature = 1, p = 0, alpha = 1.5, margin = 0.35, scale = 30;
  int order = 2, k = 0;
  bool hasK = false, hasP = false;
};

sm::MapOptions to_core(const Opts& o) {
  sm::MapOptions m;
  m.temperature = o.temperature;
  m.order = o.order;
  m.rule = sm::SparseRule{o.hasK, o.hasP, o.k, o.p};
  m.alpha = o.alpha;
  m.margin = o.margin;
  m.scale = o.scale;
  return m;
}

std::size_t cols_of(int cols) { return cols > 0 ? static_cast<std::size_t>(cols) : 0; }

sm::Noise noise_of(const std::string& s) {
  if (s == "gumbel") return sm::Noise::gumbel;
  if (s == "normal") return sm::Noise::normal;
  throw probwasm::type_error("perturbMax: noise must be one of 'gumbel', 'normal', got \"" + s + "\"");
}

double logsumexp(const val& x) {
  return guarded([&] { return sm::logsumexp(to_f64(x)); });
}
val softmax(const val& x, double temperature, int cols, const val& out) {
  return guarded([&] { return into_f64(out, sm::softmax(to_f64(x), temperature, cols_of(cols))); });
}
val taylor_softmax(const val& x, int order, int cols, const val& out) {
  return guarded([&] { return into_f64(out, sm::taylor_softmax(to_f64(x), order, cols_of(cols))); });
}
val sparse_softmax(const val& x, const Opts& o, int cols, const val& out) {
  return guarded([&] { return into_f64(out, sm::sparse_softmax(to_f64(x), to_core(o).rule, cols_of(cols))); });
}
val perturb_max(const val& x, const std::string& noise, int grid, int cols, const val& out) {
  return guarded([&] { return into_f64(out, sm::perturb_max(to_f64(x), noise_of(noise), grid, cols_of(cols))); });
}
val sparsemax(const val& x, int cols, const val& out) {
  return guarded([&] { return into_f64(out, sm::sparsemax(to_f64(x), cols_of(cols))); });
}
val entmax(const val& x, double alpha, int cols, const val& out) {
  return guarded([&] { return into_f64(out, sm::entmax(to_f64(x), alpha, cols_of(cols))); });
}
val am_softmax(const val& x, int target, double margin, double scale) {
  return guarded([&] {
    const auto v = to_f64(x);
    if (target < 0 || static_cast<std::size_t>(target) >= v.size())
      probwasm::fail("amSoftmax", "target", "be an index in [0, " + std::to_string(v.size()) + ")", target);
    std::vector<double> out(v.size());
    sm::am_softmax_into(v.data(), v.size(), static_cast<std::size_t>(target), margin, scale, out.data());
    return from_f64(out);
  });
}
val jacobian(const std::string& map, const val& x, const Opts& o) {
  return guarded([&] { return from_f64(sm::jacobian(map, to_f64(x), to_core(o))); });
}
val loss(const std::string& map, const val& x, int target, const Opts& o) {
  return guarded([&] {
    const auto r = sm::loss(map, to_f64(x), target, to_core(o));
    val out = val::object();
    out.set("value", r.value);
    out.set("grad", from_f64(r.grad));
    return out;
  });
}
val report(const std::string& map, const val& x, const Opts& o, int target, int grid) {
  return guarded([&] {
    const auto r = sm::report(map, to_f64(x), to_core(o), target, grid);
    val out = val::object();
    out.set("p", from_f64(r.p));
    out.set("support", r.support);
    out.set("entropy", r.entropy);
    out.set("gini", r.gini);
    out.set("halfJacobianL1", r.half_jacobian_l1);
    out.set("monotone", r.monotone);
    out.set("shiftInvariant", r.shift_invariant);
    out.set("equivariant", r.equivariant);
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(softmax) {
  emscripten::value_object<Opts>("SoftmaxOpts")
      .field("temperature", &Opts::temperature)
      .field("order", &Opts::order)
      .field("hasK", &Opts::hasK)
      .field("k", &Opts::k)
      .field("hasP", &Opts::hasP)
      .field("p", &Opts::p)
      .field("alpha", &Opts::alpha)
      .field("margin", &Opts::margin)
      .field("scale", &Opts::scale);
  emscripten::function("logsumexp", &logsumexp);
  emscripten::function("softmax", &softmax);
  emscripten::function("taylorSoftmax", &taylor_softmax);
  emscripten::function("sparseSoftmax", &sparse_softmax);
  emscripten::function("perturbMax", &perturb_max);
  emscripten::function("sparsemax", &sparsemax);
  emscripten::function("entmax", &entmax);
  emscripten::function("amSoftmax", &am_softmax);
  emscripten::function("softmaxJacobian", &jacobian);
  emscripten::function("softmaxLoss", &loss);
  emscripten::function("softmaxReport", &report);
}
