import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, tasks } from 'probwasm';

const pw = await load();

// The page's "grid" preset: 3×3 Gaussians, spacing 1.5, sd 0.25.
const grid = () => {
  const means = [];
  for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) means.push([1.5 * i, 1.5 * j]);
  return pw.gaussianMixture({ weights: Array(9).fill(1), means, stds: 0.25 });
};

const meanSd = (x) => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return [m, Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1))];
};

test('gaussianMixture: eps* of one Gaussian is the closed form of POSTS §4.7, in every input layout', () => {
  const layouts = [
    { weights: [1], means: [[2]], stds: [0.5] },
    { weights: [1], means: [2], stds: 0.5 },
    { weights: Float64Array.of(3), means: Float32Array.of(2), stds: [[0.5]] },
  ];
  for (const spec of layouts) {
    const g = pw.gaussianMixture(spec);
    try {
      assert.equal(g.dim, 1);
      assert.equal(g.components, 1);
      for (const ab of [0, 0.3, 0.9]) {
        const e = g.epsilon([-1, 2, 5], ab);
        assert.ok(e instanceof Float64Array);
        [-1, 2, 5].forEach((x, i) => {
          const A = Math.sqrt(ab), B = Math.sqrt(1 - ab);
          const ref = (B * (x - A * 2)) / (A * A * 0.25 + B * B);
          assert.ok(Math.abs(e[i] - ref) <= 16 * Number.EPSILON * (1 + Math.abs(x)), `${e[i]} vs ${ref}`);
        });
      }
    } finally {
      g.dispose();
    }
  }
});

test('sampleDiffusion returns a fresh Float32Array count×dim; same seed, same samples; chunks concatenate', () => {
  const g = grid();
  try {
    const opts = { model: g, scheduler: {}, steps: 20, eta: 0.5, count: 300, seed: 11 };
    const a = pw.sampleDiffusion(opts);
    assert.ok(a instanceof Float32Array);
    assert.equal(a.length, 600);
    assert.deepEqual(pw.sampleDiffusion(opts), a);
    assert.notDeepEqual(pw.sampleDiffusion({ ...opts, seed: 12 }), a);
    const head = pw.sampleDiffusion({ ...opts, count: 100 });
    const tail = pw.sampleDiffusion({ ...opts, count: 200, offset: 100 });
    assert.deepEqual(Float32Array.from([...head, ...tail]), a);
    for (const v of a) assert.ok(Number.isFinite(v));
  } finally {
    g.dispose();
  }
});

test("DDPM and DDIM(eta = 1) from the same seed walk the same path (same noise, algebraically equal steps)", () => {
  const g = grid();
  try {
    const base = { model: g, scheduler: {}, steps: 25, count: 200, seed: 3 };
    const ddpm = pw.sampleDiffusion({ ...base, sampler: 'ddpm' });
    const ddim1 = pw.sampleDiffusion({ ...base, sampler: 'ddim', eta: 1 });
    let worst = 0;
    for (let i = 0; i < ddpm.length; i++) worst = Math.max(worst, Math.abs(ddpm[i] - ddim1[i]));
    assert.ok(worst < 1e-5, `max difference ${worst}`);  // float32 output of |x| ≲ 3: a few ulps
    const ddim0 = pw.sampleDiffusion({ ...base, sampler: 'ddim', eta: 0 });
    assert.notDeepEqual(ddim0, ddim1);
  } finally {
    g.dispose();
  }
});

test('one Gaussian N(2, 0.5²): sampled mean is 2 and the sd shrinks with fewer steps, more for eta = 1', () => {
  const g = pw.gaussianMixture({ weights: [1], means: [2], stds: 0.5 });
  try {
    const sd = {};
    for (const steps of [10, 100]) {
      for (const eta of [0, 1]) {
        const x = pw.sampleDiffusion({ model: g, scheduler: {}, steps, eta, count: 40000, seed: 1 });
        const [m, s] = meanSd(x);
        assert.ok(Math.abs(m - 2) < 5 * 0.5 / Math.sqrt(40000) + 0.01, `mean ${m}`);
        sd[`${steps}/${eta}`] = s;
      }
    }
    // SE of each sd ≈ 0.5/√80000 ≈ 0.002; the gaps below are ≥ 0.02.
    assert.ok(sd['10/0'] < sd['100/0'] && sd['10/1'] < sd['100/1'], JSON.stringify(sd));
    assert.ok(sd['10/1'] < sd['10/0'], JSON.stringify(sd));
    assert.ok(Math.abs(sd['100/0'] - 0.5) < 0.03, JSON.stringify(sd));
  } finally {
    g.dispose();
  }
});

