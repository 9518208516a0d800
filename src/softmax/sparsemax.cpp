// Sparse maps of post 8 with an adaptive support: sparsemax (§8.6) and entmax-α (§8.7).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

#include "common/errors.hpp"
#include "common/prng.hpp"
#include "common/rows.hpp"
#include "softmax/internal.hpp"
#include "softmax/softmax.hpp"

namespace probwasm::softmax {
using detail::checked_max;
using detail::fast_checked_max;
using detail::kInf;

namespace {
// +0 for a finite max m, in a form the compiler cannot fold: `v < zero ? zero : v` is then exactly
// std::max(v, 0.0) (relu, §8.6/§8.7), but clang emits wasm's one-instruction f64x2.pmax instead of the
// NaN-propagating f64x2.max it picks for the constant, which V8 expands into ~10 instructions.
template <class T>
inline T relu_zero(T m) {
  return T(0) * std::fabs(m);
}

// u ← the y_i = x_i − m > −1 in index order: the only entries that can be in sparsemax's support (§8.6).
// Short rows (where the test is a coin flip) store every y and advance only past kept ones, without a
// branch; long rows branch, since nearly all entries are rejected there and the branch is predictable.
template <class T>
inline std::size_t candidates(const T* x, std::size_t n, T m, T* u) {
  std::size_t len = 0;
  if (n <= 64) {
    for (std::size_t i = 0; i < n; ++i) {
      const T y = x[i] - m;
      u[len] = y;  // len ≤ i < n
      len += y > T(-1);
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const T y = x[i] - m;
      if (y > T(-1)) u[len++] = y;
    }
  }
  return len;
}

// Long rows: the entries with f(x_i − m) > −1 (f = identity for sparsemax's y, halving for entmax's z) in index
// order, their values f(x_i − m) into u and, while there is room, their indices into idx (*listed = false once
// it overflows). One vector pass computes f(x − m) for a whole vector and compares it with −1; only a vector with
// a kept lane (rare: the candidates are typically a handful among n) goes lane by lane, so the pass runs at
// vector speed instead of branching on every entry. The same set and values as testing every entry alone.
template <class T, class F>
std::size_t vector_candidates(const T* x, std::size_t n, T m, T* u, std::uint32_t* idx, std::size_t idx_cap,
                              bool& listed, F f) {
  using L = detail::Lanes<T>;
  using V = typename L::V;
  const V mv = L::splat(m), lim = L::splat(T(-1));
  std::size_t len = 0, i = 0;
  listed = true;
  const auto keep = [&](std::size_t j, T v) {
    if (listed && len == idx_cap) listed = false;
    if (listed) idx[len] = static_cast<std::uint32_t>(j);
    u[len++] = v;
  };
  for (; i + L::n <= n; i += L::n) {
    const V v = f(L::load(x + i) - mv);
    if (simd::any(simd::lt(lim, v))) {
      for (std::size_t l = 0; l < L::n; ++l)
        if (v[l] > T(-1)) keep(i + l, v[l]);
    }
  }
  for (; i < n; ++i) {
    const T v = f(x[i] - m);
    if (v > T(-1)) keep(i, v);
  }
  return len;
}

// out_i = relu(x_i − m − τ) (§8.6), a vector at a time (the pmax form v < 0 ? 0 : v, zero = +0).
template <class T>
void relu_shift(const T* x, std::size_t n, T m, T tau, T zero, T* out) {
  using L = detail::Lanes<T>;
  using V = typename L::V;
  const V mv = L::splat(m), tv = L::splat(tau), zv = L::splat(zero);
  std::size_t i = 0;
  for (; i + L::n <= n; i += L::n) L::store(out + i, simd::pmax((L::load(x + i) - mv) - tv, zv));
  for (; i < n; ++i) {
    const T v = x[i] - m - tau;
    out[i] = v < zero ? zero : v;
  }
}
}  // namespace

// Candidate sets up to this size are sorted instead of partitioned around random pivots (sparsemax, §8.6).
constexpr std::size_t kShortSupport = 16;

// Up to 8 values sorted descending by Knuth's optimal 19-comparator network (checked on all 2^8 0-1 inputs),
// on the values' integer order keys: each compare-exchange is two integer selects, which wasm engines and
// native compilers emit without a branch (insertion sort's branches mispredict on random rows; a float select
// is a branch in V8). Padding keys sort last and are never written back. Equal values are interchangeable,
// so the result equals any other sort's, bit for bit (−0 and +0 may swap places: equal values too).
template <class T>
inline void sort8_descending(T* u, std::size_t len) {
  using I = detail::KeyOf<T>;
  I k[8];
  for (std::size_t i = 0; i < 8; ++i) k[i] = i < len ? detail::order_key(u[i]) : std::numeric_limits<I>::min();
  static constexpr unsigned char net[19][2] = {{0, 2}, {1, 3}, {4, 6}, {5, 7}, {0, 4}, {1, 5}, {2, 6},
                                               {3, 7}, {0, 1}, {2, 3}, {4, 5}, {6, 7}, {2, 4}, {3, 5},
                                               {1, 4}, {3, 6}, {1, 2}, {3, 4}, {5, 6}};
  for (const auto& c : net) {
    const I a = k[c[0]], b = k[c[1]];
    k[c[0]] = a < b ? b : a;
    k[c[1]] = a < b ? a : b;
  }
  for (std::size_t i = 0; i < len; ++i) u[i] = detail::from_order_key<T>(k[i]);
}

// Insertion sort of a few values, descending (≤ 8 by the network above; no comparator call). Not inlined: one
// copy per type instead of one per caller (the softmax module's size budget).
template <class T>
__attribute__((noinline)) void sort_descending(T* u, std::size_t len) {
  if (len <= 8) return sort8_descending(u, len);
  for (std::size_t i = 1; i < len; ++i) {
    const T v = u[i];
    std::size_t j = i;
    for (; j > 0 && u[j - 1] < v; --j) u[j] = u[j - 1];
    u[j] = v;
  }
}

// ---- sparsemax ---------------------------------------------------------------------------------------------

// For float rows the sums s, ds and τ are double (the elements and compares stay float).
template <class T>
double sparsemax_into(const T* x, std::size_t n, T* out, Workspace&) {
  // Work in y = x − max ≤ 0 (shift invariance, §8.6): no cancellation in Σ(y − v) for large |x|. Only
  // y > −1 can be in the support (τ ≥ −1: the max term alone gives relu(0 − (−1)) = 1), so only those are
  // copied, into `out` itself (no allocation); for typical logits that leaves a handful of candidates.
  T* u = out;
  T m;
  std::size_t len;
  if (n <= 64) {
    m = fast_checked_max("sparsemax", x, n);
    len = candidates(x, n, m, u);
  } else {
    bool listed;
    m = fast_checked_max("sparsemax", x, n);
    len = vector_candidates(x, n, m, u, nullptr, 0, listed, [](auto d) { return d; });
  }
  // Find τ with Σ relu(y − τ) = 1 (Duchi et al. 2008, Fig. 2): a random pivot v is in the support iff
  // Σ_{y ≥ v} (y − v) < 1. Accepted elements are summed into (s, rho); the search continues on the
  // smaller side. Each round discards a random fraction of [lo, hi): expected O(n) in total.
  double s = 0.0;
  std::size_t rho = 0, lo = 0, hi = len;
  if (len <= kShortSupport) {
    // A few candidates (rows of 8, or a peaked long row): insertion sort, descending, then the same test in
    // sorted order: u_k is in the support iff Σ_{i≤k} u_i − k·u_k < 1 (the pivot test with v = u_k; the
    // support is a prefix). No pivot draws (a 64-bit modulo each) and no partition passes.
    sort_descending(u, len);
    double cum = 0.0;
    for (std::size_t k = 0; k < len; ++k) {
      cum += u[k];
      if (cum - static_cast<double>(k + 1) * u[k] >= 1.0) break;
      s = cum;
      rho = k + 1;
    }
    hi = 0;  // skips the pivot loop
  }
  std::uint64_t state = 0x9E3779B97F4A7C15ull;  // xorshift64 with a fixed seed: deterministic results
  while (lo < hi) {
    std::swap(u[lo], u[lo + xorshift64(state) % (hi - lo)]);
    const T v = u[lo];
    std::size_t g = lo + 1;  // [lo, g) holds the elements ≥ v, the pivot first
    double ds = v;
    for (std::size_t i = lo + 1; i < hi; ++i) {
      if (u[i] >= v) {
        ds += u[i];
        std::swap(u[i], u[g++]);
      }
    }
    const std::size_t dr = g - lo;
    if ((s + ds) - static_cast<double>(rho + dr) * v < 1.0) {
      s += ds;  // v and everything above it are in the support
      rho += dr;
      lo = g;
    } else {
      hi = g;  // τ ≥ v: the support lies above v; drop the pivot itself
      ++lo;
    }
  }
  const double tau = (s - 1.0) / static_cast<double>(rho);
  relu_shift(x, n, m, static_cast<T>(tau), relu_zero(m), out);  // std::max(v, 0.0), p = relu(x − τ) (§8.6)
  return m + tau;
}
template double sparsemax_into(const double*, std::size_t, double*, Workspace&);
template double sparsemax_into(const float*, std::size_t, float*, Workspace&);

template <class T>
void sparsemax_rows(const T* x, std::size_t size, std::size_t cols, T* out, Workspace& w) {
  detail::rows_into("sparsemax", x, size, cols, out, [&](const T* r, std::size_t n, T* o) { sparsemax_into(r, n, o, w); });
}
template void sparsemax_rows(const double*, std::size_t, std::size_t, double*, Workspace&);
template void sparsemax_rows(const float*, std::size_t, std::size_t, float*, Workspace&);

std::vector<double> sparsemax(const std::vector<double>& x, std::size_t cols) {
  Workspace w;
  std::vector<double> out(x.size());
  sparsemax_rows(x.data(), x.size(), cols, out.data(), w);
  return out;
}

// ---- entmax-1.5, exact ----------------------------------------------------------------------------------------

// For float rows the running mean, M2, λ and Σ are double (the elements, sort and relu stay float).
template <class T>
double entmax15_into(const T* x, std::size_t n, T* out, Workspace&) {
  // z = (x − max)/2 ≤ 0; λ ≥ max z − 1 = −1, so only z > −1 can be in the support: those are copied into
  // `out` (no allocation) and sorted — usually a small fraction of n. Their indices (ascending) go to a stack
  // list while it has room, so that the sum and the normalisation below visit only them (a long row then costs
  // three passes over n: max, candidates, output); a row with more candidates visits all n instead.
  constexpr std::size_t kListed = 8192;  // 32 KB of stack; 1e6 standard normal logits have ~3000 candidates
  std::uint32_t listed[kListed];
  T* z = out;
  std::size_t len = 0;
  T m;
  bool use_list = true;
  if (n <= 64) {  // short rows: the test is a coin flip, so store every z and advance only past kept ones
    m = fast_checked_max("entmax", x, n);
    for (std::size_t i = 0; i < n; ++i) {
      const T v = (x[i] - m) / 2;
      z[len] = v;
      listed[len] = static_cast<std::uint32_t>(i);
      len += v > T(-1);
    }
  } else {
    m = fast_checked_max("entmax", x, n);
    len = vector_candidates(x, n, m, z, listed, kListed, use_list, [](auto d) { return d / 2; });
  }
  if (len <= kShortSupport) {
    sort_descending(z, len);  // the same order std::sort gives (equal values are interchangeable)
  } else {
    std::sort(z, z + len, std::greater<T>());
  }
  // z_k is strictly inside the support iff F(z_k) = Σ_{i<k} (z_i − z_k)² < 1 (F decreasing in λ, F(λ*) = 1);
  // F(z_k) = M2 + k(μ − z_k)² with Welford's running mean μ and M2 over the first k, so no cancellation.
  // A tie such as x = [3,1,0] (F(z_2) = 1 exactly) leaves z_2 out: the post's strict-bracket bug cannot occur.
  double mean = z[0], m2 = 0.0;
  std::size_t k = 1;
  for (; k < len; ++k) {
    const double c = z[k], d0 = mean - c;  // (float z: exact in double)
    if (m2 + static_cast<double>(k) * d0 * d0 >= 1.0) break;
    const double d = c - mean;
    mean += d / static_cast<double>(k + 1);
    m2 += d * (c - mean);
  }
  const double kk = static_cast<double>(k);
  const double lambda = mean - std::sqrt(std::max(1.0 / kk - m2 / kk, 0.0));  // λ_k = μ_k − √(1/k − σ_k²) (§8.7)
  const T lambda_t = static_cast<T>(lambda), zero = relu_zero(m);
  double s = 0.0;
  if (use_list) {
    // Entries outside the list have z ≤ −1 ≤ λ: p = relu(z − λ)² = +0 there.
    for (std::size_t i = 0; i < n; ++i) out[i] = zero;
    for (std::size_t j = 0; j < len; ++j) {
      const std::size_t i = listed[j];
      const T v = (x[i] - m) / 2 - lambda_t, r = v < zero ? zero : v;
      s += (out[i] = r * r);  // Σ in index order; adding the zeros would not change it (s + 0 = s exactly)
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const T v = (x[i] - m) / 2 - lambda_t, r = v < zero ? zero : v;  // std::max(v, 0.0)
      out[i] = r * r;  // no reduction in this loop, so it vectorises
    }
    // Σ in index order, skipping the zeros (s + 0 = s exactly): the same s as summing all n terms, without a
    // serial add per entry outside the (usually small) support.
    for (std::size_t i = 0; i < n; ++i)
      if (out[i] != 0.0) s += out[i];
  }
  const T inv = static_cast<T>(1.0 / s);  // s = 1 up to rounding; renormalise so that Σp = 1 to the last bits
  if (inv != T(1)) {  // (×1 changes nothing)
    if (use_list) {
      for (std::size_t j = 0; j < len; ++j) out[listed[j]] *= inv;  // the others are 0
    } else {
      for (std::size_t i = 0; i < n; ++i) out[i] *= inv;
    }
  }
  return lambda + static_cast<double>(m) / 2;
}
template double entmax15_into(const double*, std::size_t, double*, Workspace&);
template double entmax15_into(const float*, std::size_t, float*, Workspace&);

// ---- entmax-α, root search -----------------------------------------------------------------------------------

// For float rows: float storage, double arithmetic (y = x − max and t, G, p in double, p rounded once).
template <class T>
double entmax_bisect_into(const T* x, std::size_t n, double alpha, T* out, Workspace&) {
  if (!(alpha > 1) || std::isinf(alpha)) fail("entmax", "alpha", "be a finite number > 1 here", alpha);
  const double m = checked_max("entmax", x, n);
  const double beta = alpha - 1, inv_beta = 1.0 / beta;
  // p_i = φ(y_i − t), φ(u) = (1 + βu)_+^{1/β} = exp(log1p(βu)/β) → e^u as β → 0, y = x − max. This is §8.7's
  // relu^{1/β}(βx − λ) with λ = β(max + t) − 1, written so that α → 1 stays accurate. G(t) = Σφ(y_i − t)
  // falls from G(0) ≥ 1 (the max term is 1) to G(hi) ≤ 1 with hi = min(log n, 1/β) (each term ≤ e^{−t}).
  // Only 1 + βy > 0 can ever be non-zero (t ≥ 0): those are copied into `out` (no allocation).
  T* y = out;
  std::size_t len = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = x[i] - m;
    if (1.0 + beta * v > 0.0) y[len++] = static_cast<T>(v);  // (float: x − max rounded to float)
  }
  const auto phi = [&](double u) {
    const double b = beta * u;
    return b > -1.0 ? std::exp(std::log1p(b) * inv_beta) : 0.0;
  };
  double lo = 0.0, hi = std::min(std::log(static_cast<double>(len)), inv_beta), t = 0.0;
  double prev_f = kInf;
  bool newton_ok = true;
  for (int iter = 0; len > 1 && iter < 2000; ++iter) {
    double g = 0.0, dg = 0.0;
    std::size_t zeros = 0;
    for (std::size_t i = 0; i < len; ++i) {
      const double b = 1.0 + beta * (y[i] - t);
      if (b <= 0.0) {
        ++zeros;
        continue;
      }
      const double p = std::exp(std::log(b) * inv_beta);  // b ∈ (0, 1]; log, not log1p: b is already rounded
      g += p;
      dg += p / b;  // φ'(u) = φ(u)^{1−β}
    }
    const double f = g - 1.0;
    if (f == 0.0) break;
    if (f > 0) {
      lo = t;
      if (zeros > len / 4) {  // entries with 1 + β(y − lo) ≤ 0 stay at 0 for every t ≥ lo: drop them
        std::size_t j = 0;
        for (std::size_t i = 0; i < len; ++i)
          if (1.0 + beta * (y[i] - lo) > 0.0) y[j++] = y[i];
        len = j;
      }
    } else {
      hi = t;
    }
    // Newton step (G is convex for α ≤ 2, so from the left it never overshoots); bisect when it leaves the
    // bracket or stalls. Stop when the next iterate equals the current one or an end of the bracket:
    // the bracket cannot shrink further in double precision.
    double next = newton_ok && dg > 0 ? t + f / dg : lo + (hi - lo) / 2;
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    newton_ok = std::fabs(f) <= 0.5 * prev_f || iter < 2;
    prev_f = std::fabs(f);
    if (next == t || next <= lo || next >= hi) break;
    t = next;
  }
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += (out[i] = static_cast<T>(x[i] == -kInf ? 0.0 : phi(x[i] - m - t)));
  const T inv = static_cast<T>(1.0 / s);  // s = 1 to the accuracy of t; renormalise so that Σp = 1 to the last bits
  for (std::size_t i = 0; i < n; ++i) out[i] *= inv;
  return beta * (m + t) - 1.0;
}
template double entmax_bisect_into(const double*, std::size_t, double, double*, Workspace&);
template double entmax_bisect_into(const float*, std::size_t, double, float*, Workspace&);

