// Embind glue for src/wobert: convert, call, guard. No maths here.
// Text arrives as a Uint16Array of UTF-16 code units (so unpaired surrogates survive), dictionaries as strings.
#include <cstdint>
#include <memory>
#include <utility>

#include "common.hpp"
#include "wobert/wobert.hpp"
#include "wobert_glue.hpp"

namespace wb = probwasm::wobert;
using emscripten::val;
using probwasm::bind::from_f64;
using probwasm::bind::from_i32;
using probwasm::bind::guarded;
using probwasm::bind::to_u16;
using probwasm::bind::wobert_glue::tokens_object;

namespace {

class Jieba {
 public:
  explicit Jieba(const std::string& dict) : s_(dict) {}
  explicit Jieba(wb::JiebaSegmenter&& s) : s_(std::move(s)) {}
  val cut(const val& text) const { return guarded([&] { return from_i32(s_.cut(to_u16(text))); }); }
  double words() const { return static_cast<double>(s_.words()); }
  double total() const { return static_cast<double>(s_.total()); }
  // the compiled dictionary, copied out into a fresh Uint8Array
  val binary() const {
    return guarded([&] {
      return val::global("Uint8Array").new_(emscripten::typed_memory_view(s_.binary_size(), s_.binary()));
    });
  }
  double memory_bytes() const { return static_cast<double>(s_.memory_bytes()); }

 private:
  wb::JiebaSegmenter s_;
};

Jieba* make_jieba(const std::string& dict) {
  return guarded([&] { return new Jieba(dict); });
}

// bytes: n bytes the facade malloc'ed and filled (its one copy into wasm memory); this call owns them,
// also when they are rejected. fn: the public function named in errors.
Jieba* jieba_from_binary(std::uintptr_t bytes, std::size_t n, const std::string& fn) {
  auto* p = reinterpret_cast<std::uint8_t*>(bytes);
  return guarded([&] { return new Jieba(wb::JiebaSegmenter::adopt_binary(p, n, fn.c_str())); });
}

class Wobert {
 public:
  Wobert(const std::string& dict, int words) : t_(dict, words) {}
  val encode(const val& text, bool pretokenize) const {
    return guarded([&] {
      return tokens_object(t_.encode(to_u16(text), pretokenize));
    });
  }
  val cut(const val& text) const { return guarded([&] { return from_i32(t_.jieba().cut(to_u16(text))); }); }
  val compare(const val& text, double d, double a, double b) const {
    return guarded([&] {
      const auto c = t_.compare(to_u16(text), d, a, b);
      val r = val::object();
      r.set("codePoints", c.code_points);
      r.set("charTokens", c.char_tokens);
      r.set("wobertTokens", c.wobert_tokens);
      r.set("charTokensPerChar", c.char_per_cp);
      r.set("wobertTokensPerChar", c.wobert_per_cp);
      r.set("ratio", c.ratio);
      r.set("speedup", c.speedup);
      return r;
    });
  }
  val vocab() const {
    return guarded([&] {
      val a = val::array();
      for (std::size_t i = 0; i < t_.size(); ++i) a.call<void>("push", val(wb::utf32_to_utf8(t_.token(i))));
      return a;
    });
  }
  int size() const { return static_cast<int>(t_.size()); }
  int base_size() const { return static_cast<int>(t_.base_size()); }
  double dictionary_words() const { return static_cast<double>(t_.jieba().words()); }

 private:
  wb::WobertTokenizer t_;
};

Wobert* make_wobert(const std::string& dict, int words) {
  return guarded([&] { return new Wobert(dict, words); });
}

double speedup(double length, double ratio, double d, double a, double b) {
  return guarded([&] { return wb::speedup(length, ratio, d, a, b); });
}
double transformer_cost(double length, double d, double a, double b) {
  return guarded([&] { return wb::transformer_cost(length, d, a, b); });
}
val fit_speedup(const val& lengths, const val& speedups) {
  return guarded([&] {
    const auto f = wb::fit_speedup(probwasm::bind::to_f64(lengths), probwasm::bind::to_f64(speedups));
    val r = val::object();
    r.set("ratio", f.ratio);
    r.set("kappa", f.kappa);
    r.set("rms", f.rms);
    return r;
  });
}
}  // namespace

EMSCRIPTEN_BINDINGS(wobert) {
  emscripten::class_<Jieba>("WobertJieba")
      .constructor(&make_jieba, emscripten::allow_raw_pointers())
      .function("cut", &Jieba::cut)
      .function("words", &Jieba::words)
      .function("total", &Jieba::total)
      .function("binary", &Jieba::binary)
      .function("memoryBytes", &Jieba::memory_bytes)
      .class_function("fromBinary", &jieba_from_binary, emscripten::allow_raw_pointers());
  emscripten::class_<Wobert>("WobertTokenizerRaw")
      .constructor(&make_wobert, emscripten::allow_raw_pointers())
      .function("encode", &Wobert::encode)
      .function("cut", &Wobert::cut)
      .function("compare", &Wobert::compare)
      .function("vocab", &Wobert::vocab)
      .function("size", &Wobert::size)
      .function("baseSize", &Wobert::base_size)
      .function("dictionaryWords", &Wobert::dictionary_words);
  emscripten::function("wobertSpeedup", &speedup);
  emscripten::function("wobertTransformerCost", &transformer_cost);
  emscripten::function("wobertFitSpeedup", &fit_speedup);
}
