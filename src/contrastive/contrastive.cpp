#include "contrastive/contrastive.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace probwasm::contrastive {

Evaluation parse_evaluation(const char* fn, const std::string& name) {
  if (name == "naive") return Evaluation::naive;
  if (name == "shifted") return Evaluation::shifted;
  if (name == "stable") return Evaluation::stable;
  throw type_error(std::string(fn) + ": evaluation must be one of 'naive', 'shifted', 'stable', got \"" + name + "\"");
}

Loss parse_loss(const char* fn, const std::string& name) {
  if (name == "ce") return Loss::cross_entropy;
  if (name == "flatnce") return Loss::flatnce;
  throw type_error(std::string(fn) + ": loss must be one of 'ce', 'flatnce', got \"" + name + "\"");
}

std::vector<MarginRow> margin_sweep(std::size_t k, double positive, const std::vector<double>& margins) {
  const char* fn = "contrastiveMarginSweep";
  require(k >= 2 && k <= 1000000, fn, "k", "be an integer in [2, 1e6]", k);
  require(std::isfinite(positive) && std::fabs(positive) <= 80, fn, "positive", "be finite with |positive| <= 80", positive);
  std::vector<MarginRow> rows;
  for (std::size_t j = 0; j < margins.size(); ++j) {
    const double d = margins[j];
    require(std::isfinite(d) && std::fabs(d) <= 80, fn, indexed("margins", j), "be finite with |D| <= 80", d);
    std::vector<double> s64(k, positive - d);
    s64[0] = positive;
    std::vector<float> s32(s64.begin(), s64.end());  // what a float32 model holds
    MarginRow r{};
    r.margin = d;
    const auto ce64 = cross_entropy(s64.data(), k, 0, Evaluation::stable);
    const auto fl64 = flatnce(s64.data(), k, 0, Evaluation::stable);
    r.xi = ce64.xi;
    r.ce64 = ce64.value;
    r.grad64 = ce64.grad[0];
    r.flat64 = fl64.value;
    const auto n32 = cross_entropy(s32.data(), k, 0, Evaluation::naive);
    const auto h32 = cross_entropy(s32.data(), k, 0, Evaluation::shifted);
    const auto t32 = cross_entropy(s32.data(), k, 0, Evaluation::stable);
    const auto fl32 = flatnce(s32.data(), k, 0, Evaluation::stable);
    r.ce32_naive = n32.value;
    r.ce32_shifted = h32.value;
    r.ce32_stable = t32.value;
    r.grad32_naive = n32.grad[0];
    r.grad32_shifted = h32.grad[0];
    r.grad32_stable = t32.grad[0];
    r.flat32 = fl32.value;
    const double w = -ce64.grad[0];  // ξ/(1+ξ), float64
    r.identity32 = 0;
    r.identity32_stable = 0;
    r.identity64 = 0;
    for (std::size_t i = 0; i < k; ++i) {
      r.identity32 = std::max(r.identity32, std::fabs(double(h32.grad[i]) - w * double(fl32.grad[i])) / w);
      r.identity32_stable = std::max(r.identity32_stable, std::fabs(double(t32.grad[i]) - w * double(fl32.grad[i])) / w);
      r.identity64 = std::max(r.identity64, std::fabs(ce64.grad[i] - w * fl64.grad[i]) / w);
    }
    rows.push_back(r);
  }
  return rows;
}

