// Real module Workers in Chromium (issue 12 item 5, issue 11 item 4, issue 13 items 1 and 8): every run()
// settles; the pool gives the single-thread numbers bit for bit; the page compiles each module once and its
// Workers reuse it; the embed works when the package comes from another origin (an npm CDN), with and
// without blob: workers allowed; one <pw-softmax> fetches at most 120 KB gzipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { openPage, root, artifacts } from './harness.mjs';
import { cdn, site, browser } from './origins.mjs';

test('every run settles: load failure, abort of a running plain method, terminate(), unclonable values, wasm objects', async () => {
  const { page, problems, close } = await openPage('/tests/browser/pages/blank.html');
  try {
    const r = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      const out = {};
      const outcome = (p) => p.then((v) => ({ ok: v }), (e) => ({ name: e?.name, message: e?.message, cause: e?.cause?.type }));

      // 1. a worker script that is not there: this run and every later one reject with the cause
      const missing = pw.worker('/no-such-worker.js');
      out.missing = [await outcome(missing.run('softmax', [[1, 2]])), await outcome(missing.run('softmax', [[1, 2]]))];

      // 2. a plain method cannot be interrupted inside wasm: aborting it replaces the Worker; a job queued
      // behind it runs on the new Worker and gives the right answer
      const w = pw.worker(new URL('/dist/worker.js', location.href));
      await w.run('sparsemax', [[0]]);
      const first = w.host.worker;
      const ctl = new AbortController();
      const long = outcome(w.run('sectorMonteCarlo', [64, 1, { trials: 1000000 }], { signal: ctl.signal }));
      const queued = w.run('sparsemax', [[1, 0.5, -1]]);
      while (w.host.running === null) await new Promise((res) => setTimeout(res, 5));
      ctl.abort();
      out.long = await long;
      out.queued = Array.from(await queued);
      out.replaced = w.host.worker !== first && first !== null;

      // 3. a task aborted mid-run stops at its next yield; the Worker is kept
      const kept = w.host.worker;
      const ctl2 = new AbortController();
      const thetas = Array.from({ length: 100 }, (_, i) => 0.06 * (i + 1));
      out.task = await outcome(w.run('sectorMonteCarloCurve', [32, thetas, { trials: 20000 }], { signal: ctl2.signal, onProgress: () => ctl2.abort() }));
      out.taskKeptWorker = w.host.worker === kept;

      // 4. an argument that cannot be cloned: that run rejects, nothing stays pending
      out.clone = await outcome(w.run('softmax', [[1, 2], { out: () => 0 }]));
      out.pendingAfterClone = w.host.jobs.size;

      // 5. methods returning wasm-backed objects, and classes, are TypeErrors through the Worker
      out.object = await outcome(w.run('gaussianMixture', [pw.diffusionPreset('ring')]));
      out.klass = await outcome(w.run('DDIMScheduler', [{}]));
      out.after = Array.from(await w.run('sparsemax', [[1, 0.5, -1]]));

      // 6. terminate(): the pending run and every later one reject
      const pending = outcome(w.run('sectorMonteCarlo', [64, 1, { trials: 200000 }]));
      w.terminate();
      out.terminated = [await pending, await outcome(w.run('sparsemax', [[1]]))];
      return out;
    });
    for (const m of r.missing) {
      assert.equal(m.name, 'Error');
      assert.match(m.message, /no-such-worker\.js failed to load \(HTTP 404/);
      assert.equal(m.cause, 'error');
    }
    assert.equal(r.long.name, 'AbortError');
    assert.deepEqual(r.queued, [0.75, 0.25, 0]);
    assert.equal(r.replaced, true, 'the busy Worker was replaced');
    assert.equal(r.task.name, 'AbortError');
    assert.equal(r.taskKeptWorker, true);
    assert.equal(r.clone.name, 'DataCloneError');
    assert.equal(r.pendingAfterClone, 0);
    assert.equal(r.object.name, 'TypeError');
    assert.match(r.object.message, /gaussianMixture returns an object backed by wasm memory/);
    assert.equal(r.klass.name, 'TypeError');
    assert.deepEqual(r.after, [0.75, 0.25, 0]);
    assert.deepEqual(r.terminated.map((t) => t.name), ['AbortError', 'AbortError']);
    assert.deepEqual(problems.filter((p) => !/no-such-worker|404/.test(p)), []);
  } finally { await close(); }
});

