// Input validation shared by every topic: each message names the function, the parameter and the
// bad value, so the JS user reads "softmax: x[2] must be finite or -inf, got nan".
#pragma once
#include <cmath>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>

namespace probwasm {

// A parameter of the wrong kind (the JS facade maps it to TypeError; std::invalid_argument → RangeError).
struct type_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

inline std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}
inline std::string format_value(const std::string& v) { return "\"" + v + "\""; }
inline std::string format_value(const char* v) { return format_value(std::string(v)); }
template <class T>
std::string format_value(const T& v) {
  std::ostringstream s;
  s << v;
  return s.str();
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
