#include "diffusion/denoisers.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "numeric_test.hpp"

using namespace probwasm::diffusion;
using probwasm::testing::close_abs;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {
const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// A 2-D mixture with unequal weights, isotropic and diagonal components (K = 3).
GaussianMixture three_blobs() {
  return GaussianMixture({0.5, 0.3, 0.2}, {-1.0, 0.5, 2.0, 1.0, 0.0, -2.0}, {0.3, 0.4, 0.7, 0.2, 0.5, 1.1}, 2);
}
}  // namespace

TEST_CASE("one Gaussian: eps* is Su's closed form beta(x - alpha mu)/(alpha^2 s^2 + beta^2) (post 4 §4.7)") {
  const double mu = 2.0, s = 0.5;
  const GaussianMixture g({1.0}, {mu}, {s}, 1);
  for (double abar : {0.0, 1e-12, 0.003, 0.25, 0.5, 0.9, 0.999999, 1.0}) {
    // Su's notation: his ᾱ is √ᾱ (DDPM), his β̄ = √(1−ᾱ).
    const double A = std::sqrt(abar), Bb = std::sqrt(1.0 - abar);
    for (double x : {-3.0, 0.0, 1.7, 2.0, 10.0}) {
      const double ref = Bb * (x - A * mu) / (A * A * s * s + Bb * Bb);
      const double got = g.epsilon(std::vector<double>{x}, abar)[0];
      INFO("abar=" << abar << " x=" << x << " got " << got << " ref " << ref);
      // a handful of roundings on each side; absolute floor for the cancellation x ≈ Aμ
      CHECK(close_abs(got, ref, 16 * eps * (std::fabs(x) + std::fabs(A * mu) + 1.0)));
    }
  }
  SUBCASE("at abar = 1 there is no noise to predict, at abar = 0 the noise is x itself") {
    CHECK(g.epsilon(std::vector<double>{3.0}, 1.0)[0] == 0.0);
    CHECK(g.epsilon(std::vector<double>{3.0}, 0.0)[0] == 3.0);
  }
}

TEST_CASE("mixture eps* equals -sqrt(1 - abar) times a finite-difference score of log p_t") {
  const GaussianMixture g = three_blobs();
  const double h = 1e-5;  // central difference: O(h²·|∂³log p|) truncation + O(eps/h) rounding ≈ 1e-10
  for (double abar : {0.02, 0.3, 0.8, 0.99}) {
    for (const std::vector<double>& x : {std::vector<double>{0.1, -0.4}, {1.5, 2.5}, {-2.0, 1.0}, {0.7, -1.9}}) {
      const std::vector<double> e = g.epsilon(x, abar);
      for (int j = 0; j < 2; ++j) {
        std::vector<double> xp = x, xm = x;
        xp[j] += h;
        xm[j] -= h;
        const double score = (g.log_density(xp, abar)[0] - g.log_density(xm, abar)[0]) / (2 * h);
        const double ref = -std::sqrt(1.0 - abar) * score;
        INFO("abar=" << abar << " j=" << j << " eps " << e[j] << " fd " << ref);
        CHECK(close_abs(e[j], ref, 1e-8));
      }
    }
  }
}

TEST_CASE("Tweedie: denoised x0 equals (x - sqrt(1 - abar) eps*)/sqrt(abar)") {
  const GaussianMixture g = three_blobs();
  const std::vector<double> x{0.3, -1.2, 2.2, 0.9, -3.0, 4.0};
  for (double abar : {0.05, 0.5, 0.97}) {
    const auto e = g.epsilon(x, abar);
    const auto x0 = g.denoised(x, abar);
    for (std::size_t k = 0; k < x.size(); ++k) {
      const double ref = (x[k] - std::sqrt(1.0 - abar) * e[k]) / std::sqrt(abar);
      INFO("k=" << k << " abar=" << abar);
      CHECK(close_abs(x0[k], ref, 64 * eps * (std::fabs(x[k]) + 4.0) / std::sqrt(abar)));
    }
  }
  SUBCASE("at abar = 0 the best guess is the data mean") {
    const auto x0 = g.denoised({5.0, 5.0}, 0.0);
    // r_k = w_k up to rounding; terms of size ≤ 0.6 summed: an absolute few eps.
    CHECK(close_abs(x0[0], 0.5 * -1.0 + 0.3 * 2.0 + 0.2 * 0.0, 8 * eps));
    CHECK(close_abs(x0[1], 0.5 * 0.5 + 0.3 * 1.0 + 0.2 * -2.0, 8 * eps));
  }
}

