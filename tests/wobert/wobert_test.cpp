#include "wobert/wobert.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "numeric_test.hpp"

using namespace probwasm::wobert;
using probwasm::testing::eps;

namespace {
// A small dictionary whose optimal paths are worked out by hand below (total = 1+4+4+7+10+20+5+30+4+3 = 88).
const std::string kSmall = "甲乙 1\n甲 4\n乙 4\n丙 7\n中华 10\n人民 20\n中华人民 5\n华人 30\nT恤 4\nAA制 3\n";

std::u16string u(const std::string& s) { return utf8_to_utf16(s, "test", "s"); }

std::vector<std::string> words(const JiebaSegmenter& j, const std::u16string& s) {
  const auto b = j.cut(s);
  std::vector<std::string> w;
  for (std::size_t k = 0; k + 1 < b.size(); ++k) w.push_back(utf16_to_utf8(s.substr(b[k], b[k + 1] - b[k])));
  return w;
}
std::vector<std::string> words(const JiebaSegmenter& j, const std::string& s) { return words(j, u(s)); }
using V = std::vector<std::string>;
}  // namespace

TEST_CASE("the maximum log-probability path beats the greedy longest match") {
  const JiebaSegmenter j(kSmall);
  CHECK(j.total() == 88);
  // 中华人民: log 5 − log 88 = −2.86 beats [中华][人民]: log 10 + log 20 − 2 log 88 = −3.66
  CHECK(words(j, "中华人民") == V{"中华人民"});
  // 华人 (30) would win a local comparison, but [中][华人][民] = log 30 − 3 log 88 = −10.03
  CHECK(words(j, "中华人民共和国") == V{"中华人民", "共", "和", "国"});
}

TEST_CASE("an exact tie between two paths goes to the longer first word, as Python's max over (p, x)") {
  // [甲乙] = log 1 − log T and [甲][乙] = 2(log 4 − log T): equal for T = 16, so use that dictionary.
  const JiebaSegmenter t("甲乙 1\n甲 4\n乙 4\n丙 7\n");
  const double lt = std::log(16.0);
  const double whole = (0.0 - lt) + 0.0, split = (std::log(4.0) - lt) + ((std::log(4.0) - lt) + 0.0);
  REQUIRE(whole == split);  // log 16 = 2·log 4 exactly in binary floating point
  CHECK(words(t, "甲乙") == V{"甲乙"});
  CHECK(words(t, "丙丙甲乙丙") == V{"丙", "丙", "甲乙", "丙"});
}

TEST_CASE("non-Chinese runs follow jieba's re_han / re_skip rules (checked against Python jieba 0.42.1)") {
  const JiebaSegmenter j(kSmall);
  CHECK(words(j, "abc 123") == V{"abc", " ", "123"});
  CHECK(words(j, "C++ x") == V{"C", "+", "+", " ", "x"});
  CHECK(words(j, "T恤衫aa制AA制") == V{"T恤", "衫", "aa", "制", "AA制"});
  CHECK(words(j, "a\r\nb\n\r") == V{"a", "\r\n", "b", "\n", "\r"});
  CHECK(words(j, "中文abc中文") == V{"中", "文", "abc", "中", "文"});
  CHECK(words(j, "3.14%的人") == V{"3", ".", "14", "%", "的", "人"});
  CHECK(words(j, "a-b_c&d#e") == V{"a", "-", "b", "_", "c", "&", "d", "#", "e"});
  CHECK(words(j, "ab\tcd\u3000ef") == V{"ab", "\t", "cd", "\u3000", "ef"});
  CHECK(words(j, "   ") == V{" ", " ", " "});
}

TEST_CASE("dictionary words outside re_han are stored but never joined, as in Python jieba") {
  // U+20000 is not in [\u4E00-\u9FD5]: Python yields it per character even if the dictionary has the pair.
  const JiebaSegmenter j("\U00020000\U00020001 5\n中国 3\n");
  CHECK(j.frequency(U"\U00020000\U00020001") == 5);
  CHECK(j.frequency(U"\U00020000") == 0);
  CHECK(words(j, "\U00020000\U00020001中国") == V{"\U00020000", "\U00020001", "中国"});
}

TEST_CASE("empty text gives no words") {
  const JiebaSegmenter j(kSmall);
  CHECK(j.cut(u"") == std::vector<std::int32_t>{0});
}

