// Input validation shared by every topic: each message names the function, the parameter and the
// bad value, so the JS user reads "softmax: x[2] must be finite or -inf, got nan".
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace probwasm {

// A parameter of the wrong kind (the JS facade maps it to TypeError; std::invalid_argument → RangeError).
struct type_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Shortest decimal that reads back as the same double (as JS prints numbers); no iostreams, which
// would add the whole locale machinery to the wasm module.
inline std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e21) {  // whole numbers as JS writes them: 100000, not 1e+05
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}
inline std::string format_value(const std::string& v) { return "\"" + v + "\""; }
inline std::string format_value(const char* v) { return format_value(std::string(v)); }
template <class T>
std::string format_value(const T& v) {
  if constexpr (std::is_integral_v<T>) {
    return std::to_string(v);
  } else {
    static_assert(std::is_floating_point_v<T>, "format_value: numbers and strings only");
    return format_value(static_cast<double>(v));
  }
}

// throws std::invalid_argument("fn: param must <requirement>, got <value>")
template <class T>
[[noreturn]] void fail(const char* fn, const std::string& param, const std::string& requirement, const T& value) {
  throw std::invalid_argument(std::string(fn) + ": " + param + " must " + requirement + ", got " + format_value(value));
}

template <class T>
void require(bool ok, const char* fn, const std::string& param, const std::string& requirement, const T& value) {
  if (!ok) fail(fn, param, requirement, value);
}

inline std::string indexed(const char* name, std::size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

}  // namespace probwasm
