// Row-wise application of a vector map to a row-major matrix (DESIGN.md `opts.cols`).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "common/errors.hpp"

namespace probwasm {

// cols == 0 means "one row holding all of x". Checks that cols divides x.size() and returns the row count.
inline std::size_t row_count(const char* fn, std::size_t size, std::size_t cols) {
  if (cols == 0) return size == 0 ? 0 : 1;
  if (size % cols != 0)
    throw std::invalid_argument(std::string(fn) + ": cols must divide the length " + std::to_string(size) +
                                ", got " + std::to_string(cols));
  return size / cols;
}

// out[r] = f(x[r]) for each row; f(const double* row, std::size_t n, double* out_row).
template <class F>
std::vector<double> map_rows(const char* fn, const std::vector<double>& x, std::size_t cols, F&& f) {
  if (x.empty()) fail(fn, "x", "be non-empty", "an empty array");
  const std::size_t rows = row_count(fn, x.size(), cols);
  const std::size_t n = cols == 0 ? x.size() : cols;
  std::vector<double> out(x.size());
  for (std::size_t r = 0; r < rows; ++r) f(x.data() + r * n, n, out.data() + r * n);
  return out;
}

}  // namespace probwasm
