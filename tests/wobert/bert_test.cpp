#include "wobert/bert.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "numeric_test.hpp"

using namespace probwasm::wobert;
using probwasm::testing::eps;

namespace {
// A vocab.txt written for these tests: BERT's layout (specials, whole words, ## pieces, CJK characters).
const std::string kVocab =
    "[PAD]\n[unused0]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nun\n##aff\n##able\nhello\nworld\n!\n,\n.\n$\n中\n文\n##s\nthe\ncafe\n"
    "a\n##a\ni\n##o\nσ\nς\n";
std::u16string u(const std::string& s) { return utf8_to_utf16(s, "test", "s"); }
std::u32string u32(const std::string& s) { return utf8_to_utf32(s, "test", "s"); }

std::vector<std::string> toks(const BertTokenizer& t, const std::string& s) {
  std::vector<std::int32_t> ids, b, e;
  t.tokenize(u(s), ids, b, e);
  std::vector<std::string> out;
  for (auto id : ids) out.push_back(utf32_to_utf8(t.vocab().token(static_cast<std::size_t>(id))));
  return out;
}
using V = std::vector<std::string>;

std::string error_of(const std::string& vocab) {
  try {
    BertVocab v(vocab, "BertTokenizer");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("vocab.txt: token k is line k, with \\n or \\r\\n endings, an optional final newline and BOM") {
  const BertVocab a(kVocab, "t");
  CHECK(a.size() == 26);
  CHECK(a.pad_id() == 0);
  CHECK(a.unk_id() == 2);
  CHECK(a.cls_id() == 3);
  CHECK(a.sep_id() == 4);
  CHECK(a.mask_id() == 5);
  CHECK(a.id(U"##aff") == 7);
  CHECK(a.id(U"nope") == -1);
  const BertVocab b("\xEF\xBB\xBF[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]", "t");  // BOM, CRLF, no final newline
  CHECK(b.size() == 4);
  CHECK(b.pad_id() == 0);
  CHECK(b.mask_id() == -1);
}

TEST_CASE("vocab.txt errors name the function, the problem and where it is") {
  CHECK(error_of("") == "BertTokenizer: vocab must be a non-empty vocab.txt, got \"\"");
  CHECK(error_of("[PAD]\n\n[UNK]\n") == "BertTokenizer: vocab must have one non-empty token per line, got \"an empty line 2\"");
  CHECK(error_of("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[UNK]\n") ==
        "BertTokenizer: vocab must list each token once, got \"token [UNK] on lines 2 and 5\"");
  CHECK(error_of("[PAD]\n[UNK]\n[SEP]\n") == "BertTokenizer: vocab must contain the special token [CLS], got \"a vocabulary without it\"");
  CHECK(error_of("[UNK]\n[CLS]\n[SEP]\n") == "BertTokenizer: vocab must contain the special token [PAD], got \"a vocabulary without it\"");
  CHECK(error_of("[PAD]\n[UNK]\n[CLS]\n[SEP]\n\xFF\n").find("vocab must be valid UTF-8, got \"byte 255 at offset 24\"") != std::string::npos);
}

TEST_CASE("the Unicode tables agree with UnicodeData facts BERT depends on") {
  SUBCASE("category C is BERT's control class (Cc, Cf, Co, Cs, Cn); \\t \\n \\r are whitespace instead") {
    for (char32_t c : {0x00u, 0x01u, 0x7Fu, 0x85u, 0xADu, 0x200Bu, 0x200Du, 0xFEFFu, 0xE000u, 0xD800u, 0x0378u, 0x10FFFFu})
      CHECK(bert_is_control(c));
    for (char32_t c : {U'\t', U'\n', U'\r', U' ', U'a', U'中', U'é', U'\u3000'}) CHECK_FALSE(bert_is_control(c));
    for (char32_t c : {U'\t', U'\n', U'\r', U' ', U'\u00A0', U'\u3000', U'\u2003', U'\u2028'}) CHECK(bert_is_whitespace(c));
    CHECK_FALSE(bert_is_whitespace(U'\u200B'));  // zero-width space is Cf, not White_Space
  }
  SUBCASE("punctuation: category P plus every ASCII symbol, but not other symbols") {
    for (char32_t c : {U'!', U'$', U'+', U'<', U'^', U'`', U'|', U'~', U'。', U'，', U'—', U'“', U'«', U'¿', U'・'})
      CHECK(bert_is_punctuation(c));
    for (char32_t c : {U'a', U'0', U'¥', U'©', U'€', U'中', U'😀', U' '}) CHECK_FALSE(bert_is_punctuation(c));
  }
  SUBCASE("CJK ranges: unified ideographs, extensions A–F, compatibility ideographs; not kana, hangul, symbols") {
    for (char32_t c : {0x4E00u, 0x9FFFu, 0x3400u, 0x20000u, 0x2B820u, 0x2CEAFu, 0xF900u, 0x2F800u}) CHECK(bert_is_chinese_char(c));
    for (char32_t c : {0x3042u, 0x30A2u, 0xAC00u, 0x3002u, 0xFF0Cu, 0x2CEB0u}) CHECK_FALSE(bert_is_chinese_char(c));
  }
  SUBCASE("lower-casing is the full one-code-point mapping; NFD decomposes, Hangul algorithmically") {
    auto low = [](char32_t c) { std::u32string s; unicode::append_lower(c, s); return s; };
    auto nfd = [](char32_t c) { std::u32string s; unicode::append_nfd(c, s); return s; };
    CHECK(low(U'A') == U"a");
    CHECK(low(U'Ä') == U"ä");
    CHECK(low(U'Σ') == U"σ");  // no Final_Sigma context (Rust char::to_lowercase)
    CHECK(low(U'İ') == U"i\u0307");
    CHECK(low(U'Ａ') == U"ａ");
    CHECK(low(U'中') == U"中");
    CHECK(low(U'ß') == U"ß");
    CHECK(nfd(U'é') == U"e\u0301");
    CHECK(nfd(U'ǖ') == U"u\u0308\u0304");  // recursive: ǖ → ü + macron → u + diaeresis + macron
    CHECK(nfd(U'한') == U"\u1112\u1161\u11AB");
    CHECK(nfd(U'가') == U"\u1100\u1161");
    CHECK(nfd(0xF900) == U"\u8C48");  // a compatibility ideograph's singleton decomposition
    CHECK(nfd(U'Å') == U"A\u030A");
    CHECK(unicode::is_mn(0x0301));
    CHECK_FALSE(unicode::is_mn(U'e'));
  }
}

TEST_CASE("BertNormalizer: controls dropped, whitespace to spaces, CJK spaced, accents stripped, lower-cased") {
  const BertTokenizer t(BertVocab(kVocab, "t"), BertOptions{});
  CHECK(t.normalize(u32("Héllo\tWORLD\x01\xEF\xBF\xBD中文")) == u32("hello world 中  文 "));
  CHECK(t.normalize(u32("Crème Brûlée")) == u32("creme brulee"));
  BertOptions cased;
  cased.lowercase = false;
  const BertTokenizer c(BertVocab(kVocab, "t"), cased);
  CHECK(c.normalize(u32("Héllo")) == u32("Héllo"));  // strip_accents follows lowercase (HF's None)
  cased.strip_accents = 1;
  const BertTokenizer s(BertVocab(kVocab, "t"), cased);
  CHECK(s.normalize(u32("Héllo")) == u32("Hello"));
}

TEST_CASE("WordPiece: greedy longest match with ##, one [UNK] per unmatched word, [UNK] past 100 characters") {
  const BertTokenizer t(BertVocab(kVocab, "t"), BertOptions{});
  CHECK(toks(t, "unaffable") == V{"un", "##aff", "##able"});
  CHECK(toks(t, "Hello, World!") == V{"hello", ",", "world", "!"});
  CHECK(toks(t, "unaffablex hello") == V{"[UNK]", "hello"});
  CHECK(toks(t, "Café $5") == V{"cafe", "$", "[UNK]"});
  CHECK(toks(t, "中文字") == V{"中", "文", "[UNK]"});
  CHECK(toks(t, "ΣΑΣ") == V{"[UNK]"});  // σ·α·σ: no "##α"
  CHECK(toks(t, "Σ ς") == V{"σ", "ς"});
  CHECK(toks(t, "") == V{});
  CHECK(toks(t, " \t\n ") == V{});
  std::string w100 = "a", w101 = "a";
  for (int i = 1; i < 100; ++i) w100 += "a";
  w101 = w100 + "a";
  CHECK(toks(t, w100).size() == 100);  // a ##a ##a …
  CHECK(toks(t, w101) == V{"[UNK]"});
  SUBCASE("a special token written in the text is matched before normalisation") {
    CHECK(toks(t, "hello[SEP]world") == V{"hello", "[SEP]", "world"});
    CHECK(toks(t, "[sep]") == V{"[UNK]", "[UNK]", "[UNK]"});  // "[", "sep", "]" — only the exact string is special
  }
  SUBCASE("offsets are UTF-16 spans of the source; an astral character is two units") {
    std::vector<std::int32_t> ids, b, e;
    t.tokenize(u("😀 Hello中"), ids, b, e);
    CHECK(ids.size() == 3);
    CHECK(b == std::vector<std::int32_t>{0, 3, 8});
    CHECK(e == std::vector<std::int32_t>{2, 8, 9});
  }
}

TEST_CASE("LongestFirst truncation of a pair reproduces huggingface/tokenizers' own table (utils/truncation.rs tests)") {
  // lengths 0, 2, 4, 8 against each other with max_length 7, as in the Rust test truncate_encodings_longest_first
  const std::size_t n[] = {0, 2, 4, 8};
  const std::size_t expect[4][4][2] = {{{0, 0}, {0, 2}, {0, 4}, {0, 7}},
                                       {{2, 0}, {2, 2}, {2, 4}, {2, 5}},
                                       {{4, 0}, {4, 2}, {3, 4}, {3, 4}},
                                       {{7, 0}, {5, 2}, {4, 3}, {3, 4}}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const auto r = longest_first(n[i], n[j], 7);
      CHECK(r.first == expect[i][j][0]);
      CHECK(r.second == expect[i][j][1]);
    }
  CHECK(longest_first(8, 8, 0) == std::pair<std::size_t, std::size_t>{0, 0});
}

TEST_CASE("encode: [CLS] a [SEP] b [SEP], token types, attention mask, truncation and padding") {
  const BertTokenizer t(BertVocab(kVocab, "t"), BertOptions{});
  EncodeOptions o;
  const std::u16string b = u("the world");
  const auto e = t.encode(u("hello unaffable"), &b, o);
  CHECK(e.ids == std::vector<std::int32_t>{3, 9, 6, 7, 8, 4, 18, 10, 4});
  CHECK(e.type_ids == std::vector<std::int32_t>{0, 0, 0, 0, 0, 0, 1, 1, 1});
  CHECK(e.attention_mask == std::vector<std::int32_t>(9, 1));
  CHECK(e.special_mask == std::vector<std::int32_t>{1, 0, 0, 0, 0, 1, 0, 0, 1});
  CHECK(e.sequence == std::vector<std::int32_t>{-1, 0, 0, 0, 0, -1, 1, 1, -1});
  o.truncation = Truncation::longest_first;
  o.pad_to_max_length = true;
  o.max_length = 7;  // 4 pieces budget: a has 4, b has 2 → 2 + 2
  const auto tr = t.encode(u("hello unaffable"), &b, o);
  CHECK(tr.ids == std::vector<std::int32_t>{3, 9, 6, 4, 18, 10, 4});
  o.max_length = 12;
  const auto pd = t.encode(u("hello"), nullptr, o);
  CHECK(pd.ids == std::vector<std::int32_t>{3, 9, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(pd.attention_mask == std::vector<std::int32_t>{1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(pd.type_ids == std::vector<std::int32_t>(12, 0));
  o.max_length = 2;
  CHECK_THROWS_WITH_AS(t.encode(u("hello"), &b, o), "BertTokenizer.encode: maxLength must leave room for the 3 special tokens, got 2",
                       std::invalid_argument);
  o.truncation = Truncation::only_second;
  o.max_length = 5;
  CHECK_THROWS_AS(t.encode(u("hello unaffable"), &b, o), std::invalid_argument);  // would have to cut 2 of b's 2
}

TEST_CASE("WoBERT vocabulary: bert4keras' simplification, then the most frequent new jieba words with compound tokens") {
  // The vocabulary of train.py's load_vocab(simplified=True): [unused0] (has punctuation) and ##s? kept (no CJK);
  // a "##中" entry would be dropped; single characters always stay.
  const BertVocab v("[PAD]\n[unused0]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n中\n国\n人\n##中\n##s\nok\n...\n", "t");
  const auto s = simplify_vocab(v, "t");
  CHECK(s.tokens == std::vector<std::u32string>{U"[PAD]", U"[UNK]", U"[CLS]", U"[SEP]", U"[MASK]", U"中", U"国", U"人", U"##s", U"ok"});
  CHECK(s.keep == std::vector<std::int32_t>{0, 2, 3, 4, 5, 6, 7, 8, 10, 11});
  const JiebaSegmenter j("中国 100 ns\n人 50 n\n中国人 30 n\n美国 20 ns\n国人 20 n\n");
  const auto w = build_wobert_vocab(v, j, 3, "t");
  CHECK(w.base_size == 10);
  // by frequency: 中国 100, 人 50 (already in), then 中国人 30 and a tie 美国/国人 at 20 (dictionary order: 美国)
  REQUIRE(w.tokens.size() == 13);
  CHECK(w.tokens[10] == U"中国");
  CHECK(w.tokens[11] == U"中国人");
  CHECK(w.tokens[12] == U"美国");
  CHECK(w.compound[0] == std::vector<std::int32_t>{5, 6});
  CHECK(w.compound[1] == std::vector<std::int32_t>{5, 6, 7});
  CHECK(w.compound[2] == std::vector<std::int32_t>{1, 6});  // 美 is not in the vocabulary: [UNK]
  SUBCASE("a new word's embedding is the mean of its characters' rows (post 1 §1.3)") {
    const std::size_t d = 3, rows = v.size();
    std::vector<double> E(rows * d);
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t k = 0; k < d; ++k) E[i * d + k] = static_cast<double>(i) + 0.1 * static_cast<double>(k) - 0.3;
    const auto out = wobert_embeddings(E, rows, d, w, "t");
    REQUIRE(out.size() == 13 * d);
    for (std::size_t i = 0; i < 10; ++i)
      for (std::size_t k = 0; k < d; ++k) CHECK(out[i * d + k] == E[static_cast<std::size_t>(s.keep[i]) * d + k]);
    // 中国: rows of 中 (6) and 国 (7) → (6 + 7)/2 + 0.1k − 0.3; 中国人: (6 + 7 + 8)/3; 美国: ([UNK] 2 + 国 7)/2
    for (std::size_t k = 0; k < d; ++k) {
      CHECK(out[10 * d + k] == doctest::Approx(6.5 + 0.1 * static_cast<double>(k) - 0.3).epsilon(4 * eps));
      CHECK(out[11 * d + k] == doctest::Approx(7.0 + 0.1 * static_cast<double>(k) - 0.3).epsilon(4 * eps));
      CHECK(out[12 * d + k] == doctest::Approx(4.5 + 0.1 * static_cast<double>(k) - 0.3).epsilon(4 * eps));
    }
    CHECK_THROWS_AS(wobert_embeddings(std::vector<double>(5), rows, d, w, "t"), std::invalid_argument);
  }
}

TEST_CASE("WoBERT tokenize over the real-vocabulary WoBERT vocab: jieba words whole, the rest through BERT (post 1 §1.2)") {
  const BertVocab v("[PAD]\n[unused0]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n中\n国\n人\n##中\n##s\nok\n...\n", "t");
  const JiebaSegmenter j("中国 100 ns\n人 50 n\n中国人 30 n\n美国 20 ns\n国人 20 n\n");
  const auto w = build_wobert_vocab(v, j, 3, "t");
  const BertTokenizer tok(BertVocab(w.tokens, "t"), BertOptions{});
  // 中国人 (log 30/270) beats 中国|人 (log 100/270 + log 50/270); "OKs" is lower-cased, one jieba run, not a word
  const auto t = wobert_tokenize(tok, j, u("中国人OKs美国!"));
  REQUIRE(t.size() == 5);
  const std::int32_t ids[] = {11, 9, 8, 12, 1}, b[] = {0, 3, 5, 6, 8}, e[] = {3, 5, 6, 8, 9};
  const TokenKind kinds[] = {TokenKind::word, TokenKind::piece, TokenKind::piece, TokenKind::word, TokenKind::unknown};
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(t[i].id == ids[i]);
    CHECK(t[i].begin == b[i]);
    CHECK(t[i].end == e[i]);
    CHECK(t[i].kind == kinds[i]);
  }
  CHECK(wobert_tokenize(tok, j, u("")).empty());
  const auto framed = wobert_tokenize(tok, j, u("中国"), true);
  REQUIRE(framed.size() == 3);
  CHECK(framed[0].id == 2);
  CHECK(framed[2].id == 3);
  CHECK(framed[2].begin == 2);
  // with no added words it is character BERT on Chinese
  const auto w0 = build_wobert_vocab(v, j, 0, "t");
  const BertTokenizer tok0(BertVocab(w0.tokens, "t"), BertOptions{});
  const auto c = wobert_tokenize(tok0, j, u("中国人"));
  REQUIRE(c.size() == 3);
  CHECK(c[0].id == 5);
  CHECK(c[1].id == 6);
  CHECK(c[2].id == 7);
}
