// Jacobians and losses of post 8's maps, and the per-map property report the widget shows.
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/errors.hpp"
#include "softmax/internal.hpp"
#include "softmax/softmax.hpp"

namespace probwasm::softmax {
using detail::checked_max;
using detail::kInf;

namespace {

std::size_t checked_target(const char* fn, const std::vector<double>& x, int target) {
  if (x.empty()) fail(fn, "x", "be non-empty", "an empty array");
  if (target < 0 || static_cast<std::size_t>(target) >= x.size())
    fail(fn, "target", "be an index in [0, " + std::to_string(x.size() - 1) + "]", target);
  const auto t = static_cast<std::size_t>(target);
  if (!std::isfinite(x[t])) fail(fn, "x[target]", "be finite", x[t]);
  return t;
}

// log Σ_{i∈Ω} e^{z_i} − z_t for Ω = {i: keep(i)} ∋ argmax, as (m − z_t) + log1p(Σ_{i≠argmax} e^{z_i − m}):
// the log1p keeps full relative accuracy when the target dominates and the loss is tiny.
template <class Z, class Keep>
double log_partition_minus(std::size_t n, Z z, Keep keep, std::size_t t) {
  double m = -kInf;
  std::size_t am = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (keep(i) && z(i) > m) {
      m = z(i);
      am = i;
    }
  double rest = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    if (i != am && keep(i)) rest += std::exp(z(i) - m);
  return (m - z(t)) + std::log1p(rest);
}

void check_map(const char* fn, const std::string& map, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (map == a) return;
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "'" : ", '") + std::string(a) + "'";
  throw type_error(std::string(fn) + ": map must be one of " + list + ", got \"" + map + "\"");
}

// The maps name themselves in their messages ("softmax: x[0] must not be NaN, got NaN"); jacobian, loss and
// softmaxReport are the public functions the user called (with the map as an argument), so their messages
// start with that name: "jacobian: x[0] must not be NaN, got NaN". The rest keeps the "<param> must …, got
// <value>" form that readers (the widget's readerError) parse.
std::string as_public_message(const char* fn, const std::string& msg) {
  const std::string own = std::string(fn) + ": ";
  if (msg.rfind(own, 0) == 0) return msg;
  const std::size_t colon = msg.find(": ");
  return own + (colon == std::string::npos ? msg : msg.substr(colon + 2));
}

template <class F>
auto as_public(const char* fn, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const type_error& e) {
    throw type_error(as_public_message(fn, e.what()));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(as_public_message(fn, e.what()));
  }
}

}  // namespace

// Also hands back the map's p (when p_out is given), for the losses that need both.
static std::vector<double> jacobian_impl(const std::string& map, const std::vector<double>& x, const MapOptions& o,
                                         std::vector<double>* p_out = nullptr) {
  check_map("jacobian", map, {"softmax", "taylor", "sparse", "sparsemax", "entmax"});
  const std::size_t n = x.size();
  if (n == 0) fail("jacobian", "x", "be non-empty", "an empty array");
  std::vector<double> p(n), J(n * n, 0.0);
  Workspace w;
  if (map == "softmax" || map == "sparse") {
    // (diag p − p pᵀ)/τ (§8.1); for sparse softmax the same with p = 0 off Ω, so rows/columns off Ω vanish.
    double scale = 1.0;
    if (map == "softmax") {
      softmax_into(x.data(), n, o.temperature, p.data());
      scale = 1.0 / o.temperature;
    } else {
      sparse_softmax_into(x.data(), n, o.rule, p.data(), w);
    }
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        // an exact 0 stays 0 when 1/τ overflows (τ → 0: its true value ~ e^{−c/τ}/τ underflowed), not 0·∞ = NaN
        const double d = (i == j ? p[i] : 0.0) - p[i] * p[j];
        J[i * n + j] = d == 0 ? d : d * scale;
      }
  } else if (map == "taylor") {
    // p_i = f_k(x_i)/S, f_k' = f_{k−1}: ∂p_i/∂x_j = δ_ij f_{k−1}(x_i)/S − p_i f_{k−1}(x_j)/S (§8.3).
    std::vector<double> df(n);
    detail::taylor_values(x.data(), n, o.order, p.data(), df.data(), w);
    double S = 0.0;
    for (double v : p) S += v;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        J[i * n + j] = (i == j ? df[i] / S : 0.0) - (p[i] / S) * (df[j] / S);
    for (double& v : p) v *= 1.0 / S;  // f_k(x_i) → p_i, bit for bit what taylor_softmax_into returns
  } else {
    // entmax (Peters et al. 2019, Prop. 1): diag(s) − s sᵀ/Σs, s_i = p_i^{2−α} on the support; sparsemax is
    // α = 2 (s = 1 on Ω: δ_ij − 1/|Ω|, §8.6) and softmax α = 1 (s = p).
    const double alpha = map == "sparsemax" ? 2.0 : o.alpha;
    if (map == "sparsemax") sparsemax_into(x.data(), n, p.data(), w);
    else entmax_into(x.data(), n, alpha, p.data(), w);
    std::vector<double> s(n, 0.0);
    double ssum = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      if (p[i] > 0) ssum += (s[i] = alpha == 2.0 ? 1.0 : alpha == 1.0 ? p[i] : std::pow(p[i], 2.0 - alpha));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) J[i * n + j] = (i == j ? s[i] : 0.0) - s[i] * s[j] / ssum;
  }
  if (p_out) *p_out = std::move(p);
  return J;
}

