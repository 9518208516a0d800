#include "lora/lora.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/errors.hpp"
#include "common/prng.hpp"

namespace probwasm::lora {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxWidth = 4096, kMaxBatch = 4096, kMaxK = 1024, kMaxSteps = 100000, kMaxRepeats = 64;
constexpr double kMaxElements = 1 << 24;  // per matrix: keeps one run within wasm memory and a page's patience

void require_size(bool ok, const char* fn, const char* param, const std::string& what, double v) {
  require(ok, fn, param, what, v);
}

void require_calculator_args(const char* fn, double n, double m, double r) {
  require(std::isfinite(n) && n >= 1, fn, "n", "be a finite number >= 1", n);
  require(std::isfinite(m) && m >= 1, fn, "m", "be a finite number >= 1", m);
  require(std::isfinite(r) && r >= 1, fn, "r", "be a finite number >= 1", r);
  require(r <= std::min(n, m), fn, "r", "be at most min(n, m) = " + format_value(std::min(n, m)), r);
}

void fill_normal(Eigen::MatrixXd& M, Rng& g, double std) {
  for (Eigen::Index j = 0; j < M.cols(); ++j)
    for (Eigen::Index i = 0; i < M.rows(); ++i) M(i, j) = std * g.normal();
}

int out_width(const Shape& s) { return s.m == 0 ? s.n : s.m; }

void validate_shape(const Shape& s, const char* fn) {
  require_size(s.n >= 1 && s.n <= kMaxWidth, fn, "n", "be an integer in [1, 4096]", s.n);
  require_size(s.m >= 0 && s.m <= kMaxWidth, fn, "m", "be an integer in [0, 4096] (0: m = n)", s.m);
  const int m = out_width(s);
  require_size(s.r >= 1 && s.r <= std::min(s.n, m), fn, "r",
               "be an integer in [1, min(n, m) = " + std::to_string(std::min(s.n, m)) + "]", s.r);
  require_size(s.batch >= 1 && s.batch <= kMaxBatch, fn, "batch", "be an integer in [1, 4096]", s.batch);
  // k is read by the two-layer model only, but checked for both: a bad value never passes silently
  require_size(s.k >= 1 && s.k <= kMaxK, fn, "k", "be an integer in [1, 1024]", s.k);
  require_size(double(s.batch) * s.n <= kMaxElements, fn, "batch", "satisfy batch·n <= 2^24", s.batch);
  require_size(double(s.n) * m <= kMaxElements, fn, "n", "satisfy n·m <= 2^24", s.n);
}

// Seeds for the data and the init of (width n, repeat rep): the same whatever λ and η_A are.
std::uint64_t data_seed(double seed, int n, int rep) { return derive_seed(std::uint64_t(seed), n, 2 * rep); }
std::uint64_t init_seed(double seed, int n, int rep) { return derive_seed(std::uint64_t(seed), n, 2 * rep + 1); }

// The training loop on a given problem and initial factors.
std::vector<double> run(const Problem& p, Factors f, const TrainConfig& c, TrainTrace* trace = nullptr) {
  std::vector<double> hist;
  hist.reserve(c.steps + 1);
  Eigen::MatrixXd gA, gB;
  Eigen::MatrixXd mA, vA, mB, vB;
  if (c.optimizer == Optimizer::adam) {
    mA.setZero(f.A.rows(), f.A.cols());
    vA.setZero(f.A.rows(), f.A.cols());
    mB.setZero(f.B.rows(), f.B.cols());
    vB.setZero(f.B.rows(), f.B.cols());
  }
  const double lr_b = c.lr_a * c.ratio;
  for (int t = 1; t <= c.steps; ++t) {
    const double L = loss_and_grad(p, f.A, f.B, &gA, &gB);
    hist.push_back(L);
    if (!std::isfinite(L)) break;
    if (trace) {
      trace->contrib_a.push_back(c.lr_a * gA.cwiseAbs().sum());
      trace->contrib_b.push_back(lr_b * gB.cwiseAbs().sum());
    }
    if (c.optimizer == Optimizer::adam) {
      adam_step(f.A, gA, mA, vA, t, c.lr_a, c.adam);
      adam_step(f.B, gB, mB, vB, t, lr_b, c.adam);
    } else {
      signsgd_step(f.A, gA, c.lr_a);
      signsgd_step(f.B, gB, lr_b);
    }
  }
  if (hist.size() == std::size_t(c.steps)) hist.push_back(loss_and_grad(p, f.A, f.B, nullptr, nullptr));
  hist.resize(c.steps + 1, kInf);  // a diverged run (non-finite loss) counts as infinitely bad
  return hist;
}
}  // namespace

