#include "diffusion/fused_mlp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "diffusion/mlp.hpp"
#include "diffusion/sampling.hpp"
#include "diffusion/schedulers.hpp"
#include "numeric_test.hpp"

using namespace probwasm::diffusion;
using probwasm::testing::close_abs;

namespace {

constexpr double u = 0x1p-24;  // float32 unit roundoff

// A network with random weights: He init from `seed`, then every bias set (so each one is exercised).
MlpDenoiser random_mlp(MlpShape shape, std::uint64_t seed) {
  MlpNet<float> net(shape);
  net.init(seed);
  NormalRng r(seed + 100);
  const std::size_t H = static_cast<std::size_t>(shape.hidden), I = shape.input(), D = static_cast<std::size_t>(shape.dim);
  std::vector<float> p = net.params();
  for (std::size_t k = H * I; k < H * I + H; ++k) p[k] = static_cast<float>(0.3 * r.normal());                  // b1
  for (std::size_t k = H * I + H + H * H; k < H * I + 2 * H + H * H; ++k) p[k] = static_cast<float>(0.3 * r.normal());  // b2
  for (std::size_t k = p.size() - D; k < p.size(); ++k) p[k] = static_cast<float>(0.3 * r.normal());           // b3
  return MlpDenoiser(shape, p);
}

// An independent float64 forward pass of the same weights (written out here, not MlpNet) together with an a
// priori bound on the float32 kernel's error: each dot product of n terms is off by at most γ_n Σ|w||h|
// (γ_n = n·u/(1 − n·u), Higham 2002 §3.1); the kernel's SiLU by ≤ 4u relative (exp ≤ 2 ulp, then + and ÷); an
// input error passes through SiLU times at most max|SiLU'| < 1.1; the time features are rounded to float
// (u·|emb| each).
struct Reference {
  std::vector<double> eps, bound;
};
Reference reference(const MlpDenoiser& m, const std::vector<float>& x, std::size_t n, double t01) {
  const MlpShape& s = m.shape();
  const int H = s.hidden, D = s.dim, E = s.embed, I = D + E;
  const std::vector<float>& p = m.weights();
  const float *W1 = p.data(), *b1 = W1 + H * I, *W2 = b1 + H, *b2 = W2 + H * H, *W3 = b2 + H, *b3 = W3 + D * H;
  const auto gamma = [](int k) { return k * u / (1 - k * u); };
  std::vector<double> emb(static_cast<std::size_t>(E));
  const double t = 1000.0 * static_cast<double>(static_cast<float>(t01));
  for (int k = 0; k < E / 2; ++k) {
    const double f = std::exp(-std::log(10000.0) * k / (E / 2));
    emb[k] = std::sin(t * f);
    emb[E / 2 + k] = std::cos(t * f);
  }
  const auto silu = [](double z) { return z / (1 + std::exp(-z)); };
  Reference r{std::vector<double>(n * D), std::vector<double>(n * D)};
  std::vector<double> h1(H), e1(H), h2(H), e2(H);
  for (std::size_t i = 0; i < n; ++i) {
    for (int a = 0; a < H; ++a) {
      double z = b1[a], mag = std::fabs(b1[a]), emb_err = 0;
      for (int c = 0; c < D; ++c) {
        z += static_cast<double>(W1[c * H + a]) * x[i * D + c];
        mag += std::fabs(W1[c * H + a] * x[i * D + c]);
      }
      for (int c = 0; c < E; ++c) {
        z += static_cast<double>(W1[(D + c) * H + a]) * emb[c];
        mag += std::fabs(W1[(D + c) * H + a] * emb[c]);
        emb_err += std::fabs(W1[(D + c) * H + a] * emb[c]) * u;
      }
      h1[a] = silu(z);
      e1[a] = 1.1 * (gamma(I + 2) * mag + emb_err) + 4 * u * std::fabs(h1[a]);
    }
    for (int a = 0; a < H; ++a) {
      double z = b2[a], mag = std::fabs(b2[a]), prop = 0;
      for (int k = 0; k < H; ++k) {
        z += static_cast<double>(W2[k * H + a]) * h1[k];
        mag += std::fabs(W2[k * H + a] * h1[k]);
        prop += std::fabs(W2[k * H + a]) * e1[k];
      }
      h2[a] = silu(z);
      e2[a] = 1.1 * (gamma(H + 1) * (mag + prop) + prop) + 4 * u * std::fabs(h2[a]);
    }
    for (int d = 0; d < D; ++d) {
      double z = b3[d], mag = std::fabs(b3[d]), prop = 0;
      for (int k = 0; k < H; ++k) {
        z += static_cast<double>(W3[k * D + d]) * h2[k];
        mag += std::fabs(W3[k * D + d] * h2[k]);
        prop += std::fabs(W3[k * D + d]) * e2[k];
      }
      r.eps[i * D + d] = z;
      r.bound[i * D + d] = gamma(H + 1) * (mag + prop) + prop;
    }
  }
  return r;
}

Schedule ddim_schedule(int steps) {
  SchedulerConfig c;
  c.clip_sample = false;
  DDIMScheduler s(c);
  s.set_timesteps(steps);
  return schedule_for(s);
}

}  // namespace

