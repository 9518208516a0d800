// BERT vocab.txt, Hugging Face's BertTokenizer and WoBERT's vocabulary (post 1 §1.2–1.3); see bert.hpp.
// Semantics read from huggingface/tokenizers (normalizers/bert.rs, pre_tokenizers/bert.rs, models/wordpiece/mod.rs,
// processors/bert.rs, utils/truncation.rs, utils/padding.rs), transformers tokenization_bert.py, bojone/bert4keras
// tokenizers.py (load_vocab) and ZhuiyiTechnology/WoBERT train.py. Nothing copied.
#include "wobert/bert.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_set>

#include "common/errors.hpp"

namespace probwasm::wobert {

namespace {
struct Range {
  char32_t lo, hi;
};
struct MapEntry {
  char32_t cp;
  std::uint32_t offset, length;
};
#include "wobert/bert_unicode.inc"

template <std::size_t N>
bool in_ranges(const Range (&r)[N], char32_t c) {
  const Range* it = std::upper_bound(r, r + N, c, [](char32_t x, const Range& g) { return x < g.lo; });
  return it != r && c <= (it - 1)->hi;
}
template <std::size_t N, std::size_t P>
bool append_mapped(const MapEntry (&m)[N], const char32_t (&pool)[P], char32_t c, std::u32string& out) {
  const MapEntry* it = std::lower_bound(m, m + N, c, [](const MapEntry& e, char32_t x) { return e.cp < x; });
  if (it == m + N || it->cp != c) return false;
  out.append(pool + it->offset, it->length);
  return true;
}
bool in(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

std::u16string to_utf16(const std::u32string& s) {
  std::u16string r;
  r.reserve(s.size());
  for (char32_t c : s) {
    if (c >= 0x10000) {
      r.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      r.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    } else {
      r.push_back(static_cast<char16_t>(c));
    }
  }
  return r;
}
}  // namespace

// ---------------------------------------------------------------- Unicode
namespace unicode {
const char* version() { return k_unicode_version; }
bool is_other(char32_t c) { return in_ranges(k_other, c); }
bool is_white_space(char32_t c) { return in_ranges(k_space, c); }
bool is_mn(char32_t c) { return in_ranges(k_mn, c); }
bool is_punctuation_category(char32_t c) { return in_ranges(k_punct, c); }
void append_lower(char32_t c, std::u32string& out) {
  if (!append_mapped(k_lower, k_lower_pool, c, out)) out.push_back(c);
}
// Hangul syllables decompose algorithmically (Unicode §3.12): L V (T).
void append_nfd(char32_t c, std::u32string& out) {
  if (in(c, 0xAC00, 0xD7A3)) {
    const char32_t s = c - 0xAC00;
    out.push_back(0x1100 + s / 588);
    out.push_back(0x1161 + (s % 588) / 28);
    if (s % 28) out.push_back(0x11A7 + s % 28);
    return;
  }
  if (!append_mapped(k_nfd, k_nfd_pool, c, out)) out.push_back(c);
}
}  // namespace unicode

// HF bert.rs: \t \n \r count as whitespace, not control; "control" is the whole category C (Cc Cf Cs Co Cn).
bool bert_is_whitespace(char32_t c) { return c == '\t' || c == '\n' || c == '\r' || unicode::is_white_space(c); }
bool bert_is_control(char32_t c) { return !(c == '\t' || c == '\n' || c == '\r') && unicode::is_other(c); }
// HF: ASCII symbols count as punctuation even where Unicode says S ($, +, <, =, >, ^, `, |, ~).
bool bert_is_punctuation(char32_t c) {
  return in(c, 33, 47) || in(c, 58, 64) || in(c, 91, 96) || in(c, 123, 126) || unicode::is_punctuation_category(c);
}
// transformers _is_chinese_char (huggingface/tokenizers bert.rs starts its Extension E range at 0x2B920 instead).
bool bert_is_chinese_char(char32_t c) {
  return in(c, 0x4E00, 0x9FFF) || in(c, 0x3400, 0x4DBF) || in(c, 0x20000, 0x2A6DF) || in(c, 0x2A700, 0x2B73F) ||
         in(c, 0x2B740, 0x2B81F) || in(c, 0x2B820, 0x2CEAF) || in(c, 0xF900, 0xFAFF) || in(c, 0x2F800, 0x2FA1F);
}

std::u32string utf8_to_utf32(const std::string& s, const char* fn, const char* param) {
  const CodePoints c = decode_utf16(utf8_to_utf16(s, fn, param));  // strict: no surrogates come out
  return std::u32string(c.cp.begin(), c.cp.end());
}
std::string utf32_to_utf8(const std::u32string& s) { return utf16_to_utf8(to_utf16(s)); }

// ---------------------------------------------------------------- 1. vocab.txt
BertVocab::BertVocab(const std::string& txt, const char* fn) {
  require(!txt.empty(), fn, "vocab", "be a non-empty vocab.txt", std::string());
  std::u32string all = utf8_to_utf32(txt, fn, "vocab");
  if (!all.empty() && all[0] == 0xFEFF) all.erase(0, 1);
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t nl = all.find(U'\n', start);
    if (nl == std::u32string::npos) nl = all.size();
    std::u32string t = all.substr(start, nl - start);
    if (!t.empty() && t.back() == U'\r') t.pop_back();
    if (t.empty())
      fail(fn, "vocab", "have one non-empty token per line", "an empty line " + std::to_string(tokens_.size() + 1));
    tokens_.push_back(std::move(t));
    start = nl + 1;
  }
  index(fn);
}

BertVocab::BertVocab(std::vector<std::u32string> tokens, const char* fn) : tokens_(std::move(tokens)) {
  for (std::size_t i = 0; i < tokens_.size(); ++i)
    if (tokens_[i].empty()) fail(fn, "vocab", "have one non-empty token per line", "an empty line " + std::to_string(i + 1));
  index(fn);
}

void BertVocab::index(const char* fn) {
  require(!tokens_.empty(), fn, "vocab", "be a non-empty vocab.txt", std::string());
  ids_.reserve(tokens_.size() * 2);
  char_.assign(0x10000, -1);
  cont_.assign(0x10000, -1);
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const auto [it, fresh] = ids_.emplace(tokens_[i], static_cast<std::int32_t>(i));
    if (!fresh)
      fail(fn, "vocab", "list each token once",
           "token " + utf32_to_utf8(tokens_[i]) + " on lines " + std::to_string(it->second + 1) + " and " + std::to_string(i + 1));
    max_len_ = std::max(max_len_, tokens_[i].size());
    const std::u32string& t = tokens_[i];
    if (t.size() == 1 && t[0] < 0x10000) char_[t[0]] = static_cast<std::int32_t>(i);
    if (t.size() == 3 && t[0] == U'#' && t[1] == U'#' && t[2] < 0x10000) cont_[t[2]] = static_cast<std::int32_t>(i);
  }
  auto special = [&](const char32_t* name, const char* printable) {
    const std::int32_t k = id(name);
    if (k < 0) fail(fn, "vocab", std::string("contain the special token ") + printable, "a vocabulary without it");
    return k;
  };
  unk_ = special(U"[UNK]", "[UNK]");
  cls_ = special(U"[CLS]", "[CLS]");
  sep_ = special(U"[SEP]", "[SEP]");
  pad_ = special(U"[PAD]", "[PAD]");
  mask_ = id(U"[MASK]");
}

