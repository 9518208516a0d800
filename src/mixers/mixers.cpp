#include "mixers/mixers.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <unsupported/Eigen/FFT>  // kissfft backend, header-only (Debian libeigen3-dev)

#include "common/errors.hpp"
#include "common/prng.hpp"

namespace probwasm::mixers {
namespace {

constexpr int kMaxN = 4096;      // the cost sweep of post 2 goes to 4096; n×n floats = 64 MiB
constexpr int kMaxD = 4096;
constexpr double kMaxElems = 1 << 22;  // n·d ≤ 4 Mi floats per input
constexpr double kPi = 3.14159265358979323846;
constexpr double kLnEps = 1e-5;  // LayerNorm ε (no affine γ, β: they would fold into W)

const std::vector<std::string> kNames = {"attention", "synthesizer-random", "synthesizer-dense", "mixer",
                                         "mixer-linear", "external", "fnet", "gmlp", "amlp", "resmlp"};

double log2_or_0(int m) { return m > 1 ? std::log2(static_cast<double>(m)) : 0.0; }

// ---- building blocks; each adds its FLOPs to f (convention in the header) ----

template <class T>
Mat<T> mm(const Mat<T>& a, const Mat<T>& b, double& f) {
  f += 2.0 * a.rows() * a.cols() * b.cols();
  return a * b;
}
template <class T>
Mat<T> mm_t(const Mat<T>& a, const Mat<T>& b, double& f) {  // a bᵀ
  f += 2.0 * a.rows() * a.cols() * b.rows();
  return a * b.transpose();
}

// Row softmax, max-shifted so no exp overflows (post 2 §2.2: A = softmax(B)).
template <class T>
void softmax_rows(Mat<T>& s, double& f) {
  for (Eigen::Index i = 0; i < s.rows(); ++i) {
    const T m = s.row(i).maxCoeff();
    T sum = 0;
    for (Eigen::Index j = 0; j < s.cols(); ++j) sum += (s(i, j) = std::exp(s(i, j) - m));
    s.row(i) *= T(1) / sum;
  }
  f += static_cast<double>(s.rows()) * (4.0 * s.cols() + 1);
}

// Softmax down each column: External Attention's first normalisation is over the token axis (§2.4).
template <class T>
void softmax_cols(Mat<T>& s, double& f) {
  for (Eigen::Index j = 0; j < s.cols(); ++j) {
    const T m = s.col(j).maxCoeff();
    T sum = 0;
    for (Eigen::Index i = 0; i < s.rows(); ++i) sum += (s(i, j) = std::exp(s(i, j) - m));
    s.col(j) *= T(1) / sum;
  }
  f += static_cast<double>(s.cols()) * (4.0 * s.rows() + 1);
}

// LayerNorm over the channels of each token, no affine (Mixer / gMLP, §2.4); returns 1/σ per row.
template <class T>
Mat<T> layer_norm_rows(const Mat<T>& x, Eigen::Matrix<T, Eigen::Dynamic, 1>* inv_sd, double& f) {
  Mat<T> out(x.rows(), x.cols());
  if (inv_sd) inv_sd->resize(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const T mean = x.row(i).sum() / T(x.cols());
    out.row(i) = x.row(i).array() - mean;
    const T var = out.row(i).squaredNorm() / T(x.cols());
    const T inv = T(1) / std::sqrt(var + T(kLnEps));
    out.row(i) *= inv;
    if (inv_sd) (*inv_sd)(i) = inv;
  }
  f += static_cast<double>(x.rows()) * (5.0 * x.cols() + 5);
  return out;
}

// GELU with the exact erf (MLP-Mixer's σ, §2.4): x·Φ(x).
template <class T>
T gelu(T x) { return T(0.5) * x * (T(1) + std::erf(x / std::sqrt(T(2)))); }
template <class T>
T gelu_prime(T x) {  // Φ(x) + x φ(x)
  return T(0.5) * (T(1) + std::erf(x / std::sqrt(T(2)))) + x * std::exp(T(-0.5) * x * x) / std::sqrt(T(2 * kPi));
}

// Parameters are stored in float; the float path uses them in place (no n×n copy per forward),
// the double path (finite-difference checks) converts.
template <class T>
struct Params {
  static Mat<T> get(const MatF& m) { return m.template cast<T>(); }
};
template <>
struct Params<float> {
  static const MatF& get(const MatF& m) { return m; }
};
template <class T>
decltype(auto) cast(const MatF& m) { return Params<T>::get(m); }

MatF normal(Rng& r, int rows, int cols, double sd, double mean = 0) {
  MatF m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(mean + sd * r.normal());
  return m;
}
MatF uniform(Rng& r, int rows, int cols, double half_width) {
  MatF m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(half_width * (2 * r.uniform() - 1));
  return m;
}

}  // namespace

// ---------------------------------------------------------------- kinds, Rng

const std::vector<std::string>& kind_names() { return kNames; }

Kind parse_kind(const std::string& name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Kind>(i);
  throw type_error("mixers: kind must be one of attention, synthesizer-random, synthesizer-dense, mixer, "
                   "mixer-linear, external, fnet, gmlp, amlp, resmlp, got " + format_value(name));
}

const char* kind_name(Kind k) { return kNames[static_cast<std::size_t>(k)].c_str(); }

bool fixed_n(Kind k) { return !(k == Kind::attention || k == Kind::external || k == Kind::fnet); }

// splitmix64 and Box–Muller from common/prng.hpp; this topic's own mapping: uniforms on [0, 1) and one
// normal per call from (1 − U1, U2).
std::uint64_t Rng::next() { return splitmix64(s_); }
double Rng::uniform() { return uniform_half_open(next()); }
double Rng::normal() {  // Box–Muller: u1 ∈ (0, 1] so the log is finite
  const double u1 = 1.0 - uniform(), u2 = uniform();
  return box_muller_cos(u1, u2);
}

// ---------------------------------------------------------------- construction

void check_options(const char* fn, const Options& opts) {
  require(opts.head_dim >= 0 && opts.head_dim <= kMaxD, fn, "headDim", "be 0 (= d) or an integer in [1, 4096]", opts.head_dim);
  require(opts.hidden >= 0 && opts.hidden <= kMaxN, fn, "hidden", "be 0 (= n) or an integer in [1, 4096]", opts.hidden);
  require(opts.memory >= 1 && opts.memory <= kMaxN, fn, "memory", "be an integer in [1, 4096]", opts.memory);
  require(opts.attn_dim >= 0 && opts.attn_dim <= kMaxD, fn, "attnDim", "be 0 (= min(d, 16)) or an integer in [1, 4096]", opts.attn_dim);
  require(std::isfinite(opts.gate_init) && opts.gate_init >= 0 && opts.gate_init <= 1000, fn, "gateInit", "be in [0, 1000]",
          opts.gate_init);
}

TokenMixer::TokenMixer(Kind kind, int n, int d, const Options& opts, const char* fn) : kind_(kind), n_(n), d_(d), o_(opts) {
  require(n >= 1 && n <= kMaxN, fn, "n", "be an integer in [1, 4096]", n);
  require(d >= 1 && d <= kMaxD, fn, "d", "be an integer in [1, 4096]", d);
  require(static_cast<double>(n) * d <= kMaxElems, fn, "n·d", "be at most 4194304", static_cast<double>(n) * d);
  check_options(fn, opts);
  if (kind == Kind::gmlp || kind == Kind::amlp)
    require(d % 2 == 0, fn, "d", std::string("be even for ") + kind_name(kind) + " (X splits into Z_1, Z_2 of d/2 channels)", d);
  if (o_.head_dim == 0) o_.head_dim = d;
  if (o_.hidden == 0) o_.hidden = n;
  if (o_.attn_dim == 0) o_.attn_dim = std::min(d, 16);

  Rng r(0x6D69786572730000ull ^ opts.seed);  // "mixers" in ASCII, xor the seed
  const double sd_d = 1 / std::sqrt(static_cast<double>(d)), sd_n = 1 / std::sqrt(static_cast<double>(n));
  const int e = d / 2;
  switch (kind) {
    case Kind::attention:
      wq_ = normal(r, d, o_.head_dim, sd_d);
      wk_ = normal(r, d, o_.head_dim, sd_d);
      wv_ = normal(r, d, d, sd_d);
      break;
    case Kind::synthesizer_random:
      nn_ = normal(r, n, n, 1.0);  // B: random logits, frozen or trained in the paper
      wv_ = normal(r, d, d, sd_d);
      break;
    case Kind::synthesizer_dense:
      w1_ = normal(r, d, d, sd_d);
      b1_ = normal(r, 1, d, 0.1);
      w2_ = normal(r, d, n, sd_d);
      b2_ = normal(r, 1, n, 0.1);
      wv_ = normal(r, d, d, sd_d);
      break;
    case Kind::mixer:
      w1_ = normal(r, o_.hidden, n, sd_n);
      b1_ = normal(r, o_.hidden, 1, 0.1);
      w2_ = normal(r, n, o_.hidden, 1 / std::sqrt(static_cast<double>(o_.hidden)));
      b2_ = normal(r, n, 1, 0.1);
      break;
    case Kind::mixer_linear:
      nn_ = normal(r, n, n, sd_n);
      break;
    case Kind::external:
      mk_ = normal(r, o_.memory, d, sd_d);
      mv_ = normal(r, o_.memory, d, 1.0);
      break;
    case Kind::fnet:
      break;
    case Kind::amlp:
      wq_ = normal(r, d, o_.attn_dim, sd_d);
      wk_ = normal(r, d, o_.attn_dim, sd_d);
      wv_ = normal(r, d, e, sd_d);
      [[fallthrough]];
    case Kind::gmlp:
      nn_ = uniform(r, n, n, opts.gate_init);
      gate_b_ = MatF::Ones(n, 1);
      break;
    case Kind::resmlp:
      nn_ = normal(r, n, n, sd_n);
      a1_ = normal(r, 1, d, 0.1, 1.0);
      c1_ = normal(r, 1, d, 0.1);
      a2_ = normal(r, 1, d, 0.1, 1.0);
      c2_ = normal(r, 1, d, 0.1);
      break;
  }
}

int TokenMixer::out_dim() const { return (kind_ == Kind::gmlp || kind_ == Kind::amlp) ? d_ / 2 : d_; }

std::size_t TokenMixer::parameter_count() const {
  std::size_t s = 0;
  for (const MatF* m : {&wq_, &wk_, &wv_, &w1_, &b1_, &w2_, &b2_, &nn_, &gate_b_, &mk_, &mv_, &a1_, &c1_, &a2_, &c2_})
    s += static_cast<std::size_t>(m->size());
  return s;
}

std::vector<std::string> TokenMixer::parameter_names() const {
  std::vector<std::string> out;
  for (const char* s : {"Wq", "Wk", "Wv", "W1", "b1", "W2", "b2", "B", "b", "Mk", "Mv", "alpha1", "beta1", "alpha2", "beta2"})
    if (parameter_or_null(s)) out.push_back(s);
  return out;
}

const MatF* TokenMixer::parameter_or_null(const std::string& name) const {
  const MatF* p = nullptr;
  if (name == "Wq") p = &wq_; else if (name == "Wk") p = &wk_; else if (name == "Wv") p = &wv_;
  else if (name == "W1") p = &w1_; else if (name == "b1") p = &b1_; else if (name == "W2") p = &w2_;
  else if (name == "b2") p = &b2_; else if (name == "B") p = &nn_; else if (name == "b") p = &gate_b_;
  else if (name == "Mk") p = &mk_; else if (name == "Mv") p = &mv_; else if (name == "alpha1") p = &a1_;
  else if (name == "beta1") p = &c1_; else if (name == "alpha2") p = &a2_; else if (name == "beta2") p = &c2_;
  return p && p->size() > 0 ? p : nullptr;
}

const MatF& TokenMixer::parameter(const std::string& name) const {
  const MatF* p = parameter_or_null(name);
  if (!p) fail("TokenMixer.parameter", "name", std::string("name a parameter of ") + kind_name(kind_), name);
  return *p;
}

void TokenMixer::check_input(const char* fn, std::size_t size, int n) const {
  require(n >= 1 && n <= kMaxN, fn, "n", "be an integer in [1, 4096]", n);
  if (fixed_n(kind_) && n != n_)
    fail(fn, "n", "equal " + std::to_string(n_) + ": " + kind_name(kind_) + " has an n×n parameter built for n = " +
                      std::to_string(n_) + " (post 2 §2.3: fixed-size token mixing); build a new mixer for another n",
         n);
  require(static_cast<double>(n) * d_ <= kMaxElems, fn, "n·d", "be at most 4194304", static_cast<double>(n) * d_);
  if (size != static_cast<std::size_t>(n) * d_)
    fail(fn, "x.length", "equal n·d = " + std::to_string(static_cast<std::size_t>(n) * d_), size);
}

// ---------------------------------------------------------------- forward

template <class T>
Mat<T> TokenMixer::run(const Mat<T>& X, double& f, Mat<T>* mix, Mat<T>* ext_p, Mat<T>* ext_a) const {
  const Eigen::Index n = X.rows(), d = X.cols();
  switch (kind_) {
    case Kind::attention: {  // O = softmax(QKᵀ/√k) V (post 2 §2.2)
      const Mat<T> Q = mm(X, cast<T>(wq_), f), K = mm(X, cast<T>(wk_), f), V = mm(X, cast<T>(wv_), f);
      Mat<T> A = mm_t(Q, K, f);
      A *= T(1) / std::sqrt(T(o_.head_dim));
      f += static_cast<double>(n) * n;
      softmax_rows(A, f);
      if (mix) *mix = A;
      return mm(A, V, f);
    }
    case Kind::synthesizer_random: {  // A = softmax(B), B a parameter: the same A for every input (§2.2)
      Mat<T> A = cast<T>(nn_);
      softmax_rows(A, f);
      if (mix) *mix = A;
      return mm(A, mm(X, cast<T>(wv_), f), f);
    }
    case Kind::synthesizer_dense: {  // B_i = W_2 relu(W_1 x_i + b_1) + b_2: each token writes its own row of B
      Mat<T> H = mm(X, cast<T>(w1_), f);
      H.rowwise() += cast<T>(b1_).row(0);
      H = H.cwiseMax(T(0));
      f += 2.0 * n * d;
      Mat<T> A = mm(H, cast<T>(w2_), f);
      A.rowwise() += cast<T>(b2_).row(0);
      f += static_cast<double>(n) * n;
      softmax_rows(A, f);
      if (mix) *mix = A;
      return mm(A, mm(X, cast<T>(wv_), f), f);
    }
    case Kind::mixer: {  // U = X + W_2 σ(W_1 LN(X) + b_1) + b_2, an MLP along tokens per channel (§2.4)
      Eigen::Matrix<T, Eigen::Dynamic, 1> inv_sd;
      const Mat<T> L = layer_norm_rows(X, &inv_sd, f);
      const Mat<T>& W1 = cast<T>(w1_);
      const Mat<T>& W2 = cast<T>(w2_);
      Mat<T> H = mm(W1, L, f);
      H.colwise() += cast<T>(b1_).col(0);
      const Mat<T> G = H.unaryExpr([](T v) { return gelu(v); });
      f += 6.0 * H.size();  // bias + GELU (x/√2, erf, +1, ·x, ·½)
      Mat<T> U = mm(W2, G, f);
      U.colwise() += cast<T>(b2_).col(0);
      U += X;
      f += 2.0 * n * d;
      if (mix) {  // channel-averaged Jacobian (1/d)Σ_c ∂U_ic/∂X_jc = I + (1/d) W_2 (W_1 ⊙ G'(H) Dᵀ)
        Mat<T> D(n, d);  // D_jc = ∂LN(X)_jc/∂X_jc = (1 − 1/d − L_jc²/d)/σ_j
        for (Eigen::Index j = 0; j < n; ++j)
          for (Eigen::Index c = 0; c < d; ++c)
            D(j, c) = (T(1) - T(1) / T(d) - L(j, c) * L(j, c) / T(d)) * inv_sd(j);
        const Mat<T> Gp = H.unaryExpr([](T v) { return gelu_prime(v); });
        const Mat<T> Q = Gp * D.transpose();  // h×n
        *mix = W2 * W1.cwiseProduct(Q) / T(d);
        mix->diagonal().array() += T(1);
      }
      return U;
    }
    case Kind::mixer_linear: {  // A = B: Synthesizer-Random without the softmax (Su's reading, §2.2)
      if (mix) *mix = cast<T>(nn_);
      return mm(cast<T>(nn_), X, f);
    }
    case Kind::external: {  // O = Norm(X M_kᵀ) M_v, double normalisation (§2.4)
      const Mat<T>& Mk = cast<T>(mk_);
      const Mat<T>& Mv = cast<T>(mv_);
      Mat<T> P = mm_t(X, Mk, f);  // n×S
      softmax_cols(P, f);         // over the token axis
      Eigen::Matrix<T, Eigen::Dynamic, 1> r = P.rowwise().sum();
      Mat<T> A = P;
      for (Eigen::Index i = 0; i < n; ++i) A.row(i) *= T(1) / r(i);  // ℓ1 over the memory axis (P ≥ 0)
      f += static_cast<double>(n) * (2.0 * P.cols() + 1);
      if (ext_p) *ext_p = P;
      if (ext_a) *ext_a = A;
      if (mix) {  // (1/d)Σ_c ∂O_ic/∂X_jc = diag(Z 1) − Z Pᵀ, Z_is = P_is(w_s − (A K)_is)/(d r_i)
        const Eigen::Matrix<T, Eigen::Dynamic, 1> w = Mv.cwiseProduct(Mk).rowwise().sum();
        const Mat<T> u = A * (Mv * Mk.transpose());
        Mat<T> Z(n, P.cols());
        for (Eigen::Index i = 0; i < n; ++i)
          for (Eigen::Index s = 0; s < P.cols(); ++s) Z(i, s) = P(i, s) * (w(s) - u(i, s)) / (T(d) * r(i));
        *mix = -Z * P.transpose();
        mix->diagonal() += Z.rowwise().sum();
      }
      return mm(A, Mv, f);
    }
    case Kind::fnet: {  // O = Re(F_n X F_dᵀ) (§2.2 comment thread), FFT over hidden, then over tokens
      static Eigen::FFT<T> fft;  // kissfft; caches twiddles per length
      std::vector<std::complex<T>> Y(static_cast<std::size_t>(n * d)), col(n), colf(n);
      // A length-1 DFT is the identity; Eigen 3.4's kissfft dereferences an empty scratch buffer for it.
      for (Eigen::Index i = 0; i < n; ++i) {
        if (d == 1) Y[i] = X(i, 0);
        else fft.fwd(Y.data() + i * d, X.data() + i * d, d);
      }
      Mat<T> O(n, d);
      for (Eigen::Index c = 0; c < d; ++c) {
        for (Eigen::Index i = 0; i < n; ++i) col[i] = Y[i * d + c];
        if (n == 1) colf = col;
        else fft.fwd(colf.data(), col.data(), n);
        for (Eigen::Index i = 0; i < n; ++i) O(i, c) = colf[i].real();
      }
      f += 5.0 * n * d * log2_or_0(static_cast<int>(d)) + 5.0 * d * n * log2_or_0(static_cast<int>(n));
      if (mix) {  // Re(F_n), the part of F_n that acts like A (Su's reply in §2.2); index ij mod n keeps it exact
        mix->resize(n, n);
        for (Eigen::Index i = 0; i < n; ++i)
          for (Eigen::Index j = 0; j < n; ++j)
            (*mix)(i, j) = static_cast<T>(std::cos(2 * kPi * static_cast<double>((i * j) % n) / static_cast<double>(n)));
      }
      return O;
    }
    case Kind::gmlp:
    case Kind::amlp: {  // s(Z) = Z_1 ⊙ (W LN(Z_2) + b [+ TinyAttn(X)]) (§2.2, §2.4)
      const Eigen::Index e = d / 2;
      const Mat<T> Z1 = X.leftCols(e), Z2 = X.rightCols(e);
      const Mat<T>& W = cast<T>(nn_);
      Mat<T> Y = mm(W, layer_norm_rows(Z2, static_cast<Eigen::Matrix<T, Eigen::Dynamic, 1>*>(nullptr), f), f);
      Y.colwise() += cast<T>(gate_b_).col(0);
      f += static_cast<double>(n) * e;
      if (mix) *mix = W;
      if (kind_ == Kind::amlp) {
        const Mat<T> Q = mm(X, cast<T>(wq_), f), K = mm(X, cast<T>(wk_), f), V = mm(X, cast<T>(wv_), f);
        Mat<T> A = mm_t(Q, K, f);
        A *= T(1) / std::sqrt(T(o_.attn_dim));
        f += static_cast<double>(n) * n;
        softmax_rows(A, f);
        Y += mm(A, V, f);
        f += static_cast<double>(n) * e;
        if (mix) *mix += A;
      }
      f += static_cast<double>(n) * e;
      return Z1.cwiseProduct(Y);
    }
    case Kind::resmlp: {  // Z = X + Aff_2(A Aff_1(X)), Aff(x) = α ⊙ x + β (§2.4)
      const Mat<T>& A = cast<T>(nn_);
      Mat<T> H = X.array().rowwise() * cast<T>(a1_).row(0).array();
      H.rowwise() += cast<T>(c1_).row(0);
      f += 2.0 * n * d;
      Mat<T> M = mm(A, H, f);
      M = M.array().rowwise() * cast<T>(a2_).row(0).array();
      M.rowwise() += cast<T>(c2_).row(0);
      f += 3.0 * n * d;  // α, β, residual
      if (mix) {  // affine in X, so the channel-averaged Jacobian is exactly I + mean_c(α1_c α2_c)·A
        const T g = (cast<T>(a1_).array() * cast<T>(a2_).array()).mean();
        *mix = g * A;
        mix->diagonal().array() += T(1);
      }
      return X + M;
    }
  }
  return X;  // unreachable
}

std::vector<float> TokenMixer::forward(const std::vector<float>& x, int n, double* flops, const char* fn) const {
  check_input(fn, x.size(), n);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) fail(fn, indexed("x", i), "be finite", static_cast<double>(x[i]));
  double f = 0;
  const MatF X = Eigen::Map<const MatF>(x.data(), n, d_);
  const MatF O = run<float>(X, f, nullptr);
  if (!O.allFinite()) fail(fn, "x", "be small enough that float32 does not overflow; max |x|", X.cwiseAbs().maxCoeff());
  if (flops) *flops = f;
  return std::vector<float>(O.data(), O.data() + O.size());
}