// ---- calculator ----

double su_ratio(double n, double m, double r) {
  require_calculator_args("loraRatios", n, m, r);
  return (n / m) * std::sqrt(n / r);
}

double paper_ratio(double n, double m, double r) {
  require_calculator_args("loraRatios", n, m, r);
  return (n / m) * (n / r);
}

// ---- randomness ----

// splitmix64 and Box–Muller from common/prng.hpp; one normal per call (the sin partner is dropped).
std::uint64_t Rng::next_u64() { return splitmix64(state_); }

double Rng::uniform() { return uniform_open(next_u64()); }

double Rng::normal() {
  const double u1 = uniform(), u2 = uniform();
  return box_muller_cos(u1, u2);
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  return splitmix64_hash(splitmix64_hash(splitmix64_hash(seed) ^ a) ^ (b * 0xD1B54A32D192ED03ULL));
}

// ---- problem ----

Model parse_model(const std::string& s, const char* fn) {
  if (s == "linear") return Model::linear;
  if (s == "two-layer") return Model::two_layer;
  throw type_error(std::string(fn) + ": model must be 'linear' or 'two-layer', got " + format_value(s));
}
Init parse_init(const std::string& s, const char* fn) {
  if (s == "A0") return Init::a_zero;
  if (s == "B0") return Init::b_zero;
  throw type_error(std::string(fn) + ": init must be 'A0' or 'B0', got " + format_value(s));
}
Optimizer parse_optimizer(const std::string& s, const char* fn) {
  if (s == "adam") return Optimizer::adam;
  if (s == "signsgd") return Optimizer::signsgd;
  throw type_error(std::string(fn) + ": optimizer must be 'adam' or 'signsgd', got " + format_value(s));
}

Problem make_problem(const Shape& s, std::uint64_t seed) {
  validate_shape(s, "make_problem");
  Problem p;
  p.model = s.model;
  p.n = s.n;
  p.m = out_width(s);
  p.r = s.r;
  p.batch = s.batch;
  p.k = s.model == Model::two_layer ? s.k : p.m;
  Rng g(seed);
  p.X.resize(p.batch, p.n);
  fill_normal(p.X, g, 1.0);
  Eigen::MatrixXd As(p.n, p.r), Bs(p.r, p.m);
  fill_normal(As, g, std::sqrt(1.0 / p.n));  // §7.3: LeCun scales, var 1/n for A and 1/r for B
  fill_normal(Bs, g, std::sqrt(1.0 / p.r));
  const Eigen::MatrixXd XAs = p.X * As;
  if (p.model == Model::linear) {
    p.XW0.setZero(p.batch, p.m);
    p.Y = XAs * Bs;
  } else {
    Eigen::MatrixXd W0(p.n, p.m);
    p.V.resize(p.m, p.k);
    fill_normal(W0, g, std::sqrt(1.0 / p.n));
    fill_normal(p.V, g, std::sqrt(1.0 / p.m));
    p.XW0 = p.X * W0;
    p.Y = (p.XW0 + XAs * Bs).array().tanh().matrix() * p.V;
  }
  return p;
}

Factors init_factors(const Problem& p, Init init, std::uint64_t seed) {
  Rng g(seed);
  Factors f;
  f.A.setZero(p.n, p.r);
  f.B.setZero(p.r, p.m);
  if (init == Init::a_zero)
    fill_normal(f.B, g, std::sqrt(1.0 / p.r));
  else
    fill_normal(f.A, g, std::sqrt(1.0 / p.n));
  return f;
}

