// readyComparison (jieba-ready.mjs) in headless Chromium: Debian's /usr/bin/chromium driven by playwright-core,
// the package and jieba-wasm's web build served from 127.0.0.1 by a small static server (as mlp-browser.mjs).
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

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

/** Runs readyComparison in Chromium; resolves to its result plus { browser, peerMemoryBytes }. */
export async function readyChromium({ rounds = 7 } = {}) {
  const { chromium } = await import('playwright-core');
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/__jieba-bench.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(page(rounds));
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
    await tab.goto(`http://127.0.0.1:${server.address().port}/__jieba-bench.html`);
    await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 300000, polling: 500 });
    const r = await tab.evaluate(() => window.__result);
    if (r.error) throw new Error(`Chromium jieba bench: ${r.error}`);
    return { ...r, browser: `Chromium ${context.browser()?.version() ?? ''}`.trim(), pageErrors: errors };
  } finally {
    await context?.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}
