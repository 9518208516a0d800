import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, tasks } from 'probwasm';

const pw = await load();

test('infoNce and flatNce return value, xi and a fresh gradient in the requested precision', () => {
  const s = [10, 3, 2, 1];
  const ce = pw.infoNce(s, 0);
  const fl = pw.flatNce(s, 0);
  assert.ok(ce.grad instanceof Float64Array);
  assert.equal(ce.grad.length, 4);
  // ξ = e^{−7} + e^{−8} + e^{−9}; CE = log1p(ξ); FlatNCE = log ξ (closed forms; the JS here only checks)
  const xi = Math.exp(-7) + Math.exp(-8) + Math.exp(-9);
  assert.ok(Math.abs(ce.xi - xi) <= 8 * Number.EPSILON * xi);
  assert.ok(Math.abs(ce.value - Math.log1p(xi)) <= 8 * Number.EPSILON * xi);
  assert.ok(Math.abs(fl.value - Math.log(xi)) <= 8 * Number.EPSILON * 9);
  assert.equal(fl.grad[0], -1);
  // ∇CE = ξ/(1+ξ)·∇FlatNCE
  const w = xi / (1 + xi);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(ce.grad[i] - w * fl.grad[i]) <= 8 * Number.EPSILON * w);
  const f32 = pw.infoNce(new Float32Array(s), 0, { precision: 'float32', evaluation: 'shifted' });
  assert.ok(f32.grad instanceof Float32Array);
});

test('float32 framework cross-entropy is exactly 0 at margin 20 while FlatNCE is log 7 − 20', () => {
  const sw = pw.contrastiveMarginSweep(8, 10, [10, 15, 17, 20]);
  // exactly zero (either sign: −((s_t − m) − log 1) is −0)
  assert.ok(sw.ce32Shifted[3] === 0 && sw.grad32Shifted[3] === 0 && sw.ce32Naive[2] === 0);
  assert.ok(Math.abs(sw.flat32[3] - (Math.log(7) - 20)) < 1e-5);
  assert.ok(sw.grad64[3] < 0 && sw.grad64[3] > -1.5e-8);
  assert.ok(Math.abs(sw.ce32Naive[1] - sw.ce64[1]) / sw.ce64[1] > 0.1);  // the 34%-error row
});

test('a training run returns per-step traces and accuracies; the same seed gives the same numbers', () => {
  const a = pw.contrastiveTrain({ seed: 3, loss: 'ce' }, { steps: 120, evalEvery: 40 });
  const b = pw.contrastiveTrain({ seed: 3, loss: 'ce' }, { steps: 120, evalEvery: 40 });
  assert.equal(a.step.length, 120);
  assert.deepEqual(Array.from(a.accuracyStep), [0, 40, 80, 120]);
  assert.deepEqual(a.loss, b.loss);
  assert.deepEqual(a.accuracy, b.accuracy);
  for (const c of a.anchorCosine) assert.ok(c >= -1 && c <= 1 + 1e-12);
});

test('the contrastiveCompare task yields progress and returns both runs', async () => {
  const it = tasks.contrastiveCompare(pw, { seed: 2 }, { steps: 60, evalEvery: 30 });
  const progress = [];
  let r;
  for (;;) { const s = await it.next(); if (s.done) { r = s.value; break; } progress.push(s.value); }
  assert.deepEqual(progress.map((p) => `${p.phase}:${p.done}`), ['ce:30', 'ce:60', 'flatnce:30', 'flatnce:60']);
  assert.equal(r.ce.step.length, 60);
  assert.equal(r.flatnce.step.length, 60);
});

test('bad arguments throw RangeError/TypeError naming function, parameter and value; the module keeps working', () => {
  assert.throws(() => pw.infoNce([1], 0), { name: 'RangeError', message: 'infoNce: scores must hold a positive and at least one negative (length >= 2), got 1' });
  assert.throws(() => pw.flatNce([1, NaN], 0), { name: 'RangeError', message: 'flatNce: scores[1] must not be NaN, got NaN' });
  assert.throws(() => pw.flatNce([1, 2], 5), { name: 'RangeError', message: /flatNce: target must be an index into scores/ });
  assert.throws(() => pw.infoNce([1, 2], 0, { precision: 'float16' }), { name: 'TypeError', message: /infoNce: precision must be one of/ });
  assert.throws(() => pw.contrastiveTrainer({ batch: 100 }), { name: 'RangeError', message: /contrastiveTrainer: batch must be/ });
  assert.throws(() => pw.contrastiveTrainer({ bacth: 4 }), { name: 'TypeError', message: /^contrastiveTrainer: unknown config key "bacth"; allowed: classes, / });
  assert.throws(() => pw.contrastiveTrainer({ loss: 'infonce' }), { name: 'TypeError', message: /loss must be one of/ });
  const t = pw.contrastiveTrainer({ seed: 1 });
  t.dispose();
  assert.throws(() => t.run(1), { name: 'TypeError', message: /disposed/ });
  assert.equal(pw.flatNce([0, 0], 0).value, 0);
});

