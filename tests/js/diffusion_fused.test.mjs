import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'probwasm';

const pw = await load();
const u = 2 ** -24;  // float32 unit roundoff

test('sampleDiffusion with an MLP and DDIM takes the fused float32 kernel; fused: false is the general path, and they agree to float32 rounding', () => {
  const m = pw.mlpDenoiser({ hidden: 32, embed: 8, seed: 3 });
  try {
    for (const eta of [0, 0.7]) {
      const opts = { model: m, steps: 20, count: 53, seed: 5, eta };
      const fused = pw.sampleDiffusion(opts), general = pw.sampleDiffusion({ ...opts, fused: false });
      assert.ok(fused instanceof Float32Array);
      assert.equal(fused.length, 106);
      // Not the same bits (float32 vs float64 update) but the same samples: per-step errors of a few ulps,
      // scaled by the run's growth √(ᾱ_end/ᾱ_start) ≤ 15 (DDIM's defaults) over 20 steps, times |z| < 6.
      let differ = false;
      for (let k = 0; k < fused.length; k++) {
        if (fused[k] !== general[k]) differ = true;
        assert.ok(Math.abs(fused[k] - general[k]) <= 20 * 15 * 64 * u * 6 * Math.max(1, Math.abs(general[k]) / 15), `k ${k}: ${fused[k]} vs ${general[k]}`);
      }
      assert.ok(differ, 'the fused route was taken');
      // Deterministic, and chunks by offset concatenate to the full run bit for bit.
      assert.deepEqual(pw.sampleDiffusion(opts), fused);
      const a = pw.sampleDiffusion({ ...opts, count: 21 }), b = pw.sampleDiffusion({ ...opts, count: 32, offset: 21 });
      assert.deepEqual(Float32Array.from([...a, ...b]), fused);
    }
  } finally {
    m.dispose();
  }
});

test('the fused route: a given noise is x_T; bad values throw naming sampleDiffusion; other models ignore fused', () => {
  const m = pw.mlpDenoiser({ hidden: 16, embed: 4, seed: 1 });
  const g = pw.gaussianMixture({ weights: [1], means: [[0, 0]], stds: 0.5 });
  try {
    const xT = pw.diffusionTrajectory({ model: g, steps: 1, count: 9, seed: 4 }).xs.slice(0, 18);
    assert.deepEqual(pw.sampleDiffusion({ model: m, steps: 5, count: 9, seed: 4, noise: xT }), pw.sampleDiffusion({ model: m, steps: 5, count: 9, seed: 4 }));
    assert.throws(() => pw.sampleDiffusion({ model: m, steps: 5, count: 1, noise: [0, NaN] }), { name: 'RangeError', message: 'sampleDiffusion: noise[1] must be finite, got NaN' });
    assert.throws(() => pw.sampleDiffusion({ model: m, steps: 5, count: 2, noise: [0, 1] }), { name: 'RangeError', message: /sampleDiffusion: noise must have count × dim = 4 entries, got 2/ });
    assert.throws(() => pw.sampleDiffusion({ model: m, steps: 5, count: 1, fused: 'yes' }), { name: 'TypeError', message: /sampleDiffusion: fused must be a boolean/ });
    assert.equal(pw.sampleDiffusion({ model: m, steps: 5, count: 0 }).length, 0);
    assert.deepEqual(pw.sampleDiffusion({ model: g, steps: 5, count: 4, seed: 2, fused: true }), pw.sampleDiffusion({ model: g, steps: 5, count: 4, seed: 2 }));
    // 'ddpm' and 'heun' keep the general path.
    assert.deepEqual(pw.sampleDiffusion({ model: m, steps: 5, count: 4, seed: 2, sampler: 'heun' }), pw.sampleDiffusion({ model: m, steps: 5, count: 4, seed: 2, sampler: 'heun', fused: false }));
  } finally {
    m.dispose();
    g.dispose();
  }
});
