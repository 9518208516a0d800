// P_n(θ) and 1 - P_n(θ) in double precision, each to full relative accuracy (design bound ~1e-14,
// measured <= 4.1e-16) for every n >= 1 and θ. Cost at n = 10^4: <= 0.25 ms per call in wasm.
//
// Why the obvious sum fails: the §5.3 inclusion–exclusion sum alternates, and for large n its terms
// are up to ~e^(0.1 n) times larger than the result (10^456 at n = 10^4), so no fixed precision is
// enough (POSTS §5.5). Three representations, each used only where it is provably well conditioned:
//  1. the left sum P = Σ_{k<=m} (-1)^(k-1) C(n,k) (1-kx)^(n-1)  (x = 1 - θ/2π, m = #{k: kx < 1});
//  2. the right sum 1 - P = Σ_{j<n-m} (-1)^j C(n,j) ((n-j)x - 1)^(n-1), the same polynomial identity
//     (§5.3: the full sum over k = 0..n vanishes) read from the other end; near θ* it is one term;
//  Both are summed in double-double with an extended exponent; every term has relative error
//  <= (n + 64)·2^-102, and a sum is accepted only if Σ|terms| / |sum| keeps the result within 1e-15.
//  The terms are log-concave in k, so the sum stops once they fall 2^-120 below the largest.
//  3. where both sums cancel (large n, x between 1/n and ~log(n)/n, where 1 - P is astronomically
//     small), a saddle-point integral that has no cancellation at all: 1 - P = (n-1)! x^(n-1) f_n(1/x)
//     with f_n the Irwin–Hall density (sum of n U(0,1); §5.2's simplex volume), and
//       f_n(t) = (1/2π) ∫ e^{(u+iv)t} ((1 - e^{-(u+iv)})/(u+iv))^n dv
//     on the vertical line through the real saddle u (1/u - 1/(e^u - 1) = t/n). On that line
//     |integrand| <= its value at v = 0 (|1 - e^{-u-iv}|^2/|1-e^{-u}|^2 = 1 + sin^2(v/2)/sinh^2(u/2)
//     <= 1 + v^2/u^2), so the integral is a bump of width ~1/sqrt(n ψ''(u)) and the trapezoidal rule
//     converges geometrically (checked by halving the step). The huge prefactor is kept as a
//     double-double logarithm, so 1 - P comes out with full relative accuracy down to 1e-308.
//  The angle enters only through A = fl(2π) - θ, which is exact for θ >= π (Sterbenz), so the
//  bases 1 - kx = (fl(2π) - kA)/fl(2π) carry no rounding from θ even when they nearly cancel.
#include "sector/sector.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "common/errors.hpp"
#include "sector/dd.hpp"

