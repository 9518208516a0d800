// The dictionary parser and the segmenter over fuzzed dictionaries: bytes up to the first 0 are the
// dictionary text, the rest is UTF-16 text to cut. A bad dictionary must be a std::invalid_argument; a
// good one must segment any text into boundaries that tile it, and every word it lists must be found.
#include <stdexcept>

#include "segmenter_checks.hpp"

namespace wb = probwasm::wobert;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  const std::string dict = in.until_zero(4096);
  const std::u16string text = in.rest_utf16();
  try {
    const wb::JiebaSegmenter s(dict);
    FUZZ_CHECK(s.total() > 0);
    check_boundaries(text, s.cut(text));
    std::uint64_t sum = 0;
    for (const auto& w : s.words_by_frequency()) {
      FUZZ_CHECK(!w.text.empty());
      FUZZ_CHECK(s.frequency(w.text) == static_cast<std::int64_t>(w.freq));
      sum += w.freq;
    }
    FUZZ_CHECK(sum <= s.total());  // total counts every line, duplicates included
    FUZZ_CHECK(s.words() == s.words_by_frequency().size());
  } catch (const std::invalid_argument&) {
    // a malformed line, bad UTF-8 or a zero total: named by the parser
  }
  return 0;
}
