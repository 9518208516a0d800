// Softmax and its alternatives (post 8, "通向概率分布之路：盘点Softmax及其替代品", kexue.fm/archives/10145):
// seven maps R^n → Δ^{n-1}, their Jacobians and their losses.
//
// Special values, the same for every map unless its entry says otherwise:
//   NaN            rejected (std::invalid_argument naming the entry).
//   -inf           a masked logit: probability exactly 0, zero Jacobian row and column. At least one entry
//                  must be finite. Taylor softmax is the exception: f_k(-inf) = +inf, so it rejects ±inf.
//   +inf           rejected: the limit depends on how fast the entry grows, so no single answer is right.
//   empty          rejected.
// Row-wise variants take `cols`: x is then a row-major matrix with `cols` columns and the map applies
// to each row (0 = the whole of x is one row). Row kernels (`*_into`) never allocate: they use a
// caller-owned Workspace reused across rows, or `out` itself as scratch (so `out` must not alias `x`).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace probwasm::softmax {

// Scratch memory reused across rows (grown on demand, never shrunk).
struct Workspace {
  std::vector<double> a, b, nodes;
  std::vector<double> wx, wo;  // a float row widened to double (maps that compute in double only)
  std::vector<std::size_t> idx;
  long nodes_key = -1;  // which quadrature nodes `nodes` holds (perturb-max)
};

// Float rows: every map has a float instantiation for Float32Array inputs (DESIGN.md "dtype follows the input").
// softmax, logsumexp, sparsemax and entmax (α = 1, 1.5, 2) compute in float, with their sums accumulated in
// double (so a float row sums to 1 within a few float ulps); entmax at other α keeps float storage and double
// arithmetic; Taylor, sparse and perturb-max widen each row to double exactly and round the result once.
// The `*_rows` entry points take caller-owned buffers (x and out of `size` values, `cols` per row, 0 = one row;
// out must not alias x): the JS API's path, with x and out in wasm memory and no allocation per call.

// ---- 8.1 softmax -------------------------------------------------------------------------------------
// log Σ e^{x_i} (§8.1), stable for |x| up to 1e308; -inf entries contribute 0; all -inf → -inf; any +inf → +inf.
double logsumexp(const double* x, std::size_t n);
double logsumexp(const std::vector<double>& x);

// p_i = e^{x_i/τ} / Σ_j e^{x_j/τ} (§8.1), computed as e^{(x_i - max)/τ} / Σ (the stable form of the post).
// A τ so small that 1/τ overflows gives the τ → 0 limit: the uniform distribution on the argmax set.
void softmax_into(const double* x, std::size_t n, double temperature, double* out);
void softmax_into(const float* x, std::size_t n, double temperature, float* out);
float logsumexp(const float* x, std::size_t n);
// softmax_rows may run in place (out == x): each pass reads an entry before it writes it. A bad row found midway
// reruns the row-by-row path from the first row: the rows before it were shifted in place but are still valid,
// and the bad row is untouched, so the error is the one a separate out would give.
template <class T>
void softmax_rows(const T* x, std::size_t size, double temperature, std::size_t cols, T* out);
std::vector<double> softmax(const std::vector<double>& x, double temperature = 1.0, std::size_t cols = 0);

// ---- 8.2 AM-softmax (a loss; this is the distribution inside it) ---------------------------------------
// q = softmax(s·(x − m·e_t)) (§8.2): the target's cosine is lowered by the margin m before the scaled
// softmax (s = 1/τ). Its cross-entropy −log q_t is the AM-softmax loss (see `loss`).
void am_softmax_into(const double* x, std::size_t n, std::size_t target, double margin, double scale, double* out);

// ---- 8.3 Taylor softmax --------------------------------------------------------------------------------
// p_i = f_k(x_i) / Σ_j f_k(x_j), f_k(x) = Σ_{m≤k} x^m/m! (§8.3), k even so f_k > 0. f_k is evaluated by
// Horner's rule in double-double arithmetic with exact power-of-two scaling, so cancellation for x < 0 and
// overflow for huge |x| do not cost accuracy. ±inf rejected. Not shift-invariant; for k = 2 not monotone below −1.
constexpr int kMaxTaylorOrder = 100;
void taylor_softmax_into(const double* x, std::size_t n, int order, double* out, Workspace& w);
std::vector<double> taylor_softmax(const std::vector<double>& x, int order = 2, std::size_t cols = 0);
template <class T>
void taylor_softmax_rows(const T* x, std::size_t size, int order, std::size_t cols, T* out, Workspace& w);

