// Embind glue for src/softmax: convert, call, guard. No maths here.
#include "common.hpp"
#include "softmax/softmax.hpp"

namespace sm = probwasm::softmax;
using probwasm::bind::guarded;
using emscripten::val;

namespace {
double logsumexp(const val& x) {
  return guarded([&] { return sm::logsumexp(probwasm::bind::to_f64(x)); });
}
val softmax(const val& x, double temperature, int cols) {
  return guarded([&] { return probwasm::bind::from_f64(sm::softmax(probwasm::bind::to_f64(x), temperature, cols)); });
}
}  // namespace

EMSCRIPTEN_BINDINGS(softmax) {
  emscripten::function("logsumexp", &logsumexp);
  emscripten::function("softmax", &softmax);
}