double loss_and_grad(const Problem& p, const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, Eigen::MatrixXd* gA,
                     Eigen::MatrixXd* gB) {
  if (A.rows() != p.n || A.cols() != p.r) fail("loss_and_grad", "A", "be n×r = " + std::to_string(p.n) + "×" + std::to_string(p.r), std::to_string(A.rows()) + "×" + std::to_string(A.cols()));
  if (B.rows() != p.r || B.cols() != p.m) fail("loss_and_grad", "B", "be r×m = " + std::to_string(p.r) + "×" + std::to_string(p.m), std::to_string(B.rows()) + "×" + std::to_string(B.cols()));
  const Eigen::MatrixXd XA = p.X * A;  // b×r
  Eigen::MatrixXd G;                   // ∂L/∂(X W), b×m
  double loss;
  if (p.model == Model::linear) {
    Eigen::MatrixXd R = XA * B - p.Y;
    const double scale = 1.0 / (double(p.batch) * p.m);
    loss = 0.5 * scale * R.squaredNorm();
    if (!gA && !gB) return loss;
    G = scale * R;
  } else {
    const Eigen::MatrixXd H = (p.XW0 + XA * B).array().tanh().matrix();
    const Eigen::MatrixXd R = H * p.V - p.Y;
    const double scale = 1.0 / (double(p.batch) * p.k);
    loss = 0.5 * scale * R.squaredNorm();
    if (!gA && !gB) return loss;
    G = ((scale * R) * p.V.transpose()).array() * (1.0 - H.array().square());  // tanh' = 1 − tanh²
  }
  if (gA) gA->noalias() = p.X.transpose() * (G * B.transpose());  // ∂A = Xᵀ G Bᵀ
  if (gB) gB->noalias() = XA.transpose() * G;                     // ∂B = Aᵀ Xᵀ G
  return loss;
}

// ---- optimisers ----

void signsgd_step(Eigen::MatrixXd& P, const Eigen::MatrixXd& G, double lr) {
  // sign(g) as (g > 0) − (g < 0): exact, branch-free (Eigen's sign() is not vectorised for double)
  P.array() -= lr * ((G.array() > 0.0).cast<double>() - (G.array() < 0.0).cast<double>());
}

void adam_step(Eigen::MatrixXd& P, const Eigen::MatrixXd& G, Eigen::MatrixXd& m1, Eigen::MatrixXd& m2, int t,
               double lr, const AdamConfig& c) {
  m1 = c.beta1 * m1 + (1.0 - c.beta1) * G;
  m2.array() = c.beta2 * m2.array() + (1.0 - c.beta2) * G.array().square();
  const double bc1 = 1.0 - std::pow(c.beta1, t), bc2 = 1.0 - std::pow(c.beta2, t);
  P.array() -= lr * (m1.array() / bc1) / ((m2.array() / bc2).sqrt() + c.epsilon);
}

// ---- runs ----

void validate(const TrainConfig& c, const char* fn) {
  validate_shape(c.shape, fn);
  require_size(c.steps >= 1 && c.steps <= kMaxSteps, fn, "steps", "be an integer in [1, 100000]", c.steps);
  require(std::isfinite(c.lr_a) && c.lr_a > 0, fn, "lrA", "be a positive finite number", c.lr_a);
  require(std::isfinite(c.ratio) && c.ratio > 0, fn, "ratio", "be a positive finite number", c.ratio);
  require(c.adam.beta1 >= 0 && c.adam.beta1 < 1, fn, "beta1", "be in [0, 1)", c.adam.beta1);
  require(c.adam.beta2 >= 0 && c.adam.beta2 < 1, fn, "beta2", "be in [0, 1)", c.adam.beta2);
  require(std::isfinite(c.adam.epsilon) && c.adam.epsilon > 0, fn, "epsilon", "be a positive finite number",
          c.adam.epsilon);
  require(c.seed >= 0 && c.seed <= 0x1.0p53 && std::floor(c.seed) == c.seed, fn, "seed",
          "be an integer in [0, 2^53]", c.seed);
}

