#include "diffusion/images.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "common/errors.hpp"
#include "softmax/softmax.hpp"

namespace probwasm::diffusion {

// ---- data -------------------------------------------------------------------------------------------------

Digits parse_digits_csv(const std::string& text) {
  const char* fn = "parseDigits";
  Digits d;
  std::size_t pos = 0, line = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string row = text.substr(pos, end - pos);
    pos = end + 1;
    if (!row.empty() && row.back() == '\r') row.pop_back();
    if (row.empty()) continue;
    int field = 0;
    std::size_t at = 0;
    while (at <= row.size()) {
      std::size_t comma = row.find(',', at);
      if (comma == std::string::npos) comma = row.size();
      const std::string cell = row.substr(at, comma - at);
      char* stop = nullptr;
      const long v = std::strtol(cell.c_str(), &stop, 10);
      if (cell.empty() || *stop != '\0') fail(fn, "row " + std::to_string(line), "hold integers", cell);
      if (field < kDigitPixels) {
        if (v < 0 || v > 16) fail(fn, "row " + std::to_string(line), "hold pixels in 0..16", static_cast<double>(v));
        d.pixels.push_back(static_cast<std::uint8_t>(v));
      } else if (field == kDigitPixels) {
        if (v < 0 || v > 9) fail(fn, "row " + std::to_string(line), "end with a label in 0..9", static_cast<double>(v));
        d.labels.push_back(static_cast<std::uint8_t>(v));
      }
      ++field;
      at = comma + 1;
    }
    if (field != kDigitPixels + 1) fail(fn, "row " + std::to_string(line), "have 65 fields", field);
    ++line;
  }
  return d;
}

std::vector<double> digits_unit(const Digits& d, bool held_out, std::vector<int>* labels) {
  std::vector<double> x;
  if (labels) labels->clear();
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (digit_held_out(i) != held_out) continue;
    for (int j = 0; j < kDigitPixels; ++j) x.push_back(d.pixels[i * kDigitPixels + j] / 8.0 - 1.0);
    if (labels) labels->push_back(d.labels[i]);
  }
  return x;
}

// ---- classifier -------------------------------------------------------------------------------------------

std::size_t ClassifierShape::parameters() const {
  const std::size_t I = in, A = h1, B = h2, C = classes;
  return A * I + A + B * A + B + C * B + C;
}

namespace {

void check_shape(const ClassifierShape& s, const char* fn) {
  if (s.in != kDigitPixels) fail(fn, "in", "be 64", s.in);
  if (s.h1 < 1 || s.h1 > 1024) fail(fn, "h1", "be an integer in [1, 1024]", s.h1);
  if (s.h2 < 1 || s.h2 > 256) fail(fn, "h2", "be an integer in [1, 256]", s.h2);
  if (s.classes != kDigitClasses) fail(fn, "classes", "be 10", s.classes);
}

struct ClfBlocks {
  Eigen::Map<Eigen::MatrixXf> W1;
  Eigen::Map<Eigen::VectorXf> b1;
  Eigen::Map<Eigen::MatrixXf> W2;
  Eigen::Map<Eigen::VectorXf> b2;
  Eigen::Map<Eigen::MatrixXf> W3;
  Eigen::Map<Eigen::VectorXf> b3;
};
ClfBlocks clf_blocks(float* p, const ClassifierShape& s) {
  const Eigen::Index I = s.in, A = s.h1, B = s.h2, C = s.classes;
  float* q = p;
  auto take = [&](Eigen::Index n) { float* r = q; q += n; return r; };
  float* w1 = take(A * I);
  float* b1 = take(A);
  float* w2 = take(B * A);
  float* b2 = take(B);
  float* w3 = take(C * B);
  float* b3 = take(C);
  return {{w1, A, I}, {b1, A}, {w2, B, A}, {b2, B}, {w3, C, B}, {b3, C}};
}

inline float silu(float z) { return z / (1.0f + std::exp(-z)); }
inline float silu_grad(float z) {
  const float s = 1.0f / (1.0f + std::exp(-z));
  return s * (1.0f + z * (1.0f - s));
}

// Adam (Kingma & Ba 2015, Alg. 1) with bias correction, in float like MlpDenoiser::train.
void adam_step(std::vector<float>& p, std::vector<float>& m, std::vector<float>& v, const std::vector<float>& g,
               long long step, double lr) {
  const double beta1 = 0.9, beta2 = 0.999, adam_eps = 1e-8;
  const double c1 = 1.0 - std::pow(beta1, static_cast<double>(step)), c2 = 1.0 - std::pow(beta2, static_cast<double>(step));
  for (std::size_t k = 0; k < p.size(); ++k) {
    m[k] = static_cast<float>(beta1 * m[k] + (1 - beta1) * g[k]);
    v[k] = static_cast<float>(beta2 * v[k] + (1 - beta2) * g[k] * g[k]);
    p[k] -= static_cast<float>(lr * (m[k] / c1) / (std::sqrt(v[k] / c2) + adam_eps));
  }
}

}  // namespace

