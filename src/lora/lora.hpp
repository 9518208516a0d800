// LoRA+ (post 7, "配置不同的学习率，LoRA还能再涨一点？", kexue.fm/archives/10001): how much faster should
// the output-side factor B learn than A?  Notation as in the post (input times weight):
//   X ∈ R^{b×n},  W = W0 + A B,  A ∈ R^{n×r},  B ∈ R^{r×m},  the layer computes X W.
// Two parts: the calculator of §7.4–7.5, and a toy fine-tuning experiment (§7.6) that measures the best
// ratio λ = η_B/η_A instead of asserting it.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

namespace probwasm::lora {

// ---- calculator -------------------------------------------------------------------------------------

// Su's ratio η_B/η_A ≈ (n/m)·√(n/r) (post 7 §7.4): equal per-step loss decrease η_A‖∂A‖₁ ≈ η_B‖∂B‖₁
// with A's entries ~ √(1/n) and B's ~ √(1/r).  Requires 1 ≤ r ≤ min(n, m), all finite.
double su_ratio(double n, double m, double r);
// The LoRA+ paper's Θ(n) scaling (post 7 §7.5), which only states an order.  We give it unit constant and the
// same (n/m, 1/r) normalisation as Su's formula, λ = (n/m)·(n/r), so that with m = n the two differ exactly by
// √(n/r): the paper's own derivation (r = 1, m = n) then reads λ = n.
double paper_ratio(double n, double m, double r);
// LoRA+'s recommended default λ = 2^4 (post 7 §7.5).
constexpr double loraplus_default_ratio = 16.0;

// ---- randomness -------------------------------------------------------------------------------------

// SplitMix64 (Steele, Lea & Flood 2014): one 64-bit state, the same stream natively and in wasm.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next_u64();
  double uniform();  // in (0, 1): never 0, so log(u) is finite
  double normal();   // Box–Muller, one variate per call (no cached pair: simpler replay)
 private:
  std::uint64_t state_;
};
// A child stream for (seed, a, b): runs at one (width, repeat) share their data whatever λ and η are.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b);

// ---- the toy problem ------------------------------------------------------------------------------------

enum class Model { linear, two_layer };
enum class Init { a_zero, b_zero };  // which factor starts at 0; the other is LeCun (var 1/n for A, 1/r for B)
enum class Optimizer { adam, signsgd };

Model parse_model(const std::string& s, const char* fn);
Init parse_init(const std::string& s, const char* fn);
Optimizer parse_optimizer(const std::string& s, const char* fn);

// Teacher–student regression (post 7 §7.6).  Teacher W* = W0 + A*B* with A* ~ N(0, 1/n), B* ~ N(0, 1/r): the
// scales §7.3 assumes trained factors end near, so X, XA*, XA*B* are all O(1) (assumption 1 of §7.2).
//   linear:    Y = X W (W0 = 0, which the post takes WLOG),            loss = ‖Ŷ − Y*‖²_F / (2 b m)
//   two_layer: Y = tanh(X W) V, W0 ~ N(0, 1/n) frozen, V ∈ R^{m×k} ~ N(0, 1/m) frozen,  loss = ‖Ŷ − Y*‖²/(2 b k)
struct Problem {
  Model model = Model::linear;
  int n = 0, m = 0, r = 0, batch = 0, k = 0;
  Eigen::MatrixXd X;    // b×n, N(0, 1)
  Eigen::MatrixXd XW0;  // b×m, X·W0 (zero for the linear model), precomputed since X is fixed
  Eigen::MatrixXd V;    // m×k readout (two_layer only)
  Eigen::MatrixXd Y;    // teacher outputs
};
struct Shape {
  Model model = Model::linear;
  int n = 64, m = 0, r = 4, batch = 32, k = 8;  // m = 0: m = n (the post's m = n case)
};
Problem make_problem(const Shape& shape, std::uint64_t seed);

struct Factors {
  Eigen::MatrixXd A;  // n×r
  Eigen::MatrixXd B;  // r×m
};
Factors init_factors(const Problem& p, Init init, std::uint64_t seed);

