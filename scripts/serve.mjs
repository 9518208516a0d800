// A small static server for the demo page and the browser tests: correct MIME types (application/wasm
// for streaming compile), loopback only. `node scripts/serve.mjs [--port N] [--root DIR] [--csp]`.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8', '.gz': 'application/gzip', '.map': 'application/json',
};

// The policy the embed needs (README): scripts from our origin, wasm compilation, workers from blob-free URLs.
export const EMBED_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

export function serve({ root, port = 0, csp = false, host = '127.0.0.1' }) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(base, path));
      if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
      let st = await stat(file).catch(() => null);
      if (st?.isDirectory()) { file = join(file, 'index.html'); st = await stat(file).catch(() => null); }
      if (!st) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
      if (csp) headers['content-security-policy'] = EMBED_CSP;
      res.writeHead(200, headers).end(await readFile(file));
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok({ server, url: `http://${host}:${server.address().port}` })));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
  const root = arg('--root', fileURLToPath(new URL('..', import.meta.url)));
  const { url } = await serve({ root, port: Number(arg('--port', process.env.PORT ?? 8080)), csp: process.argv.includes('--csp') });
  const page = existsSync(join(root, 'web/index.html')) ? '/web/index.html' : '/';
  console.log(`probwasm demo: ${url}${page}   (Ctrl-C to stop)`);
}