PW_SECTOR_NO_SIMD_BEGIN
namespace probwasm::sector {
namespace {

using dd::DD;
using dd::XD;
constexpr double kTwoPi = 6.283185307179586;  // fl(2π): the full turn (see sector.hpp)
constexpr double kPi = 3.141592653589793;
constexpr double kRoundoff = 0x1p-53;

struct Sum {
  bool ok = false;
  DD s;            // sum / 2^e
  std::int64_t e = 0;
  double cond = 0;  // Σ|terms| / |sum|
};

bool less(const XD& a, const XD& b) { return a.e < b.e || (a.e == b.e && a.m.hi < b.m.hi); }

// Alternating sum Σ_k (-1)^k T_k of log-concave positive terms T_0, T_1, … (count of them), whose
// result is known to be below 2^log2_bound. Gives up (ok = false) as soon as a term shows that the
// sum would have to cancel more than ~2^40 times.
template <class Term>
Sum alternating(std::int64_t count, std::int64_t n, double log2_bound, Term term) {
  // A term above bound · 2^40 means more cancellation than the acceptance test below allows.
  const double max_e = log2_bound + 40;
  Sum r;
  std::vector<XD> t;
  std::int64_t maxe = std::numeric_limits<std::int64_t>::min();
  XD prev{DD{0, 0}, std::numeric_limits<std::int64_t>::min()};
  for (std::int64_t k = 0; k < count; ++k) {
    const XD x = term(k);
    if (x.m.hi == 0) break;
    if (static_cast<double>(x.e) > max_e) return r;
    if (k > 0 && less(x, prev) && x.e < maxe - 120) break;  // log-concave: decreasing from here on
    if (t.size() >= 6000) return r;
    t.push_back(x);
    maxe = std::max(maxe, x.e);
    prev = x;
  }
  if (t.empty()) return r;
  DD s{0, 0};
  double abs = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const std::int64_t shift = t[k].e - maxe;
    if (shift < -1060) continue;
    const DD v = dd::ldexp(t[k].m, static_cast<int>(shift));
    s = (k % 2 == 0) ? s + v : s - v;
    abs += v.hi;
  }
  if (!(s.hi > 0)) return r;
  r.s = s;
  r.e = maxe;
  r.cond = abs / s.hi;
  const double term_error = (static_cast<double>(n) + 64) * 0x1p-102;
  r.ok = r.cond * term_error <= 1e-15;
  return r;
}

double value(const Sum& s) { return dd::to_double(XD{s.s, s.e}); }
DD value_dd(const Sum& s) {  // only for sums of order one
  return s.e < -1000 ? DD{0, 0} : dd::ldexp(s.s, static_cast<int>(s.e));
}

// log((n-1)!) in double-double: exact product below 50, Stirling's series (error < 1e-25) above.
DD log_factorial_nm1(std::int64_t n) {
  if (n < 50) {
    DD p{1, 0};
    for (std::int64_t k = 2; k < n; ++k) p = p * static_cast<double>(k);
    return dd::log(p);
  }
  const double z = static_cast<double>(n);  // log Γ(z) = log (n-1)!
  DD r = dd::log(DD{z, 0}) * (z - 0.5) - z + dd::half_log_2pi + DD{1, 0} / (12.0 * z);
  const double z2 = 1 / (z * z);
  const double c[] = {-1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156, -3617.0 / 122400};
  double zk = 1 / z, tail = 0;
  for (double ci : c) {
    zk *= z2;
    tail += ci * zk;
  }
  return r + tail;
}

// ψ(u) = log((1 - e^{-u})/u) for u >= 0, double-double.
DD psi_dd(double u) {
  if (u == 0) return {0, 0};
  if (u < 1e-3) return DD{-u / 2, 0} + dd::two_prod(u, u) / 24.0 - u * u * u * u / 2880;
  const DD one_minus = DD{1, 0} - dd::exp(DD{-u, 0});
  return dd::log(one_minus) - dd::log(DD{u, 0});
}

// g(u) = 1/u - 1/(e^u - 1) = -ψ'(u), decreasing from 1/2 (u = 0) to 0.
double g_of(double u) {
  if (u < 1e-3) return 0.5 - u / 12 + u * u * u / 720;
  return 1 / u - 1 / std::expm1(u);
}
// ψ''(u) = 1/u^2 - 1/(4 sinh^2(u/2)) > 0.
double psi2(double u) {
  if (u < 0.1) return 1.0 / 12 - u * u / 240 + u * u * u * u / 6048;
  const double s = std::sinh(u / 2);
  return 1 / (u * u) - 1 / (4 * s * s);
}

// c_k = (-1)^(k+1) ζ(2k) / (k π^(2k)): log(sinh w / w) = Σ c_k w^(2k).
const std::vector<double>& sinhc_coefficients() {
  static const std::vector<double> c = [] {
    std::vector<double> r = {1.0 / 6, -1.0 / 180, 1.0 / 2835, -1.0 / 37800};
    for (int k = 5; k <= 26; ++k) {
      double zeta = 0;
      for (int m = 60; m >= 1; --m) zeta += std::pow(static_cast<double>(m), -2.0 * k);
      r.push_back((k % 2 ? 1.0 : -1.0) * zeta / (k * std::pow(kPi, 2.0 * k)));
    }
    return r;
  }();
  return c;
}

// D(u, v) = ψ(u + iv) - ψ(u), accurate relative to |D| (the saddle integrand is exp(n D + ivt)).
std::complex<double> psi_diff(double u, double v) {
  if (u * u + v * v <= 4) {
    // ψ(z) = -z/2 + log(sinh(z/2)/(z/2)); differences of powers of p = z^2/4 without cancellation.
    const std::complex<double> p0(u * u / 4, 0), d1(-v * v / 4, u * v / 2), p = p0 + d1;
    const auto& c = sinhc_coefficients();
    std::complex<double> delta = d1, p0k(1, 0), sum = c[0] * d1;
    for (std::size_t k = 1; k < c.size(); ++k) {
      p0k *= p0;
      delta = p * delta + d1 * p0k;
      sum += c[k] * delta;
    }
    return std::complex<double>(0, -v / 2) + sum;
  }
  const double s = std::sin(v / 2), s2 = s * s;
  if (u < 1e-100) return {std::log(std::fabs(s) / std::fabs(v / 2)), std::atan2(std::sin(v), 2 * s2) - kPi / 2};
  const double ish = u > 40 ? 2 * std::exp(-u / 2) : 1 / std::sinh(u / 2);
  const double re = 0.5 * (std::log1p(s2 * ish * ish) - std::log1p((v / u) * (v / u)));
  const double im = std::atan2(std::sin(v), std::expm1(u) + 2 * s2) - std::atan2(v, u);
  return {re, im};
}

// log of a bound on ∫_V^∞ |integrand| dv relative to its peak (see the header comment).
double log_tail_bound(double u, double n, double V) {
  auto G = [&](double v) {
    const double m = std::min(v * v / 4, 1.0);
    if (u < 1e-8) return m * 4 / (v * v);
    const double ish = u > 40 ? 2 * std::exp(-u / 2) : 1 / std::sinh(u / 2);
    return (1 + m * ish * ish) * u * u / (u * u + v * v);
  };
  const double ishu = u < 1e-8 ? 0 : (u > 40 ? 2 * std::exp(-u / 2) : 1 / std::sinh(u / 2));
  const double cc = u < 1e-8 ? 4 : (1 + ishu * ishu) * u * u;
  const double W = std::max(V, 2.0);
  double b = std::exp((n / 2 - 1) * std::log(G(W))) * cc / W;
  if (V < 2) b += std::exp(n / 2 * std::log(G(V))) * (2 - V);
  return std::log(b);
}

struct Saddle {
  double u = 0, t = 0, sigma = 0;
  DD log_prefactor;  // log((n-1)! x^(n-1) e^{ut} ((1 - e^{-u})/u)^n / 2π)
};

// The saddle point and the prefactor of the integral; A = fl(2π) - θ (exact), x = A / fl(2π).
Saddle saddle_setup(std::int64_t n, DD A) {
  const double nd = static_cast<double>(n);
  const DD x = A / kTwoPi;
  DD t = DD{kTwoPi, 0} / A;                                // t = 1/x in (1, n)
  if (t.hi > nd / 2) t = (A * nd - kTwoPi) / A;            // f_n(t) = f_n(n - t): keep u >= 0
  const double tau = dd::to_double(t) / nd;                // in (0, 1/2]
  // Saddle: g(u) = τ, safeguarded Newton on [0, 1/τ] (g(u) < 1/u).
  double lo = 0, hi = 1 / tau, u = tau < 0.3 ? 1 / tau - 1 : 12 * (0.5 - tau);
  if (tau >= 0.5) u = 0;
  for (int it = 0; it < 200 && tau < 0.5; ++it) {
    const double gu = g_of(u);
    if (gu > tau) lo = u; else hi = u;
    double next = u + (gu - tau) / psi2(u);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - u) <= 1e-15 * std::max(u, 1e-300)) { u = next; break; }
    u = next;
  }
  Saddle sd;
  sd.u = u;
  sd.t = dd::to_double(t);
  sd.sigma = 1 / std::sqrt(nd * psi2(u));
  sd.log_prefactor = log_factorial_nm1(n) + dd::log(x) * (nd - 1) + t * u + psi_dd(u) * nd - std::log(kTwoPi);
  return sd;
}

