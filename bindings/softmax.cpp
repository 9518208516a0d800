// Embind glue for src/softmax: convert, call, guard. No maths here.
#include <cstdint>
#include <string>

#include "common.hpp"
#include "softmax/softmax.hpp"

namespace sm = probwasm::softmax;
using emscripten::val;
using probwasm::bind::from_f64;
using probwasm::bind::guarded;
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

// The maps over raw buffers in wasm memory (DESIGN.md's performance contract): the facade copies x in with
// HEAPF64.set/HEAPF32.set at byte address `x`, the core writes `out`, the facade copies it out. T is the
// element type (double for number[] and Float64Array, float for Float32Array).
template <class T>
const T* in(std::uintptr_t p) {
  return reinterpret_cast<const T*>(p);
}
template <class T>
T* at(std::uintptr_t p) {
  return reinterpret_cast<T*>(p);
}

template <class T>
double logsumexp_buf(std::uintptr_t x, std::size_t n) {
  return guarded([&] { return static_cast<double>(sm::logsumexp(in<T>(x), n)); });
}
template <class T>
void softmax_buf(std::uintptr_t x, std::uintptr_t out, std::size_t n, double temperature, int cols) {
  guarded([&] { sm::softmax_rows(in<T>(x), n, temperature, cols_of(cols), at<T>(out)); });
}
template <class T>
void taylor_softmax_buf(std::uintptr_t x, std::uintptr_t out, std::size_t n, int order, int cols) {
  guarded([&] {
    sm::Workspace w;
    sm::taylor_softmax_rows(in<T>(x), n, order, cols_of(cols), at<T>(out), w);
  });
}
template <class T>
void sparse_softmax_buf(std::uintptr_t x, std::uintptr_t out, std::size_t n, const Opts& o, int cols) {
  guarded([&] {
    sm::Workspace w;
    sm::sparse_softmax_rows(in<T>(x), n, to_core(o).rule, cols_of(cols), at<T>(out), w);
  });
}
template <class T>
void perturb_max_buf(std::uintptr_t x, std::uintptr_t out, std::size_t n, const std::string& noise, int grid,
                     int cols) {
  guarded([&] {
    sm::Workspace w;
    sm::perturb_max_rows(in<T>(x), n, noise_of(noise), grid, cols_of(cols), at<T>(out), w);
  });
}
template <class T>
void sparsemax_buf(std::uintptr_t x, std::uintptr_t out, std::size_t n, int cols) {
  guarded([&] {
    sm::Workspace w;
    sm::sparsemax_rows(in<T>(x), n, cols_of(cols), at<T>(out), w);
  });
}
template <class T>
void entmax_buf(std::uintptr_t x, std::uintptr_t out, std::size_t n, double alpha, int cols) {
  guarded([&] {
    sm::Workspace w;
    sm::entmax_rows(in<T>(x), n, alpha, cols_of(cols), at<T>(out), w);
  });
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
val loss(const std::string& map, const val& x, int target, const Opts& o, const std::string& kind, double epsilon) {
  return guarded([&] {
    const auto r = sm::loss(map, to_f64(x), target, to_core(o), kind, epsilon);
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
    out.set("threshold", r.threshold);
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
  emscripten::function("logsumexpF64", &logsumexp_buf<double>);
  emscripten::function("logsumexpF32", &logsumexp_buf<float>);
  emscripten::function("softmaxF64", &softmax_buf<double>);
  emscripten::function("softmaxF32", &softmax_buf<float>);
  emscripten::function("taylorSoftmaxF64", &taylor_softmax_buf<double>);
  emscripten::function("taylorSoftmaxF32", &taylor_softmax_buf<float>);
  emscripten::function("sparseSoftmaxF64", &sparse_softmax_buf<double>);
  emscripten::function("sparseSoftmaxF32", &sparse_softmax_buf<float>);
  emscripten::function("perturbMaxF64", &perturb_max_buf<double>);
  emscripten::function("perturbMaxF32", &perturb_max_buf<float>);
  emscripten::function("sparsemaxF64", &sparsemax_buf<double>);
  emscripten::function("sparsemaxF32", &sparsemax_buf<float>);
  emscripten::function("entmaxF64", &entmax_buf<double>);
  emscripten::function("entmaxF32", &entmax_buf<float>);
  emscripten::function("amSoftmax", &am_softmax);
  emscripten::function("softmaxJacobian", &jacobian);
  emscripten::function("softmaxLoss", &loss);
  emscripten::function("softmaxReport", &report);
}