static LossResult loss_impl(const std::string& map, const std::vector<double>& x, int target, const MapOptions& o) {
  check_map("loss", map, {"softmax", "am-softmax", "sparse", "sparsemax", "entmax"});
  const std::size_t n = x.size();
  const char* fn = "loss";
  std::string which = map;
  double alpha = o.alpha;
  if (map == "entmax") {
    if (std::isnan(alpha) || alpha < 1 || std::isinf(alpha)) fail("entmax", "alpha", "be a finite number ≥ 1", alpha);
    if (alpha == 1.0) which = "softmax";
    else if (alpha == 2.0) which = "sparsemax";
  }
  std::vector<double> p(n);
  Workspace w;
  LossResult r{0.0, {}};
  if (which == "softmax") {
    // Cross-entropy −log softmax(x/τ)_t, grad (p − e_t)/τ (§8.1).
    const double tau = map == "softmax" ? o.temperature : 1.0;
    softmax_into(x.data(), n, tau, p.data());
    const std::size_t t = checked_target(fn, x, target);
    // z_i = (x_i − max x)/τ: the same loss as x_i/τ (bit-identical at τ = 1) with one rounding less, and no ∞ − ∞
    // when 1/τ overflows (the τ → 0 limit: 0 for an argmax target, +∞ otherwise).
    double xmax = -kInf;
    for (std::size_t i = 0; i < n; ++i) xmax = std::max(xmax, x[i]);
    r.value = log_partition_minus(
        n, [&](std::size_t i) { return (x[i] - xmax) / tau; }, [&](std::size_t i) { return x[i] != -kInf; }, t);
    for (std::size_t i = 0; i < n; ++i) p[i] = (p[i] - (i == t ? 1.0 : 0.0)) / tau;
  } else if (which == "am-softmax") {
    // −log q_t, q = softmax(s(x − m e_t)), grad s(q − e_t) (§8.2).
    const std::size_t t = checked_target(fn, x, target);
    am_softmax_into(x.data(), n, t, o.margin, o.scale, p.data());
    r.value = log_partition_minus(
        n, [&](std::size_t i) { return o.scale * (i == t ? x[i] - o.margin : x[i]); },
        [&](std::size_t i) { return x[i] != -kInf; }, t);
    for (std::size_t i = 0; i < n; ++i) p[i] = o.scale * (p[i] - (i == t ? 1.0 : 0.0));
  } else if (which == "sparse") {
    // log Σ_{i∈Ω} e^{x_i} − x_t, grad p − e_t (§8.4); x_t need not be in Ω (the loss is then > 0).
    sparse_softmax_into(x.data(), n, o.rule, p.data(), w);
    const std::size_t t = checked_target(fn, x, target);
    // Ω is the set where the sparse softmax is non-zero, plus entries whose exponential underflowed:
    // those add less than one ulp, so using {p > 0} changes nothing.
    r.value = log_partition_minus(n, [&](std::size_t i) { return x[i]; }, [&](std::size_t i) { return p[i] > 0; }, t);
    if (p[t] == 0) r.value = std::max(r.value, 0.0);
    for (std::size_t i = 0; i < n; ++i) p[i] -= (i == t ? 1.0 : 0.0);
  } else if (which == "sparsemax") {
    // ½‖p − e_t‖² + relu(λ − x_t) (§8.6 rewritten: on Ω x_i = p_i + λ, so ½ − x_t + ½Σ_Ω(x_i² − λ²) equals it).
    const double lambda = sparsemax_into(x.data(), n, p.data(), w);
    const std::size_t t = checked_target(fn, x, target);
    double off = 0.0, sq = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      if (i != t) {
        off += p[i];
        sq += p[i] * p[i];
      }
    r.value = 0.5 * (sq + off * off) + std::max(lambda - x[t], 0.0);  // 1 − p_t = Σ_{i≠t} p_i, exactly
    for (std::size_t i = 0; i < n; ++i) p[i] -= (i == t ? 1.0 : 0.0);
  } else {
    // Fenchel–Young loss of the Tsallis-α regulariser (Blondel, Martins & Niculae 2020, §4; Peters et al. 2019):
    // L = ⟨p, x − x_t⟩ + H_α(p), H_α(p) = Σ p_i (1 − p_i^{α−1})/(α(α−1)); 1 − p^{α−1} = −expm1((α−1) log p)
    // stays accurate as α → 1. grad = p − e_t.
    entmax_into(x.data(), n, alpha, p.data(), w);
    const std::size_t t = checked_target(fn, x, target);
    double lin = 0.0, h = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (p[i] <= 0) continue;
      lin += p[i] * (x[i] - x[t]);
      h -= p[i] * std::expm1((alpha - 1) * std::log(p[i]));
    }
    r.value = lin + h / (alpha * (alpha - 1));
    for (std::size_t i = 0; i < n; ++i) p[i] -= (i == t ? 1.0 : 0.0);
  }
  r.grad = std::move(p);
  return r;
}

