// Jacobians and losses of post 8 against central finite differences, closed forms and the §8.9 values;
// and the property report the widget shows.
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "common/errors.hpp"
#include "numeric_test.hpp"
#include "softmax/softmax.hpp"

using namespace probwasm::softmax;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {
const double inf = std::numeric_limits<double>::infinity();
const std::vector<double> kPost{1.0, 0.5, 0.2, -0.3, -1.0};

std::vector<double> apply(const std::string& map, const std::vector<double>& x, const MapOptions& o) {
  if (map == "softmax") return softmax(x, o.temperature);
  if (map == "taylor") return taylor_softmax(x, o.order);
  if (map == "sparse") return sparse_softmax(x, o.rule);
  if (map == "sparsemax") return sparsemax(x);
  return entmax(x, o.alpha);
}

// Central differences with h = 1e-6: truncation h²/6·|p'''| ≲ 1e-12, rounding ≈ eps/h ≈ 2e-10, so 1e-8
// leaves a margin of 50 for the maps' third derivatives at these points (all away from support changes).
constexpr double kH = 1e-6, kFd = 1e-8;

std::vector<double> fd_jacobian(const std::string& map, std::vector<double> x, const MapOptions& o) {
  const std::size_t n = x.size();
  std::vector<double> J(n * n);
  for (std::size_t j = 0; j < n; ++j) {
    const double x0 = x[j];
    x[j] = x0 + kH;
    const auto a = apply(map, x, o);
    x[j] = x0 - kH;
    const auto b = apply(map, x, o);
    x[j] = x0;
    for (std::size_t i = 0; i < n; ++i) J[i * n + j] = (a[i] - b[i]) / (2 * kH);
  }
  return J;
}

std::vector<double> fd_grad(const std::string& map, std::vector<double> x, int t, const MapOptions& o) {
  std::vector<double> g(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    const double x0 = x[j];
    x[j] = x0 + kH;
    const double a = loss(map, x, t, o).value;
    x[j] = x0 - kH;
    const double b = loss(map, x, t, o).value;
    x[j] = x0;
    g[j] = (a - b) / (2 * kH);
  }
  return g;
}
}  // namespace

TEST_CASE("every Jacobian matches central finite differences, and its columns sum to 0") {
  const std::vector<double> x{1.3, 0.4, -0.2, 0.9, -1.7, 0.05};
  MapOptions o;
  o.temperature = 0.8;
  o.order = 4;
  o.rule = SparseRule::top_k(3);
  for (const char* map : {"softmax", "taylor", "sparse", "sparsemax", "entmax"}) {
    for (double alpha : {1.5, 1.2, 2.6}) {
      if (std::string(map) != "entmax" && alpha != 1.5) continue;
      o.alpha = alpha;
      CAPTURE(map);
      CAPTURE(alpha);
      const auto J = jacobian(map, x, o);
      PW_CHECK_VEC_ABS(J, fd_jacobian(map, x, o), kFd);
      for (std::size_t j = 0; j < x.size(); ++j) {
        double s = 0;
        for (std::size_t i = 0; i < x.size(); ++i) s += J[i * x.size() + j];
        CHECK(std::fabs(s) <= 16 * eps);  // Σ_i p_i = 1 for every x
      }
    }
  }
}

TEST_CASE("softmax Jacobian: ½‖J‖₁ = 1 − Σp² (§8.1), 0.7261319482 at the post's vector") {
  const auto J = jacobian("softmax", kPost, {});
  double l1 = 0;
  for (double v : J) l1 += std::fabs(v);
  const auto p = softmax(kPost);
  double sq = 0;
  for (double v : p) sq += v * v;
  CHECK(close_rel(l1 / 2, 1 - sq, 8 * eps));
  CHECK(l1 / 2 == doctest::Approx(0.7261319482).epsilon(1e-9));
  // Near one-hot the Jacobian vanishes (the post's warning about initialisation).
  double small = 0;
  for (double v : jacobian("softmax", {30.0, 0.0, 0.0}, {})) small += std::fabs(v);
  CHECK(small < 1e-12);
}

