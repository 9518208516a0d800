// The compiled jieba dictionary (issue 11.5, src/wobert/jieba_trie.hpp): a segmenter loaded from the
// binary is the segmenter built from the text (same bytes, words, frequencies, order and cuts), and a
// truncated or corrupt binary is an invalid_argument, never a crash.
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "numeric_test.hpp"
#include "wobert/wobert.hpp"

using namespace probwasm::wobert;

namespace {
std::u16string u(const std::string& s) { return utf8_to_utf16(s, "test", "s"); }

// Dictionaries that exercise each part of the layout: duplicates (last frequency wins), a word with
// frequency 0 (a key but no DAG edge), words outside the BMP (two edges per character), ASCII words.
const char* const kDicts[] = {
    "甲乙 1\n甲 4\n乙 4\n丙 7\n中华 10\n人民 20\n中华人民 5\n华人 30\nT恤 4\nAA制 3\n",
    "中华 3\n中华 5 n\n中华人民 2\n人 0\n人民 9\n",
    "\U00020000\U00020001 5\n\U00020000 2\n中国 3\n国人 1\n中 8\n",
    "a 1\nab 2\nabc 3\nc++ 4\n3d 5\n",
};

// Deterministic texts over the dictionary's characters plus separators, astral characters and lone surrogates.
std::vector<std::u16string> texts(const std::string& dict) {
  std::u16string alphabet;
  for (char16_t c : u(dict))
    if (c != u' ' && c != u'\n' && (c < u'0' || c > u'9')) alphabet.push_back(c);
  alphabet += u"，。 \r\n\xD800的0";
  std::vector<std::u16string> out{u"", u"中华人民共和国", u"T恤衫AA制", u"\U00020000\U00020001中国人"};
  std::uint64_t x = 12345;
  for (int k = 0; k < 200; ++k) {
    std::u16string t;
    const int len = 1 + k % 40;
    for (int i = 0; i < len; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      t.push_back(alphabet[(x >> 33) % alphabet.size()]);
    }
    out.push_back(t);
  }
  return out;
}

void check_same(const JiebaSegmenter& a, const JiebaSegmenter& b, const std::string& dict) {
  REQUIRE(a.binary_size() == b.binary_size());
  CHECK(std::memcmp(a.binary(), b.binary(), a.binary_size()) == 0);
  CHECK(a.words() == b.words());
  CHECK(a.total() == b.total());
  const auto wa = a.words_by_frequency(), wb = b.words_by_frequency();
  REQUIRE(wa.size() == wb.size());
  for (std::size_t k = 0; k < wa.size(); ++k) {
    CHECK(wa[k].text == wb[k].text);
    CHECK(wa[k].freq == wb[k].freq);
    CHECK(wa[k].order == k);
    CHECK(b.frequency(wb[k].text) == static_cast<std::int64_t>(wb[k].freq));
  }
  for (const auto& t : texts(dict)) CHECK(a.cut(t) == b.cut(t));
}
}  // namespace

TEST_CASE("a segmenter loaded from its compiled dictionary equals the one built from text") {
  for (const std::string d : kDicts) {
    CAPTURE(d);
    const JiebaSegmenter text(d);
    SUBCASE("from a copy") { check_same(text, JiebaSegmenter::from_binary(text.binary(), text.binary_size()), d); }
    SUBCASE("adopting malloc'ed bytes") {
      auto* p = static_cast<std::uint8_t*>(std::malloc(text.binary_size()));
      std::memcpy(p, text.binary(), text.binary_size());
      check_same(text, JiebaSegmenter::adopt_binary(p, text.binary_size()), d);
    }
  }
}

