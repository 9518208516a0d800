// FlatNCE (post 3, "FlatNCE：小批次对比学习效果差的原因竟是浮点误差？", kexue.fm/archives/8586): why
// small-batch InfoNCE fails in float32, measured. One anchor, K scores s, positive index t,
// ξ = Σ_{i≠t} e^{s_i − s_t}; CE = log(1 + ξ), FlatNCE = log ξ; ∇CE = ξ/(1+ξ)·∇FlatNCE.
//
// Every loss is one template instantiated for float and double, and evaluated three ways:
//   naive   — log(Σ_i e^{s_i}) − s_t with no shift (a literal float32 transcription; the post's §3.5 table)
//   shifted — the framework way, log_softmax: (m + log Σ e^{s_i − m}) − s_t, so the sum is fl(1 + ξ)
//   stable  — CE = softplus(log ξ) = log1p(ξ), gradient weight ξ/(1+ξ) = sigmoid(log ξ): no 1 + ξ is ever formed.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "common/prng.hpp"

namespace probwasm::contrastive {

enum class Evaluation { naive, shifted, stable };
enum class Loss { cross_entropy, flatnce };

// 'naive' | 'shifted' | 'stable' and 'ce' | 'flatnce'; anything else is a type_error naming fn and param.
Evaluation parse_evaluation(const char* fn, const std::string& name);
Loss parse_loss(const char* fn, const std::string& name);

template <class T>
struct LossResult {
  T value;              // the loss in precision T
  T xi;                 // ξ = Σ_{i≠t} e^{s_i − s_t}, evaluated stably in precision T
  std::vector<T> grad;  // ∂loss/∂s_i, i = 0..K−1
};

namespace detail {
// Rejects K < 2, t ≥ K, NaN, +inf, a non-finite positive score and all-masked negatives (−inf is a masked negative).
template <class T>
void check_scores(const char* fn, const T* s, std::size_t k, std::size_t t) {
  if (k < 2) fail(fn, "scores", "hold a positive and at least one negative (length >= 2)", k);
  if (t >= k) fail(fn, "target", "be an index into scores (< " + std::to_string(k) + ")", t);
  bool any_negative = false;
  for (std::size_t i = 0; i < k; ++i) {
    const double v = static_cast<double>(s[i]);
    if (std::isnan(v)) fail(fn, indexed("scores", i), "not be NaN", v);
    if (v == std::numeric_limits<double>::infinity()) fail(fn, indexed("scores", i), "be finite or -Infinity", v);
    if (i == t && std::isinf(v)) fail(fn, indexed("scores", i), "be finite (it is the positive)", v);
    if (i != t && std::isfinite(v)) any_negative = true;
  }
  if (!any_negative) fail(fn, "scores", "have at least one finite negative", "all -Infinity");
}

// max over i ≠ t and Σ_{i≠t} e^{s_i − max} (the logsumexp of the negatives, post 3 §3.3: "numerically benign").
template <class T>
void negatives_lse(const T* s, std::size_t k, std::size_t t, T& m, T& sum) {
  m = -std::numeric_limits<T>::infinity();
  for (std::size_t i = 0; i < k; ++i)
    if (i != t && s[i] > m) m = s[i];
  sum = 0;
  for (std::size_t i = 0; i < k; ++i)
    if (i != t) sum += std::exp(s[i] - m);
}
}  // namespace detail

// InfoNCE / cross-entropy −log(e^{s_t}/Σ e^{s_i}) (post 3 §3.1) and its gradient p − e_t (§3.3).
template <class T>
LossResult<T> cross_entropy(const T* s, std::size_t k, std::size_t t, Evaluation ev) {
  detail::check_scores("infoNce", s, k, t);
  LossResult<T> r{0, 0, std::vector<T>(k)};
  T mneg, sneg;
  detail::negatives_lse(s, k, t, mneg, sneg);
  const T flat = (mneg - s[t]) + std::log(sneg);
  r.xi = std::exp(flat);
  if (ev == Evaluation::naive) {  // log Σ e^{s_i} − s_t, softmax e^{s_i}/Σ: overflows for s > 88 in float32
    T z = 0;
    for (std::size_t i = 0; i < k; ++i) z += (r.grad[i] = std::exp(s[i]));
    r.value = std::log(z) - s[t];
    for (std::size_t i = 0; i < k; ++i) r.grad[i] /= z;
    r.grad[t] -= 1;
  } else if (ev == Evaluation::shifted) {  // −log_softmax: −((s_t − m) − log Σ e^{s_i − m}); Σ = fl(1 + ξ) if s_t is max
    T m = s[0];
    for (std::size_t i = 1; i < k; ++i) m = s[i] > m ? s[i] : m;
    T z = 0;
    for (std::size_t i = 0; i < k; ++i) z += (r.grad[i] = std::exp(s[i] - m));
    r.value = -((s[t] - m) - std::log(z));
    for (std::size_t i = 0; i < k; ++i) r.grad[i] /= z;
    r.grad[t] -= 1;
  } else {  // softplus(flat) = log(1 + ξ); w = sigmoid(flat) = ξ/(1+ξ); ∇CE = w·∇FlatNCE (post 3 §3.3)
    r.value = flat > 0 ? flat + std::log1p(std::exp(-flat)) : std::log1p(std::exp(flat));
    const T w = flat >= 0 ? T(1) / (T(1) + std::exp(-flat)) : std::exp(flat) / (T(1) + std::exp(flat));
    for (std::size_t i = 0; i < k; ++i) r.grad[i] = i == t ? -w : w * (std::exp(s[i] - mneg) / sneg);
  }
  return r;
}

// FlatNCE log Σ_{i≠t} e^{s_i − s_t} (post 3 §3.3); gradient −1 on s_t and softmax over the negatives.
template <class T>
LossResult<T> flatnce(const T* s, std::size_t k, std::size_t t, Evaluation ev) {
  detail::check_scores("flatNce", s, k, t);
  LossResult<T> r{0, 0, std::vector<T>(k)};
  T mneg, sneg;
  detail::negatives_lse(s, k, t, mneg, sneg);
  r.xi = std::exp((mneg - s[t]) + std::log(sneg));
  if (ev == Evaluation::naive) {  // log Σ_{i≠t} e^{s_i} − s_t with no shift
    T z = 0;
    for (std::size_t i = 0; i < k; ++i) z += (r.grad[i] = i == t ? T(0) : std::exp(s[i]));
    r.value = std::log(z) - s[t];
    for (std::size_t i = 0; i < k; ++i) r.grad[i] /= z;
  } else {  // shifted and stable coincide: the logsumexp of the negatives has no 1 + ξ to lose
    r.value = (mneg - s[t]) + std::log(sneg);
    for (std::size_t i = 0; i < k; ++i) r.grad[i] = i == t ? T(0) : std::exp(s[i] - mneg) / sneg;
  }
  r.grad[t] = -1;
  return r;
}

template <class T>
LossResult<T> contrastive_loss(Loss loss, const T* s, std::size_t k, std::size_t t, Evaluation ev) {
  return loss == Loss::cross_entropy ? cross_entropy(s, k, t, ev) : flatnce(s, k, t, ev);
}

// One row of the post's §3.5 demonstration: K scores, positive s_t, all K−1 negatives at s_t − D.
struct MarginRow {
  double margin;           // D
  double xi;               // ξ = (K−1)e^{−D} (float64)
  double ce64;             // CE, float64 stable
  double ce32_naive, ce32_shifted, ce32_stable;
  double grad32_naive, grad32_shifted, grad32_stable;  // ∂CE/∂s_t in float32
  double grad64;           // ∂CE/∂s_t, float64 stable: −ξ/(1+ξ)
  double flat32, flat64;   // FlatNCE = log ξ
  double identity32;       // max_i |∇CE_i − ξ/(1+ξ)·∇Flat_i| / |ξ/(1+ξ)|, float32 shifted CE vs float32 FlatNCE
  double identity32_stable;  // the same for float32 stable (log1p) CE: float32 rounding only
  double identity64;       // the same in float64, stable
};
// The margin sweep behind the §3.5 table (post 3 §3.5): where float32 CE collapses to exactly 0.
std::vector<MarginRow> margin_sweep(std::size_t k, double positive, const std::vector<double>& margins);

// The §3.5 collapse depends on the order of the framework's sum Σ_i e^{s_i − m} (post 3 §3.5): with the positive's
// term 1 summed first, each negative term below half an ulp of 1 (2^-24) is lost on its own, so CE is exactly 0
// once e^{−D} ≤ 2^-24 (D ≳ 16.64); with the positive summed last the negatives accumulate first and 1 + (K−1)e^{−D}
// rounds to 1 only once (K−1)e^{−D} ≤ 2^-24 (D ≳ 16.64 + log(K−1)).  float32 'shifted' CE and ∂CE/∂s_t, both orders.
struct OrderRow {
  double margin;
  double ce32_first, ce32_last;      // positive at index 0 / at index K−1
  double grad32_first, grad32_last;  // ∂CE/∂s_t
};
std::vector<OrderRow> margin_sweep_order(std::size_t k, double positive, const std::vector<double>& margins);

// A small contrastive training run (post 3 §3.2–3.4): a linear encoder, cosine scores / τ, in-batch
// negatives, Adam, all in float32; each step also computes the exact (float64, stable) gradient at the
// same weights and records the cosine between the two.
struct TrainConfig {
  int classes = 32;        // prototypes
  int signal_dim = 8;      // informative coordinates: prototype + view noise
  int nuisance_dim = 24;   // coordinates that are fresh noise in every view (to be learned away)
  int embed_dim = 8;
  int batch = 8;           // K: one positive and batch − 1 in-batch negatives per anchor
  double tau = 0.02;       // temperature: scores = cos / τ
  double view_noise = 0.2; // std of the per-view noise on the signal coordinates
  double nuisance = 1.0;   // std of the nuisance coordinates
  double lr = 1e-2;        // Adam learning rate (β1 = 0.9, β2 = 0.999, ε = 1e-8)
  Loss loss = Loss::cross_entropy;
  Evaluation evaluation = Evaluation::shifted;  // how the float32 run evaluates its loss
  int shots = 5;           // labelled examples per class for the downstream nearest-centroid classifier
  int test_per_class = 20;
  std::uint64_t seed = 1;
};

// Mean loss over a batch and its gradient w.r.t. the encoder W (embed × din, row-major), in precision T:
// scores s_ab = ⟨z_a, z'_b⟩/τ with z = Wx/‖Wx‖, anchor a's positive is b = a (post 3 §3.1). xa, xb: batch × din.
// `xi` (optional) receives each anchor's ξ, `score_grads` (optional) each anchor's ∂loss/∂s (batch × batch).
// Instantiated for float and double.
template <class T>
double batch_loss_gradient(const std::vector<T>& w, int embed, int din, const std::vector<double>& xa,
                           const std::vector<double>& xb, int batch, double tau, Loss loss, Evaluation ev,
                           std::vector<T>& grad, std::vector<double>* xi = nullptr,
                           std::vector<double>* score_grads = nullptr);

struct StepRecord {
  int step;
  double loss;          // mean float32 loss over the batch
  double cosine;        // cos(g32, g64) of the encoder gradient; NaN when g32 is exactly zero
  double anchor_cosine; // mean over anchors of cos(∂loss/∂s in float32, in float64); an all-zero float32 row counts 0
  double grad_norm32, grad_norm64;
  double underflow;     // fraction of anchors with ξ < 2^-24 (float64 ξ): 1 + ξ rounds to 1 in float32
  double log10_xi;      // median of log10 ξ over the batch (float64)
};

class Trainer {
 public:
  // fn: the public JS name in error messages (contrastiveTrainer, or contrastiveTrain that builds one).
  explicit Trainer(const TrainConfig& config, const char* fn = "contrastiveTrainer");
  // Runs `count` Adam steps and returns one record per step.
  std::vector<StepRecord> run(int count);
  // Nearest-centroid accuracy on held-out views, centroids from `shots` labelled views per class (float64).
  double accuracy() const;
  int steps_done() const { return step_; }
  // Means over the recorded steps with step > from_step (for a conclusion drawn from the reader's run).
  struct Summary {
    int steps;                 // how many steps the means cover
    double anchor_cosine, cosine, underflow, log10_xi;
    int zero_gradient_steps;   // steps whose float32 encoder gradient was exactly zero
  };
  Summary summary(int from_step) const;
  const TrainConfig& config() const { return cfg_; }

 private:
  void draw_view(int cls, double* x);
  TrainConfig cfg_;
  int din_;
  Prng rng_;
  std::vector<double> protos_, shot_x_, test_x_;  // prototypes; labelled views; held-out views
  std::vector<float> w_, m_, v_;                  // encoder embed_dim × din (row-major) and Adam moments
  int step_ = 0;
  std::vector<StepRecord> history_;
};

}  // namespace probwasm::contrastive