test('the page compiles a module once: its Workers (the shared one and a pool) reuse the compiled module', async () => {
  const { page, problems, close } = await openPage('/tests/browser/pages/blank.html');
  const wasm = [];
  page.on('request', (q) => { if (q.url().endsWith('.wasm')) wasm.push(new URL(q.url()).pathname); });
  try {
    const r = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load({ topics: ['softmax'] });
      const a = Array.from(await pw.worker().run('sparsemax', [[1, 0.5, -1]]));
      const pool = pw.workerPool({ size: 2 });
      const b = await Promise.all([pool.run('softmax', [[0, Math.log(3)]]), pool.run('softmax', [[0, Math.log(3)]])]);
      pool.terminate();
      return { a, b: b.map((x) => Array.from(x)), page: Array.from(pw.softmax([0, Math.log(3)])) };
    });
    assert.deepEqual(r.a, [0.75, 0.25, 0]);
    assert.deepEqual(r.b, [r.page, r.page]);
    assert.deepEqual(wasm, ['/dist/modules/softmax.wasm'], 'one fetch (and compile), by the page');
    assert.deepEqual(problems, []);
  } finally { await close(); }
});

test('workerPool in Chromium: 1, 2 and 3 Workers give the single-thread numbers bit for bit', async () => {
  const { page, problems, close } = await openPage('/tests/browser/pages/blank.html');
  try {
    const r = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      const hex = (x) => Array.from(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), (b) => b.toString(16).padStart(2, '0')).join('');
      const single = pw.worker();
      const thetas = Array.from({ length: 21 }, (_, i) => 0.29 * (i + 1));
      const jobs = {
        sectorMonteCarloCurve: [9, thetas, { trials: 4000, seed: 77 }],
        diffusionSample: [{ model: pw.diffusionPreset('spiral'), scheduler: { betaSchedule: 'scaled_linear' }, steps: 15, eta: 1, count: 2300, seed: 8 }],
        loraSweep: [{ widths: [8, 16, 24], ratios: [0.25, 1, 4, 16], steps: 20, batch: 32, seed: 5 }],
        diffusionQualityTable: [{ model: pw.diffusionPreset('moons'), steps: [4, 9, 20], etas: [0, 0.5], count: 300, referenceCount: 600, projections: 16, seed: 3, sigmaHat: true }],
      };
      const canon = (v) => JSON.stringify(v, (k, x) => (ArrayBuffer.isView(x) ? hex(x) : x));
      const want = {};
      for (const [name, args] of Object.entries(jobs)) want[name] = canon(await single.run(name, args));
      const model = pw.gaussianMixture(pw.diffusionPreset('spiral'));
      const onPage = canon(pw.sampleDiffusion({ ...jobs.diffusionSample[0], model }));
      model.dispose();
      const got = {};
      for (const size of [1, 2, 3]) {
        const pool = pw.workerPool({ size });
        for (const [name, args] of Object.entries(jobs)) got[`${name}/${size}`] = canon(await pool.run(name, args)) === want[name];
        pool.terminate();
      }
      return { got, samePage: onPage === want.diffusionSample, lengths: Object.values(want).map((s) => s.length) };
    });
    for (const [k, same] of Object.entries(r.got)) assert.equal(same, true, k);
    assert.equal(r.samePage, true, 'the Worker sample equals sampleDiffusion on the page');
    assert.ok(r.lengths.every((n) => n > 100));
    assert.deepEqual(problems, []);
  } finally { await close(); }
});

// ---- the package on another origin than the page: an npm CDN --------------------------------------------

const blogPage = (pkg, head = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}
<title>a blog post</title><script type="module" src="${pkg}/dist/embed.js"></script></head>
<body><p>A post with a figure from a CDN.</p><pw-sector n="5"></pw-sector><p id="out"></p>
<script type="module" src="/probe.js"></script></body></html>`;
const probe = (pkg) => `
const { load } = await import('${pkg}/dist/index.js');
const pw = await load({ topics: ['sector'] });
const w = pw.worker();
const curve = await w.run('sectorMonteCarloCurve', [5, [1, 2, 3], { trials: 3000, seed: 9 }]);
const page = [1, 2, 3].map((t, i) => pw.sectorMonteCarlo(5, t, { trials: 3000, seed: 9 + i }).estimate);
document.getElementById('out').textContent = JSON.stringify({
  same: curve.every((c, i) => c.estimate === page[i]), kind: w.host.worker?.constructor.name });