TEST_CASE("sparsemax Jacobian is δ_ij − 1/|Ω| on the support, 0 elsewhere (§8.6)") {
  const auto J = jacobian("sparsemax", kPost, {});  // Ω = {0, 1}
  const std::vector<double> expect{0.5, -0.5, 0, 0, 0, -0.5, 0.5, 0, 0, 0};
  PW_CHECK_VEC_REL(std::vector<double>(J.begin(), J.begin() + 10), expect, 0);
  for (std::size_t i = 10; i < 25; ++i) CHECK(J[i] == 0.0);
  // entmax at α = 1 is the softmax Jacobian; at α = 2 the sparsemax one.
  MapOptions o;
  o.alpha = 1.0;
  PW_CHECK_VEC_ABS(jacobian("entmax", kPost, o), jacobian("softmax", kPost, {}), 4 * eps);
  o.alpha = 2.0;
  PW_CHECK_VEC_ABS(jacobian("entmax", kPost, o), J, 0);
  CHECK_THROWS_AS(jacobian("perturb", kPost, {}), probwasm::type_error);
  CHECK_THROWS_AS(jacobian("softmax", {}, {}), std::invalid_argument);
}

TEST_CASE("every loss gradient matches central finite differences of its value") {
  const std::vector<double> x{0.9, 0.4, -0.2, 0.7, -1.1};
  MapOptions o;
  o.temperature = 0.7;
  o.rule = SparseRule::top_k(3);
  o.margin = 0.2;
  o.scale = 4.0;
  for (const char* map : {"softmax", "am-softmax", "sparse", "sparsemax", "entmax"}) {
    for (int t : {0, 2, 4}) {
      for (double alpha : {1.5, 1.3, 3.0}) {
        if (std::string(map) != "entmax" && alpha != 1.5) continue;
        if (std::string(map) == "sparse" && t == 4) continue;  // 4 ∉ Ω: fine, but check inside Ω here
        o.alpha = alpha;
        CAPTURE(map);
        CAPTURE(t);
        CAPTURE(alpha);
        const auto r = loss(map, x, t, o);
        PW_CHECK_VEC_ABS(r.grad, fd_grad(map, x, t, o), kFd);
        CHECK(r.value >= 0);
      }
    }
  }
}

TEST_CASE("loss values: cross-entropy, AM-softmax and sparse closed forms") {
  long double z = 0;
  for (double v : kPost) z += std::exp(static_cast<long double>(v));
  for (int t = 0; t < 5; ++t) {
    const double ce = static_cast<double>(std::log(z) - kPost[t]);
    CHECK(close_rel(loss("softmax", kPost, t, {}).value, ce, 4 * eps));
  }
  // A nearly certain prediction: −log p_t ≈ Σ_{j≠t} e^{x_j − x_t} = 2e^{-40}, far below eps.
  CHECK(close_rel(loss("softmax", {40.0, 0.0, 0.0}, 0, {}).value, 2 * std::exp(-40.0), 4 * eps));
  // AM-softmax, cosines [0.8, 0.6, −0.2], t = 0, m = 0.35, s = 30: −log e^{13.5}/(e^{13.5} + e^{18} + e^{−6}).
  MapOptions o;
  const long double am = std::log(std::exp(13.5L) + std::exp(18.0L) + std::exp(-6.0L)) - 13.5L;
  CHECK(close_rel(loss("am-softmax", {0.8, 0.6, -0.2}, 0, o).value, static_cast<double>(am), 4 * eps));
  o.margin = 0;
  o.scale = 1;
  CHECK(close_rel(loss("am-softmax", kPost, 2, o).value, loss("softmax", kPost, 2, {}).value, 4 * eps));
  // Sparse top-2: log(e + e^{0.5}) − x_t, also when t is outside Ω.
  o.rule = SparseRule::top_k(2);
  const double lz = static_cast<double>(std::log(std::exp(1.0L) + std::exp(0.5L)));
  CHECK(close_rel(loss("sparse", kPost, 1, o).value, lz - 0.5, 4 * eps));
  CHECK(close_rel(loss("sparse", kPost, 4, o).value, lz + 1.0, 4 * eps));
  CHECK(loss("sparse", kPost, 4, o).grad[4] == -1.0);
}

