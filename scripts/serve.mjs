// A small static server for the demo page and the browser tests: correct MIME types (application/wasm
// for streaming compile), brotli or gzip for text and wasm (Accept-Encoding), strong ETags with 304 Not
// Modified, loopback only. `node scripts/serve.mjs [--port N] [--root DIR] [--csp]`.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
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

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.json', '.css', '.svg', '.txt', '.map', '.d.ts', '.ts']);

/** The encoding to send: br, then gzip, when the client accepts it (q > 0); else identity. */
export function pickEncoding(accept = '') {
  const q = {};
  for (const part of String(accept).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q[name] = qp ? Number(qp.slice(2)) : 1;
  }
  const ok = (e) => (q[e] ?? q['*'] ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : 'identity';
}

// Bodies by (file, mtime, size, encoding): each file is hashed and compressed once per version.
const cache = new Map();
async function representation(file, st, enc) {
  const key = `${file}|${st.mtimeMs}|${st.size}|${enc}`;
  let r = cache.get(key);
  if (!r) {
    const raw = await readFile(file);
    const body = enc === 'br' ? brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : enc === 'gzip' ? gzipSync(raw, { level: 9 }) : raw;
    const tag = createHash('sha256').update(raw).digest('base64url').slice(0, 27);
    r = { body, etag: `"${tag}${enc === 'identity' ? '' : `-${enc}`}"` };
    if (cache.size > 500) cache.clear();
    cache.set(key, r);
  }
  return r;
}

/** If-None-Match lists the ETag (or *): the client's copy is current. */
function notModified(req, etag) {
  const inm = req.headers['if-none-match'];
  if (!inm) return false;
  return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

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
      if (!st.isFile()) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      const ext = extname(file);
      const enc = COMPRESSIBLE.has(ext) && st.size > 256 ? pickEncoding(req.headers['accept-encoding']) : 'identity';
      const { body, etag } = await representation(file, st, enc);
      // no-cache: the browser revalidates every time (cheap: 304), so a rebuilt dist/ is never stale
      const headers = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-cache', etag,
        'last-modified': st.mtime.toUTCString(), vary: 'Accept-Encoding' };
      if (csp) headers['content-security-policy'] = EMBED_CSP;
      if (notModified(req, etag)) { res.writeHead(304, headers).end(); return; }
      if (enc !== 'identity') headers['content-encoding'] = enc;
      headers['content-length'] = body.length;
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
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
