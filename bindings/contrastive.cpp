// Embind glue for src/contrastive (post 3, FlatNCE): convert, call, guard. No maths here.
#include <cmath>
#include <string>
#include <type_traits>

#include "common.hpp"
#include "contrastive/contrastive.hpp"

namespace ct = probwasm::contrastive;
using emscripten::val;
using probwasm::bind::from_f32;
using probwasm::bind::from_f64;
using probwasm::bind::guarded;

namespace {

std::size_t index_of(const char* fn, const char* name, double v) {
  probwasm::require(std::isfinite(v) && std::trunc(v) == v && v >= 0 && v <= 2147483647.0, fn, name,
                    "be a non-negative integer", v);
  return static_cast<std::size_t>(v);
}

template <class T>
val loss_obj(const ct::LossResult<T>& r) {
  val o = val::object();
  o.set("value", double(r.value));
  o.set("xi", double(r.xi));
  if constexpr (std::is_same_v<T, float>) o.set("grad", from_f32(r.grad));
  else o.set("grad", from_f64(r.grad));
  return o;
}

// kind: "ce" | "flatnce"; precision: "float32" | "float64"; evaluation: "naive" | "shifted" | "stable"
val loss(const std::string& kind, const val& scores, double target, const std::string& precision, const std::string& evaluation) {
  return guarded([&] {
    const char* fn = kind == "ce" ? "infoNce" : "flatNce";
    const auto l = ct::parse_loss(fn, kind);
    const auto ev = ct::parse_evaluation(fn, evaluation);
    const std::size_t t = index_of(fn, "target", target);
    if (precision == "float32") {
      const auto s = probwasm::bind::to_f32(scores);
      return loss_obj(ct::contrastive_loss(l, s.data(), s.size(), t, ev));
    }
    if (precision != "float64")
      throw probwasm::type_error(std::string(fn) + ": precision must be one of 'float32', 'float64', got \"" + precision + "\"");
    const auto s = probwasm::bind::to_f64(scores);
    return loss_obj(ct::contrastive_loss(l, s.data(), s.size(), t, ev));
  });
}

val margin_sweep(double k, double positive, const val& margins) {
  return guarded([&] {
    const auto rows = ct::margin_sweep(index_of("contrastiveMarginSweep", "k", k), positive, probwasm::bind::to_f64(margins));
    val o = val::object();
    auto col = [&](const char* name, double ct::MarginRow::*field) {
      std::vector<double> c;
      for (const auto& r : rows) c.push_back(r.*field);
      o.set(name, from_f64(c));
    };
    col("margin", &ct::MarginRow::margin);
    col("xi", &ct::MarginRow::xi);
    col("ce64", &ct::MarginRow::ce64);
    col("ce32Naive", &ct::MarginRow::ce32_naive);
    col("ce32Shifted", &ct::MarginRow::ce32_shifted);
    col("ce32Stable", &ct::MarginRow::ce32_stable);
    col("grad32Naive", &ct::MarginRow::grad32_naive);
    col("grad32Shifted", &ct::MarginRow::grad32_shifted);
    col("grad32Stable", &ct::MarginRow::grad32_stable);
    col("grad64", &ct::MarginRow::grad64);
    col("flat32", &ct::MarginRow::flat32);
    col("flat64", &ct::MarginRow::flat64);
    col("identity32", &ct::MarginRow::identity32);
    col("identity32Stable", &ct::MarginRow::identity32_stable);
    col("identity64", &ct::MarginRow::identity64);
    return o;
  });
}

template <class T>
void opt(const val& o, const char* key, T& dst) {
  const val v = o[key];
  if (!v.isUndefined()) dst = v.as<T>();
}

// fn: the public JS name (contrastiveTrainer, contrastiveTrain, contrastiveCompare).
ct::Trainer* make_trainer(const val& o, const std::string& name) {
  return guarded([&] {
    const char* fn = name.c_str();
    ct::TrainConfig c;
    opt(o, "classes", c.classes);
    opt(o, "signalDim", c.signal_dim);
    opt(o, "nuisanceDim", c.nuisance_dim);
    opt(o, "embedDim", c.embed_dim);
    opt(o, "batch", c.batch);
    opt(o, "tau", c.tau);
    opt(o, "viewNoise", c.view_noise);
    opt(o, "nuisance", c.nuisance);
    opt(o, "lr", c.lr);
    opt(o, "shots", c.shots);
    opt(o, "testPerClass", c.test_per_class);
    if (!o["loss"].isUndefined()) c.loss = ct::parse_loss(fn, o["loss"].as<std::string>());
    if (!o["evaluation"].isUndefined()) c.evaluation = ct::parse_evaluation(fn, o["evaluation"].as<std::string>());
    if (!o["seed"].isUndefined()) {
      const double s = o["seed"].as<double>();
      probwasm::require(std::isfinite(s) && std::trunc(s) == s && s >= 0 && s <= 9007199254740991.0, fn, "seed",
                        "be an integer in [0, 2^53)", s);
      c.seed = static_cast<std::uint64_t>(s);
    }
    return new ct::Trainer(c, fn);
  });
}

val trainer_run(ct::Trainer& t, int count) {
  return guarded([&] {
    const auto recs = t.run(count);
    val o = val::object();
    auto col = [&](const char* name, auto field) {
      std::vector<double> c;
      for (const auto& r : recs) c.push_back(double(r.*field));
      o.set(name, from_f64(c));
    };
    col("step", &ct::StepRecord::step);
    col("loss", &ct::StepRecord::loss);
    col("cosine", &ct::StepRecord::cosine);
    col("anchorCosine", &ct::StepRecord::anchor_cosine);
    col("gradNorm32", &ct::StepRecord::grad_norm32);
    col("gradNorm64", &ct::StepRecord::grad_norm64);
    col("underflow", &ct::StepRecord::underflow);
    col("log10Xi", &ct::StepRecord::log10_xi);
    return o;
  });
}
double trainer_accuracy(const ct::Trainer& t) { return guarded([&] { return t.accuracy(); }); }
int trainer_steps(const ct::Trainer& t) { return t.steps_done(); }
val trainer_summary(const ct::Trainer& t, int from_step) {
  const auto s = t.summary(from_step);
  val o = val::object();
  o.set("steps", s.steps);
  o.set("anchorCosine", s.anchor_cosine);
  o.set("cosine", s.cosine);
  o.set("underflow", s.underflow);
  o.set("log10Xi", s.log10_xi);
  o.set("zeroGradientSteps", s.zero_gradient_steps);
  return o;
}

}  // namespace

