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

// Best over `reps` of the mean time per call, each rep a batch of calls, doubled until it lasts at least
// min_ms: short calls (µs) are then timed over many calls, and the clock is read twice per batch (in wasm
// a read is a call out to JS's performance.now()).
template <class F>
double best_ms(F&& f, int reps = 7, double min_ms = 2.0) {
  using clock = std::chrono::steady_clock;
  const auto batch_ms = [&](long calls) {
    const auto t0 = clock::now();
    for (long c = 0; c < calls; ++c) f();
    return std::chrono::duration<double, std::milli>(clock::now() - t0).count();
  };
  long calls = 1;
  while (batch_ms(calls) < min_ms) calls *= 2;  // also the warm-up
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < reps; ++r) best = std::min(best, batch_ms(calls) / static_cast<double>(calls));
  return best;
}

inline void report(const std::string& name, double ms) { std::printf("{\"case\": \"%s\", \"ms\": %.6f}\n", name.c_str(), ms); }

}  // namespace probwasm::bench
