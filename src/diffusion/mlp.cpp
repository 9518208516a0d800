#include "diffusion/mlp.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/errors.hpp"

namespace probwasm::diffusion {

std::size_t MlpShape::parameters() const {
  const std::size_t H = static_cast<std::size_t>(hidden), D = static_cast<std::size_t>(dim);
  return H * input() + H + H * H + H + D * H + D;
}

namespace {

void check_shape(const MlpShape& s, const char* fn) {
  if (s.dim < 1 || s.dim > 64) fail(fn, "dim", "be an integer in [1, 64]", s.dim);
  if (s.hidden < 1 || s.hidden > 1024) fail(fn, "hidden", "be an integer in [1, 1024]", s.hidden);
  if (s.embed < 0 || s.embed > 256 || s.embed % 2 != 0) fail(fn, "embed", "be an even integer in [0, 256]", s.embed);
}

// SiLU z·σ(z) and its derivative σ(z)(1 + z(1 − σ(z))).
template <class S>
S silu(S z) { return z / (S(1) + std::exp(-z)); }
template <class S>
S silu_grad(S z) {
  const S s = S(1) / (S(1) + std::exp(-z));
  return s * (S(1) + z * (S(1) - s));
}

// The parameter vector's layout, [W1 | b1 | W2 | b2 | W3 | b3] with column-major blocks, as Eigen views
// into `p` (the weights, or a gradient of the same shape). The one place that knows the offsets.
template <class M, class V>
struct Blocks {
  M W1;
  V b1;
  M W2;
  V b2;
  M W3;
  V b3;
};
template <class M, class V, class P>
Blocks<M, V> blocks(P* p, Eigen::Index H, Eigen::Index I, Eigen::Index D) {
  return {M(p, H, I),          V(p + H * I, H),
          M(p + H * I + H, H, H), V(p + H * I + H + H * H, H),
          M(p + H * I + 2 * H + H * H, D, H), V(p + H * I + 2 * H + H * H + D * H, D)};
}

}  // namespace

template <class S>
MlpNet<S>::MlpNet(MlpShape shape) : shape_(shape) {
  check_shape(shape, "mlpDenoiser");
  p_.assign(shape.parameters(), S(0));
}

template <class S>
void MlpNet<S>::init(std::uint64_t seed) {
  const int H = shape_.hidden, I = static_cast<int>(shape_.input()), D = shape_.dim;
  NormalRng rng(seed);
  std::size_t at = 0;
  // He-uniform U(−√(6/fan_in), √(6/fan_in)) for the SiLU layers; the output layer is scaled down so the
  // untrained ε̂ starts near 0.
  auto fill = [&](int rows, int cols, double bound) {
    for (int k = 0; k < rows * cols; ++k) p_[at++] = static_cast<S>(bound * (2.0 * rng.uniform() - 1.0));
    for (int k = 0; k < rows; ++k) p_[at++] = S(0);
  };
  fill(H, I, std::sqrt(6.0 / I));
  fill(H, H, std::sqrt(6.0 / H));
  fill(D, H, 0.1 * std::sqrt(6.0 / H));
}

template <class S>
typename MlpNet<S>::Mat MlpNet<S>::inputs(const S* x, const S* t01, std::size_t batch) const {
  const int D = shape_.dim, half = shape_.embed / 2;
  Mat in(shape_.input(), static_cast<Eigen::Index>(batch));
  for (std::size_t b = 0; b < batch; ++b) {
    for (int j = 0; j < D; ++j) in(j, b) = x[b * D + j];
    // Transformer-style features of the timestep t = 1000·t01 (DDPM's U-Net uses the same embedding).
    const double t = 1000.0 * static_cast<double>(t01[b]);
    for (int k = 0; k < half; ++k) {
      const double f = std::exp(-std::log(10000.0) * k / half);
      in(D + k, b) = static_cast<S>(std::sin(t * f));
      in(D + half + k, b) = static_cast<S>(std::cos(t * f));
    }
  }
  return in;
}

template <class S>
typename MlpNet<S>::Mat MlpNet<S>::forward(const Mat& in) const {
  const Eigen::Index H = shape_.hidden, I = static_cast<Eigen::Index>(shape_.input()), D = shape_.dim;
  const auto [W1, b1, W2, b2, W3, b3] = blocks<Eigen::Map<const Mat>, Eigen::Map<const Vec>>(p_.data(), H, I, D);
  // SiLU in Eigen's array form, so its exp is vectorised (SSE/wasm SIMD) like the matrix products.
  Mat h1 = (W1 * in).colwise() + b1;
  h1.array() = h1.array() / (S(1) + (-h1.array()).exp());
  Mat h2 = (W2 * h1).colwise() + b2;
  h2.array() = h2.array() / (S(1) + (-h2.array()).exp());
  return (W3 * h2).colwise() + b3;
}

template <class S>
void MlpNet<S>::forward_at(const S* x, std::size_t batch, S t01, Buffers& buf) const {
  const Eigen::Index H = shape_.hidden, I = static_cast<Eigen::Index>(shape_.input()), D = shape_.dim;
  const Eigen::Index B = static_cast<Eigen::Index>(batch);
  const auto [W1, b1, W2, b2, W3, b3] = blocks<Eigen::Map<const Mat>, Eigen::Map<const Vec>>(p_.data(), H, I, D);
  std::vector<S> zero(static_cast<std::size_t>(D), S(0));
  const Mat e = inputs(zero.data(), &t01, 1);  // [0 … 0, emb(t)]
  const Vec c1 = b1 + W1 * e.col(0);
  if (buf.h1.rows() != H || buf.h1.cols() < B) {
    buf.h1.resize(H, B);
    buf.h2.resize(H, B);
    buf.out.resize(D, B);
  }
  auto h1 = buf.h1.leftCols(B);
  auto h2 = buf.h2.leftCols(B);
  auto out = buf.out.leftCols(B);
  Eigen::Map<const Mat> X(x, D, B);  // row-major n×D points = column-major D×n
  h1.noalias() = W1.leftCols(D) * X;
  h1.colwise() += c1;
  h1.array() = h1.array() / (S(1) + (-h1.array()).exp());
  h2.noalias() = W2 * h1;
  h2.colwise() += b2;
  h2.array() = h2.array() / (S(1) + (-h2.array()).exp());
  out.noalias() = W3 * h2;
  out.colwise() += b3;
}

template <class S>
typename MlpNet<S>::Mat MlpNet<S>::forward_at(const S* x, std::size_t batch, S t01) const {
  Buffers b;
  forward_at(x, batch, t01, b);
  return b.out.leftCols(static_cast<Eigen::Index>(batch));
}

// Backpropagation through the three layers (dL/dz = dL/dh ⊙ silu'(z)).
template <class S>
S MlpNet<S>::loss_and_grad(const Mat& in, const Mat& eps, std::vector<S>* grad) const {
  const Eigen::Index H = shape_.hidden, I = static_cast<Eigen::Index>(shape_.input()), D = shape_.dim, B = in.cols();
  const auto [W1, b1, W2, b2, W3, b3] = blocks<Eigen::Map<const Mat>, Eigen::Map<const Vec>>(p_.data(), H, I, D);
  const Mat z1 = (W1 * in).colwise() + b1;
  const Mat h1 = z1.unaryExpr([](S z) { return silu(z); });
  const Mat z2 = (W2 * h1).colwise() + b2;
  const Mat h2 = z2.unaryExpr([](S z) { return silu(z); });
  const Mat out = (W3 * h2).colwise() + b3;
  const Mat r = out - eps;
  const S scale = S(1) / static_cast<S>(B * D);
  const S loss = r.squaredNorm() * scale;
  if (!grad) return loss;
  grad->assign(p_.size(), S(0));
  auto [gW1, gb1, gW2, gb2, gW3, gb3] = blocks<Eigen::Map<Mat>, Eigen::Map<Vec>>(grad->data(), H, I, D);
  const Mat d_out = (S(2) * scale) * r;
  gW3.noalias() = d_out * h2.transpose();
  gb3 = d_out.rowwise().sum();
  const Mat d_z2 = (W3.transpose() * d_out).cwiseProduct(z2.unaryExpr([](S z) { return silu_grad(z); }));
  gW2.noalias() = d_z2 * h1.transpose();
  gb2 = d_z2.rowwise().sum();
  const Mat d_z1 = (W2.transpose() * d_z2).cwiseProduct(z1.unaryExpr([](S z) { return silu_grad(z); }));
  gW1.noalias() = d_z1 * in.transpose();
  gb1 = d_z1.rowwise().sum();
  return loss;
}

template class MlpNet<float>;
template class MlpNet<double>;

// ---- the float32 denoiser and its trainer -----------------------------------------------------------------

MlpDenoiser::MlpDenoiser(MlpShape shape, std::uint64_t seed) : net_(shape) { net_.init(seed); }

MlpDenoiser::MlpDenoiser(MlpShape shape, const std::vector<float>& weights) : net_(shape) {
  if (weights.size() != shape.parameters())
    fail("mlpDenoiser", "weights", "have " + std::to_string(shape.parameters()) + " entries for this shape", weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (!std::isfinite(weights[i])) fail("mlpDenoiser", indexed("weights", i), "be finite", weights[i]);
  net_.params() = weights;
}

void MlpDenoiser::epsilon(const double* x, std::size_t n, double alpha_bar, double t01, double* out) const {
  if (!(alpha_bar >= 0.0 && alpha_bar <= 1.0)) fail("epsilon", "alphaBar", "be in [0, 1]", alpha_bar);
  if (!(t01 >= 0.0 && t01 <= 1.0)) fail("epsilon", "t01", "be in [0, 1]", t01);
  // 1024 columns per pass into activations allocated once per call (native malloc would otherwise mmap and
  // fault in fresh pages for every pass).
  const std::size_t D = dim(), chunk = 1024;
  std::vector<float> xf(std::min(chunk, n) * D);
  MlpNet<float>::Buffers buf;
  for (std::size_t start = 0; start < n; start += chunk) {
    const std::size_t m = std::min(chunk, n - start);
    for (std::size_t k = 0; k < m * D; ++k) {
      const double v = x[start * D + k];
      xf[k] = static_cast<float>(v);  // the network runs in float32: ±1e308 would enter it as ±Infinity (ε̂ NaN)
      if (!std::isfinite(xf[k])) fail("epsilon", indexed("x", start * D + k), "be finite in float32", v);
    }
    net_.forward_at(xf.data(), m, static_cast<float>(t01), buf);
    for (std::size_t b = 0; b < m; ++b)
      for (std::size_t j = 0; j < D; ++j)
        out[(start + b) * D + j] = buf.out(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(b));
  }
}

void MlpDenoiser::set_training(std::vector<double> data, std::vector<double> alphas_cumprod, int batch, double lr,
                               std::uint64_t seed) {
  const char* fn = "mlpTrain";
  const std::size_t D = dim();
  if (data.empty() || data.size() % D != 0)
    fail(fn, "data", "be a non-empty array whose length is divisible by dim " + std::to_string(D), data.size());
  for (std::size_t i = 0; i < data.size(); ++i)
    // the network runs in float32: 1e308 is finite in double but +Infinity there (and the loss NaN)
    if (!std::isfinite(static_cast<float>(data[i]))) fail(fn, indexed("data", i), "be finite in float32", data[i]);
  if (alphas_cumprod.empty()) fail(fn, "alphasCumprod", "be non-empty", "an empty array");
  for (std::size_t i = 0; i < alphas_cumprod.size(); ++i)
    if (!(alphas_cumprod[i] >= 0.0 && alphas_cumprod[i] <= 1.0)) fail(fn, indexed("alphasCumprod", i), "be in [0, 1]", alphas_cumprod[i]);
  if (batch < 1 || batch > 65536) fail(fn, "batch", "be an integer in [1, 65536]", batch);
  if (!(lr > 0.0 && lr < 1.0)) fail(fn, "lr", "be in (0, 1)", lr);
  data_ = std::move(data);
  alphas_ = std::move(alphas_cumprod);
  batch_ = batch;
  lr_ = lr;
  rng_ = NormalRng(seed);
  m_.assign(net_.params().size(), 0.0f);
  v_.assign(net_.params().size(), 0.0f);
  step_ = 0;
}

double MlpDenoiser::train(int iterations) {
  const char* fn = "mlpTrain";
  if (data_.empty()) fail(fn, "data", "be set (call setTraining first)", "none");
  if (iterations < 0) fail(fn, "iterations", "be ≥ 0", iterations);
  const std::size_t D = dim(), n = data_.size() / D, T = alphas_.size(), B = static_cast<std::size_t>(batch_);
  const double beta1 = 0.9, beta2 = 0.999, adam_eps = 1e-8;
  std::vector<float> xt(B * D), tt(B);
  MlpNet<float>::Mat eps(static_cast<Eigen::Index>(D), static_cast<Eigen::Index>(B));
  double total = 0.0;
  for (int it = 0; it < iterations; ++it) {
    // A minibatch of the DDPM objective: random x_0, random t, x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε.
    for (std::size_t b = 0; b < B; ++b) {
      const std::size_t i = static_cast<std::size_t>(rng_.uniform() * static_cast<double>(n)) % n;
      const std::size_t t = static_cast<std::size_t>(rng_.uniform() * static_cast<double>(T)) % T;
      const double a = std::sqrt(alphas_[t]), s = std::sqrt(1.0 - alphas_[t]);
      tt[b] = static_cast<float>(static_cast<double>(t) / static_cast<double>(T));
      for (std::size_t j = 0; j < D; ++j) {
        const double e = rng_.normal();
        eps(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(b)) = static_cast<float>(e);
        xt[b * D + j] = static_cast<float>(a * data_[i * D + j] + s * e);
      }
    }
    total += net_.loss_and_grad(net_.inputs(xt.data(), tt.data(), B), eps, &grad_);
    ++step_;
    const double c1 = 1.0 - std::pow(beta1, static_cast<double>(step_)), c2 = 1.0 - std::pow(beta2, static_cast<double>(step_));
    auto& p = net_.params();
    for (std::size_t k = 0; k < p.size(); ++k) {
      m_[k] = static_cast<float>(beta1 * m_[k] + (1 - beta1) * grad_[k]);
      v_[k] = static_cast<float>(beta2 * v_[k] + (1 - beta2) * grad_[k] * grad_[k]);
      p[k] -= static_cast<float>(lr_ * (m_[k] / c1) / (std::sqrt(v_[k] / c2) + adam_eps));
    }
  }
  return iterations > 0 ? total / iterations : 0.0;
}

}  // namespace probwasm::diffusion