TEST_CASE("astral characters and unpaired surrogates are single words with UTF-16 offsets") {
  const JiebaSegmenter j(kSmall);
  const std::u16string s = u"x\U0001F44D\U0001F3FDy\xD800z\xDC00\U00020000";  // 👍🏽 = two code points
  CHECK(j.cut(s) == std::vector<std::int32_t>{0, 1, 3, 5, 6, 7, 8, 9, 11});
  const std::u16string hi_end = u"中\xD83D";  // a high surrogate at the very end
  CHECK(j.cut(hi_end) == std::vector<std::int32_t>{0, 1, 2});
}

TEST_CASE("a text of 10^6 characters is segmented completely and in order") {
  const JiebaSegmenter j(kSmall);
  std::u16string s;
  const std::u16string unit = u"中华人民共和国abc 甲乙\U0001F600\r\n";  // 17 UTF-16 units
  while (s.size() < 1000000) s += unit;
  const auto b = j.cut(s);
  REQUIRE(b.front() == 0);
  REQUIRE(b.back() == static_cast<std::int32_t>(s.size()));
  bool increasing = true;
  for (std::size_t k = 0; k + 1 < b.size(); ++k) increasing = increasing && b[k] < b[k + 1];
  CHECK(increasing);
  CHECK(unit.size() == 17);
  CHECK(b.size() - 1 == 9 * (s.size() / unit.size()));  // 中华人民 共 和 国 abc ␠ 甲乙 😀 \r\n per unit
}

TEST_CASE("one long han run of 10^6 characters does not recurse or blow up") {
  const JiebaSegmenter j(kSmall);
  const std::u16string s(1000000, u'中');
  CHECK(j.cut(s).size() == 1000001);
  const std::u16string a(1000000, u'a');  // single letters are buffered into one word
  CHECK(j.cut(a) == std::vector<std::int32_t>{0, 1000000});
}

TEST_CASE("the prefix dictionary follows gen_pfdict: last frequency wins, total counts every line") {
  const JiebaSegmenter j("中华 3\n中华 5 n\n中华人民 2\n");
  CHECK(j.total() == 10);
  CHECK(j.frequency(U"中华") == 5);
  CHECK(j.frequency(U"中华人") == 0);  // a pure prefix
  CHECK(j.frequency(U"中") == 0);
  CHECK(j.frequency(U"人民") == -1);
  CHECK(j.words() == 2);
  const JiebaSegmenter crlf("中华 3\r\n\r\n  人民 4  \n");  // strip() and blank lines
  CHECK(crlf.total() == 7);
}

TEST_CASE("words by frequency order ties by Python's FREQ insertion order") {
  // FREQ keys in insertion order: 乙丙 (line 1), 乙 (prefix, line 1), 甲 (line 2), 乙 (word line 3 keeps its key).
  const JiebaSegmenter j("乙丙 5\n甲 5\n乙 5\n丁 9\n");
  const auto w = j.words_by_frequency();
  REQUIRE(w.size() == 4);
  CHECK(w[0].text == U"丁");
  CHECK(w[1].text == U"乙丙");
  CHECK(w[2].text == U"乙");
  CHECK(w[3].text == U"甲");
}

