// readyComparison (jieba-ready.mjs) in headless Chromium: Debian's /usr/bin/chromium driven by playwright-core,
// the package and jieba-wasm's web build served from 127.0.0.1 by a small static server (as mlp-browser.mjs).
import { pageResult } from '../chromium.mjs';

const page = (rounds) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module">
import { load } from '/dist/index.js';
import init, { with_dict } from '/node_modules/jieba-wasm/pkg/web/jieba_rs_wasm.js';
import { readyComparison } from '/bench/peers/jieba-ready.mjs';
try {
  const [pw, peer] = await Promise.all([load({ topics: ['wobert'] }), init()]);
  const gz = (await fetch('/dist/assets/wobert/jieba-dict.pwjt.gz')).body.pipeThrough(new DecompressionStream('gzip'));
  const trieBytes = new Uint8Array(await new Response(gz).arrayBuffer());
  const dictText = await pw.loadJiebaDictionary();
  const r = await readyComparison({ pw, peerWithDict: with_dict, trieBytes, dictText, rounds: ${rounds} });
  window.__result = { ...r, peerMemoryBytes: peer.memory.buffer.byteLength };
} catch (e) { window.__result = { error: String(e && e.stack || e) }; }
</script>`;

/** Runs readyComparison in Chromium; resolves to its result plus { browser, pageErrors, peerMemoryBytes }. */
export function readyChromium({ rounds = 7 } = {}) {
  return pageResult(page(rounds), 'Chromium jieba bench');
}
