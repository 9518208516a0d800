// What <pw-ddim> shows at its defaults (post 4), each number against an independent value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, tasks } from 'probwasm';

const pw = await load();

async function drain(it) {
  let step;
  while (!(step = await it.next()).done);
  return step.value;
}

test('the default panels (grid, 10 steps, 600 points): DDIM η = 0 beats DDPM beyond 2 s.e. over 6 seeds (post 4 §4.5)', async () => {
  const grid = pw.diffusionPreset('grid');
  const r = await drain(tasks.diffusionSeedCompare(pw, { model: grid, target: grid, runs: [{ sampler: 'ddim', eta: 0 }, { sampler: 'ddpm', eta: 0 }],
    scheduler: { betaSchedule: 'linear', timestepSpacing: 'leading', clipSample: false }, steps: 10, count: 600, seeds: 6, seed: 1 }));
  for (const run of r.runs) {
    // mean and standard error recomputed here from the per-seed values
    const m = run.sw.reduce((a, b) => a + b) / run.sw.length;
    const sd = Math.sqrt(run.sw.reduce((a, b) => a + (b - m) ** 2, 0) / (run.sw.length - 1));
    assert.ok(Math.abs(run.mean - m) <= 8 * Number.EPSILON * m);
    assert.ok(Math.abs(run.sem - sd / Math.sqrt(6)) <= 1e-12);
  }
  const [ddim, ddpm] = r.runs;
  assert.ok(ddim.mean + 2 * ddim.sem < ddpm.mean - 2 * ddpm.sem, `DDIM ${ddim.mean} ± ${ddim.sem} vs DDPM ${ddpm.mean} ± ${ddpm.sem}`);
});

test('the worked schedule: exact Π√(1 − 0.02k/T) < bound e^{−0.005t(t+1)/T} < e^{−5t²/T²}, with the §4.7 values', () => {
  const c = pw.suScheduleCompare(1000);
  // Independent: the product in log space here, and the §4.7 table (6 digits).
  let log = 0;
  for (let t = 1; t <= 1000; t++) {
    log += 0.5 * Math.log1p(-0.02 * t / 1000);
    assert.ok(Math.abs(c.exact[t] - Math.exp(log)) <= 1e-12 * Math.exp(log) + 1e-15, `t=${t}`);
    assert.ok(c.exact[t] < c.bound[t] && c.bound[t] < c.approx[t], `t=${t}`);
  }
  for (const [t, e, a, b] of [[100, 0.950722, 0.951229, 0.950754], [500, 0.284592, 0.286505, 0.285789], [1000, 0.00648203, 0.00673795, 0.00670434]]) {
    assert.equal(Number(c.exact[t].toPrecision(6)), e);
    assert.equal(Number(c.approx[t].toPrecision(6)), a);
    assert.equal(Number(c.bound[t].toPrecision(6)), b);
  }
});

test('Su\'s two bounded-time ODEs carry N(0, 1) onto N(μ, s²) along the exact affine flow of Gaussian data', () => {
  const mu = 2, s = 0.5;
  const model = pw.gaussianMixture({ weights: [1], means: [mu], stds: [s] });
  try {
    const xT = [-1.5, 0, 0.7, 2];
    for (const [time, a1] of [['linear', Math.exp(-5)], ['quadratic', Math.exp(-5)]]) {
      // x(0) = μ + s/σ(1)·(x(1) − ᾱ(1)μ), σ(1)² = ᾱ(1)²s² + 1 − ᾱ(1)² (ᾱ(1) = e^{−5} for both time variables).
      const sig1 = Math.sqrt(a1 * a1 * s * s + 1 - a1 * a1);
      const x = pw.suOdeSample(xT, { model, time, steps: 200, method: 'heun' });
      const x50 = pw.suOdeSample(xT, { model, time, steps: 50, method: 'heun' });
      let e200 = 0, e50 = 0;
      xT.forEach((v, i) => {
        const exact = mu + (s / sig1) * (v - a1 * mu);
        e200 = Math.max(e200, Math.abs(x[i] - exact));
        e50 = Math.max(e50, Math.abs(x50[i] - exact));
      });
      assert.ok(e200 < 0.02, `${time}: ${e200}`);
      assert.ok(e200 < e50, `${time}: ${e200} vs ${e50}`);
    }
    const tr = pw.suOdeSample([0.3], { model, steps: 10, trajectory: true });
    assert.equal(tr.trajectory.length, 11);
    assert.equal(tr.trajectory[10], tr.x[0]);
    assert.throws(() => pw.suOdeSample([0.3], { model, time: 'cubic' }), { name: 'TypeError', message: /suOdeSample: time must be one of/ });
    assert.throws(() => pw.suOdeSample([0.3], { model, steps: 0 }), { name: 'RangeError', message: /suOdeSample: steps/ });
    assert.throws(() => pw.suOdeSample([0.3], { model, bogus: 1 }), { name: 'TypeError', message: /bogus/ });
  } finally {
    model.dispose();
  }
});

test('the live table: the σ̂ row is the worst at 10 steps (the DDIM paper\'s striking row), and the floor band is mean ± 2 s.d. of 4 exact draws', async () => {
  const grid = pw.diffusionPreset('grid');
  const r = await drain(tasks.diffusionQualityTable(pw, { model: grid, target: grid, steps: [10, 100], etas: [0, 1], count: 1000, referenceCount: 4000,
    seed: 1, sigmaHat: true, scheduler: { clipSample: false } }));
  assert.equal(r.swHat.length, 2);
  // η-major: sw[j·2 + i]; at 10 steps σ̂ is worse than η = 1 (DDPM), which is worse than η = 0 (the paper's ordering).
  assert.ok(r.swHat[0] > r.sw[2] && r.sw[2] > r.sw[0], `σ̂ ${r.swHat[0]}, η=1 ${r.sw[2]}, η=0 ${r.sw[0]}`);
  const m = r.floors.reduce((a, b) => a + b) / 4;
  assert.ok(Math.abs(r.floorStats.mean - m) <= 8 * Number.EPSILON * m);
  assert.ok(Math.abs(r.floor - m) <= 8 * Number.EPSILON * m);
  const sd = Math.sqrt(r.floors.reduce((a, b) => a + (b - m) ** 2, 0) / 3);
  assert.ok(Math.abs(r.floorStats.sd - sd) <= 1e-12);
});
