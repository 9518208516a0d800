import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, tasks } from 'probwasm';

const pw = await load();
const EPS32 = 2 ** -23;

test('every kind builds, runs and returns a fresh Float32Array of n×outDim', () => {
  assert.deepEqual(pw.mixerKinds(), ['attention', 'synthesizer-random', 'synthesizer-dense', 'mixer', 'mixer-linear',
    'external', 'fnet', 'gmlp', 'amlp', 'resmlp']);
  const n = 12, d = 8;
  const x = pw.mixerInput('random', n, d, { seed: 3 });
  assert.ok(x instanceof Float32Array && x.length === n * d);
  for (const kind of pw.mixerKinds()) {
    const m = new pw.TokenMixer(kind, { n, d, seed: 5 });
    try {
      const { output, flops } = m.forwardWithFlops(x);
      assert.ok(output instanceof Float32Array, kind);
      assert.equal(output.length, n * m.outDim, kind);
      assert.ok(output.every(Number.isFinite), kind);
      assert.equal(flops, pw.mixerCost(kind, n, d, { seed: 5 }).flops, `${kind}: counted FLOPs = closed form`);
      assert.equal(m.parameterCount, pw.mixerCost(kind, n, d).params, kind);
      const out2 = m.forward(Array.from(x));  // number[] gives the same float32 result
      assert.deepEqual(out2, output);
      assert.notEqual(m.forward(x).buffer, output.buffer);  // fresh each call
    } finally { m.dispose(); }
  }
});

test('the same seed gives the same numbers; the inputs are seeded too', () => {
  const a = new pw.TokenMixer('attention', { n: 4, d: 4, seed: 9 }), b = new pw.TokenMixer('attention', { n: 4, d: 4, seed: 9 });
  assert.deepEqual(a.parameter('Wq'), b.parameter('Wq'));
  assert.deepEqual(pw.mixerInput('random', 4, 4, { seed: 2 }), pw.mixerInput('random', 4, 4, { seed: 2 }));
  assert.notDeepEqual(pw.mixerInput('random', 4, 4, { seed: 2 }), pw.mixerInput('random', 4, 4, { seed: 3 }));
  a.dispose(); b.dispose();
});

test('FNet matches the DFT matrix product within log2(nd)·eps32·√(nd)·‖X‖ (c = 1)', () => {
  for (const [n, d] of [[16, 8], [12, 10], [31, 4], [128, 16]]) {
    const x = pw.mixerInput('random', n, d, { seed: n });
    const fft = pw.mix('fnet', x, { n, d });
    const ref = pw.fnetReference(x, n, d);
    let e2 = 0, x2 = 0;
    for (let i = 0; i < fft.length; i++) e2 += (fft[i] - ref[i]) ** 2;
    for (const v of x) x2 += v * v;
    assert.ok(Math.sqrt(e2) <= Math.log2(n * d) * EPS32 * Math.sqrt(n * d * x2), `${n}×${d}: ${Math.sqrt(e2)}`);
  }
  // closed form: an impulse at (0, 0) transforms to all ones
  const x = new Float32Array(12); x[0] = 1;
  assert.ok(pw.fnetReference(x, 3, 4).every((v) => Math.abs(v - 1) <= 4 * Number.EPSILON));
});

test('Synthesizer-Random has the same A for every input; attention rows are probability vectors', () => {
  const n = 10, d = 6;
  const x1 = pw.mixerInput('random', n, d, { seed: 1 }), x2 = pw.mixerInput('blocks', n, d, { seed: 7 });
  const s = new pw.TokenMixer('synthesizer-random', { n, d });
  const m1 = s.mixingMatrix(x1), m2 = s.mixingMatrix(x2);
  assert.deepEqual(m1.matrix, m2.matrix);
  assert.equal(m1.definition, 'defined');
  assert.equal(m1.inputDependent, false);
  assert.equal(s.inputDependence(x1, x2).maxAbs, 0);
  const a = new pw.TokenMixer('attention', { n, d });
  const A = a.mixingMatrix(x1);
  assert.equal(A.definition, 'attention');
  for (let i = 0; i < n; i++) {
    const row = A.matrix.subarray(i * n, i * n + n);
    assert.ok(Math.abs(row.reduce((p, q) => p + q, 0) - 1) <= n * EPS32);
  }
  assert.ok(a.inputDependence(x1, x2).maxAbs > 1e-3);
  s.dispose(); a.dispose();
});

