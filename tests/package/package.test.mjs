// The npm package as a user gets it: `npm pack`, installed into an empty folder, then used from Node,
// from a plain static server with no bundler (under the strict CSP the README documents), and from a
// Vite production build, both in Chromium; its types checked with tsc. Needs dist/ (npm run build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage, root, artifacts } from '../browser/harness.mjs';

let dir, app, tarball;
// softmax([0, log 3]) = [1/4, 3/4]: log 3 and the division each round once, so a few ulps.
const assertQuarterThreeQuarters = (p) => {
  assert.equal(p.length, 2);
  assert.ok(Math.abs(p[0] - 0.25) <= 4 * Number.EPSILON && Math.abs(p[1] - 0.75) <= 4 * Number.EPSILON, String(p));
};
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'probwasm-pack-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], root));
  tarball = { file: join(dir, packed[0].filename), files: packed[0].files.map((f) => f.path) };
  app = join(dir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball.file], app);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('the tarball holds dist/ only: the module, the .wasm, the types, the widgets; no build tree', () => {
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/probwasm.mjs', 'dist/probwasm.wasm', 'dist/embed.js', 'dist/worker.js', 'package.json']) {
    assert.ok(tarball.files.includes(f), `${f} missing from the tarball`);
  }
  const stray = tarball.files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f));
  assert.deepEqual(stray, []);
  assert.ok(!tarball.files.some((f) => /build|node_modules|\.cpp$|CMake/.test(f)));
});

test('installed into an empty folder, it works in Node 20 through the package exports', () => {
  const out = run(process.execPath, ['--input-type=module', '-e', `
    import { load } from 'probwasm';
    const pw = await load();
    const p = pw.softmax([0, Math.log(3)]);
    let err; try { pw.softmax([]); } catch (e) { err = e; }
    console.log(JSON.stringify({ p: Array.from(p), err: err && err.name + ': ' + err.message, wasm: import.meta.resolve('probwasm/probwasm.wasm') }));
  `], app);
  const r = JSON.parse(out);
  assertQuarterThreeQuarters(r.p);
  assert.match(r.err, /^RangeError: softmax: x must be non-empty/);
  assert.match(r.wasm, /node_modules\/probwasm\/dist\/probwasm\.wasm$/);
});

test('its types check with tsc --noEmit in a TypeScript project', async () => {
  await copyFile(join(root, 'tests/package/usage.ts'), join(app, 'usage.ts'));
  await writeFile(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, lib: ['es2022', 'dom'], skipLibCheck: false },
    files: ['usage.ts'],
  }));
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
});

const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>t</title></head><body>${body}</body></html>`;
const probe = `
  const pw = await load();
  document.getElementById('out').textContent = Array.from(pw.softmax([0, Math.log(3)])).join(',');
  const w = pw.worker();
  document.getElementById('worker').textContent = Array.from(await w.run('softmax', [[0, Math.log(3)]])).join(',');
  w.terminate();`;

test('from a plain static server with no bundler, under the documented strict CSP, the embed and the API work', async () => {
  await writeFile(join(app, 'static.html'), page(`
    <script type="module" src="./node_modules/probwasm/dist/embed.js"></script>
    <pw-softmax logits="1 0.5 0.2 -0.3 -1"></pw-softmax>
    <p id="out"></p><p id="worker"></p>
    <script type="module" src="./static.js"></script>`));
  await writeFile(join(app, 'static.js'), `import { load } from './node_modules/probwasm/dist/index.js';\n${probe}`);
  const { page: p, problems, close } = await openPage('/static.html', { root: app, csp: true });
  try {
    await p.waitForSelector('pw-softmax[data-state="ready"]', { timeout: 20000 });
    await p.waitForFunction(() => document.getElementById('worker').textContent !== '', null, { timeout: 20000 });
    assertQuarterThreeQuarters((await p.textContent('#out')).split(',').map(Number));
    assertQuarterThreeQuarters((await p.textContent('#worker')).split(',').map(Number));
    await p.screenshot({ path: join(artifacts, 'package-static.png') });
    assert.deepEqual(problems, []);
  } finally { await close(); }
});

test('a Vite production build bundles it: the .wasm asset and the worker are emitted and served', async () => {
  await writeFile(join(app, 'index.html'), page(`<pw-softmax logits="2 1 0"></pw-softmax><p id="out"></p><p id="worker"></p><script type="module" src="./main.js"></script>`));
  await writeFile(join(app, 'main.js'), `import { load } from 'probwasm';\nimport 'probwasm/embed.js';\n${probe}`);
  // No vite.config.js: the defaults (worker.format 'iife' among them) must work.
  run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', 'vite-out'], app);
  const assets = await readdir(join(app, 'vite-out/assets'));
  for (const m of ['probwasm', 'softmax', 'wobert']) {
    assert.ok(assets.some((f) => f.startsWith(m) && f.endsWith('.wasm')), `no ${m}*.wasm among ${assets}`);
  }
  const { page: p, problems, close } = await openPage('/index.html', { root: join(app, 'vite-out') });
  try {
    await p.waitForSelector('pw-softmax[data-state="ready"]', { timeout: 20000 });
    await p.waitForFunction(() => document.getElementById('worker').textContent !== '', null, { timeout: 20000 });
    assertQuarterThreeQuarters((await p.textContent('#out')).split(',').map(Number));
    assertQuarterThreeQuarters((await p.textContent('#worker')).split(',').map(Number));
    assert.deepEqual(problems, []);
  } finally { await close(); }
});

test('npm run build:site writes a static site with relative URLs that works from any folder', async () => {
  run(process.execPath, [join(root, 'scripts/build-site.mjs')], root);
  const { page: p, problems, close } = await openPage('/index.html', { root: join(root, 'site') });
  try {
    await p.waitForSelector('pw-softmax[data-state="ready"]', { timeout: 20000 });
    assert.deepEqual(problems, []);
  } finally { await close(); }
});