TEST_CASE("bad dictionaries are rejected with the line named") {
  CHECK_THROWS_WITH_AS(JiebaSegmenter("中华 3\n人民\n"), "JiebaSegmenter: dictionary line 2 must be \"word freq [tag]\", got \"人民\"",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(JiebaSegmenter("中华 -3\n"),
                       "JiebaSegmenter: dictionary line 1 must have a frequency of 1 to 15 decimal digits, got \"中华 -3\"",
                       std::invalid_argument);
  CHECK_THROWS_AS(JiebaSegmenter("中华 3.5\n"), std::invalid_argument);
  CHECK_THROWS_AS(JiebaSegmenter("中华 9999999999999999\n"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(JiebaSegmenter(""), "JiebaSegmenter: dictionary must have a positive total frequency, got 0",
                       std::invalid_argument);
  CHECK_THROWS_AS(JiebaSegmenter("中华 0\n"), std::invalid_argument);
  CHECK_THROWS_AS(JiebaSegmenter(std::string("\xE4\xB8 3\n")), std::invalid_argument);  // truncated UTF-8
  CHECK_THROWS_AS(JiebaSegmenter(std::string("\xED\xA0\x80 3\n")), std::invalid_argument);  // encoded surrogate
}

TEST_CASE("UTF-8 and UTF-16 conversions round-trip and reject malformed input") {
  const std::string s = "a中\U0001F600";
  CHECK(utf16_to_utf8(u(s)) == s);
  CHECK(u(s).size() == 4);
  CHECK(utf16_to_utf8(std::u16string(1, char16_t(0xDC00))) == "\xEF\xBF\xBD");
  CHECK_THROWS_AS(u(std::string("\xC0\x80")), std::invalid_argument);  // overlong
  CHECK_THROWS_AS(u(std::string("\xF4\x90\x80\x80")), std::invalid_argument);  // > U+10FFFF
}

// ------------------------------------------------------------------------- tokenizer
TEST_CASE("the base vocabulary has BERT's layout and a stated size") {
  const WobertTokenizer t(kSmall, 0);
  // 5 specials + 68 ASCII + 36 "##" + (1 + 24 + 11 + 31 + 94) punctuation + the dictionary's CJK
  // characters 甲乙丙中华人民恤制 (9)
  CHECK(t.base_size() == 5 + 68 + 36 + 1 + 24 + 11 + 31 + 94 + 9);
  CHECK(t.size() == t.base_size());
  CHECK(t.token(0) == U"[PAD]");
  CHECK(t.token(1) == U"[UNK]");
  CHECK(t.token(2) == U"[CLS]");
  CHECK(t.token(3) == U"[SEP]");
  CHECK(t.token(4) == U"[MASK]");
  CHECK(t.id(U"A") == -1);
  CHECK(t.id(U"a") == 5 + ('a' - 0x21) - 26);  // after the 26 skipped capitals
  CHECK(t.id(U"##z") == 5 + 68 + 35);
  // CJK characters by code point: 丙 U+4E19 first … 甲 U+7532 last
  CHECK(t.token(5 + 68 + 36 + 161) == U"丙");
  CHECK(t.token(t.base_size() - 1) == U"甲");
}

TEST_CASE("the top-N words are added by descending frequency, skipping words already present") {
  const WobertTokenizer t(kSmall, 3);
  REQUIRE(t.size() == t.base_size() + 3);
  CHECK(t.token(t.base_size()) == U"华人");      // 30
  CHECK(t.token(t.base_size() + 1) == U"人民");  // 20 (丙 7, 甲 4, 乙 4 are characters, already in)
  CHECK(t.token(t.base_size() + 2) == U"中华");  // 10
  const WobertTokenizer all(kSmall, 1000);       // all 7 multi-character words, then it stops
  CHECK(all.size() == all.base_size() + 7);
  CHECK(all.token(all.size() - 1) == U"甲乙");    // frequency 1: last
  CHECK_THROWS_WITH_AS(WobertTokenizer(kSmall, -1), "WobertTokenizer: words must be an integer in [0, 10000000], got -1",
                       std::invalid_argument);
}

namespace {
const std::string kTok = kSmall + "共 2\n和 2\n国 2\n";
struct Enc {
  std::vector<std::u32string> tok;
  std::vector<std::int32_t> b, e;
  std::vector<int> k;
};
Enc enc(const WobertTokenizer& t, const std::u16string& s, bool pre) {
  Enc r;
  for (const auto& x : t.encode(s, pre)) {
    r.tok.push_back(t.token(static_cast<std::size_t>(x.id)));
    r.b.push_back(x.begin);
    r.e.push_back(x.end);
    r.k.push_back(static_cast<int>(x.kind));
  }
  return r;
}
using T = std::vector<std::u32string>;
using I = std::vector<std::int32_t>;
}  // namespace

TEST_CASE("WoBERT emits in-vocabulary words whole and falls back to characters and WordPiece") {
  const WobertTokenizer t(kTok, 1000);
  // lower-cased before segmentation (bert4keras): "t恤" is not the dictionary word "T恤"
  const Enc r = enc(t, u"中华人民共和国Hello, T恤!", true);
  CHECK(r.tok == T{U"[CLS]", U"中华人民", U"共", U"和", U"国", U"h", U"##e", U"##l", U"##l", U"##o", U",", U"t", U"恤", U"!", U"[SEP]"});
  CHECK(r.b == I{0, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17});
  CHECK(r.e == I{0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 17});
  CHECK(r.k == std::vector<int>{0, 1, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 0});
  // character BERT: the same text without pre-tokenization
  const Enc c = enc(t, u"中华人民共和国", false);
  CHECK(c.tok == T{U"[CLS]", U"中", U"华", U"人", U"民", U"共", U"和", U"国", U"[SEP]"});
}

TEST_CASE("empty, blank and control-only text give just [CLS] [SEP]") {
  const WobertTokenizer t(kTok, 1000);
  for (const std::u16string& s : {std::u16string(), std::u16string(u" \t\r\n\u3000"), std::u16string(u"\u200B\u0000\uFFFD")}) {
    const Enc r = enc(t, s, true);
    CHECK(r.tok == T{U"[CLS]", U"[SEP]"});
    CHECK(r.b == I{0, static_cast<std::int32_t>(s.size())});
  }
}

TEST_CASE("emoji, unpaired surrogates and unknown characters become [UNK] spanning their UTF-16 units") {
  const WobertTokenizer t(kTok, 1000);
  const Enc r = enc(t, u"中\U0001F600\xD800龘", true);
  CHECK(r.tok == T{U"[CLS]", U"中", U"[UNK]", U"[UNK]", U"[UNK]", U"[SEP]"});
  CHECK(r.b == I{0, 0, 1, 3, 4, 5});
  CHECK(r.e == I{0, 1, 3, 4, 5, 5});
  // a zero-width space is dropped and does not split the piece it sits in (bert4keras _is_control)
  const Enc z = enc(t, u"ab\u200Bcd", false);
  CHECK(z.tok == T{U"[CLS]", U"a", U"##b", U"##c", U"##d", U"[SEP]"});
  CHECK(z.e == I{0, 1, 2, 4, 5, 5});
}

TEST_CASE("a word longer than word_maxlen = 200 is one [UNK]; 200 letters are still pieces") {
  const WobertTokenizer t(kTok, 1000);
  const Enc a = enc(t, std::u16string(201, u'a'), true);
  CHECK(a.tok == T{U"[CLS]", U"[UNK]", U"[SEP]"});
  CHECK(a.e[1] == 201);
  CHECK(enc(t, std::u16string(200, u'a'), true).tok.size() == 202);
}

TEST_CASE("10^6 characters encode with one token per character at most, offsets increasing") {
  const WobertTokenizer t(kTok, 1000);
  std::u16string s;
  while (s.size() < 1000000) s += u"中华人民共和国，Hello 世界\U0001F600。";
  for (bool pre : {true, false}) {
    const auto w = t.encode(s, pre);
    CHECK(w.size() <= s.size() + 2);
    bool ok = true;
    for (std::size_t k = 1; k < w.size(); ++k) ok = ok && w[k].begin >= w[k - 1].end && w[k].end >= w[k].begin;
    CHECK(ok);
  }
}

// ------------------------------------------------------------------------- cost model
TEST_CASE("the speed-up model has the right limits and matches the cost ratio") {
  CHECK(speedup(512, 1.0, 768, 24, 4) == 1.0);
  CHECK(speedup(512, 0.8, 768, 24, 0) == doctest::Approx(1 / 0.8).epsilon(2 * eps));        // linear cost
  CHECK(speedup(512, 0.8, 768, 0, 4) == doctest::Approx(1 / 0.64).epsilon(2 * eps));        // quadratic cost
  const double r = 0.75, L = 256, d = 768;
  CHECK(speedup(L, r, d, 24, 4) ==
        doctest::Approx(transformer_cost(L, d, 24, 4) / transformer_cost(r * L, d, 24, 4)).epsilon(8 * eps));
  // grows with L towards 1/r² (between the linear and the quadratic limits)
  CHECK(speedup(128, r, d, 24, 4) < speedup(512, r, d, 24, 4));
  CHECK(speedup(1e12, r, d, 24, 4) == doctest::Approx(1 / (r * r)).epsilon(1e-6));
  CHECK_THROWS_WITH_AS(speedup(0, r, d, 24, 4), "wobertSpeedup: length must be finite and > 0, got 0", std::invalid_argument);
  CHECK_THROWS_AS(speedup(128, NAN, d, 24, 4), std::invalid_argument);
  CHECK_THROWS_AS(speedup(128, r, d, 0, 0), std::invalid_argument);
}

TEST_CASE("the speed-up has no overflow inside: huge lengths and sizes give the limits, never NaN") {
  // a·d + b·L overflowed at L = 1e308 (∞/∞ = NaN); the true S there is the quadratic limit 1/r² to within
  // a·d/(b·L) ~ 1e-303, so it must be 1/r² as the double nearest (the limit's own rounding: 4 eps).
  const double r = 0.7;
  CHECK(speedup(1e308, r, 768, 24, 4) == doctest::Approx(1 / (r * r)).epsilon(4 * eps));
  CHECK(speedup(1e308, r, 1e308, 24, 4) > 1 / r);  // a·d = 2.4e309 and b·L = 4e308: both terms matter
  CHECK(speedup(1e308, r, 1e308, 24, 4) < 1 / (r * r));
  CHECK(speedup(128, r, 1e308, 24, 4) == doctest::Approx(1 / r).epsilon(4 * eps));  // linear limit: b·L ≪ a·d
  CHECK(speedup(128, r, 768, 1e308, 4) == doctest::Approx(1 / r).epsilon(4 * eps));
  CHECK(speedup(128, r, 768, 24, 1e308) == doctest::Approx(1 / (r * r)).epsilon(4 * eps));
  // S beyond the double range: S = 1/r² for r = 1e-200 overflows, and the value says so (not NaN)
  CHECK(speedup(1e308, 1e-200, 768, 24, 4) == INFINITY);
  CHECK_THROWS_WITH_AS(speedup(-1, r, 768, 24, 4, "WobertTokenizer.compare"),
                       "WobertTokenizer.compare: length must be finite and > 0, got -1", std::invalid_argument);
}

TEST_CASE("a transformer cost beyond the double range is a RangeError, and a zero coefficient never makes NaN") {
  CHECK_THROWS_WITH_AS(transformer_cost(1e308, 768, 24, 4),
                       "transformerCost: a·L·d² + b·L²·d must be at most 1.8e308 (the double range), got Infinity",
                       std::invalid_argument);
  CHECK(transformer_cost(1, 1e200, 0, 1) == 1e200);  // a·L·d² = 0·∞ is not formed
  CHECK(transformer_cost(256, 768, 24, 4) == 24.0 * 256 * 768 * 768 + 4.0 * 256 * 256 * 768);
}

TEST_CASE("the fit recovers synthetic parameters and is no worse than a fine grid on the post's table") {
  const std::vector<double> L{128, 256, 512};
  std::vector<double> S;
  for (double l : L) S.push_back((1 + 1e-3 * l) / (0.8 * (1 + 1e-3 * 0.8 * l)));
  const SpeedupFit f = fit_speedup(L, S);
  // golden section locates a smooth minimum to ~sqrt(eps) relative
  CHECK(f.ratio == doctest::Approx(0.8).epsilon(1e-6));
  CHECK(f.kappa == doctest::Approx(1e-3).epsilon(1e-5));
  CHECK(f.rms < 1e-9);
  const std::vector<double> post{1.16, 1.22, 1.28};  // post 1 §1.4
  const SpeedupFit p = fit_speedup(L, post);
  double grid = 1e9;
  for (int i = 0; i <= 600; ++i)
    for (int j = 1; j <= 400; ++j) {
      const double k = std::pow(10.0, -6 + i * 0.01), rr = j / 400.0;
      double s = 0;
      for (int q = 0; q < 3; ++q) {
        const double e = (1 + k * L[q]) / (rr * (1 + k * rr * L[q])) - post[q];
        s += e * e;
      }
      grid = std::min(grid, std::sqrt(s / 3));
    }
  CHECK(p.rms <= grid * (1 + 1e-9));
  CHECK(p.rms > 0.01);  // the two-parameter model cannot bend enough to pass through all three points
  CHECK_THROWS_AS(fit_speedup({128}, {1.1}), std::invalid_argument);
  CHECK_THROWS_AS(fit_speedup({128, 256}, {1.1}), std::invalid_argument);
  CHECK_THROWS_AS(fit_speedup({128, -1}, {1.1, 1.2}), std::invalid_argument);
}
