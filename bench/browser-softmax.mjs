// Runs bench/browser-softmax.html in headless Chromium (Debian /usr/bin/chromium driven by playwright-core),
// served from this repository by a local http server on 127.0.0.1, and returns its result rows. Node-only.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** A static file server over the repository root on 127.0.0.1 (a free port); resolves to { url, close }. */
function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) })));
}

/** { rows, tfjs, ua } from the page, or null when Chromium or playwright-core is missing. */
export async function runInChromium({ timeoutMs = 240000 } = {}) {
  let chromium;
  try { ({ chromium } = await import('playwright-core')); } catch { return null; }
  const { existsSync } = await import('node:fs');
  if (!existsSync('/usr/bin/chromium')) return null;
  const server = await serve();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/bench/browser-softmax.html`);
    await page.waitForSelector('body[data-status]', { timeout: timeoutMs });
    const result = await page.evaluate(() => window.__result);
    if (result.error || errors.length) throw new Error(`bench softmax in Chromium: ${result.error ?? errors.join('; ')}`);
    result.browser = browser.version();
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}