test('External Attention: softmax down the tokens (unit columns), then ℓ1 along the memory (unit rows)', () => {
  const n = 12, d = 6, S = 5;
  const m = new pw.TokenMixer('external', { n, d, memory: S });
  const { p, a, memory } = m.externalWeights(pw.mixerInput('random', n, d, { seed: 8 }));
  assert.equal(memory, S);
  for (let s = 0; s < S; s++) {
    let c = 0;
    for (let i = 0; i < n; i++) c += p[i * S + s];
    assert.ok(Math.abs(c - 1) <= n * EPS32, `column ${s}: ${c}`);
  }
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let s = 0; s < S; s++) r += a[i * S + s];
    assert.ok(Math.abs(r - 1) <= 2 * S * EPS32, `row ${i}: ${r}`);
  }
  const f = new pw.TokenMixer('fnet', { n, d });
  assert.throws(() => f.externalWeights(new Float32Array(n * d)), { name: 'RangeError', message: /kind must be external, got "fnet"/ });
  f.dispose(); m.dispose();
});

test('gMLP with gateInit 0 returns Z1 exactly (W = 0, b = 1)', () => {
  const n = 6, d = 4;
  const x = pw.mixerInput('random', n, d, { seed: 4 });
  const out = pw.mix('gmlp', x, { n, d, gateInit: 0 });
  for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) assert.equal(out[i * 2 + c], x[i * d + c]);
});

test('what breaks when n changes: fixed-n mixers throw a RangeError naming n; the others accept it', () => {
  const d = 4, x9 = pw.mixerInput('random', 9, d);
  for (const kind of pw.mixerKinds()) {
    const m = new pw.TokenMixer(kind, { n: 8, d });
    if (m.fixedN) {
      assert.throws(() => m.forward(x9), { name: 'RangeError', message: new RegExp(`^TokenMixer.forward: n must equal 8: ${kind} has an n×n parameter built for n = 8.*got 9$`) });
      assert.equal(m.forward(pw.mixerInput('random', 8, d)).length, 8 * m.outDim);  // still usable
    } else {
      assert.equal(m.forward(x9).length, 9 * d);
    }
    m.dispose();
  }
});

test('bad arguments throw RangeError/TypeError naming function, parameter and value', () => {
  assert.throws(() => new pw.TokenMixer('transformer', { n: 4, d: 4 }), { name: 'TypeError', message: /TokenMixer: kind must be one of .*got "transformer"/ });
  assert.throws(() => new pw.TokenMixer('fnet', { n: 0, d: 4 }), { name: 'RangeError', message: 'TokenMixer: n must be an integer in [1, 4096], got 0' });
  assert.throws(() => new pw.TokenMixer('gmlp', { n: 4, d: 5 }), { name: 'RangeError', message: /TokenMixer: d must be even for gmlp/ });
  assert.throws(() => new pw.TokenMixer('fnet', { n: 4 }), { name: 'TypeError', message: /must give n and d/ });
  assert.throws(() => new pw.TokenMixer('fnet', { n: 4, d: 4, sead: 1 }), { name: 'TypeError', message: /^TokenMixer: unknown options key "sead"; allowed: n, d, seed, / });
  assert.throws(() => new pw.TokenMixer('fnet', { n: 4, d: 4, seed: -1 }), { name: 'RangeError', message: /seed must be an integer in \[0, 4294967295\], got -1/ });
  const m = new pw.TokenMixer('attention', { n: 4, d: 3 });
  assert.throws(() => m.forward([1, 2, 3, 4]), { name: 'RangeError', message: 'TokenMixer.forward: x.length must be a multiple of d = 3, got 4' });
  assert.throws(() => m.forward(new Float32Array(12), 3), { name: 'RangeError', message: 'TokenMixer.forward: x.length must equal n·d = 9, got 12' });
  const bad = new Float32Array(12); bad[5] = NaN;
  assert.throws(() => m.forward(bad), { name: 'RangeError', message: 'TokenMixer.forward: x[5] must be finite, got NaN' });
  assert.throws(() => m.forward('abc'), { name: 'TypeError' });
  assert.throws(() => pw.mixerInput('noise', 2, 2), { name: 'TypeError', message: /pattern must be one of/ });
  assert.equal(m.forward(new Float32Array(12)).length, 12);  // the module keeps working
  m.dispose();
  assert.throws(() => m.forward(new Float32Array(12)), { name: 'TypeError', message: /disposed/ });
  m.dispose();  // twice is harmless
});

