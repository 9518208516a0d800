// Adversarial table of the diffusion topic (post 4 and diffusers' schedulers): see tests/js/adversarial.test.mjs
// for the format. Every call is small (a 2-D mixture, 2 points, a few steps) so the table stays in seconds.
import { array, bool, enumOf, int, number, opaque, options, seed } from './kinds.mjs';

export const topic = 'diffusion';

const SCHEDULERS = ['DDIMScheduler', 'DDPMScheduler', 'EulerDiscreteScheduler', 'EulerAncestralDiscreteScheduler',
  'DPMSolverMultistepScheduler', 'UniPCMultistepScheduler'];
const MIXTURE = { weights: [1, 1], means: [[-1, 0], [1, 0]], stds: 0.3 };
const X = [0.5, -0.25, 1, 2];  // two 2-D points
const ABAR = [1, 0.99, 0.97, 0.94, 0.9, 0.85, 0.8, 0.74, 0.68, 0.61, 0.55];  // Su's ᾱ_0…ᾱ_10 (ᾱ_0 = 1)
const TAU = [2, 4, 6, 8, 10];
/** Stands for the fixture denoiser (ctx.gm) in a row's arguments; anything else is passed as given. */
const MODEL = Object.freeze({ fixture: 'model' });
const model = () => opaque(MODEL);
/** The schedule's first timestep ('first'), and the wrong types; `valid` lists the ones a class accepts. */
const timestep = (valid = []) => ({ ...opaque('first'), valid: new Set(valid) });
const withModel = (ctx, o) => (o && typeof o === 'object' && o.model === MODEL ? { ...o, model: ctx.gm } : o);
const points = (good = X, valid = ['float32', '-0', 'negative', 'fractional']) => array(good, { valid });
// Su's step formulas and slerp compute in double and return float32: a ±1e308 entry gives ±Infinity entries
// (float32 overflow, not NaN). Documented here as accepted; the schedulers' addNoise rejects such input instead.
const wide = (good = X) => points(good, ['float32', '-0', 'negative', 'fractional', 'huge', '-huge']);
/** ᾱ in [0, 1] for the denoisers (0: pure noise). */
const alphaBar = () => number(0.5, { valid: ['fractional', '-0', 'tiny'] });
const tauKind = () => array(TAU, { valid: ['float32', 'Int32Array', 'Uint8Array'] });  // integer typed arrays are read as integers

