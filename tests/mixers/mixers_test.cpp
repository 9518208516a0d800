#include "mixers/mixers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "numeric_test.hpp"

using namespace probwasm::mixers;
using probwasm::testing::eps;

namespace {

constexpr double eps32 = std::numeric_limits<float>::epsilon();  // 2^-23
const double kPi = std::acos(-1.0);

using MatD = Mat<double>;

MatD param(const TokenMixer& m, const char* name) { return m.parameter(name).cast<double>(); }
MatD as_mat(const std::vector<float>& x, int n, int d) { return Eigen::Map<const MatF>(x.data(), n, d).cast<double>(); }

double max_abs(const MatD& m) { return m.size() ? m.cwiseAbs().maxCoeff() : 0.0; }
double max_abs_diff(const std::vector<float>& a, const MatD& b) {
  REQUIRE(a.size() == static_cast<std::size_t>(b.size()));
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b.data()[i]));
  return m;
}

// Independent double-precision references, written with plain loops from the papers' formulas.
MatD softmax_rows(MatD s) {
  for (int i = 0; i < s.rows(); ++i) {
    double z = 0;
    for (int j = 0; j < s.cols(); ++j) z += std::exp(s(i, j));
    for (int j = 0; j < s.cols(); ++j) s(i, j) = std::exp(s(i, j)) / z;
  }
  return s;
}
MatD layer_norm(const MatD& x) {
  MatD out(x.rows(), x.cols());
  for (int i = 0; i < x.rows(); ++i) {
    double mean = 0, var = 0;
    for (int c = 0; c < x.cols(); ++c) mean += x(i, c) / x.cols();
    for (int c = 0; c < x.cols(); ++c) var += (x(i, c) - mean) * (x(i, c) - mean) / x.cols();
    for (int c = 0; c < x.cols(); ++c) out(i, c) = (x(i, c) - mean) / std::sqrt(var + 1e-5);
  }
  return out;
}
double gelu(double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); }

MatD reference(const TokenMixer& m, const MatD& X) {
  const int n = static_cast<int>(X.rows()), d = static_cast<int>(X.cols());
  switch (m.kind()) {
    case Kind::attention: {
      const MatD Q = X * param(m, "Wq"), K = X * param(m, "Wk"), V = X * param(m, "Wv");
      return softmax_rows(Q * K.transpose() / std::sqrt(static_cast<double>(Q.cols()))) * V;
    }
    case Kind::synthesizer_random: return softmax_rows(param(m, "B")) * (X * param(m, "Wv"));
    case Kind::synthesizer_dense: {
      MatD H = X * param(m, "W1");
      for (int i = 0; i < n; ++i) H.row(i) += param(m, "b1").row(0);
      H = H.cwiseMax(0.0);
      MatD B = H * param(m, "W2");
      for (int i = 0; i < n; ++i) B.row(i) += param(m, "b2").row(0);
      return softmax_rows(B) * (X * param(m, "Wv"));
    }
    case Kind::mixer: {
      MatD H = param(m, "W1") * layer_norm(X);
      for (int k = 0; k < H.rows(); ++k)
        for (int c = 0; c < d; ++c) H(k, c) = gelu(H(k, c) + param(m, "b1")(k, 0));
      MatD U = param(m, "W2") * H;
      for (int i = 0; i < n; ++i)
        for (int c = 0; c < d; ++c) U(i, c) += param(m, "b2")(i, 0) + X(i, c);
      return U;
    }
    case Kind::mixer_linear: return param(m, "B") * X;
    case Kind::external: {
      const MatD Mk = param(m, "Mk"), Mv = param(m, "Mv");
      MatD E = X * Mk.transpose();
      MatD A = softmax_rows(E.transpose()).transpose();  // softmax over tokens = over rows of Eᵀ
      for (int i = 0; i < n; ++i) A.row(i) /= A.row(i).sum();
      return A * Mv;
    }
    case Kind::fnet: return X;  // not used: FNet has its own DFT reference
    case Kind::gmlp:
    case Kind::amlp: {
      const int e = d / 2;
      MatD Y = param(m, "B") * layer_norm(X.rightCols(e));
      for (int i = 0; i < n; ++i) Y.row(i).array() += param(m, "b")(i, 0);
      if (m.kind() == Kind::amlp) {
        const MatD Q = X * param(m, "Wq"), K = X * param(m, "Wk"), V = X * param(m, "Wv");
        Y += softmax_rows(Q * K.transpose() / std::sqrt(static_cast<double>(Q.cols()))) * V;
      }
      return X.leftCols(e).cwiseProduct(Y);
    }
    case Kind::resmlp: {
      MatD H(n, d);
      for (int i = 0; i < n; ++i)
        for (int c = 0; c < d; ++c) H(i, c) = param(m, "alpha1")(0, c) * X(i, c) + param(m, "beta1")(0, c);
      MatD M = param(m, "B") * H;
      for (int i = 0; i < n; ++i)
        for (int c = 0; c < d; ++c) M(i, c) = X(i, c) + param(m, "alpha2")(0, c) * M(i, c) + param(m, "beta2")(0, c);
      return M;
    }
  }
  return X;
}