DigitClassifier::DigitClassifier(ClassifierShape shape, std::uint64_t seed) : shape_(shape) {
  check_shape(shape, "imageClassifier");
  p_.assign(shape.parameters(), 0.0f);
  NormalRng rng(seed);
  std::size_t at = 0;
  // He-uniform weights, zero biases (as MlpNet::init).
  auto fill = [&](int rows, int cols) {
    const double bound = std::sqrt(6.0 / cols);
    for (int k = 0; k < rows * cols; ++k) p_[at++] = static_cast<float>(bound * (2.0 * rng.uniform() - 1.0));
    at += static_cast<std::size_t>(rows);
  };
  fill(shape.h1, shape.in);
  fill(shape.h2, shape.h1);
  fill(shape.classes, shape.h2);
}

DigitClassifier::DigitClassifier(ClassifierShape shape, const std::vector<float>& weights) : shape_(shape) {
  check_shape(shape, "imageClassifier");
  if (weights.size() != shape.parameters())
    fail("imageClassifier", "weights", "have " + std::to_string(shape.parameters()) + " entries", weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (!std::isfinite(weights[i])) fail("imageClassifier", indexed("weights", i), "be finite", weights[i]);
  p_ = weights;
}

DigitClassifier::Mat DigitClassifier::input(const double* x, std::size_t n, const char* fn) const {
  Mat in(kDigitPixels, static_cast<Eigen::Index>(n));
  for (std::size_t b = 0; b < n; ++b)
    for (int j = 0; j < kDigitPixels; ++j) {
      const double v = x[b * kDigitPixels + j];
      if (!std::isfinite(static_cast<float>(v))) fail(fn, indexed("x", b * kDigitPixels + j), "be finite in float32", v);
      in(j, static_cast<Eigen::Index>(b)) = static_cast<float>(v);
    }
  return in;
}

DigitClassifier::Mat DigitClassifier::forward_h2(const Mat& x, Mat* h1out, Mat* z1out, Mat* z2out) const {
  auto w = clf_blocks(const_cast<float*>(p_.data()), shape_);
  Mat z1 = (w.W1 * x).colwise() + w.b1;
  Mat h1 = z1.unaryExpr([](float z) { return silu(z); });
  Mat z2 = (w.W2 * h1).colwise() + w.b2;
  Mat h2 = z2.unaryExpr([](float z) { return silu(z); });
  if (h1out) *h1out = std::move(h1);
  if (z1out) *z1out = std::move(z1);
  if (z2out) *z2out = std::move(z2);
  return h2;
}

DigitClassifier::Mat DigitClassifier::features(const double* x, std::size_t n, const char* fn) const {
  return forward_h2(input(x, n, fn));
}

DigitClassifier::Mat DigitClassifier::probabilities(const double* x, std::size_t n, const char* fn) const {
  auto w = clf_blocks(const_cast<float*>(p_.data()), shape_);
  const Mat logits = (w.W3 * forward_h2(input(x, n, fn))).colwise() + w.b3;
  Mat p(logits.rows(), logits.cols());
  for (Eigen::Index b = 0; b < logits.cols(); ++b)
    softmax::softmax_into(logits.col(b).data(), static_cast<std::size_t>(logits.rows()), 1.0, p.col(b).data());
  return p;
}

// Cross-entropy −log softmax(z)_y = logsumexp(z) − z_y (post 8); d/dz = softmax(z) − e_y.
float DigitClassifier::loss_and_grad(const Mat& x, const std::vector<int>& y, std::vector<float>* grad) const {
  auto w = clf_blocks(const_cast<float*>(p_.data()), shape_);
  Mat h1, z1, z2;
  const Mat h2 = forward_h2(x, &h1, &z1, &z2);
  const Mat logits = (w.W3 * h2).colwise() + w.b3;
  const Eigen::Index B = x.cols();
  Mat d3(logits.rows(), B);
  double loss = 0;
  for (Eigen::Index b = 0; b < B; ++b) {
    const std::size_t C = static_cast<std::size_t>(logits.rows());
    loss += softmax::logsumexp(logits.col(b).data(), C) - logits(y[static_cast<std::size_t>(b)], b);
    softmax::softmax_into(logits.col(b).data(), C, 1.0, d3.col(b).data());
    d3(y[static_cast<std::size_t>(b)], b) -= 1.0f;
  }
  d3 /= static_cast<float>(B);
  if (grad) {
    grad->assign(p_.size(), 0.0f);
    auto g = clf_blocks(grad->data(), shape_);
    g.W3.noalias() = d3 * h2.transpose();
    g.b3 = d3.rowwise().sum();
    const Mat d2 = (w.W3.transpose() * d3).cwiseProduct(z2.unaryExpr([](float z) { return silu_grad(z); }));
    g.W2.noalias() = d2 * h1.transpose();
    g.b2 = d2.rowwise().sum();
    const Mat d1 = (w.W2.transpose() * d2).cwiseProduct(z1.unaryExpr([](float z) { return silu_grad(z); }));
    g.W1.noalias() = d1 * x.transpose();
    g.b1 = d1.rowwise().sum();
  }
  return static_cast<float>(loss / static_cast<double>(B));
}

void DigitClassifier::set_training(std::vector<double> data, std::vector<int> labels, int batch, double lr,
                                   std::uint64_t seed) {
  const char* fn = "imageClassifier.setTraining";
  if (data.empty() || data.size() != labels.size() * kDigitPixels)
    fail(fn, "data", "have 64 values per label", data.size());
  for (int l : labels)
    if (l < 0 || l >= shape_.classes) fail(fn, "labels", "be in 0..9", l);
  if (batch < 1 || batch > 65536) fail(fn, "batch", "be an integer in [1, 65536]", batch);
  if (!(lr > 0.0 && lr < 1.0)) fail(fn, "lr", "be in (0, 1)", lr);
  data_ = std::move(data);
  labels_ = std::move(labels);
  batch_ = batch;
  lr_ = lr;
  rng_ = NormalRng(seed);
  m_.assign(p_.size(), 0.0f);
  v_.assign(p_.size(), 0.0f);
  step_ = 0;
}

double DigitClassifier::train(int iterations) {
  const std::size_t n = labels_.size(), B = static_cast<std::size_t>(batch_);
  if (n == 0) fail("imageClassifier.train", "data", "be set (call setTraining first)", "none");
  Mat x(kDigitPixels, static_cast<Eigen::Index>(B));
  std::vector<int> y(B);
  double total = 0;
  for (int it = 0; it < iterations; ++it) {
    for (std::size_t b = 0; b < B; ++b) {
      const std::size_t i = static_cast<std::size_t>(rng_.uniform() * static_cast<double>(n)) % n;
      // Light Gaussian pixel noise (σ = 0.1 in [−1, 1] units): the classifier also meets imperfect samples.
      for (int j = 0; j < kDigitPixels; ++j)
        x(j, static_cast<Eigen::Index>(b)) = static_cast<float>(data_[i * kDigitPixels + j] + 0.1 * rng_.normal());
      y[b] = labels_[i];
    }
    total += loss_and_grad(x, y, &grad_);
    adam_step(p_, m_, v_, grad_, ++step_, lr_);
  }
  return iterations > 0 ? total / iterations : 0.0;
}

// ---- metric -----------------------------------------------------------------------------------------------

namespace {
// A^{1/2} of a symmetric PSD matrix from its eigen-decomposition V diag(λ) Vᵀ (λ < 0 from rounding → 0).
Eigen::MatrixXd sqrt_psd(const Eigen::MatrixXd& a) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(a);
  const Eigen::VectorXd r = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return es.eigenvectors() * r.asDiagonal() * es.eigenvectors().transpose();
}
}  // namespace