test("the DDIM paper's finding on a 2-D mixture: eta = 0 beats eta = 1 at 10 steps, and everything improves by 100", () => {
  const g = grid();
  try {
    const ref = g.sample(20000, { seed: 3 });
    const sw = (steps, eta) => pw.slicedWasserstein(
      pw.sampleDiffusion({ model: g, scheduler: {}, steps, eta, count: 4000, seed: 5 }), ref, 2, { projections: 64, seed: 1 });
    const s10 = [sw(10, 0), sw(10, 1)], s100 = [sw(100, 0), sw(100, 1)];
    assert.ok(s10[0] < s10[1], `10 steps: ${s10}`);
    assert.ok(s100[0] < s10[0] && s100[1] < s10[1], `${s10} → ${s100}`);
  } finally {
    g.dispose();
  }
});

test('heun needs eta = 0; diffusionTrajectory keeps steps+1 states and steps predictions', () => {
  const g = grid();
  try {
    const tr = pw.diffusionTrajectory({ model: g, scheduler: {}, steps: 8, count: 5, seed: 2, sampler: 'heun' });
    assert.equal(tr.xs.length, 9 * 5 * 2);
    assert.equal(tr.x0s.length, 8 * 5 * 2);
    assert.equal(tr.alphaBar.length, 9);
    assert.equal(tr.timesteps.length, 8);
    assert.deepEqual(tr.xs.slice(8 * 10), pw.sampleDiffusion({ model: g, scheduler: {}, steps: 8, count: 5, seed: 2, sampler: 'heun' }));
    assert.throws(() => pw.sampleDiffusion({ model: g, steps: 8, count: 5, sampler: 'heun', eta: 0.5 }),
      { name: 'RangeError', message: "sampleDiffusion: eta must be 0 for the deterministic 'heun' sampler, got 0.5" });
  } finally {
    g.dispose();
  }
});

test('slicedWasserstein: 0 for identical sets, the shift for shifted 1-D sets', () => {
  const a = Float64Array.from({ length: 500 }, (_, i) => Math.sin(i * 1.7) * 3);
  assert.equal(pw.slicedWasserstein(a, a, 2), 0);
  const b = a.map((v) => v + 0.25);
  assert.ok(Math.abs(pw.slicedWasserstein(a, b, 1, { projections: 8 }) - 0.25) < 1e-14);
});

test('the empirical denoiser is a softmax-weighted average of the points', () => {
  const pts = [[0, 0], [1, 0], [0, 2]];
  const e = pw.empiricalDenoiser({ points: pts });
  try {
    const x = [0.3, 0.4], ab = 0.5, A = Math.sqrt(ab), v = 1 - ab;
    const w = pts.map((p) => Math.exp(-((x[0] - A * p[0]) ** 2 + (x[1] - A * p[1]) ** 2) / (2 * v)));
    const z = w.reduce((s, u) => s + u, 0);
    const m = [0, 1].map((j) => pts.reduce((s, p, k) => s + w[k] * p[j], 0) / z);
    const got = e.epsilon(x, ab);
    [0, 1].forEach((j) => assert.ok(Math.abs(got[j] - (x[j] - A * m[j]) / Math.sqrt(v)) < 1e-14));
    const flat = pw.empiricalDenoiser({ points: [0, 0, 1, 0, 0, 2], dim: 2 });
    assert.deepEqual(flat.epsilon(x, ab), got);
    flat.dispose();
  } finally {
    e.dispose();
  }
});