std::int32_t BertVocab::id_of_char(char32_t c, bool continuation) const {
  if (c < 0x10000) return (continuation ? cont_ : char_)[c];
  return id(continuation ? std::u32string(U"##") + c : std::u32string(1, c));
}

std::int32_t BertVocab::id(const std::u32string& t) const {
  const auto it = ids_.find(t);
  return it == ids_.end() ? -1 : it->second;
}

// ---------------------------------------------------------------- 2. BertTokenizer
BertTokenizer::BertTokenizer(BertVocab vocab, BertOptions options, const char* fn)
    : vocab_(std::move(vocab)), opt_(options) {
  require(opt_.max_input_chars_per_word >= 1 && opt_.max_input_chars_per_word <= 1000000, fn, "maxInputCharsPerWord",
          "be an integer in [1, 1000000]", static_cast<double>(opt_.max_input_chars_per_word));
  strip_ = opt_.strip_accents < 0 ? opt_.lowercase : opt_.strip_accents > 0;
  // HF's added special tokens of a BERT tokenizer.json: matched in the raw text, leftmost, longest.
  for (const char32_t* s : {U"[PAD]", U"[UNK]", U"[CLS]", U"[SEP]", U"[MASK]"}) {
    const std::int32_t k = vocab_.id(s);
    if (k >= 0) specials_.emplace_back(to_utf16(s), k);
  }
  std::stable_sort(specials_.begin(), specials_.end(), [](const auto& x, const auto& y) { return x.first.size() > y.first.size(); });
}