// ---- 8.4 sparse softmax (top-k / top-p) ----------------------------------------------------------------
// p_i = e^{x_i} / Σ_{j∈Ω} e^{x_j} on Ω, 0 elsewhere (§8.4). Ω is chosen by exactly one rule:
//   top-k:  the k largest logits (top-k). Ties at the cut go to the LOWER index, so |Ω| = k exactly.
//   top-p:  nucleus: the fewest largest logits whose softmax mass reaches p (Σ ≥ p in double arithmetic),
//           scanned in descending order with ties broken by the lower index; p = 1 keeps every finite entry.
// -inf entries rank last and get 0 even when inside Ω.
struct SparseRule {
  bool has_k = false, has_p = false;
  int k = 0;
  double p = 0;
  static SparseRule top_k(int k) { return {true, false, k, 0.0}; }
  static SparseRule nucleus(double p) { return {false, true, 0, p}; }
};
void sparse_softmax_into(const double* x, std::size_t n, SparseRule rule, double* out, Workspace& w);
std::vector<double> sparse_softmax(const std::vector<double>& x, SparseRule rule, std::size_t cols = 0);
template <class T>
void sparse_softmax_rows(const T* x, std::size_t size, SparseRule rule, std::size_t cols, T* out, Workspace& w);

// ---- 8.5 perturb-max -------------------------------------------------------------------------------------
// p_i = E_ε[Π_{j≠i} Φ(x_i − x_j + ε)] = ∫_0^1 Π_{j≠i} Φ(x_i − x_j + Φ^{-1}(t)) dt (§8.5): deterministic
// inverse-CDF quadrature. The post's midpoint grid in t converges slowly (errors ~5e-6 at N = 4096: the
// integrand behaves like t^S at t → 0), so the grid is instead the tanh-sinh image t_k = ½(1 + tanh(π/2·sinh u_k))
// of a uniform u-grid with `grid` nodes, ε_k = Φ^{-1}(t_k), trapezoid weights; result renormalised to sum 1.
// Gumbel noise: the integrand is t^{S_i}, S_i = Σ_{j≠i} e^{x_j−x_i}, whose integral 1/(1+S_i) is softmax;
// O(N·n). Normal noise: O(N·n²). Stated error at the default N = 4096: ≤ 1e-14 absolute (tested against
// softmax, the n = 2 closed form Φ(Δ/√2), and ≤ 1e-10 against the post's 10-digit values); ≤ 1e-6 from N = 48.
enum class Noise { gumbel, normal };
void perturb_max_into(const double* x, std::size_t n, Noise noise, int grid, double* out, Workspace& w);
std::vector<double> perturb_max(const std::vector<double>& x, Noise noise = Noise::gumbel, int grid = 4096,
                                std::size_t cols = 0);
template <class T>
void perturb_max_rows(const T* x, std::size_t size, Noise noise, int grid, std::size_t cols, T* out, Workspace& w);
// Φ^{-1} of the standard normal, to a few ulps (Acklam's rational start + one Halley step on erfc).
double normal_quantile(double t);

// ---- 8.6 sparsemax ---------------------------------------------------------------------------------------
// p = relu(x − λ), Σp = 1 (§8.6): the Euclidean projection onto the simplex. λ is found in expected O(n)
// by a randomised-pivot selection (Duchi et al. 2008, Fig. 2; the pivot sequence is a fixed-seed
// generator, so results are deterministic). Returns λ.
template <class T>
double sparsemax_into(const T* x, std::size_t n, T* out, Workspace& w);
std::vector<double> sparsemax(const std::vector<double>& x, std::size_t cols = 0);
template <class T>
void sparsemax_rows(const T* x, std::size_t size, std::size_t cols, T* out, Workspace& w);

// ---- 8.7 entmax-α ------------------------------------------------------------------------------------------
// p_i = relu(β x_i − λ)^{1/β}, β = α − 1, Σp = 1 (§8.7; Peters, Niculae & Martins 2019), for every α ≥ 1:
// α = 1 is softmax, α = 2 sparsemax, α = 1.5 the exact sort-based solution (support found by the first-
// principles test F(z_k) < 1, so ties such as x = [3,1,0] are exact), any other α a safeguarded Newton/
// bisection root search carried until the bracket stops shrinking (full double precision). For α > 2,
// p = r^{1/(α−1)} is not Lipschitz at the support edge: entries there are accurate to ~(64ε)^{1/(α−1)} only.
// The `_into` functions return λ in the convention above (for α = 1: logsumexp(x)).
template <class T>
double entmax_into(const T* x, std::size_t n, double alpha, T* out, Workspace& w);
template <class T>
double entmax15_into(const T* x, std::size_t n, T* out, Workspace& w);
template <class T>
double entmax_bisect_into(const T* x, std::size_t n, double alpha, T* out, Workspace& w);
std::vector<double> entmax(const std::vector<double>& x, double alpha = 1.5, std::size_t cols = 0);
template <class T>
void entmax_rows(const T* x, std::size_t size, double alpha, std::size_t cols, T* out, Workspace& w);

