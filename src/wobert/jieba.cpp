// jieba.cut(s, HMM=False), jieba 0.42.1 (fxsjy/jieba, jieba/__init__.py), re-implemented from its
// documented behaviour (no code copied):
//  - gen_pfdict: each line "word freq ..." sets FREQ[word] = freq (last line wins), adds every prefix
//    of the word with 0 unless already present; total sums freq over all lines.
//  - cut: split the text into runs of re_han_default = [\u4E00-\u9FD5a-zA-Z0-9+#&._%-]; runs of other
//    characters are split by re_skip_default = (\r\n|\s) and then emitted one character at a time
//    (so only "\r\n" stays a two-character token).
//  - __cut_DAG_NO_HMM on each han run: get_DAG (ends of the prefixes with freq > 0; else the character
//    itself), calc (route[i] = max over ends x of (log(freq or 1) − log(total) + route[x+1], x), ties to
//    the larger x), then walk the route; single ASCII letters/digits are buffered and emitted joined.
// The prefix dictionary lives in the compiled layout of jieba_trie.hpp (issue 11.5): the text constructor
// writes it, adopt_binary takes a validated one, and everything else reads only that.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

#include "common/errors.hpp"
#include "wobert/wobert.hpp"

namespace probwasm::wobert {

namespace {

bool is_ascii_alnum(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_py_bytes_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x0b' || c == '\x0c'; }

struct Entry {
  std::uint32_t off, len;  // into the flat UTF-16 buffer
  std::uint64_t freq;
  std::uint32_t line;      // first line of this word (after merging duplicates)
};
}  // namespace

bool is_jieba_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FD5) || is_ascii_alnum(c) || c == '+' || c == '#' || c == '&' || c == '.' ||
         c == '_' || c == '%' || c == '-';
}

void JiebaSegmenter::Free::operator()(std::uint8_t* p) const noexcept { std::free(p); }

