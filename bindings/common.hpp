// Embind glue shared by every topic: typed arrays in and out, and C++ exceptions turned into real JS
// errors (std::invalid_argument → RangeError, probwasm::type_error → TypeError) without unwinding
// through JS. No maths here.
#pragma once
#include <emscripten/emscripten.h>  // before EM_JS
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "common/errors.hpp"

namespace probwasm::bind {

using emscripten::val;

// C++ errors never unwind through JS frames. A JS exception thrown from inside wasm skips the wasm
// epilogues (the stack pointer never comes back) and Embind's argument destructors (std::string buffers,
// val handles): ~50k such errors killed an instance (issue 12). So guarded() catches, reports {kind,
// message} to the module's JS side (bindings/js/errors.js, which every loaded module goes through) and
// returns an inert value of the right type; the call then returns normally, Embind frees its arguments,
// and the JS wrapper of the Embind function throws the RangeError / TypeError / Error.
enum class ErrorKind : int { range = 1, type = 2, error = 3, out_of_memory = 4 };

// Records the error for the JS wrapper (bindings/common.cpp). Returns false when the module is used
// without errors.js (raw Embind): the caller then throws in JS itself, after its catch block.
bool report_error(ErrorKind kind, const char* message) noexcept;
// The old behaviour, for raw modules only: `throw new RangeError|TypeError|Error(message)` from wasm.
[[noreturn]] void throw_js(ErrorKind kind, const char* message);

// What a failed call returns to Embind: nothing that owns memory, never read by JS (the wrapper throws).
template <class R>
R failed_value() {
  if constexpr (std::is_void_v<R>) {
    return;
  } else if constexpr (std::is_reference_v<R>) {
    static std::remove_cv_t<std::remove_reference_t<R>> inert{};
    return inert;
  } else if constexpr (std::is_same_v<std::remove_cv_t<R>, val>) {
    return val::undefined();
  } else {
    return R{};
  }
}

// Runs f. On a C++ exception: reports it (std::invalid_argument, std::out_of_range → RangeError;
// probwasm::type_error → TypeError; std::bad_alloc, std::length_error → RangeError "… out of memory";
// anything else → Error) and returns failed_value<R>(). Use its result only as the binding's return
// value: on error the JS wrapper throws as soon as the binding returns.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  using R = decltype(f());
  ErrorKind kind = ErrorKind::error;
  static std::string unreported;  // raw modules only: static, so nothing to destroy when JS unwinds
  try {
    return f();
  } catch (const probwasm::type_error& e) {
    kind = ErrorKind::type;
    if (report_error(kind, e.what())) return failed_value<R>();
    unreported = e.what();
  } catch (const std::invalid_argument& e) {
    kind = ErrorKind::range;
    if (report_error(kind, e.what())) return failed_value<R>();
    unreported = e.what();
  } catch (const std::out_of_range& e) {
    kind = ErrorKind::range;
    if (report_error(kind, e.what())) return failed_value<R>();
    unreported = e.what();
  } catch (const std::bad_alloc&) {
    kind = ErrorKind::out_of_memory;
    if (report_error(kind, "out of memory")) return failed_value<R>();
    unreported = "probwasm: out of memory";
  } catch (const std::length_error&) {
    kind = ErrorKind::out_of_memory;
    if (report_error(kind, "out of memory")) return failed_value<R>();
    unreported = "probwasm: out of memory";
  } catch (const std::exception& e) {
    if (report_error(kind, e.what())) return failed_value<R>();
    unreported = e.what();
  } catch (...) {
    if (report_error(kind, "probwasm: unknown C++ exception")) return failed_value<R>();
    unreported = "probwasm: unknown C++ exception";
  }
  throw_js(kind, unreported.c_str());  // after the catch block, so the C++ exception is already freed
}

// number[] / Float64Array / Float32Array → std::vector (one bulk copy; the facade checked the type).
inline std::vector<double> to_f64(const val& x) { return emscripten::convertJSArrayToNumberVector<double>(x); }
inline std::vector<float> to_f32(const val& x) { return emscripten::convertJSArrayToNumberVector<float>(x); }
inline std::vector<int> to_i32(const val& x) { return emscripten::convertJSArrayToNumberVector<int>(x); }
// A Uint16Array of UTF-16 code units → std::u16string (unpaired surrogates survive, for the core to judge).
inline std::u16string to_u16(const val& x) {
  const auto v = emscripten::convertJSArrayToNumberVector<std::uint16_t>(x);
  return std::u16string(v.begin(), v.end());
}

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
static_assert(std::is_same_v<std::int32_t, int>, "from_i32 takes the core's std::int32_t vectors as they are");
inline val from_i32(const std::vector<int>& v) {
  return val::global("Int32Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

}  // namespace probwasm::bind
