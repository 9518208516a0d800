// Token mixers side by side (post 2, "也来盘点一些最近的非Transformer工作", kexue.fm/archives/8431):
// operators on X ∈ R^{n×d} (float32, row-major) that mix information across the n tokens.
//
// Every mixer is a TokenMixer built from a kind, the sizes it is parameterised for and a seed; its
// parameters come from the topic's own PRNG (Rng), so the same seed gives the same numbers
// everywhere. Mixers whose parameters are n×n (Synthesizer, Mixer, gMLP/aMLP, ResMLP) refuse any
// other n — the post's "no elegant handling of variable length" (§2.3) as an error message.
//
// FLOPs are counted by the implementation as it runs (one multiply-add = 2; one elementwise
// add/mul/div/exp/erf/sqrt/compare = 1; one length-N FFT = 5·N·log2 N, the nominal radix-2 count)
// and also given in closed form by cost(), which the tests hold equal.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace probwasm::mixers {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatF = Mat<float>;

// The mixers of post 2 §2.2 (with the papers' definitions of §2.4).
enum class Kind {
  attention,           // O = softmax(QKᵀ/√k) V, single head
  synthesizer_random,  // O = softmax(B) X W_v, B ∈ R^{n×n} a parameter
  synthesizer_dense,   // O = softmax(B(X)) X W_v, B_i = W_2 relu(W_1 x_i + b_1) + b_2
  mixer,               // U = X + W_2 GELU(W_1 LN(X) + b_1) + b_2 (MLP-Mixer token mixing, §2.4)
  mixer_linear,        // O = B X (Su's reading: Synthesizer-Random without the softmax)
  external,            // O = DoubleNorm(X M_kᵀ) M_v, fixed memory of S rows
  fnet,                // O = Re(F_n X F_dᵀ), via FFT
  gmlp,                // s(Z) = Z_1 ⊙ (W LN(Z_2) + b), spatial gating unit
  amlp,                // Z_1 ⊙ (W LN(Z_2) + b + TinyAttention(X))
  resmlp               // Z = X + Aff_2(A Aff_1(X))
};

Kind parse_kind(const std::string& name);  // 'attention', 'synthesizer-random', …; throws on others
const char* kind_name(Kind k);
const std::vector<std::string>& kind_names();
bool fixed_n(Kind k);  // true when a parameter has a side of length n

struct Options {
  std::uint32_t seed = 1;
  int head_dim = 0;        // attention key size k (0 → d)
  int hidden = 0;          // Mixer token-MLP width D_S (0 → n)
  int memory = 64;         // External Attention memory size S
  int attn_dim = 0;        // aMLP tiny-attention size (0 → min(d, 16))
  double gate_init = 1e-3; // gMLP/aMLP: W ~ U(-gate_init, gate_init), b = 1 (§2.4: "W near 0, b = 1")
};

// splitmix64: tiny, integer-only, identical on every platform; normals by Box–Muller in double.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next();
  double uniform();  // [0, 1), 53 bits
  double normal();   // N(0, 1)
 private:
  std::uint64_t s_;
};

// An n×n mixing matrix and what it is (post 2 §2.2: "A" of O = AV in each mixer's reading).
struct MixingMatrix {
  std::vector<float> matrix;  // n×n row-major
  std::string definition;     // 'attention' | 'defined' | 'exact' | 'jacobian'
  std::string formula;        // the matrix in words, e.g. "softmax(QKᵀ/√k)"
  bool input_dependent = false;
};

struct Cost {
  double flops = 0;        // per forward, counting convention above
  double params = 0;       // number of parameters
  double activations = 0;  // floats in the largest intermediate
  std::string order;       // 'O(n²)', 'O(n log n)', 'O(n)'
};

class TokenMixer {
 public:
  // n: the token count the parameters are built for; d: channels. fn: the public name in error messages.
  TokenMixer(Kind kind, int n, int d, const Options& opts = {}, const char* fn = "TokenMixer");

  Kind kind() const { return kind_; }
  int n() const { return n_; }
  int d() const { return d_; }
  int out_dim() const;  // d, or d/2 for gMLP/aMLP (the gated half)
  std::size_t parameter_count() const;