double frechet_distance(const Eigen::VectorXd& mu1, const Eigen::MatrixXd& cov1, const Eigen::VectorXd& mu2,
                        const Eigen::MatrixXd& cov2) {
  const char* fn = "frechetDistance";
  const Eigen::Index d = mu1.size();
  if (mu2.size() != d || cov1.rows() != d || cov1.cols() != d || cov2.rows() != d || cov2.cols() != d)
    fail(fn, "dimensions", "agree", static_cast<double>(d));
  if (!mu1.allFinite() || !mu2.allFinite() || !cov1.allFinite() || !cov2.allFinite())
    fail(fn, "the statistics", "be finite", "a non-finite value");
  // tr (Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2} = Σ √λ_i of that symmetric PSD product (its eigenvalues are those of Σ1Σ2).
  const Eigen::MatrixXd s1 = sqrt_psd(0.5 * (cov1 + cov1.transpose()));
  Eigen::MatrixXd m = s1 * (0.5 * (cov2 + cov2.transpose())) * s1;
  m = 0.5 * (m + m.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(m, Eigen::EigenvaluesOnly);
  const double cross = es.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
  const double r = (mu1 - mu2).squaredNorm() + cov1.trace() + cov2.trace() - 2.0 * cross;
  return std::max(r, 0.0);
}

void mean_cov(const double* x, std::size_t n, std::size_t d, Eigen::VectorXd& mu, Eigen::MatrixXd& cov, const char* fn) {
  if (n < 2) fail(fn, "the point count", "be at least 2 (a covariance needs two points)", n);
  Eigen::Map<const Eigen::MatrixXd> X(x, static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(n));  // column = point
  if (!X.allFinite()) fail(fn, "points", "be finite", "a non-finite value");
  mu = X.rowwise().mean();
  const Eigen::MatrixXd c = X.colwise() - mu;
  cov = (c * c.transpose()) / static_cast<double>(n - 1);
}

double frechet_distance_of(const std::vector<double>& a, const std::vector<double>& b, std::size_t dim, const char* fn) {
  if (dim < 1) fail(fn, "dim", "be a positive integer", dim);
  if (a.size() % dim != 0) fail(fn, "a", "have a multiple of dim = " + std::to_string(dim) + " entries", a.size());
  if (b.size() % dim != 0) fail(fn, "b", "have a multiple of dim = " + std::to_string(dim) + " entries", b.size());
  Eigen::VectorXd m1, m2;
  Eigen::MatrixXd c1, c2;
  mean_cov(a.data(), a.size() / dim, dim, m1, c1, fn);
  mean_cov(b.data(), b.size() / dim, dim, m2, c2, fn);
  return frechet_distance(m1, c1, m2, c2);
}

double rms_difference(const std::vector<double>& a, const std::vector<double>& b, const char* fn) {
  if (a.size() != b.size()) fail(fn, "b", "have as many entries as a (" + std::to_string(a.size()) + ")", b.size());
  if (a.empty()) fail(fn, "a", "be non-empty", "an empty array");
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!std::isfinite(a[i])) fail(fn, indexed("a", i), "be finite", a[i]);
    if (!std::isfinite(b[i])) fail(fn, indexed("b", i), "be finite", b[i]);
    s += (a[i] - b[i]) * (a[i] - b[i]);  // may overflow to +Infinity for entries near ±1e308
  }
  return std::sqrt(s / static_cast<double>(a.size()));
}

