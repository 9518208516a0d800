// WoBERT (post 1, kexue.fm/archives/7758): word-granularity tokenization for a Chinese BERT.
//   1. JiebaSegmenter — jieba's precise mode without HMM, `jieba.cut(s, HMM=False)` of jieba 0.42.1
//      (fxsjy/jieba, jieba/__init__.py: gen_pfdict, get_DAG, calc, __cut_DAG_NO_HMM, cut), over a
//      dictionary given as text ("word freq [tag]" lines). No file I/O: the caller supplies the text.
//   2. WobertTokenizer — bert4keras' Tokenizer with pre_tokenize = the segmenter (post 1 §1.2): a base
//      vocabulary (see base_vocabulary()) plus the top-N dictionary words; in-vocabulary words whole,
//      otherwise BERT's basic tokenize + WordPiece; [CLS]/[SEP]; ids and UTF-16 offsets into the text.
//   3. Cost model — the post's speed-up table (§1.4) against a per-layer Transformer cost a·L·d² + b·L²·d.
// Text is UTF-16 (what a JS string is); an unpaired surrogate counts as one code point, as in a Python str.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "wobert/jieba_trie.hpp"

namespace probwasm::wobert {

// ---------------------------------------------------------------- text
/// Code points of a UTF-16 string and where each starts (u16[i]); u16.back() == s.size().
struct CodePoints {
  std::vector<char32_t> cp;
  std::vector<std::int32_t> u16;
};
/// Pairs surrogates; an unpaired surrogate stays a code point of its own (like Python's lone surrogates).
CodePoints decode_utf16(const std::u16string& s);
/// Strict UTF-8 → UTF-16 (for native callers and tests); throws invalid_argument naming fn/param.
std::u16string utf8_to_utf16(const std::string& s, const char* fn, const char* param);
/// UTF-16 → UTF-8; unpaired surrogates become U+FFFD.
std::string utf16_to_utf8(const std::u16string& s);

// ---------------------------------------------------------------- 1. jieba, HMM=False
/// jieba's prefix dictionary (gen_pfdict): every word and every prefix of a word is a key; a word's
/// value is the frequency of its LAST line, a pure prefix has 0; total = Σ freq over ALL lines.
class JiebaSegmenter {
 public:
  /// dict_utf8: lines "word freq [tag]" (jieba's dict.txt format); blank lines are skipped.
  /// fn: the public function named in error messages (JiebaSegmenter, or WobertTokenizer that builds one).
  explicit JiebaSegmenter(const std::string& dict_utf8, const char* fn = "JiebaSegmenter");
  /// The fast path (issue 11.5): a compiled dictionary (binary() of a segmenter built from text, the
  /// "PWJT" layout of jieba_trie.hpp), used in place. Takes ownership of `bytes` (from std::malloc; freed
  /// with std::free, also when they are rejected). A truncated or corrupt blob is std::invalid_argument.
  static JiebaSegmenter adopt_binary(std::uint8_t* bytes, std::size_t n, const char* fn = "JiebaSegmenter.fromBinary");
  /// The same from a copy of the bytes (the caller keeps them).
  static JiebaSegmenter from_binary(const std::uint8_t* bytes, std::size_t n, const char* fn = "JiebaSegmenter.fromBinary");
  /// The compiled dictionary: what from_binary takes. Identical bytes for identical dictionary text.
  const std::uint8_t* binary() const { return blob_.get(); }
  std::size_t binary_size() const { return blob_size_; }
  /// Bytes this segmenter holds: the blob and the two tables derived from it.
  std::size_t memory_bytes() const;

  /// jieba.cut(text, HMM=False): the UTF-16 boundaries of the words, starting with 0 and ending with
  /// text.size() (so word k is [b[k], b[k+1])). Empty text → {0}.
  std::vector<std::int32_t> cut(const std::u16string& text) const;
  /// The same on code points: boundaries in code-point indices.
  std::vector<std::int32_t> cut_codepoints(const std::vector<char32_t>& cp) const;

  std::size_t words() const { return t_.c.words; }  ///< distinct words with a frequency line
  std::uint64_t total() const { return total_; }
  /// Frequency of a word (0 for a pure prefix), -1 if it is not a key of the prefix dictionary.
  std::int64_t frequency(const std::u32string& word) const;

  /// A dictionary word, its frequency and its rank in words_by_frequency(): descending frequency, ties by
  /// the position of its key in Python's FREQ dict (insertion order: the first line whose word has it as
  /// a prefix), like `sorted(FREQ.items(), key=-freq)`.
  struct Word {
    std::u32string text;
    std::uint64_t freq;
    std::uint64_t order;  // rank among the words by (descending frequency, FREQ insertion position)
  };
  /// Distinct words sorted by descending frequency, ties by FREQ insertion order (bert4keras' top-N).
  std::vector<Word> words_by_frequency() const;

 private:
  JiebaSegmenter() = default;
  void adopt(std::uint8_t* bytes, std::size_t n, const char* fn);
  void cut_block(const char32_t* c, std::int32_t n, std::int32_t offset, std::vector<std::int32_t>& out,
                 std::vector<double>& lp, std::vector<std::int32_t>& nx) const;
  std::uint32_t child(std::uint32_t node, char16_t unit) const;
  std::uint32_t find(const std::u32string& w) const;  // 0 if absent (root is never a key)
  std::uint64_t freq(std::uint32_t node) const {
    const std::uint32_t k = t_.index(node);
    return k == 0 ? 0 : t_.freq[k - 1];
  }

