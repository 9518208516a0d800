// Embind glue shared by every topic: typed arrays in and out, and C++ exceptions turned into real JS
// errors (std::invalid_argument → RangeError, probwasm::type_error → TypeError). No maths here.
#pragma once
#include <emscripten/emscripten.h>  // before EM_JS
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/errors.hpp"

namespace probwasm::bind {

using emscripten::val;

// Throws `new RangeError|TypeError|Error(msg)` in JS. An inline function, not EM_JS: an EM_JS in a header is
// defined in every bindings file that includes it, and wasm-ld rejects the duplicate __em_js__ symbols.
[[noreturn]] inline void pw_throw_js(const char* type, const char* msg) {
  const std::string t(type);
  val::global(t == "RangeError" || t == "TypeError" ? type : "Error").new_(val(std::string(msg))).throw_();
}

// Runs f; a C++ exception becomes a JS exception after the C++ one is freed, so the module stays usable.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  static std::string type, msg;  // static: nothing to destroy when the JS throw unwinds the wasm frames
  try {
    return f();
  } catch (const probwasm::type_error& e) {
    type = "TypeError";
    msg = e.what();
  } catch (const std::invalid_argument& e) {
    type = "RangeError";
    msg = e.what();
  } catch (const std::out_of_range& e) {
    type = "RangeError";
    msg = e.what();
  } catch (const std::bad_alloc&) {
    type = "RangeError";
    msg = "probwasm: out of memory";
  } catch (const std::exception& e) {
    type = "Error";
    msg = e.what();
  } catch (...) {
    type = "Error";
    msg = "probwasm: unknown C++ exception";
  }
  pw_throw_js(type.c_str(), msg.c_str());
  __builtin_unreachable();
}

// number[] / Float64Array / Float32Array → std::vector (one bulk copy; the facade checked the type).
inline std::vector<double> to_f64(const val& x) { return emscripten::convertJSArrayToNumberVector<double>(x); }
inline std::vector<float> to_f32(const val& x) { return emscripten::convertJSArrayToNumberVector<float>(x); }
inline std::vector<int> to_i32(const val& x) { return emscripten::convertJSArrayToNumberVector<int>(x); }

// A fresh JS typed array (never a view into wasm memory, which memory growth would detach).
inline val from_f64(const double* p, std::size_t n) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(n, p));
}
inline val from_f64(const std::vector<double>& v) { return from_f64(v.data(), v.size()); }
// The caller's Float64Array `out` (the facade checked its type and length) filled with v, or, when out is
// undefined, a fresh array: lets a loop reuse one output instead of allocating a new one per call.
inline val into_f64(const val& out, const std::vector<double>& v) {
  if (out.isUndefined()) return from_f64(v);
  out.call<void>("set", emscripten::typed_memory_view(v.size(), v.data()));
  return out;
}
inline val from_f32(const float* p, std::size_t n) {
  return val::global("Float32Array").new_(emscripten::typed_memory_view(n, p));
}
inline val from_f32(const std::vector<float>& v) { return from_f32(v.data(), v.size()); }
inline val from_i32(const std::vector<int>& v) {
  return val::global("Int32Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

}  // namespace probwasm::bind