test('the mixersCost task yields progress and returns measured times with counted FLOPs', async () => {
  const it = tasks.mixersCost(pw, { kinds: ['attention', 'fnet', 'external'], ns: [16, 64], d: 16, reps: 1, minMs: 1 });
  const progress = [];
  let r;
  for (;;) { r = await it.next(); if (r.done) break; progress.push(r.value); }
  assert.equal(progress.length, 6);
  assert.deepEqual(progress.at(-1), { ...progress.at(-1), done: 6, total: 6 });
  for (const row of r.value.rows) {
    assert.ok(row.ms > 0, `${row.kind} ${row.n}`);
    assert.equal(row.flops, pw.mixerCost(row.kind, row.n, 16).flops);
  }
  assert.equal(r.value.rows.find((q) => q.kind === 'fnet').order, 'O(n log n)');
});

test('errors carry the public name that was called: mix, forwardWithFlops, fnetCheck, a disposed mixer (issue 12)', () => {
  assert.throws(() => pw.mix('fnet', [1, 2, 3], { n: 2, d: 2 }), { name: 'RangeError', message: /^mix: x.length must equal n·d = 4, got 3/ });
  assert.throws(() => pw.mix('fnet', [1, 2], { n: 1, d: 2, gateInit: 1e308 }), { name: 'RangeError', message: /^mix: gateInit must be in \[0, 1000\]/ });
  assert.throws(() => pw.mix('fnet', [1, 2]), { name: 'TypeError', message: /^mix: options must give n and d/ });
  assert.throws(() => pw.fnetCheck([1, 2, 3], 1, 2), { name: 'RangeError', message: /^fnetCheck: x.length must equal n·d = 2, got 3/ });
  assert.throws(() => pw.fnetReference([1, NaN], 1, 2), { name: 'RangeError', message: 'fnetReference: x[1] must be finite, got NaN' });
  assert.throws(() => pw.mixerCost('gmlp', 4, 4, { gateInit: NaN }), { name: 'RangeError', message: /^mixerCost: gateInit/ });
  const m = new pw.TokenMixer('attention', { n: 2, d: 2 });
  assert.throws(() => m.forwardWithFlops([1, 2, 3, 4], 1), { name: 'RangeError', message: /^TokenMixer.forwardWithFlops: x.length must equal/ });
  assert.throws(() => m.inputDependence([1, 2, 3, 4], [1, 2, NaN, 4]), { name: 'RangeError', message: 'TokenMixer.inputDependence: x2[2] must be finite, got NaN' });
  m.dispose();
  assert.throws(() => m.forwardWithFlops([1, 2, 3, 4]), { name: 'TypeError', message: 'TokenMixer.forwardWithFlops: the mixer was disposed' });
});

