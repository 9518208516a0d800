import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, tasks } from 'probwasm';

const pw = await load();
const TURN = 2 * Math.PI;
const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

test('the four ducks: P_4(π) = 1/2 as a double and as an exact fraction', () => {
  assert.equal(pw.sectorProbability(4, Math.PI), 0.5);
  assert.equal(pw.sectorComplement(4, Math.PI), 0.5);
  assert.deepEqual(pw.sectorProbabilityExact(4, 1, 2), { numerator: '1', denominator: '2' });
});

test('POSTS §5.4 table values and decimals', () => {
  assert.deepEqual(pw.sectorProbabilityExact(6, 5, 6), { numerator: '1', denominator: '1' });
  assert.deepEqual(pw.sectorProbabilityExact(6, 2, 3), { numerator: '59', denominator: '81' });
  assert.deepEqual(pw.sectorProbabilityExact(5, 3, 4), { numerator: '255', denominator: '256' });
  // n = 7 and 10 decimals from the post (θ = 4π/3, 3π/2, 5π/3; 7π/4)
  assert.ok(Math.abs(pw.sectorProbability(7, (4 * Math.PI) / 3) - 0.5857338820) < 1e-10);
  assert.ok(Math.abs(pw.sectorProbability(7, (3 * Math.PI) / 2) - 0.9262695312) < 1e-10);
  assert.ok(Math.abs(pw.sectorProbability(7, (5 * Math.PI) / 3) - 0.9999785665) < 1e-10);
  assert.ok(Math.abs(pw.sectorProbability(10, (7 * Math.PI) / 4) - 0.99999626) < 1e-8);
});

test('double and exact agree where θ is an exact double (θ/2π = 3/4, n = 1000: P ≈ 1.5e-122)', () => {
  const f = pw.sectorProbabilityExact(1000, 3, 4);
  const num = BigInt(f.numerator), den = BigInt(f.denominator);
  // num/den to 20 significant digits with BigInt, then scaled by a power of ten (one rounding)
  const shift = f.denominator.length - f.numerator.length + 20;
  const ratio = Number((num * 10n ** BigInt(shift)) / den) * 10 ** -shift;
  const p = pw.sectorProbability(1000, 0.75 * TURN);
  assert.ok(rel(p, ratio) < 1e-13, `${p} vs ${ratio}`);
  assert.ok(rel(p, 1.5353313868331025e-122) < 1e-13);  // mpmath (tests/sector/reference.py)
  assert.equal(pw.sectorComplement(1000, 0.75 * TURN), 1);
});

test('1 − P stays exact far below 1e-16 and P + (1 − P) = 1', () => {
  // n = 1000, x = 2/n: 1 − P = 9.419881189875314e-134 (mpmath, tests/sector/reference.py)
  const q = pw.sectorComplement(1000, 6.270618936565227);
  assert.ok(rel(q, 9.419881189875314e-134) < 1e-13, String(q));
  assert.equal(pw.sectorProbability(1000, 6.270618936565227), 1);
  for (const t of [0.5, 2, 3.5, 5, 6, 6.27]) {
    const s = pw.sectorEvaluate(300, t);
    assert.ok(Math.abs(s.probability + s.complement - 1) <= 2 * Number.EPSILON);
  }
  // Wendel's theorem
  for (const k of [3, 10, 100]) assert.ok(rel(pw.sectorProbability(k, Math.PI), pw.sectorWendel(k)) <= 4 * Number.EPSILON);
});

test('Monte Carlo lies within 4 standard errors and repeats with the same seed', () => {
  const r = pw.sectorMonteCarlo(5, 1.5 * Math.PI, { trials: 100000, seed: 42 });
  assert.equal(r.trials, 100000);
  assert.ok(Math.abs(r.estimate - 255 / 256) <= 4 * r.stderr + 1e-12, JSON.stringify(r));
  assert.deepEqual(pw.sectorMonteCarlo(5, 1.5 * Math.PI, { trials: 1000, seed: 42 }), pw.sectorMonteCarlo(5, 1.5 * Math.PI, { trials: 1000, seed: 42 }));
  // the stream is pinned: these are the same numbers in every browser and in node
  const pts = pw.sectorSamplePoints(2, { seed: 7 });
  assert.ok(pts instanceof Float64Array && pts.length === 4);
  assert.deepEqual(Array.from(pw.sectorSamplePoints(2, { seed: 7 })), Array.from(pts));
});

test('the Worker task returns Monte Carlo points with progress', async () => {
  const it = tasks.sectorMonteCarloCurve(pw, 4, [Math.PI, 1.5 * Math.PI], { trials: 2000, seed: 3 });
  const steps = [];
  let s;
  while (!(s = await it.next()).done) steps.push(s.value);
  assert.deepEqual(steps, [{ done: 1, total: 2 }, { done: 2, total: 2 }]);
  assert.equal(s.value.length, 2);
  assert.equal(s.value[0].estimate, pw.sectorMonteCarlo(4, Math.PI, { trials: 2000, seed: 3 }).estimate);
});

