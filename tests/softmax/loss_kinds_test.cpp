// The other losses of post 8 (−p_t, −log((p_t + ε)/(1 + nε)), the stop-gradient surrogate and the post's slip):
// gradients against finite differences, closed forms for softmax, limits, and the identity that ties the two
// surrogates together.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "numeric_test.hpp"
#include "softmax/softmax.hpp"

using namespace probwasm::softmax;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {
const std::vector<double> kPost{1.0, 0.5, 0.2, -0.3, -1.0};
const char* const kMaps[] = {"softmax", "taylor", "sparse", "sparsemax", "entmax"};

// Central differences, h = 1e-6: truncation h²/6·|L'''| ≲ 1e-12 and rounding ≈ eps·|L|/h ≲ 1e-9 for these
// O(1) values, so 1e-8 leaves a margin (the points below sit away from support changes).
constexpr double kH = 1e-6, kFd = 1e-8;

std::vector<double> fd_value_grad(const std::string& map, std::vector<double> x, int t, const MapOptions& o,
                                  const std::string& kind, double e) {
  std::vector<double> g(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    const double x0 = x[j];
    x[j] = x0 + kH;
    const double a = loss(map, x, t, o, kind, e).value;
    x[j] = x0 - kH;
    const double b = loss(map, x, t, o, kind, e).value;
    x[j] = x0;
    g[j] = (a - b) / (2 * kH);
  }
  return g;
}

MapOptions options() {
  MapOptions o;
  o.temperature = 0.7;
  o.order = 4;
  o.rule = SparseRule::top_k(3);
  return o;
}
}  // namespace

TEST_CASE("−p_t and −log((p_t + ε)/(1 + nε)): gradients match finite differences of the value for every map") {
  const std::vector<double> x{0.9, 0.4, -0.2, 0.7, -1.1};
  MapOptions o = options();
  for (const char* map : kMaps)
    for (int t : {0, 2, 3})
      for (const char* kind : {"neg-p", "log-eps"})
        for (double alpha : {1.5, 1.3, 3.0}) {
          if (std::string(map) != "entmax" && alpha != 1.5) continue;
          if (std::string(map) == "sparse" && t == 2) continue;  // 2 ∉ Ω (top-3): checked below
          o.alpha = alpha;
          CAPTURE(map);
          CAPTURE(t);
          CAPTURE(kind);
          CAPTURE(alpha);
          const auto r = loss(map, x, t, o, kind, 0.05);
          PW_CHECK_VEC_ABS(r.grad, fd_value_grad(map, x, t, o, kind, 0.05), kFd);
        }
}

TEST_CASE("softmax closed forms: −p_t has grad −p_t(e_t − p); log-eps → cross-entropy as ε → 0") {
  const auto p = softmax(kPost);
  for (int t = 0; t < 5; ++t) {
    const auto r = loss("softmax", kPost, t, {}, "neg-p", 0.0);
    CHECK(r.value == -p[t]);
    for (std::size_t j = 0; j < 5; ++j) CHECK(close_rel(r.grad[j], -p[t] * ((j == std::size_t(t)) - p[j]), 4 * eps));
    // −log((p_t + ε)/(1 + nε)) − (−log p_t) = log1p(nε) − log1p(ε/p_t) = ε(n − 1/p_t) + O(ε²): at ε = 1e-12
    // within ε(n + 1/p_t) plus the rounding of the O(1) values.
    const double e = 1e-12, ce = loss("softmax", kPost, t, {}).value;
    CHECK(std::fabs(loss("softmax", kPost, t, {}, "log-eps", e).value - ce) <= e * (5 + 1 / p[t]) + 8 * eps);
    // Its gradient −J_t·/(p_t + ε) = (p − e_t)·p_t/(p_t + ε) → p − e_t, the cross-entropy gradient, within ε/p_t.
    PW_CHECK_VEC_ABS(loss("softmax", kPost, t, {}, "log-eps", e).grad, loss("softmax", kPost, t, {}).grad,
                     e / p[t] + 8 * eps);
  }
  // At perfect one-hot log-eps is exactly 0 (its minimum): p_t = 1 gives −log((1 + ε)/(1 + nε)) with n = 1.
  CHECK(loss("softmax", {3.0}, 0, {}, "log-eps", 0.25).value == 0.0);
}