std::vector<double> train(const TrainConfig& c) {
  validate(c, "loraTrain");
  const Problem p = make_problem(c.shape, data_seed(c.seed, c.shape.n, 0));
  return run(p, init_factors(p, c.init, init_seed(c.seed, c.shape.n, 0)), c);
}

TrainTrace train_trace(const TrainConfig& c) {
  validate(c, "loraTrain");
  const Problem p = make_problem(c.shape, data_seed(c.seed, c.shape.n, 0));
  TrainTrace t;
  t.loss = run(p, init_factors(p, c.init, init_seed(c.seed, c.shape.n, 0)), c, &t);
  return t;
}

double final_loss(const std::vector<double>& h) {
  if (h.empty()) fail("loraFinalLoss", "history", "be non-empty", "an empty array");
  const std::size_t tail = std::min(h.size(), (h.size() - 1 + 9) / 10 + 1);
  double s = 0;
  for (std::size_t i = h.size() - tail; i < h.size(); ++i) s += h[i];
  return s / double(tail);
}

void validate(const SweepConfig& c, const char* fn) {
  validate(c.base, fn);
  require_size(!c.widths.empty() && c.widths.size() <= 64, fn, "widths", "have 1 to 64 entries",
               double(c.widths.size()));
  for (std::size_t i = 0; i < c.widths.size(); ++i) {
    Shape s = c.base.shape;
    s.n = c.widths[i];
    if (s.n < 1 || s.n > kMaxWidth) fail(fn, indexed("widths", i), "be an integer in [1, 4096]", s.n);
    const int m = out_width(s);
    if (s.r > std::min(s.n, m))
      fail(fn, indexed("widths", i), "be at least r = " + std::to_string(s.r) + " (r <= min(n, m))", s.n);
    validate_shape(s, fn);
  }
  require_size(!c.ratios.empty() && c.ratios.size() <= 256, fn, "ratios", "have 1 to 256 entries",
               double(c.ratios.size()));
  for (std::size_t i = 0; i < c.ratios.size(); ++i) {
    require(std::isfinite(c.ratios[i]) && c.ratios[i] > 0, fn, indexed("ratios", i), "be a positive finite number",
            c.ratios[i]);
    if (i > 0) require(c.ratios[i] > c.ratios[i - 1], fn, indexed("ratios", i), "be greater than the previous entry", c.ratios[i]);
  }
  require_size(!c.lrs.empty() && c.lrs.size() <= 64, fn, "lrs", "have 1 to 64 entries", double(c.lrs.size()));
  for (std::size_t i = 0; i < c.lrs.size(); ++i)
    require(std::isfinite(c.lrs[i]) && c.lrs[i] > 0, fn, indexed("lrs", i), "be a positive finite number", c.lrs[i]);
  require_size(c.repeats >= 1 && c.repeats <= kMaxRepeats, fn, "repeats", "be an integer in [1, 64]", c.repeats);
}

Cell sweep_cell(const SweepConfig& c, int n, double ratio) {
  validate(c, "loraSweepCell");  // the sweep this cell belongs to: its widths and ratios are checked too
  SweepConfig v = c;
  v.widths = {n};
  v.ratios = {ratio};
  validate(v, "loraSweepCell");
  TrainConfig t = c.base;
  t.shape.n = n;
  t.ratio = ratio;
  std::vector<Problem> problems;
  std::vector<Factors> inits;
  for (int rep = 0; rep < c.repeats; ++rep) {
    problems.push_back(make_problem(t.shape, data_seed(c.base.seed, n, rep)));
    inits.push_back(init_factors(problems.back(), t.init, init_seed(c.base.seed, n, rep)));
  }
  Cell best{kInf, c.lrs.front()};
  for (double lr : c.lrs) {
    t.lr_a = lr;
    double s = 0;
    for (int rep = 0; rep < c.repeats; ++rep) s += final_loss(run(problems[rep], inits[rep], t));
    s /= c.repeats;
    if (s < best.loss) best = {s, lr};  // strict: ties keep the smaller η_A
  }
  return best;
}