std::vector<double> TokenMixer::forward(const std::vector<double>& x, int n, double* flops) const {
  check_input("TokenMixer.forward", x.size(), n);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) fail("TokenMixer.forward", indexed("x", i), "be finite", x[i]);
  double f = 0;
  const Mat<double> X = Eigen::Map<const Mat<double>>(x.data(), n, d_);
  const Mat<double> O = run<double>(X, f, nullptr);
  if (flops) *flops = f;
  return std::vector<double>(O.data(), O.data() + O.size());
}

MixingMatrix TokenMixer::mixing_matrix(const std::vector<float>& x, int n, const char* fn) const {
  check_input(fn, x.size(), n);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) fail(fn, indexed("x", i), "be finite", static_cast<double>(x[i]));
  double f = 0;
  const MatF X = Eigen::Map<const MatF>(x.data(), n, d_);
  MatF M;
  run<float>(X, f, &M);
  if (!M.allFinite())
    fail(fn, "x", "be small enough that float32 does not overflow; max |x|", X.cwiseAbs().maxCoeff());
  MixingMatrix out;
  out.matrix.assign(M.data(), M.data() + M.size());
  switch (kind_) {
    case Kind::attention: out = {out.matrix, "attention", "A = softmax(QKᵀ/√k)", true}; break;
    case Kind::synthesizer_random: out = {out.matrix, "defined", "A = softmax(B)", false}; break;
    case Kind::synthesizer_dense: out = {out.matrix, "defined", "A = softmax(B(X)), B_i = W₂ relu(W₁x_i + b₁) + b₂", true}; break;
    case Kind::mixer: out = {out.matrix, "jacobian", "(1/d) Σ_c ∂U_ic/∂X_jc = I + (1/d) W₂(W₁ ⊙ GELU'(H) Dᵀ)", true}; break;
    case Kind::mixer_linear: out = {out.matrix, "exact", "O = B X", false}; break;
    case Kind::external: out = {out.matrix, "jacobian", "(1/d) Σ_c ∂O_ic/∂X_jc", true}; break;
    case Kind::fnet: out = {out.matrix, "defined", "Re(F_n), F_n[j,k] = exp(−2πi·jk/n); O = Re(F_n X F_dᵀ)", false}; break;
    case Kind::gmlp: out = {out.matrix, "defined", "W (gate Y = W LN(Z₂) + b; O = Z₁ ⊙ Y)", false}; break;
    case Kind::amlp: out = {out.matrix, "defined", "W + A(X), A = softmax(QKᵀ/√a) of the tiny attention", true}; break;
    case Kind::resmlp: out = {out.matrix, "exact", "I + mean_c(α₁α₂) A (channel-averaged Jacobian of an affine map)", false}; break;
  }
  return out;
}