// Loss and its gradients (post 7 §7.4): with G = ∂L/∂(XW),  ∂A = Xᵀ G Bᵀ  and  ∂B = (XA)ᵀ G = Aᵀ Xᵀ G.
// gA, gB may be null (loss only).
double loss_and_grad(const Problem& p, const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, Eigen::MatrixXd* gA,
                     Eigen::MatrixXd* gB);

// ---- optimisers -----------------------------------------------------------------------------------------

// SignSGD (post 7 §7.4): P ← P − η sign(G), sign(0) = 0.
void signsgd_step(Eigen::MatrixXd& P, const Eigen::MatrixXd& G, double lr);
// Adam (Kingma & Ba 2015, bias-corrected), step t ≥ 1.  With β1 = β2 = 0 the step is η G/(|G| + ε): SignSGD up
// to ε, the reduction §7.4 relies on.
struct AdamConfig {
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
};
void adam_step(Eigen::MatrixXd& P, const Eigen::MatrixXd& G, Eigen::MatrixXd& m1, Eigen::MatrixXd& m2, int t,
               double lr, const AdamConfig& cfg);

// ---- training runs and the sweep -----------------------------------------------------------------------

struct TrainConfig {
  Shape shape;
  Init init = Init::b_zero;  // standard LoRA (Hu et al.): the output-side factor starts at 0
  Optimizer optimizer = Optimizer::adam;
  AdamConfig adam;
  int steps = 200;
  double lr_a = 1e-3;  // η_A
  double ratio = 1.0;  // λ = η_B / η_A
  double seed = 1;     // an integer in [0, 2^53]; the data and the initialisation derive from it
};
void validate(const TrainConfig& c, const char* fn);

// One run: the loss before each of the `steps` updates and after the last one (steps + 1 values).
std::vector<double> train(const TrainConfig& c);
// The same run with §7.4's per-step first-order decreases η_A‖∂A‖₁ and η_B‖∂B‖₁ (one value per step): Su's
// "equal contribution" assumption says these should be of the same order.
struct TrainTrace {
  std::vector<double> loss;       // steps + 1 values, as train()
  std::vector<double> contrib_a;  // η_A‖∂A‖₁ at each step (steps values; fewer if the run diverged)
  std::vector<double> contrib_b;  // η_B‖∂B‖₁
};
TrainTrace train_trace(const TrainConfig& c);
// The run's summary: mean loss over the last ⌈steps/10⌉ + 1 recorded values, which smooths SignSGD's
// constant-step oscillation without hiding the level it settles at.
double final_loss(const std::vector<double>& history);

struct SweepConfig {
  TrainConfig base;               // everything but n, ratio, lr_a
  std::vector<int> widths;        // n values
  std::vector<double> ratios;     // λ grid (ascending, > 0)
  std::vector<double> lrs;        // η_A grid: each λ keeps its best η_A, as a tuned run would
  int repeats = 1;                // independent data/init draws, averaged
};
void validate(const SweepConfig& c, const char* fn);

struct Cell {
  double loss;  // min over η_A of the mean (over repeats) final loss
  double lr_a;  // the η_A attaining it
};
// One point of a loss-vs-λ curve.  All (λ, η_A) at one width share the same data and init draws (common random
// numbers), so differences along the curve are the learning rates', not the sample's.
Cell sweep_cell(const SweepConfig& c, int n, double ratio);

// The best λ on a log grid, refined by the vertex of the parabola through log L at the argmin and its two
// neighbours in log λ (kept within that bracket); at an end of the grid, the end itself.
// fn: the public name in error messages (loraBestRatio, or loraSummarize that calls it per width).
double best_ratio(const std::vector<double>& ratios, const std::vector<double>& losses, const char* fn = "loraBestRatio");

// Least-squares line through (log x, log y): y ∝ x^slope.  Compared with Su's √n (0.5) and the paper's n (1).
struct LogLogFit {
  double slope, intercept;  // log y ≈ intercept + slope·log x (natural log)
};
LogLogFit loglog_fit(const std::vector<double>& x, const std::vector<double>& y, const char* fn = "loraLogLogFit");