TEST_CASE("the kernel's float32 SiLU is within 4 ulp of z/(1+e^-z), with the reference path's special values") {
  // z from −100 to 100 in steps that hit no special structure, plus the edges of the exp clamp.
  std::vector<float> zs;
  for (double z = -100; z <= 100; z += 0.0137) zs.push_back(static_cast<float>(z));
  for (float z : {-88.5f, -88.0f, -87.5f, -87.0f, 86.9f, 87.0f, 87.1f, 88.0f, 1e-30f, -1e-30f, 1e-45f, 20.0f, -20.0f}) zs.push_back(z);
  for (float z : zs) {
    const double exact = static_cast<double>(z) / (1 + std::exp(-static_cast<double>(z)));
    const double got = fused_silu(z);
    INFO("z = " << z << ": " << got << " vs " << exact);
    // Relative 4u (exp ≤ 2 ulp through 1 + e and the division), or the float32 underflow range (below z·e^z
    // at z = −88, the kernel returns −0 as the reference path's z/(1 + inf) does).
    CHECK(std::fabs(got - exact) <= 4 * u * std::fabs(exact) + 1e-36);
  }
  CHECK(fused_silu(0.0f) == 0.0f);
  CHECK(!std::signbit(fused_silu(0.0f)));
  CHECK(std::signbit(fused_silu(-0.0f)));
  CHECK(fused_silu(-1e30f) == 0.0f);
  CHECK(std::signbit(fused_silu(-1e30f)));
  CHECK(fused_silu(1e30f) == 1e30f);
  CHECK(fused_silu(std::numeric_limits<float>::infinity()) == std::numeric_limits<float>::infinity());
  CHECK(std::isnan(fused_silu(std::numeric_limits<float>::quiet_NaN())));
  // −inf/(1 + e^{+inf}) = −inf/inf: NaN in the reference path's z/(1 + exp(−z)) too.
  CHECK(std::isnan(fused_silu(-std::numeric_limits<float>::infinity())));
}

TEST_CASE("the fused forward pass equals a float64 forward pass within the a-priori float32 error bound") {
  for (MlpShape shape : {MlpShape{2, 128, 16}, MlpShape{3, 5, 0}, MlpShape{1, 13, 6}, MlpShape{2, 4, 2}}) {
    const MlpDenoiser m = random_mlp(shape, 7);
    const FusedMlp f(m);
    const std::size_t D = static_cast<std::size_t>(shape.dim);
    for (std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{9}, std::size_t{17}}) {
      for (double t01 : {0.0, 0.37, 0.999}) {
        NormalRng r(n + 31);
        std::vector<float> x(n * D);
        for (std::size_t k = 0; k < x.size(); ++k) x[k] = static_cast<float>(3 * r.normal());
        x[0] = 0.0f;                             // an exact zero
        if (x.size() > 1) x[1] = -0.0f;          // and a negative one
        if (x.size() > 2) x[2] = 1e3f;           // large: SiLU's linear and vanishing ends
        if (x.size() > 3) x[3] = -1e3f;
        std::vector<float> got(n * D);
        f.epsilon(x.data(), n, t01, got.data());
        const Reference ref = reference(m, x, n, t01);
        for (std::size_t k = 0; k < got.size(); ++k) {
          INFO("shape " << shape.dim << "/" << shape.hidden << "/" << shape.embed << " n " << n << " t01 " << t01 << " k " << k
                        << ": " << got[k] << " vs " << ref.eps[k] << " bound " << ref.bound[k]);
          CHECK(std::fabs(got[k] - ref.eps[k]) <= ref.bound[k] + u * std::fabs(ref.eps[k]));
        }
      }
    }
  }
}

TEST_CASE("one fused DDIM step equals the float64-update path within the forward bound carried through the update") {
  const MlpDenoiser m = random_mlp(MlpShape{2, 128, 16}, 3);
  const FusedMlp f(m);
  const Schedule one = ddim_schedule(1);  // t = 1, lands on ᾱ_final
  const Step& st = one.steps[0];
  SampleOptions o;
  o.seed = 5;
  const std::size_t n = 21;
  const std::vector<float> got = f.sample_ddim(one, o, n);
  // x_T is each point's first normals (the same stream in both paths).
  std::vector<float> xT(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    NormalRng r = NormalRng::for_point(5, i);
    xT[2 * i] = static_cast<float>(r.normal());
    xT[2 * i + 1] = static_cast<float>(r.normal());
  }
  const Reference ref = reference(m, xT, n, st.t01);
  const double sa = std::sqrt(st.alpha_from), sb = std::sqrt(1 - st.alpha_from), sp = std::sqrt(st.alpha_to),
               dir = std::sqrt(1 - st.alpha_to);
  for (std::size_t k = 0; k < n * 2; ++k) {
    const double x0 = (xT[k] - sb * ref.eps[k]) / sa, want = sp * x0 + dir * ref.eps[k];
    // ε's error times |∂x/∂ε| = |dir − sp·sb/sa|, the float coefficients (u each) and five roundings of the update.
    const double bound = std::fabs(dir - sp * sb / sa) * ref.bound[k] +
                         8 * u * (sp / sa * (std::fabs(xT[k]) + sb * std::fabs(ref.eps[k])) + dir * std::fabs(ref.eps[k]));
    INFO("k " << k << ": " << got[k] << " vs " << want << " bound " << bound);
    CHECK(std::fabs(got[k] - want) <= bound);
  }
}