// log2 of the Laplace approximation of 1 - P: prefactor · sqrt(2π) σ. Within a factor ~1 + O(1/n);
// used only to recognise early that a direct sum cannot reach the accuracy it needs.
double log2_complement_estimate(const Saddle& sd) {
  return (sd.log_prefactor.hi + std::log(std::sqrt(kTwoPi) * sd.sigma)) / dd::ln2.hi;
}

// 1 - P by the saddle-point integral.
double complement_saddle(std::int64_t n, const Saddle& sd) {
  const double nd = static_cast<double>(n), u = sd.u, td = sd.t, sigma = sd.sigma;
  auto f = [&](double v) {
    const std::complex<double> D = psi_diff(u, v);
    return std::exp(nd * D.real()) * std::cos(v * td + nd * D.imag());
  };
  double V = sigma;
  while (log_tail_bound(u, nd, V) > std::log(1e-18 * sigma) && V < 1e7) V += sigma;
  double h = sigma / 2;
  const double N = std::ceil(V / h);
  double sum = 0;
  for (double j = 1; j <= N; ++j) sum += f(j * h);
  double J = h * (1 + 2 * sum);
  for (int level = 0; level < 8; ++level) {
    double odd = 0;
    const double M = std::ceil(V / h);
    for (double j = 0; j < M; ++j) odd += f((j + 0.5) * h);
    h /= 2;
    const double next = J / 2 + h * 2 * odd;
    const bool done = std::fabs(next - J) <= 1e-15 * std::fabs(next);
    J = next;
    if (done) break;
  }
  // log(1 - P) = log((n-1)!) + (n-1) log x + u t + n ψ(u) + log(J / 2π): large terms in double-double.
  const DD L = sd.log_prefactor + std::log(J);
  return std::exp(L.hi) * (1 + L.lo);
}

