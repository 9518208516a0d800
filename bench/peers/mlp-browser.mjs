// The MLP sampler comparison (mlp-compare.mjs) in headless Chromium: Debian's /usr/bin/chromium driven by
// playwright-core, the page and the package served from 127.0.0.1 by a small static server here. The page
// loads probwasm from dist/, tfjs-core + tfjs-backend-wasm and onnxruntime-web from their browser bundles.
import { pageResult } from '../chromium.mjs';

const page = (rounds, count) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="/node_modules/@tensorflow/tfjs-core/dist/tf-core.min.js"></script>
<script src="/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js"></script>
<script src="/node_modules/onnxruntime-web/dist/ort.min.js"></script>
<script type="module">
import { load } from '/dist/index.js';
import { runComparison } from '/bench/peers/mlp-compare.mjs';
try {
  window.__result = await runComparison({ pw: await load(), tf, tfWasm: tf.wasm,
    tfWasmPath: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/', ort, ortWasmPath: '/node_modules/onnxruntime-web/dist/',
    rounds: ${rounds}, count: ${count} });
} catch (e) { window.__result = { error: String(e && e.stack || e) }; }
</script>`;

/** Runs the comparison in Chromium; resolves to runComparison's result plus { browser, pageErrors }. */
export function compareChromium({ rounds = 5, count = 10000 } = {}) {
  return pageResult(page(rounds, count), 'Chromium MLP bench');
}