namespace {
void check_alpha(double alpha) {
  if (std::isnan(alpha) || alpha < 1 || std::isinf(alpha))
    fail("entmax", "alpha", "be a finite number ≥ 1", alpha);
}
}  // namespace

template <class T>
double entmax_into(const T* x, std::size_t n, double alpha, T* out, Workspace& w) {
  check_alpha(alpha);
  if (alpha == 1.0) {
    softmax_into(x, n, 1.0, out);
    return logsumexp(x, n);
  }
  if (alpha == 2.0) return sparsemax_into(x, n, out, w);
  if (alpha == 1.5) return entmax15_into(x, n, out, w);
  return entmax_bisect_into(x, n, alpha, out, w);
}
template double entmax_into(const double*, std::size_t, double, double*, Workspace&);
template double entmax_into(const float*, std::size_t, double, float*, Workspace&);

template <class T>
void entmax_rows(const T* x, std::size_t size, double alpha, std::size_t cols, T* out, Workspace& w) {
  check_alpha(alpha);
  detail::rows_into("entmax", x, size, cols, out, [&](const T* r, std::size_t n, T* o) { entmax_into(r, n, alpha, o, w); });
}
template void entmax_rows(const double*, std::size_t, double, std::size_t, double*, Workspace&);
template void entmax_rows(const float*, std::size_t, double, std::size_t, float*, Workspace&);

std::vector<double> entmax(const std::vector<double>& x, double alpha, std::size_t cols) {
  Workspace w;
  std::vector<double> out(x.size());
  entmax_rows(x.data(), x.size(), alpha, cols, out.data(), w);
  return out;
}

}  // namespace probwasm::softmax