// ---- report ---------------------------------------------------------------------------------------------------
namespace {

// Evaluates the map into out; returns its threshold λ (sparsemax: p = relu(x − λ), §8.6; entmax:
// p = relu((α−1)x − λ)^{1/(α−1)}, §8.7, logsumexp(x) at α = 1) or NaN for the maps without one.
double evaluate(const std::string& map, const double* x, std::size_t n, const MapOptions& o, int target, int grid,
                double* out, Workspace& w) {
  const double none = std::numeric_limits<double>::quiet_NaN();
  if (map == "softmax") softmax_into(x, n, o.temperature, out);
  else if (map == "am-softmax") {
    if (target < 0 || static_cast<std::size_t>(target) >= n)
      fail("softmaxReport", "target", "be an index in [0, " + std::to_string(n - 1) + "]", target);
    am_softmax_into(x, n, static_cast<std::size_t>(target), o.margin, o.scale, out);
  } else if (map == "taylor") taylor_softmax_into(x, n, o.order, out, w);
  else if (map == "sparse") sparse_softmax_into(x, n, o.rule, out, w);
  else if (map == "perturb-gumbel") perturb_max_into(x, n, Noise::gumbel, grid, out, w);
  else if (map == "perturb-normal") perturb_max_into(x, n, Noise::normal, grid, out, w);
  else if (map == "sparsemax") return sparsemax_into(x, n, out, w);
  else return entmax_into(x, n, o.alpha, out, w);
  return none;
}

}  // namespace

// −p_t, −log((p_t + ε)/(1 + nε)) and the two stop-gradient surrogates (§8.1, §8.6, §8.7): see softmax.hpp.
static LossResult loss_kind_impl(const std::string& map, const std::vector<double>& x, int target, const MapOptions& o,
                                 const std::string& kind, double epsilon) {
  const char* fn = "loss";
  if (kind == "map" && map == "taylor")
    fail(fn, "map", "have a loss of its own for kind 'map' (Taylor softmax has the other kinds)", "'taylor'");
  if (kind == "map") return loss_impl(map, x, target, o);
  if (kind != "neg-p" && kind != "log-eps" && kind != "surrogate" && kind != "surrogate-post")
    throw type_error(std::string(fn) + ": kind must be one of 'map', 'neg-p', 'log-eps', 'surrogate', 'surrogate-post', got \"" +
                     kind + "\"");
  if (map == "am-softmax") fail(fn, "map", "have a Jacobian for kind '" + kind + "' (AM-softmax has only kind 'map')", "'am-softmax'");
  check_map(fn, map, {"softmax", "taylor", "sparse", "sparsemax", "entmax"});
  if (kind == "log-eps" && !(epsilon > 0 && std::isfinite(epsilon)))
    fail(fn, "epsilon", "be a positive finite number", epsilon);
  const std::size_t n = x.size();
  const std::size_t t = checked_target(fn, x, target);
  std::vector<double> p;
  const std::vector<double> J = jacobian_impl(map, x, o, &p);
  LossResult r{0.0, std::vector<double>(n, 0.0)};
  if (kind == "neg-p" || kind == "log-eps") {
    const double c = kind == "neg-p" ? 1.0 : 1.0 / (p[t] + epsilon);
    r.value = kind == "neg-p" ? -p[t] : std::log1p(static_cast<double>(n) * epsilon) - std::log(p[t] + epsilon);
    for (std::size_t j = 0; j < n; ++j) r.grad[j] = J[t * n + j] == 0 ? 0.0 : -c * J[t * n + j];
    return r;
  }
  // (p − e_t)·x over the non-zero coefficients only: an entry with p_i = 0 may be −∞ (0·∞ would be NaN).
  for (std::size_t i = 0; i < n; ++i) {
    const double g = p[i] - (i == t ? 1.0 : 0.0);
    if (g != 0) r.value += g * x[i];
  }
  if (kind == "surrogate") {
    for (std::size_t i = 0; i < n; ++i) r.grad[i] = p[i] - (i == t ? 1.0 : 0.0);
  } else {
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t i = 0; i < n; ++i)
        if (J[i * n + j] != 0) r.grad[j] += J[i * n + j] * x[i];
  }
  return r;
}