// A config key set to null means its default (diffusers' scheduler_config.json writes null).
const nullable = (k) => ({ ...k, valid: new Set([...k.valid, 'null']) });
const configKeys = () => ({
  numTrainTimesteps: int(100), betaStart: number(1e-4, { valid: ['tiny'] }), betaEnd: number(0.02, { valid: ['fractional'] }),
  betaSchedule: enumOf('linear'), predictionType: enumOf('epsilon'), timestepSpacing: enumOf('leading'),
  stepsOffset: int(0, { valid: ['-0'] }), rescaleBetasZeroSnr: bool(false),
});
const nullableConfig = () => Object.fromEntries(Object.entries(configKeys()).map(([k, v]) => [k, nullable(v)]));
// '_'-prefixed keys (_class_name, _diffusers_version, and so a JSON "__proto__") are diffusers metadata: ignored
const configOptions = () => { const k = options({ numTrainTimesteps: 100 }, nullableConfig(), { typo: 'num_train_timestep' }); k.valid.add('__proto__-key'); return k; };
/** An int kind plus the values only the core can judge: more inference steps than numTrainTimesteps (100), and 0. */
const beyondT = (k) => ({ ...k, cases: () => [...k.cases(), { cls: 'beyond-numTrainTimesteps', value: 101 }, { cls: 'zero', value: 0 }] });
const CUSTOM = ['DDIMScheduler', 'DDPMScheduler', 'EulerDiscreteScheduler', 'DPMSolverMultistepScheduler'];  // setTimesteps([...])
const ANY_TIMESTEP = ['DDIMScheduler'];  // DDIM steps from any integer timestep; the others from one of theirs
/** A fresh scheduler with 5 inference steps, the call on it, then dispose (steps move a multistep scheduler on). */
function fresh(pw, cls, f) {
  const s = new pw[cls]({ numTrainTimesteps: 100 });
  try {
    s.setTimesteps(5);
    return f(s, Number(s.timesteps[0]));
  } finally {
    s.dispose();
  }
}
const schedulerRows = SCHEDULERS.flatMap((cls) => [
  {
    name: cls,
    call: (pw, ctx, [c]) => { const s = new pw[cls](c); s.dispose(); return true; },
    args: [configOptions()],
  },
  {
    name: `${cls}.setTimesteps`,
    call: (pw, ctx, [n]) => fresh(pw, cls, (s) => { s.setTimesteps(n); return s.timesteps; }),
    args: [beyondT(int(5, { valid: CUSTOM.includes(cls) ? ['array'] : [] }))],  // [5]: one custom timestep
  },
  {
    name: `${cls}.step`,
    // the timestep is the schedule's first; `step` gives a fresh { prevSample, predOriginalSample }
    call: (pw, ctx, [mo, t, x, o]) => fresh(pw, cls, (s, t0) => s.step(mo, t === 'first' ? t0 : t, x, o)),
    args: [points(), timestep(ANY_TIMESTEP.includes(cls) ? ['bigint'] : []), points(), options({}, { batch: int(2, { valid: [] }) }, { typo: 'Batch' })],
  },
  {
    name: `${cls}.scaleModelInput`,
    call: (pw, ctx, [x, t]) => fresh(pw, cls, (s, t0) => s.scaleModelInput(x, t === 'first' ? t0 : t)),
    // an empty sample is an empty result; DDIM/DDPM ignore the timestep (diffusers' scale_model_input is the identity)
    args: [points(X, ['float32', '-0', 'negative', 'fractional', 'empty']), timestep(cls.startsWith('DD') ? ['bigint', 'undefined'] : [])],
  },
  {
    name: `${cls}.addNoise`,
    call: (pw, ctx, [x, z, t]) => fresh(pw, cls, (s, t0) => s.addNoise(x, z, t === 'first' ? t0 : t)),
    // one timestep per item: [5] is one item's (DDIM/DDPM: any integer timestep; bigint as a number)
    args: [points(), points(), timestep(cls.startsWith('DD') ? ['bigint', 'array'] : [])],
  },
]);

const SAMPLERS = ['ddim', 'ddpm', 'heun', 'euler', 'euler-ancestral', 'dpm++2m', 'dpm++3m', 'dpm++2m-sde', 'unipc'];
const runKeys = () => ({
  model: model(), steps: int(3), count: int(2, { valid: ['-0'] }), seed: seed(0), offset: int(0, { valid: ['-0'] }),
  scheduler: configOptions(),
});
const RUN = { model: MODEL, steps: 3, count: 2, scheduler: { numTrainTimesteps: 100 } };

export async function setup(pw) {
  return { gm: pw.gaussianMixture(MIXTURE), mlp: pw.mlpDenoiser({ hidden: 4, embed: 2, seed: 1 }), clf: await pw.imageClassifier() };
}
export function teardown(ctx) {
  ctx.gm.dispose();
  ctx.mlp.dispose();
  ctx.clf.dispose();
}

// <pw-images> (issue 16): three 8×8 images in [−1, 1], and small point sets for the Fréchet distance.
const IMG = Array.from({ length: 3 * 64 }, (_, i) => ((i * 37) % 17) / 8 - 1);
const images = (valid = ['float32', '-0', 'negative', 'fractional']) => array(IMG, { valid });
const SHOWN = ['float32', '-0', 'negative', 'fractional', 'huge', '-huge'];
const FA = [0, 0, 1, 0, 0, 1], FB = [0, 0, 2, 1, 1, 2];
// (1e308)² overflows: the distance is then +Infinity, as slicedWasserstein's
const imageRows = [
  { name: 'imageDenoiser', call: async (pw, ctx, [o]) => { const m = await pw.imageDenoiser(o); m.dispose(); return true; }, args: [options({}, {}, { typo: 'URL' })] },
  { name: 'imageClassifier', call: async (pw, ctx, [o]) => { const c = await pw.imageClassifier(o); c.dispose(); return true; }, args: [options({}, {}, { typo: 'URL' })] },
  { name: 'digitImages', args: [options({}, { split: enumOf('heldOut') })] },
  { name: 'imageClassifier.features', call: (pw, ctx, [x]) => ctx.clf.features(x), args: [images(['float32', '-0', 'negative', 'fractional', 'empty'])] },
  { name: 'imageClassifier.classify', call: (pw, ctx, [x]) => ctx.clf.classify(x), args: [images(['float32', '-0', 'negative', 'fractional', 'empty'])] },
  {
    name: 'imageQuality',
    call: (pw, ctx, [x, o]) => pw.imageQuality(x, o && typeof o === 'object' && o.classifier === MODEL ? { ...o, classifier: ctx.clf } : o),
    // pixels are scored as shown, clamped to [−1, 1] (diffusion-images.d.ts): ±1e308 is a valid, saturated pixel
    args: [images(SHOWN), options({ classifier: MODEL, reference: IMG }, { classifier: opaque(MODEL), reference: images(SHOWN) }, { required: true, typo: 'Classifier' })],
  },
  { name: 'frechetDistance', args: [wide(FA), wide(FB), int(2)] },
  { name: 'imageRmse', args: [wide(FA), wide(FB)] },
];

