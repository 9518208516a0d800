#include "diffusion/mlp.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "diffusion/denoisers.hpp"
#include "diffusion/sampling.hpp"
#include "numeric_test.hpp"

using namespace probwasm::diffusion;
using probwasm::testing::close_abs;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

TEST_CASE("MLP backpropagation matches central finite differences of the loss (double network)") {
  for (MlpShape shape : {MlpShape{2, 8, 4}, MlpShape{3, 5, 0}, MlpShape{1, 16, 6}}) {
    INFO("shape " << shape.dim << "/" << shape.hidden << "/" << shape.embed);
    MlpNet<double> net(shape);
    net.init(3);
    // Non-zero biases, so every parameter's gradient is exercised.
    NormalRng r(11);
    for (auto& p : net.params()) p += 0.1 * r.normal();
    const std::size_t B = 5, D = static_cast<std::size_t>(shape.dim);
    std::vector<double> x(B * D), t(B);
    for (auto& v : x) v = r.normal();
    for (auto& v : t) v = r.uniform();
    const auto in = net.inputs(x.data(), t.data(), B);
    MlpNet<double>::Mat target(shape.dim, static_cast<Eigen::Index>(B));
    for (Eigen::Index k = 0; k < target.size(); ++k) target.data()[k] = r.normal();
    std::vector<double> grad;
    net.loss_and_grad(in, target, &grad);
    REQUIRE(grad.size() == shape.parameters());
    // h = 1e-5: truncation O(h²·L''') ≈ 1e-10 and rounding O(eps·L/h) ≈ 1e-11 on losses of order 1.
    const double h = 1e-5;
    for (std::size_t k = 0; k < grad.size(); ++k) {
      const double keep = net.params()[k];
      net.params()[k] = keep + h;
      const double lp = net.loss_and_grad(in, target, nullptr);
      net.params()[k] = keep - h;
      const double lm = net.loss_and_grad(in, target, nullptr);
      net.params()[k] = keep;
      const double fd = (lp - lm) / (2 * h);
      INFO("parameter " << k << ": backprop " << grad[k] << " fd " << fd);
      CHECK(close_abs(grad[k], fd, 1e-8 * (1 + std::fabs(fd))));
    }
  }
}

TEST_CASE("the float32 network agrees with the double one to float rounding") {
  const MlpShape shape{2, 32, 8};
  MlpNet<float> f(shape);
  MlpNet<double> d(shape);
  f.init(5);
  d.init(5);
  std::vector<float> xf{0.3f, -1.2f, 2.0f, 0.5f};
  std::vector<double> xd(xf.begin(), xf.end());
  std::vector<float> tf{0.25f, 0.9f};
  std::vector<double> td(tf.begin(), tf.end());
  const auto yf = f.forward(f.inputs(xf.data(), tf.data(), 2));
  const auto yd = d.forward(d.inputs(xd.data(), td.data(), 2));
  for (Eigen::Index k = 0; k < yd.size(); ++k)
    // Same weights up to the float cast; dot products of length ≤ 40 in float: ~64 float ulps of the scale.
    CHECK(close_abs(yf.data()[k], yd.data()[k], 64 * 6e-8 * (1 + yd.cwiseAbs().maxCoeff())));
}

TEST_CASE("the shared-t forward pass equals the general one (double network, to rounding)") {
  const MlpShape shape{2, 24, 8};
  MlpNet<double> net(shape);
  net.init(9);
  const std::vector<double> x{0.3, -1.2, 2.0, 0.5, -0.7, 0.1};
  const std::vector<double> t(3, 0.37);
  const auto a = net.forward(net.inputs(x.data(), t.data(), 3));
  const auto b = net.forward_at(x.data(), 3, 0.37);
  // Layer 1 summed in a different order: a few ulps of the pre-activations, carried through two layers.
  for (Eigen::Index k = 0; k < a.size(); ++k) CHECK(close_abs(a.data()[k], b.data()[k], 64 * eps * (1 + std::fabs(a.data()[k]))));
}