static MapReport report_impl(const std::string& map, const std::vector<double>& x, const MapOptions& o, int target, int grid) {
  check_map("softmaxReport", map,
            {"softmax", "am-softmax", "taylor", "sparse", "perturb-gumbel", "perturb-normal", "sparsemax", "entmax"});
  const std::size_t n = x.size();
  if (n == 0) fail("softmaxReport", "x", "be non-empty", "an empty array");
  Workspace w;
  MapReport r;
  r.p.assign(n, 0.0);
  r.threshold = evaluate(map, x.data(), n, o, target, grid, r.p.data(), w);
  const std::vector<double>& p = r.p;
  r.support = 0;
  r.entropy = 0.0;
  double sum_squares = 0.0;
  for (double v : p) {
    if (v > 0) {
      ++r.support;
      r.entropy -= v * std::log(v);
    }
    sum_squares += v * v;
  }
  r.gini = 1.0 - sum_squares;
  r.half_jacobian_l1 = std::numeric_limits<double>::quiet_NaN();
  if (map == "softmax" || map == "taylor" || map == "sparse" || map == "sparsemax" || map == "entmax") {
    double s = 0.0;
    for (double v : jacobian_impl(map, x, o)) s += std::fabs(v);
    r.half_jacobian_l1 = 0.5 * s;
  }
  // Monotonicity of this output, in the order of the logits, with exact comparisons: strict when x_i > x_j ⇒
  // p_i > p_j and ties keep equal outputs; weak when only p_i ≥ p_j (e.g. two zeros). A tolerance would call
  // strictly decreasing tails (p ≈ e^−40) "weak".
  bool strict = true, weak = true;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (x[i] > x[j]) {
        if (p[i] < p[j]) weak = false;
        if (!(p[i] > p[j])) strict = false;
      } else if (x[i] == x[j] && p[i] != p[j]) {
        strict = false;
      }
    }
  r.monotone = strict ? 2 : weak ? 1 : 0;
  // Shift invariance and permutation equivariance, measured by evaluating the map again.
  std::vector<double> y(n), q(n);
  r.shift_invariant = true;
  for (double c : {-2.5, 4.0}) {
    for (std::size_t i = 0; i < n; ++i) y[i] = x[i] + c;
    evaluate(map, y.data(), n, o, target, grid, q.data(), w);
    for (std::size_t i = 0; i < n; ++i)
      if (std::fabs(q[i] - p[i]) > 1e-9) r.shift_invariant = false;
  }
  for (std::size_t i = 0; i < n; ++i) y[i] = x[n - 1 - i];
  evaluate(map, y.data(), n, o, static_cast<int>(n) - 1 - target, grid, q.data(), w);
  r.equivariant = true;
  for (std::size_t i = 0; i < n; ++i)
    if (std::fabs(q[n - 1 - i] - p[i]) > 1e-9) r.equivariant = false;
  return r;
}

std::vector<double> jacobian(const std::string& map, const std::vector<double>& x, const MapOptions& o) {
  return as_public("jacobian", [&] { return jacobian_impl(map, x, o); });
}
LossResult loss(const std::string& map, const std::vector<double>& x, int target, const MapOptions& o) {
  return as_public("loss", [&] { return loss_impl(map, x, target, o); });
}
LossResult loss(const std::string& map, const std::vector<double>& x, int target, const MapOptions& o,
                const std::string& kind, double epsilon) {
  return as_public("loss", [&] { return loss_kind_impl(map, x, target, o, kind, epsilon); });
}
MapReport report(const std::string& map, const std::vector<double>& x, const MapOptions& o, int target, int grid) {
  return as_public("softmaxReport", [&] { return report_impl(map, x, o, target, grid); });
}

}  // namespace probwasm::softmax
