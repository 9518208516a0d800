// Native twin of bench/wobert.mjs: the same C++ (g++ -O3). Usage: bench_wobert <dict.txt> <corpus.txt>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "timing.hpp"
#include "wobert/wobert.hpp"

using namespace probwasm::wobert;
using probwasm::bench::best_ms;
using probwasm::bench::report;
using probwasm::bench::sink;

static std::string slurp(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string dict = slurp(argv[1]);
  const std::u16string text = utf8_to_utf16(slurp(argv[2]), "bench", "corpus");
  std::vector<std::u16string> lines;
  for (std::size_t p = 0; p <= text.size();) {
    std::size_t q = text.find(u'\n', p);
    if (q == std::u16string::npos) q = text.size();
    lines.push_back(text.substr(p, q - p));
    p = q + 1;
  }
  report("build", best_ms([&] { JiebaSegmenter s(dict); sink = sink + static_cast<double>(s.words()); }, 3));
  const JiebaSegmenter seg(dict);
  // the compiled dictionary (issue 11.5): copy + validate + derive the root table and the weights
  report("load compiled", best_ms([&] {
    const JiebaSegmenter b = JiebaSegmenter::from_binary(seg.binary(), seg.binary_size());
    sink = sink + static_cast<double>(b.words());
  }, 5));
  report("cut lines", best_ms([&] { for (const auto& l : lines) sink = sink + static_cast<double>(seg.cut(l).size()); }, 3));
  report("cut whole", best_ms([&] { sink = sink + static_cast<double>(seg.cut(text).size()); }, 3));
  const WobertTokenizer tok(dict, 20000);
  report("encode wobert", best_ms([&] { sink = sink + static_cast<double>(tok.encode(text, true).size()); }, 3));
  report("encode chars", best_ms([&] { sink = sink + static_cast<double>(tok.encode(text, false).size()); }, 3));
}
