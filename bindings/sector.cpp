// Embind glue for src/sector (post 5): convert, call, guard. No maths here.
#include <cmath>
#include <string>

#include "common.hpp"
#include "sector/sector.hpp"

namespace sc = probwasm::sector;
using emscripten::val;
using probwasm::bind::guarded;

namespace {
// JS numbers → int64, with the error naming the function, the parameter and the value.
std::int64_t integer(const char* fn, const char* name, double v) {
  probwasm::require(std::isfinite(v) && std::trunc(v) == v && std::fabs(v) <= 9007199254740991.0, fn, name,
                    "be an integer", v);
  return static_cast<std::int64_t>(v);
}
std::uint64_t seed_of(const char* fn, double v) {
  probwasm::require(std::isfinite(v) && std::trunc(v) == v && v >= 0 && v <= 9007199254740991.0, fn, "seed",
                    "be an integer in [0, 2^53)", v);
  return static_cast<std::uint64_t>(v);
}

double probability(double n, double theta) {
  return guarded([&] { return sc::probability(integer("sectorProbability", "n", n), theta); });
}
double complement(double n, double theta) {
  return guarded([&] { return sc::complement(integer("sectorComplement", "n", n), theta); });
}
val split_obj(const sc::Split& s) {
  val o = val::object();
  o.set("probability", s.probability);
  o.set("complement", s.complement);
  o.set("method", std::string(s.method));
  return o;
}
val evaluate(double n, double theta) {
  return guarded([&] { return split_obj(sc::evaluate(integer("sectorEvaluate", "n", n), theta, "sectorEvaluate")); });
}
val curve(double n, const val& thetas) {
  return guarded([&] {
    const auto splits = sc::curve(integer("sectorCurve", "n", n), probwasm::bind::to_f64(thetas));
    std::vector<double> p(splits.size()), q(splits.size());
    for (std::size_t i = 0; i < splits.size(); ++i) {
      p[i] = splits[i].probability;
      q[i] = splits[i].complement;
    }
    val o = val::object();
    o.set("probability", probwasm::bind::from_f64(p));
    o.set("complement", probwasm::bind::from_f64(q));
    return o;
  });
}
val exact(double n, double num, double den) {
  return guarded([&] {
    const char* fn = "sectorProbabilityExact";
    const auto f = sc::probability_exact(integer(fn, "n", n), integer(fn, "num", num), integer(fn, "den", den));
    val o = val::object();
    o.set("numerator", f.numerator);
    o.set("denominator", f.denominator);
    return o;
  });
}
val monte_carlo(double n, double theta, double trials, double seed) {
  return guarded([&] {
    const char* fn = "sectorMonteCarlo";
    const auto r = sc::monte_carlo(integer(fn, "n", n), theta, integer(fn, "trials", trials), seed_of(fn, seed));
    val o = val::object();
    o.set("estimate", r.estimate);
    o.set("stderr", r.stderr_);
    o.set("trials", static_cast<double>(r.trials));
    o.set("hits", static_cast<double>(r.hits));
    return o;
  });
}
val gap_tails(double n, double g) {
  return guarded([&] { return split_obj(sc::largest_gap_tails(integer("sectorLargestGap", "n", n), g)); });
}
double gap_mean(double n) {
  return guarded([&] { return sc::largest_gap_mean(integer("sectorLargestGapMean", "n", n)); });
}
double wendel(double n) {
  return guarded([&] { return sc::wendel_semicircle(integer("sectorWendel", "n", n)); });
}
val breakpoints(double n, double max_count) {
  return guarded([&] {
    return probwasm::bind::from_f64(
        sc::breakpoints(integer("sectorBreakpoints", "n", n), integer("sectorBreakpoints", "maxCount", max_count)));
  });
}
val sample_points(double n, double seed) {
  return guarded([&] {
    return probwasm::bind::from_f64(
        sc::sample_points(integer("sectorSamplePoints", "n", n), seed_of("sectorSamplePoints", seed)));
  });
}
val covering(const val& points) {
  return guarded([&] {
    const auto c = sc::smallest_covering_sector(probwasm::bind::to_f64(points));
    val o = val::object();
    o.set("angle", c.angle);
    o.set("start", c.start);
    return o;
  });
}
}  // namespace

EMSCRIPTEN_BINDINGS(sector) {
  emscripten::function("sectorProbability", &probability);
  emscripten::function("sectorComplement", &complement);
  emscripten::function("sectorEvaluate", &evaluate);
  emscripten::function("sectorCurve", &curve);
  emscripten::function("sectorProbabilityExact", &exact);
  emscripten::function("sectorMonteCarlo", &monte_carlo);
  emscripten::function("sectorLargestGap", &gap_tails);
  emscripten::function("sectorLargestGapMean", &gap_mean);
  emscripten::function("sectorWendel", &wendel);
  emscripten::function("sectorBreakpoints", &breakpoints);
  emscripten::function("sectorSamplePoints", &sample_points);
  emscripten::function("sectorCoveringSector", &covering);
}
