// The compiled-dictionary loader (issue 11.5, src/wobert/jieba_trie.hpp) over corrupted blobs. The first
// byte picks how the blob is made: even → the fuzzer's bytes themselves; odd → the valid blob of a fixed
// dictionary (CJK, ASCII and non-BMP words, a frequency-0 word) patched by the following (offset u16,
// xor u8) triples and cut to a fuzzed length. A rejected blob must be a std::invalid_argument; an
// accepted one must segment every text into tiles, agree with itself on frequencies, and round-trip.
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "segmenter_checks.hpp"

namespace wb = probwasm::wobert;

namespace {
const char* kDict =
    "\xe4\xb8\xad 100\n"                                  // 中
    "\xe4\xb8\xad\xe5\x9b\xbd 500 ns\n"                   // 中国
    "\xe4\xb8\xad\xe5\x9b\xbd\xe4\xba\xba 300\n"          // 中国人
    "\xe5\x9b\xbd\xe4\xba\xba 20\n"                       // 国人
    "\xe4\xba\xba 0\n"                                    // 人, frequency 0
    "ab 5\nabc 7\nc++ 3\n3d 2\nab 9\n"                    // ab twice: the last frequency wins
    "\xf0\xa0\x80\x80\xe4\xba\xba 9\n"                    // U+20000 人
    "\xf0\xa0\x80\x80 4\n";                               // U+20000
const std::vector<std::uint8_t>& valid() {
  static const std::vector<std::uint8_t> b = [] {
    const wb::JiebaSegmenter s(kDict);
    return std::vector<std::uint8_t>(s.binary(), s.binary() + s.binary_size());
  }();
  return b;
}
const std::u16string kTexts[] = {u"中国人", u"abc中国c++3d", u"\U00020000人中国国人", u"\xD800中\xDC00" u"ab"};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  std::vector<std::uint8_t> blob;
  if (in.u(1) % 2 == 0) {
    blob.assign(in.p, in.p + in.n);
  } else {
    blob = valid();
    const std::size_t keep = blob.size() - in.u(1) % 16 * (in.u(1) % 2);  // sometimes a truncated file
    while (in.n >= 3) {
      const std::size_t at = in.u(2) % blob.size();
      blob[at] ^= static_cast<std::uint8_t>(in.u(1));
    }
    blob.resize(keep);
  }
  try {
    const wb::JiebaSegmenter s = wb::JiebaSegmenter::from_binary(blob.data(), blob.size());
    FUZZ_CHECK(s.total() > 0);
    for (const auto& t : kTexts) check_boundaries(t, s.cut(t));
    std::size_t words = 0;
    for (const auto& w : s.words_by_frequency()) {
      FUZZ_CHECK(s.frequency(w.text) == static_cast<std::int64_t>(w.freq));
      ++words;
    }
    FUZZ_CHECK(words == s.words());
    const wb::JiebaSegmenter again = wb::JiebaSegmenter::from_binary(s.binary(), s.binary_size());
    FUZZ_CHECK(std::memcmp(again.binary(), blob.data(), blob.size()) == 0);
  } catch (const std::invalid_argument&) {
    // truncated, corrupt or not a compiled dictionary: named by the loader
  }
  return 0;
}