// P and 1 - P at A = fl(2π) - θ given exactly as a double-double (0 <= A <= fl(2π)).
Split evaluate_a(std::int64_t n, DD A) {
  Split r;
  const double nd = static_cast<double>(n);
  // On or above the last breakpoint θ* = 2π(n-1)/n (n x <= 1, with the 4-roundoff band): P = 1.
  const DD nx1 = A * nd - kTwoPi;  // (n x - 1) fl(2π)
  if (n == 1 || A.hi == 0 || nx1.hi <= 4 * kRoundoff * (nd - 1) * kTwoPi) {
    r.probability = 1;
    r.complement = 0;
    r.method = "one";
    return r;
  }
  const DD q = (DD{kTwoPi, 0} - A) / kTwoPi;  // θ / 2π
  if (2 * A.hi >= kTwoPi) {                  // θ <= π: only k = 1 survives, P = n q^(n-1)
    const XD p = dd::pow(dd::make_xd(q), static_cast<std::uint64_t>(n - 1)) * nd;
    r.probability = dd::to_double(p);
    r.complement = dd::to_double(DD{1, 0} - (p.e < -200 ? DD{0, 0} : dd::ldexp(p.m, static_cast<int>(p.e))));
    r.method = "closed";
    return r;
  }
  // m = #{k >= 1 : k x < 1} = #{k : k A < fl(2π)}, with 2 <= m <= n - 1 here.
  std::int64_t m = static_cast<std::int64_t>(kTwoPi / A.hi);
  while (m > 1 && (DD{kTwoPi, 0} - A * static_cast<double>(m)).hi <= 0) --m;
  while ((DD{kTwoPi, 0} - A * static_cast<double>(m + 1)).hi > 0) ++m;
  m = std::min(m, n - 1);
  const std::uint64_t pw = static_cast<std::uint64_t>(n - 1);

  // Left sum, k = 1..m (index i = k - 1): C(n,k) ((fl(2π) - kA)/fl(2π))^(n-1).
  XD binom = dd::make_xd(DD{nd, 0});
  const Sum left = alternating(m, n, 0, [&](std::int64_t i) {
    const double k = static_cast<double>(i + 1);
    if (i > 0) binom = binom * (nd - k + 1) / k;
    const DD base = (DD{kTwoPi, 0} - A * k) / kTwoPi;
    return dd::pow(dd::make_xd(base), pw) * binom;
  });
  const double term_error = (nd + 64) * 0x1p-102;
  if (left.ok) {
    const DD P = value_dd(left);
    const DD Q = DD{1, 0} - P;
    const double abs_error = left.cond * (P.hi > 0 ? P.hi : 0) * term_error;
    r.probability = value(left);
    if (abs_error <= 1e-15 * Q.hi) {
      r.complement = dd::to_double(Q);
      r.method = "left";
      return r;
    }
  }
  // Right sum, j = 0..n-m-1: C(n,j) (((n-j)A - fl(2π))/fl(2π))^(n-1).
  const Saddle sd = saddle_setup(n, A);
  const double bound = std::min(0.0, log2_complement_estimate(sd) + 10);  // generous: 2^10 × estimate
  XD binomj{DD{1, 0}, 0};
  const Sum right = alternating(n - m, n, bound, [&](std::int64_t j) {
    const double jd = static_cast<double>(j);
    if (j > 0) binomj = binomj * (nd - jd + 1) / jd;
    const DD base = (A * (nd - jd) - kTwoPi) / kTwoPi;
    return dd::pow(dd::make_xd(base), pw) * binomj;
  });
  double Qv;
  if (right.ok) {
    Qv = value(right);
    r.method = "right";
  } else {
    Qv = complement_saddle(n, sd);
    r.method = "saddle";
  }
  r.complement = Qv;
  if (!left.ok) r.probability = 1 - Qv;  // Q small here: P = 1 - Q to full relative accuracy
  else if (Qv < 0.5) r.probability = 1 - Qv;
  return r;
}