test('the §3.5 collapse depends on the summation order: exactly 0 from D = 16.75 with the positive first, ≈ 18.6 with it last (K = 8)', () => {
  const margins = Array.from({ length: 30 * 8 + 1 }, (_, i) => i / 8);
  const o = pw.contrastiveMarginOrder(8, 10, margins);
  const firstZero = (col) => o.margin[o[col].findIndex((v) => v === 0)];
  // Independent thresholds: positive first, each e^{−D} ≤ 2^-24 is lost against 1 → D ≥ 24 ln 2 = 16.636;
  // positive last, 1 + 7e^{−D} = 1 once 7e^{−D} ≤ 2^-24 → D ≥ 24 ln 2 + ln 7 = 18.582. Next 1/8 grid points: 16.75, 18.625.
  const up8 = (x) => Math.ceil(x * 8) / 8;
  assert.equal(firstZero('ce32First'), up8(24 * Math.LN2));
  assert.ok(Math.abs(firstZero('ce32Last') - up8(24 * Math.LN2 + Math.log(7))) <= 0.125, `${firstZero('ce32Last')}`);
  // The existing sweep sums the positive first: its collapse point is the 'first' one.
  const s = pw.contrastiveMarginSweep(8, 10, margins);
  assert.equal(s.margin[s.ce32Shifted.findIndex((v) => v === 0)], firstZero('ce32First'));
  // Between the two thresholds the gradient survives only when the positive is summed last.
  const i = margins.indexOf(17.5);
  assert.equal(o.grad32First[i], 0);
  assert.ok(o.grad32Last[i] < 0);
});

test('the batch-size toy (post 3 §3.4): CE\'s float32 gradient degrades as K shrinks, FlatNCE\'s does not; the task is contrastiveTrain per K', async () => {
  const it = tasks.contrastiveBatchSweep(pw, { seed: 1 }, { batches: [4, 32], steps: 500, evalEvery: 250 });
  let step, n = 0;
  while (!(step = await it.next()).done) n++;
  assert.equal(n, 4);
  const rows = step.value.rows;
  const get = (b, loss) => rows.find((r) => r.batch === b && r.loss === loss);
  // Same numbers as a direct run.
  const direct = pw.contrastiveTrain({ seed: 1, batch: 4, loss: 'ce' }, { steps: 500, evalEvery: 250 });
  assert.equal(get(4, 'ce').anchorCosine, direct.summary.anchorCosine);
  assert.deepEqual(get(4, 'ce').accuracy, direct.accuracy);
  // The claim: at K = 4 more anchors underflow (ξ < 2^-24) than at K = 32 — independent of the cosine — and CE's
  // cosine is lower there; FlatNCE's gradient has no 1 + ξ and stays at cosine ≈ 1 (float32 rounding only).
  assert.ok(get(4, 'ce').underflow > get(32, 'ce').underflow);
  assert.ok(get(4, 'ce').anchorCosine < get(32, 'ce').anchorCosine);
  for (const b of [4, 32]) assert.ok(get(b, 'flatnce').anchorCosine > 1 - 1e-3, `${get(b, 'flatnce').anchorCosine}`);
  assert.ok(get(4, 'flatnce').accuracy[1] >= get(4, 'ce').accuracy[1]);
});

test('contrastiveTrain names its own config errors; option objects are closed (issue 12)', () => {
  assert.throws(() => pw.contrastiveTrain({ batch: 1000 }), { name: 'RangeError', message: /^contrastiveTrain: batch must be/ });
  assert.throws(() => pw.contrastiveTrain({}, { step: 3 }), { name: 'TypeError', message: 'contrastiveTrain: unknown options key "step"; allowed: steps, evalEvery' });
  assert.throws(() => pw.infoNce([1, 2], 0, { precison: 'float32' }), { name: 'TypeError', message: /^infoNce: unknown options key "precison"/ });
  assert.throws(() => pw.contrastiveTrainer(JSON.parse('{"__proto__": {"batch": 4}}')), { name: 'TypeError', message: /^contrastiveTrainer: unknown config key "__proto__"/ });
});

