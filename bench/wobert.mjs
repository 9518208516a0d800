// wobert (post 1): segmentation throughput (characters per second) of our jieba (wasm, and its native
// twin) against the npm package jieba-wasm (jieba-rs compiled to wasm) with the same dictionary, HMM off,
// on Debian's fortunes-zh; and the WoBERT tokenizer's throughput.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as peer from 'jieba-wasm';
import { bestMs, nativeTimes, table, ms, ratio } from './lib.mjs';
import { readyComparison } from './peers/jieba-ready.mjs';
import { readyChromium } from './peers/jieba-browser.mjs';
import { fortunesZh } from '../tests/support/fortunes.mjs';

const { cut: peerCut, with_dict: peerWithDict } = peer;
const load1 = () => loadavg()[0].toFixed(2);


export async function run({ pw }) {
  const dict = await pw.loadJiebaDictionary();
  const lines = fortunesZh();
  const text = lines.join('\n');
  const chars = [...text].length;
  const dir = mkdtempSync(join(tmpdir(), 'wobert-bench-'));
  writeFileSync(join(dir, 'dict.txt'), dict);
  writeFileSync(join(dir, 'corpus.txt'), text);
  const native = nativeTimes('wobert', [join(dir, 'dict.txt'), join(dir, 'corpus.txt')]);
  // Python jieba 0.42.1 (Debian python3-jieba), the reference implementation, if installed: best of 3
  let python;
  try {
    const py = [
      'import sys, time, logging, jieba',
      'jieba.setLogLevel(logging.ERROR)',
      't = jieba.Tokenizer(dictionary=sys.argv[1]); t.tmp_dir = sys.argv[3]; t.initialize()',
      'lines = open(sys.argv[2], encoding="utf-8", newline="\\n").read().split("\\n")',
      'best = 1e9',
      'for _ in range(3):',
      '    t0 = time.perf_counter()',
      '    for l in lines: t.lcut(l, HMM=False)',
      '    best = min(best, time.perf_counter() - t0)',
      'print(best * 1000)',
    ].join('\n');
    python = Number(execFileSync('/usr/bin/python3', ['-c', py, join(dir, 'dict.txt'), join(dir, 'corpus.txt'), dir], { encoding: 'utf8' }));
  } catch { python = undefined; }

  let seg;
  const tBuild = bestMs(() => { seg?.dispose(); seg = new pw.JiebaSegmenter(dict); }, { reps: 3 });
  const compiled = seg.toBinary();
  const tLoad = bestMs(() => pw.JiebaSegmenter.fromBinary(compiled).dispose(), { reps: 5 });
  peerWithDict(dict);
  const tLines = bestMs(() => { for (const l of lines) seg.cut(l); }, { reps: 3 });
  const tWhole = bestMs(() => seg.boundaries(text), { reps: 3 });
  const tPeerLines = bestMs(() => { for (const l of lines) peerCut(l, false); }, { reps: 3 });
  const tPeerWhole = bestMs(() => peerCut(text, false), { reps: 3 });
  seg.dispose();
  const tok = new pw.WobertTokenizer(dict);
  const tEncode = bestMs(() => tok.encode(text), { reps: 3 });
  const tEncodeChars = bestMs(() => tok.encode(text, { pretokenize: false }), { reps: 3 });
  tok.dispose();

  const cps = (t) => (t > 0 ? `${(chars / t / 1000).toFixed(2)} M` : '–');  // chars/ms / 1000 = M chars/s
  const rows = [
    ['segment, line by line (31,696 calls) → string[]', ms(native['cut lines']), ms(tLines), ms(tPeerLines), ms(python), cps(tLines), cps(tPeerLines), ratio(tPeerLines, tLines)],
    ['segment, one call on the whole text', ms(native['cut whole']), ms(tWhole), ms(tPeerWhole), '–', cps(tWhole), cps(tPeerWhole), ratio(tPeerWhole, tWhole)],
    ['WoBERT encode (jieba + vocabulary + WordPiece)', ms(native['encode wobert']), ms(tEncode), '–', '–', cps(tEncode), '–', '–'],
    ['character BERT encode', ms(native['encode chars']), ms(tEncodeChars), '–', '–', cps(tEncodeChars), '–', '–'],
    ['build prefix dictionary from text (349,045 words)', ms(native['build']), ms(tBuild), '–', '–', '–', '–', '–'],
    ['load the compiled dictionary (copy + validate)', ms(native['load compiled']), ms(tLoad), '–', '–', '–', '–', '–'],
  ];
  // dictionary ready (issue 11.5): compiled vs text vs the peer, Node and Chromium
  const trieGz = readFileSync(fileURLToPath(new URL('../dist/assets/wobert/jieba-dict.pwjt.gz', import.meta.url)));
  const trieBytes = gunzipSync(trieGz);
  const loadNode = load1();
  const node = await readyComparison({ pw, peerWithDict, trieBytes, dictText: dict, rounds: 7 });
  node.peerMemoryBytes = peer.__wasm?.memory?.buffer?.byteLength;
  node.load = `${loadNode} → ${load1()}`;
  let chromium;
  try {
    const before = load1();
    chromium = await readyChromium({ rounds: 7 });
    chromium.load = `${before} → ${load1()}`;
  } catch (e) {
    chromium = { error: String(e.message ?? e) };
  }
  const readyRows = [];
  for (const [env, r] of [[`Node ${process.version}`, node], [chromium.browser ?? 'Chromium', chromium]]) {
    if (r.error) { readyRows.push([env, `not run: ${r.error.split('\n')[0]}`, '–', '–', '–', '–']); continue; }
    const peerMemory = r.rows[2].ms, peerEnd = r.rows[5].ms;
    r.rows.forEach((row, i) => {
      const vs = i === 2 || i === 5 ? 'peer' : ratio(i < 3 ? peerMemory : peerEnd, row.ms);
      readyRows.push([env, row.name, ms(row.ms), ms(row.best), ms(row.cold), vs]);
    });
    readyRows.push([env, `load average (1 min) before → after`, r.load, '', '', '']);
  }
  const mem = (b) => (b === undefined ? '–' : `${(b / 1048576).toFixed(2)} MiB`);
  const ready = `### Dictionary ready (issue 11.5)

From jieba's dict.txt (349,045 words) to a segmenter that can cut. probwasm's compiled dictionary is
\`dist/assets/wobert/jieba-dict.pwjt.gz\` ("PWJT" v1, src/wobert/jieba_trie.hpp, gzipped), written at build time by the
wasm module (scripts/assets-wobert.mjs). In memory: one \`HEAPU8.set\` into wasm memory, full validation, two small
derived tables, no text parsing; end to end, \`loadJiebaSegmenter()\` also reads the file and gunzips it
(DecompressionStream) chunk by chunk straight into wasm memory; it segments identically to the text route (tests/js/wobert_trie.test.mjs, every fortunes-zh line). Peer:
npm jieba-wasm ${'2.4.0'} \`with_dict\` (jieba-rs). Median of ${node.rounds} interleaved rounds (rotated order) after a
warm-up round, in ms; "cold" is the warm-up call. Ratio = peer time ÷ probwasm time (> 1: probwasm is faster), against
\`with_dict\` from text in memory for the in-memory rows and against \`loadJiebaDictionary()\` + \`with_dict\` end to end.

${table(['environment', 'case', 'median ms', 'best ms', 'cold ms', 'peer ÷ ours'], readyRows)}

Sizes: dict.txt ${mem(node.textBytes)} (gzip asset 1.85 MiB); compiled ${mem(node.trieBytes)} (the gzip asset
\`jieba-dict.pwjt.gz\`, what is downloaded: ${mem(trieGz.length)}); a segmenter holds
${mem(node.memoryBytes)} of wasm memory (the blob + root table + one weight per distinct frequency), from either route.
jieba-wasm's whole linear memory after \`with_dict\`: ${mem(node.peerMemoryBytes)} in Node, ${mem(chromium.peerMemoryBytes)} in
Chromium (its module, its built-in dictionary and the new one).
`;

  return `Corpus: Debian fortunes-zh (chinese, tang300, song100), ${lines.length} lines, ${chars} characters.
Peer: npm jieba-wasm 2.4.0 \`cut(s, false)\` after \`with_dict\` of the same dictionary. Throughput = characters per
second (M = 10^6). "peer/ours" > 1 means ours is faster. Line-by-line times include the JS string ↔ wasm copies.
"Python jieba": the reference implementation (Debian python3-jieba 0.42.1), \`lcut(s, HMM=False)\` per line, when installed.

${table(['case', 'native ms', 'wasm ms', 'jieba-wasm ms', 'Python jieba ms', 'wasm chars/s', 'jieba-wasm chars/s', 'peer/ours'], rows)}

${ready}
Command: \`node bench/run.mjs wobert\` after \`bash scripts/build.sh bench\` (Chromium: playwright-core + /usr/bin/chromium).
`;
}