template <class T>
double batch_loss_gradient(const std::vector<T>& w, int e, int din, const std::vector<double>& xa,
                           const std::vector<double>& xb, int nb, double tau, Loss loss, Evaluation ev,
                           std::vector<T>& grad, std::vector<double>* xi, std::vector<double>* score_grads) {
  const char* fn = "batchLossGradient";
  require(e >= 1 && din >= 1 && w.size() == std::size_t(e) * din, fn, "w", "have embed × din entries", w.size());
  require(nb >= 2 && xa.size() == std::size_t(nb) * din && xb.size() == xa.size(), fn, "xa, xb", "hold batch × din entries each", xa.size());
  require(std::isfinite(tau) && tau > 0, fn, "tau", "be positive and finite", tau);
  const T inv_tau = T(1) / T(tau);
  auto embed = [&](const std::vector<double>& x, std::vector<T>& z, std::vector<T>& nrm) {
    z.assign(std::size_t(nb) * e, T(0));
    nrm.assign(nb, T(0));
    for (int r = 0; r < nb; ++r) {
      T ss = 0;
      for (int i = 0; i < e; ++i) {
        T u = 0;
        for (int j = 0; j < din; ++j) u += w[std::size_t(i) * din + j] * T(x[std::size_t(r) * din + j]);
        z[std::size_t(r) * e + i] = u;
        ss += u * u;
      }
      nrm[r] = std::sqrt(ss);
      for (int i = 0; i < e; ++i) z[std::size_t(r) * e + i] /= nrm[r];
    }
  };
  std::vector<T> za, zb, na, nbv;
  embed(xa, za, na);
  embed(xb, zb, nbv);
  std::vector<T> dza(za.size(), T(0)), dzb(zb.size(), T(0)), s(nb);
  double total = 0;
  if (xi) xi->clear();
  if (score_grads) score_grads->clear();
  for (int a = 0; a < nb; ++a) {
    for (int b = 0; b < nb; ++b) {
      T d = 0;
      for (int i = 0; i < e; ++i) d += za[std::size_t(a) * e + i] * zb[std::size_t(b) * e + i];
      s[b] = d * inv_tau;
    }
    const auto res = contrastive_loss(loss, s.data(), nb, a, ev);
    total += double(res.value);
    if (xi) xi->push_back(double(res.xi));
    if (score_grads) score_grads->insert(score_grads->end(), res.grad.begin(), res.grad.end());
    for (int b = 0; b < nb; ++b) {
      const T g = res.grad[b] / T(nb) * inv_tau;
      for (int i = 0; i < e; ++i) {
        dza[std::size_t(a) * e + i] += g * zb[std::size_t(b) * e + i];
        dzb[std::size_t(b) * e + i] += g * za[std::size_t(a) * e + i];
      }
    }
  }
  grad.assign(w.size(), T(0));
  // through z = u/‖u‖: du = (dz − z⟨z, dz⟩)/‖u‖, then dW += du xᵀ
  auto back = [&](const std::vector<double>& x, const std::vector<T>& z, const std::vector<T>& nrm, const std::vector<T>& dz) {
    for (int r = 0; r < nb; ++r) {
      T proj = 0;
      for (int i = 0; i < e; ++i) proj += z[std::size_t(r) * e + i] * dz[std::size_t(r) * e + i];
      for (int i = 0; i < e; ++i) {
        const T du = (dz[std::size_t(r) * e + i] - z[std::size_t(r) * e + i] * proj) / nrm[r];
        for (int j = 0; j < din; ++j) grad[std::size_t(i) * din + j] += du * T(x[std::size_t(r) * din + j]);
      }
    }
  };
  back(xa, za, na, dza);
  back(xb, zb, nbv, dzb);
  return total / nb;
}
template double batch_loss_gradient<float>(const std::vector<float>&, int, int, const std::vector<double>&,
                                           const std::vector<double>&, int, double, Loss, Evaluation,
                                           std::vector<float>&, std::vector<double>*, std::vector<double>*);
template double batch_loss_gradient<double>(const std::vector<double>&, int, int, const std::vector<double>&,
                                            const std::vector<double>&, int, double, Loss, Evaluation,
                                            std::vector<double>&, std::vector<double>*, std::vector<double>*);

namespace {

void check_config(const TrainConfig& c, const char* fn) {
  require(c.classes >= 2 && c.classes <= 4096, fn, "classes", "be an integer in [2, 4096]", c.classes);
  require(c.signal_dim >= 1 && c.signal_dim <= 256, fn, "signalDim", "be an integer in [1, 256]", c.signal_dim);
  require(c.nuisance_dim >= 0 && c.nuisance_dim <= 256, fn, "nuisanceDim", "be an integer in [0, 256]", c.nuisance_dim);
  require(c.embed_dim >= 1 && c.embed_dim <= 256, fn, "embedDim", "be an integer in [1, 256]", c.embed_dim);
  require(c.batch >= 2 && c.batch <= c.classes && c.batch <= 1024, fn, "batch",
          "be an integer in [2, min(classes, 1024)] (in-batch negatives need distinct classes)", c.batch);
  require(std::isfinite(c.tau) && c.tau >= 1e-3 && c.tau <= 100, fn, "tau", "be in [0.001, 100]", c.tau);
  require(std::isfinite(c.view_noise) && c.view_noise >= 0 && c.view_noise <= 100, fn, "viewNoise", "be in [0, 100]", c.view_noise);
  require(std::isfinite(c.nuisance) && c.nuisance >= 0 && c.nuisance <= 100, fn, "nuisance", "be in [0, 100]", c.nuisance);
  require(std::isfinite(c.lr) && c.lr > 0 && c.lr <= 1, fn, "lr", "be in (0, 1]", c.lr);
  require(c.shots >= 1 && c.shots <= 1000, fn, "shots", "be an integer in [1, 1000]", c.shots);
  require(c.test_per_class >= 1 && c.test_per_class <= 1000, fn, "testPerClass", "be an integer in [1, 1000]", c.test_per_class);
}

}  // namespace