TEST_CASE("weights round-trip through export/import, and a seed fixes the network") {
  const MlpShape shape{2, 16, 4};
  MlpDenoiser a(shape, 7), b(shape, 7), c(shape, 8);
  CHECK(a.weights() == b.weights());
  CHECK(a.weights() != c.weights());
  CHECK(a.weights().size() == shape.parameters());
  CHECK(shape.parameters() == 16 * 6 + 16 + 16 * 16 + 16 + 2 * 16 + 2);
  MlpDenoiser back(shape, a.weights());
  const std::vector<double> x{0.1, 0.2, -3.0, 4.0};
  CHECK(back.epsilon(x, 0.5, 0.3) == a.epsilon(x, 0.5, 0.3));
  CHECK_THROWS_WITH_AS(MlpDenoiser(shape, std::vector<float>(3)), "mlpDenoiser: weights must have 418 entries for this shape, got 3",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(MlpDenoiser(MlpShape{2, 16, 3}, 1), "mlpDenoiser: embed must be an even integer in [0, 256], got 3",
                       std::invalid_argument);
}

TEST_CASE("training on one Gaussian lowers the DDPM loss towards the exact eps* and is reproducible") {
  // x_0 ~ N(2, 0.5²) in 1-D; the schedule is Su's (post 4 §4.6) on T = 1000.
  std::vector<double> abar(1000);
  double a = 1.0;
  for (int t = 0; t < 1000; ++t) abar[t] = (a *= 1.0 - 0.02 * (t + 1) / 1000.0);
  const GaussianMixture g({1.0}, {2.0}, {0.5}, 1);
  const auto data = g.sample(4000, 1);
  MlpDenoiser m(MlpShape{1, 32, 8}, 3), m2(MlpShape{1, 32, 8}, 3);
  m.set_training(data, abar, 128, 3e-3, 9);
  m2.set_training(data, abar, 128, 3e-3, 9);
  const double first = m.train(20);
  double last = 0;
  for (int k = 0; k < 15; ++k) last = m.train(40);
  CHECK(m.iterations_done() == 620);
  CHECK(last < 0.6 * first);
  m2.train(20);
  for (int k = 0; k < 15; ++k) m2.train(40);
  CHECK(m.weights() == m2.weights());  // same seed, same minibatches, same arithmetic
  // The learned ε̂ approaches ε* at a mid noise level: within 0.2 of the exact value over the bulk of p_t.
  const double ab = abar[300];
  for (double x : {0.5, 1.0, 1.5}) {
    const double e = m.epsilon(std::vector<double>{x}, ab, 0.3)[0], ref = g.epsilon(std::vector<double>{x}, ab)[0];
    INFO("x=" << x << " learned " << e << " exact " << ref);
    CHECK(std::fabs(e - ref) < 0.2);
  }
  CHECK_THROWS_WITH_AS(m.set_training(data, abar, 0, 1e-3, 1), "mlpTrain: batch must be an integer in [1, 65536], got 0",
                       std::invalid_argument);
}

TEST_CASE("the float32 network rejects inputs that are finite in double but not in float32 (they gave NaN)") {
  MlpDenoiser m(MlpShape{2, 8, 2}, 1);
  CHECK_THROWS_WITH_AS(m.epsilon(std::vector<double>{1e308, 0.0}, 0.5), "epsilon: x[0] must be finite in float32, got 1e+308",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(m.set_training({0.0, -1e39}, {0.9, 0.5}, 2, 1e-3, 1), "mlpTrain: data[1] must be finite in float32, got -1e+39",
                       std::invalid_argument);
  m.set_training({0.0, 3e38}, {0.9, 0.5}, 2, 1e-3, 1);  // FLT_MAX ≈ 3.4e38: still a float
}