TEST_CASE("the layout: header counts, 2-byte indices up to 65535 frequencies and 4-byte beyond") {
  const JiebaSegmenter s("中华 3\n中华 5 n\n中华人民 2\n人 0\n人民 9\n");
  std::uint32_t h[6];
  std::memcpy(h, s.binary(), sizeof h);
  CHECK(std::memcmp(s.binary(), "PWJT", 4) == 0);
  CHECK(h[1] == 1);                  // version
  CHECK(h[2] == 7);                  // root; 中 中华 中华人 中华人民 人 人民
  CHECK(h[3] == 4);                  // words: 中华, 中华人民, 人, 人民
  CHECK(h[4] == 4);                  // distinct frequencies 0, 2, 5, 9
  CHECK(h[5] == 2);
  CHECK(s.total() == 19);
  CHECK(s.frequency(U"人") == 0);    // a frequency-0 word is a key …
  CHECK(s.cut(u"人人") == std::vector<std::int32_t>{0, 1, 2});  // … but no DAG edge: "or 1" applies
  // 70,000 distinct frequencies need 4-byte indices
  std::string big;
  for (int i = 0; i < 70000; ++i) {
    const std::u16string w{static_cast<char16_t>(0x4E00 + i / 200), static_cast<char16_t>(0x4E00 + i % 200)};
    big += utf16_to_utf8(w) + " " + std::to_string(i + 1) + "\n";
  }
  const JiebaSegmenter wide(big);
  std::memcpy(h, wide.binary(), sizeof h);
  CHECK(h[4] == 70000);
  CHECK(h[5] == 4);
  check_same(wide, JiebaSegmenter::from_binary(wide.binary(), wide.binary_size()), big.substr(0, 2000));
}

TEST_CASE("every truncation of a compiled dictionary is rejected with a named RangeError message") {
  const JiebaSegmenter s(kDicts[0]);
  const std::vector<std::uint8_t> b(s.binary(), s.binary() + s.binary_size());
  for (std::size_t n = 0; n < b.size(); ++n) {
    CAPTURE(n);
    CHECK_THROWS_AS(JiebaSegmenter::from_binary(b.data(), n), std::invalid_argument);
  }
  CHECK_THROWS_WITH_AS(JiebaSegmenter::from_binary(b.data(), 10),
                       "JiebaSegmenter.fromBinary: compiled dictionary must be at least 64 bytes (its header), a "
                       "truncated file has fewer; bytes, got 10",
                       std::invalid_argument);
  const std::string short8 = "JiebaSegmenter.fromBinary: compiled dictionary size must match its header (" +
                             std::to_string(b.size()) + " bytes; a truncated or padded file differs); bytes, got " +
                             std::to_string(b.size() - 8);
  CHECK_THROWS_WITH_AS(JiebaSegmenter::from_binary(b.data(), b.size() - 8), short8.c_str(), std::invalid_argument);
  // an edge range past the last edge is caught before any label in it is read
  std::vector<std::uint8_t> far = b;
  const std::uint32_t huge = 0x7FFFFFFF;
  std::memcpy(far.data() + 64 + 4, &huge, 4);  // first[1]
  CHECK_THROWS_WITH_AS(JiebaSegmenter::from_binary(far.data(), far.size()),
                       doctest::Contains("compiled dictionary first[1] must be at most the edge count"), std::invalid_argument);
  std::vector<std::uint8_t> text(b.size(), ' ');
  std::memcpy(text.data(), "中华 3\n", 8);
  CHECK_THROWS_WITH_AS(JiebaSegmenter::from_binary(text.data(), text.size(), "loadJiebaSegmenter"),
                       doctest::Contains("loadJiebaSegmenter: compiled dictionary must start with \"PWJT\""),
                       std::invalid_argument);
}

TEST_CASE("every single corrupted byte is rejected or still gives a segmenter whose cuts tile the text") {
  for (const std::string d : kDicts) {
    CAPTURE(d);
    const JiebaSegmenter s(d);
    std::vector<std::uint8_t> b(s.binary(), s.binary() + s.binary_size());
    const auto ts = texts(d);
    int rejected = 0, accepted = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
      const std::uint8_t keep = b[i];
      for (int v : {0x00, 0x01, 0x7F, 0x80, 0xFF, keep ^ 0x01, keep ^ 0x10}) {
        if (v == keep) continue;
        b[i] = static_cast<std::uint8_t>(v);
        try {
          const JiebaSegmenter c = JiebaSegmenter::from_binary(b.data(), b.size());
          ++accepted;
          for (std::size_t k = 0; k < ts.size(); k += 10) {
            const auto cut = c.cut(ts[k]);
            REQUIRE(cut.front() == 0);
            REQUIRE(cut.back() == static_cast<std::int32_t>(ts[k].size()));
            for (std::size_t j = 1; j < cut.size(); ++j) REQUIRE(cut[j - 1] < cut[j]);
          }
          for (const auto& w : c.words_by_frequency()) REQUIRE(c.frequency(w.text) == static_cast<std::int64_t>(w.freq));
        } catch (const std::invalid_argument&) {
          ++rejected;
        }
      }
      b[i] = keep;
    }
    // a changed label or frequency can make another valid dictionary; counts, sizes and links cannot
    CHECK(rejected > 0);
    CHECK(rejected + accepted > 0);
  }
}
