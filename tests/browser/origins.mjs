// Two origins on loopback for the CDN embed tests: a "CDN" serving the repository (dist/ among it) with
// `Access-Control-Allow-Origin: *`, as npm CDNs do, and a "blog" serving a few in-memory files under an
// optional Content-Security-Policy. Both are 127.0.0.1 on different ports: different origins.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './harness.mjs';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css; charset=utf-8', '.bin': 'application/octet-stream', '.gz': 'application/gzip' };

const listen = (server) => new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${server.address().port}`)));

/** The repository root over http with CORS, like an npm CDN. */
export async function cdn() {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const file = normalize(join(base, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    const st = file.startsWith(base) ? await stat(file).catch(() => null) : null;
    if (!st?.isFile()) { res.writeHead(404, { 'access-control-allow-origin': '*' }).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'access-control-allow-origin': '*', 'cache-control': 'no-cache' });
    res.end(await readFile(file));
  });
  return { server, url: await listen(server) };
}

/** A site made of `files` ({ '/index.html': text, … }), each sent with `headers`. */
export async function site(files, headers = {}) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (!(path in files)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/plain', ...headers }).end(files[path]);
  });
  return { server, url: await listen(server) };
}

/** Headless Debian Chromium with the harness's flags; problems collects console errors and page errors. */
export async function browser() {
  const b = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await b.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  return { browser: b, page, problems };
}