const odeKeys = () => ({
  model: model(), tau: tauKind(), abar: array(ABAR, { valid: ['float32'] }), method: enumOf('euler'),
});

export const functions = [
  ...schedulerRows,
  { name: 'suSchedule', args: [int(10, { optional: true })] },
  { name: 'suScheduleCompare', args: [int(10, { optional: true })] },
  { name: 'suScheduleFrom', args: [array([0.9, 0.5, 0.1], { valid: ['float32', 'fractional'] })] },
  { name: 'tauSequence', args: [int(10), int(5), options({}, { spacing: enumOf('uniform') }, { typo: 'Spacing' })] },
  {
    name: 'ddimSigma',
    args: [number(0.5, { valid: ['fractional', 'tiny'] }), number(0.9, { valid: ['fractional'] }), options({}, { eta: number(1, { valid: ['-0', 'fractional', 'tiny', 'huge'] }), choice: enumOf('eta') })],
  },
  { name: 'ddimPosterior', args: [number(0.5, { valid: ['fractional', 'tiny'] }), number(0.9, { valid: ['fractional', 'tiny'] }), number(0.1, { valid: ['-0', 'tiny', 'fractional'] })] },
  {
    name: 'generalizedStep',
    // σ above β̄_prev is clamped (§4.4); noise null means none
    args: [wide(), wide(), options({ abarT: 0.5, abarPrev: 0.9 }, {
      abarT: number(0.5, { valid: ['fractional'] }), abarPrev: number(0.9, { valid: ['fractional', 'tiny'] }),
      sigma: number(0, { valid: ['-0', 'tiny', 'fractional', 'huge'] }), noise: { ...wide(), valid: new Set([...wide().valid, 'null']) },
    }, { required: true, typo: 'AbarT' })],
  },
  { name: 'ddimInvert', call: (pw, ctx, [x, o]) => pw.ddimInvert(x, withModel(ctx, o)), args: [points(), options({ model: MODEL, tau: TAU, abar: ABAR }, odeKeys(), { required: true })] },
  { name: 'ddimGenerate', call: (pw, ctx, [x, o]) => pw.ddimGenerate(x, withModel(ctx, o)), args: [points(), options({ model: MODEL, tau: TAU, abar: ABAR }, odeKeys(), { required: true })] },
  { name: 'slerpNoise', args: [wide(), wide(), number(0.5, { valid: ['-0', 'tiny', 'fractional', 'negative'] })] },
  {
    name: 'gaussianMixture',
    call: (pw, ctx, [spec]) => { const g = pw.gaussianMixture(spec); g.dispose(); return true; },
    args: [options({ ...MIXTURE }, {
      // weights need not be normalised (any ≥ 0 with a positive sum); std 0 is a point mass
      weights: array([1, 1], { valid: ['float32', 'fractional', '-0', 'huge'] }), stds: number(0.3, { valid: ['-0', 'tiny', 'fractional', 'huge'] }), dim: int(2),
      kind: enumOf('mixture'),
    }, { required: true, typo: 'Weights' })],
  },
  {
    name: 'empiricalDenoiser',
    call: (pw, ctx, [spec]) => { const g = pw.empiricalDenoiser(spec); g.dispose(); return true; },
    args: [options({ points: X, dim: 2 }, { points: points(X, ['float32', '-0', 'negative', 'fractional', 'huge', '-huge']), dim: int(2) }, { required: true })],
  },
  {
    name: 'mlpDenoiser',
    call: (pw, ctx, [spec]) => { const m = pw.mlpDenoiser(spec); m.dispose(); return true; },
    args: [options({ hidden: 4, embed: 2 }, { dim: int(2), hidden: int(4), embed: int(2, { valid: ['-0'] }), seed: seed(0), kind: enumOf('mlp') })],
  },
  // no points in, no points out
  { name: 'gaussianMixture.epsilon', call: (pw, ctx, [x, a]) => ctx.gm.epsilon(x, a), args: [points(X, ['float32', '-0', 'negative', 'fractional', 'empty']), alphaBar()] },
  { name: 'gaussianMixture.denoised', call: (pw, ctx, [x, a]) => ctx.gm.denoised(x, a), args: [points(X, ['float32', '-0', 'negative', 'fractional', 'empty']), alphaBar()] },
  { name: 'gaussianMixture.logDensity', call: (pw, ctx, [x, a]) => ctx.gm.logDensity(x, a), args: [points(X, ['float32', '-0', 'negative', 'fractional', 'empty']), alphaBar()] },
  { name: 'gaussianMixture.sample', call: (pw, ctx, [n, o]) => ctx.gm.sample(n, o), args: [int(3, { valid: ['-0'] }), options({}, { seed: seed(0) })] },
  { name: 'mlpDenoiser.epsilon', call: (pw, ctx, [x, a, t]) => ctx.mlp.epsilon(x, a, t), args: [points(X, ['float32', '-0', 'negative', 'fractional', 'empty']), alphaBar(), number(0.5, { valid: ['-0', 'tiny', 'fractional'], optional: true })] },
  {
    name: 'mlpDenoiser.setTraining',
    call: (pw, ctx, [data, o]) => ctx.mlp.setTraining(data, o),
    args: [points(X, ['float32', '-0', 'negative', 'fractional']), options({ batch: 2 }, { batch: int(2), lr: number(1e-3, { valid: ['-0', 'tiny', 'fractional'] }), seed: seed(0), scheduler: configOptions() })],
    check: () => true,
  },
  { name: 'mlpDenoiser.train', call: (pw, ctx, [n]) => ctx.mlp.train(n), args: [int(1, { valid: ['-0'] })] },
  ...SAMPLERS.map((sampler) => ({
    name: 'sampleDiffusion',
    call: (pw, ctx, [o]) => pw.sampleDiffusion(withModel(ctx, o)),
    args: [options({ ...RUN, sampler }, runKeys(), { required: true, typo: 'Model' })],
  })),
  { name: 'sampleDiffusion', call: (pw, ctx, [s]) => pw.sampleDiffusion({ ...RUN, model: ctx.gm, sampler: s }), args: [enumOf('ddim', { optional: true })] },
  { name: 'sampleDiffusion', call: (pw, ctx, [o]) => pw.sampleDiffusion({ ...RUN, model: ctx.gm, sampler: 'ddim', eta: o }), args: [number(0.5, { valid: ['-0', 'tiny', 'fractional'], optional: true })] },
  { name: 'diffusionTrajectory', call: (pw, ctx, [o]) => pw.diffusionTrajectory(withModel(ctx, o)), args: [options({ ...RUN }, runKeys(), { required: true, typo: 'Model' })] },
  { name: 'diffusionPreset', args: [enumOf('ring')] },
  {
    name: 'slicedWasserstein',
    // squared distances overflow to Infinity for ±1e308 entries (the distance itself is about 1e308)
    args: [wide(), wide([0, 0, 1, 1]), int(2), options({ projections: 8 }, { projections: int(8), seed: seed(0) })],
  },
  {
    name: 'suOdeSample',
    call: (pw, ctx, [x, o]) => pw.suOdeSample(x, withModel(ctx, o)),
    args: [points(), options({ model: MODEL, steps: 3 }, { model: model(), time: enumOf('linear'), steps: int(3), method: enumOf('heun'), trajectory: bool(false) }, { required: true, typo: 'Model' })],
  },
  {
    name: 'sigmaHatSample',
    call: (pw, ctx, [x, o]) => pw.sigmaHatSample(x, withModel(ctx, o)),
    args: [points(), options({ model: MODEL, tau: TAU, abar: ABAR }, { model: model(), tau: odeKeys().tau, abar: odeKeys().abar, seed: seed(0) }, { required: true, typo: 'Model' })],
  },
  // sd overflows to Infinity for a ±1e308 value (the mean stays finite)
  { name: 'diffusionMeanSem', args: [array([1, 2, 4], { valid: ['float32', '-0', 'negative', 'fractional', 'huge', '-huge'] })] },
  ...imageRows,
];