test('MLP: weights export/import round-trips, training lowers the loss, and it drives sampleDiffusion', () => {
  const g = grid();
  const m = pw.mlpDenoiser({ hidden: 32, embed: 8, seed: 4 });
  try {
    assert.equal(m.weights.length, 32 * 10 + 32 + 32 * 32 + 32 + 2 * 32 + 2);
    m.setTraining(g.sample(2000, { seed: 1 }), { batch: 128, lr: 3e-3, seed: 2 });
    const first = m.train(10);
    let last = first;
    for (let k = 0; k < 10; k++) last = m.train(30);
    assert.ok(last < first, `${first} → ${last}`);
    assert.equal(m.iterations, 310);
    const copy = pw.mlpDenoiser({ hidden: 32, embed: 8, weights: m.weights });
    assert.deepEqual(copy.epsilon([0.1, 0.2], 0.4, 0.5), m.epsilon([0.1, 0.2], 0.4, 0.5));
    copy.dispose();
    const x = pw.sampleDiffusion({ model: m, steps: 10, count: 50, seed: 1 });
    assert.equal(x.length, 100);
    for (const v of x) assert.ok(Number.isFinite(v));
  } finally {
    m.dispose();
    g.dispose();
  }
});

test('the Worker tasks run under node too: chunked sampling equals one call; training yields progress', async () => {
  const spec = { kind: 'mixture', weights: [1, 1], means: [[-1, 0], [1, 0]], stds: 0.3 };
  const it = tasks.diffusionSample(pw, { model: spec, scheduler: {}, steps: 10, count: 4500, seed: 9 });
  const progress = [];
  let r;
  while (!(r = await it.next()).done) progress.push(r.value.done);
  assert.deepEqual(progress, [2000, 4000, 4500]);
  const g = pw.gaussianMixture(spec);
  assert.deepEqual(r.value, pw.sampleDiffusion({ model: g, scheduler: {}, steps: 10, count: 4500, seed: 9 }));
  g.dispose();
  const tr = tasks.diffusionTrainMlp(pw, { data: [0, 0, 1, 1], hidden: 8, embed: 4, iterations: 20, chunk: 10, batch: 4 });
  const seen = [];
  while (!(r = await tr.next()).done) seen.push(r.value.done);
  assert.deepEqual(seen, [10, 20]);
  assert.equal(r.value.weights.length, 8 * 6 + 8 + 64 + 8 + 16 + 2);
});

test('bad arguments throw RangeError/TypeError naming function, parameter and value; the module keeps working', () => {
  const g = grid();
  assert.throws(() => pw.sampleDiffusion({ model: {}, steps: 5, count: 1 }), { name: 'TypeError', message: /sampleDiffusion: model must be a denoiser/ });
  assert.throws(() => pw.sampleDiffusion({ model: g, steps: 5, count: 1, eta: 2 }), { name: 'RangeError', message: 'sampleDiffusion: eta must be in [0, 1], got 2' });
  assert.throws(() => pw.sampleDiffusion({ model: g, steps: 5, count: 1, sampler: 'dpm2' }), { name: 'TypeError', message: /sampler must be one of 'ddim', 'ddpm', 'heun', 'euler', 'euler-ancestral', 'dpm\+\+2m', 'dpm\+\+3m', 'dpm\+\+2m-sde', 'unipc', got "dpm2"/ });
  assert.throws(() => pw.sampleDiffusion({ model: g, steps: 0, count: 1 }), { name: 'RangeError', message: /steps must be an integer/ });
  assert.throws(() => pw.sampleDiffusion({ model: g, steps: 5, count: 1, scheduler: { thresholding: true } }), { name: 'RangeError', message: /thresholding must be false/ });
  assert.throws(() => pw.gaussianMixture({ weights: [1, 1], means: [[0, 0], [1, 1]], stds: -1 }), { name: 'RangeError', message: 'gaussianMixture: stds[0] must be finite and ≥ 0, got -1' });
  assert.throws(() => pw.slicedWasserstein([1, 2, 3], [1, 2], 2), { name: 'RangeError', message: /slicedWasserstein: a must be non-empty with a length divisible by dim 2, got 3/ });
  assert.throws(() => g.epsilon([0, 0], 2), { name: 'RangeError', message: 'gaussianMixture.epsilon: alphaBar must be in [0, 1], got 2' });
  // errors of shared core routines and of the option objects name the function the user called
  assert.throws(() => pw.empiricalDenoiser({ points: [NaN, 0], dim: 2 }), { name: 'RangeError', message: /^empiricalDenoiser: means\[0\] must be finite, got NaN/ });
  assert.throws(() => pw.gaussianMixture({ weights: [1], means: [0], stds: 1, std: 2 }), { name: 'TypeError', message: /^gaussianMixture: unknown spec key "std"/ });
  assert.throws(() => pw.sampleDiffusion({ model: g, steps: 5, count: 1, scheduler: { bogus: 1 } }), { name: 'TypeError', message: /^sampleDiffusion: config.bogus is not a DDIMScheduler option/ });
  const m = pw.mlpDenoiser({ hidden: 4, embed: 2 });
  assert.throws(() => m.setTraining([1e308, 0]), { name: 'RangeError', message: 'mlpDenoiser.setTraining: data[0] must be finite in float32, got 1e+308 (in mlpTrain)' });
  assert.throws(() => m.epsilon([1e308, 0], 0.5), { name: 'RangeError', message: 'mlpDenoiser.epsilon: x[0] must be finite in float32, got 1e+308' });
  // ᾱ_prev/ᾱ_t overflows: §4.4's step would be ∞·0 = NaN where x = β̄_t·ε
  assert.throws(() => pw.generalizedStep([0.5], [0.5], { abarT: 5e-324, abarPrev: 0.9 }), { name: 'RangeError', message: /^generalizedStep: abarT must be large enough that abarPrev\/abarT is finite, got 5e-324/ });
  assert.throws(() => m.setTraining([1, 0], { bacth: 2 }), { name: 'TypeError', message: /^mlpDenoiser.setTraining: unknown options key "bacth"/ });
  m.dispose();
  assert.equal(pw.sampleDiffusion({ model: g, steps: 5, count: 2 }).length, 4);
  g.dispose();
  assert.throws(() => g.epsilon([0, 0], 0.5), { name: 'TypeError', message: /disposed/ });
  assert.throws(() => pw.sampleDiffusion({ model: g, steps: 5, count: 2 }), { name: 'TypeError', message: 'sampleDiffusion: model was disposed (dispose() was called on it)' });
});

