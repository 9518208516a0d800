// The WoBERT tokenizer over fuzzed text, both with jieba pre-tokenization and as character BERT:
// [CLS] first and [SEP] last, ids inside the vocabulary, offsets inside the text and in order, and
// every non-special token covering text.
#include "common.hpp"
#include "wobert/wobert.hpp"

namespace wb = probwasm::wobert;

namespace {
const char* kDict =
    "\xe4\xb8\xad\xe5\x9b\xbd 500\n\xe4\xb8\xad\xe5\x9b\xbd\xe4\xba\xba 300\n\xe4\xba\xba 800\n"
    "\xe5\x8c\x97\xe4\xba\xac 400\n\xe5\xa4\xa7\xe5\xad\xa6 200\nhello 50\nworld 40\n"
    "\xef\xbc\x8c 900\n\xe3\x80\x82 900\n\xf0\xa0\x80\x80 3\n";
const wb::WobertTokenizer& tokenizer() {
  static const wb::WobertTokenizer t(kDict, 20000);
  return t;
}

void check(const std::u16string& text, const std::vector<wb::Token>& toks, std::size_t vocab) {
  FUZZ_CHECK(toks.size() >= 2);
  FUZZ_CHECK(toks.front().id == wb::WobertTokenizer::cls_id && toks.front().begin == 0 && toks.front().end == 0);
  const auto n = static_cast<std::int32_t>(text.size());
  FUZZ_CHECK(toks.back().id == wb::WobertTokenizer::sep_id && toks.back().begin == n && toks.back().end == n);
  std::int32_t last = 0;
  for (std::size_t i = 1; i + 1 < toks.size(); ++i) {
    const auto& t = toks[i];
    FUZZ_CHECK(t.id >= 0 && static_cast<std::size_t>(t.id) < vocab);
    FUZZ_CHECK(0 <= t.begin && t.begin < t.end && t.end <= n);
    FUZZ_CHECK(t.begin >= last);
    last = t.kind == wb::TokenKind::piece ? t.begin : t.end;  // pieces of one word may share its span
    FUZZ_CHECK(t.kind != wb::TokenKind::special);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  const std::u16string text = in.rest_utf16();
  const auto& t = tokenizer();
  check(text, t.encode(text, true), t.size());
  check(text, t.encode(text, false), t.size());
  return 0;
}