const disposedScheduler = (cls, f) => (pw) => { const s = new pw[cls]({ numTrainTimesteps: 100 }); s.setTimesteps(5); s.dispose(); return f(s); };
export const disposed = [
  // every member of a disposed scheduler names itself (DDIM's extras included)
  ...SCHEDULERS.flatMap((cls) => [
    { name: `${cls}.step`, call: disposedScheduler(cls, (s) => s.step(X, 0, X)) },
    { name: `${cls}.setTimesteps`, call: disposedScheduler(cls, (s) => s.setTimesteps(5)) },
    { name: `${cls}.timesteps`, call: disposedScheduler(cls, (s) => s.timesteps) },
    { name: `${cls}.config`, call: disposedScheduler(cls, (s) => s.config) },
    { name: `${cls}.addNoise`, call: disposedScheduler(cls, (s) => s.addNoise(X, X, 0)) },
    // DDIM/DDPM's scaleModelInput is a copy that never reads the scheduler
    ...(cls.startsWith('DD') ? [] : [{ name: `${cls}.scaleModelInput`, call: disposedScheduler(cls, (s) => s.scaleModelInput(X, 0)) }]),
  ]),
  { name: 'DDIMScheduler.variance', call: disposedScheduler('DDIMScheduler', (s) => s.variance(80, 60)) },
  { name: 'DDIMScheduler.finalAlphaCumprod', call: disposedScheduler('DDIMScheduler', (s) => s.finalAlphaCumprod) },
  { name: 'DDPMScheduler.previousTimestep', call: disposedScheduler('DDPMScheduler', (s) => s.previousTimestep(80)) },
  { name: 'gaussianMixture.epsilon', call: (pw) => { const g = pw.gaussianMixture(MIXTURE); g.dispose(); return g.epsilon(X, 0.5); } },
  { name: 'mlpDenoiser.train', call: (pw) => { const m = pw.mlpDenoiser({ hidden: 4, embed: 2 }); m.dispose(); return m.train(1); } },
  { name: 'sampleDiffusion', call: (pw) => { const g = pw.gaussianMixture(MIXTURE); g.dispose(); return pw.sampleDiffusion({ ...RUN, model: g }); } },
  { name: 'imageClassifier.features', call: async (pw) => { const c = await pw.imageClassifier(); c.dispose(); return c.features(IMG); } },
  { name: 'imageClassifier.classify', call: async (pw) => { const c = await pw.imageClassifier(); c.dispose(); return c.classify(IMG); } },
  { name: 'imageQuality', call: async (pw) => { const c = await pw.imageClassifier(); c.dispose(); return pw.imageQuality(IMG, { classifier: c, reference: IMG }); } },
];