// jieba gen_pfdict: the prefix dictionary as a breadth-first trie over UTF-16 code units, written
// straight into the compiled layout of jieba_trie.hpp (so text and binary take one code path).
JiebaSegmenter::JiebaSegmenter(const std::string& dict, const char* kFn) {
  std::vector<char16_t> chars;
  std::vector<Entry> entries;
  std::uint64_t total = 0;
  std::uint32_t line_no = 0;
  for (std::size_t pos = 0; pos <= dict.size();) {
    std::size_t nl = dict.find('\n', pos);
    if (nl == std::string::npos) nl = dict.size();
    ++line_no;
    std::size_t b = pos, e = nl;
    pos = nl + 1;
    while (b < e && is_py_bytes_space(dict[b])) ++b;  // line.strip() on bytes
    while (e > b && is_py_bytes_space(dict[e - 1])) --e;
    if (b == e) continue;  // jieba would reject a blank line; skipping it is harmless
    const std::string line = dict.substr(b, e - b);
    const std::string where = "dictionary line " + std::to_string(line_no);
    const std::size_t sp = line.find(' ');
    if (sp == std::string::npos || sp == 0) fail(kFn, where, "be \"word freq [tag]\"", line);
    std::size_t fe = line.find(' ', sp + 1);
    if (fe == std::string::npos) fe = line.size();
    const std::string f = line.substr(sp + 1, fe - sp - 1);
    if (f.empty() || f.size() > 15 || f.find_first_not_of("0123456789") != std::string::npos)
      fail(kFn, where, "have a frequency of 1 to 15 decimal digits", line);
    const std::uint64_t freq = std::stoull(f);
    total += freq;  // < 2^32 lines · 10^15 < 2^64
    const std::u16string w = utf8_to_utf16(line.substr(0, sp), kFn, where.c_str());
    entries.push_back({static_cast<std::uint32_t>(chars.size()), static_cast<std::uint32_t>(w.size()), freq, line_no});
    chars.insert(chars.end(), w.begin(), w.end());
  }
  require(total > 0, kFn, "dictionary", "have a positive total frequency", total);

  auto less = [&](const Entry& a, const Entry& b) {
    const bool lt = std::lexicographical_compare(chars.begin() + a.off, chars.begin() + a.off + a.len,
                                                 chars.begin() + b.off, chars.begin() + b.off + b.len);
    if (lt) return true;
    const bool gt = std::lexicographical_compare(chars.begin() + b.off, chars.begin() + b.off + b.len,
                                                 chars.begin() + a.off, chars.begin() + a.off + a.len);
    return !gt && a.line < b.line;
  };
  std::sort(entries.begin(), entries.end(), less);
  // duplicates: the last line's frequency, the first line's position
  std::vector<Entry> uniq;
  uniq.reserve(entries.size());
  for (const Entry& en : entries) {
    if (!uniq.empty() && uniq.back().len == en.len &&
        std::equal(chars.begin() + en.off, chars.begin() + en.off + en.len, chars.begin() + uniq.back().off)) {
      uniq.back().freq = en.freq;
    } else {
      uniq.push_back(en);
    }
  }

  // Breadth-first: node q's children get the next ids, so edge e leads to node e + 1.
  struct Item {
    std::uint32_t lo, hi, depth;
  };
  std::vector<Item> queue{{0, static_cast<std::uint32_t>(uniq.size()), 0}};
  std::vector<std::uint32_t> first;
  std::vector<std::uint16_t> label;
  std::vector<std::uint32_t> word_node;               // ascending node ids
  std::vector<std::uint64_t> word_freq, word_order;   // parallel to word_node
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const Item it = queue[q];
    first.push_back(static_cast<std::uint32_t>(label.size()));
    std::uint32_t i = it.lo;
    if (it.depth > 0 && uniq[i].len == it.depth) {  // sorted: the word equal to this prefix comes first
      // FREQ insertion position: the first line whose word has this key as a prefix; within a line the
      // word itself, then its prefixes by length
      std::uint64_t order = std::numeric_limits<std::uint64_t>::max();
      for (std::uint32_t k = it.lo; k < it.hi; ++k)
        order = std::min(order, (std::uint64_t{uniq[k].line} << 32) | (uniq[k].len == it.depth ? 0 : it.depth));
      word_node.push_back(static_cast<std::uint32_t>(q));
      word_freq.push_back(uniq[i].freq);
      word_order.push_back(order);
      ++i;
    }
    while (i < it.hi) {
      const char16_t c = chars[uniq[i].off + it.depth];
      std::uint32_t j = i;
      while (j < it.hi && chars[uniq[j].off + it.depth] == c) ++j;
      label.push_back(c);
      queue.push_back({i, j, it.depth + 1});
      i = j;
    }
  }
  first.push_back(static_cast<std::uint32_t>(label.size()));

  // the words by (descending frequency, FREQ position); walked backwards, the distinct frequencies ascending
  std::vector<std::uint32_t> rank(word_node.size());
  for (std::uint32_t k = 0; k < rank.size(); ++k) rank[k] = k;
  std::sort(rank.begin(), rank.end(), [&](std::uint32_t a, std::uint32_t b) {
    return word_freq[a] != word_freq[b] ? word_freq[a] > word_freq[b] : word_order[a] < word_order[b];
  });
  std::vector<std::uint64_t> freqs;
  std::vector<std::uint32_t> word_index(word_node.size());  // 1-based index into freqs
  for (std::size_t j = rank.size(); j-- > 0;) {
    const std::uint64_t f = word_freq[rank[j]];
    if (freqs.empty() || freqs.back() != f) freqs.push_back(f);
    word_index[rank[j]] = static_cast<std::uint32_t>(freqs.size());
  }

  trie::Counts c;
  c.nodes = static_cast<std::uint32_t>(queue.size());
  c.words = static_cast<std::uint32_t>(word_node.size());
  c.freqs = static_cast<std::uint32_t>(freqs.size());
  c.index_width = freqs.size() <= 0xFFFF ? 2 : 4;
  c.total = total;
  const trie::Sections s = trie::sections(c);
  auto* blob = static_cast<std::uint8_t*>(std::calloc(s.size, 1));  // zero padding between sections
  if (!blob) throw std::bad_alloc();
  trie::write_header(blob, c);
  std::memcpy(blob + s.first, first.data(), 4 * first.size());
  std::memcpy(blob + s.label, label.data(), 2 * label.size());
  for (std::size_t k = 0; k < word_node.size(); ++k) {
    const std::uint32_t idx = word_index[k];
    if (c.index_width == 2) {
      const auto v = static_cast<std::uint16_t>(idx);
      std::memcpy(blob + s.index + 2 * std::size_t{word_node[k]}, &v, 2);
    } else {
      std::memcpy(blob + s.index + 4 * std::size_t{word_node[k]}, &idx, 4);
    }
  }
  std::memcpy(blob + s.freq, freqs.data(), 8 * freqs.size());
  for (std::size_t k = 0; k < rank.size(); ++k) std::memcpy(blob + s.by_freq + 4 * k, &word_node[rank[k]], 4);
  adopt(blob, static_cast<std::size_t>(s.size), kFn);
}

