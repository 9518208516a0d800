// A tiny learned ε-model for post 4: an MLP ε_θ(x_t, t) trained with the DDPM objective
// ‖ε − ε_θ(√ᾱ_t x_0 + √(1−ᾱ_t) ε, t)‖² (post 4 §4.2: "training is unchanged"), so the same network serves the
// DDPM, DDIM and Heun samplers. Layout: [x (dim) ⊕ sinusoidal embedding of t] → H → H → dim, SiLU, Eigen.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "diffusion/denoisers.hpp"
#include "diffusion/sampling.hpp"

namespace probwasm::diffusion {

struct MlpShape {
  int dim = 2;      // data dimension (input and output)
  int hidden = 128; // width of both hidden layers
  int embed = 16;   // sinusoidal features of t (even): sin/cos of 1000·t01·f_k, f_k = 10000^(−k/(embed/2))
  std::size_t input() const { return static_cast<std::size_t>(dim + embed); }
  std::size_t parameters() const;  // W1, b1, W2, b2, W3, b3
};

// The network in scalar type S (float for use, double for gradient checks). Parameters live in one flat
// vector: W1 (H×I, column-major), b1, W2 (H×H), b2, W3 (dim×H), b3 — the export/import format.
template <class S>
class MlpNet {
 public:
  using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;

  explicit MlpNet(MlpShape shape);
  // He-uniform weights and zero biases from `seed` (splitmix64): the same seed gives the same network.
  void init(std::uint64_t seed);
  const MlpShape& shape() const { return shape_; }
  std::vector<S>& params() { return p_; }
  const std::vector<S>& params() const { return p_; }

  // Inputs (I × B, one column per point): x then the time features of t01.
  Mat inputs(const S* x, const S* t01, std::size_t batch) const;
  // ε̂ for the columns of `in` (dim × B).
  Mat forward(const Mat& in) const;
  // The same for B points (row-major x) that share one t: the time features then enter layer 1 as one
  // constant column b1 + W1_t·emb(t), computed once (what the samplers need at every step). The Buffers
  // overload writes into reused activations (out.leftCols(B)): no allocation per call.
  struct Buffers {
    Mat h1, h2, out;
  };
  void forward_at(const S* x, std::size_t batch, S t01, Buffers& b) const;
  Mat forward_at(const S* x, std::size_t batch, S t01) const;
  // Loss (1/(B·dim)) Σ (ε̂ − ε)² and its gradient (same layout as params) for targets `eps` (dim × B).
  S loss_and_grad(const Mat& in, const Mat& eps, std::vector<S>* grad) const;

 private:
  MlpShape shape_;
  std::vector<S> p_;
};

// The float32 network as a Denoiser, with its own Adam trainer (seeded minibatches).
class MlpDenoiser final : public Denoiser {
 public:
  MlpDenoiser(MlpShape shape, std::uint64_t seed);
  // Rebuilds a network from exported weights (length must be shape.parameters()).
  MlpDenoiser(MlpShape shape, const std::vector<float>& weights);

  std::size_t dim() const override { return static_cast<std::size_t>(net_.shape().dim); }
  void epsilon(const double* x, std::size_t n, double alpha_bar, double t01, double* out) const override;
  using Denoiser::epsilon;
  const MlpShape& shape() const { return net_.shape(); }
  const std::vector<float>& weights() const { return net_.params(); }

  // Training data x_0 (n × dim), the noise schedule ᾱ_t for t = 0..T−1 (t01 = t/T), minibatch size, Adam's
  // learning rate and the seed of the minibatch stream. Resets Adam's moments.
  void set_training(std::vector<double> data, std::vector<double> alphas_cumprod, int batch, double lr,
                    std::uint64_t seed);
  // Runs `iterations` Adam steps (Kingma & Ba 2015, Alg. 1) on fresh minibatches; returns their mean loss.
  double train(int iterations);
  long long iterations_done() const { return step_; }

 private:
  MlpNet<float> net_;
  std::vector<double> data_, alphas_;
  int batch_ = 256;
  double lr_ = 1e-3;
  NormalRng rng_{0};
  std::vector<float> m_, v_, grad_;
  long long step_ = 0;
};

}  // namespace probwasm::diffusion