// (1/d_out)·Σ_c ∂O_ic/∂X_jc by central differences of the double forward (step h, error O(h²)).
MatD fd_mixing(const TokenMixer& m, const std::vector<float>& x, int n, double h = 1e-4) {
  const int d = m.d(), dout = m.out_dim();
  std::vector<double> xd(x.begin(), x.end());
  MatD J = MatD::Zero(n, n);
  for (int j = 0; j < n; ++j)
    for (int c = 0; c < dout; ++c) {
      std::vector<double> xp = xd, xm = xd;
      xp[j * d + c] += h;
      xm[j * d + c] -= h;
      const std::vector<double> op = m.forward(xp, n), om = m.forward(xm, n);
      for (int i = 0; i < n; ++i) J(i, j) += (op[i * dout + c] - om[i * dout + c]) / (2 * h) / dout;
    }
  return J;
}

std::vector<Kind> all_kinds() {
  std::vector<Kind> k;
  for (const std::string& s : kind_names()) k.push_back(parse_kind(s));
  return k;
}

}  // namespace

TEST_CASE("splitmix64 reproduces the published reference stream and Box–Muller gives N(0,1) moments") {
  Rng r(0);  // splitmix64 seeded with 0: 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f
  CHECK(r.next() == 0xe220a8397b1dcdafull);
  CHECK(r.next() == 0x6e789e6aa1b965f4ull);
  CHECK(r.next() == 0x06c45d188009454full);
  Rng g(7);
  const int N = 200000;
  double s1 = 0, s2 = 0;
  for (int i = 0; i < N; ++i) {
    const double v = g.normal();
    s1 += v;
    s2 += v * v;
  }
  // mean has sd 1/√N ≈ 0.0022, the second moment sd √(2/N) ≈ 0.0032: 5σ bounds.
  CHECK(std::fabs(s1 / N) < 5 / std::sqrt(double(N)));
  CHECK(std::fabs(s2 / N - 1) < 5 * std::sqrt(2.0 / N));
}

TEST_CASE("the same seed gives the same parameters; another seed gives others") {
  const TokenMixer a(Kind::attention, 8, 4, {}), b(Kind::attention, 8, 4, {}), c(Kind::attention, 8, 4, Options{2});
  CHECK(a.parameter("Wq") == b.parameter("Wq"));
  CHECK(a.parameter("Wq") != c.parameter("Wq"));
  CHECK(make_input("random", 5, 3, 9) == make_input("random", 5, 3, 9));
}

TEST_CASE("every mixer matches an independent double-precision reference to float32 accuracy") {
  // Float32 error of a chain of dot products of length ≤ K: about K·eps32 times the magnitude of the
  // terms (Higham's γ_K); with ≤ 4 chained products and |terms| ≲ 1 + max|O|, 8·K·eps32·(1 + max|O|).
  for (Kind k : all_kinds()) {
    if (k == Kind::fnet) continue;
    for (int n : {1, 5, 16}) {
      const int d = 6;
      CAPTURE(kind_name(k));
      CAPTURE(n);
      const TokenMixer m(k, n, d, Options{3});
      const std::vector<float> x = make_input("random", n, d, 11);
      const MatD ref = reference(m, as_mat(x, n, d));
      const std::vector<float> out = m.forward(x, n);
      REQUIRE(out.size() == static_cast<std::size_t>(n * m.out_dim()));
      const double K = n + d + 64 + n;  // token length, channels, memory/hidden, second product
      CHECK(max_abs_diff(out, ref) <= 8 * K * eps32 * (1 + max_abs(ref)));
      // and the double path of the same code agrees with the reference to double accuracy
      const std::vector<double> od = m.forward(std::vector<double>(x.begin(), x.end()), n);
      double dm = 0;
      for (std::size_t i = 0; i < od.size(); ++i) dm = std::max(dm, std::fabs(od[i] - ref.data()[i]));
      CHECK(dm <= 8 * K * eps * (1 + max_abs(ref)));
    }
  }
}