ImageQuality image_quality(const DigitClassifier& c, const std::vector<double>& samples, const std::vector<double>& reference) {
  const char* fn = "imageQuality";
  if (samples.size() % kDigitPixels != 0) fail(fn, "samples", "have 64 values per image", samples.size());
  if (reference.size() % kDigitPixels != 0) fail(fn, "reference", "have 64 values per image", reference.size());
  const std::size_t n = samples.size() / kDigitPixels, m = reference.size() / kDigitPixels;
  if (n < 2) fail(fn, "samples", "hold at least 2 images", n);
  if (m < 2) fail(fn, "reference", "hold at least 2 images", m);
  // Pixels as shown: clamped to [−1, 1]; ±∞ and NaN are no image.
  const auto shown = [fn](std::vector<double> x, const char* name) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!std::isfinite(x[i])) fail(fn, indexed(name, i), "be finite", x[i]);
      x[i] = std::clamp(x[i], -1.0, 1.0);
    }
    return x;
  };
  const std::vector<double> a = shown(samples, "samples"), r = shown(reference, "reference");
  const Eigen::MatrixXd fa = c.features(a.data(), n, fn).cast<double>();
  const Eigen::MatrixXd fb = c.features(r.data(), m, fn).cast<double>();
  const std::size_t d = static_cast<std::size_t>(fa.rows());
  Eigen::VectorXd m1, m2;
  Eigen::MatrixXd c1, c2;
  mean_cov(fa.data(), n, d, m1, c1, fn);
  mean_cov(fb.data(), m, d, m2, c2, fn);
  ImageQuality q;
  q.fid = frechet_distance(m1, c1, m2, c2);
  q.count = n;
  const auto p = c.probabilities(a.data(), n, fn);
  q.histogram.assign(kDigitClasses, 0.0);
  double conf = 0;
  for (Eigen::Index b = 0; b < p.cols(); ++b) {
    Eigen::Index k;
    conf += p.col(b).maxCoeff(&k);
    q.histogram[static_cast<std::size_t>(k)] += 1.0 / static_cast<double>(n);
  }
  q.confidence = conf / static_cast<double>(n);
  for (double h : q.histogram)
    if (h > 0) q.entropy -= h * std::log(h);
  return q;
}

