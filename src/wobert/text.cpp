// UTF-16 / UTF-8 plumbing for the segmenter: JS strings are UTF-16 and may hold unpaired surrogates.
#include <cstdint>
#include <string>

#include "common/errors.hpp"
#include "wobert/wobert.hpp"

namespace probwasm::wobert {

CodePoints decode_utf16(const std::u16string& s) {
  CodePoints r;
  r.cp.reserve(s.size());
  r.u16.reserve(s.size() + 1);
  for (std::size_t i = 0; i < s.size();) {
    const char32_t u = s[i];
    r.u16.push_back(static_cast<std::int32_t>(i));
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      r.cp.push_back(0x10000 + ((u - 0xD800) << 10) + (static_cast<char32_t>(s[i + 1]) - 0xDC00));
      i += 2;
    } else {
      r.cp.push_back(u);  // BMP, or an unpaired surrogate kept as itself (Python str semantics)
      i += 1;
    }
  }
  r.u16.push_back(static_cast<std::int32_t>(s.size()));
  return r;
}

std::u16string utf8_to_utf16(const std::string& s, const char* fn, const char* param) {
  std::u16string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned c = p[i];
    char32_t cp;
    std::size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if (c >= 0xC2 && c <= 0xDF) { cp = c & 0x1F; len = 2; }
    else if (c >= 0xE0 && c <= 0xEF) { cp = c & 0x0F; len = 3; }
    else if (c >= 0xF0 && c <= 0xF4) { cp = c & 0x07; len = 4; }
    else fail(fn, param, "be valid UTF-8", "byte " + std::to_string(c) + " at offset " + std::to_string(i));
    if (i + len > n) fail(fn, param, "be valid UTF-8", "a truncated sequence at offset " + std::to_string(i));
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) fail(fn, param, "be valid UTF-8", "a bad continuation at offset " + std::to_string(i + k));
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // overlong forms, surrogates and > U+10FFFF are not UTF-8
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      fail(fn, param, "be valid UTF-8", "an invalid sequence at offset " + std::to_string(i));
    if (cp >= 0x10000) {
      out.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return out;
}

std::string utf16_to_utf8(const std::u16string& s) {
  std::string out;
  out.reserve(s.size() * 3);
  const CodePoints c = decode_utf16(s);
  for (char32_t cp : c.cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

}  // namespace probwasm::wobert
