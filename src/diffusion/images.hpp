// Post 4 on real images (issue 16): the 8×8 handwritten digits (UCI optdigits, CC BY 4.0, from Debian's
// python3-sklearn), the shipped ε-model (an MlpDenoiser of mlp.hpp with dim 64), a small classifier trained
// the same way, and what scores samples with it: the Fréchet distance between Gaussians fitted to its
// features (FID-like, Heusel et al. 2017 eq. 6), the class histogram and its entropy. Also the one binary
// bundle (float16 weights + the data) that build/ produces and dist/assets/diffusion/ ships.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "diffusion/mlp.hpp"
#include "diffusion/sampling.hpp"

namespace probwasm::diffusion {

// ---- the data ---------------------------------------------------------------------------------------------
constexpr int kDigitPixels = 64;   // 8 × 8, row-major
constexpr int kDigitClasses = 10;

// The CSV rows of sklearn's digits.csv: 64 integers in 0..16 then the label 0..9.
struct Digits {
  std::vector<std::uint8_t> pixels;  // n × 64
  std::vector<std::uint8_t> labels;  // n
  std::size_t size() const { return labels.size(); }
};
Digits parse_digits_csv(const std::string& text);
// The fixed split: row i (0-based, file order) is held out when i % 5 == 4 (359 of 1797 rows), trained on
// otherwise. The file is ordered by writer blocks, so every fifth row spreads the held-out set over writers.
inline bool digit_held_out(std::size_t row) { return row % 5 == 4; }
// Pixels 0..16 → [−1, 1] (x/8 − 1): the data range DDPM's clip_sample assumes. `held_out` picks the split;
// labels of the chosen rows go to `labels` if given.
std::vector<double> digits_unit(const Digits& d, bool held_out, std::vector<int>* labels = nullptr);

// ---- the classifier ---------------------------------------------------------------------------------------
// 64 → h1 → h2 → 10 with SiLU; the h2 activations are the features the Fréchet distance compares.
struct ClassifierShape {
  int in = kDigitPixels, h1 = 128, h2 = 32, classes = kDigitClasses;
  std::size_t parameters() const;  // W1, b1, W2, b2, W3, b3 (column-major blocks)
};

class DigitClassifier {
 public:
  using Mat = Eigen::MatrixXf;
  DigitClassifier(ClassifierShape shape, std::uint64_t seed);
  DigitClassifier(ClassifierShape shape, const std::vector<float>& weights);
  const ClassifierShape& shape() const { return shape_; }
  const std::vector<float>& weights() const { return p_; }

  // Features (h2 × n) and class probabilities (softmax of the logits, 10 × n) of n images (row-major n × 64).
  Mat features(const double* x, std::size_t n, const char* fn) const;
  Mat probabilities(const double* x, std::size_t n, const char* fn) const;
  // Mean cross-entropy −log p_y (softmax, post 8) over a batch and its gradient (layout of weights()).
  float loss_and_grad(const Mat& x, const std::vector<int>& y, std::vector<float>* grad) const;

  // Adam (Kingma & Ba 2015, Alg. 1) on seeded minibatches of (data, labels); returns the mean loss.
  void set_training(std::vector<double> data, std::vector<int> labels, int batch, double lr, std::uint64_t seed);
  double train(int iterations);

 private:
  Mat forward_h2(const Mat& x, Mat* h1 = nullptr, Mat* z1 = nullptr, Mat* z2 = nullptr) const;
  Mat input(const double* x, std::size_t n, const char* fn) const;
  ClassifierShape shape_;
  std::vector<float> p_;
  std::vector<double> data_;
  std::vector<int> labels_;
  int batch_ = 128;
  double lr_ = 2e-3;
  NormalRng rng_{0};
  std::vector<float> m_, v_, grad_;
  long long step_ = 0;
};

// ---- the metric -------------------------------------------------------------------------------------------
// Fréchet (2-Wasserstein) distance² between N(μ1, Σ1) and N(μ2, Σ2) (Dowson & Landau 1982; FID, Heusel et
// al. 2017 eq. 6): ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr (Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2}. Both square roots come
// from symmetric eigen-decompositions (eigenvalues < 0 from rounding are clamped to 0), so the trace term
// is real and the result ≥ 0 up to rounding (clamped at 0). Σ are d × d, symmetric positive semidefinite.
double frechet_distance(const Eigen::VectorXd& mu1, const Eigen::MatrixXd& cov1, const Eigen::VectorXd& mu2,
                        const Eigen::MatrixXd& cov2);
// Mean and unbiased covariance of n rows of dimension d (n ≥ 2).
void mean_cov(const double* x, std::size_t n, std::size_t d, Eigen::VectorXd& mu, Eigen::MatrixXd& cov, const char* fn);
// The Fréchet distance between Gaussians fitted to two point sets (rows of `dim`).
double frechet_distance_of(const std::vector<double>& a, const std::vector<double>& b, std::size_t dim, const char* fn);

// Root-mean-square difference √(Σ(a_i − b_i)²/n) of two equally long arrays (an inversion round trip's error).
double rms_difference(const std::vector<double>& a, const std::vector<double>& b, const char* fn);

struct ImageQuality {
  double fid = 0;                 // Fréchet distance² of classifier features to the reference images
  std::vector<double> histogram;  // fraction of samples per predicted class (argmax)
  double entropy = 0;             // −Σ h_k log h_k of the histogram (nats; log 10 = uniform over classes)
  double confidence = 0;          // mean max-probability (how digit-like single samples look)
  std::size_t count = 0;
};
// Scores n samples (n × 64, [−1, 1] scale) against `reference` (m × 64) in the classifier's feature space.
// Both are scored as images are shown: each pixel clamped to [−1, 1], as diffusers' pipelines clamp their output
// ((x/2 + 0.5).clamp(0, 1)); an ODE sample's few out-of-range pixels would otherwise dominate the distance.
ImageQuality image_quality(const DigitClassifier& c, const std::vector<double>& samples, const std::vector<double>& reference);

// ---- the shipped bundle ----------------------------------------------------------------------------------
// IEEE binary16 round-to-nearest-even, and back (exact).
std::uint16_t float_to_half(float f);
float half_to_float(std::uint16_t h);

struct ImageBundle {
  MlpShape eps_shape;
  std::vector<float> eps_weights;
  ClassifierShape clf_shape;
  std::vector<float> clf_weights;
  Digits digits;
};
// Layout (little-endian): "PWDIGIT1", int32 eps dim/hidden/embed, int32 clf in/h1/h2/classes, int32 n,
// float16 eps weights, float16 classifier weights, n × 64 uint8 pixels, n uint8 labels.
std::vector<std::uint8_t> encode_bundle(const ImageBundle& b);
ImageBundle decode_bundle(const std::uint8_t* bytes, std::size_t size, const char* fn);
// Weights as stored: each rounded to float16 and back (what the page runs).
std::vector<float> round_to_half(const std::vector<float>& w);

}  // namespace probwasm::diffusion