// ---- bundle -----------------------------------------------------------------------------------------------

std::uint16_t float_to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  const std::uint32_t ax = x & 0x7fffffffu;
  if (ax >= 0x7f800000u) return static_cast<std::uint16_t>(sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u : 0u));  // inf / NaN
  if (ax >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // rounds past 65504: overflow
  if (ax < 0x38800000u) {  // subnormal half (|f| < 2^−14): units of 2^−24, round half to even
    float a;
    std::memcpy(&a, &ax, 4);
    const float scaled = a * 16777216.0f;  // exact: a power-of-two scaling
    return static_cast<std::uint16_t>(sign | static_cast<std::uint32_t>(std::nearbyint(scaled)));
  }
  // normal: drop 13 mantissa bits with round-half-to-even (a carry into the exponent is correct)
  const std::uint32_t r = ax + 0xfffu + ((ax >> 13) & 1u);
  return static_cast<std::uint16_t>(sign | ((r - 0x38000000u) >> 13));
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  float f;
  if (e == 0) {
    f = std::ldexp(static_cast<float>(m), -24);
    if (sign) f = -f;
    return f;
  }
  const std::uint32_t x = e == 31 ? (sign | 0x7f800000u | (m << 13)) : (sign | ((e + 112u) << 23) | (m << 13));
  std::memcpy(&f, &x, 4);
  return f;
}

