// Best-of timing for the native twins of the wasm benchmarks; prints {"case": ..., "ms": ...} lines
// that bench/lib.mjs reads. Results go through a volatile sink so the work cannot be optimised away.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <string>

namespace probwasm::bench {

inline volatile double sink = 0;

template <class F>
double best_ms(F&& f, int reps = 7) {
  f();
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return best;
}

inline void report(const std::string& name, double ms) { std::printf("{\"case\": \"%s\", \"ms\": %.6f}\n", name.c_str(), ms); }

}  // namespace probwasm::bench
