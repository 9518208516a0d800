import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, tasks } from 'probwasm';

const pw = await load();

test('attentionOutput is the softmax-weighted mean of the value rows', () => {
  const o = pw.attentionOutput([0, 0], [1, 10, 3, 30]);
  assert.ok(o instanceof Float64Array);
  assert.deepEqual(Array.from(o), [2, 20]);
});

test('noise scaling: the fitted slope is within 4 standard errors of −1/2 for Gaussian noise', () => {
  const r = pw.attentionNoiseScaling([300, 1000, 3000, 10000], { noise: 'gaussian', scale: 1, trials: 100, seed: 7 });
  assert.equal(r.mean.length, 4);
  assert.equal(r.theory.slope, -0.5);
  assert.ok(Math.abs(r.fit.slope + 0.5) <= 4 * r.fit.slopeStderr + 0.05, `slope ${r.fit.slope} ± ${r.fit.slopeStderr}`);
  // E[e^ε] for a standard Gumbel is infinite: the post's argument needs it finite
  assert.equal(pw.attentionNoiseMgf('gumbel', 1, 1), Infinity);
  assert.equal(pw.attentionNoiseTheory({ noise: 'gumbel', scale: 1 }).meanFinite, false);
});

test('minimum entropy: the post table values and the large-n constant', () => {
  const m4 = pw.minEntropy(4);
  assert.equal(m4.plus, 1);
  assert.equal(m4.minus, 3);
  assert.ok(Math.abs(m4.entropy + m4.gap - Math.log(4)) < 4 * Number.EPSILON);
  assert.ok(Math.abs(pw.minEntropy(1000).gap - 0.474474) < 5e-7);
  const lim = pw.minEntropyLimit();
  const e2 = Math.E ** 2;
  assert.ok(Math.abs(lim.fractionMinus - (e2 * e2 - 3 * e2) / (e2 * e2 - 2 * e2 + 1)) < 1e-14);
  assert.ok(Math.abs(lim.gap - 0.4744746) < 5e-8);
  assert.ok(Math.abs(lim.halfSplitGap - 0.3278133) < 5e-8);
  const g = pw.entropyGapFraction([0.5, lim.fractionMinus]);
  assert.ok(g instanceof Float64Array);
  assert.ok(Math.abs(g[1] - lim.gap) < 1e-15);
  assert.equal(pw.twoLevelEntropyGap(2, 1), g[0]);
});

test('entropy and half-L1 of the Jacobian: uniform and one-hot limits; the scale curve task', async () => {
  assert.ok(Math.abs(pw.softmaxEntropy([0, 0, 0, 0]) - Math.log(4)) < 4 * Number.EPSILON);
  assert.equal(pw.softmaxEntropy([0, -Infinity]), 0);
  assert.equal(pw.softmaxJacobianHalfL1([0, 0]), 0.5);
  const direct = pw.attentionInitScaleCurve(1000, [0, 1, 10], { trials: 10, seed: 3 });
  const it = tasks.attentionScaleCurve(pw, 1000, [0, 1, 10], { trials: 10, seed: 3 });
  let r, steps = 0;
  for (;;) { const s = await it.next(); if (s.done) { r = s.value; break; } steps++; }
  assert.equal(steps, 3);
  assert.deepEqual(r.entropy, direct.entropy);
  assert.ok(direct.entropy[0] > direct.entropy[1] && direct.entropy[1] > direct.entropy[2]);
});

test('bad arguments throw RangeError/TypeError naming function, parameter and value; the module keeps working', () => {
  assert.throws(() => pw.softmaxEntropy([1, NaN]), { name: 'RangeError', message: 'softmaxEntropy: s[1] must not be NaN, got NaN' });
  assert.throws(() => pw.minEntropy(10, { tau: 0 }), { name: 'RangeError', message: 'minEntropy: tau must be in [0.001, 1000000], got 0' });
  assert.throws(() => pw.attentionNoiseError(100, { noise: 'cauchy' }), { name: 'TypeError', message: /noise must be one of/ });
  assert.throws(() => pw.attentionNoiseError(-1), { name: 'RangeError', message: /attentionNoiseError: n must be/ });
  assert.throws(() => pw.attentionOutput([1, 2], [1, 2, 3]), { name: 'RangeError', message: /attentionOutput: v must hold/ });
  assert.equal(pw.softmaxEntropy([5]), 0);
});