TEST_CASE("FNet's FFT equals the DFT matrix product within c·log2(nd)·eps32·‖X‖") {
  // Higham (Accuracy and Stability, §24.1): a Cooley–Tukey FFT of length N has ‖ŷ − y‖₂ ≤ c·log2 N·u·‖y‖₂;
  // the 2-D transform has N = n·d and ‖y‖_F = √(nd)·‖X‖_F. c = 1 covers the float twiddles; measured: ≤ 0.13 of the c = 1 bound for these sizes.
  for (const auto& nd_ : std::vector<std::pair<int, int>>{{1, 1}, {2, 3}, {8, 4}, {16, 16}, {12, 10}, {13, 7}, {64, 32}, {97, 5}, {256, 8}}) {
    const int n = nd_.first, d = nd_.second;
    CAPTURE(n);
    CAPTURE(d);
    const TokenMixer m(Kind::fnet, n, d);
    const std::vector<float> x = make_input("random", n, d, 5);
    const std::vector<float> o = m.forward(x, n);
    const std::vector<double> ref = fnet_dft_reference(x, n, d);
    double err2 = 0, x2 = 0;
    for (std::size_t i = 0; i < o.size(); ++i) err2 += (o[i] - ref[i]) * (o[i] - ref[i]);
    for (float v : x) x2 += double(v) * v;
    const double bound = 1 * std::max(1.0, std::log2(double(n) * d)) * eps32 * std::sqrt(double(n) * d * x2);
    CHECK(std::sqrt(err2) <= bound);
  }
}

TEST_CASE("fnet_check reports the FFT error against the DFT and the c = 1 bound") {
  const std::vector<float> x = make_input("sinusoid", 24, 6, 0);
  const FftCheck c = fnet_check(x, 24, 6);
  CHECK(c.frobenius > 0);  // float32 twiddles do round
  CHECK(c.max_abs <= c.frobenius);
  CHECK(c.frobenius <= c.bound);
  double x2 = 0;
  for (float v : x) x2 += double(v) * v;
  CHECK(c.bound == doctest::Approx(std::log2(144.0) * eps32 * std::sqrt(144.0 * x2)).epsilon(8 * eps));
}

TEST_CASE("the FNet DFT reference has the closed forms of a delta and a cosine") {
  SUBCASE("a unit impulse at (0,0) transforms to all ones") {
    std::vector<float> x(6 * 4, 0.0f);
    x[0] = 1;
    for (double v : fnet_dft_reference(x, 6, 4)) CHECK(v == doctest::Approx(1.0).epsilon(4 * eps));
  }
  SUBCASE("x_ic = cos(2π·2i/8) gives n·d/2 at (2,0) and (6,0) only (d = 1: F_1 = 1)") {
    std::vector<float> x(8);
    for (int i = 0; i < 8; ++i) x[i] = static_cast<float>(std::cos(2 * kPi * 2 * i / 8));
    const std::vector<double> y = fnet_dft_reference(x, 8, 1);
    for (int i = 0; i < 8; ++i) CHECK(std::fabs(y[i] - ((i == 2 || i == 6) ? 4.0 : 0.0)) <= 32 * eps32);
    const std::vector<float> o = TokenMixer(Kind::fnet, 8, 1).forward(x, 8);
    for (int i = 0; i < 8; ++i) CHECK(std::fabs(o[i] - y[i]) <= 2 * 3 * eps32 * std::sqrt(8.0 * 8.0 / 2));
  }
}