TokenMixer::ExternalWeights TokenMixer::external_weights(const std::vector<float>& x, int n) const {
  if (kind_ != Kind::external)
    fail("TokenMixer.externalWeights", "kind", "be external", std::string(kind_name(kind_)));
  check_input("TokenMixer.externalWeights", x.size(), n);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) fail("TokenMixer.externalWeights", indexed("x", i), "be finite", static_cast<double>(x[i]));
  double f = 0;
  MatF P, A;
  run<float>(Eigen::Map<const MatF>(x.data(), n, d_), f, nullptr, &P, &A);
  return {std::vector<float>(P.data(), P.data() + P.size()), std::vector<float>(A.data(), A.data() + A.size()),
          static_cast<int>(P.cols())};
}

Dependence input_dependence(const TokenMixer& m, const std::vector<float>& x1, const std::vector<float>& x2, int n) {
  const char* fn = "TokenMixer.inputDependence";
  for (std::size_t i = 0; i < x1.size(); ++i)  // named x1 / x2 here: mixing_matrix would call both "x"
    if (!std::isfinite(x1[i])) fail(fn, indexed("x1", i), "be finite", static_cast<double>(x1[i]));
  for (std::size_t i = 0; i < x2.size(); ++i)
    if (!std::isfinite(x2[i])) fail(fn, indexed("x2", i), "be finite", static_cast<double>(x2[i]));
  const MixingMatrix a = m.mixing_matrix(x1, n, fn), b = m.mixing_matrix(x2, n, fn);
  Dependence r;
  double diff2 = 0, norm2 = 0;
  for (std::size_t i = 0; i < a.matrix.size(); ++i) {
    const double dlt = static_cast<double>(a.matrix[i]) - b.matrix[i];
    r.max_abs = std::max(r.max_abs, std::fabs(dlt));
    diff2 += dlt * dlt;
    norm2 += static_cast<double>(a.matrix[i]) * a.matrix[i];
  }
  r.rel_frobenius = norm2 > 0 ? std::sqrt(diff2 / norm2) : std::sqrt(diff2);
  return r;
}