  // Row-major n×d in, n×out_dim out. n may differ from n() only for attention, external, fnet.
  // `fn` names the public JS function in error messages (TokenMixer.forwardWithFlops, mix, fnetCheck, …).
  std::vector<float> forward(const std::vector<float>& x, int n, double* flops = nullptr,
                             const char* fn = "TokenMixer.forward") const;
  // The same computation in double (for finite-difference checks of mixing_matrix).
  std::vector<double> forward(const std::vector<double>& x, int n, double* flops = nullptr) const;

  // The token-mixing matrix at input x (see MixingMatrix::definition for which one).
  MixingMatrix mixing_matrix(const std::vector<float>& x, int n, const char* fn = "TokenMixer.mixingMatrix") const;

  // A parameter by name ('Wq', 'Wk', 'Wv', 'W1', 'b1', 'W2', 'b2', 'B' (the n×n one), 'b', 'Mk', 'Mv',
  // 'alpha1', 'beta1', 'alpha2', 'beta2'); throws if this kind has none of that name.
  const MatF& parameter(const std::string& name) const;
  std::vector<std::string> parameter_names() const;

  // External Attention only: both stages of the double normalisation (§2.4), n×S each —
  // P = softmax over tokens of X M_kᵀ (columns sum to 1), A = P with rows ℓ1-normalised.
  struct ExternalWeights {
    std::vector<float> p, a;
    int memory = 0;
  };
  ExternalWeights external_weights(const std::vector<float>& x, int n) const;

 private:
  template <class T>
  Mat<T> run(const Mat<T>& X, double& flops, Mat<T>* mixing, Mat<T>* ext_p = nullptr, Mat<T>* ext_a = nullptr) const;
  void check_input(const char* fn, std::size_t size, int n) const;
  const MatF* parameter_or_null(const std::string& name) const;

  Kind kind_;
  int n_, d_;
  Options o_;
  MatF wq_, wk_, wv_;            // attention-style projections (attention, Synthesizer, aMLP)
  MatF w1_, b1_, w2_, b2_;        // MLPs (Synthesizer-Dense, Mixer)
  MatF nn_, gate_b_;              // the n×n parameter (B, W or A) and gMLP's per-token bias b
  MatF mk_, mv_;                  // External Attention memories (S×d)
  MatF a1_, c1_, a2_, c2_;        // ResMLP Aff α, β (1×d each)
};

// The option ranges shared by TokenMixer and cost() (gateInit in [0, 1000]: larger gates overflow float32).
void check_options(const char* fn, const Options& opts);

// Closed-form cost of one forward (the counting convention above).
Cost cost(Kind kind, int n, int d, const Options& opts = {});

// Max |M(x1) − M(x2)| and ‖M(x1) − M(x2)‖_F / ‖M(x1)‖_F: "does A depend on the input?" (§2.2).
struct Dependence {
  double max_abs = 0, rel_frobenius = 0;
};
Dependence input_dependence(const TokenMixer& m, const std::vector<float>& x1, const std::vector<float>& x2, int n);

// Inputs for the demos: 'random' N(0,1); 'sinusoid' x_ic = cos(2π(c+1)i/n + c); 'blocks' four
// segments of equal tokens; 'ramp' x_ic = (i/(n-1))·(c+1)/d.
std::vector<float> make_input(const std::string& pattern, int n, int d, std::uint32_t seed);

// FNet reference (post 2 §2.2 comment thread): Re(F_n X F_dᵀ) by the DFT matrix products in double,
// F_m[j,k] = e^{-2πijk/m} — a second algorithm for the FFT path.
std::vector<double> fnet_dft_reference(const std::vector<float>& x, int n, int d, const char* fn = "fnetReference");

// FNet's FFT (float32) against that reference: ‖error‖_F, max |error| and the bound the tests hold,
// log2(nd)·eps32·√(nd)·‖X‖_F (an FFT of length N errs by ≤ c·log2 N·u·‖y‖, Higham §24.1; c = 1).
struct FftCheck {
  double frobenius = 0, max_abs = 0, bound = 0;
};
FftCheck fnet_check(const std::vector<float>& x, int n, int d);

}  // namespace probwasm::mixers
