// The demo server (scripts/serve.mjs): brotli or gzip by Accept-Encoding, strong ETags and 304 Not Modified,
// correct types, no path escape. Plain node:http requests (no browser), so every header is visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, writeFile, mkdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { serve, pickEncoding } from '../../scripts/serve.mjs';

function get(url, headers = {}, method = 'GET') {
  return new Promise((ok, fail) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('pickEncoding: br before gzip, q=0 refuses, * accepts', () => {
  assert.equal(pickEncoding('gzip, deflate, br'), 'br');
  assert.equal(pickEncoding('gzip'), 'gzip');
  assert.equal(pickEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.equal(pickEncoding(''), 'identity');
  assert.equal(pickEncoding(undefined), 'identity');
  assert.equal(pickEncoding('*'), 'br');
  assert.equal(pickEncoding('identity'), 'identity');
});

test('serve.mjs compresses text and wasm, validates with ETags (304), and keeps to its root', async () => {
  const root = await mkdtemp(join(tmpdir(), 'pw-serve-'));
  const js = `// ${'a line of javascript that compresses well; '.repeat(200)}\nexport const x = 1;\n`;
  const wasm = Buffer.alloc(4096, 0); wasm.set([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  await mkdir(join(root, 'sub'));
  await writeFile(join(root, 'sub/a.js'), js);
  await writeFile(join(root, 'm.wasm'), wasm);
  await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
  const { server, url } = await serve({ root });
  try {
    const br = await get(`${url}/sub/a.js`, { 'accept-encoding': 'gzip, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(brotliDecompressSync(br.body).toString(), js);
    assert.ok(br.body.length < js.length / 10, `${br.body.length} bytes for ${js.length}`);
    assert.equal(Number(br.headers['content-length']), br.body.length);

    const gz = await get(`${url}/sub/a.js`, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), js);
    const plain = await get(`${url}/sub/a.js`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), js);
    // one ETag per representation, each strong and quoted
    const tags = [br, gz, plain].map((r) => r.headers.etag);
    assert.equal(new Set(tags).size, 3);
    for (const t of tags) assert.match(t, /^"[\w-]+"$/);

    // revalidation: the same tag → 304 with no body; a list containing it, or W/ of it, too; another → 200
    const again = await get(`${url}/sub/a.js`, { 'accept-encoding': 'gzip, br', 'if-none-match': br.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, br.headers.etag);
    assert.equal((await get(`${url}/sub/a.js`, { 'accept-encoding': 'br', 'if-none-match': `"x", W/${br.headers.etag}` })).status, 304);
    assert.equal((await get(`${url}/sub/a.js`, { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag })).status, 200);

    // a changed file gets a new tag
    await writeFile(join(root, 'sub/a.js'), `${js}// changed\n`);
    const later = new Date(Date.now() + 5000);
    await utimes(join(root, 'sub/a.js'), later, later);
    const changed = await get(`${url}/sub/a.js`, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, br.headers.etag);

    // wasm: application/wasm (streaming compile), compressed, bytes intact
    const w = await get(`${url}/m.wasm`, { 'accept-encoding': 'br' });
    assert.equal(w.headers['content-type'], 'application/wasm');
    assert.deepEqual(brotliDecompressSync(w.body), wasm);
    // HEAD: headers, no body; directories serve index.html; no escape from the root
    const head = await get(`${url}/m.wasm`, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(Number(head.headers['content-length']), wasm.length);
    assert.match((await get(`${url}/`)).body.toString(), /<title>t<\/title>/);
    assert.notEqual((await get(`${url}/..%2f..%2fetc/passwd`)).status, 200);
    assert.equal((await get(`${url}/nothing.js`)).status, 404);
  } finally {
    server.close();
    await rm(root, { recursive: true, force: true });
  }
});
