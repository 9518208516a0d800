// Conversions shared by the wobert topic's Embind files (wobert.cpp, wobert_bert.cpp). No maths here.
#pragma once
#include <string>
#include <vector>

#include "common.hpp"
#include "wobert/bert.hpp"
#include "wobert/wobert.hpp"

namespace probwasm::bind::wobert_glue {

// Tokens → { ids, start, end, kinds } (Int32Arrays; start/end are UTF-16 offsets into the text).
inline emscripten::val tokens_object(const std::vector<probwasm::wobert::Token>& toks) {
  std::vector<int> id, b, e, k;
  id.reserve(toks.size()); b.reserve(toks.size()); e.reserve(toks.size()); k.reserve(toks.size());
  for (const auto& x : toks) {
    id.push_back(x.id);
    b.push_back(x.begin);
    e.push_back(x.end);
    k.push_back(static_cast<int>(x.kind));
  }
  emscripten::val r = emscripten::val::object();
  r.set("ids", from_i32(id));
  r.set("start", from_i32(b));
  r.set("end", from_i32(e));
  r.set("kinds", from_i32(k));
  return r;
}

// Code-point strings → a JS array of strings.
inline emscripten::val strings(const std::vector<std::u32string>& tokens) {
  emscripten::val a = emscripten::val::array();
  for (const auto& t : tokens) a.call<void>("push", emscripten::val(probwasm::wobert::utf32_to_utf8(t)));
  return a;
}

}  // namespace probwasm::bind::wobert_glue
