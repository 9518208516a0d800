// The "PWJT" blob of jieba_trie.hpp: section layout, header, and the loader's complete validation.
// Validation reads every section once (O(N + W)); it is what makes a corrupt file a RangeError: after
// it, every child link, label range, frequency index and word id the segmenter follows is in bounds.
#include "wobert/jieba_trie.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "common/errors.hpp"

namespace probwasm::wobert::trie {

namespace {
std::uint64_t align8(std::uint64_t x) { return (x + 7) & ~std::uint64_t{7}; }
std::uint32_t u32_at(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
bool is_high(std::uint16_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low(std::uint16_t u) { return u >= 0xDC00 && u <= 0xDFFF; }
std::uint64_t u64_at(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
}  // namespace

Sections sections(const Counts& c) {
  Sections s;
  if (c.nodes == 0 || (c.index_width != 2 && c.index_width != 4)) return s;
  const std::uint64_t n = c.nodes;
  s.first = kHeaderBytes;
  s.label = align8(s.first + 4 * (n + 1));
  s.index = align8(s.label + 2 * (n - 1));
  s.freq = align8(s.index + c.index_width * n);
  s.by_freq = s.freq + 8 * std::uint64_t{c.freqs};
  s.size = align8(s.by_freq + 4 * std::uint64_t{c.words});  // < 2^40: no overflow for 32-bit counts
  return s;
}

void write_header(std::uint8_t* blob, const Counts& c) {
  std::memset(blob, 0, kHeaderBytes);
  const std::uint32_t h[6] = {kMagic, kVersion, c.nodes, c.words, c.freqs, c.index_width};
  std::memcpy(blob, h, sizeof h);
  const std::uint64_t size = sections(c).size;
  std::memcpy(blob + 24, &c.total, 8);
  std::memcpy(blob + 32, &size, 8);
}

View validate(const std::uint8_t* b, std::size_t n, const char* fn) {
  const std::string what = "compiled dictionary";
  require(n >= kHeaderBytes, fn, what, "be at least 64 bytes (its header), a truncated file has fewer; bytes", n);
  require(reinterpret_cast<std::uintptr_t>(b) % 8 == 0, fn, what, "start at a multiple of 8 bytes in memory; address",
          reinterpret_cast<std::uintptr_t>(b));
  require(u32_at(b) == kMagic, fn, what, "start with \"PWJT\" (not a compiled jieba dictionary); first 4 bytes as u32",
          u32_at(b));
  require(u32_at(b + 4) == kVersion, fn, what + " version", "be 1", u32_at(b + 4));
  View v;
  v.c.nodes = u32_at(b + 8);
  v.c.words = u32_at(b + 12);
  v.c.freqs = u32_at(b + 16);
  v.c.index_width = u32_at(b + 20);
  v.c.total = u64_at(b + 24);
  const std::uint64_t declared = u64_at(b + 32);
  for (std::size_t k = 40; k < kHeaderBytes; ++k) require(b[k] == 0, fn, what + " header byte " + std::to_string(k), "be 0", b[k]);
  require(declared == n, fn, what + " size", "match its header (" + std::to_string(declared) + " bytes; a truncated or padded file differs); bytes", n);
  const Counts& c = v.c;
  require(c.nodes >= 1, fn, what + " node count", "be at least 1 (the root)", c.nodes);
  require(c.index_width == 2 || c.index_width == 4, fn, what + " index width", "be 2 or 4", c.index_width);
  require(c.index_width == 4 || c.freqs <= 0xFFFF, fn, what + " frequency count", "be at most 65535 with 2-byte indices", c.freqs);
  require(c.words <= c.nodes - 1, fn, what + " word count", "be at most the node count − 1 (" + std::to_string(c.nodes - 1) + ")", c.words);
  require(c.freqs <= c.words, fn, what + " frequency count", "be at most the word count (" + std::to_string(c.words) + ")", c.freqs);
  require(c.total > 0, fn, what + " total frequency", "be positive", c.total);
  const Sections s = sections(c);
  require(s.size == n, fn, what + " size", "be " + std::to_string(s.size) + " bytes for its counts; bytes", n);

  v.first = reinterpret_cast<const std::uint32_t*>(b + s.first);
  v.label = reinterpret_cast<const std::uint16_t*>(b + s.label);
  if (c.index_width == 2) v.index16 = reinterpret_cast<const std::uint16_t*>(b + s.index);
  else v.index32 = reinterpret_cast<const std::uint32_t*>(b + s.index);
  v.freq = reinterpret_cast<const std::uint64_t*>(b + s.freq);
  v.by_freq = reinterpret_cast<const std::uint32_t*>(b + s.by_freq);

  // first: edges in BFS order, children numbered after their parent (no cycles when walking up)
  const std::uint32_t N = c.nodes;
  require(v.first[0] == 0, fn, what + " first[0]", "be 0", v.first[0]);
  require(v.first[N] == N - 1, fn, what + " first[" + std::to_string(N) + "]", "be the edge count " + std::to_string(N - 1), v.first[N]);
  for (std::uint32_t i = 0; i < N; ++i) {
    const std::uint32_t a = v.first[i], e = v.first[i + 1];
    if (a > e) fail(fn, what + " first[" + std::to_string(i + 1) + "]", "be at least first[" + std::to_string(i) + "] = " + std::to_string(a), e);
    if (e > N - 1) fail(fn, what + " first[" + std::to_string(i + 1) + "]", "be at most the edge count " + std::to_string(N - 1), e);
    if (a < e && i > 0 && a < i) fail(fn, what + " first[" + std::to_string(i) + "]", "be at least " + std::to_string(i) + " (children follow their parent)", a);
    for (std::uint32_t k = a + 1; k < e; ++k)
      if (v.label[k - 1] >= v.label[k])
        fail(fn, what + " label[" + std::to_string(k) + "]", "exceed the previous label of its node (" + std::to_string(v.label[k - 1]) + ")", v.label[k]);
    // UTF-16 well-formed: after a high surrogate edge only low surrogates, and there only; such a half
    // character is never a word and never a leaf (words come from valid UTF-8)
    const bool after_high = i > 0 && is_high(v.label[i - 1]);
    if (after_high && a == e) fail(fn, what + " node " + std::to_string(i), "continue its high surrogate", "a leaf");
    for (std::uint32_t k = a; k < e; ++k)
      if (is_low(v.label[k]) != after_high)
        fail(fn, what + " label[" + std::to_string(k) + "]", after_high ? "be a low surrogate" : "not be a low surrogate here", v.label[k]);
  }
  // index: in [0, D], the root not a word, W words
  require(v.index(0) == 0, fn, what + " index[0]", "be 0 (the root is not a word)", v.index(0));
  std::uint32_t words = 0;
  for (std::uint32_t i = 0; i < N; ++i) {
    const std::uint32_t k = v.index(i);
    if (k > c.freqs) fail(fn, what + " index[" + std::to_string(i) + "]", "be at most the frequency count " + std::to_string(c.freqs), k);
    if (k != 0 && i > 0 && is_high(v.label[i - 1])) fail(fn, what + " index[" + std::to_string(i) + "]", "be 0 (half a character is no word)", k);
    words += k != 0;
  }
  require(words == c.words, fn, what + " word count", "equal the nodes with a frequency (" + std::to_string(words) + ")", c.words);
  // freq: strictly increasing, none above the total (so every log-probability is ≤ 0, as from text)
  for (std::uint32_t k = 1; k < c.freqs; ++k)
    if (v.freq[k - 1] >= v.freq[k]) fail(fn, what + " freq[" + std::to_string(k) + "]", "exceed freq[" + std::to_string(k - 1) + "]", v.freq[k]);
  if (c.freqs > 0) require(v.freq[c.freqs - 1] <= c.total, fn, what + " largest frequency", "be at most the total " + std::to_string(c.total), v.freq[c.freqs - 1]);
  // by_freq: every word once, by descending frequency
  std::vector<bool> seen(N, false);
  for (std::uint32_t j = 0; j < c.words; ++j) {
    const std::uint32_t node = v.by_freq[j];
    const auto at = [&] { return what + " by_freq[" + std::to_string(j) + "]"; };
    if (node == 0 || node >= N || v.index(node) == 0) fail(fn, at(), "be a word node", node);
    if (seen[node]) fail(fn, at(), "list each word once", node);
    seen[node] = true;
    if (j > 0 && v.index(v.by_freq[j - 1]) < v.index(node)) fail(fn, at(), "not be more frequent than the word before it", node);
  }
  return v;
}

}  // namespace probwasm::wobert::trie
