// The softmax family through the package's public API (post 8). References are derived here from closed
// forms and exact rationals, independently of the wasm module; the post's §8.9 vectors are sanity checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, tasks } from 'probwasm';

const pw = await load();
const X = [1, 0.5, 0.2, -0.3, -1]; // post 8 §8.9
const EPS = Number.EPSILON;

function close(actual, expected, tol, what = '') {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]} (tol ${tol})`);
  }
}

test('softmax returns a fresh Float64Array summing to 1, equal to the closed form', () => {
  const p = pw.softmax(X);
  assert.ok(p instanceof Float64Array);
  assert.equal(p.length, 5);
  assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) <= 4 * EPS);
  // e^{x_i}/Σe^{x_j}: 5 exps, a sum and a division: ≤ 8 ulps.
  const z = X.reduce((s, v) => s + Math.exp(v), 0);
  close(p, X.map((v) => Math.exp(v) / z), 8 * EPS);
  const pf = pw.softmax(new Float32Array([0, Math.log(3)])); // float32 in → computed and returned in float32
  assert.ok(pf instanceof Float32Array);
  close(pf, [0.25, 0.75], 2 ** -23);
  close(pw.softmax([1, 2], { temperature: 0.5 }), [1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(-2))], 4 * EPS);
});

test('logsumexp handles ±1e308, -Infinity and all-equal inputs', () => {
  assert.equal(pw.logsumexp([1e308, 1e308]), 1e308 + Math.log(2));
  assert.equal(pw.logsumexp([0, -Infinity]), 0);
  assert.equal(pw.logsumexp([-Infinity, -Infinity]), -Infinity);
  assert.ok(Math.abs(pw.logsumexp([3, 3, 3, 3]) - (3 + Math.log(4))) <= 2 * EPS * 5);
});

test('every map applies row-wise with opts.cols', () => {
  const rows = [[1, 2, 3], [0, -1, 0.5], [4, 4, -2]];
  const flat = rows.flat();
  const cases = [
    ['softmax', { temperature: 0.7 }], ['taylorSoftmax', { order: 4 }], ['sparseSoftmax', { k: 2 }],
    ['sparseSoftmax', { p: 0.9 }], ['perturbMax', { noise: 'normal', grid: 64 }], ['sparsemax', {}],
    ['entmax', { alpha: 1.5 }], ['entmax', { alpha: 1.3 }],
  ];
  for (const [fn, opts] of cases) {
    const all = pw[fn](flat, { ...opts, cols: 3 });
    rows.forEach((r, i) => assert.deepEqual(Array.from(all.subarray(3 * i, 3 * i + 3)), Array.from(pw[fn](r, opts)), fn));
  }
  assert.throws(() => pw.softmax([1, 2, 3], { cols: 2 }), { name: 'RangeError', message: /softmax: cols must divide the length 3, got 2/ });
});

test('Taylor softmax: exact rationals and the non-monotonicity below −1', () => {
  close(pw.taylorSoftmax([3, 1, 0]), [17 / 24, 5 / 24, 2 / 24], 4 * EPS);
  close(pw.taylorSoftmax([-3, -1], { order: 2 }), [5 / 6, 1 / 6], 4 * EPS);
  // f_4(2) = 7, f_4(0) = 1, f_4(−2) = 1 − 2 + 2 − 4/3 + 2/3 = 1/3 → [21, 3, 1]/25
  close(pw.taylorSoftmax([2, 0, -2], { order: 4 }), [21 / 25, 3 / 25, 1 / 25], 4 * EPS);
  assert.throws(() => pw.taylorSoftmax(X, { order: 3 }), { name: 'RangeError', message: 'taylorSoftmax: order must be an even integer in [2, 100], got 3' });
  assert.throws(() => pw.taylorSoftmax([1, -Infinity]), { name: 'RangeError', message: /taylorSoftmax: x\[1\] must be finite/ });
});

test('sparse softmax: top-k with ties to the lower index, nucleus, and bad k / p', () => {
  const s = 1 / (1 + Math.exp(-0.5));
  close(pw.sparseSoftmax(X, { k: 2 }), [s, 1 - s, 0, 0, 0], 4 * EPS);
  assert.deepEqual(Array.from(pw.sparseSoftmax([1, 2, 2, 2, 0], { k: 2 })), [0, 0.5, 0.5, 0, 0]);
  assert.deepEqual(Array.from(pw.sparseSoftmax([0, 0, 0, 0], { p: 0.5 })), [0.5, 0.5, 0, 0]);
  assert.deepEqual(Array.from(pw.sparseSoftmax(X, { p: 0.6 })), Array.from(pw.sparseSoftmax(X, { k: 2 })));
  for (const [opts, msg] of [[{ k: 0 }, /k must be an integer in \[1, 5\], got 0/], [{ k: 6 }, /got 6/],
    [{ p: 0 }, /p must be in \(0, 1\], got 0/], [{ p: 1.5 }, /got 1.5/], [{}, /exactly one of k/], [{ k: 2, p: 0.5 }, /exactly one/]]) {
    assert.throws(() => pw.sparseSoftmax(X, opts), { name: 'RangeError', message: msg });
  }
  assert.throws(() => pw.sparseSoftmax(X, { k: 1.5 }), { name: 'RangeError' });
  assert.throws(() => pw.sparseSoftmax(X, { k: '2' }), { name: 'TypeError' });
});

test('perturb-max: Gumbel equals softmax; normal noise matches Φ(Δ/√2) for n = 2 and the 10-digit values', () => {
  close(pw.perturbMax(X), pw.softmax(X), 1e-14, 'gumbel');
  close(pw.perturbMax(X, { noise: 'normal' }), [0.4812104811, 0.2562859559, 0.1674350106, 0.07525612137, 0.0198124311], 1e-10, 'normal');
  // n = 2: P(1.2 + ε_0 > ε_1) = Φ(1.2/√2) = ½(1 + erf(0.6)), erf(0.6) = 0.6038560908479259.
  const p = pw.perturbMax([1.2, 0], { noise: 'normal' });
  assert.ok(Math.abs(p[0] - 0.5 * (1 + 0.6038560908479259)) < 1e-14, String(p[0]));
  assert.throws(() => pw.perturbMax(X, { noise: 'cauchy' }), { name: 'TypeError', message: /perturbMax: noise must be one of 'gumbel', 'normal'/ });
  assert.throws(() => pw.perturbMax(X, { grid: 0 }), { name: 'RangeError', message: /grid/ });
});

test('sparsemax and entmax reproduce the post, including the x = [3, 1, 0] tie', () => {
  close(pw.sparsemax(X), [0.75, 0.25, 0, 0, 0], 2 * EPS);
  close(pw.sparsemax([0.5, 0.4, 0.1, 0]), [0.5, 0.4, 0.1, 0], 2 * EPS);
  assert.deepEqual(Array.from(pw.entmax([3, 1, 0])), [1, 0, 0]);
  close(pw.entmax(X), [0.586572, 0.266132, 0.133868, 0.013428, 0], 1e-6);
  close(pw.entmax(X, { alpha: 1.25 }), [0.493325, 0.258549, 0.165764, 0.069299, 0.013063], 1e-6);
  assert.deepEqual(Array.from(pw.entmax(X, { alpha: 1 })), Array.from(pw.softmax(X)));
  assert.deepEqual(Array.from(pw.entmax(X, { alpha: 2 })), Array.from(pw.sparsemax(X)));
  // Entmax-1.5 closed form for two logits: p = relu(x/2 − λ)², (d/2 − λ')² + λ'² … with x = [1, 0]:
  // (½ − λ)² + (−λ)² = 1 → λ = (½ − √(2 − ¼))/2; p_0 = (½ − λ)².
  const lam = (0.5 - Math.sqrt(1.75)) / 2;
  close(pw.entmax([1, 0]), [(0.5 - lam) ** 2, lam ** 2], 4 * EPS);
  assert.throws(() => pw.entmax(X, { alpha: 0.5 }), { name: 'RangeError', message: 'entmax: alpha must be a finite number ≥ 1, got 0.5' });
  assert.throws(() => pw.entmax(X, { alpha: NaN }), { name: 'RangeError' });
});

test('jacobian: ½‖J‖₁ = 1 − Σp² for softmax, δ_ij − 1/|Ω| for sparsemax, finite differences for entmax', () => {
  const J = pw.jacobian('softmax', X);
  assert.equal(J.length, 25);
  const half = J.reduce((s, v) => s + Math.abs(v), 0) / 2;
  assert.ok(Math.abs(half - 0.7261319482) < 1e-10);
  assert.deepEqual(Array.from(pw.jacobian('sparsemax', X).subarray(0, 2)), [0.5, -0.5]);
  const x = [0.9, 0.1, -0.4, 0.6], h = 1e-6;
  const Je = pw.jacobian('entmax', x, { alpha: 1.3 });
  for (let j = 0; j < 4; j++) {
    const a = x.slice(), b = x.slice();
    a[j] += h; b[j] -= h;
    const pa = pw.entmax(a, { alpha: 1.3 }), pb = pw.entmax(b, { alpha: 1.3 });
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(Je[i * 4 + j] - (pa[i] - pb[i]) / (2 * h)) < 1e-8);
  }
  assert.throws(() => pw.jacobian('perturb', X), { name: 'TypeError', message: /jacobian: map must be one of/ });
});

test('loss: the sparsemax values of §8.9, cross-entropy, AM-softmax and gradients p − e_t', () => {
  assert.equal(pw.loss('sparsemax', X, 0).value, 0.0625);
  assert.equal(pw.loss('sparsemax', X, 4).value, 2.0625);
  assert.equal(pw.loss('sparsemax', [3, 1, 0], 0).value, 0);
  const ce = pw.loss('softmax', X, 2);
  const z = X.reduce((s, v) => s + Math.exp(v), 0);
  assert.ok(Math.abs(ce.value - (Math.log(z) - 0.2)) <= 4 * EPS);
  const p = pw.softmax(X);
  close(ce.grad, Array.from(p, (v, i) => v - (i === 2 ? 1 : 0)), 2 * EPS);
  // AM-softmax with cosines [0.8, 0.6, −0.2], m = 0.35, s = 30: log(1 + e^{4.5} + e^{−19.5}).
  const am = pw.loss('am-softmax', [0.8, 0.6, -0.2], 0, { margin: 0.35, scale: 30 });
  assert.ok(Math.abs(am.value - Math.log1p(Math.exp(4.5) + Math.exp(-19.5))) < 1e-13);
  assert.deepEqual(Array.from(pw.loss('am-softmax', [0.8, 0.6, -0.2], 0, { temperature: 1 / 30 }).grad), Array.from(am.grad));
  const q = pw.amSoftmax([0.8, 0.6, -0.2], 0, { margin: 0.35, scale: 30 });
  close(am.grad, Array.from(q, (v, i) => 30 * (v - (i === 0 ? 1 : 0))), 1e-13);
  const fy = pw.loss('entmax', X, 1, { alpha: 1.5 });
  assert.ok(fy.value > 0);
  const pe = pw.entmax(X);
  close(fy.grad, Array.from(pe, (v, i) => v - (i === 1 ? 1 : 0)), 2 * EPS);
  assert.throws(() => pw.loss('sparsemax', X, 5), { name: 'RangeError', message: 'loss: target must be an index in [0, 4], got 5' });
  assert.throws(() => pw.loss('sparsemax', X, 1.5), { name: 'RangeError' });
  assert.throws(() => pw.loss('taylor', X, 0), { name: 'RangeError', message: /^loss: map must have a loss of its own/ });
  assert.throws(() => pw.loss('am-softmax', X, 0, { scale: 2, temperature: 0.5 }), { name: 'RangeError', message: /not both/ });
});

test('loss kinds: −p_t, log-eps, the stop-gradient surrogate and the post\'s slip (§8.1, §8.6, §8.7)', () => {
  const n = X.length, p = pw.softmax(X), J = pw.jacobian('softmax', X);
  const negp = pw.loss('softmax', X, 0, { kind: 'neg-p' });
  assert.equal(negp.value, -p[0]);
  close(negp.grad, Array.from({ length: n }, (_, j) => -J[j]), 0);  // −J_t· with t = 0: the first row
  const le = pw.loss('softmax', X, 0, { kind: 'log-eps', epsilon: 0.1 });
  close([le.value], [Math.log1p(n * 0.1) - Math.log(p[0] + 0.1)], 4 * EPS);
  // sg(p − e_t)·x: gradient p − e_t; the post's (p − e_t)·sg(x): the same value, gradient Jᵀx, positive at the
  // argmax target, so a descent step would lower the logit it should raise.
  const fixed = pw.loss('softmax', X, 0, { kind: 'surrogate' }), slip = pw.loss('softmax', X, 0, { kind: 'surrogate-post' });
  assert.equal(fixed.value, slip.value);
  close(fixed.grad, Array.from(p, (v, i) => v - (i === 0 ? 1 : 0)), 0);
  const jtx = Array.from({ length: n }, (_, j) => X.reduce((s, xi, i) => s + J[i * n + j] * xi, 0));
  close(slip.grad, jtx, 8 * EPS);
  assert.ok(slip.grad[0] > 0 && fixed.grad[0] < 0);
  assert.throws(() => pw.loss('am-softmax', X, 0, { kind: 'neg-p' }), { name: 'RangeError', message: /^loss: map must have a Jacobian/ });
  assert.throws(() => pw.loss('softmax', X, 0, { kind: 'hinge' }), { name: 'TypeError', message: /^loss: kind must be one of 'map'/ });
  assert.throws(() => pw.loss('softmax', X, 0, { kind: 'log-eps', epsilon: 0 }), { name: 'RangeError', message: 'loss: epsilon must be a positive finite number, got 0' });
});

test('softmaxReport measures the post\'s claims by re-evaluating the maps', () => {
  const r = pw.softmaxReport('softmax', X);
  assert.equal(r.monotone, 'strict');
  assert.equal(r.shiftInvariant, true);
  assert.ok(Math.abs(r.halfJacobianL1 - r.gini) < 1e-15);
  const t = pw.softmaxReport('taylor', [-3, -1, 0.5], { order: 2 });
  assert.equal(t.monotone, 'no');
  assert.equal(t.shiftInvariant, false);
  const s = pw.softmaxReport('sparsemax', X);
  assert.equal(s.support, 2);
  assert.equal(s.monotone, 'weak');
  const g = pw.softmaxReport('perturb-gumbel', X);
  assert.equal(g.halfJacobianL1, null);
  close(g.p, pw.softmax(X), 1e-14);
});

test('special values and bad input: NaN, +Infinity, empty, wrong types; the module keeps working', () => {
  for (const fn of ['softmax', 'taylorSoftmax', 'perturbMax', 'sparsemax', 'entmax']) {
    assert.throws(() => pw[fn]([1, NaN]), { name: 'RangeError', message: `${fn}: x[1] must not be NaN, got NaN` }, fn);
    assert.throws(() => pw[fn]([]), { name: 'RangeError', message: /x must be non-empty/ }, fn);
    assert.throws(() => pw[fn]('abc'), { name: 'TypeError', message: new RegExp(`${fn}: x must be a number\\[\\]`) }, fn);
    assert.throws(() => pw[fn]([1, 'a']), { name: 'TypeError' }, fn);
  }
  for (const fn of ['softmax', 'perturbMax', 'sparsemax', 'entmax']) {
    assert.throws(() => pw[fn]([1, Infinity]), { name: 'RangeError', message: /must be finite or -Infinity, got Infinity/ }, fn);
    assert.throws(() => pw[fn]([-Infinity, -Infinity]), { name: 'RangeError', message: /at least one finite entry/ }, fn);
    const p = pw[fn]([0, -Infinity, 0]);
    assert.equal(p[1], 0, fn);
    assert.ok(Math.abs(p[0] - 0.5) < 1e-14, fn);
  }
  assert.throws(() => pw.softmax([1, 2], { temperature: 0 }), { name: 'RangeError', message: /temperature must be a positive finite number, got 0/ });
  assert.throws(() => pw.softmax([1, 2], 3), { name: 'TypeError', message: /options must be an object/ });
  assert.equal(pw.softmax([0, 0])[0], 0.5);
});

test('opts.out receives the result of every map (rows too, in place too) and is checked', () => {
  const x = Float64Array.from([0.3, -1.2, 2.5, 0.25, 0, 1, -2, 0.5]);
  const calls = [
    ['softmax', { temperature: 0.7 }], ['taylorSoftmax', { order: 4 }], ['sparseSoftmax', { k: 2 }],
    ['perturbMax', { noise: 'normal', grid: 512 }], ['sparsemax', {}], ['entmax', { alpha: 1.7 }],
  ];
  for (const [fn, o] of calls) {
    for (const cols of [undefined, 4]) {
      const fresh = pw[fn](x, { ...o, cols });
      const out = new Float64Array(x.length).fill(NaN);
      assert.equal(pw[fn](x, { ...o, cols, out }), out, `${fn}: returns out itself`);
      assert.deepEqual(out, fresh, `${fn} cols=${cols}`);
      const y = x.slice();
      assert.deepEqual(pw[fn](y, { ...o, cols, out: y }), fresh, `${fn}: in place`);
    }
    assert.throws(() => pw[fn](x, { ...o, out: new Float32Array(x.length) }), (e) => e instanceof TypeError && e.message.startsWith(`${fn}: out must be a Float64Array`));
    assert.throws(() => pw[fn](x, { ...o, out: new Float64Array(3) }), (e) => e instanceof RangeError && /length of x \(8\), got 3/.test(e.message));
  }
});

test('the perturbMaxRows Worker task reports progress and returns exactly pw.perturbMax row-wise', async () => {
  const x = Float64Array.from({ length: 120 * 6 }, (_, i) => Math.sin(i * 1.7) * 2);
  const it = tasks.perturbMaxRows(pw, x, { cols: 6, noise: 'normal', grid: 128 });
  const seen = [];
  let step;
  while (!(step = await it.next()).done) seen.push(step.value);
  assert.equal(seen.at(-1).done, 120);
  assert.ok(seen.length > 1 && seen.every((p, i) => i === 0 || p.done > seen[i - 1].done));
  assert.deepEqual(Array.from(step.value), Array.from(pw.perturbMax(x, { cols: 6, noise: 'normal', grid: 128 })));
  await assert.rejects(async () => { for await (const _ of tasks.perturbMaxRows(pw, x, {})) { /* drain */ } }, { name: 'RangeError', message: /cols is required/ });
});

// ---- float32 end to end (DESIGN.md "dtype follows the input") -------------------------------------------------

const F32 = 2 ** -23; // one float ulp of 1
function normals(n, seed = 1, scale = 1) {
  let s = seed >>> 0;
  const u = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 4294967296; };
  return Float32Array.from({ length: n }, () => scale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

test('a Float32Array in gives a Float32Array out for every map, rows included, close to the float64 path', () => {
  const calls = [
    ['softmax', {}], ['softmax', { temperature: 0.7 }], ['taylorSoftmax', { order: 4 }], ['sparseSoftmax', { k: 3 }],
    ['sparseSoftmax', { p: 0.9 }], ['perturbMax', { grid: 256 }], ['sparsemax', {}], ['entmax', {}],
    ['entmax', { alpha: 1.3 }], ['entmax', { alpha: 1 }],
  ];
  const xf = normals(64, 5, 2), xd = Float64Array.from(xf);
  for (const [fn, o] of calls) {
    for (const cols of [undefined, 8]) {
      const pf = pw[fn](xf, { ...o, cols }), pd = pw[fn](xd, { ...o, cols });
      assert.ok(pf instanceof Float32Array, `${fn}: Float32Array`);
      assert.ok(pd instanceof Float64Array, `${fn}: Float64Array`);
      // every map's float result is within a few ulps of 1 (its largest possible entry) of the double one
      close(pf, pd, 16 * F32 * 3, `${fn} ${JSON.stringify(o)} cols=${cols}`);
      const rows = cols ? xf.length / cols : 1, n = cols ?? xf.length;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += pf[r * n + i];
        assert.ok(Math.abs(s - 1) <= 2 * F32 * Math.max(1, Math.log2(n)), `${fn}: row ${r} sums to ${s}`);
      }
      const out = new Float32Array(xf.length);
      assert.equal(pw[fn](xf, { ...o, cols, out }), out);
      assert.deepEqual(out, pf);
    }
    assert.throws(() => pw[fn](xf, { ...o, out: new Float64Array(xf.length) }),
      (e) => e instanceof TypeError && e.message.startsWith(`${fn}: out must be a Float32Array`));
  }
  const lf = pw.logsumexp(xf), ld = pw.logsumexp(xd);
  assert.equal(lf, Math.fround(lf), 'logsumexp of a Float32Array is a float32 value');
  assert.ok(Math.abs(lf - ld) <= 4 * F32 * Math.max(1, Math.abs(ld)));
});

test('float32 softmax at 1e6 sums to 1 within a few float ulps times log n; special values as in float64', () => {
  const x = normals(1e6, 9, 3), p = pw.softmax(x);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i];
  assert.ok(Math.abs(s - 1) <= 2 * F32 * Math.log2(1e6), `sum ${s}`);
  const m = pw.softmax(new Float32Array([1, -Infinity, 0.5]));
  assert.equal(m[1], 0);
  assert.throws(() => pw.softmax(new Float32Array([1, NaN])), { name: 'RangeError', message: 'softmax: x[1] must not be NaN, got NaN' });
  assert.throws(() => pw.sparsemax(new Float32Array([1, Infinity])), { name: 'RangeError', message: /^sparsemax: x\[1\] must be finite or -Infinity/ });
  assert.throws(() => pw.entmax(new Float32Array(0)), { name: 'RangeError', message: /^entmax: x must be non-empty/ });
  assert.equal(pw.logsumexp(new Float32Array([-Infinity, -Infinity])), -Infinity);
});

test('number[] and Float64Array give bit-identical float64 results', () => {
  const x = Array.from(normals(1000, 2, 4));
  for (const fn of ['softmax', 'sparsemax', 'entmax', 'taylorSoftmax']) {
    assert.deepEqual(pw[fn](x), pw[fn](Float64Array.from(x)), fn);
    assert.deepEqual(pw[fn](x, { cols: 8 }), pw[fn](Float64Array.from(x), { cols: 8 }), `${fn} rows`);
  }
  assert.equal(pw.logsumexp(x), pw.logsumexp(Float64Array.from(x)));
});

test('wasm memory growth in the middle of a call sequence leaves no stale view and no detached result', () => {
  const small = normals(100, 3), ref = pw.softmax(small), refd = pw.sparsemax(Float64Array.from(small));
  // 3e6 doubles: a 48 MB scratch block (memory starts at 32 MB, so malloc grows it), then sparseSoftmax's
  // index workspace is allocated inside the call, which can grow memory between the copy in and the copy out.
  const n = 3e6, big = new Float64Array(n);
  for (let i = 0; i < n; i++) big[i] = Math.sin(i * 0.37) * 5;
  big[123] = 9; big[456] = 8.5;
  const p = pw.sparseSoftmax(big, { k: 2 });
  const e = Math.exp(-0.5);
  assert.ok(Math.abs(p[123] - 1 / (1 + e)) <= 4 * EPS && Math.abs(p[456] - e / (1 + e)) <= 4 * EPS);
  assert.equal(p.length, n);
  assert.equal(ref.length, 100, 'an earlier result is not a view into wasm memory');
  assert.deepEqual(pw.softmax(small), ref);
  assert.deepEqual(pw.sparsemax(Float64Array.from(small)), refd);
  const f = pw.entmax(normals(5e6, 4)); // float32 growth too
  assert.equal(f.length, 5e6);
  assert.deepEqual(pw.softmax(small), ref);
});

// ---- validation of the facade (issue 12: closed options, integers, extreme scales, named messages) -----------

test('option objects are closed: an unknown key is a TypeError naming it and the allowed keys', () => {
  const cases = [
    [() => pw.softmax([1, 2], { temprature: 1 }), 'softmax', 'temprature'],
    [() => pw.sparsemax([1, 2], { alpha: 2 }), 'sparsemax', 'alpha'],
    [() => pw.entmax([1, 2], { Alpha: 2 }), 'entmax', 'Alpha'],
    [() => pw.taylorSoftmax([1, 2], { k: 2 }), 'taylorSoftmax', 'k'],
    [() => pw.sparseSoftmax([1, 2], { top: 2 }), 'sparseSoftmax', 'top'],
    [() => pw.perturbMax([1, 2], { seed: 1 }), 'perturbMax', 'seed'],
    [() => pw.amSoftmax([1, 2], 0, { marg: 1 }), 'amSoftmax', 'marg'],
    [() => pw.jacobian('softmax', [1, 2], { temp: 1 }), 'jacobian', 'temp'],
    [() => pw.loss('softmax', [1, 2], 0, { target: 1 }), 'loss', 'target'],
    [() => pw.softmaxReport('softmax', [1, 2], { targte: 0 }), 'softmaxReport', 'targte'],
  ];
  for (const [call, fn, key] of cases) {
    assert.throws(call, (e) => e instanceof TypeError && e.message.startsWith(`${fn}: unknown options key "${key}"; allowed: `), `${fn} ${key}`);
  }
  assert.throws(() => pw.softmax([1, 2], { temprature: 1 }), { message: 'softmax: unknown options key "temprature"; allowed: temperature, cols, out' });
});

test('integer options must be integers: a fraction is a RangeError naming the function and the option', () => {
  const cases = [
    [() => pw.taylorSoftmax([1, 2], { order: 2.5 }), 'taylorSoftmax', 'order'],
    [() => pw.sparseSoftmax([1, 2], { k: 1.5 }), 'sparseSoftmax', 'k'],
    [() => pw.perturbMax([1, 2], { grid: 64.5 }), 'perturbMax', 'grid'],
    [() => pw.softmax([1, 2, 3, 4], { cols: 2.5 }), 'softmax', 'cols'],
    [() => pw.amSoftmax([1, 2], 0.5), 'amSoftmax', 'target'],
    [() => pw.loss('softmax', [1, 2], 1.5), 'loss', 'target'],
    [() => pw.softmaxReport('softmax', [1, 2], { grid: 1e10 }), 'softmaxReport', 'grid'],
  ];
  for (const [call, fn, name] of cases) {
    assert.throws(call, (e) => e instanceof RangeError && e.message.startsWith(`${fn}: ${name} must be an integer`), `${fn} ${name}`);
  }
});

test('extreme scales: temperature 5e-324 gives the argmax distribution and AM-softmax at ±1e308 is not NaN', () => {
  assert.deepEqual(Array.from(pw.softmax([1, 3, -2, 2.5], { temperature: 5e-324 })), [0, 1, 0, 0]);
  assert.deepEqual(Array.from(pw.softmax([1, 3, -2, 3], { temperature: 5e-324 })), [0, 0.5, 0, 0.5]); // ties share
  assert.deepEqual(Array.from(pw.softmax(new Float32Array([1, 3, -2, 2.5]), { temperature: 1e-40 })), [0, 1, 0, 0]);
  assert.deepEqual(Array.from(pw.softmax([1, 3, 0, 0, 5, 4], { temperature: 5e-324, cols: 3 })), [0, 1, 0, 0, 1, 0]);
  assert.deepEqual(Array.from(pw.amSoftmax([1e308, -1e308], 0, { margin: 0 })), [1, 0]);
  assert.deepEqual(Array.from(pw.amSoftmax([1e308, -1e308], 1)), [1, 0]);
});

test('every softmax-family message names the public function and the parameter', () => {
  const cases = [
    [() => pw.softmax([1, 2], { temperature: -1 }), /^softmax: temperature must/],
    [() => pw.taylorSoftmax([1, 2], { order: 3 }), /^taylorSoftmax: order must/],
    [() => pw.sparseSoftmax([1, 2], { k: 5 }), /^sparseSoftmax: k must/],
    [() => pw.sparseSoftmax([1, 2], { p: 2 }), /^sparseSoftmax: p must/],
    [() => pw.perturbMax([1, 2], { grid: 0 }), /^perturbMax: grid must/],
    [() => pw.entmax([1, 2], { alpha: 0.5 }), /^entmax: alpha must/],
    [() => pw.sparsemax([1, 2, 3], { cols: 2 }), /^sparsemax: cols must/],
    [() => pw.amSoftmax([1, 2], 0, { margin: -1 }), /^amSoftmax: margin must/],
    [() => pw.amSoftmax([1, 2], 0, { scale: 0 }), /^amSoftmax: scale must/],
    [() => pw.amSoftmax([1, 2], 5), /^amSoftmax: target must/],
    [() => pw.logsumexp([]), /^logsumexp: x must/],
    [() => pw.logsumexp('ab'), /^logsumexp: x must/],
    [() => pw.entmax([1, 'a']), /^entmax: x\[1\] must/],
    [() => pw.softmaxReport('am-softmax', [1, 2], { target: 7 }), /^softmaxReport: target must/],
    [() => pw.softmaxReport('softmax', []), /^softmaxReport: x must/],
  ];
  for (const [call, re] of cases) assert.throws(call, (e) => (e instanceof RangeError || e instanceof TypeError) && re.test(e.message), String(re));
});

test('softmaxReport gives the threshold λ of sparsemax and entmax (post 8 §8.6, §8.7), null for the others', () => {
  // sparsemax of post 8 §8.9's x: support {1, 0.5}, λ = (1 + 0.5 − 1)/2 = 1/4; then p = relu(x − λ) exactly.
  const r = pw.softmaxReport('sparsemax', X);
  assert.ok(Math.abs(r.threshold - 0.25) <= 4 * EPS);
  close(r.p, X.map((v) => Math.max(v - r.threshold, 0)), 4 * EPS);
  // entmax-1.5 at [3, 1, 0]: z = x/2, support {1.5}, λ = 0.5 (the tie at z = 0.5 stays out).
  assert.equal(pw.softmaxReport('entmax', [3, 1, 0], { alpha: 1.5 }).threshold, 0.5);
  assert.equal(pw.softmaxReport('softmax', X).threshold, null);
});

test('load() without options shares one instance', async () => {
  assert.equal(await load(), pw);
});

test('softmax computed in place in wasm memory leaves x untouched and equals the row-by-row result', () => {
  // The facade runs softmax over x's copy in wasm memory in place (half the memory touched at 1e6 entries);
  // the caller's x never changes, and each row's result is that row's own softmax, for both dtypes.
  for (const T of [Float64Array, Float32Array]) {
    for (const [n, cols] of [[1000, undefined], [8 * 125, 8], [1000 * 3, 1000], [63 * 4, 63]]) {
      const x = new T(n);
      for (let i = 0; i < n; i++) x[i] = Math.sin(1.7 * i) * 6 - (i % 5 === 0 ? 30 : 0);
      const copy = x.slice();
      const all = pw.softmax(x, { cols, temperature: 0.7 });
      assert.deepEqual(x, copy, `${T.name} x unchanged`);
      assert.ok(all instanceof T);
      assert.equal(all.buffer.byteLength, all.byteLength, 'a fresh result owns its buffer (not a view into wasm memory)');
      const c = cols ?? n;
      for (let a = 0; a < n; a += c) {
        const row = pw.softmax(x.subarray(a, a + c), { temperature: 0.7 });
        for (let i = 0; i < c; i++) assert.equal(all[a + i], row[i], `${T.name} n=${n} cols=${cols} [${a + i}]`);
      }
      const out = new T(n);
      assert.equal(pw.softmax(x, { cols, temperature: 0.7, out }), out);
      assert.deepEqual(out, all);
      // the scratch block is shared: a call of another map in between changes nothing
      pw.sparsemax(x, { cols });
      assert.deepEqual(pw.softmax(x, { cols, temperature: 0.7 }), all);
    }
  }
});