TEST_CASE("outside a sparse map's support −p_t and log-eps have zero gradient: the vanishing the post warns about") {
  // sparsemax(kPost) = [0.75, 0.25, 0, 0, 0]; the target 4 gets p_t = 0 and an all-zero Jacobian row.
  const double e = 0.01;
  const auto r = loss("sparsemax", kPost, 4, {}, "log-eps", e);
  CHECK(close_rel(r.value, std::log1p(5 * e) - std::log(e), 2 * eps));
  for (double g : r.grad) CHECK(g == 0.0);
  for (double g : loss("sparsemax", kPost, 4, {}, "neg-p", 0).grad) CHECK(g == 0.0);
  // while the sparsemax loss still pushes: grad p − e_t = [0.75, 0.25, 0, 0, −1]
  CHECK(loss("sparsemax", kPost, 4, {}).grad[4] == -1.0);
}

TEST_CASE("surrogates: sg(p − e_t)·x has grad p − e_t; the post's (p − e_t)·sg(x) has grad Jᵀx instead") {
  const std::vector<double> x{0.9, 0.4, -0.2, 0.7, -1.1};
  MapOptions o = options();
  for (const char* map : kMaps)
    for (int t : {0, 1, 4}) {
      if (std::string(map) == "sparse" && t == 4) continue;
      CAPTURE(map);
      CAPTURE(t);
      const auto fixed = loss(map, x, t, o, "surrogate", 0);
      const auto slip = loss(map, x, t, o, "surrogate-post", 0);
      CHECK(fixed.value == slip.value);  // the same number; sg only changes the gradient
      // The corrected surrogate's gradient is the map's own p − e_t (the entmax/sparsemax loss gradient).
      std::vector<double> p;
      if (std::string(map) == "softmax") p = softmax(x, o.temperature);
      else if (std::string(map) == "taylor") p = taylor_softmax(x, o.order);
      else if (std::string(map) == "sparse") p = sparse_softmax(x, o.rule);
      else if (std::string(map) == "sparsemax") p = sparsemax(x);
      else p = entmax(x, o.alpha);
      for (std::size_t i = 0; i < x.size(); ++i) CHECK(fixed.grad[i] == p[i] - (i == std::size_t(t)));
      // Product rule: d/dx[(p − e_t)·x] = (p − e_t) + Jᵀx, so the two gradients add up to the value's derivative.
      const auto fd = fd_value_grad(map, x, t, o, "surrogate", 0);
      for (std::size_t j = 0; j < x.size(); ++j) CHECK(std::fabs(fixed.grad[j] + slip.grad[j] - fd[j]) <= kFd);
    }
}

TEST_CASE("the post's slip points the wrong way: softmax, argmax target, grad_t = p_t(x_t − p·x) > 0") {
  const auto p = softmax(kPost);
  double px = 0;
  for (std::size_t i = 0; i < 5; ++i) px += p[i] * kPost[i];
  const auto slip = loss("softmax", kPost, 0, {}, "surrogate-post", 0);
  for (std::size_t j = 0; j < 5; ++j) CHECK(close_rel(slip.grad[j], p[j] * (kPost[j] - px), 16 * eps));
  CHECK(slip.grad[0] > 0);  // a descent step lowers the target's logit
  CHECK(loss("softmax", kPost, 0, {}, "surrogate", 0).grad[0] < 0);  // the corrected one raises it
}

TEST_CASE("loss kinds: −∞ logits off the support, and named errors") {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> masked{1.0, -inf, 0.0};
  for (const char* kind : {"neg-p", "log-eps", "surrogate", "surrogate-post"}) {
    const auto r = loss("softmax", masked, 0, {}, kind, 0.1);
    CHECK(std::isfinite(r.value));
    for (double g : r.grad) CHECK(std::isfinite(g));
    CHECK(r.grad[1] == 0.0);
  }
  CHECK_THROWS_WITH_AS(loss("softmax", kPost, 0, {}, "hinge", 0), doctest::Contains("loss: kind must be one of"),
                       probwasm::type_error);
  CHECK_THROWS_WITH_AS(loss("am-softmax", kPost, 0, {}, "neg-p", 0), doctest::Contains("loss: map must have a Jacobian"),
                       std::invalid_argument);
  CHECK_THROWS_AS(loss("perturb", kPost, 0, {}, "neg-p", 0), probwasm::type_error);
  for (double e : {0.0, -1.0, inf, std::nan("")})
    CHECK_THROWS_WITH_AS(loss("softmax", kPost, 0, {}, "log-eps", e), doctest::Contains("loss: epsilon must be"),
                         std::invalid_argument);
  CHECK_THROWS_WITH_AS(loss("softmax", kPost, 5, {}, "neg-p", 0), doctest::Contains("loss: target must be"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(loss("entmax", {1.0, std::nan("")}, 0, {}, "surrogate", 0), doctest::Contains("loss: x[1]"),
                       std::invalid_argument);
  // kind 'map' is the map's own loss, bit for bit
  CHECK(loss("entmax", kPost, 2, {}, "map", 0).value == loss("entmax", kPost, 2, {}).value);
}
