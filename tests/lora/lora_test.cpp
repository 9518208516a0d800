#include "lora/lora.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "common/errors.hpp"
#include "numeric_test.hpp"

using namespace probwasm::lora;
using probwasm::testing::close_rel;
using probwasm::testing::eps;
using Eigen::MatrixXd;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

MatrixXd lecun(int rows, int cols, double var, std::uint64_t seed) {
  Rng g(seed);
  MatrixXd M(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) M(i, j) = std::sqrt(var) * g.normal();
  return M;
}

double l1(const MatrixXd& M) { return M.cwiseAbs().sum(); }
}  // namespace

TEST_CASE("Su's ratio is (n/m)·sqrt(n/r) and the paper's Θ(n) is (n/m)·(n/r)") {
  // Exact cases: sqrt of a perfect square is exact in IEEE arithmetic.
  CHECK(su_ratio(64, 64, 4) == 4.0);
  CHECK(su_ratio(128, 64, 2) == 16.0);  // n/m = 2, sqrt(64) = 8
  CHECK(su_ratio(1, 1, 1) == 1.0);
  CHECK(paper_ratio(64, 64, 4) == 16.0);
  CHECK(paper_ratio(4096, 4096, 8) == 512.0);
  // LoRA+'s range (post 7 §7.5): r = 8, n = m from 768 to 4096 gives sqrt(96) ≈ 9.8 to sqrt(512) ≈ 22.6,
  // around the paper's default 16.  One rounding in sqrt after exact n/r: within 1 ulp.
  CHECK(close_rel(su_ratio(768, 768, 8), std::sqrt(96.0), eps));
  CHECK(close_rel(su_ratio(4096, 4096, 8), 16.0 * std::sqrt(2.0), 2 * eps));
  CHECK(su_ratio(768, 768, 8) < loraplus_default_ratio);
  CHECK(su_ratio(4096, 4096, 8) > loraplus_default_ratio);
  CHECK(loraplus_default_ratio == 16.0);
  // With m = n the paper's ratio is Su's times sqrt(n/r): the two laws differ by a factor growing like sqrt(n).
  for (double n : {16.0, 100.0, 1000.0, 4096.0})
    CHECK(close_rel(paper_ratio(n, n, 4), su_ratio(n, n, 4) * std::sqrt(n / 4), 4 * eps));
  // Doubling n (m = n, r fixed) multiplies Su's ratio by sqrt 2, the paper's by 2.
  CHECK(close_rel(su_ratio(512, 512, 8) / su_ratio(256, 256, 8), std::sqrt(2.0), 4 * eps));
  CHECK(paper_ratio(512, 512, 8) / paper_ratio(256, 256, 8) == 2.0);
}