test('widget tasks: panels, quality table and inversion return what the page draws', async () => {
  const drain = async (it) => { let r; const p = []; while (!(r = await it.next()).done) p.push(r.value); return [r.value, p]; };
  const grid = pw.diffusionPreset('grid');
  assert.equal(grid.weights.length, 9);
  const [panels] = await drain(tasks.diffusionPanels(pw, { model: grid, target: grid, runs: [
    { scheduler: {}, steps: 10, count: 50, seed: 1, sampler: 'ddim', eta: 0 },
    { scheduler: {}, steps: 10, count: 50, seed: 1, sampler: 'ddpm' }], referenceCount: 500, maxFrames: 4 }));
  assert.equal(panels.runs.length, 2);
  assert.deepEqual(Array.from(panels.runs[0].frames), [0, 3, 6, 9, 10]);
  assert.deepEqual(panels.runs[0].xs.subarray(0, 100), panels.runs[1].xs.subarray(0, 100));  // same x_T
  for (const r of panels.runs) assert.ok(r.sw > 0 && r.sw < 1);
  const [table, progress] = await drain(tasks.diffusionQualityTable(pw, { model: grid, steps: [5, 50], etas: [0, 1], count: 300, referenceCount: 1000 }));
  assert.equal(table.sw.length, 4);
  assert.equal(progress.filter((p) => p.cell).length, 4);
  assert.ok(table.floor > 0);
  const [inv] = await drain(tasks.diffusionInversionDemo(pw, { model: grid, target: grid, steps: 50, count: 100, pairs: 3, lambdas: 4 }));
  assert.equal(inv.paths.length, 5 * 3 * 2);
  assert.ok(inv.sw < 0.1, `reconstruction SW ${inv.sw}`);
  const samplers = ['ddim', 'heun', 'euler', 'dpm++2m', 'unipc'];
  const [cost, cp] = await drain(tasks.diffusionSamplerCost(pw, { model: grid, samplers, steps: [4, 16], count: 300, referenceCount: 1000, repeats: 2 }));
  assert.equal(cp.length, 10);
  assert.deepEqual(Array.from(cost.nfe), [4, 16, 7, 31, 4, 16, 4, 16, 4, 16]);  // Heun: 2·steps − 1
  for (let c = 0; c < 10; c++) assert.ok(cost.mean[c] > 0 && cost.sd[c] >= 0 && Number.isFinite(cost.mean[c]));
  // More steps help every sampler on this target (4 steps are far from converged).
  for (let i = 0; i < samplers.length; i++) assert.ok(cost.mean[2 * i + 1] < cost.mean[2 * i], samplers[i]);
});