void check_n(const char* fn, std::int64_t n) {
  require(n >= 1, fn, "n", "be a positive integer", n);
  require(n <= kMaxN, fn, "n", "be at most 2^52 = 4503599627370496 (the accuracy bound)", n);
}
void check_theta(const char* fn, double theta) {
  require(theta > 0 && theta <= kTwoPi, fn, "theta", "be in (0, 2π] radians", theta);
}

}  // namespace

Split evaluate(std::int64_t n, double theta, const char* fn) {
  check_n(fn, n);
  check_theta(fn, theta);
  return evaluate_a(n, dd::two_sum(kTwoPi, -theta));
}

std::vector<Split> curve(std::int64_t n, const std::vector<double>& thetas) {
  check_n("sectorCurve", n);
  std::vector<Split> r(thetas.size());
  for (std::size_t i = 0; i < thetas.size(); ++i) {
    require(thetas[i] > 0 && thetas[i] <= kTwoPi, "sectorCurve", indexed("thetas", i), "be in (0, 2π] radians", thetas[i]);
    r[i] = evaluate_a(n, dd::two_sum(kTwoPi, -thetas[i]));
  }
  return r;
}

double probability(std::int64_t n, double theta) {
  check_n("sectorProbability", n);
  check_theta("sectorProbability", theta);
  return evaluate_a(n, dd::two_sum(kTwoPi, -theta)).probability;
}

double complement_by_saddle(std::int64_t n, double theta) {
  check_n("sectorComplement", n);
  check_theta("sectorComplement", theta);
  const DD A = dd::two_sum(kTwoPi, -theta);
  return complement_saddle(n, saddle_setup(n, A));
}

double complement(std::int64_t n, double theta) {
  check_n("sectorComplement", n);
  check_theta("sectorComplement", theta);
  return evaluate_a(n, dd::two_sum(kTwoPi, -theta)).complement;
}

Split largest_gap_tails(std::int64_t n, double g) {
  check_n("sectorLargestGap", n);
  require(g >= 0 && g <= 1, "sectorLargestGap", "g", "be in [0, 1] (a fraction of the circle)", g);
  if (g == 0) return {1, 0, "one"};
  if (g == 1) return {0, 1, "zero"};
  return evaluate_a(n, dd::two_prod(g, kTwoPi));  // x = g
}

double largest_gap_mean(std::int64_t n) {
  require(n >= 1, "sectorLargestGapMean", "n", "be a positive integer", n);  // H_n / n is accurate for every n
  if (n > 10000000) {  // H_n = log n + γ + 1/(2n) - 1/(12 n^2) + 1/(120 n^4)
    const double x = static_cast<double>(n);
    return (std::log(x) + 0.5772156649015329 + 1 / (2 * x) - 1 / (12 * x * x)) / x;
  }
  DD h{0, 0};
  for (std::int64_t k = n; k >= 1; --k) h = h + 1.0 / static_cast<double>(k);
  return dd::to_double(h) / static_cast<double>(n);
}

double wendel_semicircle(std::int64_t n) {
  require(n >= 1, "sectorWendel", "n", "be a positive integer", n);  // exact for every n (0 once it underflows)
  if (n > 1100) return 0;
  return std::ldexp(static_cast<double>(n), static_cast<int>(1 - n));
}

std::vector<double> breakpoints(std::int64_t n, std::int64_t max_count) {
  require(n >= 1, "sectorBreakpoints", "n", "be a positive integer", n);
  require(max_count >= 0 && max_count <= kMaxBreakpoints, "sectorBreakpoints", "maxCount", "be an integer in [0, 1e7]", max_count);
  std::vector<double> r;
  for (std::int64_t k = 2; k <= n - 1 && static_cast<std::int64_t>(r.size()) < max_count; ++k)
    r.push_back(kTwoPi * (1 - 1 / static_cast<double>(k)));
  return r;
}

}  // namespace probwasm::sector
PW_SECTOR_NO_SIMD_END
