// Post 1 §1.4: WoBERT's speed-up over BERT (1.16×/1.22×/1.28× at 128/256/512 characters) set against
// a per-layer Transformer cost a·L·d² + b·L²·d.
#include <cmath>

#include "common/errors.hpp"
#include "wobert/wobert.hpp"

namespace probwasm::wobert {

namespace {
void positive(const char* fn, const char* name, double v) {
  require(std::isfinite(v) && v > 0, fn, name, "be finite and > 0", v);
}

// Golden-section minimisation of a unimodal f on [lo, hi].
template <class F>
double golden(F f, double lo, double hi, int iters) {
  const double g = (std::sqrt(5.0) - 1) / 2;
  double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo), f1 = f(x1), f2 = f(x2);
  for (int i = 0; i < iters; ++i) {
    if (f1 < f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = f(x1); }
    else { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = f(x2); }
  }
  return (lo + hi) / 2;
}

// A grid of n points brackets the global minimum of a function that is not known to be unimodal;
// golden section then refines inside the best bracket.
template <class F>
double minimize(F f, double lo, double hi, int n) {
  const double h = (hi - lo) / n;
  int best = 0;
  double fb = f(lo);
  for (int i = 1; i <= n; ++i) {
    const double v = f(lo + i * h);
    if (v < fb) { fb = v; best = i; }
  }
  return golden(f, lo + std::max(best - 1, 0) * h, lo + std::min(best + 1, n) * h, 100);
}
}  // namespace

// Projections Q,K,V,O (4·L·d² multiply-adds) + FFN d→4d→d (8·L·d²) give a = 24 FLOPs; scores QKᵀ and
// the weighted sum of V (2·L²·d multiply-adds) give b = 4.
double transformer_cost(double length, double d, double a, double b) {
  require(std::isfinite(length) && length >= 0, "transformerCost", "length", "be finite and >= 0", length);
  positive("transformerCost", "d", d);
  require(std::isfinite(a) && a >= 0, "transformerCost", "a", "be finite and >= 0", a);
  require(std::isfinite(b) && b >= 0, "transformerCost", "b", "be finite and >= 0", b);
  require(a + b > 0, "transformerCost", "a + b", "be > 0", a + b);
  // a zero coefficient contributes 0 even where its product of sizes overflows (0·∞ would be NaN)
  const double cost = (a == 0 ? 0 : a * length * d * d) + (b == 0 ? 0 : b * length * length * d);
  require(std::isfinite(cost), "transformerCost", "a·L·d² + b·L²·d", "be at most 1.8e308 (the double range)", cost);
  return cost;
}

// S = cost(L)/cost(rL) = (a·d + b·L) / (r·(a·d + b·r·L)). Where a·d + b·L overflows (L = 1e308 gave NaN),
// the same S from the attention share w = b·L/(a·d + b·L) = 1/(1 + e^{log a + log d - log b - log L}):
// S = 1/(r·((1 - w) + r·w)), which over- or underflows only when S itself is outside the double range.
double speedup(double length, double ratio, double d, double a, double b, const char* fn) {
  positive(fn, "length", length);
  positive(fn, "ratio", ratio);
  positive(fn, "d", d);
  require(std::isfinite(a) && a >= 0, fn, "a", "be finite and >= 0", a);
  require(std::isfinite(b) && b >= 0, fn, "b", "be finite and >= 0", b);
  require(a + b > 0, fn, "a + b", "be > 0", a + b);
  const double num = a * d + b * length, den = ratio * (a * d + b * ratio * length);
  if (std::isfinite(num) && std::isfinite(den) && num > 0 && den > 0) return num / den;
  const double w = 1 / (1 + std::exp(std::log(a) + std::log(d) - std::log(b) - std::log(length)));
  return 1 / (ratio * ((1 - w) + ratio * w));
}

// Nested 1-D minimisations: the outer over log κ ∈ [log 1e-9, log 1], the inner over r ∈ (0, 2].
SpeedupFit fit_speedup(const std::vector<double>& L, const std::vector<double>& S) {
  const char* fn = "wobertFitSpeedup";
  require(L.size() == S.size(), fn, "speedups.length", "equal lengths.length = " + std::to_string(L.size()), S.size());
  require(L.size() >= 2, fn, "lengths.length", "be >= 2", L.size());
  for (std::size_t i = 0; i < L.size(); ++i) {
    require(std::isfinite(L[i]) && L[i] > 0, fn, indexed("lengths", i), "be finite and > 0", L[i]);
    require(std::isfinite(S[i]) && S[i] > 0, fn, indexed("speedups", i), "be finite and > 0", S[i]);
  }
  auto sse = [&](double r, double k) {
    double s = 0;
    for (std::size_t i = 0; i < L.size(); ++i) {
      const double e = (1 + k * L[i]) / (r * (1 + k * r * L[i])) - S[i];
      s += e * e;
    }
    return s;
  };
  auto best_r = [&](double k) { return minimize([&](double r) { return sse(r, k); }, 1e-6, 2.0, 64); };
  const double logk = minimize([&](double lk) { return sse(best_r(std::exp(lk)), std::exp(lk)); }, std::log(1e-9), 0.0, 128);
  const double k = std::exp(logk), r = best_r(k);
  return {r, k, std::sqrt(sse(r, k) / static_cast<double>(L.size()))};
}

}  // namespace probwasm::wobert