test('the noise-scaling asymptote: constant √(2e(e−1)/π) = 1.7244 derived independently; the default data reach slope −½ only over n ≥ 1000', () => {
  // Delta method for s, v, ε ~ N(0, 1): õ − o ≈ Σe^{s_i}(v_i − o)(η_i − 1)/Σe^{s_i}, η = e^ε/E e^ε, o → 0, so
  // n·Var → E[e^{2s}]·E[v²]·Var η/(E e^s)² = e²·1·(e − 1)/e = e(e − 1), and E|N(0, V/n)| = √(2V/π)·n^−½.
  const V = Math.E * (Math.E - 1), c = Math.sqrt(2 * V / Math.PI);
  const r = pw.attentionNoiseScaling([10, 30, 100, 300, 1000, 3000, 10000], { noise: 'gaussian', scale: 1, logitStd: 1, trials: 200, seed: 1 });
  assert.ok(Math.abs(r.theory.constant - c) <= 4 * Number.EPSILON * c, `${r.theory.constant} vs ${c}`);
  assert.ok(Math.abs(c - 1.7244) < 5e-5);
  // What the widget prints: the all-n fit is shallow (pre-asymptotic), the n ≥ 1000 fit is −½ within 3 s.e.
  assert.ok(Math.abs(r.fit.slope + 0.5) > 5 * r.fit.slopeStderr, `all-n ${r.fit.slope} ± ${r.fit.slopeStderr}`);
  const tail = pw.fitLogLogSlope(r.n.slice(4), r.mean.slice(4), r.stderr.slice(4));
  assert.ok(Math.abs(tail.slope + 0.5) <= 3 * tail.slopeStderr, `n ≥ 1000: ${tail.slope} ± ${tail.slopeStderr}`);
  // The measured error approaches the asymptote from below: under it at every n, within 3 s.e. of it at n = 10^4.
  for (let i = 0; i < r.n.length; i++) assert.ok(r.mean[i] < r.predicted[i] + 3 * r.stderr[i]);
  assert.ok(Math.abs(r.mean[6] - r.predicted[6]) <= 3 * r.stderr[6], `${r.mean[6]} vs ${r.predicted[6]} ± ${r.stderr[6]}`);
});

test('attentionNoiseScaling names its own errors; Monte Carlo work is capped; options are closed (issue 12)', () => {
  assert.throws(() => pw.attentionNoiseScaling([4, 0], { trials: 10 }), { name: 'RangeError', message: /^attentionNoiseScaling: n must be an integer in \[1, 1e7\], got 0/ });
  assert.throws(() => pw.attentionNoiseScaling([4], { trials: 10 }), { name: 'RangeError', message: /^attentionNoiseScaling: n must have >= 2 points/ });
  assert.throws(() => pw.attentionNoiseError(1e7, { trials: 1000 }), { name: 'RangeError', message: /^attentionNoiseError: n × trials must be at most the work cap 1e9/ });
  assert.throws(() => pw.attentionInitScaleCurve(1e6, [1], { trials: 10000 }), { name: 'RangeError', message: /^attentionInitScaleCurve: n × trials must be at most the work cap 1e9/ });
  assert.throws(() => pw.attentionNoiseTheory({ noise: 'gaussian', trials: 5 }), { name: 'TypeError', message: 'attentionNoiseTheory: unknown options key "trials"; allowed: noise, scale, logitStd' });
  assert.throws(() => pw.minEntropy(10, { Tau: 1 }), { name: 'TypeError', message: 'minEntropy: unknown options key "Tau"; allowed: tau' });
});