double best_ratio(const std::vector<double>& ratios, const std::vector<double>& losses, const char* fn) {
  if (ratios.empty()) fail(fn, "ratios", "be non-empty", "an empty array");
  if (losses.size() != ratios.size())
    fail(fn, "losses", "have the length of ratios (" + std::to_string(ratios.size()) + ")", losses.size());
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    require(std::isfinite(ratios[i]) && ratios[i] > 0, fn, indexed("ratios", i), "be a positive finite number", ratios[i]);
    if (i > 0) require(ratios[i] > ratios[i - 1], fn, indexed("ratios", i), "be greater than the previous entry", ratios[i]);
    require(!std::isnan(losses[i]) && losses[i] >= 0, fn, indexed("losses", i), "be >= 0 (or +Infinity)", losses[i]);
  }
  const std::size_t i = std::min_element(losses.begin(), losses.end()) - losses.begin();
  if (i == 0 || i + 1 == ratios.size()) return ratios[i];
  const double x0 = std::log(ratios[i - 1]), x1 = std::log(ratios[i]), x2 = std::log(ratios[i + 1]);
  const double y0 = std::log(losses[i - 1]), y1 = std::log(losses[i]), y2 = std::log(losses[i + 1]);
  if (!(std::isfinite(y0) && std::isfinite(y1) && std::isfinite(y2))) return ratios[i];
  // Vertex of the parabola through three points (Newton form); y1 ≤ y0, y2 makes it convex or flat.
  const double num = (x1 - x0) * (x1 - x0) * (y1 - y2) - (x1 - x2) * (x1 - x2) * (y1 - y0);
  const double den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0);
  if (!(den != 0)) return ratios[i];
  const double x = std::clamp(x1 - 0.5 * num / den, x0, x2);
  return std::exp(x);
}

LogLogFit loglog_fit(const std::vector<double>& x, const std::vector<double>& y, const char* fn) {
  if (x.size() < 2) fail(fn, "x", "have at least 2 entries", double(x.size()));
  if (y.size() != x.size()) fail(fn, "y", "have the length of x (" + std::to_string(x.size()) + ")", double(y.size()));
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    require(std::isfinite(x[i]) && x[i] > 0, fn, indexed("x", i), "be a positive finite number", x[i]);
    require(std::isfinite(y[i]) && y[i] > 0, fn, indexed("y", i), "be a positive finite number", y[i]);
    mx += std::log(x[i]);
    my += std::log(y[i]);
  }
  mx /= double(x.size());
  my /= double(x.size());
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = std::log(x[i]) - mx;
    sxx += dx * dx;
    sxy += dx * (std::log(y[i]) - my);
  }
  if (!(sxx > 0)) fail(fn, "x", "have at least two distinct values", x[0]);
  const double slope = sxy / sxx;
  return {slope, my - slope * mx};
}