// The compiled dictionary in place: after trie::validate every offset is in bounds. Derived here: the
// route's weights log(freq) − log(total) per distinct frequency (the text path's operations exactly),
// and the root's direct child table.
void JiebaSegmenter::adopt(std::uint8_t* bytes, std::size_t n, const char* fn) {
  blob_.reset(bytes);
  blob_size_ = n;
  t_ = trie::validate(bytes, n, fn);
  total_ = t_.c.total;
  logtotal_ = std::log(static_cast<double>(total_));
  weight_.assign(static_cast<std::size_t>(t_.c.freqs) + 1, 0.0);
  edge_min_ = 0;
  for (std::uint32_t k = 1; k <= t_.c.freqs; ++k) {
    const std::uint64_t f = t_.freq[k - 1];
    if (f == 0) edge_min_ = k;  // only freq[0] can be 0 (strictly increasing)
    else weight_[k] = std::log(static_cast<double>(f)) - logtotal_;
  }
  // The root's children (most of the trie's lookups start there) in a direct table over the span
  // [lo, hi] of their code units, when that span is dense enough (≤ 16 slots per child): a 2-word
  // dictionary gets a few entries, the full jieba dictionary the CJK block. Otherwise child() searches.
  root_lo_ = 0;
  root_bmp_.clear();
  const std::uint32_t a = t_.first[0], e = t_.first[1];
  if (e > a) {
    const char16_t lo = t_.label[a], hi = t_.label[e - 1];
    if (static_cast<std::uint32_t>(hi - lo) + 1 <= 16u * (e - a)) {
      root_lo_ = lo;
      root_bmp_.assign(static_cast<std::size_t>(hi - lo) + 1, 0);
      for (std::uint32_t k = a; k < e; ++k) root_bmp_[t_.label[k] - lo] = k + 1;
    }
  }
}

JiebaSegmenter JiebaSegmenter::adopt_binary(std::uint8_t* bytes, std::size_t n, const char* fn) {
  JiebaSegmenter s;
  s.adopt(bytes, n, fn);  // on error s frees bytes
  return s;
}

JiebaSegmenter JiebaSegmenter::from_binary(const std::uint8_t* bytes, std::size_t n, const char* fn) {
  auto* copy = static_cast<std::uint8_t*>(std::malloc(n > 0 ? n : 1));
  if (!copy) throw std::bad_alloc();
  if (n > 0) std::memcpy(copy, bytes, n);
  return adopt_binary(copy, n, fn);
}

std::size_t JiebaSegmenter::memory_bytes() const {
  return blob_size_ + weight_.capacity() * sizeof(double) + root_bmp_.capacity() * sizeof(std::uint32_t);
}

std::uint32_t JiebaSegmenter::child(std::uint32_t node, char16_t unit) const {
  if (node == 0 && static_cast<std::uint32_t>(unit) - root_lo_ < root_bmp_.size()) return root_bmp_[unit - root_lo_];
  const std::uint16_t* b = t_.label + t_.first[node];
  const std::uint16_t* e = t_.label + t_.first[node + 1];
  const std::uint16_t* it = std::lower_bound(b, e, static_cast<std::uint16_t>(unit));
  return (it != e && *it == unit) ? static_cast<std::uint32_t>(it - t_.label) + 1 : 0;
}

std::uint32_t JiebaSegmenter::find(const std::u32string& w) const {
  std::uint32_t node = 0;
  char16_t u[2];
  for (char32_t c : w) {
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) return 0;  // dictionary words are valid UTF-8
    int k = 0;
    if (c >= 0x10000) {
      u[k++] = static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10));
      u[k++] = static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      u[k++] = static_cast<char16_t>(c);
    }
    for (int j = 0; j < k; ++j) {
      node = child(node, u[j]);
      if (node == 0) return 0;
    }
  }
  return node;
}

std::int64_t JiebaSegmenter::frequency(const std::u32string& word) const {
  const std::uint32_t n = word.empty() ? 0 : find(word);
  return n == 0 ? -1 : static_cast<std::int64_t>(freq(n));
}