TEST_CASE("the calculator rejects widths below 1, non-finite values and r > min(n, m)") {
  CHECK_THROWS_WITH_AS(su_ratio(0, 4, 1), "loraRatios: n must be a finite number >= 1, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(su_ratio(kNaN, 4, 1), "loraRatios: n must be a finite number >= 1, got NaN", std::invalid_argument);
  CHECK_THROWS_WITH_AS(paper_ratio(8, kInf, 1), "loraRatios: m must be a finite number >= 1, got Infinity",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(su_ratio(8, 4, 5), "loraRatios: r must be at most min(n, m) = 4, got 5", std::invalid_argument);
  CHECK_THROWS_WITH_AS(su_ratio(8, 4, -0.0), "loraRatios: r must be a finite number >= 1, got -0", std::invalid_argument);
}

TEST_CASE("the generator is deterministic and its normals have mean 0 and variance 1") {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.next_u64();
    CHECK(x == b.next_u64());
    CHECK(x != c.next_u64());
  }
  // SplitMix64's published first output for seed 0 (Vigna's reference splitmix64.c): 0xE220A8397B1DCDAF.
  CHECK(Rng(0).next_u64() == 0xE220A8397B1DCDAFULL);
  Rng g(7);
  const int N = 200000;
  double s = 0, s2 = 0, umin = 1, umax = 0;
  for (int i = 0; i < N; ++i) {
    const double z = g.normal();
    s += z;
    s2 += z * z;
    const double u = g.uniform();
    umin = std::min(umin, u);
    umax = std::max(umax, u);
  }
  const double mean = s / N, var = s2 / N - mean * mean;
  // 5 standard errors: sd(mean) = 1/sqrt(N), sd(var) = sqrt(2/N) for a normal.
  CHECK(std::fabs(mean) < 5 / std::sqrt(double(N)));
  CHECK(std::fabs(var - 1) < 5 * std::sqrt(2.0 / N));
  CHECK(umin > 0);
  CHECK(umax < 1);
  CHECK(derive_seed(1, 32, 0) != derive_seed(1, 32, 1));
  CHECK(derive_seed(1, 32, 0) != derive_seed(1, 64, 0));
  CHECK(derive_seed(1, 32, 0) == derive_seed(1, 32, 0));
}

TEST_CASE("gradients dA = Xᵀ(dY)Bᵀ and dB = AᵀXᵀ(dY) match finite differences") {
  SUBCASE("linear model: exact central differences, since the loss is quadratic in each single entry") {
    // L(A_ij + h) is a quadratic polynomial in h (Ŷ is linear in A_ij), so (L(+h) − L(−h))/2h equals ∂L/∂A_ij
    // exactly for any h; only rounding remains.  A large h = 1/4 (a power of 2: a ± h has one rounding) makes the
    // rounding term δ/h small, δ ≈ K·eps·L per loss evaluation with K = 64 covering sums of length n, r and bm.
    Shape s;
    s.n = 12;
    s.m = 9;
    s.r = 3;
    s.batch = 10;
    const Problem p = make_problem(s, 5);
    MatrixXd A = lecun(12, 3, 1.0 / 12, 11), B = lecun(3, 9, 1.0 / 3, 12), gA, gB;
    const double L = loss_and_grad(p, A, B, &gA, &gB);
    const double h = 0.25, tol = 64 * eps * (L + 1) / h;
    for (int i = 0; i < A.rows(); ++i)
      for (int j = 0; j < A.cols(); ++j) {
        MatrixXd Ap = A, Am = A;
        Ap(i, j) += h;
        Am(i, j) -= h;
        const double fd = (loss_and_grad(p, Ap, B, nullptr, nullptr) - loss_and_grad(p, Am, B, nullptr, nullptr)) / (2 * h);
        CHECK(std::fabs(fd - gA(i, j)) <= tol);
      }
    for (int i = 0; i < B.rows(); ++i)
      for (int j = 0; j < B.cols(); ++j) {
        MatrixXd Bp = B, Bm = B;
        Bp(i, j) += h;
        Bm(i, j) -= h;
        const double fd = (loss_and_grad(p, A, Bp, nullptr, nullptr) - loss_and_grad(p, A, Bm, nullptr, nullptr)) / (2 * h);
        CHECK(std::fabs(fd - gB(i, j)) <= tol);
      }
    // The formulas themselves, with dY = (XAB − Y)/(bm): an independent evaluation order.
    const MatrixXd dY = (p.X * A * B - p.Y) / double(s.batch * s.m);
    CHECK((gA - p.X.transpose() * dY * B.transpose()).cwiseAbs().maxCoeff() <= 64 * eps * gA.cwiseAbs().maxCoeff());
    CHECK((gB - A.transpose() * p.X.transpose() * dY).cwiseAbs().maxCoeff() <= 64 * eps * gB.cwiseAbs().maxCoeff());
  }
  SUBCASE("two-layer model: central differences with step 1e-5") {
    // Truncation h²/6·|L'''| with O(1) derivatives (tanh and O(1) activations) ≈ 2e-11; rounding δ/h ≈ 64·eps/1e-5
    // ≈ 1.4e-9.  Tolerance 1e-8 absolute (the gradients here are O(1e-2)).
    Shape s;
    s.model = Model::two_layer;
    s.n = 10;
    s.m = 7;
    s.r = 2;
    s.batch = 8;
    s.k = 3;
    const Problem p = make_problem(s, 9);
    MatrixXd A = lecun(10, 2, 1.0 / 10, 21), B = lecun(2, 7, 1.0 / 2, 22), gA, gB;
    loss_and_grad(p, A, B, &gA, &gB);
    CHECK(gA.cwiseAbs().maxCoeff() > 1e-4);  // not a vacuous comparison
    const double h = 1e-5;
    for (int i = 0; i < A.rows(); ++i)
      for (int j = 0; j < A.cols(); ++j) {
        MatrixXd Ap = A, Am = A;
        Ap(i, j) += h;
        Am(i, j) -= h;
        const double fd = (loss_and_grad(p, Ap, B, nullptr, nullptr) - loss_and_grad(p, Am, B, nullptr, nullptr)) / (2 * h);
        CHECK(std::fabs(fd - gA(i, j)) <= 1e-8);
      }
    for (int i = 0; i < B.rows(); ++i)
      for (int j = 0; j < B.cols(); ++j) {
        MatrixXd Bp = B, Bm = B;
        Bp(i, j) += h;
        Bm(i, j) -= h;
        const double fd = (loss_and_grad(p, A, Bp, nullptr, nullptr) - loss_and_grad(p, A, Bm, nullptr, nullptr)) / (2 * h);
        CHECK(std::fabs(fd - gB(i, j)) <= 1e-8);
      }
  }
}

TEST_CASE("a zero factor makes the other factor's gradient exactly zero") {
  // dB = AᵀXᵀdY vanishes when A = 0 and dA = Xᵀ dY Bᵀ when B = 0: the zero factor only moves first.
  Shape s;
  s.n = 16;
  s.r = 2;
  s.batch = 8;
  const Problem p = make_problem(s, 3);
  MatrixXd gA, gB;
  const Factors a0 = init_factors(p, Init::a_zero, 4), b0 = init_factors(p, Init::b_zero, 4);
  CHECK(a0.A.isZero(0));
  CHECK(b0.B.isZero(0));
  loss_and_grad(p, a0.A, a0.B, &gA, &gB);
  CHECK(gB.isZero(0));
  CHECK(l1(gA) > 0);
  loss_and_grad(p, b0.A, b0.B, &gA, &gB);
  CHECK(gA.isZero(0));
  CHECK(l1(gB) > 0);
  // LeCun scales (§7.3): var 1/n for A, 1/r for B.  Sample variance of 16·2 and 2·16 entries: loose 3-sigma-ish.
  CHECK(std::fabs(b0.A.squaredNorm() / 32 * 16 - 1) < 0.75);
  CHECK(std::fabs(a0.B.squaredNorm() / 32 * 2 - 1) < 0.75);
}

TEST_CASE("a SignSGD step moves every entry by exactly η against the gradient's sign, and not at sign 0") {
  MatrixXd P(2, 3), G(2, 3);
  P << 1, 2, 3, 4, 5, 6;
  G << 0.5, -1e-300, 0.0, -0.0, 7, -2;
  signsgd_step(P, G, 0.25);
  MatrixXd expect(2, 3);
  expect << 0.75, 2.25, 3, 4, 4.75, 6.25;
  CHECK(P == expect);
}

TEST_CASE("Adam with beta1 = beta2 = 0 is SignSGD up to epsilon, and any Adam's first step is too") {
  const MatrixXd G = lecun(5, 4, 1.0, 99);
  for (const AdamConfig cfg : {AdamConfig{0, 0, 1e-8}, AdamConfig{0.9, 0.999, 1e-8}, AdamConfig{0.5, 0.9, 1e-3}}) {
    MatrixXd Pa = lecun(5, 4, 1.0, 100), Ps = Pa, m1 = MatrixXd::Zero(5, 4), m2 = MatrixXd::Zero(5, 4);
    const MatrixXd P0 = Pa;
    const double lr = 0.01;
    adam_step(Pa, G, m1, m2, 1, lr, cfg);
    signsgd_step(Ps, G, lr);
    // Step t = 1: m̂ = G, v̂ = G², so Adam's step is η·g/(|g| + ε); its gap to η·sign(g) is η·ε/(|g| + ε), plus
    // the roundings of P − step (2 ulp of |P|) and ~8 roundings inside Adam's step (16 eps of η, with margin).
    for (int i = 0; i < 20; ++i) {
      const double g = G(i), gap = lr * cfg.epsilon / (std::fabs(g) + cfg.epsilon);
      CHECK(std::fabs(Pa(i) - Ps(i)) <= gap + 2 * eps * std::fabs(P0(i)) + 16 * eps * lr);
    }
  }
  // With β1 = β2 = 0, every later step is again SignSGD up to ε (no memory of earlier gradients).
  MatrixXd Pa = MatrixXd::Zero(5, 4), Ps = Pa, m1 = Pa, m2 = Pa;
  for (int t = 1; t <= 5; ++t) {
    const MatrixXd Gt = lecun(5, 4, 1.0, 200 + t);
    adam_step(Pa, Gt, m1, m2, t, 0.1, AdamConfig{0, 0, 1e-12});
    signsgd_step(Ps, Gt, 0.1);
  }
  // Each of 5 steps differs by at most 0.1·1e-12/|g| (|g| > 1e-6 surely for these draws) plus rounding.
  CHECK((Pa - Ps).cwiseAbs().maxCoeff() <= 5 * (0.1 * 1e-12 / 1e-6 + 8 * eps));
}

TEST_CASE("the first-order loss change of a SignSGD step is −η_A‖∂A‖₁ − η_B‖∂B‖₁ (§7.4)") {
  // Along the step, L(A − η_A S_A, B − λη_A S_B) is a polynomial in η_A (degree 4 for the linear model), whose
  // linear coefficient is −‖∂A‖₁ − λ‖∂B‖₁ (since ⟨∂A, sign ∂A⟩ = ‖∂A‖₁).  So the remainder ΔL − prediction is
  // O(η²): halving η divides it by 4 up to an O(η) correction.
  Shape s;
  s.n = 24;
  s.r = 3;
  s.batch = 16;
  const Problem p = make_problem(s, 77);
  const MatrixXd A = lecun(24, 3, 1.0 / 24, 1), B = lecun(3, 24, 1.0 / 3, 2);
  MatrixXd gA, gB;
  const double L0 = loss_and_grad(p, A, B, &gA, &gB);
  const double lambda = 4;
  auto remainder = [&](double eta) {
    MatrixXd A1 = A, B1 = B;
    signsgd_step(A1, gA, eta);
    signsgd_step(B1, gB, lambda * eta);
    const double dL = loss_and_grad(p, A1, B1, nullptr, nullptr) - L0;
    const double predicted = -eta * l1(gA) - lambda * eta * l1(gB);
    return std::pair<double, double>{dL - predicted, predicted};
  };
  for (double eta : {1e-3, 1e-4}) {
    const auto [r1, pred] = remainder(eta);
    const auto [r2, pred2] = remainder(eta / 2);
    CHECK(pred < 0);
    CHECK(std::fabs(r1) < 0.1 * std::fabs(pred));           // first order dominates at these step sizes
    CHECK(std::fabs(r2 / r1 - 0.25) < 0.25 * 20 * eta);     // r(η/2)/r(η) = 1/4·(1 + O(η)); measured O(η) term < 20η
    CHECK(close_rel(pred2, pred / 2, 4 * eps));
  }
}

TEST_CASE("the same seed gives the same loss curve, bit for bit; another seed a different one") {
  TrainConfig c;
  c.shape.n = 24;
  c.shape.r = 2;
  c.shape.batch = 32;
  c.steps = 30;
  c.ratio = 8;
  for (auto model : {Model::linear, Model::two_layer})
    for (auto opt : {Optimizer::adam, Optimizer::signsgd}) {
      c.shape.model = model;
      c.optimizer = opt;
      c.seed = 5;
      const auto h1 = train(c), h2 = train(c);
      c.seed = 6;
      const auto h3 = train(c);
      REQUIRE(h1.size() == 31);
      CHECK(h1 == h2);
      CHECK(h1 != h3);
    }
}

TEST_CASE("training starts at ‖Y‖²/(2bm) and the loss decreases, for every model, optimiser and init") {
  TrainConfig c;
  c.shape.n = 32;
  c.shape.r = 2;
  c.shape.batch = 64;
  c.steps = 100;
  c.lr_a = 3e-3;
  c.ratio = 8;
  for (auto model : {Model::linear, Model::two_layer})
    for (auto opt : {Optimizer::adam, Optimizer::signsgd})
      for (auto init : {Init::a_zero, Init::b_zero}) {
        c.shape.model = model;
        c.optimizer = opt;
        c.init = init;
        const auto h = train(c);
        // AB = 0 at the start whichever factor is zero.  The linear model's first loss is ‖Y‖²/(2bm) exactly up
        // to the summation's rounding.
        if (model == Model::linear) {
          Shape s = c.shape;
          const Problem p = make_problem(s, derive_seed(1, 32, 0));
          CHECK(close_rel(h[0], p.Y.squaredNorm() / (2.0 * 64 * 32), 64 * eps));
        }
        INFO("model " << int(model) << " opt " << int(opt) << " init " << int(init) << ": " << h.front() << " → " << h.back());
        CHECK(h.back() < 0.5 * h.front());
        CHECK(final_loss(h) < 0.5 * h.front());
      }
}

TEST_CASE("train_trace records η_A‖∂A‖₁ and η_B‖∂B‖₁ of each step, the same run as train") {
  TrainConfig c;
  c.shape.n = 16;
  c.shape.r = 2;
  c.shape.batch = 32;
  c.steps = 20;
  c.lr_a = 2e-3;
  c.ratio = 4;
  for (auto init : {Init::a_zero, Init::b_zero}) {
    c.init = init;
    const TrainTrace t = train_trace(c);
    CHECK(t.loss == train(c));
    REQUIRE(t.contrib_a.size() == 20);
    REQUIRE(t.contrib_b.size() == 20);
    // Step 1 from the initial factors, recomputed independently: the zero factor's partner has a zero gradient.
    const Problem p = make_problem(c.shape, derive_seed(1, 16, 0));
    const Factors f = init_factors(p, init, derive_seed(1, 16, 1));
    MatrixXd gA, gB;
    loss_and_grad(p, f.A, f.B, &gA, &gB);
    CHECK(t.contrib_a[0] == 2e-3 * l1(gA));
    CHECK(t.contrib_b[0] == 4 * 2e-3 * l1(gB));
    CHECK((init == Init::a_zero ? t.contrib_b[0] : t.contrib_a[0]) == 0);
    CHECK(t.contrib_a.back() > 0);
    CHECK(t.contrib_b.back() > 0);
  }
}

TEST_CASE("final_loss is the mean of the last ceil(steps/10) + 1 recorded losses") {
  std::vector<double> h(101);
  for (int i = 0; i <= 100; ++i) h[i] = i;  // steps = 100 → the last 11 values 90..100, mean 95
  CHECK(final_loss(h) == 95.0);
  CHECK(final_loss({3.0}) == 3.0);
  CHECK(final_loss({1.0, 2.0}) == 1.5);  // steps = 1: 1 + 1 values
  CHECK(final_loss({1.0, kInf}) == kInf);
  CHECK_THROWS_AS(final_loss({}), std::invalid_argument);
}

TEST_CASE("the best λ is above 1 with either factor zero-initialised, for Adam and for SignSGD") {
  // A small fixed configuration in the small-step regime of §7.4's first-order argument: η_A = 3e-3 against A's
  // scale 1/sqrt(32) ≈ 0.18.  Su's ratio here is sqrt(n/r) = 4.  Margins: the best λ must be at least 4, two full
  // grid steps (×2 each) above 1, and the loss at λ = 1 at least twice the best loss, so a tie within the
  // curve's wiggle cannot pass.  (Measured with seeds 1–4: best λ ≥ 6 in every case, loss ratio ≥ 2.1.)
  SweepConfig c;
  c.base.shape.r = 2;
  c.base.shape.batch = 64;
  c.base.steps = 100;
  c.widths = {32};
  c.lrs = {3e-3};
  for (int k = -2; k <= 8; ++k) c.ratios.push_back(std::ldexp(1.0, k));
  for (auto opt : {Optimizer::adam, Optimizer::signsgd})
    for (auto init : {Init::a_zero, Init::b_zero}) {
      c.base.optimizer = opt;
      c.base.init = init;
      const SweepResult r = sweep(c);
      const double at_one = r.loss[2], lowest = *std::min_element(r.loss.begin(), r.loss.end());
      INFO("optimizer " << int(opt) << " init " << int(init) << ": best λ " << r.best[0] << ", loss(1)/min " << at_one / lowest);
      CHECK(r.best[0] >= 4);
      CHECK(at_one >= 2 * lowest);
    }
}

TEST_CASE("a sweep cell is the best over η_A of single runs, and sweep = summarize(cells)") {
  SweepConfig c;
  c.base.shape.r = 2;
  c.base.shape.batch = 16;
  c.base.steps = 20;
  c.base.seed = 3;
  c.widths = {8, 16};
  c.ratios = {1, 4, 16};
  c.lrs = {1e-3, 1e-2};
  const SweepResult r = sweep(c);
  std::vector<double> loss, lr;
  for (int n : c.widths)
    for (double ratio : c.ratios) {
      double best = kInf, best_lr = 0;
      for (double eta : c.lrs) {
        TrainConfig t = c.base;
        t.shape.n = n;
        t.ratio = ratio;
        t.lr_a = eta;
        const double f = final_loss(train(t));
        if (f < best) best = f, best_lr = eta;
      }
      loss.push_back(best);
      lr.push_back(best_lr);
      const Cell cell = sweep_cell(c, n, ratio);
      CHECK(cell.loss == best);
      CHECK(cell.lr_a == best_lr);
    }
  CHECK(r.loss == loss);
  CHECK(r.lr_a == lr);
  const SweepResult s = summarize(c, loss, lr);
  CHECK(s.best == r.best);
  CHECK(s.fit.slope == r.fit.slope);
}

TEST_CASE("best_ratio finds the vertex of a parabola in (log λ, log loss) exactly, and grid ends as they are") {
  // log L = (log λ − log 5)² + 1 on the grid 2^k: the three-point parabola is this one, vertex λ = 5.
  std::vector<double> ratios, losses;
  for (int k = -2; k <= 6; ++k) {
    ratios.push_back(std::ldexp(1.0, k));
    const double d = std::log(ratios.back()) - std::log(5.0);
    losses.push_back(std::exp(d * d + 1));
  }
  // log/exp roundings on O(1) values, amplified by the divided differences over spacing log 2: ~1e-14 relative.
  CHECK(close_rel(best_ratio(ratios, losses), 5.0, 1e-13));
  CHECK(best_ratio({1, 2, 4}, {1, 2, 3}) == 1);  // minimum at an end: the end
  CHECK(best_ratio({1, 2, 4}, {3, 2, 1}) == 4);
  CHECK(best_ratio({1, 2, 4}, {2, 1, 2}) == 2);  // symmetric: the middle, exactly
  CHECK(best_ratio({7}, {0.5}) == 7);
  CHECK(best_ratio({1, 2, 4}, {kInf, 1, 2}) == 2);  // a diverged neighbour: no refinement
  CHECK(best_ratio({1, 2, 4}, {0.0, 0.0, 1}) == 1);  // ties keep the first
  CHECK_THROWS_WITH_AS(best_ratio({1, 2}, {1}), "loraBestRatio: losses must have the length of ratios (2), got 1",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(best_ratio({2, 1}, {1, 1}), "loraBestRatio: ratios[1] must be greater than the previous entry, got 1",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(best_ratio({1, 2}, {1, kNaN}), "loraBestRatio: losses[1] must be >= 0 (or +Infinity), got NaN",
                       std::invalid_argument);
}

TEST_CASE("the log-log fit recovers exact power laws") {
  const std::vector<double> n{16, 32, 64, 128, 256};
  std::vector<double> su, paper;
  for (double v : n) {
    su.push_back(su_ratio(v, v, 4));
    paper.push_back(paper_ratio(v, v, 4));
  }
  // Su's law has slope 1/2, the paper's 1; logs of exact powers of 2 carry a few ulps of rounding.
  CHECK(std::fabs(loglog_fit(n, su).slope - 0.5) < 16 * eps);
  CHECK(std::fabs(loglog_fit(n, paper).slope - 1.0) < 16 * eps);
  CHECK(std::fabs(loglog_fit(n, paper).intercept - std::log(0.25)) < 64 * eps);
  CHECK_THROWS_WITH_AS(loglog_fit({1}, {1}), "loraLogLogFit: x must have at least 2 entries, got 1", std::invalid_argument);
  CHECK_THROWS_WITH_AS(loglog_fit({2, 2}, {1, 3}), "loraLogLogFit: x must have at least two distinct values, got 2",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(loglog_fit({1, 2}, {1, -3}), "loraLogLogFit: y[1] must be a positive finite number, got -3",
                       std::invalid_argument);
}

TEST_CASE("nearest_law names the exponent nearest to -1/2, 0, 1/2, 1 or 3/2, ties to the smaller") {
  CHECK(nearest_law(0.0) == "flat");
  CHECK(nearest_law(-0.0) == "flat");
  CHECK(nearest_law(-0.24) == "flat");
  CHECK(nearest_law(-0.25) == "decreasing");  // tie between -1/2 and 0
  CHECK(nearest_law(-3.0) == "decreasing");
  CHECK(nearest_law(-kInf) == "decreasing");
  CHECK(nearest_law(kInf) == "steeper");
  CHECK(nearest_law(0.25) == "flat");  // tie between 0 and 0.5
  CHECK(nearest_law(0.2500001) == "sqrt");
  CHECK(nearest_law(0.47) == "sqrt");
  CHECK(nearest_law(0.75) == "sqrt");
  CHECK(nearest_law(0.76) == "linear");
  CHECK(nearest_law(1.3) == "steeper");
  CHECK(nearest_law(9.0) == "steeper");
  CHECK(nearest_law(kNaN) == "none");
  SweepConfig c;
  c.base.shape.r = 1;
  c.widths = {8, 8};
  c.ratios = {1, 2, 4};
  c.lrs = {1e-3};
  const SweepResult r = summarize(c, {3, 2, 1, 1, 2, 3}, {1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3});
  CHECK(r.best == std::vector<double>{4, 1});
  CHECK(r.above_one == 1);
  CHECK(r.at_edge == 2);  // 4 is the grid's top, 1 its bottom
  CHECK(std::isnan(r.fit.slope));  // one distinct width: no fit
  CHECK(r.law == "none");
}

TEST_CASE("configurations are validated with the parameter and the value named") {
  TrainConfig c;
  c.shape.n = 8;
  c.shape.r = 9;
  CHECK_THROWS_WITH_AS(train(c), "loraTrain: r must be an integer in [1, min(n, m) = 8], got 9", std::invalid_argument);
  c.shape.r = 2;
  c.lr_a = -1;
  CHECK_THROWS_WITH_AS(train(c), "loraTrain: lrA must be a positive finite number, got -1", std::invalid_argument);
  c.lr_a = 1e-3;
  c.ratio = kNaN;
  CHECK_THROWS_WITH_AS(train(c), "loraTrain: ratio must be a positive finite number, got NaN", std::invalid_argument);
  c.ratio = 1;
  c.seed = 1.5;
  CHECK_THROWS_WITH_AS(train(c), "loraTrain: seed must be an integer in [0, 2^53], got 1.5", std::invalid_argument);
  c.seed = 1;
  c.adam.beta2 = 1;
  CHECK_THROWS_WITH_AS(train(c), "loraTrain: beta2 must be in [0, 1), got 1", std::invalid_argument);
  c.adam.beta2 = 0.999;
  c.steps = 0;
  CHECK_THROWS_WITH_AS(train(c), "loraTrain: steps must be an integer in [1, 100000], got 0", std::invalid_argument);
  SweepConfig s;
  s.widths = {16, 1};
  s.ratios = {1};
  s.lrs = {1e-3};
  CHECK_THROWS_WITH_AS(sweep(s), "loraSweep: widths[1] must be at least r = 4 (r <= min(n, m)), got 1",
                       std::invalid_argument);
  s.widths = {16};
  s.lrs = {};
  CHECK_THROWS_WITH_AS(sweep(s), "loraSweep: lrs must have 1 to 64 entries, got 0", std::invalid_argument);
  CHECK_THROWS_AS(parse_model("mlp", "loraTrain"), probwasm::type_error);
  CHECK_THROWS_WITH(parse_init("A", "loraTrain"), "loraTrain: init must be 'A0' or 'B0', got \"A\"");
}

// ---- §7.4's scale argument, measured at the scales §7.3 assumes ----

TEST_CASE("the equal-contribution ratio ‖∂A‖₁/‖∂B‖₁ at LeCun scales is n/√(m r): Su's (n/m)√(n/r) only when m = n") {
  // Independent derivation: given B, each entry of ∂A = Xᵀ(G Bᵀ) is Σ_b X_bi u_bk with u_·k ~ N(0, ‖B_k‖²),
  // and each entry of ∂B = (XA)ᵀ G is Σ_b v_bk G_bj with v_·k ~ N(0, ‖A_k‖²): the same law up to the scale,
  // so E‖∂A‖₁/E‖∂B‖₁ = n E‖B_k‖ / (m E‖A_k‖) = (n/m)·√(m/r)/√(n/n)·κ_m/κ_n with κ_d = E χ_d/√d ∈ [1 − 1/(4d), 1].
  // Statistical tolerance: 4 standard errors over seeds; deterministic: the κ ratio, within 1/(4 min(n, m)).
  struct Case { int n, m, r; };
  for (const Case k : {Case{256, 256, 8}, Case{1024, 256, 8}, Case{256, 1024, 4}, Case{64, 64, 1}}) {
    CAPTURE(k.n);
    CAPTURE(k.m);
    ScaleConfig c;
    c.n = k.n;
    c.m = k.m;
    c.r = k.r;
    c.seeds = 32;
    const ScalePoint p = gradient_scale(c);
    const double law = double(k.n) / std::sqrt(double(k.m) * k.r);
    CHECK(p.law == law);
    CHECK(p.su == (double(k.n) / k.m) * std::sqrt(double(k.n) / k.r));
    CHECK(std::fabs(p.mean - law) <= 4 * p.sem + law / (4.0 * std::min(k.n, k.m)));
    CHECK(p.sem > 0);
    if (k.n != k.m) CHECK(std::fabs(std::log(p.mean / p.su)) > 0.6);  // off Su's formula by √(n/m) = 2 or 1/2
  }
}

TEST_CASE("with m = n the equal-contribution ratio grows as n^½ (Su), not n (the paper), with an error bar over seeds") {
  ScaleConfig c;
  c.r = 8;
  c.seeds = 8;
  const ScaleSweep s = gradient_scale_sweep({64, 256, 1024}, c);
  REQUIRE(s.slopes.size() == 8);
  REQUIRE(s.points.size() == 3);
  CHECK(s.slope_sem > 0);
  CHECK(std::fabs(s.slope - 0.5) <= 4 * s.slope_sem + 0.01);  // κ_n/κ_n cancels at m = n: the law is exact in mean
  for (const ScalePoint& p : s.points) CHECK(close_rel(p.su, p.law, 4 * eps));  // (n/n)√(n/r) vs n/√(n r): rounding only
  // Bad input names the public function.
  CHECK_THROWS_WITH_AS(gradient_scale_sweep({64, 32}, c), "loraGradientScaleSweep: widths[1] must be greater than the previous entry, got 32", std::invalid_argument);
  c.seeds = 1;
  CHECK_THROWS_WITH_AS(gradient_scale(c), "loraGradientScale: seeds must be an integer in [2, 256], got 1", std::invalid_argument);
}

TEST_CASE("the §7.4 calculators and the slope assembly name their own public functions") {
  CHECK(gradient_ratio_law(64, 16, 4) == 8.0);  // 64/√64, exact
  CHECK_THROWS_WITH_AS(gradient_ratio_law(0.5, 16, 4), "loraGradientRatioLaw: n must be a finite number >= 1, got 0.5", std::invalid_argument);
  CHECK_THROWS_WITH_AS(scale_slopes({0, 8}, {1, 2, 1, 2}, 2), "loraGradientScaleSlopes: widths[0] must be a positive integer, got 0",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(scale_slopes({4, 8}, {1, -2, 1, 2}, 2), "loraGradientScaleSlopes: samples[1] must be a positive finite number, got -2",
                       std::invalid_argument);
  const ScaleSweep s = scale_slopes({4, 16}, {1, 2, 2, 8}, 2);  // per seed: slopes log(2)/log(4) = ½ and log(4)/log(4) = 1
  CHECK(s.slopes[0] == doctest::Approx(0.5).epsilon(1e-14));
  CHECK(s.slopes[1] == doctest::Approx(1.0).epsilon(1e-14));
}
