// DDIMScheduler / DDPMScheduler through the public API (DESIGN.md), running the reference library's own
// deterministic test loops (huggingface/diffusers tests/schedulers/test_scheduler_ddim.py, _ddpm.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'probwasm';

const pw = await load();

// test_schedulers.py dummy_sample_deter / dummy_noise_deter, flattened NCHW (4, 3, 8, 8).
function dummy(flipped = false) {
  const x = new Float32Array(768);
  for (let b = 0; b < 4; b++) for (let c = 0; c < 3; c++) for (let h = 0; h < 8; h++) for (let w = 0; w < 8; w++) {
    const k = c * 256 + h * 32 + w * 4 + b;
    x[((b * 3 + c) * 8 + h) * 8 + w] = Math.fround((flipped ? 767 - k : k) / 768);
  }
  return x;
}
// dummy_model: sample * t / (t + 1) in float32.
const model = (x, t) => x.map((v) => Math.fround(Math.fround(v * t) / (t + 1)));
const absSum = (x) => x.reduce((a, v) => a + Math.abs(v), 0);
const base = { numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear', clipSample: true };

function fullLoop(config) {
  const s = new pw.DDIMScheduler({ ...base, ...config });
  try {
    s.setTimesteps(10);
    let x = dummy();
    for (const t of s.timesteps) x = s.step(model(x, t), t, x, { eta: 0 }).prevSample;
    return x;
  } finally {
    s.dispose();
  }
}

// Tolerance 4e-4 on the sums: the reference prints 4 decimals and sums 768 float32 values in float32
// (≤ log2(768)·2^-24·170 ≈ 1e-4 apart from our double sum of the same values).
test('DDIM full loops reproduce test_scheduler_ddim.py sums', () => {
  assert.ok(Math.abs(absSum(fullLoop({})) - 172.0067) < 4e-4);
  assert.ok(Math.abs(absSum(fullLoop({ predictionType: 'v_prediction' })) - 52.5302) < 4e-4);
  assert.ok(Math.abs(absSum(fullLoop({ setAlphaToOne: true, betaStart: 0.01 })) - 149.8295) < 4e-4);
  assert.ok(Math.abs(absSum(fullLoop({ setAlphaToOne: false, betaStart: 0.01 })) - 149.0784) < 4e-4);
});

test('DDIM full loop with add_noise reproduces test_full_loop_with_noise (354.5418)', () => {
  const s = new pw.DDIMScheduler(base);
  s.setTimesteps(10);
  const ts = s.timesteps.slice(8);
  assert.deepEqual(Array.from(ts), [100, 0]);
  let x = s.addNoise(dummy(), dummy(true), ts[0]);
  assert.ok(x instanceof Float32Array);
  for (const t of ts) x = s.step(model(x, t), t, x).prevSample;
  assert.ok(Math.abs(absSum(x) - 354.5418) < 4e-4);
  assert.ok(Math.abs(absSum(x) / 768 - 0.4616) < 5e-5);
  s.dispose();
});

test('timesteps, variances and previous timesteps match the reference tests', () => {
  const s = new pw.DDIMScheduler({ ...base, stepsOffset: 1 });
  s.setTimesteps(5);
  assert.ok(s.timesteps instanceof Int32Array);
  assert.deepEqual(Array.from(s.timesteps), [801, 601, 401, 201, 1]);  // test_steps_offset
  for (const [t, p, v] of [[420, 400, 0.14771], [980, 960, 0.32460], [487, 486, 0.00979], [999, 998, 0.02], [0, 0, 0]]) {
    assert.ok(Math.abs(s.variance(t, p) - v) < 1e-5, `variance(${t}, ${p})`);  // test_variance
  }
  s.dispose();
  const d = new pw.DDPMScheduler(base);
  assert.ok(Math.abs(d.variance(487) - 0.00979) < 1e-5);  // test_scheduler_ddpm.py test_variance
  d.setTimesteps(undefined, { timesteps: [100, 87, 50, 1, 0] });  // test_custom_timesteps
  assert.deepEqual([100, 87, 50, 1, 0].map((t) => d.previousTimestep(t)), [87, 50, 1, 0, -1]);
  assert.throws(() => d.setTimesteps([100, 87, 50, 51, 0]), { name: 'RangeError', message: /descending/ });
  assert.throws(() => d.setTimesteps([1000]), { name: 'RangeError', message: /timesteps\[0\]/ });
  d.dispose();
});

test('the three spacings, with numpy rounding and arange quirks', () => {
  const ts = (spacing, T, n) => {
    const s = new pw.DDIMScheduler({ numTrainTimesteps: T, timestepSpacing: spacing });
    s.setTimesteps(n);
    const r = Array.from(s.timesteps);
    s.dispose();
    return r;
  };
  assert.deepEqual(ts('trailing', 1000, 10), [999, 899, 799, 699, 599, 499, 399, 299, 199, 99]);
  assert.deepEqual(ts('linspace', 6, 3), [5, 2, 0]);      // 2.5 rounds to even
  assert.deepEqual(ts('trailing', 10, 4), [9, 7, 4, 1]);  // 7.5 → 8, 2.5 → 2
  // np.arange(15, 0, -15/13) has 14 entries; the last rounds to 0 → timestep −1, which step accepts
  // with torch's negative indexing, as the reference loop does.
  const q = ts('trailing', 15, 13);
  assert.equal(q.length, 14);
  assert.equal(q.at(-1), -1);
  const s = new pw.DDIMScheduler({ numTrainTimesteps: 15, timestepSpacing: 'trailing', clipSample: false });
  s.setTimesteps(13);
  assert.equal(s.step([0.5], -1, [0.25]).prevSample.length, 1);
  s.dispose();
});

test('config: defaults, snake_case configs, and the full config read back', () => {
  const s = new pw.DDIMScheduler();
  assert.deepEqual(s.config, {
    numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear', trainedBetas: null,
    clipSample: true, clipSampleRange: 1, setAlphaToOne: true, stepsOffset: 0, predictionType: 'epsilon',
    thresholding: false, dynamicThresholdingRatio: 0.995, sampleMaxValue: 1, timestepSpacing: 'leading',
    rescaleBetasZeroSnr: false,
  });
  assert.equal(s.alphasCumprod.length, 1000);
  assert.ok(s.alphasCumprod instanceof Float32Array);
  assert.equal(s.finalAlphaCumprod, 1);
  const sm = s.scaleModelInput([0.5, -2], 10);  // the identity, as in the reference
  assert.ok(sm instanceof Float32Array);
  assert.deepEqual(Array.from(sm), [0.5, -2]);
  s.dispose();
  // A diffusers scheduler_config.json (Stable Diffusion 1.5 style) loads as is.
  const sd = new pw.DDIMScheduler({
    _class_name: 'PNDMScheduler', _diffusers_version: '0.6.0', beta_end: 0.012, beta_schedule: 'scaled_linear',
    beta_start: 0.00085, num_train_timesteps: 1000, set_alpha_to_one: false, skip_prk_steps: true, steps_offset: 1,
    trained_betas: null, clip_sample: false,
  });
  assert.equal(sd.config.betaSchedule, 'scaled_linear');
  assert.equal(sd.finalAlphaCumprod, sd.alphasCumprod[0]);
  sd.setTimesteps(50);
  assert.equal(sd.timesteps[0], 981);
  sd.dispose();
  const p = new pw.DDPMScheduler({ varianceType: 'fixed_large', trainedBetas: [0.1, 0.2, 0.3] });
  assert.equal(p.config.numTrainTimesteps, 3);
  assert.equal(p.config.varianceType, 'fixed_large');
  assert.deepEqual(Array.from(p.betas), [0.1, 0.2, 0.3].map(Math.fround));
  p.dispose();
});

test('zero terminal SNR: the last alphas_cumprod is exactly 0', () => {
  const s = new pw.DDPMScheduler({ rescaleBetasZeroSnr: true, timestepSpacing: 'trailing' });
  assert.equal(s.alphasCumprod[999], 0);
  s.dispose();
});

test('DDPM noise: seeded, reproducible, absent at t = 0; varianceNoise enters as sigma*z', () => {
  const d = new pw.DDPMScheduler({ ...base, clipSample: false });
  const mo = [0.1, -0.2, 0.3], x = [0.5, 0.4, -0.3];
  const a = d.step(mo, 500, x, { seed: 7 }).prevSample;
  assert.deepEqual(a, d.step(mo, 500, x, { seed: 7 }).prevSample);
  assert.notDeepEqual(a, d.step(mo, 500, x, { seed: 8 }).prevSample);
  assert.deepEqual(d.step(mo, 0, x, { seed: 1 }).prevSample, d.step(mo, 0, x, { seed: 2 }).prevSample);
  const mean = d.step(mo, 500, x, { varianceNoise: [0, 0, 0] }).prevSample;
  const one = d.step(mo, 500, x, { varianceNoise: [1, 0, 0] }).prevSample;
  assert.ok(Math.abs(one[0] - mean[0] - Math.sqrt(d.variance(500))) < 4e-7);
  assert.throws(() => d.step(mo, 500, x, { seed: 1, varianceNoise: [0, 0, 0] }), { name: 'RangeError', message: /seed/ });
  d.dispose();
});

test('seeded noise is the same stream as the native build (splitmix64 + Box-Muller), and it continues between steps', () => {
  // Printed by the native build (g++, x86-64) for DDPMScheduler().step(0, 500, 0, { seed: 42 }): σ_500·z with
  // z the first four draws of NormalStream(42). wasm must give the same float32 bits.
  const native = [0.0415784009, 0.0654356107, -0.0894174948, 0.133023843].map(Math.fround);
  const d = new pw.DDPMScheduler();
  const zero = new Float32Array(4);
  assert.deepEqual(Array.from(d.step(zero, 500, zero, { seed: 42 }).prevSample), native);
  const next = d.step(zero, 500, zero).prevSample;  // no seed: the stream goes on
  assert.notDeepEqual(Array.from(next), native);
  d.step(zero, 500, zero, { seed: 42 });
  assert.deepEqual(d.step(zero, 500, zero).prevSample, next);
  d.dispose();
});

test('dynamic thresholding works per item given shape or batch', () => {
  const s = new pw.DDIMScheduler({ predictionType: 'sample', thresholding: true, dynamicThresholdingRatio: 0.5, sampleMaxValue: 10 });
  s.setTimesteps(10);
  const x0 = [0.5, -3, 2, 1, 0.1, 0.2, 0.3, 0.4];
  const r = s.step(x0, 500, new Float32Array(8), { shape: [2, 4] }).predOriginalSample;
  assert.deepEqual(Array.from(r), [0.5 / 1.5, -1, 1, 1 / 1.5, 0.1, 0.2, 0.3, 0.4].map(Math.fround));
  assert.deepEqual(s.step(x0, 500, new Float32Array(8), { batch: 2 }).predOriginalSample, r);
  assert.throws(() => s.step(x0, 500, new Float32Array(8), { shape: [3, 3] }), { name: 'RangeError', message: /shape/ });
  s.dispose();
});

test('bad configs and arguments throw RangeError/TypeError naming them; the module keeps working', () => {
  assert.throws(() => new pw.DDIMScheduler({ betaSchedule: 'cosine' }), { name: 'TypeError', message: /DDIMScheduler: config\.betaSchedule must be one of .*got "cosine"/ });
  assert.throws(() => new pw.DDIMScheduler({ betaSchedule: 'sigmoid' }), { name: 'TypeError', message: /'sigmoid' is a DDPMScheduler schedule/ });
  new pw.DDPMScheduler({ betaSchedule: 'sigmoid' }).dispose();  // GeoDiff, DDPM only as in the reference
  assert.throws(() => new pw.DDIMScheduler({ numTrainTimesteps: 0 }), { name: 'RangeError', message: /config\.numTrainTimesteps/ });
  assert.throws(() => new pw.DDIMScheduler({ betaEnd: NaN }), { name: 'RangeError', message: /config\.betaEnd must be finite, got NaN/ });
  assert.throws(() => new pw.DDIMScheduler({ numInferenceSteps: 5 }), { name: 'TypeError', message: /config\.numInferenceSteps is not a DDIMScheduler option/ });
  assert.throws(() => new pw.DDIMScheduler({ varianceType: 'fixed_large' }), { name: 'TypeError', message: /DDPMScheduler option/ });
  assert.throws(() => new pw.DDIMScheduler({ clipSample: 'yes' }), { name: 'TypeError', message: /config\.clipSample must be a boolean/ });
  assert.throws(() => new pw.DDIMScheduler('linear'), { name: 'TypeError' });
  const s = new pw.DDIMScheduler();
  assert.throws(() => s.step([1], 10, [1]), { name: 'RangeError', message: /setTimesteps/ });
  assert.throws(() => s.setTimesteps(0), { name: 'RangeError', message: /numInferenceSteps/ });
  assert.throws(() => s.setTimesteps(1001), { name: 'RangeError', message: /numInferenceSteps/ });
  s.setTimesteps(10);
  assert.throws(() => s.step([1], 1000, [1]), { name: 'RangeError', message: /timestep must be an integer in/ });
  assert.throws(() => s.step([1], 2.5, [1]), { name: 'RangeError', message: /timestep/ });
  assert.throws(() => s.step([1, 2], 10, [1]), { name: 'RangeError', message: /modelOutput\.length/ });
  assert.throws(() => s.step([1], 10, [NaN]), { name: 'RangeError', message: /sample\[0\] must be finite/ });
  assert.throws(() => s.step('x', 10, [1]), { name: 'TypeError', message: /modelOutput/ });
  assert.throws(() => s.step([1], 10, [1], { eta: '1' }), { name: 'TypeError', message: /eta/ });
  assert.equal(s.step([0.5], 900, [0.25]).prevSample.length, 1);  // still working
  s.dispose();
  assert.throws(() => s.timesteps, { name: 'TypeError', message: /disposed/ });
  s.dispose();  // twice is harmless
});

// ---- post 4's own formulation ---------------------------------------------------------------------------

test("Su's worked schedule and the section 4.7 std table through the JS API", () => {
  const a = pw.suSchedule(1000);
  assert.ok(a instanceof Float64Array);
  assert.equal(a.length, 1001);
  assert.equal(a[0], 1);
  for (const [t, v] of [[100, 0.950722], [500, 0.284592], [1000, 0.00648203]]) assert.ok(Math.abs(a[t] / v - 1) < 6e-6);
  // Gaussian N(2, 0.5²) with exact ε* is affine, so each step maps (mean, var) exactly: read A and B off
  // generalizedStep at x = 0 and 1 and propagate from the exact x_{τ_S} marginal.
  const mu = 2, s = 0.5;
  const stdAfter = (S, eta) => {
    const tau = pw.tauSequence(1000, S, { spacing: 'linspace' });
    const aT = a[tau.at(-1)];
    let m = aT * mu, v = aT * aT * s * s + 1 - aT * aT;
    for (let i = tau.length - 1; i >= 0; i--) {
      const at = a[tau[i]], ap = a[i ? tau[i - 1] : 0], b = Math.sqrt(1 - at * at), den = at * at * s * s + b * b;
      const eps = [b * (0 - at * mu) / den, b * (1 - at * mu) / den];
      const sigma = pw.ddimSigma(at, ap, { eta });
      const out = pw.generalizedStep(new Float64Array([0, 1]), eps, { abarT: at, abarPrev: ap, sigma });
      const A = out[1] - out[0], B = out[0];
      m = A * m + B;
      v = A * A * v + sigma * sigma;
    }
    return [m, Math.sqrt(v)];
  };
  // Output is float32 (rel. 6e-8 per value; A = out[1] − out[0] loses up to |out|/|A| of that): 1e-4 covers
  // the table's 5 decimals here.
  for (const [S, e0, e1] of [[1000, 0.49857, 0.49621], [100, 0.48595, 0.46810], [10, 0.36154, 0.32409], [5, 0.22325, 0.21192]]) {
    const [m0, s0] = stdAfter(S, 0);
    const [, s1] = stdAfter(S, 1);
    assert.ok(Math.abs(m0 - 2) < 1e-4, `mean at S=${S}`);
    assert.ok(Math.abs(s0 - e0) < 1e-4, `eta 0, S=${S}: ${s0}`);
    assert.ok(Math.abs(s1 - e1) < 1e-4, `eta 1, S=${S}: ${s1}`);
  }
});

test('posterior identity, sigma choices, tau grids, slerp', () => {
  const p = pw.ddimPosterior(0.9, 0.95, 0.1);
  assert.ok(Math.abs(p.kappa + p.lambda / 0.9 - 0.95 / 0.9) < 1e-15);  // κ + λ/ᾱ_t = 1/α_t
  assert.equal(pw.ddimSigma(0.9, 0.95, { eta: 0 }), 0);
  assert.ok(Math.abs(pw.ddimSigma(0.9, 0.95, { choice: 'hat' }) - Math.sqrt(1 - (0.9 / 0.95) ** 2)) < 1e-15);
  assert.deepEqual(Array.from(pw.tauSequence(1000, 10, { spacing: 'linspace' })), [1, 112, 223, 334, 445, 556, 667, 778, 889, 1000]);
  assert.deepEqual(Array.from(pw.tauSequence(1000, 4)), [250, 500, 750, 1000]);
  const z = pw.slerpNoise([1, 0], [0, 1], 0.5);
  assert.ok(Math.abs(z[0] - Math.SQRT1_2) < 1e-7 && Math.abs(z[1] - Math.SQRT1_2) < 1e-7);
  assert.throws(() => pw.ddimPosterior(0.5, 0.9, 0.9), { name: 'RangeError', message: /ddimPosterior: sigma must be in/ });
  assert.throws(() => pw.tauSequence(10, 11), { name: 'RangeError', message: /S must be in \[1, T = 10\], got 11/ });
  assert.throws(() => pw.tauSequence(10, 5, { spacing: 'cubic' }), { name: 'TypeError', message: /spacing/ });
  assert.throws(() => pw.slerpNoise([1], [1, 2], 0.5), { name: 'RangeError', message: /z2\.length/ });
  assert.throws(() => pw.ddimInvert([1], { model: {}, tau: [1], abar: [1, 0.5] }), { name: 'TypeError', message: /model/ });
});

test('DDIM inversion and reconstruction with a wasm denoiser round-trip, Heun closer than Euler', { skip: typeof pw.gaussianMixture !== 'function' }, () => {
  const model = pw.gaussianMixture({ weights: [1], means: [-1], stds: [0.3] });
  const abar = pw.suSchedule(1000);
  const x0 = [-1.5, -0.8, -1.0];
  const err = (method, S) => {
    const tau = pw.tauSequence(1000, S, { spacing: 'linspace' });
    const zT = pw.ddimInvert(x0, { model, tau, abar, method });
    const back = pw.ddimGenerate(zT, { model, tau, abar, method });
    return Math.max(...x0.map((v, i) => Math.abs(back[i] - v)));
  };
  const e = err('euler', 100), h = err('heun', 100);
  assert.ok(h < e, `heun ${h} vs euler ${e}`);
  assert.ok(err('heun', 500) < 1e-4);  // native test: 3.2e-7 in float64; float32 output adds ~1e-7
  model.dispose?.();
});

test('DDIM options: custom timesteps, the corrected previous-timestep rule, integers only', () => {
  const s = new pw.DDIMScheduler({ timestepSpacing: 'linspace' });
  s.setTimesteps(10);
  assert.equal(s.timesteps[1], 888);
  assert.equal(s.previousTimestep(999), 899);  // diffusers' stride T//n, off the linspace grid
  s.setTimesteps(10, { previousTimestep: 'schedule' });
  assert.equal(s.previousTimestep(999), 888);
  assert.equal(s.previousTimestep(0), -1);
  s.setTimesteps({ timesteps: [700, 300, 0] });
  assert.deepEqual(Array.from(s.timesteps), [700, 300, 0]);
  assert.equal(s.numInferenceSteps, 3);
  assert.equal(s.previousTimestep(300), 0);
  s.setTimesteps([900, 10]);
  assert.equal(s.previousTimestep(900), 10);
  assert.throws(() => s.setTimesteps([5.5, 1]), { name: 'RangeError', message: /DDIMScheduler\.setTimesteps: timesteps\[0\] must be an integer/ });
  assert.throws(() => s.setTimesteps({ timesteps: [5, 1], previousTimestep: 'stride' }), { name: 'RangeError', message: /previousTimestep/ });
  assert.throws(() => s.setTimesteps(100000), { name: 'RangeError', message: /^DDIMScheduler\.setTimesteps: numInferenceSteps must be an integer in \[1, numTrainTimesteps = / });
  assert.throws(() => s.setTimesteps(10, { previousTimestep: 'next' }), { name: 'TypeError', message: /previousTimestep must be one of 'stride', 'schedule'/ });
  assert.throws(() => s.setTimesteps(10, { timestep: [1] }), { name: 'TypeError', message: /unknown options key "timestep"/ });
  s.dispose();
  const d = new pw.DDPMScheduler();
  assert.throws(() => d.setTimesteps([5.5, 1]), { name: 'RangeError', message: /timesteps\[0\] must be an integer/ });
  assert.throws(() => d.setTimesteps(10, { previousTimestep: 'schedule' }), { name: 'TypeError', message: /previousTimestep/ });
  d.dispose();
});

test('scheduler domains as the reference implies them (issue 12.5–12.9)', () => {
  for (const betaStart of [1.5, 0, -0.1, 1]) {
    assert.throws(() => new pw.DDIMScheduler({ betaStart }), { name: 'RangeError', message: /DDIMScheduler: config\.betaStart must be in \(0, 1\)/ });
  }
  assert.throws(() => new pw.DDPMScheduler({ betaEnd: 1e308 }), { name: 'RangeError', message: /config\.betaEnd must be in \(0, 1\)/ });
  assert.throws(() => new pw.DDIMScheduler({ betaStart: 0.05 }), { name: 'RangeError', message: /betaStart must be <= config\.betaEnd = 0\.02/ });
  assert.throws(() => new pw.DDIMScheduler({ trainedBetas: [1, 1] }), { name: 'RangeError', message: /trainedBetas\[0\] must be in \(0, 1\)/ });
  assert.throws(() => new pw.DDIMScheduler({ stepsOffset: 2 ** 31 - 1 }), { name: 'RangeError', message: /stepsOffset must be an integer in \[0, numTrainTimesteps − 1 = 999\]/ });
  assert.throws(() => new pw.EulerDiscreteScheduler({ betaStart: 1.5 }), { name: 'RangeError', message: /EulerDiscreteScheduler: config\.betaStart/ });
  const s = new pw.DDIMScheduler();
  s.setTimesteps(10);
  const x = [0.1, 0.2];
  assert.throws(() => s.step(x, 900, x, { eta: 1.5 }), { name: 'RangeError', message: /DDIMScheduler\.step: eta must be in \[0, 1\], got 1\.5/ });
  assert.throws(() => s.step(x, 900, x, { sed: 3 }), { name: 'TypeError', message: /DDIMScheduler\.step: unknown options key "sed"/ });
  assert.ok(s.step(x, 900, x, { eta: 1, seed: 3 }).prevSample.every(Number.isFinite));
  s.dispose();
  const p = new pw.DDPMScheduler();
  p.setTimesteps(10);
  assert.throws(() => p.step(x, 900, x, { eta: 0.5 }), { name: 'TypeError', message: /unknown options key "eta"/ });
  p.dispose();
  assert.throws(() => new pw.DDIMScheduler({ clip_smaple: true }), { name: 'TypeError', message: /clip_smaple is not a DDIMScheduler option/ });
  assert.throws(() => pw.suScheduleFrom([]), { name: 'RangeError', message: /suScheduleFrom: alphasCumprod\.length must be >= 1/ });
  assert.throws(() => pw.generalizedStep([NaN], [0], { abarT: 0.5, abarPrev: 0.9 }), { name: 'RangeError', message: /generalizedStep: x\[0\] must be finite/ });
  assert.throws(() => pw.generalizedStep([0], [0], { abarT: 0.5, abarPrev: 0.9, sigm: 1 }), { name: 'TypeError', message: /unknown options key "sigm"/ });
  assert.throws(() => pw.ddimSigma(0.5, 0.9, { eta: -1 }), { name: 'RangeError', message: /^ddimSigma: eta/ });
  assert.throws(() => pw.ddimSigma(0.5, 0.9, { eta: -1 }), (e) => !/sigma_eta/.test(e.message));
  assert.throws(() => pw.tauSequence(10, 5, { spacng: 'uniform' }), { name: 'TypeError' });
});

test('sampleDiffusion takes v_prediction, and with it zero terminal SNR (rescaleBetasZeroSnr)', () => {
  const g = pw.gaussianMixture({ weights: [0.5, 0.5], means: [[-1], [1]], stds: [0.2, 0.2], dim: 1 });
  try {
    const base = { model: g, steps: 20, count: 200, seed: 4 };
    const eps = pw.sampleDiffusion({ ...base, scheduler: { timestepSpacing: 'trailing' } });
    const v = pw.sampleDiffusion({ ...base, scheduler: { timestepSpacing: 'trailing', predictionType: 'v_prediction' } });
    assert.deepEqual(v, eps);  // the same arithmetic wherever ᾱ > 0
    const zsnr = { timestepSpacing: 'trailing', predictionType: 'v_prediction', rescaleBetasZeroSnr: true };
    const z = pw.sampleDiffusion({ ...base, scheduler: zsnr });
    assert.ok(z.every(Number.isFinite));
    assert.ok(z.filter((t) => Math.abs(Math.abs(t) - 1) < 0.6).length >= 190);
    assert.throws(() => pw.sampleDiffusion({ ...base, scheduler: { ...zsnr, predictionType: 'epsilon' } }),
      { name: 'RangeError', message: /sampleDiffusion: scheduler\.predictionType must be 'v_prediction' when a step starts at ᾱ = 0/ });
  } finally {
    g.dispose();
  }
});
