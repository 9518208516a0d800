// The fixtures of huggingface/diffusers tests/schedulers/test_schedulers.py (SchedulerCommonTest), rebuilt
// from their definitions so the reference's full-loop tests can be replayed here:
//   dummy_sample_deter = arange(N).reshape(C, H, W, B)/N permuted to (B, C, H, W)  (flattened NCHW here),
//   dummy_noise_deter  = the same with arange flipped,
//   dummy_model(x, t)  = x·t/(t+1) in float32 (t cast to the sample's dtype),
// and torch.manual_seed(0)'s torch.randn stream for the tests that pass a generator.
#pragma once
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace probwasm::testing::diffusers {

// spatial = H·W (64 for the 4×3×8×8 sample, 8 for the 1-D 4×3×8 one); items B = 4, channels C = 3.
inline std::vector<float> dummy_sample_deter(bool flipped = false, int spatial = 64) {
  const int B = 4, C = 3, N = B * C * spatial;
  std::vector<float> x(static_cast<std::size_t>(N));
  for (int b = 0; b < B; ++b)
    for (int c = 0; c < C; ++c)
      for (int s = 0; s < spatial; ++s) {
        const int k = (c * spatial + s) * B + b;  // row-major index in the (C, spatial, B) arange
        x[static_cast<std::size_t>((b * C + c) * spatial + s)] =
            static_cast<float>(flipped ? N - 1 - k : k) / static_cast<float>(N);
      }
  return x;
}

inline std::vector<float> dummy_model(const std::vector<float>& x, double t) {
  const float tf = static_cast<float>(t);
  std::vector<float> r(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) r[i] = x[i] * tf / (tf + 1.0f);
  return r;
}

inline double abs_sum(const std::vector<float>& x) {
  double s = 0;
  for (float v : x) s += std::fabs(static_cast<double>(v));
  return s;
}

// torch.randn(n) on CPU, float32, contiguous, n ≥ 16 (ATen normal_fill): n uniforms u = (mt() & 2^24−1)/2^24
// from the generator's mt19937, then Box–Muller on blocks of 16 (u1 = 1 − d[j], u2 = d[j+8]); a ragged tail
// redraws the last 16. torch.manual_seed(0) seeds the standard mt19937 with 0.
inline std::vector<float> torch_randn(std::mt19937& g, std::size_t n) {
  std::vector<float> d(n);
  auto uniform = [&g] { return static_cast<float>(static_cast<double>(g() & ((1u << 24) - 1)) * std::ldexp(1.0, -24)); };
  auto fill16 = [](float* p) {
    for (int j = 0; j < 8; ++j) {
      const float u1 = 1 - p[j], u2 = p[j + 8];
      const float radius = std::sqrt(-2 * std::log(u1));
      const float theta = static_cast<float>(2.0 * 3.14159265358979323846 * u2);  // 2.0f·π(double)·u2
      p[j] = radius * std::cos(theta);
      p[j + 8] = radius * std::sin(theta);
    }
  };
  for (auto& v : d) v = uniform();
  for (std::size_t i = 0; i + 16 <= n; i += 16) fill16(d.data() + i);
  if (n % 16 != 0) {
    float* p = d.data() + n - 16;
    for (int j = 0; j < 16; ++j) p[j] = uniform();
    fill16(p);
  }
  return d;
}

}  // namespace probwasm::testing::diffusers
