// Type-checked with `tsc --noEmit` against the packed package's own .d.ts (tests/package/package.test.mjs):
// one call per topic, as a TypeScript user would write them.
import { load, topics, type Probwasm, type Topic } from 'probwasm';

const pw: Probwasm = await load();
const p: Float64Array = pw.softmax([1, 2, 3], { temperature: 0.5 });
const lse: number = pw.logsumexp(new Float32Array([1, 2]));
const rows: Float64Array = pw.softmax(new Float64Array(16), { cols: 4 });
const ent: Float64Array = pw.entmax([3, 1, 0], { alpha: 1.5 });
const jac: Float64Array = pw.jacobian('sparsemax', [0.5, 0.4, 0.1]);
const { value, grad } = pw.loss('softmax', [1, 2, 3], 0);
const other: Promise<Probwasm> = load({ wasmUrl: new URL('https://example.org/probwasm.wasm') });
const some = await load({ topics: ['softmax', 'sector'] });
const q: Float64Array = some.sparsemax([1, 2]);
const half: number = some.sectorProbability(4, Math.PI);
// @ts-expect-error: diffusion was not loaded
some.slicedWasserstein([0], [0], 1);
const names: readonly Topic[] = topics;

const P: number = pw.sectorProbability(4, Math.PI);
const exact: { numerator: string; denominator: string } = pw.sectorProbabilityExact(4, 1, 2);
const mc = pw.sectorMonteCarlo(4, Math.PI, { trials: 1000, seed: 1 });

const s = new pw.DDIMScheduler({ numTrainTimesteps: 1000, betaSchedule: 'scaled_linear', timestepSpacing: 'trailing' });
s.setTimesteps(10);
const ts: Int32Array = s.timesteps;
const out = s.step(new Float32Array(4), ts[0], new Float32Array(4), { eta: 0.5 });
const prev: Float32Array = out.prevSample;
s.dispose();
const gmm = pw.gaussianMixture({ weights: [1], means: [[0, 0]], stds: 1 });
const xs: Float32Array = pw.sampleDiffusion({ model: gmm, scheduler: { numTrainTimesteps: 1000 }, steps: 10, count: 10, seed: 1 });
const sw: number = pw.slicedWasserstein(xs, xs, 2, { projections: 16, seed: 1 });

const ratios = pw.loraRatios(768, 768, 8);
const su: number = ratios.su;
const ce = pw.infoNce([10, 0, 0], 0);
const h = pw.minEntropy(16);
const mixer = new pw.TokenMixer('fnet', { n: 8, d: 4 });
mixer[Symbol.dispose]();  // what `using` calls (the .d.ts references lib esnext.disposable)

// @ts-expect-error temperature is a number
pw.softmax([1], { temperature: 'hot' });
// @ts-expect-error the map names are a closed set
pw.jacobian('relu', [1]);
void [p, lse, rows, ent, jac, value, grad, other, P, exact, mc, prev, sw, su, ce, h];

// Workers: the shared one, a dedicated one, a pool; run() is a Promise; the pool's options are closed.
const pool = pw.workerPool({ size: 2 });
const poolSize: number = pool.size;
const curve: Promise<Array<{ theta: number; estimate: number }>> = pool.run('sectorMonteCarloCurve', [5, [1, 2]], { signal: new AbortController().signal });
pw.worker().terminate();
pw.worker(new URL('https://example.com/pw-worker.js')).run('softmax', [[1, 2]], { onProgress: (x) => void x });
// @ts-expect-error size is a number
pw.workerPool({ size: '2' });
void [poolSize, curve];

// <pw-images>' API (issue 16): the shipped digit model is an MlpDenoiser that sampleDiffusion takes.
const digitModel = await pw.imageDenoiser();
const digitClf = await pw.imageClassifier({ url: 'assets/diffusion/digits-models.bin' });
const heldOut = await pw.digitImages({ split: 'heldOut' });
const digitSamples: Float32Array = pw.sampleDiffusion({ model: digitModel, steps: 10, count: 4, seed: 1, scheduler: digitModel.scheduler });
const quality = pw.imageQuality(digitSamples, { classifier: digitClf, reference: heldOut.images });
const scores: number[] = [quality.fid, quality.entropy, pw.frechetDistance(digitSamples, heldOut.images, 64), pw.imageRmse(digitSamples, digitSamples), digitClf.featureDim, digitModel.imageSize];
const probs: Float64Array = digitClf.classify(heldOut.images);
// @ts-expect-error split is 'train' | 'heldOut'
pw.digitImages({ split: 'test' });
digitClf.dispose();
void [scores, probs];
