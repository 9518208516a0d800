#include "diffusion/images.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "diffusion/schedulers.hpp"
#include "numeric_test.hpp"

using namespace probwasm::diffusion;
using probwasm::testing::close_abs;
using probwasm::testing::close_rel;
using probwasm::testing::eps;

namespace {
Eigen::MatrixXd random_spd(int d, std::uint64_t seed, double ridge = 0.1) {
  NormalRng r(seed);
  Eigen::MatrixXd a(d, d);
  for (Eigen::Index k = 0; k < a.size(); ++k) a.data()[k] = r.normal();
  return a * a.transpose() / d + ridge * Eigen::MatrixXd::Identity(d, d);
}
Eigen::VectorXd random_vec(int d, std::uint64_t seed) {
  NormalRng r(seed);
  Eigen::VectorXd v(d);
  for (int k = 0; k < d; ++k) v(k) = r.normal();
  return v;
}
}  // namespace

TEST_CASE("Frechet distance of identical Gaussians is 0 (up to the eigen-solver's rounding)") {
  for (int d : {1, 2, 8, 32}) {
    SUBCASE(("d = " + std::to_string(d)).c_str()) {
      const auto mu = random_vec(d, 3);
      const auto cov = random_spd(d, 4);
      // The trace term cancels tr Σ1 + tr Σ2 − 2 tr Σ: rounding of order d·eps·tr Σ (κ small here).
      CHECK(frechet_distance(mu, cov, mu, cov) <= 100.0 * d * eps * cov.trace());
    }
  }
}

TEST_CASE("Frechet distance in 1-D is (mu1 - mu2)^2 + (s1 - s2)^2 exactly") {
  for (auto [m1, s1, m2, s2] : {std::array<double, 4>{0, 1, 0, 1}, {1, 2, -3, 0.5}, {0, 0, 0, 3}, {1e3, 1e-3, -1e3, 7}}) {
    Eigen::VectorXd a(1), b(1);
    Eigen::MatrixXd ca(1, 1), cb(1, 1);
    a << m1;
    b << m2;
    ca << s1 * s1;
    cb << s2 * s2;
    const double want = (m1 - m2) * (m1 - m2) + (s1 - s2) * (s1 - s2);
    CHECK(close_abs(frechet_distance(a, ca, b, cb), want, 16 * eps * (want + s1 * s1 + s2 * s2)));
  }
}

TEST_CASE("Frechet distance of diagonal covariances is the sum of the 1-D distances") {
  const int d = 6;
  const auto m1 = random_vec(d, 1), m2 = random_vec(d, 2);
  Eigen::VectorXd v1(d), v2(d);
  v1 << 1, 4, 0.25, 9, 0, 2;
  v2 << 4, 4, 1, 0.01, 5, 2;
  double want = (m1 - m2).squaredNorm();
  for (int k = 0; k < d; ++k) want += std::pow(std::sqrt(v1(k)) - std::sqrt(v2(k)), 2);
  const double got = frechet_distance(m1, v1.asDiagonal().toDenseMatrix(), m2, v2.asDiagonal().toDenseMatrix());
  CHECK(close_rel(got, want, 64 * eps * d));
}

TEST_CASE("Frechet distance in 2-D matches tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)) for non-commuting covariances") {
  // For 2×2 PSD M with eigenvalues λ1, λ2: (√λ1 + √λ2)² = tr M + 2√det M; here M = Σ1^{1/2}Σ2Σ1^{1/2} has
  // tr M = tr Σ1Σ2 and det M = det Σ1 det Σ2: an independent formula with no matrix square root.
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    const auto c1 = random_spd(2, seed, 0.05), c2 = random_spd(2, seed + 100, 0.05);
    const auto m1 = random_vec(2, seed + 7), m2 = random_vec(2, seed + 8);
    const double cross = std::sqrt((c1 * c2).trace() + 2.0 * std::sqrt(c1.determinant() * c2.determinant()));
    const double want = (m1 - m2).squaredNorm() + c1.trace() + c2.trace() - 2.0 * cross;
    CHECK(close_abs(frechet_distance(m1, c1, m2, c2), want, 256 * eps * (c1.trace() + c2.trace())));
  }
}

