// Shared by the libFuzzer targets (tests/fuzz/run.sh builds each with clang-14 -fsanitize=fuzzer,
// address,undefined): a byte reader and a check that aborts (libFuzzer then saves the input).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(cond)                                                             \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)

// Reads the fuzzer's bytes front to back; past the end it reads zeros.
struct Bytes {
  const std::uint8_t* p;
  std::size_t n;
  std::uint64_t u(int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = v << 8 | (n ? (--n, *p++) : 0);
    return v;
  }
  // up to `max` bytes, stopping after a 0 byte (not included)
  std::string until_zero(std::size_t max) {
    std::string s;
    while (n && s.size() < max) {
      const char c = static_cast<char>(*p++);
      --n;
      if (c == 0) break;
      s.push_back(c);
    }
    return s;
  }
  std::u16string rest_utf16() {
    std::u16string s;
    while (n >= 2) s.push_back(static_cast<char16_t>(u(2)));
    return s;
  }
};