TEST_CASE("Synthesizer-Random gives the same A for every input; attention and Dense do not") {
  const int n = 12, d = 8;
  const std::vector<float> x1 = make_input("random", n, d, 1), x2 = make_input("sinusoid", n, d, 0);
  const TokenMixer sr(Kind::synthesizer_random, n, d), sd(Kind::synthesizer_dense, n, d), at(Kind::attention, n, d);
  CHECK(sr.mixing_matrix(x1, n).matrix == sr.mixing_matrix(x2, n).matrix);  // bitwise
  CHECK(input_dependence(sr, x1, x2, n).max_abs == 0.0);
  CHECK_FALSE(sr.mixing_matrix(x1, n).input_dependent);
  CHECK(input_dependence(sd, x1, x2, n).max_abs > 1e-3);
  CHECK(input_dependence(at, x1, x2, n).max_abs > 1e-3);
  for (Kind k : {Kind::fnet, Kind::gmlp, Kind::mixer_linear, Kind::resmlp})
    CHECK(input_dependence(TokenMixer(k, n, d), x1, x2, n).max_abs == 0.0);
  // and its A is softmax(B) of the stored parameter
  const MatD A = softmax_rows(param(sr, "B"));
  CHECK(max_abs_diff(sr.mixing_matrix(x1, n).matrix, A) <= 4 * n * eps32);
}

TEST_CASE("attention: each row of A is a probability vector, and the map is permutation equivariant") {
  const int n = 20, d = 8;
  const TokenMixer at(Kind::attention, n, d, Options{4});
  SUBCASE("rows sum to 1 within n·eps32, entries in [0, 1]") {
    for (const char* pat : {"random", "blocks", "ramp"}) {
      std::vector<float> x = make_input(pat, n, d, 2);
      for (float& v : x) v *= 30;  // saturating logits: the max shift keeps exp finite
      const std::vector<float> A = at.mixing_matrix(x, n).matrix;
      for (int i = 0; i < n; ++i) {
        double s = 0;
        for (int j = 0; j < n; ++j) {
          CHECK(A[i * n + j] >= 0.0f);
          CHECK(A[i * n + j] <= 1.0f);
          s += A[i * n + j];
        }
        CHECK(std::fabs(s - 1) <= n * eps32);
      }
    }
  }
  SUBCASE("O(ΠX) = Π O(X) for a token permutation Π (attention and External Attention, not Synthesizer)") {
    const std::vector<float> x = make_input("random", n, d, 6);
    std::vector<int> perm(n);
    for (int i = 0; i < n; ++i) perm[i] = (7 * i + 3) % n;  // 7 is coprime to 20
    std::vector<float> px(x.size());
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < d; ++c) px[i * d + c] = x[perm[i] * d + c];
    for (Kind k : {Kind::attention, Kind::external, Kind::synthesizer_random}) {
      CAPTURE(kind_name(k));
      const TokenMixer m(k, n, d);
      const std::vector<float> o = m.forward(x, n), po = m.forward(px, n);
      double diff = 0, scale = 0;
      for (int i = 0; i < n; ++i)
        for (int c = 0; c < d; ++c) {
          diff = std::max(diff, double(std::fabs(po[i * d + c] - o[perm[i] * d + c])));
          scale = std::max(scale, double(std::fabs(o[i * d + c])));
        }
      if (k == Kind::synthesizer_random) CHECK(diff > 0.01 * scale);  // position-bound B breaks equivariance
      else CHECK(diff <= 8 * (n + d + 64) * eps32 * (1 + scale));  // only the summation order differs
    }
  }
  SUBCASE("n = 1: A = [1] and O = X W_v") {
    const std::vector<float> x = make_input("random", 1, d, 3);
    CHECK(at.mixing_matrix(x, 1).matrix == std::vector<float>{1.0f});
  }
}

