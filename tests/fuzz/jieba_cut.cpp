// The segmenter over fuzzed text with a fixed dictionary (CJK words, ASCII words, a non-BMP word and
// prefixes of one another): boundaries tile the text, cutting is deterministic, and cutting each word
// alone gives that word back whole when it is a dictionary word.
#include "segmenter_checks.hpp"

namespace wb = probwasm::wobert;

namespace {
const char* kDict =
    "\xe4\xb8\xad 100\n"                                  // 中
    "\xe4\xb8\xad\xe5\x9b\xbd 500 ns\n"                   // 中国
    "\xe4\xb8\xad\xe5\x9b\xbd\xe4\xba\xba 300\n"          // 中国人
    "\xe5\x9b\xbd\xe4\xba\xba 20\n"                       // 国人
    "\xe4\xba\xba 800\n"                                  // 人
    "\xe5\x8c\x97\xe4\xba\xac 400\n"                      // 北京
    "\xe5\x8c\x97\xe4\xba\xac\xe5\xa4\xa7\xe5\xad\xa6 90\n"  // 北京大学
    "\xe5\xa4\xa7\xe5\xad\xa6 200\n"                      // 大学
    "\xe5\xa4\xa7 300\n"                                  // 大
    "ab 5\nabc 7\nc++ 3\n3d 2\n"
    "\xf0\xa0\x80\x80\xe4\xba\xba 9\n";                   // U+20000 人 (a non-BMP first character)
const wb::JiebaSegmenter& segmenter() {
  static const wb::JiebaSegmenter s(kDict);
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  const std::u16string text = in.rest_utf16();
  const auto& s = segmenter();
  const auto b = s.cut(text);
  check_boundaries(text, b);
  FUZZ_CHECK(s.cut(text) == b);
  for (std::size_t i = 1; i < b.size() && i < 64; ++i) {
    const std::u16string word = text.substr(b[i - 1], b[i] - b[i - 1]);
    const auto cp = wb::decode_utf16(word).cp;
    if (cp.size() > 1 && s.frequency(std::u32string(cp.begin(), cp.end())) > 0) {
      const auto alone = s.cut(word);
      FUZZ_CHECK(alone.size() == 2);  // {0, |word|}: a dictionary word alone is one word
    }
  }
  return 0;
}