TEST_CASE("diagonal stds: a single component factorises into independent 1-D closed forms") {
  const GaussianMixture g({1.0}, {1.0, -2.0, 0.5}, {0.2, 1.5, 3.0}, 3);
  const std::vector<double> mu{1.0, -2.0, 0.5}, s{0.2, 1.5, 3.0}, x{0.4, 0.4, -7.0};
  const double abar = 0.37, A = std::sqrt(abar), Bb = std::sqrt(1 - abar);
  const auto e = g.epsilon(x, abar);
  for (int j = 0; j < 3; ++j) {
    const double ref = Bb * (x[j] - A * mu[j]) / (A * A * s[j] * s[j] + Bb * Bb);
    CHECK(close_rel(e[j], ref, 16 * eps));
  }
}

TEST_CASE("empirical point set: eps* = (x - sqrt(abar) sum_k r_k p_k)/sqrt(1 - abar), r a softmax of distances") {
  const std::vector<double> pts{0.0, 0.0, 1.0, 0.0, 0.0, 2.0, -1.5, -0.5};
  const GaussianMixture g = GaussianMixture::empirical(pts, 2);
  CHECK(g.components() == 4);
  for (double abar : {0.01, 0.4, 0.95}) {
    const std::vector<double> x{0.3, 0.6};
    // Independent reference in long double: r_k ∝ exp(−|x − √ᾱ p_k|²/(2(1−ᾱ))).
    long double A = std::sqrt(static_cast<long double>(abar)), v = 1.0L - abar, z = 0, m0 = 0, m1 = 0;
    for (int k = 0; k < 4; ++k) {
      const long double d0 = x[0] - A * pts[2 * k], d1 = x[1] - A * pts[2 * k + 1];
      const long double w = std::exp(-(d0 * d0 + d1 * d1) / (2 * v));
      z += w;
      m0 += w * pts[2 * k];
      m1 += w * pts[2 * k + 1];
    }
    const double ref0 = static_cast<double>((x[0] - A * m0 / z) / std::sqrt(v));
    const double ref1 = static_cast<double>((x[1] - A * m1 / z) / std::sqrt(v));
    const auto e = g.epsilon(x, abar);
    INFO("abar=" << abar);
    CHECK(close_abs(e[0], ref0, 64 * eps / std::sqrt(1 - abar)));
    CHECK(close_abs(e[1], ref1, 64 * eps / std::sqrt(1 - abar)));
  }
  SUBCASE("as the noise vanishes the denoised point snaps to the nearest data point") {
    const auto x0 = g.denoised({0.9, 0.1}, 1.0 - 1e-6);
    CHECK(close_abs(x0[0], 1.0, 1e-9));
    CHECK(close_abs(x0[1], 0.0, 1e-9));
  }
  SUBCASE("abar = 1 is rejected: the ideal denoiser of a point set is singular there") {
    CHECK_THROWS_WITH_AS(g.epsilon(std::vector<double>{0.0, 0.0}, 1.0),
                         "epsilon: alphaBar must be in [0, 1) for a mixture with a zero std, got 1",
                         std::invalid_argument);
  }
}

TEST_CASE("eps* is invariant to the order of the components and the scale of the weights; zero weights drop out") {
  const GaussianMixture a({1.0, 3.0}, {0.0, 1.0, 2.0, -1.0}, {0.5, 0.8}, 2);
  const GaussianMixture b({6.0, 2.0}, {2.0, -1.0, 0.0, 1.0}, {0.8, 0.5}, 2);
  const GaussianMixture c({1.0, 0.0, 3.0}, {0.0, 1.0, 40.0, 40.0, 2.0, -1.0}, {0.5, 0.1, 0.8}, 2);
  const std::vector<double> x{0.4, 0.2, 1.0, -3.0};
  for (double abar : {0.1, 0.6}) {
    PW_CHECK_VEC_REL(a.epsilon(x, abar), b.epsilon(x, abar), 8 * eps);
    PW_CHECK_VEC_REL(a.epsilon(x, abar), c.epsilon(x, abar), 8 * eps);
  }
}

TEST_CASE("far from every component the responsibilities stay finite (log-domain softmax)") {
  const GaussianMixture g({0.5, 0.5}, {-1.0, 1.0}, {0.01, 0.01}, 1);
  // At x = 1e3 and ᾱ = 1 − 1e-12 the densities underflow to 0 in linear scale; the nearer component wins.
  const double abar = 1.0 - 1e-12;
  const auto e = g.epsilon(std::vector<double>{1e3}, abar);
  CHECK(std::isfinite(e[0]));
  const double A = std::sqrt(abar), Bb = std::sqrt(1.0 - abar), v = abar * 1e-4 + (1.0 - abar);
  CHECK(close_rel(e[0], Bb * (1e3 - A) / v, 16 * eps));
}