TEST_CASE("External Attention normalises twice: softmax down the tokens, then ℓ1 along the memory") {
  const int n = 10, d = 6;
  const TokenMixer ea(Kind::external, n, d, Options{8, 0, 0, 5});
  const std::vector<float> x = make_input("random", n, d, 4);
  const MatD X = as_mat(x, n, d), Mk = param(ea, "Mk"), Mv = param(ea, "Mv");
  // The two stages, checked by their defining properties on the reference matrices:
  const MatD P = softmax_rows((X * Mk.transpose()).transpose()).transpose();  // n×S
  for (int s = 0; s < P.cols(); ++s) CHECK(P.col(s).sum() == doctest::Approx(1.0).epsilon(16 * eps));
  MatD A = P;
  for (int i = 0; i < n; ++i) A.row(i) /= A.row(i).sum();
  for (int i = 0; i < n; ++i) CHECK(A.row(i).sum() == doctest::Approx(1.0).epsilon(16 * eps));
  CHECK(max_abs_diff(ea.forward(x, n), A * Mv) <= 8 * (n + d + 5) * eps32 * (1 + max_abs(A * Mv)));
  SUBCASE("the implementation's own P has unit columns and its A unit rows, A = diag(1/r) P") {
    const TokenMixer::ExternalWeights w = ea.external_weights(x, n);
    const int S = w.memory;
    REQUIRE(S == 5);
    for (int s = 0; s < S; ++s) {  // softmax down a column of n entries: |Σ − 1| ≤ n·eps32
      double c = 0;
      for (int i = 0; i < n; ++i) c += w.p[i * S + s];
      CHECK(std::fabs(c - 1) <= n * eps32);
    }
    for (int i = 0; i < n; ++i) {  // ℓ1 over S entries: |Σ − 1| ≤ S·eps32; and A_is / P_is is one number per row
      double r = 0;
      for (int s = 0; s < S; ++s) r += w.a[i * S + s];
      CHECK(std::fabs(r - 1) <= 2 * S * eps32);
      for (int s = 1; s < S; ++s)
        CHECK(std::fabs(double(w.a[i * S + s]) / w.p[i * S + s] - double(w.a[i * S]) / w.p[i * S]) <=
              4 * eps32 * double(w.a[i * S]) / w.p[i * S]);
    }
    // and they are the reference stages to float32 accuracy
    CHECK(max_abs_diff(w.p, P) <= 8 * (n + d) * eps32);
    CHECK(max_abs_diff(w.a, A) <= 8 * (n + d + 5) * eps32);
    CHECK_THROWS_WITH_AS(TokenMixer(Kind::fnet, n, d).external_weights(x, n),
                         "TokenMixer.externalWeights: kind must be external, got \"fnet\"", std::invalid_argument);
  }
  SUBCASE("the rows of A sum to 1: a memory whose rows are all v returns v for every token") {
    // O = A M_v with M_v = 1 vᵀ gives O_i = (Σ_s A_is) v = v: observable through the forward alone.
    // (The mixer's own M_v is random; use the reference A built from the mixer's M_k and a constant M_v.)
    MatD Mv1(5, d);
    for (int s = 0; s < 5; ++s) Mv1.row(s) = Mv.row(0);
    const MatD O = A * Mv1;
    for (int i = 0; i < n; ++i) CHECK((O.row(i) - Mv.row(0)).cwiseAbs().maxCoeff() <= 16 * eps * (1 + max_abs(Mv)));
  }
  SUBCASE("a token's output depends on the other tokens only through the token-axis softmax") {
    // Changing token 0 moves token 5's output (coupling through the column softmax)…
    std::vector<float> x2 = x;
    for (int c = 0; c < d; ++c) x2[c] += 1.0f;
    const std::vector<float> o1 = ea.forward(x, n), o2 = ea.forward(x2, n);
    double moved = 0;
    for (int c = 0; c < d; ++c) moved = std::max(moved, double(std::fabs(o1[5 * d + c] - o2[5 * d + c])));
    CHECK(moved > 1e-4);
    // …and the Jacobian-based mixing matrix shows that coupling (off-diagonal entries ≠ 0).
    const std::vector<float> M = ea.mixing_matrix(x, n).matrix;
    CHECK(std::fabs(M[5 * n + 0]) > 0);
  }
  SUBCASE("it accepts any n: the memory size, not n, fixes the parameters") {
    for (int m : {1, 3, 33}) CHECK(ea.forward(make_input("random", m, d, 1), m).size() == static_cast<std::size_t>(m * d));
  }
}

TEST_CASE("the Jacobian-based mixing matrices equal central differences of the double forward") {
  // FD error: O(h²) truncation (h = 1e-4 → ~1e-8·|f'''|) plus the float32 evaluation of the analytic
  // matrix, ~K·eps32 with K ≈ n + d + hidden: 1e-5·(1 + max|M|) covers both with margin.
  for (Kind k : {Kind::mixer, Kind::external, Kind::mixer_linear, Kind::resmlp}) {
    CAPTURE(kind_name(k));
    const int n = 9, d = 5;
    const TokenMixer m(k, n, d, Options{12, 0, 0, 7});
    const std::vector<float> x = make_input("random", n, d, 21);
    const MixingMatrix M = m.mixing_matrix(x, n);
    const MatD J = fd_mixing(m, x, n);
    CHECK(max_abs_diff(M.matrix, J) <= 1e-5 * (1 + max_abs(J)));
  }
}

