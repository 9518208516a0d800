// The segmentation invariants every target over jieba checks.
#pragma once
#include <vector>

#include "common.hpp"
#include "wobert/wobert.hpp"

// jieba.cut's boundaries: 0 = b[0] < b[1] < … < b[k] = |text|, never inside a surrogate pair.
inline void check_boundaries(const std::u16string& text, const std::vector<std::int32_t>& b) {
  FUZZ_CHECK(!b.empty());
  FUZZ_CHECK(b.front() == 0);
  FUZZ_CHECK(b.back() == static_cast<std::int32_t>(text.size()));
  for (std::size_t i = 1; i < b.size(); ++i) {
    FUZZ_CHECK(b[i - 1] < b[i]);
    const std::size_t at = static_cast<std::size_t>(b[i]);
    if (at < text.size() && at > 0) {
      const bool splits = text[at - 1] >= 0xD800 && text[at - 1] < 0xDC00 && text[at] >= 0xDC00 && text[at] < 0xE000;
      FUZZ_CHECK(!splits);
    }
  }
}