SweepResult summarize(const SweepConfig& c, const std::vector<double>& loss, const std::vector<double>& lr_a) {
  validate(c, "loraSummarize");
  const std::size_t W = c.widths.size(), R = c.ratios.size();
  if (loss.size() != W * R) fail("loraSummarize", "loss", "have widths × ratios = " + std::to_string(W * R) + " entries", double(loss.size()));
  if (lr_a.size() != W * R) fail("loraSummarize", "lrA", "have widths × ratios = " + std::to_string(W * R) + " entries", double(lr_a.size()));
  for (std::size_t i = 0; i < W * R; ++i) {  // named here, not as a width's slice inside best_ratio
    require(!std::isnan(loss[i]) && loss[i] >= 0, "loraSummarize", indexed("loss", i), "be >= 0 (or +Infinity)", loss[i]);
    require(std::isfinite(lr_a[i]) && lr_a[i] > 0, "loraSummarize", indexed("lrA", i), "be a positive finite number", lr_a[i]);
  }
  SweepResult out{loss, lr_a, {}, {kNaN, kNaN}, 0, 0, ""};
  for (std::size_t w = 0; w < W; ++w)
    out.best.push_back(best_ratio(c.ratios, std::vector<double>(loss.begin() + w * R, loss.begin() + (w + 1) * R), "loraSummarize"));
  std::vector<double> xs(c.widths.begin(), c.widths.end());
  if (std::any_of(xs.begin(), xs.end(), [&](double v) { return v != xs[0]; })) out.fit = loglog_fit(xs, out.best, "loraSummarize");
  out.above_one = int(std::count_if(out.best.begin(), out.best.end(), [](double b) { return b > 1; }));
  if (R > 1)
    out.at_edge = int(std::count_if(out.best.begin(), out.best.end(),
                                    [&](double b) { return b == c.ratios.front() || b == c.ratios.back(); }));
  out.law = nearest_law(out.fit.slope);
  return out;
}

std::string nearest_law(double slope) {
  if (std::isnan(slope)) return "none";
  if (std::isinf(slope)) return slope > 0 ? "steeper" : "decreasing";  // every distance is ∞: decide by sign
  const char* names[] = {"decreasing", "flat", "sqrt", "linear", "steeper"};  // exponents -1/2, 0, 1/2, 1, 3/2
  int best = 0;
  for (int k = 1; k < 5; ++k)
    if (std::fabs(slope - 0.5 * (k - 1)) < std::fabs(slope - 0.5 * (best - 1))) best = k;
  return names[best];
}

SweepResult sweep(const SweepConfig& c) {
  validate(c, "loraSweep");
  std::vector<double> loss, lr;
  for (int n : c.widths)
    for (double ratio : c.ratios) {
      const Cell cell = sweep_cell(c, n, ratio);
      loss.push_back(cell.loss);
      lr.push_back(cell.lr_a);
    }
  return summarize(c, loss, lr);
}

// ---- the scale argument of §7.4, measured ----

double gradient_ratio_law(double n, double m, double r) {
  require_calculator_args("loraGradientRatioLaw", n, m, r);
  return n / std::sqrt(m * r);
}

void validate(const ScaleConfig& c, const char* fn) {
  require_size(c.n >= 1 && c.n <= kMaxWidth, fn, "n", "be an integer in [1, 4096]", c.n);
  require_size(c.m >= 0 && c.m <= kMaxWidth, fn, "m", "be an integer in [0, 4096] (0: m = n)", c.m);
  const int m = c.m == 0 ? c.n : c.m;
  require_size(c.r >= 1 && c.r <= std::min(c.n, m), fn, "r",
               "be an integer in [1, min(n, m) = " + std::to_string(std::min(c.n, m)) + "]", c.r);
  require_size(c.batch >= 1 && c.batch <= kMaxBatch, fn, "batch", "be an integer in [1, 4096]", c.batch);
  require_size(double(c.batch) * std::max(c.n, m) <= kMaxElements, fn, "batch", "satisfy batch·max(n, m) <= 2^24",
               c.batch);
  require_size(c.seeds >= 2 && c.seeds <= 256, fn, "seeds", "be an integer in [2, 256]", c.seeds);
  require(std::isfinite(c.seed) && c.seed >= 0 && c.seed <= 9007199254740992.0 && c.seed == std::floor(c.seed), fn,
          "seed", "be an integer in [0, 2^53]", c.seed);
}