TEST_CASE("Mixer: the post's reading is linear in the tokens; the paper's block is channel-permutation equivariant") {
  const int n = 10, d = 6;
  SUBCASE("mixer-linear: f(aX + bY) = a f(X) + b f(Y), and its mixing matrix is exactly B") {
    const TokenMixer m(Kind::mixer_linear, n, d);
    const std::vector<float> x = make_input("random", n, d, 1), y = make_input("sinusoid", n, d, 0);
    std::vector<float> z(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) z[i] = 2.0f * x[i] - 3.0f * y[i];  // one rounding
    const std::vector<float> fx = m.forward(x, n), fy = m.forward(y, n), fz = m.forward(z, n);
    // each side is a length-n float32 dot product of terms ≤ max|B|·max|input|: error ≤ n·eps32 per side
    const double scale = max_abs(param(m, "B")) * (2 * max_abs(as_mat(x, n, d)) + 3 * max_abs(as_mat(y, n, d)));
    for (std::size_t i = 0; i < fz.size(); ++i)
      CHECK(std::fabs(fz[i] - (2.0 * fx[i] - 3.0 * fy[i])) <= 4 * n * eps32 * scale);
    CHECK(m.mixing_matrix(x, n).matrix == std::vector<float>(m.parameter("B").data(), m.parameter("B").data() + n * n));
    CHECK(m.mixing_matrix(x, n).definition == "exact");
  }
  SUBCASE("mixer (LN + GELU MLP along tokens): permuting channels permutes the output the same way") {
    const TokenMixer m(Kind::mixer, n, d);
    const std::vector<float> x = make_input("random", n, d, 3);
    std::vector<float> px(x.size());
    const int perm[6] = {3, 0, 5, 1, 4, 2};
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < d; ++c) px[i * d + c] = x[i * d + perm[c]];
    const std::vector<float> o = m.forward(x, n), po = m.forward(px, n);
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < d; ++c) CHECK(std::fabs(po[i * d + c] - o[i * d + perm[c]]) <= 8 * (n + d) * eps32 * (1 + std::fabs(o[i * d + perm[c]])));
  }
  SUBCASE("the paper's Mixer is not linear: GELU and LN bend it") {
    const TokenMixer m(Kind::mixer, n, d);
    const std::vector<float> x = make_input("random", n, d, 3);
    std::vector<float> x2(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) x2[i] = 2 * x[i];
    const std::vector<float> o = m.forward(x, n), o2 = m.forward(x2, n);
    double dev = 0;
    for (std::size_t i = 0; i < o.size(); ++i) dev = std::max(dev, double(std::fabs(o2[i] - 2 * o[i])));
    CHECK(dev > 0.01);
  }
}

TEST_CASE("gMLP's spatial gating unit is near the identity on Z1 at initialisation (W ≈ 0, b = 1)") {
  const int n = 16, d = 8, e = 4;
  const std::vector<float> x = make_input("random", n, d, 2);
  SUBCASE("gateInit = 0: exactly Z1 (W·LN + 1 = 1, and Z1·1 is exact)") {
    Options o;
    o.gate_init = 0;
    const std::vector<float> out = TokenMixer(Kind::gmlp, n, d, o).forward(x, n);
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < e; ++c) CHECK(out[i * e + c] == x[i * d + c]);
  }
  SUBCASE("gateInit = ε: |O − Z1| ≤ |Z1|·(ε·n·√(e−1) + 4·eps32), since |LN(z)_c| ≤ √(e−1)") {
    for (double g : {1e-3, 1e-1}) {
      Options o;
      o.gate_init = g;
      const TokenMixer m(Kind::gmlp, n, d, o);
      CHECK(m.parameter("b") == MatF::Ones(n, 1));
      CHECK(m.parameter("B").cwiseAbs().maxCoeff() <= g);
      const std::vector<float> out = m.forward(x, n);
      for (int i = 0; i < n; ++i)
        for (int c = 0; c < e; ++c) {
          const double z1 = x[i * d + c];
          CHECK(std::fabs(out[i * e + c] - z1) <= std::fabs(z1) * (g * n * std::sqrt(e - 1.0) + 4 * n * eps32));
        }
    }
  }
}

