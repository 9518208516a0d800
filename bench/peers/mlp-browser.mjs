// The MLP sampler comparison (mlp-compare.mjs) in headless Chromium: Debian's /usr/bin/chromium driven by
// playwright-core, the page and the package served from 127.0.0.1 by a small static server here. The page
// loads probwasm from dist/, tfjs-core + tfjs-backend-wasm and onnxruntime-web from their browser bundles.
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

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

/** Runs the comparison in Chromium; resolves to runComparison's result plus { browser }. */
export async function compareChromium({ rounds = 5, count = 10000 } = {}) {
  const { chromium } = await import('playwright-core');
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/__mlp-bench.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(page(rounds, count));
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const profile = await mkdtemp(join(tmpdir(), 'pw-bench-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
    });
    const tab = context.pages()[0] ?? await context.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`http://127.0.0.1:${server.address().port}/__mlp-bench.html`);
    await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 300000, polling: 500 });
    const r = await tab.evaluate(() => window.__result);
    if (r.error) throw new Error(`Chromium MLP bench: ${r.error}`);
    return { ...r, browser: `Chromium ${context.browser()?.version() ?? ''}`.trim(), pageErrors: errors };
  } finally {
    await context?.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}