test('covering sector, curve, breakpoints, largest gap', () => {
  const c = pw.sectorCoveringSector([1, 0, 0, 1]);
  assert.ok(rel(c.angle, Math.PI / 2) <= 2 * Number.EPSILON);
  const curve = pw.sectorCurve(4, [Math.PI, TURN]);
  assert.deepEqual(Array.from(curve.probability), [0.5, 1]);
  assert.equal(pw.sectorBreakpoints(4).length, 2);
  const g = pw.sectorLargestGap(5, 0.25);
  assert.ok(rel(g.exceed, 255 / 256) <= 4 * Number.EPSILON);
  assert.ok(rel(pw.sectorLargestGapMean(2), 0.75) <= Number.EPSILON);
});

test('bad arguments throw RangeError/TypeError naming function, parameter and value; the module keeps working', () => {
  assert.throws(() => pw.sectorProbability(0, 1), { name: 'RangeError', message: 'sectorProbability: n must be a positive integer, got 0' });
  assert.throws(() => pw.sectorProbability(2.5, 1), { name: 'RangeError', message: /sectorProbability: n must be an integer, got 2.5/ });
  assert.throws(() => pw.sectorComplement(3, 0), { name: 'RangeError', message: /sectorComplement: theta must be in \(0, 2π\] radians, got 0/ });
  assert.throws(() => pw.sectorProbability(3, -1), { name: 'RangeError', message: /got -1/ });
  assert.throws(() => pw.sectorProbability(3, 7), { name: 'RangeError', message: /theta .* got 7/ });
  assert.throws(() => pw.sectorProbability(3, NaN), { name: 'RangeError', message: /got NaN/ });
  assert.throws(() => pw.sectorProbability('3', 1), { name: 'TypeError', message: /sectorProbability: n must be a number/ });
  assert.throws(() => pw.sectorProbabilityExact(3, 1, 0), { name: 'RangeError', message: /sectorProbabilityExact: den must be a positive integer, got 0/ });
  assert.throws(() => pw.sectorMonteCarlo(3, 1, { trials: 0 }), { name: 'RangeError', message: /sectorMonteCarlo: trials must be a positive integer, got 0/ });
  assert.throws(() => pw.sectorMonteCarlo(3, 1, { trials: 10, seed: -1 }), { name: 'RangeError', message: /seed/ });
  assert.equal(pw.sectorProbability(4, Math.PI), 0.5);
});

test('every accepted n gives P and 1 − P in [0, 1] summing to 1; beyond the stated bound 2^52 a RangeError', () => {
  // issue 12: sectorProbability(5225686709463028, 6.28) was −7.2e7
  assert.throws(() => pw.sectorProbability(5225686709463028, 6.28), { name: 'RangeError', message: /^sectorProbability: n must be at most 2\^52 = 4503599627370496/ });
  assert.throws(() => pw.sectorComplement(2 ** 52 + 1, 4), { name: 'RangeError', message: /^sectorComplement: n must be at most 2\^52/ });
  assert.throws(() => pw.sectorEvaluate(2 ** 53, 4), { name: 'RangeError', message: /^sectorEvaluate: n/ });
  for (const n of [2 ** 52, 2 ** 52 - 1, 4e15, 2 ** 40, 2 ** 32 + 3]) {
    for (const theta of [0.5, 3, Math.PI, 3.2, 4, 5, 6, 6.28, 2 * Math.PI * (1 - 30 / n)]) {
      const s = pw.sectorEvaluate(n, theta);
      assert.ok(s.probability >= 0 && s.probability <= 1 && s.complement >= 0 && s.complement <= 1, `${n}, ${theta}: ${JSON.stringify(s)}`);
      assert.ok(Math.abs(s.probability + s.complement - 1) <= 2 ** -52, `${n}, ${theta}: ${JSON.stringify(s)}`);
      assert.equal(pw.sectorProbability(n, theta), s.probability);
    }
  }
});

test('sectorMonteCarlo checks sizes before allocating and caps its work; option objects are closed', () => {
  // 2^32 + 3 points would have been read as 3 by a 32-bit size
  assert.throws(() => pw.sectorMonteCarlo(2 ** 32 + 3, 3, { trials: 1 }), { name: 'RangeError', message: /^sectorMonteCarlo: n must be at most 1e7/ });
  assert.throws(() => pw.sectorMonteCarlo(100, 3, { trials: 1e8 }), { name: 'RangeError', message: /^sectorMonteCarlo: n × trials must be at most the work cap 1e9 .*, got 10000000000$/ });
  assert.throws(() => pw.sectorMonteCarlo(4, 3, { trials: 5.5 }), { name: 'RangeError', message: /^sectorMonteCarlo: trials must be an integer, got 5.5/ });
  assert.throws(() => pw.sectorMonteCarlo(4, 3, { Seed: 2 }), { name: 'TypeError', message: 'sectorMonteCarlo: unknown options key "Seed"; allowed: trials, seed' });
  assert.throws(() => pw.sectorSamplePoints(4, { sed: 2 }), { name: 'TypeError', message: /^sectorSamplePoints: unknown options key "sed"; allowed: seed$/ });
  assert.throws(() => pw.sectorCoveringSector([]), { name: 'RangeError', message: /^sectorCoveringSector: points must hold at least one point/ });
  assert.throws(() => pw.sectorCurve(5, [1, 2, 0]), { name: 'RangeError', message: /^sectorCurve: thetas\[2\] must be in \(0, 2π\] radians, got 0/ });
  assert.deepEqual(pw.sectorMonteCarlo(5, 3, { trials: 500, seed: 3 }), pw.sectorMonteCarlo(5, 3, { trials: 500, seed: 3 }));
});