// ---------------------------------------------------------------- cost in closed form

Cost cost(Kind kind, int n_, int d_, const Options& opts) {
  require(n_ >= 1 && n_ <= kMaxN, "mixerCost", "n", "be an integer in [1, 4096]", n_);
  require(d_ >= 1 && d_ <= kMaxD, "mixerCost", "d", "be an integer in [1, 4096]", d_);
  if (kind == Kind::gmlp || kind == Kind::amlp) require(d_ % 2 == 0, "mixerCost", "d", "be even for gmlp/amlp", d_);
  check_options("mixerCost", opts);
  const double n = n_, d = d_;
  const double k = opts.head_dim ? opts.head_dim : d, h = opts.hidden ? opts.hidden : n, S = opts.memory;
  const double a = opts.attn_dim ? opts.attn_dim : std::min(d_, 16), e = d / 2;
  const double soft_nn = n * (4 * n + 1);
  Cost c;
  switch (kind) {
    case Kind::attention:
      c = {4 * n * d * k + 2 * n * d * d + 2 * n * n * k + n * n + soft_nn + 2 * n * n * d, 2 * d * k + d * d,
           std::max(n * n, n * std::max(d, k)), "O(n²)"};
      break;
    case Kind::synthesizer_random:
      c = {soft_nn + 2 * n * d * d + 2 * n * n * d, n * n + d * d, std::max(n * n, n * d), "O(n²)"};
      break;
    case Kind::synthesizer_dense:
      c = {2 * n * d * d + 2 * n * d + 2 * n * n * d + n * n + soft_nn + 2 * n * d * d + 2 * n * n * d,
           2 * d * d + d + d * n + n, std::max(n * n, n * d), "O(n²)"};
      break;
    case Kind::mixer:
      c = {n * (5 * d + 5) + 2 * h * n * d + 6 * h * d + 2 * n * h * d + 2 * n * d, 2 * h * n + h + n,
           std::max(h * d, n * d), opts.hidden ? "O(n·h)" : "O(n²)"};
      break;
    case Kind::mixer_linear: c = {2 * n * n * d, n * n, n * d, "O(n²)"}; break;
    case Kind::external:
      c = {2 * n * d * S + S * (4 * n + 1) + n * (2 * S + 1) + 2 * n * S * d, 2 * S * d, n * std::max(S, d), "O(n)"};
      break;
    case Kind::fnet:
      c = {5 * n * d * log2_or_0(d_) + 5 * d * n * log2_or_0(n_), 0, 2 * n * d, "O(n log n)"};
      break;
    case Kind::gmlp: c = {n * (5 * e + 5) + 2 * n * n * e + 2 * n * e, n * n + n, n * e, "O(n²)"}; break;
    case Kind::amlp:
      c = {n * (5 * e + 5) + 2 * n * n * e + 2 * n * e + 4 * n * d * a + 2 * n * d * e + 2 * n * n * a + n * n + soft_nn +
               2 * n * n * e + n * e,
           n * n + n + 2 * d * a + d * e, std::max(n * n, n * d), "O(n²)"};
      break;
    case Kind::resmlp: c = {2 * n * d + 2 * n * n * d + 3 * n * d, n * n + 4 * d, n * d, "O(n²)"}; break;
  }
  return c;
}