// BertNormalizer (bert.rs): clean_text, handle_chinese_chars, strip_accents (NFD, drop Mn), lowercase — in this order,
// each a per-character map, so one pass per character gives the same string.
namespace {
struct Normalizer {
  const BertOptions& o;
  bool strip;
  // Appends the normalised form of c; returns false when c is dropped. chinese: c is to be spaced.
  bool apply(char32_t c, std::u32string& out, bool& chinese, std::u32string& tmp, std::u32string& buf) const {
    chinese = false;
    if (c < 0x80) {  // ASCII: no decomposition, A–Z is the whole lower-case map; controls and whitespace as below
      if (c == '\t' || c == '\n' || c == '\r' || c == ' ') {
        out.push_back(U' ');
        return true;
      }
      if (c < 0x20 || c == 0x7F) return false;
      out.push_back(o.lowercase && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      return true;
    }
    if (c >= 0x4E00 && c <= 0x9FFF) {  // CJK unified ideographs: no case, no decomposition, always assigned
      chinese = o.tokenize_chinese_chars;
      out.push_back(c);
      return true;
    }
    if (c == 0xFFFD || bert_is_control(c)) return false;
    if (bert_is_whitespace(c)) {
      out.push_back(U' ');
      return true;
    }
    chinese = o.tokenize_chinese_chars && bert_is_chinese_char(c);
    tmp.clear();
    if (strip) {
      buf.clear();
      unicode::append_nfd(c, buf);
      for (char32_t x : buf)
        if (!unicode::is_mn(x)) tmp.push_back(x);
    } else {
      tmp.push_back(c);
    }
    if (o.lowercase) {
      buf.clear();
      for (char32_t x : tmp) unicode::append_lower(x, buf);
      tmp.swap(buf);
    }
    out += tmp;
    return true;
  }
};
}  // namespace

std::u32string BertTokenizer::normalize(const std::u32string& text) const {
  const Normalizer nz{opt_, strip_};
  std::u32string out, piece, tmp, buf;
  bool chinese = false;
  for (char32_t c : text) {
    piece.clear();
    if (!nz.apply(c, piece, chinese, tmp, buf)) continue;
    if (chinese) out += U' ';
    out += piece;
    if (chinese) out += U' ';
  }
  return out;
}

// WordPiece (models/wordpiece): more than max_input_chars_per_word characters → [UNK]; else greedy longest match
// with "##" after the first piece; one unmatched piece makes the whole word [UNK].
void BertTokenizer::word_piece(const std::u32string& w, const std::vector<std::int32_t>& b16,
                               const std::vector<std::int32_t>& e16, std::vector<std::int32_t>& ids,
                               std::vector<std::int32_t>& begin, std::vector<std::int32_t>& end) const {
  const std::size_t n = w.size();
  const std::size_t mark = ids.size();
  auto unknown = [&] {
    ids.resize(mark);
    begin.resize(mark);
    end.resize(mark);
    ids.push_back(vocab_.unk_id());
    begin.push_back(b16.front());
    end.push_back(e16.back());
  };
  if (n > opt_.max_input_chars_per_word) return unknown();
  std::u32string sub;
  for (std::size_t start = 0; start < n;) {
    std::size_t stop = std::min(n, start + vocab_.max_token_length());
    std::int32_t found = -1;
    for (; stop > start; --stop) {
      if (stop - start == 1) {  // one character: a table, not a hash (most of Chinese text)
        found = vocab_.id_of_char(w[start], start > 0);
        break;
      }
      sub.assign(start > 0 ? U"##" : U"");
      sub.append(w, start, stop - start);
      found = vocab_.id(sub);
      if (found >= 0) break;
    }
    if (found < 0) return unknown();
    ids.push_back(found);
    begin.push_back(b16[start]);
    end.push_back(e16[stop - 1]);
    start = stop;
  }
}

// BertPreTokenizer (pre_tokenizers/bert.rs): split on whitespace (removed), then isolate each punctuation character.
void BertTokenizer::tokenize_span(const std::vector<char32_t>& cp, const std::vector<std::int32_t>& u16, std::size_t from,
                                  std::size_t to, std::vector<std::int32_t>& ids, std::vector<std::int32_t>& begin,
                                  std::vector<std::int32_t>& end) const {
  const Normalizer nz{opt_, strip_};
  std::u32string word, piece, tmp, buf;
  std::vector<std::int32_t> wb, we;  // UTF-16 span of the source character of each normalised character
  auto flush = [&] {
    if (!word.empty()) word_piece(word, wb, we, ids, begin, end);
    word.clear();
    wb.clear();
    we.clear();
  };
  bool chinese = false;
  for (std::size_t i = from; i < to; ++i) {
    piece.clear();
    if (!nz.apply(cp[i], piece, chinese, tmp, buf)) continue;
    if (chinese) flush();
    for (char32_t x : piece) {
      if (bert_is_whitespace(x)) {
        flush();
      } else if (bert_is_punctuation(x)) {
        flush();
        word.push_back(x);
        wb.push_back(u16[i]);
        we.push_back(u16[i + 1]);
        flush();
      } else {
        word.push_back(x);
        wb.push_back(u16[i]);
        we.push_back(u16[i + 1]);
      }
    }
    if (chinese) flush();
  }
  flush();
}

void BertTokenizer::tokenize(const std::u16string& text, std::vector<std::int32_t>& ids, std::vector<std::int32_t>& begin,
                             std::vector<std::int32_t>& end) const {
  const CodePoints c = decode_utf16(text);
  // code-point index of each UTF-16 position that starts a code point
  std::size_t from = 0;  // code point where the current plain span starts
  std::size_t k = 0;     // current code point
  while (k < c.cp.size()) {
    const std::size_t pos = static_cast<std::size_t>(c.u16[k]);
    bool matched = false;
    if (text[pos] == u'[') {
      for (const auto& [s, id] : specials_) {
        if (text.compare(pos, s.size(), s) == 0) {
          tokenize_span(c.cp, c.u16, from, k, ids, begin, end);
          ids.push_back(id);
          begin.push_back(static_cast<std::int32_t>(pos));
          end.push_back(static_cast<std::int32_t>(pos + s.size()));
          k += s.size();  // specials are ASCII: one code point per unit
          from = k;
          matched = true;
          break;
        }
      }
    }
    if (!matched) ++k;
  }
  tokenize_span(c.cp, c.u16, from, c.cp.size(), ids, begin, end);
}

// utils/truncation.rs, LongestFirst with a pair: keep the shorter whole if the longer can absorb the cut, else
// split the budget as floor/ceil with the ceiling going to the longer one.
std::pair<std::size_t, std::size_t> longest_first(std::size_t n1, std::size_t n2, std::size_t budget) {
  if (n1 + n2 <= budget) return {n1, n2};
  if (budget == 0) return {0, 0};
  const bool swap = n1 > n2;
  std::size_t a = swap ? n2 : n1, b;  // a: the shorter
  b = a > budget ? a : std::max(a, budget - a);
  if (a + b > budget) {
    a = budget / 2;
    b = a + budget % 2;
  }
  return swap ? std::pair<std::size_t, std::size_t>{b, a} : std::pair<std::size_t, std::size_t>{a, b};
}

// processors/bert.rs: [CLS] A [SEP] (B [SEP]), type ids 0 for [CLS] A [SEP] and 1 for B [SEP]; truncation of the
// pieces to max_length minus the specials, then padding on the right with [PAD] (type 0, mask 0).
BertEncoding BertTokenizer::encode(const std::u16string& a, const std::u16string* b, const EncodeOptions& o,
                                   const char* fn) const {
  std::vector<std::int32_t> ia, ba, ea, ib, bb, eb;
  tokenize(a, ia, ba, ea);
  if (b) tokenize(*b, ib, bb, eb);
  const std::size_t added = o.add_special_tokens ? (b ? 3 : 2) : 0;
  if (o.truncation != Truncation::none || o.pad_to_max_length)
    require(o.max_length >= 1 && o.max_length <= 100000000, fn, "maxLength", "be an integer in [1, 1e8]",
            static_cast<double>(o.max_length));
  if (o.truncation != Truncation::none) {
    require(o.max_length >= added, fn, "maxLength", "leave room for the " + std::to_string(added) + " special tokens",
            static_cast<double>(o.max_length));
    const std::size_t budget = o.max_length - added;
    std::size_t na = ia.size(), nb = ib.size();
    if (na + nb > budget) {
      const std::size_t cut = na + nb - budget;
      if (o.truncation == Truncation::longest_first) {
        std::tie(na, nb) = b ? longest_first(na, nb, budget) : std::pair<std::size_t, std::size_t>{budget, 0};
      } else if (o.truncation == Truncation::only_first) {
        require(na > cut, fn, "truncation", "leave tokens in the first text ('only_first' must remove " + std::to_string(cut) + ")",
                static_cast<double>(na));
        na -= cut;
      } else {
        require(b != nullptr, fn, "truncation", "have a pair text for 'only_second'", std::string("no pair"));
        require(nb > cut, fn, "truncation", "leave tokens in the pair text ('only_second' must remove " + std::to_string(cut) + ")",
                static_cast<double>(nb));
        nb -= cut;
      }
      ia.resize(na); ba.resize(na); ea.resize(na);
      ib.resize(nb); bb.resize(nb); eb.resize(nb);
    }
  }
  BertEncoding r;
  auto push = [&](std::int32_t id, std::int32_t type, bool special, std::int32_t s, std::int32_t e, std::int32_t seq) {
    r.ids.push_back(id);
    r.type_ids.push_back(type);
    r.attention_mask.push_back(1);
    r.special_mask.push_back(special ? 1 : 0);
    r.begin.push_back(s);
    r.end.push_back(e);
    r.sequence.push_back(seq);
  };
  if (o.add_special_tokens) push(vocab_.cls_id(), 0, true, 0, 0, -1);
  for (std::size_t i = 0; i < ia.size(); ++i) push(ia[i], 0, false, ba[i], ea[i], 0);
  if (o.add_special_tokens) push(vocab_.sep_id(), 0, true, 0, 0, -1);
  if (b) {
    for (std::size_t i = 0; i < ib.size(); ++i) push(ib[i], 1, false, bb[i], eb[i], 1);
    if (o.add_special_tokens) push(vocab_.sep_id(), 1, true, 0, 0, -1);
  }
  if (o.pad_to_max_length) {
    while (r.ids.size() < o.max_length) {
      push(vocab_.pad_id(), 0, true, 0, 0, -1);
      r.attention_mask.back() = 0;
    }
  }
  return r;
}

// ---------------------------------------------------------------- 3. WoBERT vocabulary
// bert4keras load_vocab(simplified=True): drop multi-character tokens whose stem has CJK or punctuation.
SimplifiedVocab simplify_vocab(const BertVocab& v, const char* fn) {
  SimplifiedVocab s;
  std::unordered_set<std::u32string> seen;
  for (const char32_t* t : {U"[PAD]", U"[UNK]", U"[CLS]", U"[SEP]", U"[MASK]"}) {
    const std::int32_t k = v.id(t);
    if (k < 0) fail(fn, "vocab", "contain [PAD], [UNK], [CLS], [SEP] and [MASK] (train.py's startswith)", "a vocabulary without " + utf32_to_utf8(t));
    s.tokens.emplace_back(t);
    s.keep.push_back(k);
    seen.insert(t);
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::u32string& t = v.token(i);
    if (seen.count(t)) continue;
    bool keep = true;
    if (t.size() > 1) {
      const std::size_t from = t.compare(0, 2, U"##") == 0 ? 2 : 0;
      for (std::size_t j = from; j < t.size() && keep; ++j)
        if (bert_is_chinese_char(t[j]) || bert_is_punctuation(t[j])) keep = false;
    }
    if (keep) {
      s.tokens.push_back(t);
      s.keep.push_back(static_cast<std::int32_t>(i));
    }
  }
  return s;
}

// train.py: add jieba words by descending frequency until num_words are new; each one's compound tokens are its
// ids under the plain (pre_tokenize-free, lower-casing) tokenizer of the simplified vocabulary.
WobertVocab build_wobert_vocab(const BertVocab& v, const JiebaSegmenter& jieba, int num_words, const char* fn) {
  require(num_words >= 0 && num_words <= 10000000, fn, "words", "be an integer in [0, 10000000]", num_words);
  SimplifiedVocab s = simplify_vocab(v, fn);
  WobertVocab w;
  w.tokens = std::move(s.tokens);
  w.keep = std::move(s.keep);
  w.base_size = w.tokens.size();
  const BertTokenizer pure(BertVocab(w.tokens, fn), BertOptions{}, fn);
  std::unordered_set<std::u32string> have(w.tokens.begin(), w.tokens.end());
  int added = 0;
  std::vector<std::int32_t> ids, b, e;
  for (const auto& word : jieba.words_by_frequency()) {
    if (added >= num_words) break;
    if (!have.insert(word.text).second) continue;
    w.tokens.push_back(word.text);
    ids.clear(); b.clear(); e.clear();
    pure.tokenize(to_utf16(word.text), ids, b, e);
    if (ids.empty()) ids.push_back(pure.vocab().unk_id());  // a word BERT drops entirely (controls only): [UNK]
    w.compound.push_back(ids);
    ++added;
  }
  return w;
}

// bert4keras: embeddings[keep_tokens], then np.mean(embeddings[compound], axis=0) appended per new word (post 1 §1.3).
std::vector<double> wobert_embeddings(const std::vector<double>& E, std::size_t rows, std::size_t d, const WobertVocab& v,
                                      const char* fn) {
  require(d >= 1, fn, "d", "be at least 1", static_cast<double>(d));
  require(rows >= 1 && E.size() == rows * d, fn, "embeddings", "have rows·d = " + std::to_string(rows) + "·" + std::to_string(d) + " entries",
          static_cast<double>(E.size()));
  for (std::size_t i = 0; i < E.size(); ++i)
    if (!std::isfinite(E[i])) fail(fn, indexed("embeddings", i), "be finite", E[i]);
  const std::size_t n = v.tokens.size();
  std::vector<double> out(n * d, 0.0);
  for (std::size_t i = 0; i < v.keep.size(); ++i) {
    const auto src = static_cast<std::size_t>(v.keep[i]);
    require(src < rows, fn, "embeddings", "have a row for every kept token (row " + std::to_string(src) + ")", static_cast<double>(rows));
    std::copy(E.begin() + static_cast<std::ptrdiff_t>(src * d), E.begin() + static_cast<std::ptrdiff_t>((src + 1) * d),
              out.begin() + static_cast<std::ptrdiff_t>(i * d));
  }
  for (std::size_t k = 0; k < v.compound.size(); ++k) {
    double* row = out.data() + (v.base_size + k) * d;
    const auto& c = v.compound[k];
    for (std::int32_t id : c) {
      const double* x = out.data() + static_cast<std::size_t>(id) * d;
      for (std::size_t j = 0; j < d; ++j) row[j] += x[j];
    }
    const double m = static_cast<double>(c.size());
    for (std::size_t j = 0; j < d; ++j) row[j] /= m;
  }
  return out;
}

// bert4keras Tokenizer._tokenize with pre_tokenize: text.lower(), NFD, drop Mn; then for w in jieba.cut(text):
// w if w in the vocabulary, else the plain tokenize of w.
std::vector<Token> wobert_tokenize(const BertTokenizer& tok, const JiebaSegmenter& jieba, const std::u16string& text,
                                   bool add_special_tokens) {
  const CodePoints c = decode_utf16(text);
  std::vector<char32_t> norm;
  std::vector<std::size_t> src;  // source code point of each normalised one
  norm.reserve(c.cp.size());
  src.reserve(c.cp.size());
  std::u32string low, dec;
  for (std::size_t i = 0; i < c.cp.size(); ++i) {
    low.clear();
    unicode::append_lower(c.cp[i], low);
    dec.clear();
    for (char32_t x : low) unicode::append_nfd(x, dec);
    for (char32_t x : dec)
      if (!unicode::is_mn(x)) {
        norm.push_back(x);
        src.push_back(i);
      }
  }
  const std::vector<std::int32_t> b = jieba.cut_codepoints(norm);
  std::vector<Token> out;
  if (add_special_tokens) out.push_back({tok.vocab().cls_id(), 0, 0, TokenKind::special});
  std::u32string w;
  std::u16string w16;
  std::vector<std::int32_t> ub, ue, ids, pb, pe;  // per UTF-16 unit of w16: its source span
  for (std::size_t k = 0; k + 1 < b.size(); ++k) {
    const auto from = static_cast<std::size_t>(b[k]), to = static_cast<std::size_t>(b[k + 1]);
    const std::int32_t s16 = c.u16[src[from]], e16 = c.u16[src[to - 1] + 1];
    w.assign(norm.begin() + b[k], norm.begin() + b[k + 1]);
    const std::int32_t id = tok.vocab().id(w);
    if (id >= 0) {
      out.push_back({id, s16, e16, w.size() > 1 ? TokenKind::word : TokenKind::character});
      continue;
    }
    w16.clear(); ub.clear(); ue.clear();
    for (std::size_t j = from; j < to; ++j) {
      const std::u16string one = to_utf16(std::u32string(1, norm[j]));
      for (std::size_t q = 0; q < one.size(); ++q) {
        w16.push_back(one[q]);
        ub.push_back(c.u16[src[j]]);
        ue.push_back(c.u16[src[j] + 1]);
      }
    }
    ids.clear(); pb.clear(); pe.clear();
    tok.tokenize(w16, ids, pb, pe);
    for (std::size_t q = 0; q < ids.size(); ++q) {
      const std::u32string& t = tok.vocab().token(static_cast<std::size_t>(ids[q]));
      const TokenKind kind = ids[q] == tok.vocab().unk_id() ? TokenKind::unknown
                             : (t.size() == 1 ? TokenKind::character : TokenKind::piece);
      out.push_back({ids[q], ub[static_cast<std::size_t>(pb[q])], ue[static_cast<std::size_t>(pe[q] - 1)], kind});
    }
  }
  const auto n16 = static_cast<std::int32_t>(text.size());
  if (add_special_tokens) out.push_back({tok.vocab().sep_id(), n16, n16, TokenKind::special});
  return out;
}

}  // namespace probwasm::wobert