EMSCRIPTEN_BINDINGS(contrastive) {
  emscripten::function("contrastiveLoss", &loss);
  emscripten::function("contrastiveMarginSweep", &margin_sweep);
  emscripten::class_<ct::Trainer>("ContrastiveTrainer")
      .constructor(&make_trainer, emscripten::allow_raw_pointers())
      .function("run", &trainer_run)
      .function("accuracy", &trainer_accuracy)
      .function("stepsDone", &trainer_steps)
      .function("summary", &trainer_summary);
}

// ---- post 3 §3.5: the collapse depends on the summation order (appended block) ----
namespace {
val margin_order(double k, double positive, const val& margins) {
  return guarded([&] {
    const auto rows = ct::margin_sweep_order(index_of("contrastiveMarginOrder", "k", k), positive, probwasm::bind::to_f64(margins));
    val o = val::object();
    auto col = [&](const char* name, double ct::OrderRow::*field) {
      std::vector<double> c;
      for (const auto& r : rows) c.push_back(r.*field);
      o.set(name, from_f64(c));
    };
    col("margin", &ct::OrderRow::margin);
    col("ce32First", &ct::OrderRow::ce32_first);
    col("ce32Last", &ct::OrderRow::ce32_last);
    col("grad32First", &ct::OrderRow::grad32_first);
    col("grad32Last", &ct::OrderRow::grad32_last);
    return o;
  });
}
}  // namespace

EMSCRIPTEN_BINDINGS(contrastive_order) {
  emscripten::function("contrastiveMarginOrder", &margin_order);
}
