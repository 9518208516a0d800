// load({ topics }): each topic's own module gives that topic's whole API, with the same numbers as the
// all-topics module, and nothing else; bad topic lists are TypeErrors/RangeErrors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, topics } from 'probwasm';

// One deterministic call per topic; both modules must agree bit for bit (same C++, same flags).
const probes = {
  softmax: (pw) => Array.from(pw.entmax([3, 1, 0], { alpha: 1.5 })),
  sector: (pw) => [pw.sectorProbability(7, 2), pw.sectorProbabilityExact(5, 1, 3)],
  diffusion: (pw) => { const s = new pw.DDIMScheduler({}); s.setTimesteps(10); const t = Array.from(s.timesteps); s.dispose(); return t; },
  contrastive: (pw) => pw.flatNce([1, 2, 3], 0),
  attention: (pw) => pw.minEntropy(16),
  lora: (pw) => pw.loraRatios(64, 64, 2),
  mixers: (pw) => pw.mixerCost('fnet', 64, 32),
  wobert: (pw) => pw.transformerCost(128),
};

test('topics lists the eight topics in post order', () => {
  assert.deepEqual([...topics], ['softmax', 'sector', 'diffusion', 'contrastive', 'attention', 'lora', 'mixers', 'wobert']);
  assert.deepEqual(Object.keys(probes), [...topics]);
});

test('each topic module holds exactly its topic’s methods and agrees with the all-topics module', async () => {
  // not load(): that would make later load({ topics }) calls reuse the all-topics instance
  const { readFile } = await import('node:fs/promises');
  const all = await load({ wasmBinary: await readFile(new URL(import.meta.resolve('probwasm/probwasm.wasm'))) });
  const seen = new Set();
  for (const t of topics) {
    const sub = await load({ topics: [t] });
    const names = Object.keys(sub).filter((k) => k !== 'worker' && k !== 'workerPool');
    assert.ok(names.length > 0, t);
    for (const k of names) {
      assert.equal(typeof all[k], typeof sub[k], `${t}.${k}`);
      assert.ok(!seen.has(k), `${k} belongs to two topics`);
      seen.add(k);
    }
    assert.deepEqual(probes[t](sub), probes[t](all), t);
    assert.equal(typeof sub.worker, 'function');
  }
  assert.deepEqual([...seen].sort(), Object.keys(all).filter((k) => k !== 'worker' && k !== 'workerPool').sort(), 'the topics together are the whole API');
});

test('topics load alone or together; an error in a topic module leaves it usable', async () => {
  const a = await load({ topics: ['softmax'] });
  const b = await load({ topics: ['sector', 'softmax'] });
  assert.equal(typeof b.softmax, 'function');
  assert.equal(typeof b.sectorProbability, 'function');
  assert.equal(a.sectorProbability, undefined);
  // errors in one topic module leave it usable
  assert.throws(() => a.softmax([1, NaN]), (e) => e instanceof RangeError && /softmax/.test(e.message) && /NaN/.test(e.message));
  assert.deepEqual(Array.from(b.softmax([0, 0])), [0.5, 0.5]);
});

test('bad topic lists are rejected with the offending value named', () => {
  assert.throws(() => load({ topics: [] }), TypeError);
  assert.throws(() => load({ topics: 'softmax' }), /topics must be a non-empty array/);
  assert.throws(() => load({ topics: ['softmax', 'bogus'] }), (e) => e instanceof RangeError && /"bogus"/.test(e.message));
  assert.throws(() => load({ topics: ['softmax', 'sector'], wasmBinary: new Uint8Array(8) }), /exactly one topic/);
});