// ---- Jacobians and losses (§8.1, §8.6, §8.7; Blondel, Martins & Niculae 2020 for Fenchel–Young) ------
// Options shared by the map names below; each map reads only its own fields.
struct MapOptions {
  double temperature = 1.0;  // softmax
  int order = 2;             // taylor
  SparseRule rule{};         // sparse
  double alpha = 1.5;        // entmax
  double margin = 0.35;      // am-softmax (the AM-Softmax paper's defaults, Wang et al. 2018)
  double scale = 30.0;       // am-softmax; s = 1/τ
};

// ∂p_i/∂x_j, n×n row-major, for map ∈ {softmax, taylor, sparse, sparsemax, entmax}:
//   softmax (diag p − p pᵀ)/τ; taylor δ_ij f_{k−1}(x_i)/S − p_i f_{k−1}(x_j)/S; sparse: softmax's on Ω×Ω;
//   sparsemax δ_ij − 1/|Ω| on Ω×Ω; entmax diag(s) − s sᵀ/Σs with s_i = p_i^{2−α} on the support.
// At a kink (a tie at the edge of the support) the one-sided Jacobian of the support actually chosen is returned.
std::vector<double> jacobian(const std::string& map, const std::vector<double>& x, const MapOptions& o);

// Loss value and gradient for class `target` (an index into x):
//   softmax     cross-entropy logsumexp(x/τ) − x_t/τ, grad (p − e_t)/τ (§8.1)
//   am-softmax  −log q_t with q = softmax(s(x − m e_t)), grad s(q − e_t) (§8.2)
//   sparse      log Σ_Ω e^{x_i} − x_t, grad p − e_t (§8.4)
//   sparsemax   ½‖p − e_t‖² + relu(λ − x_t), which equals the post's ½ − x_t + ½Σ_Ω(x_i² − λ²) (§8.6) but
//               is a sum of non-negative terms (no cancellation); grad p − e_t
//   entmax      Fenchel–Young: Σ_i p_i(x_i − x_t) + H^T_α(p), H^T_α(p) = Σ_i p_i(1 − p_i^{α−1})/(α(α−1))
//               (Tsallis entropy; Shannon at α = 1), grad p − e_t (§8.7)
// The target's logit must be finite.
struct LossResult {
  double value;
  std::vector<double> grad;
};
LossResult loss(const std::string& map, const std::vector<double>& x, int target, const MapOptions& o);

// The other losses of §8.1, §8.6 and §8.7, for any map with a Jacobian (softmax, taylor, sparse, sparsemax,
// entmax), with J_ij = ∂p_i/∂x_j from `jacobian`:
//   neg-p           −p_t (§8.1, "a smooth negative accuracy"), grad −J_t·
//   log-eps         −log((p_t + ε)/(1 + nε)) (§8.6), grad −J_t·/(p_t + ε); ε > 0
//   surrogate       sg(p − e_t)·x (§8.7, the stop-gradient on the factor that gives the stated gradient): value
//                   (p − e_t)·x, grad p − e_t. Only the gradient means anything: the value can be negative.
//   surrogate-post  the post's (p − e_t)·sg(x): the same value, but grad Jᵀx, not p − e_t (the post's slip)
// kind "map" is the map's own loss above (`loss`).
LossResult loss(const std::string& map, const std::vector<double>& x, int target, const MapOptions& o,
                const std::string& kind, double epsilon);

// ---- Properties of one map at one input (what the widget's readouts show) -----------------------------
// `map` is any of softmax, am-softmax (needs `target`), taylor, sparse, perturb-gumbel, perturb-normal,
// sparsemax, entmax. Invariance and monotonicity are measured, not asserted: the map is evaluated again
// at x + c (c = −2.5, +4) and at x reversed, and compared with the original to 1e-9.
struct MapReport {
  std::vector<double> p;
  int support;             // #{i: p_i > 0}
  double entropy;          // −Σ p log p (nats)
  double gini;             // 1 − Σp² = Σ_{i≠j} p_i p_j, the softmax value of ½‖J‖₁ (§8.1)
  double half_jacobian_l1;  // ½ Σ_ij |∂p_i/∂x_j| (NaN for maps without a Jacobian here)
  double threshold;        // λ of sparsemax (p = relu(x − λ)) or entmax (the `_into` convention); NaN otherwise
  int monotone;            // 2: x_i > x_j ⇒ p_i > p_j and x_i = x_j ⇒ p_i = p_j; 1: only x_i > x_j ⇒ p_i ≥ p_j; 0: neither
  bool shift_invariant;    // map(x + c) = map(x) for both c
  bool equivariant;        // map(reverse x) = reverse map(x)
};
MapReport report(const std::string& map, const std::vector<double>& x, const MapOptions& o, int target = 0,
                 int grid = 4096);

}  // namespace probwasm::softmax