// ---------------------------------------------------------------- inputs and the FNet reference

std::vector<float> make_input(const std::string& pattern, int n, int d, std::uint32_t seed) {
  require(n >= 1 && n <= kMaxN, "mixerInput", "n", "be an integer in [1, 4096]", n);
  require(d >= 1 && d <= kMaxD, "mixerInput", "d", "be an integer in [1, 4096]", d);
  require(static_cast<double>(n) * d <= kMaxElems, "mixerInput", "n·d", "be at most 4194304", static_cast<double>(n) * d);
  std::vector<float> x(static_cast<std::size_t>(n) * d);
  Rng r(0x696E707574000000ull ^ seed);  // "input"
  if (pattern == "random") {
    for (float& v : x) v = static_cast<float>(r.normal());
  } else if (pattern == "sinusoid") {
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < d; ++c) x[i * d + c] = static_cast<float>(std::cos(2 * kPi * (c + 1) * i / n + c));
  } else if (pattern == "blocks") {
    std::vector<double> seg(4 * static_cast<std::size_t>(d));
    for (double& v : seg) v = r.normal();
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < d; ++c) x[i * d + c] = static_cast<float>(seg[(4 * i / n) * d + c]);
  } else if (pattern == "ramp") {
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < d; ++c) x[i * d + c] = static_cast<float>((n > 1 ? double(i) / (n - 1) : 0.0) * (c + 1) / d);
  } else {
    throw type_error("mixerInput: pattern must be one of 'random', 'sinusoid', 'blocks', 'ramp', got " + format_value(pattern));
  }
  return x;
}

