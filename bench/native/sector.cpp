// Native twin of bench/sector.mjs: the same C++ (g++ -O3), the same cases, {"case", "ms"} lines.
#include <cmath>
#include <string>

#include "../native/timing.hpp"
#include "sector/sector.hpp"

namespace sc = probwasm::sector;
using probwasm::bench::best_ms;
using probwasm::bench::report;
using probwasm::bench::sink;

int main() {
  const double turn = 6.283185307179586;
  for (const double c : {1.2, 1.6, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0}) {
    const double theta = turn * (1 - c / 10000);
    char name[64];
    std::snprintf(name, sizeof name, "evaluate n=1e4 x=%g/n", c);
    report(name, best_ms([&] { sink = sink + sc::evaluate(10000, theta).complement; }, 21));
  }
  report("evaluate n=1e4 theta=pi", best_ms([&] { sink = sink + sc::evaluate(10000, turn / 2).probability; }, 21));
  report("evaluate n=1e5 x=2/n", best_ms([&] { sink = sink + sc::evaluate(100000, turn * (1 - 2e-5)).complement; }, 21));
  report("exact n=2000 q=997/1000", best_ms([&] { sink = sink + static_cast<double>(sc::probability_exact(2000, 997, 1000).numerator.size()); }, 3));
  report("monte carlo n=4 1e6 trials", best_ms([&] { sink = sink + sc::monte_carlo(4, turn / 2, 1000000, 1).estimate; }, 3));
  report("monte carlo n=100 2e4 trials", best_ms([&] { sink = sink + sc::monte_carlo(100, 6.0, 20000, 1).estimate; }, 3));
}
