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
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/errors.hpp"
#include "wobert/wobert.hpp"

namespace probwasm::wobert {

namespace {

bool is_ascii_alnum(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_py_bytes_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x0b' || c == '\x0c'; }

struct Entry {
  std::uint32_t off, len;  // into the flat code-point buffer
  std::uint64_t freq;
  std::uint32_t line;      // first line of this word (after merging duplicates)
};
}  // namespace

bool is_jieba_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FD5) || is_ascii_alnum(c) || c == '+' || c == '#' || c == '&' || c == '.' ||
         c == '_' || c == '%' || c == '-';
}

// jieba gen_pfdict: the prefix dictionary as a breadth-first trie.
JiebaSegmenter::JiebaSegmenter(const std::string& dict, const char* kFn) {
  std::vector<char32_t> chars;
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
    const std::u16string w16 = utf8_to_utf16(line.substr(0, sp), kFn, where.c_str());
    const CodePoints w = decode_utf16(w16);
    entries.push_back({static_cast<std::uint32_t>(chars.size()), static_cast<std::uint32_t>(w.cp.size()), freq, line_no});
    chars.insert(chars.end(), w.cp.begin(), w.cp.end());
  }
  require(total > 0, kFn, "dictionary", "have a positive total frequency", total);
  total_ = total;
  logtotal_ = std::log(static_cast<double>(total));

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

  struct Item {
    std::uint32_t node, lo, hi, depth;
  };
  std::vector<Item> queue{{0, 0, static_cast<std::uint32_t>(uniq.size()), 0}};
  freq_.push_back(0);
  order_.push_back(0);
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const Item it = queue[q];
    first_.push_back(static_cast<std::uint32_t>(edge_cp_.size()));
    std::uint32_t i = it.lo;
    if (it.depth > 0) {
      std::uint64_t order = std::numeric_limits<std::uint64_t>::max();
      for (std::uint32_t k = it.lo; k < it.hi; ++k) {
        const std::uint64_t o = 64ull * uniq[k].line + (uniq[k].len == it.depth ? 0 : std::min<std::uint32_t>(it.depth, 63));
        order = std::min(order, o);
      }
      order_[it.node] = order;
      if (uniq[i].len == it.depth) {  // sorted: the word equal to this prefix comes first
        freq_[it.node] = uniq[i].freq;
        words_.push_back(it.node);
        ++i;
      }
    }
    while (i < it.hi) {
      const char32_t c = chars[uniq[i].off + it.depth];
      std::uint32_t j = i;
      while (j < it.hi && chars[uniq[j].off + it.depth] == c) ++j;
      const auto child = static_cast<std::uint32_t>(freq_.size());
      freq_.push_back(0);
      order_.push_back(0);
      edge_cp_.push_back(c);
      edge_to_.push_back(child);
      queue.push_back({child, i, j, it.depth + 1});
      i = j;
    }
  }
  first_.push_back(static_cast<std::uint32_t>(edge_cp_.size()));
  logf_.resize(freq_.size(), 0.0);
  for (std::size_t k = 0; k < freq_.size(); ++k)
    if (freq_[k] > 0) logf_[k] = std::log(static_cast<double>(freq_[k]));
  // The root's BMP children (most of the trie's lookups start there) in a direct table over the span
  // [lo, hi] of their code points, when that span is dense enough (≤ 16 slots per child): a 2-word
  // dictionary gets a few entries, the full jieba dictionary the CJK block. Otherwise child() searches.
  // Edges are sorted by code point, so lo and hi are the first and last BMP edges.
  root_lo_ = 0;
  root_bmp_.clear();
  std::uint32_t bmp_end = first_[0];
  while (bmp_end < first_[1] && edge_cp_[bmp_end] < 0x10000) ++bmp_end;
  const std::uint32_t n_bmp = bmp_end - first_[0];
  if (n_bmp > 0) {
    const char32_t lo = edge_cp_[first_[0]], hi = edge_cp_[bmp_end - 1];
    if (hi - lo + 1 <= 16u * n_bmp) {
      root_lo_ = lo;
      root_bmp_.assign(hi - lo + 1, 0);
      for (std::uint32_t e = first_[0]; e < bmp_end; ++e) root_bmp_[edge_cp_[e] - lo] = edge_to_[e];
    }
  }
}

std::uint32_t JiebaSegmenter::child(std::uint32_t node, char32_t c) const {
  if (node == 0 && c - root_lo_ < root_bmp_.size()) return root_bmp_[c - root_lo_];  // c < lo wraps: searched
  const auto b = edge_cp_.begin() + first_[node], e = edge_cp_.begin() + first_[node + 1];
  const auto it = std::lower_bound(b, e, c);
  return (it != e && *it == c) ? edge_to_[static_cast<std::size_t>(it - edge_cp_.begin())] : 0;
}

std::uint32_t JiebaSegmenter::find(const std::u32string& w) const {
  std::uint32_t node = 0;
  for (char32_t c : w) {
    node = child(node, c);
    if (node == 0) return 0;
  }
  return node;
}

std::int64_t JiebaSegmenter::frequency(const std::u32string& word) const {
  const std::uint32_t n = word.empty() ? 0 : find(word);
  return n == 0 ? -1 : static_cast<std::int64_t>(freq_[n]);
}

std::vector<JiebaSegmenter::Word> JiebaSegmenter::words_by_frequency() const {
  // the trie stores child links only: recover each word's text through parent links
  std::vector<std::uint32_t> parent(freq_.size(), 0);
  std::vector<char32_t> via(freq_.size(), 0);
  for (std::size_t n = 0; n < freq_.size(); ++n)
    for (std::uint32_t e = first_[n]; e < first_[n + 1]; ++e) {
      parent[edge_to_[e]] = static_cast<std::uint32_t>(n);
      via[edge_to_[e]] = edge_cp_[e];
    }
  std::vector<Word> out;
  out.reserve(words_.size());
  for (std::uint32_t n : words_) {
    std::u32string t;
    for (std::uint32_t k = n; k != 0; k = parent[k]) t.push_back(via[k]);
    std::reverse(t.begin(), t.end());
    out.push_back({std::move(t), freq_[n], order_[n]});
  }
  std::sort(out.begin(), out.end(), [](const Word& a, const Word& b) {
    return a.freq != b.freq ? a.freq > b.freq : a.order < b.order;
  });
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
      node = child(node, c[i]);
      if (node == 0) break;
      if (freq_[node] == 0) continue;  // a pure prefix is not a DAG edge
      const double p = (logf_[node] - logtotal_) + lp[i + 1];
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
