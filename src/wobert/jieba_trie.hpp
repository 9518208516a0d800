// The compiled form of jieba's prefix dictionary (issue 11.5): the breadth-first trie JiebaSegmenter
// builds from dict.txt (jieba gen_pfdict, see jieba.cpp), laid out as one little-endian blob that is
// also its in-memory form. A page copies the blob into wasm memory once and segments with it in place:
// no text parsing, no sorting, no per-word allocation. Only two small tables are derived on load, the
// root's direct child table and log(freq) − log(total) per distinct frequency (so the route sums the
// same doubles, from the same log, as the text path).
//
// Layout "PWJT" version 1 (N nodes, node 0 the root; W words; D distinct word frequencies), every
// section starting at a multiple of 8 bytes, zero padding between:
//   header, 64 bytes: "PWJT", u32 version = 1, u32 N, u32 W, u32 D, u32 index width (2 or 4),
//                     u64 total, u64 file size, 24 zero bytes
//   first   u32[N+1]  node i's edges are first[i] .. first[i+1]−1; edge e leads to node e+1 (BFS order)
//   label   u16[N−1]  UTF-16 code unit of edge e (a non-BMP character is two edges), sorted within a node
//   index   u16/u32[N] 0: a pure prefix; k ≥ 1: a word whose frequency is freq[k−1]
//   freq    u64[D]    strictly increasing
//   by_freq u32[W]    the word nodes by descending frequency, ties in Python's FREQ insertion order
// Every count, offset and index is checked on load (validate): a truncated or corrupt blob is a
// std::invalid_argument (→ RangeError) naming the public function, never an out-of-bounds read.
#pragma once
#include <cstddef>
#include <cstdint>

namespace probwasm::wobert::trie {

constexpr std::uint32_t kMagic = 0x544A5750u;  // "PWJT" read as a little-endian u32
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 64;

struct Counts {
  std::uint32_t nodes = 0, words = 0, freqs = 0, index_width = 0;
  std::uint64_t total = 0;
};

/// Byte offsets of the sections for these counts and the blob size (0 if it would not fit in 64 bits).
struct Sections {
  std::uint64_t first = 0, label = 0, index = 0, freq = 0, by_freq = 0, size = 0;
};
Sections sections(const Counts& c);

/// Read-only views into a validated blob.
struct View {
  Counts c;
  const std::uint32_t* first = nullptr;
  const std::uint16_t* label = nullptr;
  const std::uint16_t* index16 = nullptr;  // exactly one of index16 / index32 is set
  const std::uint32_t* index32 = nullptr;
  const std::uint64_t* freq = nullptr;
  const std::uint32_t* by_freq = nullptr;
  std::uint32_t index(std::uint32_t node) const { return index16 ? index16[node] : index32[node]; }
};

/// Checks bytes[0, n) completely (header, sizes, alignment, every offset and index, the BFS and
/// ordering invariants) and returns views into it; throws std::invalid_argument("fn: … must …, got …").
View validate(const std::uint8_t* bytes, std::size_t n, const char* fn);

/// Writes the header for c into the first kHeaderBytes of blob (the caller fills the sections).
void write_header(std::uint8_t* blob, const Counts& c);

}  // namespace probwasm::wobert::trie