  struct Free {
    void operator()(std::uint8_t* p) const noexcept;
  };
  std::unique_ptr<std::uint8_t, Free> blob_;  // the "PWJT" trie (jieba_trie.hpp); t_ views into it
  std::size_t blob_size_ = 0;
  trie::View t_;
  std::vector<double> weight_;        // per frequency index k ≥ 1: log(freq[k−1]) − log(total)
  std::uint32_t edge_min_ = 0;        // indices ≤ edge_min_ are no DAG edge (pure prefix, or a frequency-0 word)
  std::vector<std::uint32_t> root_bmp_;  // direct table for the root's children c: root_bmp_[c - root_lo_]
  char16_t root_lo_ = 0;
  std::uint64_t total_ = 0;
  double logtotal_ = 0;
};

/// jieba's re_han_default character class [\u4E00-\u9FD5a-zA-Z0-9+#&._%-] (jieba 0.42.1).
bool is_jieba_han(char32_t c);

// ---------------------------------------------------------------- 2. WoBERT tokenizer
/// How a token arose (for colour-coding): special ([CLS]/[SEP]), a multi-character vocabulary word,
/// a single character in the vocabulary, a WordPiece piece, or [UNK].
enum class TokenKind : std::uint8_t { special = 0, word = 1, character = 2, piece = 3, unknown = 4 };

struct Token {
  std::int32_t id;
  std::int32_t begin, end;  // UTF-16 offsets into the input ([CLS] = [0,0), [SEP] = [n,n))
  TokenKind kind;
};

/// The synthetic BERT-style base vocabulary (no BERT vocab.txt is available offline), in id order:
/// [PAD] [UNK] [CLS] [SEP] [MASK]; ASCII U+0021–U+007E without A–Z (input is lower-cased);
/// "##0"–"##9", "##a"–"##z"; U+00B7, U+2010–U+2027, U+2030–U+203A, U+3001–U+301F, U+FF01–U+FF5E;
/// then every CJK character (bert4keras _is_cjk_character ranges) occurring in the dictionary, by code point.
std::vector<std::u32string> base_vocabulary(const std::vector<JiebaSegmenter::Word>& dictionary_words);

class WobertTokenizer {
 public:
  /// num_words: how many dictionary words to add (post: 20,000), highest frequency first, skipping
  /// words already in the base vocabulary (train.py of ZhuiyiTechnology/WoBERT).
  WobertTokenizer(const std::string& dict_utf8, int num_words);

  /// bert4keras Tokenizer.tokenize with do_lower_case (ASCII only, see tokenizer.cpp) and
  /// pre_tokenize = jieba.cut(HMM=False) when pretokenize; pretokenize = false is plain character BERT.
  std::vector<Token> encode(const std::u16string& text, bool pretokenize) const;

  /// Character BERT vs WoBERT on one text: token counts without [CLS]/[SEP], code points, tokens per
  /// character, the length ratio r = WoBERT/BERT (with [CLS]/[SEP], what the model sees) and the
  /// cost-model speed-up at the text's BERT length (post 1 §1.4).
  struct Comparison {
    double code_points, char_tokens, wobert_tokens, char_per_cp, wobert_per_cp, ratio, speedup;
  };
  Comparison compare(const std::u16string& text, double d, double a, double b) const;

  const JiebaSegmenter& jieba() const { return jieba_; }
  std::size_t size() const { return vocab_.size(); }
  std::size_t base_size() const { return base_size_; }
  const std::u32string& token(std::size_t id) const { return vocab_.at(id); }
  std::int32_t id(const std::u32string& token) const;  // -1 if absent

  static constexpr std::int32_t pad_id = 0, unk_id = 1, cls_id = 2, sep_id = 3, mask_id = 4;

 private:
  void basic(const std::vector<char32_t>& lc, const std::vector<std::int32_t>& u16, std::int32_t b, std::int32_t e,
             std::vector<Token>& out) const;
  void word_piece(const std::vector<char32_t>& lc, const std::vector<std::int32_t>& u16,
                  const std::vector<std::int32_t>& idx, std::vector<Token>& out) const;

  JiebaSegmenter jieba_;
  std::vector<std::u32string> vocab_;
  std::unordered_map<std::u32string, std::int32_t> index_;
  std::size_t base_size_ = 0;
  std::size_t max_len_ = 1;  // longest vocabulary entry, in code points
};

// ---------------------------------------------------------------- 3. cost model (post 1 §1.4)
/// Per-layer Transformer cost a·L·d² + b·L²·d (projections + FFN, attention scores + weighted sum);
/// FLOP counts give a = 24, b = 4 (multiply-add = 2 FLOPs). A cost beyond the double range is a RangeError.
double transformer_cost(double length, double d, double a, double b);
/// Speed-up of WoBERT over BERT for a text of `length` characters whose WoBERT sequence is
/// ratio·length tokens: cost(L) / cost(ratio·L), for every finite positive length, ratio, d (no overflow
/// inside; only an S itself beyond the double range rounds to Infinity or 0). fn: the public name in errors.
double speedup(double length, double ratio, double d, double a, double b, const char* fn = "wobertSpeedup");

/// Least-squares fit of S(L) = (1+κL)/(r(1+κrL)) (the model above with κ = b/(a·d)) to measured speed-ups.
struct SpeedupFit {
  double ratio, kappa, rms;
};
SpeedupFit fit_speedup(const std::vector<double>& lengths, const std::vector<double>& speedups);

}  // namespace probwasm::wobert