TEST_CASE("counted FLOPs equal the closed forms") {
  SUBCASE("by hand: attention n=8, d=4, k=4") {
    // Q,K: 2·(2·8·4·4)=512; V: 2·8·4·4=256; QKᵀ: 2·8·8·4=512; scale 64; softmax 8·(4·8+1)=264; AV 2·8·8·4=512
    double f = 0;
    TokenMixer(Kind::attention, 8, 4).forward(make_input("random", 8, 4, 1), 8, &f);
    CHECK(f == 512 + 256 + 512 + 64 + 264 + 512);
  }
  SUBCASE("by hand: FNet n=16, d=8 is 5·16·8·log2 8 + 5·8·16·log2 16 = 1920 + 2560") {
    double f = 0;
    TokenMixer(Kind::fnet, 16, 8).forward(make_input("random", 16, 8, 1), 16, &f);
    CHECK(f == 4480);
  }
  SUBCASE("by hand: mixer-linear and ResMLP, n=5, d=3: 2n²d = 150, and 150 + 5nd = 225") {
    double f = 0;
    TokenMixer(Kind::mixer_linear, 5, 3).forward(make_input("random", 5, 3, 1), 5, &f);
    CHECK(f == 150);
    TokenMixer(Kind::resmlp, 5, 3).forward(make_input("random", 5, 3, 1), 5, &f);
    CHECK(f == 225);
  }
  SUBCASE("every kind at several sizes: counter == cost()") {
    for (Kind k : all_kinds())
      for (const auto& nd_ : std::vector<std::pair<int, int>>{{1, 2}, {7, 4}, {32, 16}, {50, 10}}) {
        const int n = nd_.first, d = nd_.second;
        CAPTURE(kind_name(k));
        CAPTURE(n);
        const Options o{1, 3, 5, 6, 2};
        double f = -1;
        TokenMixer(k, n, d, o).forward(make_input("random", n, d, 1), n, &f);
        CHECK(f == cost(k, n, d, o).flops);
        CHECK(static_cast<double>(TokenMixer(k, n, d, o).parameter_count()) == cost(k, n, d, o).params);
      }
  }
  SUBCASE("growth with n: doubling n multiplies O(n²) mixers by → 4, FNet by → 2·(1+1/log2 n), External by 2") {
    const int d = 64;
    auto ratio = [&](Kind k, int n) { return cost(k, 2 * n, d).flops / cost(k, n, d).flops; };
    CHECK(ratio(Kind::mixer_linear, 2048) == doctest::Approx(4).epsilon(eps));
    CHECK(ratio(Kind::attention, 2048) > 3.5);
    CHECK(ratio(Kind::external, 2048) == doctest::Approx(2).epsilon(1e-3));  // S(4n+1): the +S makes it 2 − O(1/n)
    // (5·2n·d·6 + 5·d·2n·11) / (5·n·d·6 + 5·d·n·10) = 2·17/16 for d = 64, n = 1024
    CHECK(ratio(Kind::fnet, 1024) == doctest::Approx(2.0 * 17 / 16).epsilon(4 * eps));
  }
}

TEST_CASE("fixed-n mixers refuse another n with a message naming it; attention, External and FNet accept any n") {
  const int d = 4;
  const std::vector<float> x8 = make_input("random", 8, d, 1);
  for (Kind k : all_kinds()) {
    CAPTURE(kind_name(k));
    const TokenMixer m(k, 6, d);
    if (fixed_n(k)) {
      const std::string want = "TokenMixer.forward: n must equal 6: " + std::string(kind_name(k)) +
                               " has an n×n parameter built for n = 6";
      CHECK_THROWS_WITH_AS(m.forward(x8, 8), doctest::Contains(want.c_str()), std::invalid_argument);
      CHECK_THROWS_AS(m.mixing_matrix(x8, 8), std::invalid_argument);
    } else {
      CHECK(m.forward(x8, 8).size() == 8u * m.out_dim());
      CHECK(m.mixing_matrix(x8, 8).matrix.size() == 64u);
    }
  }
}

