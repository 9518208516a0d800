import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, tasks } from 'probwasm';

const pw = await load();

test('loraRatios gives Su\'s (n/m)·√(n/r), the paper\'s Θ(n) and LoRA+\'s default 16', () => {
  assert.deepEqual(pw.loraRatios(64, 64, 4), { su: 4, paper: 16, loraPlusDefault: 16 });
  // LoRA+'s widths (post 7 §7.5): r = 8, n = m = 768 … 4096 → √96 … √512, straddling 16.
  assert.equal(pw.loraRatios(768, 768, 8).su, Math.sqrt(96));
  assert.ok(Math.abs(pw.loraRatios(4096, 4096, 8).su - 16 * Math.SQRT2) <= 2 * Number.EPSILON * 23);
  assert.equal(pw.loraRatios(128, 64, 2).su, 16);
});

test('bad arguments throw RangeError/TypeError naming function, parameter and value; the module keeps working', () => {
  assert.throws(() => pw.loraRatios(8, 4, 5), { name: 'RangeError', message: 'loraRatios: r must be at most min(n, m) = 4, got 5' });
  assert.throws(() => pw.loraRatios('8', 4, 1), { name: 'TypeError', message: /loraRatios: n must be a number, got "8"/ });
  assert.throws(() => pw.loraTrain({ lrA: -1 }), { name: 'RangeError', message: 'loraTrain: lrA must be a positive finite number, got -1' });
  assert.throws(() => pw.loraTrain({ init: 'A' }), { name: 'TypeError', message: /loraTrain: init must be one of 'A0', 'B0', got "A"/ });
  assert.throws(() => pw.loraTrain({ n: 2.5 }), { name: 'RangeError', message: /loraTrain: n must be an integer/ });
  assert.throws(() => pw.loraSweep({ ratios: [2, 1] }), { name: 'RangeError', message: 'loraSweep: ratios[1] must be greater than the previous entry, got 1' });
  assert.throws(() => pw.loraSweep({ widths: [16, 1] }), { name: 'RangeError', message: /loraSweep: widths\[1\] must be at least r = 2/ });
  assert.throws(() => pw.loraBestRatio([1, 2], [1]), { name: 'RangeError', message: /losses must have the length of ratios/ });
  assert.equal(pw.loraRatios(64, 64, 4).su, 4);
});

test('fractional widths and ranks, unknown keys and keys a sweep sets itself are errors (issue 12)', () => {
  assert.throws(() => pw.loraRatios(64, 64, 1.5), { name: 'RangeError', message: /^loraRatios: r must be an integer in \[1, 9007199254740991\], got 1.5/ });
  assert.throws(() => pw.loraTrain({ stpes: 5 }), { name: 'TypeError', message: /^loraTrain: unknown options key "stpes"; allowed: model, / });
  assert.throws(() => pw.loraSweep({ n: 64 }), { name: 'TypeError', message: /^loraSweep: unknown options key "n"/ });
  assert.throws(() => pw.loraTrain({ k: 0 }), { name: 'RangeError', message: /^loraTrain: k must be an integer in \[1, 1024\], got 0/ });
  assert.throws(() => pw.loraSweepCell({ ratios: [2, 1] }, 16, 2), { name: 'RangeError', message: /^loraSweepCell: ratios\[1\] must be greater/ });
  assert.throws(() => pw.loraSummarize({ widths: [16], ratios: [1, 2] }, [1, NaN], [1e-3, 1e-3]), { name: 'RangeError', message: /^loraSummarize: loss\[1\] must be >= 0/ });
});

test('loraTrain: steps + 1 losses, deterministic per seed, decreasing, fresh Float64Array', () => {
  const a = pw.loraTrain({ n: 16, steps: 100, ratio: 8, seed: 3 });
  const b = pw.loraTrain({ n: 16, steps: 100, ratio: 8, seed: 3 });
  const c = pw.loraTrain({ n: 16, steps: 100, ratio: 8, seed: 4 });
  assert.ok(a.loss instanceof Float64Array);
  assert.equal(a.loss.length, 101);
  assert.deepEqual(a.loss, b.loss);
  assert.notDeepEqual(a.loss, c.loss);
  assert.ok(a.loss[100] < 0.5 * a.loss[0]);
  // §7.4's per-step first-order terms: with B = 0 at the start, ∂A = Xᵀ G Bᵀ = 0 exactly, so A's term is 0 at step 1.
  assert.ok(a.contribA instanceof Float64Array && a.contribB instanceof Float64Array);
  assert.equal(a.contribA.length, 100);
  assert.equal(a.contribA[0], 0);
  assert.ok(a.contribB[0] > 0 && a.contribA[99] > 0);  // measured 0.90 → 0.13 with these settings (default B = 0, Adam)
  // finalLoss: the mean of the last ⌈100/10⌉ + 1 = 11 values (core's definition), recomputed here only as a check.
  const tail = Array.from(a.loss.slice(90));
  assert.ok(Math.abs(a.finalLoss - tail.reduce((s, v) => s + v) / 11) <= 16 * Number.EPSILON * a.finalLoss);
});

