// Embind glue for src/lora (post 7, LoRA+): read the facade's plain config objects, call, guard. No maths here.
#include <string>
#include <vector>

#include "common.hpp"
#include "lora/lora.hpp"

namespace lr = probwasm::lora;
using emscripten::val;
using probwasm::bind::from_f64;
using probwasm::bind::guarded;
using probwasm::bind::to_f64;

namespace {
// The facade has filled every key with a number/string of the right kind; ranges are checked by the core.
lr::TrainConfig train_config(const val& o, const char* fn) {
  lr::TrainConfig c;
  c.shape.model = lr::parse_model(o["model"].as<std::string>(), fn);
  c.shape.n = o["n"].as<int>();
  c.shape.m = o["m"].as<int>();
  c.shape.r = o["r"].as<int>();
  c.shape.batch = o["batch"].as<int>();
  c.shape.k = o["k"].as<int>();
  c.init = lr::parse_init(o["init"].as<std::string>(), fn);
  c.optimizer = lr::parse_optimizer(o["optimizer"].as<std::string>(), fn);
  c.adam.beta1 = o["beta1"].as<double>();
  c.adam.beta2 = o["beta2"].as<double>();
  c.adam.epsilon = o["epsilon"].as<double>();
  c.steps = o["steps"].as<int>();
  c.lr_a = o["lrA"].as<double>();
  c.ratio = o["ratio"].as<double>();
  c.seed = o["seed"].as<double>();
  return c;
}

lr::SweepConfig sweep_config(const val& o, const char* fn) {
  lr::SweepConfig c;
  c.base = train_config(o, fn);
  for (double w : to_f64(o["widths"])) c.widths.push_back(int(w));
  c.ratios = to_f64(o["ratios"]);
  c.lrs = to_f64(o["lrs"]);
  c.repeats = o["repeats"].as<int>();
  return c;
}

val sweep_result(const lr::SweepResult& r) {
  val out = val::object();
  out.set("loss", from_f64(r.loss));
  out.set("lrA", from_f64(r.lr_a));
  out.set("best", from_f64(r.best));
  out.set("slope", r.fit.slope);
  out.set("intercept", r.fit.intercept);
  out.set("aboveOne", r.above_one);
  out.set("atEdge", r.at_edge);
  out.set("law", r.law);
  return out;
}

double su_ratio(double n, double m, double r) { return guarded([&] { return lr::su_ratio(n, m, r); }); }
double paper_ratio(double n, double m, double r) { return guarded([&] { return lr::paper_ratio(n, m, r); }); }
val train(const val& o) {
  return guarded([&] {
    const lr::TrainTrace t = lr::train_trace(train_config(o, "loraTrain"));
    val out = val::object();
    out.set("loss", from_f64(t.loss));
    out.set("contribA", from_f64(t.contrib_a));
    out.set("contribB", from_f64(t.contrib_b));
    return out;
  });
}
double final_loss(const val& h) { return guarded([&] { return lr::final_loss(to_f64(h)); }); }
val sweep_cell(const val& o, int n, double ratio) {
  return guarded([&] {
    const lr::Cell cell = lr::sweep_cell(sweep_config(o, "loraSweepCell"), n, ratio);
    val out = val::object();
    out.set("loss", cell.loss);
    out.set("lrA", cell.lr_a);
    return out;
  });
}
val sweep(const val& o) { return guarded([&] { return sweep_result(lr::sweep(sweep_config(o, "loraSweep"))); }); }
val summarize(const val& o, const val& loss, const val& lr_a) {
  return guarded([&] { return sweep_result(lr::summarize(sweep_config(o, "loraSummarize"), to_f64(loss), to_f64(lr_a))); });
}
double best_ratio(const val& ratios, const val& losses) {
  return guarded([&] { return lr::best_ratio(to_f64(ratios), to_f64(losses)); });
}
val loglog_fit(const val& x, const val& y) {
  return guarded([&] {
    const lr::LogLogFit f = lr::loglog_fit(to_f64(x), to_f64(y));
    val out = val::object();
    out.set("slope", f.slope);
    out.set("intercept", f.intercept);
    return out;
  });
}

// ---- §7.4's scale argument, measured (post 7) ----
lr::ScaleConfig scale_config(const val& o) {
  lr::ScaleConfig c;
  c.n = o["n"].as<int>();
  c.m = o["m"].as<int>();
  c.r = o["r"].as<int>();
  c.batch = o["batch"].as<int>();
  c.seeds = o["seeds"].as<int>();
  c.seed = o["seed"].as<double>();
  return c;
}
val scale_point(const lr::ScalePoint& p) {
  val out = val::object();
  out.set("samples", from_f64(p.samples));
  out.set("mean", p.mean);
  out.set("sd", p.sd);
  out.set("sem", p.sem);
  out.set("su", p.su);
  out.set("law", p.law);
  return out;
}
double gradient_ratio_law(double n, double m, double r) {
  return guarded([&] { return lr::gradient_ratio_law(n, m, r); });
}
val gradient_scale(const val& o) { return guarded([&] { return scale_point(lr::gradient_scale(scale_config(o))); }); }
val gradient_scale_sweep(const val& widths, const val& o) {
  return guarded([&] {
    std::vector<int> w;
    for (double v : to_f64(widths)) w.push_back(int(v));
    const lr::ScaleSweep s = lr::gradient_scale_sweep(w, scale_config(o));
    val points = val::array();
    for (const lr::ScalePoint& p : s.points) points.call<void>("push", scale_point(p));
    val out = val::object();
    out.set("points", points);
    out.set("slopes", from_f64(s.slopes));
    out.set("slope", s.slope);
    out.set("slopeSem", s.slope_sem);
    return out;
  });
}
val gradient_scale_slopes(const val& widths, const val& samples, int seeds) {
  return guarded([&] {
    std::vector<int> w;
    for (double v : to_f64(widths)) w.push_back(int(v));
    const lr::ScaleSweep s = lr::scale_slopes(w, to_f64(samples), seeds);
    val out = val::object();
    out.set("slopes", from_f64(s.slopes));
    out.set("slope", s.slope);
    out.set("slopeSem", s.slope_sem);
    return out;
  });
}
}  // namespace

EMSCRIPTEN_BINDINGS(lora) {
  emscripten::function("loraSuRatio", &su_ratio);
  emscripten::function("loraPaperRatio", &paper_ratio);
  emscripten::constant("loraPlusDefaultRatio", lr::loraplus_default_ratio);
  emscripten::function("loraTrain", &train);
  emscripten::function("loraFinalLoss", &final_loss);
  emscripten::function("loraSweepCell", &sweep_cell);
  emscripten::function("loraSweep", &sweep);
  emscripten::function("loraSummarize", &summarize);
  emscripten::function("loraBestRatio", &best_ratio);
  emscripten::function("loraLogLogFit", &loglog_fit);
  emscripten::function("loraGradientRatioLaw", &gradient_ratio_law);
  emscripten::function("loraGradientScale", &gradient_scale);
  emscripten::function("loraGradientScaleSweep", &gradient_scale_sweep);
  emscripten::function("loraGradientScaleSlopes", &gradient_scale_slopes);
}