TEST_CASE("bad sizes, kinds and values are rejected with the function, parameter and value") {
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::attention, 0, 4), "TokenMixer: n must be an integer in [1, 4096], got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::attention, 4097, 4), "TokenMixer: n must be an integer in [1, 4096], got 4097", std::invalid_argument);
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::fnet, 4, -1), "TokenMixer: d must be an integer in [1, 4096], got -1", std::invalid_argument);
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::gmlp, 4, 5), doctest::Contains("TokenMixer: d must be even for gmlp"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::attention, 4096, 4096), doctest::Contains("n·d must be at most 4194304"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_kind("transformer"), doctest::Contains("got \"transformer\""), probwasm::type_error);
  Options bad;
  bad.gate_init = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::gmlp, 4, 4, bad), "TokenMixer: gateInit must be in [0, 1000], got NaN", std::invalid_argument);
  bad.gate_init = 1e308;  // finite, but W ~ U(−1e308, 1e308) is ±∞ in float32
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::gmlp, 4, 4, bad), "TokenMixer: gateInit must be in [0, 1000], got 1e+308", std::invalid_argument);
  CHECK_THROWS_WITH_AS(cost(Kind::gmlp, 4, 4, bad), "mixerCost: gateInit must be in [0, 1000], got 1e+308", std::invalid_argument);
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::gmlp, 0, 4, {}, "mix"), "mix: n must be an integer in [1, 4096], got 0", std::invalid_argument);
  bad = Options{};
  bad.memory = 0;
  CHECK_THROWS_WITH_AS(TokenMixer(Kind::external, 4, 4, bad), "TokenMixer: memory must be an integer in [1, 4096], got 0", std::invalid_argument);

  const TokenMixer m(Kind::attention, 4, 3);
  CHECK_THROWS_WITH_AS(m.forward(std::vector<float>(11), 4), "TokenMixer.forward: x.length must equal n·d = 12, got 11", std::invalid_argument);
  CHECK_THROWS_WITH_AS(m.forward(std::vector<float>{}, 0), "TokenMixer.forward: n must be an integer in [1, 4096], got 0", std::invalid_argument);
  std::vector<float> x(12, 0.0f);
  x[7] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(m.forward(x, 4), "TokenMixer.forward: x[7] must be finite, got NaN", std::invalid_argument);
  x[7] = -std::numeric_limits<float>::infinity();
  CHECK_THROWS_WITH_AS(m.forward(x, 4), "TokenMixer.forward: x[7] must be finite, got -Infinity", std::invalid_argument);
  x[7] = 3e30f;  // finite, but QKᵀ overflows float32
  CHECK_THROWS_WITH_AS(m.forward(x, 4), doctest::Contains("does not overflow"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(m.forward(std::vector<float>(11), 4, nullptr, "TokenMixer.forwardWithFlops"),
                       "TokenMixer.forwardWithFlops: x.length must equal n·d = 12, got 11", std::invalid_argument);
  CHECK_THROWS_WITH_AS(fnet_dft_reference(std::vector<float>{1, NAN}, 1, 2), "fnetReference: x[1] must be finite, got NaN", std::invalid_argument);
  CHECK_THROWS_WITH_AS(fnet_check(std::vector<float>{1, 2, 3}, 1, 2), "fnetCheck: x.length must equal n·d = 2, got 3", std::invalid_argument);
  x[7] = -0.0f;  // signed zero is just zero
  CHECK(m.forward(x, 4) == m.forward(std::vector<float>(12, 0.0f), 4));
  CHECK_THROWS_WITH_AS(make_input("noise", 3, 3, 1), doctest::Contains("pattern must be one of"), probwasm::type_error);
  CHECK_THROWS_WITH_AS(m.parameter("Mk"), "TokenMixer.parameter: name must name a parameter of attention, got \"Mk\"", std::invalid_argument);
  CHECK_THROWS_WITH_AS(fnet_dft_reference(std::vector<float>(5), 2, 2), "fnetReference: x.length must equal n·d = 4, got 5", std::invalid_argument);
}

TEST_CASE("all-equal tokens: attention averages uniformly and FNet puts everything in the zero-frequency row") {
  const int n = 8, d = 4;
  std::vector<float> x(n * d);
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < d; ++c) x[i * d + c] = static_cast<float>(c + 1);
  const std::vector<float> A = TokenMixer(Kind::attention, n, d).mixing_matrix(x, n).matrix;
  for (float a : A) CHECK(std::fabs(a - 1.0 / n) <= 4 * eps32);  // equal logits in each row
  const std::vector<double> y = fnet_dft_reference(x, n, d);
  // Re(F_n X F_dᵀ): only row 0 survives, equal to n·Re(DFT of (1,2,3,4)) = 8·(10, −2, −2, −2)
  const double row0[4] = {80, -16, -16, -16};
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < d; ++c) CHECK(std::fabs(y[i * d + c] - (i == 0 ? row0[c] : 0.0)) <= 64 * eps * 80);
}