std::vector<double> fnet_dft_reference(const std::vector<float>& x, int n, int d, const char* fn) {
  require(n >= 1 && n <= kMaxN, fn, "n", "be an integer in [1, 4096]", n);
  require(d >= 1 && d <= kMaxD, fn, "d", "be an integer in [1, 4096]", d);
  require(static_cast<double>(n) * d <= kMaxElems, fn, "n·d", "be at most 4194304", static_cast<double>(n) * d);
  if (x.size() != static_cast<std::size_t>(n) * d)
    fail(fn, "x.length", "equal n·d = " + std::to_string(static_cast<std::size_t>(n) * d), x.size());
  for (std::size_t i = 0; i < x.size(); ++i)  // a NaN or ∞ would spread through the whole transform
    if (!std::isfinite(x[i])) fail(fn, indexed("x", i), "be finite", static_cast<double>(x[i]));
  using C = std::complex<double>;
  auto dft = [](int m) {  // F_m[j,k] = e^{-2πi jk/m}, with jk reduced mod m so the angle is exact
    Eigen::Matrix<C, Eigen::Dynamic, Eigen::Dynamic> F(m, m);
    for (int j = 0; j < m; ++j)
      for (int k = 0; k < m; ++k) F(j, k) = std::polar(1.0, -2 * kPi * static_cast<double>((static_cast<long long>(j) * k) % m) / m);
    return F;
  };
  const Eigen::Matrix<C, Eigen::Dynamic, Eigen::Dynamic> X =
      Eigen::Map<const MatF>(x.data(), n, d).cast<double>().cast<C>();
  const Eigen::Matrix<C, Eigen::Dynamic, Eigen::Dynamic> Y = dft(n) * X * dft(d).transpose();
  std::vector<double> out(static_cast<std::size_t>(n) * d);
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < d; ++c) out[i * d + c] = Y(i, c).real();
  return out;
}

FftCheck fnet_check(const std::vector<float>& x, int n, int d) {
  const std::vector<double> ref = fnet_dft_reference(x, n, d, "fnetCheck");
  const std::vector<float> o = TokenMixer(Kind::fnet, n, d, {}, "fnetCheck").forward(x, n, nullptr, "fnetCheck");
  FftCheck c;
  double e2 = 0, x2 = 0;
  for (std::size_t i = 0; i < o.size(); ++i) {
    const double e = o[i] - ref[i];
    e2 += e * e;
    c.max_abs = std::max(c.max_abs, std::fabs(e));
  }
  for (float v : x) x2 += static_cast<double>(v) * v;
  c.frobenius = std::sqrt(e2);
  c.bound = std::max(1.0, std::log2(static_cast<double>(n) * d)) * std::numeric_limits<float>::epsilon() *
            std::sqrt(static_cast<double>(n) * d * x2);
  return c;
}

}  // namespace probwasm::mixers
