// Embind glue for src/wobert/bert.hpp (BERT vocab.txt, Hugging Face BertTokenizer, WoBERT vocabulary): convert,
// call, guard. No maths here. Text arrives as UTF-16 code units (Uint16Array), vocabularies as strings.
#include <memory>

#include "common.hpp"
#include "wobert/bert.hpp"
#include "wobert_glue.hpp"

namespace wb = probwasm::wobert;
using emscripten::val;
using probwasm::bind::from_f64;
using probwasm::bind::from_i32;
using probwasm::bind::guarded;

using probwasm::bind::to_u16;
using probwasm::bind::wobert_glue::strings;
using probwasm::bind::wobert_glue::tokens_object;

namespace {
class Bert {
 public:
  Bert(const std::string& vocab, bool lowercase, int strip, bool chinese, int max_chars)
      : t_(wb::BertVocab(vocab, "BertTokenizer"), options(lowercase, strip, chinese, max_chars)) {}
  static wb::BertOptions options(bool lowercase, int strip, bool chinese, int max_chars) {
    wb::BertOptions o;
    o.lowercase = lowercase;
    o.strip_accents = strip;
    o.tokenize_chinese_chars = chinese;
    o.max_input_chars_per_word = static_cast<std::size_t>(max_chars < 1 ? 0 : max_chars);
    return o;
  }
  val encode(const val& a, const val& b, bool special, int truncation, bool pad, int max_length) const {
    return guarded([&] {
      wb::EncodeOptions o;
      o.add_special_tokens = special;
      o.truncation = static_cast<wb::Truncation>(truncation);
      o.pad_to_max_length = pad;
      o.max_length = static_cast<std::size_t>(max_length < 0 ? 0 : max_length);
      const std::u16string ta = to_u16(a);
      std::u16string tb;
      const bool pair = !b.isUndefined();
      if (pair) tb = to_u16(b);
      const auto e = t_.encode(ta, pair ? &tb : nullptr, o);
      // one Int32Array, seven rows of n (one crossing instead of seven): ids, types, mask, special, start, end, sequence
      std::vector<int> flat;
      flat.reserve(7 * e.ids.size());
      for (const auto* row : {&e.ids, &e.type_ids, &e.attention_mask, &e.special_mask, &e.begin, &e.end, &e.sequence})
        flat.insert(flat.end(), row->begin(), row->end());
      val r = from_i32(flat);
      return r;
    });
  }
  val normalize(const val& text) const {
    return guarded([&] {
      const auto c = wb::decode_utf16(to_u16(text));
      return val(wb::utf32_to_utf8(t_.normalize(std::u32string(c.cp.begin(), c.cp.end()))));
    });
  }
  val vocab() const { return guarded([&] { return strings(t_.vocab().tokens()); }); }
  int size() const { return static_cast<int>(t_.vocab().size()); }
  val specials() const {
    val r = val::object();
    r.set("pad", t_.vocab().pad_id());
    r.set("unk", t_.vocab().unk_id());
    r.set("cls", t_.vocab().cls_id());
    r.set("sep", t_.vocab().sep_id());
    r.set("mask", t_.vocab().mask_id());
    return r;
  }

 private:
  wb::BertTokenizer t_;
};

Bert* make_bert(const std::string& vocab, bool lowercase, int strip, bool chinese, int max_chars) {
  return guarded([&] { return new Bert(vocab, lowercase, strip, chinese, max_chars); });
}

class WobertVocab {
 public:
  WobertVocab(const std::string& vocab, const std::string& dict, int words)
      : jieba_(dict, "WobertVocabulary"),
        v_(wb::build_wobert_vocab(wb::BertVocab(vocab, "WobertVocabulary"), jieba_, words, "WobertVocabulary")),
        tok_(wb::BertVocab(v_.tokens, "WobertVocabulary"), wb::BertOptions{}, "WobertVocabulary") {}
  val encode(const val& text) const {
    return guarded([&] {
      return tokens_object(wb::wobert_tokenize(tok_, jieba_, to_u16(text), true));
    });
  }
  val tokens() const { return guarded([&] { return strings(v_.tokens); }); }
  val keep() const { return guarded([&] { return from_i32(v_.keep); }); }
  val compound() const {
    return guarded([&] {
      val a = val::array();
      for (const auto& c : v_.compound) a.call<void>("push", from_i32(c));
      return a;
    });
  }
  int base_size() const { return static_cast<int>(v_.base_size); }
  val embeddings(const val& E, int rows, int d) const {
    return guarded([&] {
      return from_f64(wb::wobert_embeddings(probwasm::bind::to_f64(E), static_cast<std::size_t>(rows < 0 ? 0 : rows),
                                            static_cast<std::size_t>(d < 0 ? 0 : d), v_, "WobertVocabulary.embeddings"));
    });
  }

 private:
  wb::JiebaSegmenter jieba_;
  wb::WobertVocab v_;
  wb::BertTokenizer tok_;
};

WobertVocab* make_wobert_vocab(const std::string& vocab, const std::string& dict, int words) {
  return guarded([&] { return new WobertVocab(vocab, dict, words); });
}

std::string unicode_version() { return wb::unicode::version(); }
}  // namespace

EMSCRIPTEN_BINDINGS(wobert_bert) {
  emscripten::class_<Bert>("WobertBertRaw")
      .constructor(&make_bert, emscripten::allow_raw_pointers())
      .function("encode", &Bert::encode)
      .function("normalize", &Bert::normalize)
      .function("vocab", &Bert::vocab)
      .function("size", &Bert::size)
      .function("specials", &Bert::specials);
  emscripten::class_<WobertVocab>("WobertVocabRaw")
      .constructor(&make_wobert_vocab, emscripten::allow_raw_pointers())
      .function("tokens", &WobertVocab::tokens)
      .function("keep", &WobertVocab::keep)
      .function("compound", &WobertVocab::compound)
      .function("baseSize", &WobertVocab::base_size)
      .function("encode", &WobertVocab::encode)
      .function("embeddings", &WobertVocab::embeddings);
  emscripten::function("wobertUnicodeVersion", &unicode_version);
}
