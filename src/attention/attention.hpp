// Attention and softmax: robustness to noise and the information in a softmax (post 6,
// "注意力和Softmax的两点有趣发现：鲁棒性和信息量", kexue.fm/archives/9593).
//
// §6.1: o = Σ e^{s_i} v_i / Σ e^{s_i} barely moves when i.i.d. noise ε is added to the logits, because
//       E[e^ε] cancels between numerator and denominator; the error shrinks like n^{-1/2} when Var e^ε < ∞.
// §6.2: the entropy of softmax lies in [0, log n]; with logits in [−1/τ, 1/τ] its minimum is reached with
//       every logit at an end, and for τ = 1 it tends to log n − 0.4744746… (fraction 0.7944868… at −1).
// The softmax itself is probwasm::softmax (post 8); everything here is built on it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace probwasm::attention {

// ---------- §6.1 robustness to logit noise ----------

enum class Noise { gaussian, uniform, gumbel, laplace };
// 'gaussian' | 'uniform' | 'gumbel' | 'laplace'; anything else is a type_error.
Noise parse_noise(const char* fn, const std::string& name);

// o = softmax(s)ᵀ V (post 6 §6.1), V an n × d row-major matrix (d = v.size()/s.size()).
std::vector<double> attention_output(const std::vector<double>& s, const std::vector<double>& v);

// E[e^{tε}] for the noise with its natural scale b: gaussian N(0, b²), uniform U(−b, b), Gumbel(0, b)
// (max-type), Laplace(0, b); +inf where it diverges (Gumbel and Laplace need b·t < 1).
double noise_mgf(Noise noise, double scale, double t);

// What the law of large numbers and the CLT predict for E|õ − o| with s ~ N(0, σ_s²), v ~ N(0, 1) i.i.d.:
// õ − o ≈ N(0, V/n), V = e^{σ_s²}·(E[e^{2ε}]/E[e^ε]² − 1) [derived: delta method on the two sample means],
// so E|õ − o| ≈ √(2V/π)·n^{-1/2}. With a heavier tail (e^ε Pareto with index α = 1/b for Gumbel and
// Laplace) the rate is n^{1/α − 1} for 1 < α < 2, and no convergence (slope 0) for α <= 1.
struct NoiseTheory {
  bool mean_finite;      // E[e^ε] < ∞: the post's cancellation argument applies
  bool variance_finite;  // E[e^{2ε}] < ∞: the n^{-1/2} rate
  double slope;          // predicted log-log slope of E|õ − o| against n
  double constant;       // √(2V/π) when variance_finite, else NaN
};
NoiseTheory noise_theory(Noise noise, double scale, double logit_std);

// Monte Carlo estimate of E|õ − o| (post 6 §6.1 "simulation"): `trials` independent draws of
// s ~ N(0, σ_s²), v ~ N(0, 1), ε i.i.d. noise, all of length n. Seeded; trial streams depend on (seed, n).
struct NoiseError {
  std::size_t n;
  double mean;    // mean |õ − o|
  double stderr_; // its Monte Carlo standard error
  std::size_t trials;
};
// n ≤ 1e7, trials in [2, 1e6] and the work cap n × trials ≤ 1e9. fn: the public name in error messages
// (attentionNoiseError, or attentionNoiseScaling that calls it per n).
constexpr double kMaxNoiseWork = 1e9;
NoiseError noise_error(std::size_t n, Noise noise, double scale, double logit_std, std::size_t trials, std::uint64_t seed,
                       const char* fn = "attentionNoiseError");

// Weighted least squares of log(mean) on log(n), weights (mean/stderr)² (delta method): the slope and
// its standard error.
struct SlopeFit {
  double slope, slope_stderr, intercept;
};
SlopeFit fit_loglog(const std::vector<double>& n, const std::vector<double>& mean, const std::vector<double>& stderr_,
                    const char* fn = "fitLogLogSlope");

// The fit and the theory together, with both curves evaluated at n: fitted = e^{intercept}·n^{slope},
// predicted = constant·n^{−1/2} (NaN when the variance is infinite).
struct ScalingSummary {
  SlopeFit fit;
  NoiseTheory theory;
  std::vector<double> fitted, predicted;
};
ScalingSummary summarize_scaling(const std::vector<double>& n, const std::vector<double>& mean, const std::vector<double>& stderr_,
                                 Noise noise, double scale, double logit_std, const char* fn = "attentionNoiseScaling");

// ---------- §6.2 entropy and information ----------

// H(softmax(s)) = −Σ p_i log p_i (post 6 §6.2), evaluated as log1p(rest) − Σ_{i≠max} p_i (s_i − max) so that a
// nearly one-hot p keeps its relative accuracy. −inf entries are masked.
double entropy(const double* s, std::size_t n);
double entropy(const std::vector<double>& s);

// ½‖J‖₁ for the softmax Jacobian J = diag(p) − ppᵀ, which equals 1 − Σ p_i² (post 8's L1 identity, used in
// post 6 §6.2 as "how much gradient flows"); evaluated as Σ p_i(1 − p_i) with 1 − p_max = rest/Z.
double jacobian_half_l1(const double* s, std::size_t n);
double jacobian_half_l1(const std::vector<double>& s);

// log n − H for k logits at +1/τ and n − k at −1/τ (post 6 §6.2): equal to entropy_gap_fraction(k/n) exactly.
double two_level_gap(std::size_t n, std::size_t k_plus, double tau);

// Exact minimum of H over logits in [−1/τ, 1/τ]^n (post 6 §6.2, the reader's boundary argument): scan k.
struct MinEntropy {
  double entropy;        // H_min
  double gap;            // log n − H_min
  std::size_t plus, minus;  // how many logits sit at +1/τ and at −1/τ
};
MinEntropy min_entropy(std::size_t n, double tau);

// Large-n log n − H with a fraction t of the logits at −1/τ and 1 − t at +1/τ (post 6 §6.2, a = 1/τ):
// −log(t e^{−a} + (1−t) e^{a}) + a((1−t)e^{a} − t e^{−a})/(t e^{−a} + (1−t) e^{a}).
double entropy_gap_fraction(double t, double tau);

// Its maximiser and maximum [derived: setting the derivative to 0 gives t e^{−a} + (1−t) e^{a} = a/sinh a]:
// t* = 1 − (a/sinh a − e^{−a})/(2 sinh a); at τ = 1, t* = (e⁴−3e²)/(e⁴−2e²+1) = 0.7944868…, c = 0.4744746….
struct EntropyLimit {
  double fraction_minus;  // t*
  double gap;             // c: H_min ≈ log n − c for large n
  double half_split_gap;  // the first-published half/half value (0.3278133… at τ = 1), for history
};
EntropyLimit min_entropy_limit(double tau);

// Entropy and ½‖J‖₁ of softmax(σ·g), g ~ N(0, I_n), against the scale σ of random initial logits
// (post 6 §6.2: a large initial scale gives a near one-hot p, no information and no gradient). Scale j is
// drawn from the stream (seed, offset + j), so a curve computed one scale at a time equals one call.
struct ScaleCurve {
  std::vector<double> scale, entropy, entropy_stderr, half_l1, half_l1_stderr;
};
// n ≤ 1e6, trials in [2, 1e5] and the work cap n × trials ≤ 1e9 per scale.
ScaleCurve init_scale_curve(std::size_t n, const std::vector<double>& scales, std::size_t trials, std::uint64_t seed,
                            std::size_t offset = 0);

}  // namespace probwasm::attention