std::vector<JiebaSegmenter::Word> JiebaSegmenter::words_by_frequency() const {
  // the trie stores child links only: recover each word's text through parent links
  const std::uint32_t N = t_.c.nodes;
  std::vector<std::uint32_t> parent(N, 0);
  std::vector<char16_t> via(N, 0);
  for (std::uint32_t n = 0; n < N; ++n)
    for (std::uint32_t e = t_.first[n]; e < t_.first[n + 1]; ++e) {
      parent[e + 1] = n;
      via[e + 1] = t_.label[e];
    }
  std::vector<Word> out;
  out.reserve(t_.c.words);
  std::u16string t;
  for (std::uint32_t j = 0; j < t_.c.words; ++j) {
    const std::uint32_t n = t_.by_freq[j];
    t.clear();
    for (std::uint32_t k = n; k != 0; k = parent[k]) t.push_back(via[k]);  // parent[k] < k (validated)
    std::reverse(t.begin(), t.end());
    const CodePoints cp = decode_utf16(t);
    out.push_back({std::u32string(cp.cp.begin(), cp.cp.end()), freq(n), j});
  }
  return out;
}

// Python: get_DAG + calc + __cut_DAG_NO_HMM on one re_han run of n code points.
void JiebaSegmenter::cut_block(const char32_t* c, std::int32_t n, std::int32_t offset, std::vector<std::int32_t>& out,
                               std::vector<double>& lp, std::vector<std::int32_t>& nx) const {
  lp.assign(static_cast<std::size_t>(n) + 1, 0.0);
  nx.assign(static_cast<std::size_t>(n) + 1, 0);
  for (std::int32_t idx = n - 1; idx >= 0; --idx) {
    double best = -std::numeric_limits<double>::infinity();
    std::int32_t bx = -1;
    std::uint32_t node = 0;
    for (std::int32_t i = idx; i < n; ++i) {
      node = child(node, static_cast<char16_t>(c[i]));  // a han code point is in the BMP (is_jieba_han)
      if (node == 0) break;
      const std::uint32_t k = t_.index(node);
      if (k <= edge_min_) continue;  // a pure prefix (or a frequency-0 word) is not a DAG edge
      const double p = weight_[k] + lp[i + 1];  // (log(freq) − log(total)) + route[i+1], as Python sums it
      if (p > best || (p == best && i > bx)) { best = p; bx = i; }  // max of (p, x) tuples
    }
    if (bx < 0) {  // no word starts here: the character alone, freq "or 1" → log 1 = 0
      best = (0.0 - logtotal_) + lp[idx + 1];
      bx = idx;
    }
    lp[idx] = best;
    nx[idx] = bx;
  }
  std::int32_t x = 0;
  bool buffering = false;  // a run of single ASCII letters/digits, emitted as one word
  while (x < n) {
    const std::int32_t y = nx[x] + 1;
    if (y - x == 1 && is_ascii_alnum(c[x])) {
      buffering = true;
    } else {
      if (buffering) out.push_back(offset + x);
      buffering = false;
      out.push_back(offset + y);
    }
    x = y;
  }
  if (buffering) out.push_back(offset + n);
}

std::vector<std::int32_t> JiebaSegmenter::cut_codepoints(const std::vector<char32_t>& cp) const {
  const auto n = static_cast<std::int32_t>(cp.size());
  std::vector<std::int32_t> out{0};
  std::vector<double> lp;
  std::vector<std::int32_t> nx;
  for (std::int32_t i = 0; i < n;) {
    std::int32_t j = i;
    if (is_jieba_han(cp[i])) {
      while (j < n && is_jieba_han(cp[j])) ++j;
      cut_block(cp.data() + i, j - i, i, out, lp, nx);
    } else {
      while (j < n && !is_jieba_han(cp[j])) ++j;
      for (std::int32_t k = i; k < j;) {
        k += (cp[k] == '\r' && k + 1 < j && cp[k + 1] == '\n') ? 2 : 1;
        out.push_back(k);
      }
    }
    i = j;
  }
  return out;
}

std::vector<std::int32_t> JiebaSegmenter::cut(const std::u16string& text) const {
  const CodePoints c = decode_utf16(text);
  std::vector<std::int32_t> b = cut_codepoints(c.cp);
  for (auto& v : b) v = c.u16[static_cast<std::size_t>(v)];
  return b;
}

}  // namespace probwasm::wobert
