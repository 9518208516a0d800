// "jieba dictionary ready" (issue 11.5), shared by Node (bench/wobert.mjs) and Chromium (jieba-browser.mjs):
// the time from a dictionary to a segmenter that can cut, for probwasm's compiled dictionary (the "PWJT" blob of
// src/wobert/jieba_trie.hpp: one copy into wasm memory, validation, two small tables), probwasm's text route
// (parse dict.txt, sort, build the trie) and the peer jieba-wasm 2.4.0 `with_dict` (jieba-rs parses dict.txt).
// "in memory" starts from bytes/text already in JS memory; "end to end" also reads the packaged asset (fetch in
// a browser, fs in Node; the text is the gzip asset decompressed by loadJiebaDictionary for both text routes).
// Interleaved rounds: each round runs every contender once, in a rotated order; one warm-up round first (the
// peer builds its default dictionary on its first call). Median per contender, in ms.
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

export async function readyComparison({ pw, peerWithDict, trieBytes, dictText, rounds = 7 }) {
  const contenders = [
    ['probwasm compiled, in memory (`JiebaSegmenter.fromBinary`)', () => pw.JiebaSegmenter.fromBinary(trieBytes)],
    ['probwasm text, in memory (`new JiebaSegmenter(text)`)', () => new pw.JiebaSegmenter(dictText)],
    ['jieba-wasm `with_dict(text)`, in memory', () => { peerWithDict(dictText); }],
    ['probwasm compiled, end to end (`loadJiebaSegmenter()`)', () => pw.loadJiebaSegmenter()],
    ['probwasm text, end to end (`loadJiebaDictionary()` + `new JiebaSegmenter`)', async () => new pw.JiebaSegmenter(await pw.loadJiebaDictionary())],
    ['jieba-wasm, end to end (`loadJiebaDictionary()` + `with_dict`)', async () => { peerWithDict(await pw.loadJiebaDictionary()); }],
  ];
  const times = contenders.map(() => []);
  const cold = [];
  for (let r = -1; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + Math.max(r, 0)) % contenders.length;
      const t0 = performance.now();
      const seg = await contenders[i][1]();
      const t = performance.now() - t0;
      seg?.dispose();
      if (r >= 0) times[i].push(t); else cold[i] = t;
    }
  }
  const seg = pw.JiebaSegmenter.fromBinary(trieBytes);
  const memoryBytes = seg.memoryBytes;
  seg.dispose();
  return {
    rounds,
    rows: contenders.map(([name], i) => ({ name, ms: median(times[i]), best: Math.min(...times[i]), cold: cold[i] })),
    memoryBytes,
    trieBytes: trieBytes.length,
    textBytes: new TextEncoder().encode(dictText).length,
  };
}