std::vector<float> round_to_half(const std::vector<float>& w) {
  std::vector<float> r(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) r[i] = half_to_float(float_to_half(w[i]));
  return r;
}

namespace {
const char kMagic[8] = {'P', 'W', 'D', 'I', 'G', 'I', 'T', '1'};
void put_i32(std::vector<std::uint8_t>& o, std::int32_t v) {
  for (int k = 0; k < 4; ++k) o.push_back(static_cast<std::uint8_t>((static_cast<std::uint32_t>(v) >> (8 * k)) & 0xffu));
}
}  // namespace

std::vector<std::uint8_t> encode_bundle(const ImageBundle& b) {
  std::vector<std::uint8_t> o(kMagic, kMagic + 8);
  for (int v : {b.eps_shape.dim, b.eps_shape.hidden, b.eps_shape.embed, b.clf_shape.in, b.clf_shape.h1, b.clf_shape.h2,
                b.clf_shape.classes, static_cast<int>(b.digits.size())})
    put_i32(o, v);
  for (const auto* w : {&b.eps_weights, &b.clf_weights})
    for (float f : *w) {
      const std::uint16_t h = float_to_half(f);
      o.push_back(static_cast<std::uint8_t>(h & 0xffu));
      o.push_back(static_cast<std::uint8_t>(h >> 8));
    }
  o.insert(o.end(), b.digits.pixels.begin(), b.digits.pixels.end());
  o.insert(o.end(), b.digits.labels.begin(), b.digits.labels.end());
  return o;
}

ImageBundle decode_bundle(const std::uint8_t* bytes, std::size_t size, const char* fn) {
  if (size < 40 || std::memcmp(bytes, kMagic, 8) != 0) fail(fn, "bytes", "start with the PWDIGIT1 header", size);
  auto i32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) v |= static_cast<std::uint32_t>(bytes[at + k]) << (8 * k);
    return static_cast<std::int32_t>(v);
  };
  ImageBundle b;
  b.eps_shape.dim = i32(8);
  b.eps_shape.hidden = i32(12);
  b.eps_shape.embed = i32(16);
  b.clf_shape.in = i32(20);
  b.clf_shape.h1 = i32(24);
  b.clf_shape.h2 = i32(28);
  b.clf_shape.classes = i32(32);
  const std::int32_t n = i32(36);
  if (b.eps_shape.dim != kDigitPixels || b.eps_shape.hidden < 1 || b.eps_shape.hidden > 1024 || b.eps_shape.embed < 0 ||
      b.eps_shape.embed > 256 || n < 0 || n > 1000000)
    fail(fn, "bytes", "hold a valid header", size);
  check_shape(b.clf_shape, fn);
  const std::size_t ne = b.eps_shape.parameters(), nc = b.clf_shape.parameters(), N = static_cast<std::size_t>(n);
  const std::size_t need = 40 + 2 * (ne + nc) + N * (kDigitPixels + 1);
  if (size != need) fail(fn, "bytes", "have " + std::to_string(need) + " bytes for its header", size);
  std::size_t at = 40;
  auto halfs = [&](std::size_t count, std::vector<float>& out) {
    out.resize(count);
    for (std::size_t k = 0; k < count; ++k, at += 2)
      out[k] = half_to_float(static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8)));
  };
  halfs(ne, b.eps_weights);
  halfs(nc, b.clf_weights);
  b.digits.pixels.assign(bytes + at, bytes + at + N * kDigitPixels);
  at += N * kDigitPixels;
  b.digits.labels.assign(bytes + at, bytes + at + N);
  for (auto p : b.digits.pixels)
    if (p > 16) fail(fn, "pixels", "be in 0..16", p);
  for (auto l : b.digits.labels)
    if (l > 9) fail(fn, "labels", "be in 0..9", l);
  return b;
}

}  // namespace probwasm::diffusion