TEST_CASE("sparsemax loss: the post's values and formula; entmax Fenchel–Young loss limits") {
  CHECK(close_rel(loss("sparsemax", kPost, 0, {}).value, 0.0625, 2 * eps));
  CHECK(close_rel(loss("sparsemax", kPost, 4, {}).value, 2.0625, 2 * eps));
  CHECK(loss("sparsemax", {3.0, 1.0, 0.0}, 0, {}).value == 0.0);
  // The post's form ½ − x_t + ½Σ_Ω(x_i² − λ²) on random inputs (moderate sizes: its cancellation is mild).
  std::mt19937_64 rng(17);
  std::normal_distribution<double> g(0, 1);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<double> x(8);
    for (auto& v : x) v = g(rng);
    Workspace w;
    std::vector<double> p(8);
    const double lambda = sparsemax_into(x.data(), 8, p.data(), w);
    const int t = trial % 8;
    double post = 0.5 - x[t];
    for (std::size_t i = 0; i < 8; ++i)
      if (p[i] > 0) post += 0.5 * (x[i] * x[i] - lambda * lambda);
    CHECK(std::fabs(loss("sparsemax", x, t, {}).value - post) <= 64 * eps);
  }
  // Entmax FY: α = 2 is the sparsemax loss, α = 1 the cross-entropy, α → 1 approaches it, and a perfect
  // one-hot prediction costs 0.
  MapOptions o;
  o.alpha = 2.0;
  CHECK(loss("entmax", kPost, 1, o).value == loss("sparsemax", kPost, 1, {}).value);
  o.alpha = 1.0;
  CHECK(loss("entmax", kPost, 1, o).value == loss("softmax", kPost, 1, {}).value);
  o.alpha = 1.0 + 1e-7;
  CHECK(std::fabs(loss("entmax", kPost, 1, o).value - loss("softmax", kPost, 1, {}).value) <= 1e-6);
  o.alpha = 1.5;
  CHECK(loss("entmax", {3.0, 1.0, 0.0}, 0, o).value == 0.0);
  // Tsallis-1.5 at the post's vector, t = 0, from the §8.9 probabilities: Σp(x − x_0) + Σ(p − p^{1.5})/0.75.
  const std::vector<double> p{0.586572, 0.266132, 0.133868, 0.013428, 0};
  double ref = 0;
  for (std::size_t i = 0; i < 5; ++i) ref += p[i] * (kPost[i] - 1.0) + (p[i] - std::pow(p[i], 1.5)) / 0.75;
  CHECK(loss("entmax", kPost, 0, o).value == doctest::Approx(ref).epsilon(1e-5));
}

TEST_CASE("losses reject a bad target, a masked target, unknown maps and bad options") {
  CHECK_THROWS_WITH_AS(loss("softmax", kPost, 5, {}), "loss: target must be an index in [0, 4], got 5", std::invalid_argument);
  CHECK_THROWS_AS(loss("softmax", kPost, -1, {}), std::invalid_argument);
  CHECK_THROWS_AS(loss("sparsemax", {1.0, -inf}, 1, {}), std::invalid_argument);
  CHECK_THROWS_AS(loss("taylor", kPost, 0, {}), probwasm::type_error);
  MapOptions o;
  o.alpha = 0.9;
  CHECK_THROWS_AS(loss("entmax", kPost, 0, o), std::invalid_argument);
  o.scale = -1;
  CHECK_THROWS_AS(loss("am-softmax", kPost, 0, o), std::invalid_argument);
  CHECK_THROWS_AS(loss("sparse", kPost, 0, {}), std::invalid_argument);  // neither k nor p
  // A masked non-target logit is fine: it gets no probability and no gradient.
  const auto r = loss("softmax", {1.0, -inf, 0.0}, 0, {});
  CHECK(r.grad[1] == 0.0);
  CHECK(close_rel(r.value, std::log1p(std::exp(-1.0)), 4 * eps));
}

