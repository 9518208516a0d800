// Issue 7's budgets, measured on the built package in every CI run: the widget sizes are deterministic,
// so they are asserted; the load time is reported, never asserted. The core module's size (over its
// 250 KB budget) is reported by `npm run bench` in BENCHMARKS.md.
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

test('time from import to a ready API in this Node process (reported, not asserted)', async (t) => {
  const t0 = performance.now();
  const { load } = await import('probwasm');
  await load({ wasmBinary: await readFile(`${dist}probwasm.wasm`) });
  t.diagnostic(`load() → ready: ${(performance.now() - t0).toFixed(1)} ms`);
});