Trainer::Trainer(const TrainConfig& config, const char* fn) : cfg_((check_config(config, fn), config)), din_(config.signal_dim + config.nuisance_dim), rng_(config.seed) {
  protos_.resize(std::size_t(cfg_.classes) * cfg_.signal_dim);
  for (auto& p : protos_) p = rng_.normal();
  w_.resize(std::size_t(cfg_.embed_dim) * din_);
  const double sd = 1.0 / std::sqrt(double(din_));
  for (auto& x : w_) x = float(sd * rng_.normal());
  m_.assign(w_.size(), 0.0f);
  v_.assign(w_.size(), 0.0f);
  shot_x_.resize(std::size_t(cfg_.classes) * cfg_.shots * din_);
  test_x_.resize(std::size_t(cfg_.classes) * cfg_.test_per_class * din_);
  for (int c = 0; c < cfg_.classes; ++c) {
    for (int k = 0; k < cfg_.shots; ++k) draw_view(c, &shot_x_[(std::size_t(c) * cfg_.shots + k) * din_]);
    for (int k = 0; k < cfg_.test_per_class; ++k) draw_view(c, &test_x_[(std::size_t(c) * cfg_.test_per_class + k) * din_]);
  }
}

void Trainer::draw_view(int cls, double* x) {
  for (int j = 0; j < cfg_.signal_dim; ++j) x[j] = protos_[std::size_t(cls) * cfg_.signal_dim + j] + cfg_.view_noise * rng_.normal();
  for (int j = cfg_.signal_dim; j < din_; ++j) x[j] = cfg_.nuisance * rng_.normal();
}

std::vector<StepRecord> Trainer::run(int count) {
  require(count >= 0 && count <= 1000000, "contrastiveTrainer.run", "count", "be an integer in [0, 1e6]", count);
  const int nb = cfg_.batch;
  std::vector<int> order(cfg_.classes);
  std::vector<double> xa(std::size_t(nb) * din_), xb(xa.size()), xi, sg32, sg64;
  std::vector<float> g32;
  std::vector<double> g64, w64(w_.size());
  std::vector<StepRecord> out;
  const float b1 = 0.9f, b2 = 0.999f, adam_eps = 1e-8f, lr = float(cfg_.lr);
  for (int it = 0; it < count; ++it) {
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < nb; ++i) std::swap(order[i], order[i + rng_.below(cfg_.classes - i)]);  // partial Fisher–Yates
    for (int i = 0; i < nb; ++i) {
      draw_view(order[i], &xa[std::size_t(i) * din_]);
      draw_view(order[i], &xb[std::size_t(i) * din_]);
    }
    StepRecord rec{};
    rec.step = ++step_;
    rec.loss = batch_loss_gradient(w_, cfg_.embed_dim, din_, xa, xb, nb, cfg_.tau, cfg_.loss, cfg_.evaluation, g32, nullptr, &sg32);
    std::copy(w_.begin(), w_.end(), w64.begin());
    batch_loss_gradient(w64, cfg_.embed_dim, din_, xa, xb, nb, cfg_.tau, cfg_.loss, Evaluation::stable, g64, &xi, &sg64);
    double dot = 0, n32 = 0, n64 = 0;
    for (std::size_t i = 0; i < g64.size(); ++i) {
      dot += double(g32[i]) * g64[i];
      n32 += double(g32[i]) * g32[i];
      n64 += g64[i] * g64[i];
    }
    rec.grad_norm32 = std::sqrt(n32);
    rec.grad_norm64 = std::sqrt(n64);
    rec.cosine = (n32 > 0 && n64 > 0) ? dot / (rec.grad_norm32 * rec.grad_norm64) : std::nan("");
    double acos_sum = 0;
    for (int a = 0; a < nb; ++a) {
      double d = 0, p = 0, q = 0;
      for (int b = 0; b < nb; ++b) {
        const double x = sg32[std::size_t(a) * nb + b], y = sg64[std::size_t(a) * nb + b];
        d += x * y;
        p += x * x;
        q += y * y;
      }
      acos_sum += (p > 0 && q > 0) ? d / std::sqrt(p * q) : 0.0;
    }
    rec.anchor_cosine = acos_sum / nb;
    int under = 0;
    for (double v : xi) under += v < 0x1.0p-24;
    rec.underflow = double(under) / nb;
    std::vector<double> lx(xi.size());
    for (std::size_t i = 0; i < xi.size(); ++i) lx[i] = std::log10(xi[i]);
    std::nth_element(lx.begin(), lx.begin() + lx.size() / 2, lx.end());
    rec.log10_xi = lx[lx.size() / 2];
    const float c1 = 1.0f - std::pow(b1, float(step_)), c2 = 1.0f - std::pow(b2, float(step_));
    for (std::size_t i = 0; i < w_.size(); ++i) {  // Adam (post 3 §3.2: step ≈ lr·g/√(g⊗g), O(lr) even for tiny g)
      m_[i] = b1 * m_[i] + (1 - b1) * g32[i];
      v_[i] = b2 * v_[i] + (1 - b2) * g32[i] * g32[i];
      w_[i] -= lr * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + adam_eps);
    }
    out.push_back(rec);
    history_.push_back(rec);
  }
  return out;
}