test('the Worker task yields one progress per cell and returns exactly what loraSweep returns', async () => {
  const opts = { widths: [8, 16], ratios: [1, 4, 16], lrs: [3e-3], steps: 30, batch: 32, optimizer: 'signsgd', init: 'B0', seed: 9 };
  const direct = pw.loraSweep(opts);
  const it = tasks.loraSweep(pw, opts);
  const progress = [];
  let step;
  while (!(step = await it.next()).done) progress.push(step.value);
  assert.equal(progress.length, 6);
  assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4, 5, 6]);
  assert.equal(progress[5].total, 6);
  assert.deepEqual(step.value, direct);
  assert.equal(direct.loss.length, 6);
  assert.equal(direct.best.length, 2);
  assert.ok(Number.isFinite(direct.slope));
  // A bad config fails before any cell runs.
  await assert.rejects(tasks.loraSweep(pw, { lrs: [] }).next(), { name: 'RangeError', message: /lrs must have 1 to 64 entries/ });
});

test('the default sweep puts the best λ above 1 at every width (post 7 §7.1), in a few seconds at most', () => {
  const r = pw.loraSweep({});
  assert.deepEqual(Array.from(r.widths), [16, 32, 64]);
  for (const b of r.best) assert.ok(b > 1, `best λ ${b}`);
  const fit = pw.loraLogLogFit(r.widths, r.best);
  assert.equal(fit.slope, r.slope);
});

// ---- §7.4's scale argument, measured: what <pw-lora> shows at its defaults ----

test('the equal-contribution ratio ‖∂A‖₁/‖∂B‖₁ is n/√(m r): Su\'s (n/m)√(n/r) for m = n, half of it for n = 4m', () => {
  // Independent value: the entries of ∂A = Xᵀ(GBᵀ) have scale √(b m/r), those of ∂B = (XA)ᵀG scale √b, and
  // ∂A has n r of them, ∂B m r: the ratio is n√(m/r)/m = n/√(m r) (to 1/(4 min(n, m)), the χ-norm bias).
  const p = pw.loraGradientScale({ n: 1024, m: 256, r: 8, seeds: 32 });
  const law = 1024 / Math.sqrt(256 * 8), su = 4 * Math.sqrt(128);
  assert.ok(Math.abs(p.law - law) <= 2 * Number.EPSILON * law);
  assert.ok(Math.abs(p.su - su) <= 2 * Number.EPSILON * su);
  assert.ok(Math.abs(p.mean - law) <= 4 * p.sem + law / 1024, `measured ${p.mean} ± ${p.sem}, law ${law}`);
  assert.ok(Math.abs(p.mean - su) > 20 * p.sem, `measured ${p.mean} vs Su ${su}`);  // 22.6 vs 45.3
  const q = pw.loraGradientScale({ n: 512, r: 8, seeds: 32 });  // m = n
  assert.ok(Math.abs(q.mean - Math.sqrt(64)) <= 4 * q.sem, `${q.mean} ± ${q.sem} vs 8`);
  assert.equal(pw.loraGradientRatioLaw(1024, 256, 8), p.law);
});

test('with m = n the headline slope of log λ against log n is ½ (Su) within its error bar, not 1 (the paper)', async () => {
  const widths = [64, 128, 256, 512, 1024, 2048, 4096];
  const it = tasks.loraGradientScaleSweep(pw, widths, { r: 8, seeds: 8 });
  let step, n = 0;
  while (!(step = await it.next()).done) n++;
  assert.equal(n, widths.length);
  const s = step.value;
  // What the widget prints: slope ± 2 s.e.; the independent law is the exponent ½ of √(n/r).
  assert.ok(Math.abs(s.slope - 0.5) <= 4 * s.slopeSem, `slope ${s.slope} ± ${s.slopeSem}`);
  assert.ok(Math.abs(s.slope - 1) > 10 * s.slopeSem);
  assert.ok(s.slopeSem > 0 && s.slopeSem < 0.05);
  // The task is loraGradientScaleSweep computed one width at a time: the same numbers.
  const direct = pw.loraGradientScaleSweep(widths, { r: 8, seeds: 8 });
  assert.equal(s.slope, direct.slope);
  assert.deepEqual(s.slopes, direct.slopes);
  // Each width's mean against √(n/r), within 4 s.e. plus the χ-norm bias (cancels at m = n: none).
  for (const [i, p] of direct.points.entries()) assert.ok(Math.abs(p.mean - Math.sqrt(widths[i] / 8)) <= 4 * p.sem + 1e-9, `n=${widths[i]}: ${p.mean} ± ${p.sem}`);
  assert.throws(() => pw.loraGradientScaleSweep([64, 32]), { name: 'RangeError', message: /widths\[1\] must be greater than the previous entry, got 32/ });
  assert.throws(() => pw.loraGradientScale({ seeds: 1 }), { name: 'RangeError' });
  assert.throws(() => pw.loraGradientScale({ n: 64, bogus: 1 }), { name: 'TypeError', message: /bogus/ });
});

test('LoRA+\'s default 16 lies inside √(n/r) over n = 768…4096 at r = 8 (post 7 §7.5)', () => {
  const lo = pw.loraRatios(768, 768, 8).su, hi = pw.loraRatios(4096, 4096, 8).su;
  assert.ok(Math.abs(lo - Math.sqrt(96)) <= 2 * Number.EPSILON * lo && Math.abs(hi - Math.sqrt(512)) <= 2 * Number.EPSILON * hi);
  assert.ok(lo < 16 && 16 < hi);
});