`;

async function cdnEmbed({ csp = null, meta = false } = {}) {
  const pkgServer = await cdn();
  const pkg = pkgServer.url;
  const files = { '/index.html': blogPage(pkg, meta ? '<meta name="probwasm-worker" content="/pw-worker.js">' : ''), '/probe.js': probe(pkg),
    '/pw-worker.js': `import '${pkg}/dist/worker.js';\n` };
  const headers = csp ? { 'content-security-policy': csp(pkg) } : {};
  const blog = await site(files, headers);
  const { browser: b, page, problems } = await browser();
  const requests = [];
  page.on('request', (q) => requests.push(q.url()));
  try {
    await page.goto(`${blog.url}/index.html`);
    await page.waitForFunction(() => document.getElementById('out').textContent !== '', null, { timeout: 30000 });
    await page.locator('pw-sector').scrollIntoViewIfNeeded();
    await page.waitForSelector('pw-sector[data-mc="done"]', { timeout: 60000 });
    const out = JSON.parse(await page.textContent('#out'));
    const state = await page.getAttribute('pw-sector', 'data-state');
    return { out, state, problems, requests, page, pkg };
  } finally {
    await page.screenshot({ path: join(artifacts, `workers-cdn${csp ? '-csp' : ''}${meta ? '-meta' : ''}.png`) }).catch(() => {});
    await b.close();
    pkgServer.server.close();
    blog.server.close();
  }
}

test('a CDN embed: page and package on two origins; the Worker starts through a same-origin blob: module', async () => {
  const { out, state, problems, requests, pkg } = await cdnEmbed();
  assert.equal(state, 'ready');
  assert.deepEqual(out, { same: true, kind: 'Worker' });
  assert.ok(requests.some((u) => u.startsWith(`${pkg}/dist/worker.js`)), 'the Worker imports worker.js from the CDN');
  assert.deepEqual(problems, []);
});

test('a CDN embed under a CSP that forbids blob: workers: the jobs run on the main thread, with the same numbers', async () => {
  const csp = (pkg) => `default-src 'self'; script-src 'self' ${pkg} 'wasm-unsafe-eval'; worker-src 'self'; ` +
    `connect-src 'self' ${pkg}; style-src 'self' 'unsafe-inline'; img-src 'self' data:`;
  const { out, state, problems } = await cdnEmbed({ csp });
  assert.equal(state, 'ready');
  assert.deepEqual(out, { same: true, kind: 'InlineWorker' });
  assert.deepEqual(problems.filter((p) => !/Content Security Policy|worker-src/.test(p)), []);
});

test('a CDN embed under a CSP without blob:, with a same-origin worker shim (<meta name="probwasm-worker">): a real Worker', async () => {
  // a module Worker's imports are checked against worker-src: the CDN is listed there, blob: is not
  const csp = (pkg) => `default-src 'self'; script-src 'self' ${pkg} 'wasm-unsafe-eval'; worker-src 'self' ${pkg}; ` +
    `connect-src 'self' ${pkg}; style-src 'self' 'unsafe-inline'; img-src 'self' data:`;
  const { out, state, problems } = await cdnEmbed({ csp, meta: true });
  assert.equal(state, 'ready');
  assert.deepEqual(out, { same: true, kind: 'Worker' });
  assert.deepEqual(problems, []);
});

// ---- what one widget costs ----------------------------------------------------------------------------

const widgets = { softmax: 'pw-softmax', sector: 'pw-sector n="5"', diffusion: 'pw-ddim', contrastive: 'pw-flatnce', attention: 'pw-attention',
  lora: 'pw-lora', mixers: 'pw-mixers', wobert: 'pw-wobert' };

/** Gzipped bytes (level 9, each file) of everything a page with one widget fetches from the package, until the widget is ready. */
async function widgetBytes(tag) {
  const pkgServer = await cdn();
  const name = tag.split(' ')[0];
  const blog = await site({ '/index.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>one widget</title>
<script type="module" src="${pkgServer.url}/dist/embed.js"></script></head><body><${tag}></${name}></body></html>` });
  const { browser: b, page } = await browser();
  const fetched = new Set();
  page.on('request', (q) => { if (q.url().startsWith(pkgServer.url)) fetched.add(new URL(q.url()).pathname); });
  try {
    await page.goto(`${blog.url}/index.html`);
    await page.waitForSelector(`${name}[data-state="ready"]`, { timeout: 60000 });
    await page.waitForLoadState('networkidle');
    let total = 0;
    const files = [];
    for (const path of fetched) {
      const gz = gzipSync(await readFile(join(root, path)), { level: 9 }).length;
      total += gz;
      files.push([path.replace('/dist/', ''), gz]);
    }
    return { total, files };
  } finally {
    await b.close();
    pkgServer.server.close();
    blog.server.close();
  }
}

test('one <pw-softmax> embed fetches at most 120 KB gzipped, JS and wasm; each widget’s figure reported', async (t) => {
  const soft = await widgetBytes(widgets.softmax);
  t.diagnostic(`pw-softmax: ${(soft.total / 1024).toFixed(1)} KB gzipped: ${soft.files.map(([f, n]) => `${f} ${(n / 1024).toFixed(1)}`).join(', ')}`);
  assert.ok(!soft.files.some(([f]) => /elements\/(?!softmax|base|plot|errors)/.test(f)), 'only the softmax element (and its shared base) is imported');
  assert.ok(!soft.files.some(([f]) => /^modules\/(?!softmax)|probwasm\.wasm/.test(f)), 'only the softmax module is fetched');
  assert.ok(soft.total <= 120 * 1024, `${soft.total} bytes`);
  for (const [topic, tag] of Object.entries(widgets)) {
    if (topic === 'softmax') continue;
    const w = await widgetBytes(tag);
    t.diagnostic(`${tag.split(' ')[0]}: ${(w.total / 1024).toFixed(1)} KB gzipped (${w.files.length} files)`);
  }
});
