// Softmax family (post 8) against the peers a user would compare with (bench/browser-softmax.page.mjs holds the
// cases): plain JS written as a good JS programmer would, and @tensorflow/tfjs-backend-wasm's softmax, in Node
// and in headless Chromium (bench/browser-softmax.mjs). First the same C++ program (bench/native/softmax.cpp)
// built natively and as wasm.
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { pairedTimes, table, ms, ratio } from './lib.mjs';
import { measure } from './browser-softmax.page.mjs';
import { runInChromium } from './browser-softmax.mjs';

// The targets of issue 11 (peer time ÷ probwasm time), by case-name prefix.
const TARGETS = [
  [/^softmax float64 n=/, 1.5], [/^sparsemax float64 n=/, 1.5], [/^entmax-1.5 float64 n=/, 1.5],
  [/^(sparsemax|entmax-1.5) rows/, 2], [/end to end$/, 1],
];
const target = (name) => TARGETS.find(([re]) => re.test(name))?.[1];

async function tfjsInNode() {
  const tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // the SIMD build, 1 thread
  await tf.setBackend('wasm');
  return { tf, info: { core: tf.version_core, wasm: wasm.version_wasm, simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') } };
}

function peerTable(rows) {
  return table(['case', 'peer', 'probwasm ms', 'peer ms', 'peer / probwasm', 'target', 'who wins'], rows.map((r) => {
    const t = target(r.case), q = r.peer / r.ours;
    return [r.case, r.peerName, ms(r.ours), ms(r.peer), ratio(r.peer, r.ours), t ? `≥ ${t}×` : '–',
      (q >= 1 ? 'probwasm' : r.peerName) + (t ? (q >= t ? ' (target met)' : ' (target missed)') : '')];
  }));
}

export async function run({ pw }) {
  const { native, twin } = pairedTimes('softmax', { runs: 3 });
  const label = (n) => n.toExponential(0).replace('e+', 'e');
  const same = [];
  for (const name of ['softmax', 'softmax-f32', 'sparsemax', 'entmax15']) {
    for (const n of [1e3, 1e4, 1e5, 1e6]) {
      const k = `${name}/${n}`;
      same.push([name, label(n), ms(native[k]), ms(twin[k]), ratio(twin[k], native[k])]);
    }
  }
  for (const k of ['softmax-rows/100000x8', 'sparsemax-rows/100000x8', 'entmax15-rows/100000x8']) {
    same.push([k.split('/')[0], '1e5×8', ms(native[k]), ms(twin[k]), ratio(twin[k], native[k])]);
  }

  const { tf, info } = await tfjsInNode();
  const nodeRows = await measure({ pw, tf });
  let browser = null, browserNote = '';
  try { browser = await runInChromium(); } catch (e) { browserNote = `Chromium run failed: ${e.message}`; }
  const tfjsVersion = createRequire(import.meta.url)('@tensorflow/tfjs-backend-wasm/package.json').version;

  return [
    'The same C++ benchmark program (bench/native/softmax.cpp: the core entry points, a fresh std::vector per',
    'call), built with g++ -O3 and with em++ -O3 -msimd128 (run under this Node); best of three alternating runs:',
    '',
    table(['map', 'n', 'native ms', 'wasm ms', 'wasm / native'], same),
    '',
    `Against the peers. Peer: @tensorflow/tfjs-core + @tensorflow/tfjs-backend-wasm ${tfjsVersion} (its SIMD wasm`,
    `build, 1 thread: WASM_HAS_MULTITHREAD_SUPPORT off; SIMD detected in Node: ${info.simd}), and plain JS written`,
    'as a good JS programmer would (bench/browser-softmax.page.mjs): outputs and scratch buffers reused across',
    'calls; for sparsemax/entmax-1.5 on long vectors 60 halvings of the threshold over the entries above',
    'max − 1 (then the exact threshold from the support found); for rows of 8 an insertion sort in a reused',
    'buffer. probwasm is called through its public API with `opts.out` (copy in and out included), except in',
    'the tfjs "end to end" rows, where both sides upload, compute and return a fresh Float32Array. The',
    'contenders of a case run in 7 interleaved rounds of ≥ 20 ms of repeated calls; each keeps its best round',
    '(ms per call). Outputs are checked to agree (1e-12 in float64, 1e-6 in float32) before anything is timed.',
    '"peer / probwasm" > 1 means probwasm is faster. Reproduce: `npm run bench` or, for this section alone,',
    '`node bench/run.mjs softmax`.',
    '',
    `Machine load when this section started: ${loadavg().map((v) => v.toFixed(1)).join(' / ')} (1 / 5 / 15 min load average`,
    `on ${cpus().length} cores). Under a load well above the core count, every cell is noisy (repeat runs moved`,
    'single cells by up to 3×); read the ratios, which compare rounds interleaved in time, not the absolute times.',
    '',
    `### Node ${process.version}`,
    '',
    peerTable(nodeRows),
    '',
    browser ? `### Chromium ${browser.browser} (headless, playwright-core; tfjs ${browser.tfjs.wasm}, SIMD ${browser.tfjs.simd}, backend ${browser.tfjs.backend})` : '### Chromium',
    '',
    browser ? peerTable(browser.rows) : (browserNote || 'Not run: /usr/bin/chromium or playwright-core is missing.'),
  ].join('\n');
}
