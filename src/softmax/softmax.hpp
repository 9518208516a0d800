// Softmax and its alternatives (post 8, "通向概率分布之路：盘点Softmax及其替代品"): maps R^n → Δ^{n-1}.
//
// Conventions for every map: NaN is rejected; -inf is a masked logit (probability 0); +inf is
// rejected unless the map's section says otherwise. Row-wise variants take `cols` (0 = one row).
#pragma once
#include <cstddef>
#include <vector>

namespace probwasm::softmax {

// log Σ e^{x_i} (post 8 §8.1), stable for |x| up to 1e308; -inf entries contribute 0; all -inf → -inf.
double logsumexp(const double* x, std::size_t n);
double logsumexp(const std::vector<double>& x);

// p_i = e^{x_i/τ} / Σ_j e^{x_j/τ} (post 8 §8.1), computed as e^{(x_i - max)/τ} / Σ.
void softmax_into(const double* x, std::size_t n, double temperature, double* out);
std::vector<double> softmax(const std::vector<double>& x, double temperature = 1.0, std::size_t cols = 0);

}  // namespace probwasm::softmax
