// Issue 7's budgets, measured on the built package in every CI run: sizes are deterministic, so they are
// asserted; load times are reported, never asserted. A page or load({ topics }) fetches one topic's module
// (dist/modules/<topic>.{mjs,wasm}): each must fit the 250 KB core budget. The all-topics module that
// load() fetches is reported beside them (and in BENCHMARKS.md by `npm run bench`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const gz = async (f) => gzipSync(await readFile(f), { level: 9 }).length;

test('each widget’s JS (with the shared base.js and plot.js) ≤ 30 KB gzipped', async (t) => {
  const shared = (await gz(`${dist}elements/base.js`)) + (await gz(`${dist}elements/plot.js`));
  for (const f of await readdir(`${dist}elements`)) {
    if (f === 'base.js' || f === 'plot.js') continue;
    const size = (await gz(`${dist}elements/${f}`)) + shared;
    t.diagnostic(`${f}: ${(size / 1024).toFixed(1)} KB gzipped with base.js and plot.js`);
    assert.ok(size <= 30 * 1024, `${f}: ${size} bytes`);
  }
});

test('each topic’s module, .wasm + glue, ≤ 250 KB gzipped; the all-topics module reported', async (t) => {
  const { topics } = await import('probwasm');
  for (const topic of topics) {
    const size = (await gz(`${dist}modules/${topic}.wasm`)) + (await gz(`${dist}modules/${topic}.mjs`));
    t.diagnostic(`modules/${topic}: ${(size / 1024).toFixed(1)} KB gzipped`);
    assert.ok(size <= 250 * 1024, `${topic}: ${size} bytes`);
  }
  const all = (await gz(`${dist}probwasm.wasm`)) + (await gz(`${dist}probwasm.mjs`));
  t.diagnostic(`probwasm (every topic, load()): ${(all / 1024).toFixed(1)} KB gzipped`);
});

test('time from load() to a ready API in this Node process (reported, not asserted)', async (t) => {
  const { load } = await import('probwasm');
  const t0 = performance.now();
  await load({ topics: ['softmax'] });
  t.diagnostic(`load({ topics: ['softmax'] }) → ready: ${(performance.now() - t0).toFixed(1)} ms`);
  const t1 = performance.now();
  await load();
  t.diagnostic(`load() → ready: ${(performance.now() - t1).toFixed(1)} ms`);
});
