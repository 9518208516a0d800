// WoBERT tokenizer (post 1 §1.2): bert4keras Tokenizer(vocab, do_lower_case=True,
// pre_tokenize=lambda s: jieba.cut(s, HMM=False)) — bojone/bert4keras, bert4keras/tokenizers.py
// (_tokenize, _word_piece_tokenize, _is_cjk_character, _is_punctuation, _is_space, _is_control),
// re-implemented from its behaviour. Deviations, all documented in the README:
//  - do_lower_case lower-cases ASCII A–Z only (Python's str.lower + NFD + dropping Mn needs Unicode
//    tables); it keeps offsets one-to-one.
//  - "category P" and "category Cf" use the tables below (the blocks Chinese text uses); outside them a
//    character counts as a letter, which can only change how an out-of-vocabulary piece is split.
#include <algorithm>
#include <set>

#include "common/errors.hpp"
#include "wobert/wobert.hpp"

namespace probwasm::wobert {

namespace {
constexpr const char* kFn = "WobertTokenizer";
constexpr std::size_t kWordMaxlen = 200;  // bert4keras word_maxlen

bool in(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

// bert4keras _is_cjk_character
bool is_cjk(char32_t c) {
  return in(c, 0x4E00, 0x9FFF) || in(c, 0x3400, 0x4DBF) || in(c, 0x20000, 0x2A6DF) || in(c, 0x2A700, 0x2B73F) ||
         in(c, 0x2B740, 0x2B81F) || in(c, 0x2B820, 0x2CEAF) || in(c, 0xF900, 0xFAFF) || in(c, 0x2F800, 0x2FA1F);
}

// bert4keras _is_punctuation: ASCII symbol ranges, or Unicode general category P* (UnicodeData.txt),
// tabulated for Latin-1, General Punctuation, CJK Symbols and Punctuation, Katakana middle dot,
// Vertical/Compatibility/Small forms and Halfwidth/Fullwidth forms.
bool is_punct(char32_t c) {
  if (in(c, 33, 47) || in(c, 58, 64) || in(c, 91, 96) || in(c, 123, 126)) return true;
  static const char32_t ranges[][2] = {
      {0x00A1, 0x00A1}, {0x00A7, 0x00A7}, {0x00AB, 0x00AB}, {0x00B6, 0x00B7}, {0x00BB, 0x00BB}, {0x00BF, 0x00BF},
      {0x2010, 0x2027}, {0x2030, 0x2043}, {0x2045, 0x2051}, {0x2053, 0x205E}, {0x3001, 0x3003}, {0x3008, 0x3011},
      {0x3014, 0x301F}, {0x3030, 0x3030}, {0x303D, 0x303D}, {0x30A0, 0x30A0}, {0x30FB, 0x30FB}, {0xFE10, 0xFE19},
      {0xFE30, 0xFE52}, {0xFE54, 0xFE61}, {0xFE63, 0xFE63}, {0xFE68, 0xFE68}, {0xFE6A, 0xFE6B}, {0xFF01, 0xFF03},
      {0xFF05, 0xFF0A}, {0xFF0C, 0xFF0F}, {0xFF1A, 0xFF1B}, {0xFF1F, 0xFF20}, {0xFF3B, 0xFF3D}, {0xFF3F, 0xFF3F},
      {0xFF5B, 0xFF5B}, {0xFF5D, 0xFF5D}, {0xFF5F, 0xFF65}};
  for (const auto& r : ranges)
    if (in(c, r[0], r[1])) return true;
  return false;
}

// bert4keras _is_space: ' ', \n, \r, \t or category Zs
bool is_space(char32_t c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x00A0 || c == 0x1680 || in(c, 0x2000, 0x200A) ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

// bert4keras _is_control: category Cc or Cf (UnicodeData.txt, Unicode 13)
bool is_control(char32_t c) {
  if (c < 0x20 || in(c, 0x7F, 0x9F)) return true;
  static const char32_t cf[][2] = {
      {0x00AD, 0x00AD}, {0x0600, 0x0605}, {0x061C, 0x061C}, {0x06DD, 0x06DD}, {0x070F, 0x070F}, {0x08E2, 0x08E2},
      {0x180E, 0x180E}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x2066, 0x206F}, {0xFEFF, 0xFEFF},
      {0xFFF9, 0xFFFB}, {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x13438}, {0x1BCA0, 0x1BCA3},
      {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F}};
  for (const auto& r : cf)
    if (in(c, r[0], r[1])) return true;
  return false;
}
}  // namespace

// The synthetic base vocabulary (see wobert.hpp): BERT's layout — specials, ASCII, "##" pieces,
// punctuation, CJK characters — built from what we have offline: the jieba dictionary's characters.
std::vector<std::u32string> base_vocabulary(const std::vector<JiebaSegmenter::Word>& words) {
  std::vector<std::u32string> v = {U"[PAD]", U"[UNK]", U"[CLS]", U"[SEP]", U"[MASK]"};
  for (char32_t c = 0x21; c <= 0x7E; ++c)
    if (!(c >= 'A' && c <= 'Z')) v.push_back(std::u32string(1, c));
  for (char32_t c = '0'; c <= '9'; ++c) v.push_back(std::u32string(U"##") + c);
  for (char32_t c = 'a'; c <= 'z'; ++c) v.push_back(std::u32string(U"##") + c);
  const char32_t punct[][2] = {{0x00B7, 0x00B7}, {0x2010, 0x2027}, {0x2030, 0x203A}, {0x3001, 0x301F}, {0xFF01, 0xFF5E}};
  for (const auto& r : punct)
    for (char32_t c = r[0]; c <= r[1]; ++c) v.push_back(std::u32string(1, c));
  std::set<char32_t> cjk;
  for (const auto& w : words)
    for (char32_t c : w.text)
      if (is_cjk(c)) cjk.insert(c);
  for (char32_t c : cjk) v.push_back(std::u32string(1, c));
  return v;
}

// train.py of ZhuiyiTechnology/WoBERT: add the most frequent jieba words not yet in the vocabulary.
WobertTokenizer::WobertTokenizer(const std::string& dict_utf8, int num_words) : jieba_(dict_utf8, kFn) {
  require(num_words >= 0 && num_words <= 10000000, kFn, "words", "be an integer in [0, 10000000]", num_words);
  const auto words = jieba_.words_by_frequency();
  vocab_ = base_vocabulary(words);
  for (std::size_t i = 0; i < vocab_.size(); ++i) index_.emplace(vocab_[i], static_cast<std::int32_t>(i));
  base_size_ = vocab_.size();
  int added = 0;
  for (const auto& w : words) {
    if (added >= num_words) break;
    if (index_.count(w.text)) continue;
    index_.emplace(w.text, static_cast<std::int32_t>(vocab_.size()));
    vocab_.push_back(w.text);
    ++added;
  }
  for (const auto& t : vocab_) max_len_ = std::max(max_len_, t.size());
}

std::int32_t WobertTokenizer::id(const std::u32string& token) const {
  const auto it = index_.find(token);
  return it == index_.end() ? -1 : it->second;
}

// bert4keras _word_piece_tokenize: greedy longest match, "##" after the first piece; a piece that
// cannot be matched, or is longer than word_maxlen, becomes one [UNK] for the whole word.
void WobertTokenizer::word_piece(const std::vector<char32_t>& lc, const std::vector<std::int32_t>& u16,
                                 const std::vector<std::int32_t>& idx, std::vector<Token>& out) const {
  const std::size_t n = idx.size();
  auto span = [&](std::size_t a, std::size_t b) {  // piece chars [a, b) → UTF-16 [begin, end)
    return std::pair<std::int32_t, std::int32_t>(u16[static_cast<std::size_t>(idx[a])], u16[static_cast<std::size_t>(idx[b - 1]) + 1]);
  };
  auto whole_unknown = [&] {
    const auto s = span(0, n);
    out.push_back({unk_id, s.first, s.second, TokenKind::unknown});
  };
  if (n > kWordMaxlen) return whole_unknown();
  const std::size_t mark = out.size();
  std::u32string sub;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = std::min(n, start + max_len_);
    std::int32_t found = -1;
    for (; end > start; --end) {
      sub.assign(start > 0 ? U"##" : U"");
      for (std::size_t k = start; k < end; ++k) sub.push_back(lc[static_cast<std::size_t>(idx[k])]);
      found = id(sub);
      if (found >= 0) break;
    }
    if (found < 0) {
      out.resize(mark);
      return whole_unknown();
    }
    const auto s = span(start, end);
    const TokenKind kind = (start == 0 && end == n && n == 1) ? TokenKind::character : TokenKind::piece;
    out.push_back({found, s.first, s.second, kind});
    start = end;
  }
}

// bert4keras _tokenize without pre_tokenize, on code points [b, e) of the lower-cased text.
void WobertTokenizer::basic(const std::vector<char32_t>& lc, const std::vector<std::int32_t>& u16, std::int32_t b,
                            std::int32_t e, std::vector<Token>& out) const {
  std::vector<std::int32_t> piece;
  auto flush = [&] {
    if (!piece.empty()) word_piece(lc, u16, piece, out);
    piece.clear();
  };
  for (std::int32_t i = b; i < e; ++i) {
    const char32_t c = lc[static_cast<std::size_t>(i)];
    if (is_punct(c) || is_cjk(c)) {
      flush();
      piece.push_back(i);
      flush();
    } else if (is_space(c)) {
      flush();
    } else if (c == 0 || c == 0xFFFD || is_control(c)) {
      continue;  // dropped; does not split the piece
    } else {
      piece.push_back(i);
    }
  }
  flush();
}

std::vector<Token> WobertTokenizer::encode(const std::u16string& text, bool pretokenize) const {
  const CodePoints c = decode_utf16(text);
  std::vector<char32_t> lc = c.cp;
  for (auto& ch : lc)
    if (ch >= 'A' && ch <= 'Z') ch += 'a' - 'A';
  std::vector<Token> out;
  out.reserve(lc.size() + 2);
  out.push_back({cls_id, 0, 0, TokenKind::special});
  const auto n = static_cast<std::int32_t>(lc.size());
  if (pretokenize) {
    const std::vector<std::int32_t> b = jieba_.cut_codepoints(lc);
    std::u32string w;
    for (std::size_t k = 0; k + 1 < b.size(); ++k) {
      w.assign(lc.begin() + b[k], lc.begin() + b[k + 1]);
      const std::int32_t i = id(w);
      if (i >= 0) {
        out.push_back({i, c.u16[static_cast<std::size_t>(b[k])], c.u16[static_cast<std::size_t>(b[k + 1])],
                       w.size() > 1 ? TokenKind::word : TokenKind::character});
      } else {
        basic(lc, c.u16, b[k], b[k + 1], out);
      }
    }
  } else {
    basic(lc, c.u16, 0, n, out);
  }
  const auto end16 = static_cast<std::int32_t>(text.size());
  out.push_back({sep_id, end16, end16, TokenKind::special});
  return out;
}

// Post 1 §1.4: WoBERT is faster because its sequences are shorter; the gain follows from r and L.
WobertTokenizer::Comparison WobertTokenizer::compare(const std::u16string& text, double d, double a, double b) const {
  const auto cps = static_cast<double>(decode_utf16(text).cp.size());
  const auto nc = static_cast<double>(encode(text, false).size()), nw = static_cast<double>(encode(text, true).size());
  Comparison c{};
  c.code_points = cps;
  c.char_tokens = nc - 2;
  c.wobert_tokens = nw - 2;
  c.char_per_cp = cps > 0 ? c.char_tokens / cps : 0;
  c.wobert_per_cp = cps > 0 ? c.wobert_tokens / cps : 0;
  c.ratio = nw / nc;
  c.speedup = speedup(nc, c.ratio, d, a, b, "WobertTokenizer.compare");
  return c;
}

}  // namespace probwasm::wobert