TEST_CASE("sampling the mixture reproduces its mean and covariance, and the same seed gives the same draws") {
  const GaussianMixture g = three_blobs();
  const std::size_t n = 200000;
  const auto xs = g.sample(n, 42);
  CHECK(xs == g.sample(n, 42));
  CHECK(xs != g.sample(n, 43));
  double m0 = 0, m1 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    m0 += xs[2 * i];
    m1 += xs[2 * i + 1];
  }
  m0 /= n;
  m1 /= n;
  // Exact mixture mean; the mixture's per-coordinate sd is < 2.3, so 5 standard errors < 0.026.
  CHECK(close_abs(m0, 0.5 * -1.0 + 0.3 * 2.0, 5 * 2.3 / std::sqrt(n)));
  CHECK(close_abs(m1, 0.5 * 0.5 + 0.3 * 1.0 + 0.2 * -2.0, 5 * 2.3 / std::sqrt(n)));
  double v0 = 0;
  for (std::size_t i = 0; i < n; ++i) v0 += (xs[2 * i] - m0) * (xs[2 * i] - m0);
  v0 /= n;
  const double ev = 0.5 * (1 + 0.09) + 0.3 * (4 + 0.49) + 0.2 * (0 + 0.25) - 0.1 * 0.1;  // E[x²] − E[x]²
  CHECK(close_rel(v0, ev, 0.02));  // sd of the sample variance ≈ √(E(x−m)⁴/n) ≈ 0.005·ev
}

TEST_CASE("bad mixtures and inputs are rejected with messages naming the parameter and value") {
  CHECK_THROWS_WITH_AS(GaussianMixture({}, {}, {}, 2), "gaussianMixture: weights must be non-empty, got \"an empty array\"",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(GaussianMixture({1.0, -1.0}, {0, 0}, {1, 1}, 1),
                       "gaussianMixture: weights[1] must be finite and ≥ 0, got -1", std::invalid_argument);
  CHECK_THROWS_WITH_AS(GaussianMixture({0.0, 0.0}, {0, 0}, {1, 1}, 1),
                       "gaussianMixture: weights must have a positive finite sum, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(GaussianMixture({1.0}, {0, kNaN}, {1}, 2), "gaussianMixture: means[1] must be finite, got NaN",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(GaussianMixture({1.0}, {0, 0, 0}, {1}, 2),
                       "gaussianMixture: means must have weights.length × dim = 2 entries, got 3", std::invalid_argument);
  CHECK_THROWS_WITH_AS(GaussianMixture({1.0}, {0, 0}, {1, 1, 1}, 2),
                       "gaussianMixture: stds must have 1 (isotropic) or 2 (diagonal) entries, got 3", std::invalid_argument);
  CHECK_THROWS_WITH_AS(GaussianMixture({1.0}, {0}, {-0.5}, 1), "gaussianMixture: stds[0] must be finite and ≥ 0, got -0.5",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(GaussianMixture({1.0}, {0}, {kInf}, 1),
                       "gaussianMixture: stds[0] must be finite and ≥ 0, got Infinity", std::invalid_argument);
  const GaussianMixture g({1.0}, {0.0}, {1.0}, 1);
  CHECK_THROWS_WITH_AS(g.epsilon(std::vector<double>{0.0}, 1.5), "epsilon: alphaBar must be in [0, 1], got 1.5",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(g.epsilon(std::vector<double>{0.0}, kNaN), "epsilon: alphaBar must be in [0, 1], got NaN",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(g.epsilon(std::vector<double>{kInf}, 0.5), "epsilon: x[0] must be finite, got Infinity",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(GaussianMixture::empirical({1.0, 2.0, 3.0}, 2),
                       "empiricalDenoiser: points must be a non-empty array whose length is divisible by dim 2, got 3",
                       std::invalid_argument);
  // ±0 are the same mean.
  CHECK(GaussianMixture({1.0}, {-0.0}, {1.0}, 1).epsilon(std::vector<double>{0.5}, 0.5) ==
        GaussianMixture({1.0}, {0.0}, {1.0}, 1).epsilon(std::vector<double>{0.5}, 0.5));
}

TEST_CASE("the page's preset targets are well-formed mixtures; the point sets have zero stds") {
  const MixtureSpec ring = preset_target("ring"), grid = preset_target("grid"), spiral = preset_target("spiral"),
                    moons = preset_target("moons");
  CHECK(ring.weights.size() == 8);
  CHECK(grid.weights.size() == 9);
  CHECK(spiral.weights.size() == 80);
  CHECK(moons.weights.size() == 100);
  for (const MixtureSpec* m : {&ring, &grid, &spiral, &moons}) {
    CHECK(m->means.size() == 2 * m->weights.size());
    const GaussianMixture g(m->weights, m->means, m->stds, 2);  // validates
    CHECK(g.dim() == 2);
  }
  CHECK(close_abs(std::hypot(ring.means[2], ring.means[3]), 2.0, 4 * eps));
  for (double s : spiral.stds) CHECK(s == 0.0);
  CHECK_THROWS_WITH_AS(preset_target("swiss"),
                       "diffusionPreset: name must be one of 'ring', 'grid', 'spiral', 'moons', got \"swiss\"", std::invalid_argument);
}