Trainer::Summary Trainer::summary(int from_step) const {
  Summary s{0, 0, 0, 0, 0, 0};
  int finite = 0;
  for (const auto& r : history_) {
    if (r.step <= from_step) continue;
    ++s.steps;
    s.anchor_cosine += r.anchor_cosine;
    s.underflow += r.underflow;
    s.log10_xi += r.log10_xi;
    if (std::isnan(r.cosine)) ++s.zero_gradient_steps;
    else { s.cosine += r.cosine; ++finite; }
  }
  if (s.steps > 0) {
    s.anchor_cosine /= s.steps;
    s.underflow /= s.steps;
    s.log10_xi /= s.steps;
  }
  s.cosine = finite > 0 ? s.cosine / finite : std::nan("");
  return s;
}

double Trainer::accuracy() const {
  const int e = cfg_.embed_dim, nc = cfg_.classes;
  auto embed = [&](const double* x, double* z) {
    double ss = 0;
    for (int i = 0; i < e; ++i) {
      double u = 0;
      for (int j = 0; j < din_; ++j) u += double(w_[std::size_t(i) * din_ + j]) * x[j];
      z[i] = u;
      ss += u * u;
    }
    const double n = std::sqrt(ss);
    for (int i = 0; i < e; ++i) z[i] = n > 0 ? z[i] / n : 0;
  };
  std::vector<double> cent(std::size_t(nc) * e, 0.0), z(e);
  for (int c = 0; c < nc; ++c) {
    for (int k = 0; k < cfg_.shots; ++k) {
      embed(&shot_x_[(std::size_t(c) * cfg_.shots + k) * din_], z.data());
      for (int i = 0; i < e; ++i) cent[std::size_t(c) * e + i] += z[i];
    }
    double ss = 0;
    for (int i = 0; i < e; ++i) ss += cent[std::size_t(c) * e + i] * cent[std::size_t(c) * e + i];
    const double n = std::sqrt(ss);
    for (int i = 0; i < e; ++i) cent[std::size_t(c) * e + i] = n > 0 ? cent[std::size_t(c) * e + i] / n : 0;
  }
  int correct = 0;
  for (int c = 0; c < nc; ++c)
    for (int k = 0; k < cfg_.test_per_class; ++k) {
      embed(&test_x_[(std::size_t(c) * cfg_.test_per_class + k) * din_], z.data());
      int best = 0;
      double bv = -std::numeric_limits<double>::infinity();
      for (int q = 0; q < nc; ++q) {
        double d = 0;
        for (int i = 0; i < e; ++i) d += z[i] * cent[std::size_t(q) * e + i];
        if (d > bv) { bv = d; best = q; }
      }
      correct += best == c;
    }
  return double(correct) / (double(nc) * cfg_.test_per_class);
}

std::vector<OrderRow> margin_sweep_order(std::size_t k, double positive, const std::vector<double>& margins) {
  const char* fn = "contrastiveMarginOrder";
  require(k >= 2 && k <= 1000000, fn, "k", "be an integer in [2, 1e6]", k);
  require(std::isfinite(positive) && std::fabs(positive) <= 80, fn, "positive", "be finite with |positive| <= 80", positive);
  std::vector<OrderRow> rows;
  for (std::size_t j = 0; j < margins.size(); ++j) {
    const double d = margins[j];
    require(std::isfinite(d) && std::fabs(d) <= 80, fn, indexed("margins", j), "be finite with |D| <= 80", d);
    std::vector<float> s32(k, float(positive - d));
    OrderRow r{};
    r.margin = d;
    s32[0] = float(positive);  // the positive summed first
    const auto a = cross_entropy(s32.data(), k, 0, Evaluation::shifted);
    s32[0] = float(positive - d);
    s32[k - 1] = float(positive);  // … and last
    const auto b = cross_entropy(s32.data(), k, k - 1, Evaluation::shifted);
    r.ce32_first = a.value;
    r.grad32_first = a.grad[0];
    r.ce32_last = b.value;
    r.grad32_last = b.grad[k - 1];
    rows.push_back(r);
  }
  return rows;
}

}  // namespace probwasm::contrastive