TEST_CASE("the report measures support, entropy, ½‖J‖₁, monotonicity and invariance by re-evaluating") {
  MapOptions o;
  auto r = report("softmax", kPost, o);
  CHECK(r.support == 5);
  CHECK(r.monotone == 2);
  CHECK(r.shift_invariant);
  CHECK(r.equivariant);
  CHECK(close_rel(r.half_jacobian_l1, r.gini, 8 * eps));
  double h = 0;
  for (double v : softmax(kPost)) h -= v * std::log(v);
  CHECK(close_rel(r.entropy, h, 8 * eps));
  // Taylor, k = 2, logits below −1: not monotone, not shift-invariant (§8.3).
  r = report("taylor", {-3.0, -1.0, 0.5}, o);
  CHECK(r.monotone == 0);
  CHECK_FALSE(r.shift_invariant);
  CHECK(r.equivariant);
  // Sparsemax: weakly monotone (zeros tie), shift-invariant, support 2.
  r = report("sparsemax", kPost, o);
  CHECK(r.monotone == 1);
  CHECK(r.shift_invariant);
  CHECK(r.support == 2);
  CHECK(close_rel(r.half_jacobian_l1, 1.0, 4 * eps));  // ½Σ|δ_ij − ½| over a 2×2 block = ½·4·½
  // Top-k with a tie at the cut: the lower index wins, so reversing the input changes the answer.
  o.rule = SparseRule::top_k(1);
  r = report("sparse", {2.0, 2.0, 0.0}, o);
  CHECK_FALSE(r.equivariant);
  CHECK(r.monotone == 1);
  // Perturb-max (both noises): monotone and shift-invariant; no Jacobian here.
  r = report("perturb-normal", kPost, o, 0, 1024);
  CHECK(r.monotone == 2);
  CHECK(r.shift_invariant);
  CHECK(std::isnan(r.half_jacobian_l1));
  // AM-softmax with a large margin on a leading target: the target drops below a smaller logit.
  o.margin = 0.35;
  o.scale = 30;
  r = report("am-softmax", {0.8, 0.7, 0.1}, o, 0);
  CHECK(r.monotone == 0);
  CHECK(r.shift_invariant);
  CHECK_THROWS_AS(report("nope", kPost, o), probwasm::type_error);
}

TEST_CASE("monotonicity compares outputs exactly: a strictly decreasing tail far below max p is strict, not weak") {
  // p ∝ e^{0}, e^{−40}, e^{−41}: the last two differ by ~2.6e-18, far below 1e-12·max p, yet p_1 > p_2 exactly.
  MapOptions o;
  const auto r = report("softmax", {0.0, -40.0, -41.0}, o);
  REQUIRE(r.p[1] > r.p[2]);
  CHECK(r.monotone == 2);
  // Equal logits keep equal outputs (strict); zeros in sparsemax's tail tie (weak).
  CHECK(report("softmax", {1.0, 1.0, -50.0}, o).monotone == 2);
  CHECK(report("sparsemax", {0.0, -40.0, -41.0}, o).monotone == 1);
}

TEST_CASE("jacobian, loss and softmaxReport name themselves, not the map that rejected the input") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(jacobian("softmax", {nan, 1.0}, {}), "jacobian: x[0] must not be NaN, got NaN", std::invalid_argument);
  MapOptions o;
  o.temperature = -1;
  CHECK_THROWS_WITH_AS(report("softmax", kPost, o), "softmaxReport: temperature must be a positive finite number, got -1",
                       std::invalid_argument);
  o = {};
  o.alpha = 0.5;
  CHECK_THROWS_WITH_AS(loss("entmax", kPost, 0, o), "loss: alpha must be a finite number ≥ 1, got 0.5", std::invalid_argument);
  // messages already in the public name are kept as they are, and the kind (TypeError/RangeError) is kept
  CHECK_THROWS_WITH_AS(loss("softmax", kPost, 5, {}), "loss: target must be an index in [0, 4], got 5", std::invalid_argument);
  CHECK_THROWS_AS(loss("taylor", kPost, 0, {}), probwasm::type_error);
}

TEST_CASE("softmax's jacobian and loss at a temperature whose 1/τ overflows are the τ → 0 limits, not NaN") {
  MapOptions o;
  o.temperature = 5e-324;  // 1/τ = +∞ in double
  const std::vector<double> x{1.0, 2.0, 0.5};
  for (double v : jacobian("softmax", x, o)) CHECK(v == 0.0);  // p one-hot: every p_i(δ_ij − p_j) is exactly 0
  CHECK(loss("softmax", x, 1, o).value == 0.0);                  // the argmax target: −log 1
  CHECK(loss("softmax", x, 0, o).value == std::numeric_limits<double>::infinity());  // (2 − 1)/τ overflows
  o.temperature = 0.5;  // an ordinary τ: CE = log Σ e^{x_i/τ} − x_t/τ, by hand: log(e^2 + e^4 + e^1) − 2
  CHECK(loss("softmax", x, 0, o).value == doctest::Approx(std::log(std::exp(2.0) + std::exp(4.0) + std::exp(1.0)) - 2.0).epsilon(4e-16));
}
