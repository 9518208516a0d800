#include "diffusion/fused_mlp.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "common/errors.hpp"

namespace probwasm::diffusion {

namespace {

// Four float lanes. Under em++ -msimd128 these are wasm SIMD128 v128 values (f32x4.add/mul/div, v128.and/or);
// natively SSE registers. Only +, −, ×, ÷, compares and bit operations: IEEE-exact lane by lane, so both builds
// compute the same bits.
typedef float f4 __attribute__((vector_size(16)));
typedef int i4 __attribute__((vector_size(16)));

inline f4 splat(float a) { return f4{a, a, a, a}; }
inline f4 load(const float* p) {
  f4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, f4 v) { std::memcpy(p, &v, sizeof v); }
inline f4 select(i4 mask, f4 a, f4 b) {  // mask lane −1: a, 0: b
  return reinterpret_cast<f4>((reinterpret_cast<i4>(a) & mask) | (reinterpret_cast<i4>(b) & ~mask));
}

// SiLU z/(1 + e^{−z}) (post 4's ε-model activation) of N vectors at once, stage by stage: N independent
// dependency chains interleave (one vector's Horner chain alone would leave the pipelines idle). For z < −88,
// e^{−z} overflows: the result is z·0 (−0, what the division by +inf gives in the reference path); for
// z > 87, e^{−z} < 2^−125 vanishes against 1. NaN stays NaN (compares are false for it).
template <int N>
inline void silu_n(f4* z) {
  f4 x[N];
  i4 huge[N];
  for (int i = 0; i < N; ++i) {
    x[i] = -z[i];
    huge[i] = x[i] > splat(88.0f);
    x[i] = select(huge[i], splat(88.0f), x[i]);
    x[i] = select(x[i] < splat(-87.0f), splat(-87.0f), x[i]);
  }
  // e^x for x ∈ [−87, 88]: x = n ln2 + r with n = round(x/ln2) by the 1.5·2²³ trick (|r| ≤ ln2/2), ln2 split in
  // a 9-bit head (n·head exact) and a tail (Cody & Waite 1980); e^r by its Taylor series to degree 7
  // (truncation r⁸/8! ≤ 5.2e−9 < 0.1 ulp); 2^n built in the exponent field.
  const f4 magic = splat(12582912.0f);
  f4 n[N], r[N], p[N];
  i4 ni[N];
  for (int i = 0; i < N; ++i) {
    const f4 t = x[i] * splat(1.44269504088896341f) + magic;
    n[i] = t - magic;
    ni[i] = reinterpret_cast<i4>(t) - reinterpret_cast<i4>(magic);
  }
  for (int i = 0; i < N; ++i) r[i] = (x[i] - n[i] * splat(0.693359375f)) - n[i] * splat(-2.12194440e-4f);
  for (int i = 0; i < N; ++i) p[i] = splat(1.0f / 5040.0f) * r[i] + splat(1.0f / 720.0f);
  for (int i = 0; i < N; ++i) p[i] = p[i] * r[i] + splat(1.0f / 120.0f);
  for (int i = 0; i < N; ++i) p[i] = p[i] * r[i] + splat(1.0f / 24.0f);
  for (int i = 0; i < N; ++i) p[i] = p[i] * r[i] + splat(1.0f / 6.0f);
  for (int i = 0; i < N; ++i) p[i] = p[i] * r[i] + splat(0.5f);
  for (int i = 0; i < N; ++i) p[i] = p[i] * r[i] + splat(1.0f);
  for (int i = 0; i < N; ++i) p[i] = p[i] * r[i] + splat(1.0f);
  for (int i = 0; i < N; ++i) {
    const f4 e = p[i] * reinterpret_cast<f4>((ni[i] + 127) << 23);
    const f4 s = z[i] / (splat(1.0f) + e);
    z[i] = select(huge[i], z[i] * splat(0.0f), s);
  }
}

// Micro-kernel shape: U hidden units × V vectors of 4 points = U·V accumulators (8 here: with the V
// activations and one broadcast weight, 11 of the 15–16 vector registers x86 gives V8 and g++).
constexpr int U = 4;
constexpr int V = 2;
constexpr int P = 4 * V;  // points per tile

// One forward pass for a tile of P points in structure-of-arrays form: xs[d·P + lane] (d < dim), c1 the
// folded layer-1 bias of this step; writes ε̂ to eps[d·P + lane]. h1 is scratch (hp × P).
struct Tile {
  const float* w1x;
  const float* c1;
  const float* w2;
  const float* b2;
  const float* w3;
  const float* b3;
  int D, hp;
};

void forward_tile(const Tile& m, const float* xs, float* h1, float* eps) {
  const int D = m.D, hp = m.hp;
  // Layer 1: h1[u] = SiLU(c1[u] + Σ_d W1[u, d]·x_d)  (the time features are inside c1), U units at a time.
  for (int ub = 0; ub < hp; ub += U) {
    f4 z[U * V];
    for (int u = 0; u < U; ++u)
      for (int v = 0; v < V; ++v) {
        f4 a = splat(m.c1[ub + u]);
        for (int d = 0; d < D; ++d) a = a + splat(m.w1x[(ub + u) * D + d]) * load(xs + d * P + 4 * v);
        z[u * V + v] = a;
      }
    silu_n<U * V>(z);
    for (int u = 0; u < U; ++u)
      for (int v = 0; v < V; ++v) store(h1 + (ub + u) * P + 4 * v, z[u * V + v]);
  }
  // ε̂ starts at b3; each block of U units of layer 2 adds its W3 columns once its SiLU is done.
  for (int d = 0; d < D; ++d)
    for (int v = 0; v < V; ++v) store(eps + d * P + 4 * v, splat(m.b3[d]));
  for (int ub = 0; ub < hp; ub += U) {
    const float* w = m.w2 + static_cast<std::size_t>(ub) * hp;  // this block: [k][U]
    f4 acc[U][V];
    for (int u = 0; u < U; ++u)
      for (int v = 0; v < V; ++v) acc[u][v] = splat(m.b2[ub + u]);
    for (int k = 0; k < hp; ++k) {
      f4 h[V];
      for (int v = 0; v < V; ++v) h[v] = load(h1 + k * P + 4 * v);
      for (int u = 0; u < U; ++u) {
        const f4 s = splat(w[k * U + u]);
        for (int v = 0; v < V; ++v) acc[u][v] = acc[u][v] + s * h[v];
      }
    }
    // Epilogue: SiLU, then layer 3's contribution of these U units (h2 is never stored).
    silu_n<U * V>(&acc[0][0]);
    for (int d = 0; d < D; ++d) {
      f4 e[V];
      for (int v = 0; v < V; ++v) e[v] = load(eps + d * P + 4 * v);
      for (int u = 0; u < U; ++u) {
        const f4 s = splat(m.w3[d * hp + ub + u]);
        for (int v = 0; v < V; ++v) e[v] = e[v] + s * acc[u][v];
      }
      for (int v = 0; v < V; ++v) store(eps + d * P + 4 * v, e[v]);
    }
  }
}

}  // namespace

float fused_silu(float z) {
  f4 v = splat(z);
  silu_n<1>(&v);
  return v[0];
}

FusedMlp::FusedMlp(const MlpShape& shape, const std::vector<float>& params) : shape_(shape) {
  if (params.size() != shape.parameters())
    fail("sampleDiffusion", "weights", "have " + std::to_string(shape.parameters()) + " entries for this shape", params.size());
  const int H = shape.hidden, D = shape.dim, E = shape.embed, I = D + E;
  hp_ = (H + U - 1) / U * U;
  const std::size_t hp = static_cast<std::size_t>(hp_);
  w1x_.assign(hp * D, 0.0f);
  w1t_.assign(hp * E, 0.0f);
  b1_.assign(hp, 0.0f);
  w2_.assign(hp * hp, 0.0f);
  b2_.assign(hp, 0.0f);
  w3_.assign(static_cast<std::size_t>(D) * hp, 0.0f);
  b3_.assign(static_cast<std::size_t>(D), 0.0f);
  // The flat layout of mlp.hpp: W1 (H×I), b1, W2 (H×H), b2, W3 (D×H), b3, column-major blocks.
  const float* W1 = params.data();
  const float* B1 = W1 + H * I;
  const float* W2 = B1 + H;
  const float* B2 = W2 + H * H;
  const float* W3 = B2 + H;
  const float* B3 = W3 + D * H;
  for (int u = 0; u < H; ++u) {
    for (int c = 0; c < D; ++c) w1x_[u * D + c] = W1[c * H + u];
    for (int c = 0; c < E; ++c) w1t_[u * E + c] = W1[(D + c) * H + u];
    b1_[u] = B1[u];
    b2_[u] = B2[u];
    // W2 row u (its column index k is the layer-1 unit), into block u/U at [k][u % U].
    for (int k = 0; k < H; ++k) w2_[static_cast<std::size_t>(u / U * U) * hp + k * U + u % U] = W2[k * H + u];
    for (int d = 0; d < D; ++d) w3_[d * hp + u] = W3[u * D + d];
  }
  for (int d = 0; d < D; ++d) b3_[d] = B3[d];
}

// c1 = b1 + W1_t·emb(t) with the embedding of MlpNet::inputs (t = 1000·t01, t01 rounded to float as the
// network's input is), accumulated in double: the same constant column for every point of the step.
void FusedMlp::fold_time(double t01, float* c1) const {
  const int E = shape_.embed, half = E / 2;
  const double t = 1000.0 * static_cast<double>(static_cast<float>(t01));
  std::vector<float> emb(static_cast<std::size_t>(E));
  for (int k = 0; k < half; ++k) {
    const double f = std::exp(-std::log(10000.0) * k / half);
    emb[k] = static_cast<float>(std::sin(t * f));
    emb[half + k] = static_cast<float>(std::cos(t * f));
  }
  for (int u = 0; u < hp_; ++u) {
    double z = b1_[u];
    for (int c = 0; c < E; ++c) z += static_cast<double>(w1t_[u * E + c]) * emb[c];
    c1[u] = static_cast<float>(z);
  }
}

void FusedMlp::epsilon(const float* x, std::size_t n, double t01, float* out) const {
  const int D = shape_.dim;
  std::vector<float> c1(static_cast<std::size_t>(hp_)), xs(static_cast<std::size_t>(D) * P), es(xs.size()),
      h1(static_cast<std::size_t>(hp_) * P);
  fold_time(t01, c1.data());
  const Tile m{w1x_.data(), c1.data(), w2_.data(), b2_.data(), w3_.data(), b3_.data(), D, hp_};
  for (std::size_t p0 = 0; p0 < n; p0 += P) {
    const std::size_t cnt = std::min<std::size_t>(P, n - p0);
    std::fill(xs.begin(), xs.end(), 0.0f);
    for (std::size_t l = 0; l < cnt; ++l)
      for (int d = 0; d < D; ++d) xs[d * P + l] = x[(p0 + l) * D + d];
    forward_tile(m, xs.data(), h1.data(), es.data());
    for (std::size_t l = 0; l < cnt; ++l)
      for (int d = 0; d < D; ++d) out[(p0 + l) * D + d] = es[d * P + l];
  }
}

std::vector<float> FusedMlp::sample_ddim(const Schedule& schedule, const SampleOptions& opts, std::size_t count,
                                         std::size_t first_index, const double* x_T) const {
  const char* fn = "sampleDiffusion";
  if (schedule.steps.empty()) fail(fn, "steps", "be at least 1", 0);
  if (opts.sampler != Sampler::ddim) fail(fn, "sampler", "be 'ddim' for the fused MLP sampler", "another sampler");
  if (!(opts.eta >= 0.0 && opts.eta <= 1.0)) fail(fn, "eta", "be in [0, 1]", opts.eta);
  if (opts.clip_sample && !(opts.clip_range > 0.0)) fail(fn, "clipSampleRange", "be positive", opts.clip_range);
  const std::size_t D = static_cast<std::size_t>(shape_.dim), S = schedule.steps.size(), hp = static_cast<std::size_t>(hp_);
  if (count > (std::size_t{1} << 26) / D) fail(fn, "count", "be at most 2^26 / dim", count);
  if (x_T)
    for (std::size_t k = 0; k < count * D; ++k)
      if (!std::isfinite(x_T[k])) fail(fn, indexed("noise", k), "be finite", x_T[k]);

  // Per step, once for all points: the folded bias c1 and the update's coefficients (in double, rounded once).
  struct Coef {
    float sb, sa, sa_p, dir, sigma;
  };
  std::vector<float> c1(S * hp);
  std::vector<Coef> coef(S);
  for (std::size_t s = 0; s < S; ++s) {
    const Step& st = schedule.steps[s];
    fold_time(st.t01, c1.data() + s * hp);
    const double a_t = st.alpha_from, a_p = st.alpha_to;
    // σ = η √((1−ᾱ_prev)/(1−ᾱ_t)) √(1 − ᾱ_t/ᾱ_prev)  (post 4 §4.3, the DDIM paper's σ(η)).
    const double sigma = opts.eta * std::sqrt((1.0 - a_p) / (1.0 - a_t)) * std::sqrt(std::max(0.0, 1.0 - a_t / a_p));
    coef[s] = {static_cast<float>(std::sqrt(1.0 - a_t)), static_cast<float>(std::sqrt(a_t)),
               static_cast<float>(std::sqrt(a_p)), static_cast<float>(std::sqrt(std::max(0.0, 1.0 - a_p - sigma * sigma))),
               static_cast<float>(sigma)};
  }

  std::vector<float> out(count * D);
  std::vector<float> xs(D * P), es(D * P), h1(hp * P);
  std::vector<NormalRng> rngs(P, NormalRng(0));  // the streams of the tile's points
  const f4 lo = splat(static_cast<float>(-opts.clip_range)), hi = splat(static_cast<float>(opts.clip_range));
  for (std::size_t p0 = 0; p0 < count; p0 += P) {
    const std::size_t cnt = std::min<std::size_t>(P, count - p0);
    std::fill(xs.begin(), xs.end(), 0.0f);  // lanes past the last point compute on 0 and are dropped
    for (std::size_t l = 0; l < cnt; ++l) {
      rngs[l] = NormalRng::for_point(opts.seed, first_index + p0 + l);
      for (std::size_t d = 0; d < D; ++d) {
        const double z = rngs[l].normal();  // always drawn, so the η-noise stream does not depend on x_T
        xs[d * P + l] = static_cast<float>(x_T ? x_T[(p0 + l) * D + d] : z);
      }
    }
    for (std::size_t s = 0; s < S; ++s) {
      const Tile m{w1x_.data(), c1.data() + s * hp, w2_.data(), b2_.data(), w3_.data(), b3_.data(), shape_.dim, hp_};
      forward_tile(m, xs.data(), h1.data(), es.data());
      const Coef& c = coef[s];
      for (std::size_t k = 0; k < D * P; k += 4) {
        const f4 e = load(&es[k]);
        f4 x0 = (load(&xs[k]) - splat(c.sb) * e) / splat(c.sa);
        if (opts.clip_sample) {
          x0 = select(x0 < lo, lo, x0);
          x0 = select(x0 > hi, hi, x0);
        }
        store(&xs[k], splat(c.sa_p) * x0 + splat(c.dir) * e);
      }
      if (opts.eta > 0.0)
        for (std::size_t l = 0; l < cnt; ++l)
          for (std::size_t d = 0; d < D; ++d) xs[d * P + l] += c.sigma * static_cast<float>(rngs[l].normal());
    }
    for (std::size_t l = 0; l < cnt; ++l)
      for (std::size_t d = 0; d < D; ++d) out[(p0 + l) * D + d] = xs[d * P + l];
  }
  return out;
}

}  // namespace probwasm::diffusion