export function battery(pw, ctx) {
  const g = pw.gaussianMixture(MIXTURE);
  try {
    return [
      ...['DDIMScheduler', 'DPMSolverMultistepScheduler'].map((cls) => fresh(pw, cls, (s, t0) => [s.step(X, t0, X), s.addNoise(X, X, t0)])),
      pw.suSchedule(10), pw.tauSequence(10, 5), pw.ddimSigma(0.5, 0.9), pw.generalizedStep(X, X, { abarT: 0.5, abarPrev: 0.9 }),
      pw.ddimInvert(X, { model: g, tau: TAU, abar: ABAR }), g.epsilon(X, 0.5), g.sample(3, { seed: 2 }),
      ...['ddim', 'dpm++2m-sde'].map((sampler) => pw.sampleDiffusion({ ...RUN, model: g, sampler, seed: 1 })),
      pw.slicedWasserstein(X, [0, 0, 1, 1], 2, { projections: 8, seed: 1 }), pw.suOdeSample(X, { model: g, steps: 3 }),
      pw.sigmaHatSample(X, { model: g, tau: TAU, abar: ABAR, seed: 1 }), pw.diffusionMeanSem([1, 2, 4]),
      pw.imageQuality(IMG, { classifier: ctx.clf, reference: IMG.slice().reverse() }), ctx.clf.classify(IMG), pw.frechetDistance(FA, FB, 2),
    ];
  } finally {
    g.dispose();
  }
}