TEST_CASE("Frechet distance is symmetric, invariant under a rotation of both, and >= 0 with singular covariances") {
  const int d = 5;
  const auto c1 = random_spd(d, 9), c2 = random_spd(d, 10);
  const auto m1 = random_vec(d, 11), m2 = random_vec(d, 12);
  const double f = frechet_distance(m1, c1, m2, c2);
  CHECK(close_rel(frechet_distance(m2, c2, m1, c1), f, 1e3 * eps));
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(random_spd(d, 13));
  const Eigen::MatrixXd Q = qr.householderQ();
  CHECK(close_rel(frechet_distance(Q * m1, Q * c1 * Q.transpose(), Q * m2, Q * c2 * Q.transpose()), f, 1e3 * eps));
  // rank-1 covariances (fewer points than dimensions, as with 2 samples): still defined and ≥ 0
  const auto u = random_vec(d, 14), v = random_vec(d, 15);
  const double g = frechet_distance(m1, u * u.transpose(), m1, v * v.transpose());
  // both rank 1: W₂² = ‖u‖² + ‖v‖² − 2|u·v| (Σ1^{1/2}Σ2Σ1^{1/2} = (u·v)² uuᵀ/‖u‖²). The zero eigenvalues come out
  // of the solver as ±eps·‖Σ‖ and enter through √: singular covariances are accurate to √eps, not eps.
  const double tr = u.squaredNorm() + v.squaredNorm();
  CHECK(close_abs(g, tr - 2.0 * std::fabs(u.dot(v)), 4.0 * d * std::sqrt(eps) * tr));
  CHECK(frechet_distance(m1, Eigen::MatrixXd::Zero(d, d), m1, Eigen::MatrixXd::Zero(d, d)) == 0.0);
}