double equal_contribution_ratio(const ScaleConfig& c, int s) {
  const int n = c.n, m = c.m == 0 ? c.n : c.m, r = c.r, b = c.batch;
  Rng g(derive_seed(derive_seed(std::uint64_t(c.seed), std::uint64_t(n) * 4097u + std::uint64_t(m), r), 0x5CA1E, s));
  Eigen::MatrixXd X(b, n), G(b, m), A(n, r), B(r, m);
  fill_normal(X, g, 1.0);
  fill_normal(G, g, 1.0);
  fill_normal(A, g, std::sqrt(1.0 / n));
  fill_normal(B, g, std::sqrt(1.0 / r));
  // Post 7 §7.4: ∂A = Xᵀ G Bᵀ, ∂B = Aᵀ Xᵀ G, in the order that keeps every product O(b (n + m) r).
  const Eigen::MatrixXd gA = X.transpose() * (G * B.transpose());
  const Eigen::MatrixXd gB = (X * A).transpose() * G;
  return gA.cwiseAbs().sum() / gB.cwiseAbs().sum();
}

ScalePoint gradient_scale(const ScaleConfig& c, const char* fn) {
  validate(c, fn);
  const int m = c.m == 0 ? c.n : c.m;
  ScalePoint p;
  for (int s = 0; s < c.seeds; ++s) p.samples.push_back(equal_contribution_ratio(c, s));
  const double k = double(p.samples.size());
  for (double v : p.samples) p.mean += v / k;
  double ss = 0;
  for (double v : p.samples) ss += (v - p.mean) * (v - p.mean);
  p.sd = std::sqrt(ss / (k - 1));
  p.sem = p.sd / std::sqrt(k);
  p.su = su_ratio(c.n, m, c.r);
  p.law = gradient_ratio_law(c.n, m, c.r);
  return p;
}

namespace {
void check_scale_widths(const std::vector<int>& widths, const char* fn) {
  if (widths.size() < 2 || widths.size() > 64) fail(fn, "widths", "have 2 to 64 entries", double(widths.size()));
  require(widths[0] >= 1, fn, "widths[0]", "be a positive integer", widths[0]);
  for (std::size_t i = 1; i < widths.size(); ++i)
    require(widths[i] > widths[i - 1], fn, indexed("widths", i), "be greater than the previous entry", widths[i]);
}
}  // namespace

ScaleSweep gradient_scale_sweep(const std::vector<int>& widths, const ScaleConfig& base) {
  const char* fn = "loraGradientScaleSweep";
  check_scale_widths(widths, fn);
  std::vector<ScalePoint> points;
  std::vector<double> samples;
  for (int n : widths) {
    ScaleConfig c = base;
    c.n = n;
    c.m = 0;  // m = n, the post's case
    points.push_back(gradient_scale(c, fn));
    samples.insert(samples.end(), points.back().samples.begin(), points.back().samples.end());
  }
  ScaleSweep out = scale_slopes(widths, samples, base.seeds);
  out.points = std::move(points);
  return out;
}

ScaleSweep scale_slopes(const std::vector<int>& widths, const std::vector<double>& samples, int seeds) {
  const char* fn = "loraGradientScaleSlopes";
  check_scale_widths(widths, fn);
  require(seeds >= 2 && seeds <= 256, fn, "seeds", "be an integer in [2, 256]", seeds);
  if (samples.size() != widths.size() * std::size_t(seeds))
    fail(fn, "samples", "have widths × seeds = " + std::to_string(widths.size() * seeds) + " entries", double(samples.size()));
  for (std::size_t i = 0; i < samples.size(); ++i)  // ratios of absolute gradient sums: the log-log fit needs them > 0
    require(std::isfinite(samples[i]) && samples[i] > 0, fn, indexed("samples", i), "be a positive finite number", samples[i]);
  ScaleSweep out;
  const std::vector<double> xs(widths.begin(), widths.end());
  for (int s = 0; s < seeds; ++s) {
    std::vector<double> ys;
    for (std::size_t w = 0; w < widths.size(); ++w) ys.push_back(samples[w * seeds + s]);
    out.slopes.push_back(loglog_fit(xs, ys, fn).slope);
  }
  const double k = double(out.slopes.size());
  for (double v : out.slopes) out.slope += v / k;
  double ss = 0;
  for (double v : out.slopes) ss += (v - out.slope) * (v - out.slope);
  out.slope_sem = std::sqrt(ss / (k - 1)) / std::sqrt(k);
  return out;
}

}  // namespace probwasm::lora