TEST_CASE("the fused sampler follows the general path over 50 steps, with and without eta and clipping") {
  const MlpDenoiser m = random_mlp(MlpShape{2, 32, 8}, 11);
  const FusedMlp f(m);
  const Schedule s50 = ddim_schedule(50);
  // Each step multiplies x by √ᾱ_prev/√ᾱ_t; over the run these telescope to amp = √(ᾱ_end/ᾱ_start). A per-step
  // relative error of c·u (c = 64: the forward bound and the update's roundings, generous) then grows to at most
  // S·amp·c·u of the x_T scale, plus the σz terms (|z| < 6).
  const double amp = std::sqrt(s50.steps.back().alpha_to / s50.steps.front().alpha_from);
  const double tol = 50 * amp * 64 * u * 6;
  for (double eta : {0.0, 0.5}) {
    for (bool clip : {false, true}) {
      SampleOptions o;
      o.seed = 9;
      o.eta = eta;
      o.clip_sample = clip;
      o.clip_range = 1.0;
      const std::size_t n = 37;
      const std::vector<float> got = f.sample_ddim(s50, o, n);
      const std::vector<double> want = sample(m, s50, o, n);
      for (std::size_t k = 0; k < want.size(); ++k) {
        INFO("eta " << eta << " clip " << clip << " k " << k << ": " << got[k] << " vs " << want[k] << " tol " << tol);
        CHECK(std::fabs(got[k] - want[k]) <= tol * (clip ? 1.0 : std::max(1.0, std::fabs(want[k]) / amp)));
      }
    }
  }
}

TEST_CASE("the fused sampler is deterministic: bit-identical across runs and in any chunking of the points") {
  const MlpDenoiser m = random_mlp(MlpShape{2, 24, 8}, 4);
  const FusedMlp f(m);
  const Schedule s = ddim_schedule(10);
  for (double eta : {0.0, 1.0}) {
    SampleOptions o;
    o.seed = 77;
    o.eta = eta;
    const std::vector<float> all = f.sample_ddim(s, o, 29);
    CHECK(f.sample_ddim(s, o, 29) == all);
    // Points 0–6, 7–19, 20–28: other tiles, other lanes, the same bits (every lane is its own computation).
    std::vector<float> parts = f.sample_ddim(s, o, 7, 0);
    for (auto [first, cnt] : {std::pair<std::size_t, std::size_t>{7, 13}, {20, 9}}) {
      const auto p = f.sample_ddim(s, o, cnt, first);
      parts.insert(parts.end(), p.begin(), p.end());
    }
    CHECK(parts == all);
    // A given x_T replaces the drawn start but not the η-noise stream.
    std::vector<double> xT(29 * 2);
    for (std::size_t i = 0; i < 29; ++i) {
      NormalRng r = NormalRng::for_point(77, i);
      xT[2 * i] = static_cast<float>(r.normal());
      xT[2 * i + 1] = static_cast<float>(r.normal());
    }
    CHECK(f.sample_ddim(s, o, 29, 0, xT.data()) == all);
  }
}

TEST_CASE("the fused sampler's edge cases: no points, a non-finite x_T, other samplers, eta out of range") {
  const MlpDenoiser m = random_mlp(MlpShape{2, 8, 4}, 1);
  const FusedMlp f(m);
  const Schedule s = ddim_schedule(5);
  SampleOptions o;
  CHECK(f.sample_ddim(s, o, 0).empty());
  std::vector<double> xT{0.5, std::numeric_limits<double>::quiet_NaN()};
  CHECK_THROWS_WITH_AS(f.sample_ddim(s, o, 1, 0, xT.data()), "sampleDiffusion: noise[1] must be finite, got NaN", std::invalid_argument);
  o.eta = 1.5;
  CHECK_THROWS_WITH_AS(f.sample_ddim(s, o, 1), "sampleDiffusion: eta must be in [0, 1], got 1.5", std::invalid_argument);
  o.eta = 0;
  o.sampler = Sampler::heun;
  CHECK_THROWS_AS(f.sample_ddim(s, o, 1), std::invalid_argument);
  CHECK_THROWS_AS(FusedMlp(MlpShape{2, 8, 4}, std::vector<float>(3)), std::invalid_argument);
}