TEST_CASE("Frechet distance rejects mismatched dimensions and non-finite statistics, naming frechetDistance") {
  Eigen::VectorXd a = Eigen::VectorXd::Zero(2), b = Eigen::VectorXd::Zero(3);
  Eigen::MatrixXd c2 = Eigen::MatrixXd::Identity(2, 2), c3 = Eigen::MatrixXd::Identity(3, 3);
  CHECK_THROWS_WITH_AS(frechet_distance(a, c2, b, c3), doctest::Contains("frechetDistance"), std::invalid_argument);
  a(0) = NAN;
  CHECK_THROWS_WITH_AS(frechet_distance(a, c2, a, c2), doctest::Contains("finite"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(frechet_distance_of({1, 2}, {1, 2, 3, 4}, 2, "frechetDistance"), doctest::Contains("at least 2"),
                       std::invalid_argument);
}

TEST_CASE("Frechet distance of point sets uses the sample mean and unbiased covariance") {
  // a = {(0,0),(2,0)}: μ = (1,0), Σ = diag(2, 0); b = {(1,1),(1,3)}: μ = (1,2), Σ = diag(0, 2).
  // d² = 4 + (√2 − 0)² + (0 − √2)² = 8.
  CHECK(close_rel(frechet_distance_of({0, 0, 2, 0}, {1, 1, 1, 3}, 2, "t"), 8.0, 16 * eps));
}

TEST_CASE("rms difference: exact small cases and named errors") {
  CHECK(rms_difference({0, 0, 0, 0}, {1, -1, 1, -1}, "t") == 1.0);
  CHECK(rms_difference({3}, {-1}, "t") == 4.0);
  CHECK(rms_difference({1, 2}, {1, 2}, "t") == 0.0);
  CHECK_THROWS_WITH_AS(rms_difference({1}, {1, 2}, "imageRmse"), doctest::Contains("imageRmse: b"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(rms_difference({}, {}, "imageRmse"), doctest::Contains("non-empty"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(rms_difference({1, NAN}, {1, 2}, "imageRmse"), doctest::Contains("imageRmse: a[1] must be finite"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(rms_difference({1, 2}, {INFINITY, 2}, "imageRmse"), doctest::Contains("imageRmse: b[0] must be finite"), std::invalid_argument);
}

TEST_CASE("float16 conversion: known encodings, round half to even, and exact round trips of every half") {
  CHECK(float_to_half(1.0f) == 0x3C00);
  CHECK(float_to_half(-2.0f) == 0xC000);
  CHECK(float_to_half(65504.0f) == 0x7BFF);
  CHECK(float_to_half(65519.0f) == 0x7BFF);
  CHECK(float_to_half(65520.0f) == 0x7C00);  // the midpoint rounds to even: up to infinity
  CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);
  CHECK(float_to_half(std::ldexp(1.0f, -25)) == 0x0000);  // tie → even (0)
  CHECK(float_to_half(std::ldexp(3.0f, -25)) == 0x0002);  // 1.5 units → 2
  CHECK(float_to_half(0.1f) == 0x2E66);
  CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);  // tie between 1 and 1+2^−10 → even
  CHECK(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3C02);
  CHECK(float_to_half(-0.0f) == 0x8000);
  CHECK(float_to_half(INFINITY) == 0x7C00);
  CHECK(std::isnan(half_to_float(float_to_half(NAN))));
  int bad = 0;
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const float f = half_to_float(static_cast<std::uint16_t>(h));
    if (std::isnan(f)) continue;
    bad += float_to_half(f) != h;
  }
  CHECK(bad == 0);
  // |x − half(x)| ≤ 2^−11 |x| for normal halves
  NormalRng r(5);
  for (int k = 0; k < 1000; ++k) {
    const float x = static_cast<float>(r.normal());
    if (std::fabs(x) < 6.2e-5f) continue;
    CHECK(std::fabs(half_to_float(float_to_half(x)) - x) <= std::ldexp(std::fabs(x), -11));
  }
}

TEST_CASE("the digits CSV parser reads pixels and labels and names the bad row") {
  std::string row;
  for (int j = 0; j < 64; ++j) row += std::to_string(j % 17) + ",";
  const Digits d = parse_digits_csv(row + "7\n" + row + "3\r\n\n");
  REQUIRE(d.size() == 2);
  CHECK(d.labels[0] == 7);
  CHECK(d.labels[1] == 3);
  CHECK(d.pixels[16] == 16);
  CHECK(d.pixels[64 + 17] == 0);
  CHECK_THROWS_WITH_AS(parse_digits_csv(row + "10\n"), doctest::Contains("label in 0..9"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_digits_csv("17," + row.substr(2) + "1\n"), doctest::Contains("0..16"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_digits_csv("1,2,3\n"), doctest::Contains("65 fields"), std::invalid_argument);
  const auto u = digits_unit(d, false);
  CHECK(u[0] == -1.0);
  CHECK(u[16] == 1.0);
  CHECK(u[8] == 0.0);
}

TEST_CASE("the bundle round-trips through its float16 encoding and rejects truncated or foreign bytes") {
  ImageBundle b;
  b.eps_shape = MlpShape{64, 8, 4};
  b.clf_shape.h1 = 6;
  b.clf_shape.h2 = 3;
  NormalRng r(2);
  b.eps_weights.resize(b.eps_shape.parameters());
  b.clf_weights.resize(b.clf_shape.parameters());
  for (auto& w : b.eps_weights) w = static_cast<float>(r.normal());
  for (auto& w : b.clf_weights) w = static_cast<float>(r.normal());
  for (int k = 0; k < 3 * 64; ++k) b.digits.pixels.push_back(static_cast<std::uint8_t>(k % 17));
  b.digits.labels = {1, 2, 9};
  const auto bytes = encode_bundle(b);
  CHECK(bytes.size() == 40 + 2 * (b.eps_weights.size() + b.clf_weights.size()) + 3 * 65);
  const ImageBundle c = decode_bundle(bytes.data(), bytes.size(), "t");
  CHECK(c.eps_shape.hidden == 8);
  CHECK(c.clf_shape.h2 == 3);
  CHECK(c.eps_weights == round_to_half(b.eps_weights));
  CHECK(c.clf_weights == round_to_half(b.clf_weights));
  CHECK(c.digits.pixels == b.digits.pixels);
  CHECK(c.digits.labels == b.digits.labels);
  CHECK_THROWS_WITH_AS(decode_bundle(bytes.data(), bytes.size() - 1, "imageDenoiser"), doctest::Contains("imageDenoiser: bytes"),
                       std::invalid_argument);
  auto foreign = bytes;
  foreign[0] = 'X';
  CHECK_THROWS_WITH_AS(decode_bundle(foreign.data(), foreign.size(), "t"), doctest::Contains("PWDIGIT1"), std::invalid_argument);
}

TEST_CASE("classifier backpropagation matches central finite differences of the cross-entropy (float32)") {
  ClassifierShape s;
  s.h1 = 7;
  s.h2 = 5;
  DigitClassifier c(s, 3);
  NormalRng r(4);
  std::vector<float> w = c.weights();
  for (auto& v : w) v += static_cast<float>(0.1 * r.normal());
  DigitClassifier net(s, w);
  DigitClassifier::Mat x(64, 4);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = static_cast<float>(r.normal());
  const std::vector<int> y = {0, 3, 9, 3};
  std::vector<float> grad;
  net.loss_and_grad(x, y, &grad);
  REQUIRE(grad.size() == s.parameters());
  // float32: h = 1e-2 balances truncation O(h²) ≈ 1e-4 against rounding O(eps_f·L/h) ≈ 3e-5 on L ≈ 2.
  const float h = 1e-2f;
  int checked = 0;
  for (std::size_t k = 0; k < grad.size(); k += 7) {
    auto wp = w, wm = w;
    wp[k] += h;
    wm[k] -= h;
    const double fd = (DigitClassifier(s, wp).loss_and_grad(x, y, nullptr) - DigitClassifier(s, wm).loss_and_grad(x, y, nullptr)) / (2.0 * h);
    INFO("parameter " << k);
    CHECK(close_abs(grad[k], fd, 2e-3 + 2e-2 * std::fabs(fd)));
    ++checked;
  }
  CHECK(checked == 80);  // every 7th of the 555 parameters, all six blocks
}

TEST_CASE("image quality of a set against itself: FID 0, histogram sums to 1, entropy within [0, log 10]") {
  ClassifierShape s;
  s.h1 = 16;
  s.h2 = 8;
  DigitClassifier c(s, 1);
  NormalRng r(8);
  std::vector<double> x(40 * 64);
  for (auto& v : x) v = r.normal();
  const auto q = image_quality(c, x, x);
  CHECK(q.fid <= 1e-9);
  double sum = 0;
  for (double h : q.histogram) sum += h;
  CHECK(close_abs(sum, 1.0, 16 * eps));
  CHECK(q.entropy >= 0.0);
  CHECK(q.entropy <= std::log(10.0) + 16 * eps);
  CHECK(q.count == 40);
  CHECK_THROWS_WITH_AS(image_quality(c, std::vector<double>(64), x), doctest::Contains("imageQuality: samples"), std::invalid_argument);
}

#ifndef __EMSCRIPTEN__
namespace {
std::string digits_csv() {
  // build/data/digits.csv, fetched by scripts/setup.sh (scripts/fetch-digits.sh); the test file's own path locates it.
  std::string here = __FILE__;
  const std::string root = here.substr(0, here.rfind("/tests/diffusion/"));
  std::ifstream in(root + "/build/data/digits.csv", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("real digits: the split rule gives 1438 training and 359 held-out images") {
  const std::string text = digits_csv();
  REQUIRE_MESSAGE(!text.empty(), "build/data/digits.csv is missing: run scripts/fetch-digits.sh (setup does)");
  const Digits d = parse_digits_csv(text);
  CHECK(d.size() == 1797);
  std::vector<int> ltr, lho;
  CHECK(digits_unit(d, false, &ltr).size() == 1438 * 64);
  CHECK(digits_unit(d, true, &lho).size() == 359 * 64);
  for (int k = 0; k < 10; ++k) CHECK(std::count(lho.begin(), lho.end(), k) >= 20);  // every class is held out (the rarest: 21 images)
}

TEST_CASE("a shortened training run on the real digits reaches its stated losses (the full run: tools/train_images)") {
  const std::string text = digits_csv();
  REQUIRE(!text.empty());
  const Digits d = parse_digits_csv(text);
  std::vector<int> labels;
  const auto train = digits_unit(d, false, &labels);
  SUBCASE("epsilon model: 800 Adam steps of a 64-wide MLP, DDPM loss below 0.30 (untrained: about 1)") {
    const auto betas = make_betas(SchedulerConfig{});
    std::vector<float> a(betas.size());
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = 1.0f - betas[i];
    const auto ac32 = cumprod_f32(a);
    MlpDenoiser m(MlpShape{64, 64, 16}, 1);
    m.set_training(train, std::vector<double>(ac32.begin(), ac32.end()), 128, 2e-3, 2);
    const double first = m.train(50);
    for (int k = 0; k < 14; ++k) m.train(50);
    const double last = m.train(50);
    MESSAGE("eps loss: first 50 steps " << first << ", steps 751-800 " << last);
    CHECK(first > 0.5);
    CHECK(last < 0.30);
  }
  SUBCASE("classifier: 400 steps reach held-out accuracy above 90%") {
    ClassifierShape s;
    DigitClassifier c(s, 1);
    c.set_training(train, labels, 128, 2e-3, 2);
    c.train(400);
    std::vector<int> hl;
    const auto held = digits_unit(d, true, &hl);
    const auto p = c.probabilities(held.data(), hl.size(), "t");
    int right = 0;
    for (Eigen::Index k = 0; k < p.cols(); ++k) {
      Eigen::Index arg;
      p.col(k).maxCoeff(&arg);
      right += arg == hl[static_cast<std::size_t>(k)];
    }
    MESSAGE("held-out accuracy " << right << "/" << hl.size());
    CHECK(right > 0.9 * static_cast<double>(hl.size()));
  }
}
#endif
