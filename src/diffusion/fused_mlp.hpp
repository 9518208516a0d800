// The MLP ε-model's DDIM sampler as one fused float32 kernel (post 4 §4.3, issue 11): the network of
// mlp.hpp ([x ⊕ emb(t)] → H → H → dim, SiLU) and the DDIM update run for one tile of points through every
// step before the next tile starts, so the state, the activations and the output stay in L1. Per step the
// time features enter layer 1 as one constant column c1 = b1 + W1_t·emb(t), computed once for all points.
// The hidden × hidden product is a register-tiled micro-kernel over 4-lane float vectors (GCC/clang
// vector extensions: wasm SIMD128 under em++ -msimd128, SSE natively; the same source and the same
// operation order in both builds, no FMA contraction), with the bias and SiLU in its epilogue and layer 3
// accumulated there too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "diffusion/mlp.hpp"
#include "diffusion/sampling.hpp"

namespace probwasm::diffusion {

// The weights of an MlpNet<float> repacked for the fused kernel (hidden padded with zero units to the
// micro-kernel's block, W2 stored block by block, k-major inside a block).
class FusedMlp {
 public:
  FusedMlp(const MlpShape& shape, const std::vector<float>& params);
  explicit FusedMlp(const MlpDenoiser& m) : FusedMlp(m.shape(), m.weights()) {}
  const MlpShape& shape() const { return shape_; }

  // ε̂ for n points (row-major n × dim) sharing t01, in float32 through the fused layers (what one step uses).
  void epsilon(const float* x, std::size_t n, double t01, float* out) const;

  // The DDIM sampler (post 4 §4.3: x_prev = √ᾱ_prev x̂0 + √(1−ᾱ_prev−σ²) ε̂ + σz, x̂0 = (x − √(1−ᾱ)ε̂)/√ᾱ) with
  // the state in float32. Same seeding as sample() in sampling.hpp: point i draws from its own stream, x_T
  // first (always drawn, also when x_T is given), then the η-noise of each step in order. Returns count × dim.
  std::vector<float> sample_ddim(const Schedule& schedule, const SampleOptions& opts, std::size_t count,
                                 std::size_t first_index = 0, const double* x_T = nullptr) const;

 private:
  MlpShape shape_;
  int hp_ = 0;                   // hidden, padded to a multiple of the unit block
  std::vector<float> w1x_;       // hp × dim: the x columns of W1 (row = hidden unit)
  std::vector<float> w1t_;       // hp × embed: the time-feature columns of W1
  std::vector<float> b1_;        // hp
  std::vector<float> w2_;        // hp/U blocks of [hp (k) × U]
  std::vector<float> b2_;        // hp
  std::vector<float> w3_;        // dim × hp
  std::vector<float> b3_;        // dim

  // c1 = b1 + W1_t·emb(t01) (hp floats), summed in double and rounded once.
  void fold_time(double t01, float* c1) const;
};

// SiLU z·σ(z) = z / (1 + e^{−z}) in float32 with the kernel's own exp (range reduction by ln 2 and a
// degree-7 Taylor polynomial, ≤ 2 ulp): the scalar twin of the vector code, for tests.
float fused_silu(float z);

}  // namespace probwasm::diffusion