// Which scaling law a measured exponent is nearest to (post 7 §7.5): "decreasing" (nearest n^{-1/2} or below),
// "flat" (n^0: no width dependence), "sqrt" (Su's n^{1/2}), "linear" (the paper's n^1), or "steeper" (nearest
// n^{3/2} or beyond); "none" for NaN.  Ties go to the smaller exponent.
std::string nearest_law(double slope);

struct SweepResult {
  std::vector<double> loss;        // widths × ratios, row-major
  std::vector<double> lr_a;        // the best η_A per cell
  std::vector<double> best;        // best λ per width
  LogLogFit fit;                   // best λ vs n (needs ≥ 2 widths; NaN otherwise)
  int above_one = 0;               // widths whose best λ exceeds 1 (§7.1's claim: B should learn faster)
  int at_edge = 0;                 // widths whose best λ is an end of the grid (the true optimum may lie beyond)
  std::string law;                 // nearest_law(fit.slope)
};
SweepResult sweep(const SweepConfig& c);
// The summary from cells computed elsewhere (the Worker computes cells one by one for progress and cancel).
SweepResult summarize(const SweepConfig& c, const std::vector<double>& loss, const std::vector<double>& lr_a);

// ---- the scale argument of §7.4, measured ---------------------------------------------------------------

// At the scales §7.3 assumes (X ~ N(0,1) b×n, A ~ N(0, 1/n), B ~ N(0, 1/r)) and a random output gradient
// G = ∂L/∂Y ~ N(0,1) b×m, SignSGD's first-order decreases are η_A‖∂A‖₁ and η_B‖∂B‖₁ (post 7 §7.4), so the
// ratio that makes them equal is λ_eq = ‖∂A‖₁/‖∂B‖₁ with ∂A = Xᵀ G Bᵀ, ∂B = (XA)ᵀ G.  Entries of ∂A have
// scale √(b m/r) (m terms of B's size) and entries of ∂B scale √b (XA is O(1)), so λ_eq ≈ n/√(m r): equal to
// Su's (n/m)√(n/r) when m = n, but not otherwise (Su's count drops the √m and √n the two sums carry).
double gradient_ratio_law(double n, double m, double r);  // n/√(m r), same argument checks as su_ratio

struct ScaleConfig {
  int n = 64, m = 0, r = 8;  // m = 0: m = n
  int batch = 16;
  int seeds = 8;     // independent draws of X, A, B, G
  double seed = 1;   // an integer in [0, 2^53]
};
void validate(const ScaleConfig& c, const char* fn);
// One draw's λ_eq = ‖∂A‖₁/‖∂B‖₁ (draw index s of the stream of (seed, n, m, r)).
double equal_contribution_ratio(const ScaleConfig& c, int s);
struct ScalePoint {
  std::vector<double> samples;  // λ_eq per seed
  double mean = 0, sd = 0, sem = 0;
  double su = 0;       // (n/m)√(n/r), post 7 §7.4
  double law = 0;      // n/√(m r), the scale the gradients have
};
ScalePoint gradient_scale(const ScaleConfig& c, const char* fn = "loraGradientScale");

// λ_eq against the width with m = n, the post's case: one log–log slope per seed (the same seed index at
// every width), so the slope has an error bar over seeds.  Su's law predicts slope ½ (√(n/r)); the
// paper's Θ(n), 1.
struct ScaleSweep {
  std::vector<ScalePoint> points;  // one per width
  std::vector<double> slopes;      // one per seed
  double slope = 0, slope_sem = 0; // mean and standard error over seeds
};
ScaleSweep gradient_scale_sweep(const std::vector<int>& widths, const ScaleConfig& base);
// The per-seed slopes and their mean ± s.e. from samples measured elsewhere (widths × seeds, row-major): the
// Worker measures one width per step for progress.
ScaleSweep scale_slopes(const std::vector<int>& widths, const std::vector<double>& samples, int seeds);

}  // namespace probwasm::lora
