// Diffusion facade, part C (post 4 on real images, issue 16): the shipped 8×8-digit ε-model and classifier
// (dist/assets/diffusion/digits-models.bin, trained by tools/train_images.cpp), the real digits, the image
// metric and the Worker tasks of <pw-images>. Option parsing and type checks only; every number comes from
// wasm. Mixed into diffusion.js's api(M).
import { DISPOSE, checkArray, checkInt, checkEnum, checkOptions, describe } from './common.js';
import { asPublic } from './diffusion-sampling.js';

/** Where the bundle is shipped: next to this file in dist/. */
export const IMAGES_URL = new URL('./assets/diffusion/digits-models.bin', import.meta.url);

/** The training schedule of the shipped ε-model: DDIMScheduler's defaults (linear β 1e-4 … 0.02, T = 1000). */
const TRAINED_SCHEDULER = Object.freeze({});

async function fetchBytes(fn, url) {
  if (typeof url !== 'string' && !(url instanceof URL)) throw new TypeError(`${fn}: url must be a string or a URL, got ${describe(url)}`);
  const u = new URL(String(url), typeof location === 'object' ? location.href : IMAGES_URL);
  if (u.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(u));
  }
  const r = await fetch(u);
  if (!r.ok) throw new Error(`${fn}: ${u} answered ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

export function imagesApi(M, { mlpDenoiser }) {
  // One decoded bundle per URL and module (kept for the module's lifetime: the page asks for it repeatedly).
  const bundles = new Map();
  function bundle(fn, opts) {
    const o = checkOptions(fn, opts, ['url']);
    const url = o.url === undefined ? IMAGES_URL : o.url;
    if (typeof url !== 'string' && !(url instanceof URL)) return Promise.reject(new TypeError(`${fn}: url must be a string or a URL, got ${describe(url)}`));
    const key = String(url);
    if (!bundles.has(key)) {
      const p = fetchBytes(fn, url).then((bytes) => asPublic(fn, () => new M.DiffusionImageBundle(bytes)));
      p.catch(() => bundles.delete(key));
      bundles.set(key, p);
    }
    return bundles.get(key);
  }

  /** The shipped digit classifier: features for the Fréchet distance, class probabilities. */
  class ImageClassifier {
    #h;
    constructor(native) { this.#h = native; }
    #live(name) {
      if (!this.#h) throw new TypeError(`imageClassifier.${name}: the classifier was disposed`);
      return this.#h;
    }
    /** The native classifier for a public function `fn` of this facade (a TypeError named `fn` once disposed). */
    _handle(fn) {
      if (!this.#h) throw new TypeError(`${fn}: classifier was disposed (dispose() was called on it)`);
      return this.#h;
    }
    /** Width of the feature layer (the space imageQuality's Fréchet distance is measured in). */
    get featureDim() { return this.#live('featureDim').featureDim(); }
    /** Features, Float32Array n × featureDim, of n images (n × 64, values in [−1, 1]). */
    features(x) {
      const fn = 'imageClassifier.features';
      return this.#live('features').features(checkArray(fn, 'x', x));
    }
    /** Class probabilities, Float64Array n × 10 (row = image). */
    classify(x) {
      const fn = 'imageClassifier.classify';
      return this.#live('classify').probabilities(checkArray(fn, 'x', x));
    }
    dispose() {
      if (this.#h) { this.#h.delete(); this.#h = null; }
    }
    [DISPOSE]() { this.dispose(); }
  }

  return {
    /**
     * The shipped ε-model for 8×8 digits in [−1, 1] (an MLP 64 + 32 time features → H → H → 64, trained by
     * tools/train_images.cpp with the DDPM loss): a pw.mlpDenoiser, so sampleDiffusion, diffusionTrajectory,
     * ddimInvert … accept it. Its `scheduler` is the training schedule (DDIMScheduler's defaults).
     */
    async imageDenoiser(opts) {
      const fn = 'imageDenoiser';
      const b = await bundle(fn, opts);
      const m = mlpDenoiser({ ...b.epsShape(), weights: b.epsWeights() });
      Object.defineProperties(m, {
        scheduler: { value: TRAINED_SCHEDULER, enumerable: true },
        imageSize: { value: 8, enumerable: true },
      });
      return m;
    },
    /** The shipped digit classifier (64 → 128 → 32 → 10, SiLU); dispose() frees it. */
    async imageClassifier(opts) {
      const b = await bundle('imageClassifier', opts);
      return new ImageClassifier(b.classifier());
    },
    /**
     * The real 8×8 digits (UCI optdigits, CC BY 4.0) in [−1, 1] (pixel/8 − 1), with labels. split 'train' (1438
     * images) or 'heldOut' (359: file rows i with i % 5 = 4). → { images: Float32Array n×64, labels: Int32Array, count }.
     */
    async digitImages(opts) {
      const fn = 'digitImages';
      const o = checkOptions(fn, opts, ['url', 'split']);
      const split = o.split === undefined ? 'heldOut' : checkEnum(fn, 'split', o.split, ['train', 'heldOut']);
      const b = await bundle(fn, o.url === undefined ? {} : { url: o.url });
      const held = split === 'heldOut';
      const images = b.images(held);
      return { images, labels: b.labels(held), count: images.length / 64, split };
    },
    /**
     * Scores n generated images (n × 64, [−1, 1]) against `reference` real images in the classifier's feature
     * space: { fid (Fréchet distance², FID-like), histogram (predicted-class fractions, 10), entropy (nats,
     * log 10 when uniform), confidence (mean max-probability), count }.
     */
    imageQuality(samples, opts) {
      const fn = 'imageQuality';
      const o = checkOptions(fn, opts, ['classifier', 'reference']);
      if (!(o.classifier instanceof ImageClassifier)) {
        throw new TypeError(`${fn}: classifier must come from await pw.imageClassifier(), got ${describe(o.classifier)}`);
      }
      const c = o.classifier._handle(fn);
      const x = checkArray(fn, 'samples', samples), ref = checkArray(fn, 'reference', o.reference);
      return asPublic(fn, () => c.quality(x, ref));
    },
    /**
     * Fréchet distance² between Gaussians fitted to two point sets (rows of `dim`): ‖μa − μb‖² + tr(Σa + Σb
     * − 2(Σa^{1/2} Σb Σa^{1/2})^{1/2}) (Heusel et al. 2017 eq. 6).
     */
    frechetDistance(a, b, dim) {
      const fn = 'frechetDistance';
      return M.diffusionFrechetDistance(checkArray(fn, 'a', a), checkArray(fn, 'b', b), checkInt(fn, 'dim', dim, 1, 4096));
    },
    /** Root-mean-square difference of two equally long arrays (e.g. an image and its inversion round trip). */
    imageRmse(a, b) {
      const fn = 'imageRmse';
      return M.diffusionRmsDifference(checkArray(fn, 'a', a), checkArray(fn, 'b', b));
    },
  };
}

// ---- Worker tasks of <pw-images>: plain data in and out, progress out ------------------------------------

/**
 * Loads the shipped models and the held-out reference once per Worker and URL. The promise is cached, so
 * tasks that start together share one load; the models stay alive for the Worker's lifetime (tasks in
 * flight may be using them).
 */
const shared = new Map();
function models(pw, url) {
  const key = url === undefined ? '' : String(url);
  if (!shared.has(key)) {
    const o = url === undefined ? {} : { url };
    const p = Promise.all([pw.imageDenoiser(o), pw.imageClassifier(o), pw.digitImages(o)])
      .then(([model, classifier, held]) => ({ model, classifier, reference: held.images, labels: held.labels }));
    p.catch(() => shared.delete(key));
    shared.set(key, p);
  }
  return shared.get(key);
}

/** Keeps `keep` evenly spaced x̂₀ frames (first and last included) of `count` images. */
function framesOf(x0s, S, count, keep) {
  const block = count * 64;
  const idx = [];
  for (let k = 0; k < keep; k++) idx.push(Math.round((k * (S - 1)) / Math.max(1, keep - 1)));
  const out = new Float32Array(idx.length * block);
  idx.forEach((s, i) => out.set(x0s.subarray(s * block, (s + 1) * block), i * block));
  return { frames: out, steps: Int32Array.from(idx, (s) => s + 1) };
}

export const imagesTasks = {
  /**
   * The grid: `count` samples of the shipped model (sampleDiffusion options: steps, eta, sampler, seed,
   * scheduler), their metric, and the x̂₀ predictions of the first `trajCount` images at `frames` steps.
   */
  async *imagesGrid(pw, { steps = 10, eta = 0, sampler = 'ddim', seed = 1, count = 64, scheduler = { clipSample: false },
    trajCount = 8, frames = 6, url }) {
    const { model, classifier, reference } = await models(pw, url);
    yield { done: 0, total: 2 };
    const samples = pw.sampleDiffusion({ model, scheduler, steps, eta, sampler, seed, count });
    const tr = pw.diffusionTrajectory({ model, scheduler, steps, eta, sampler, seed, count: trajCount });
    const S = tr.alphaBar.length - 1;
    yield { done: 1, total: 2 };
    const quality = count >= 2 ? pw.imageQuality(samples, { classifier, reference }) : null;
    const labels = classifier.classify(samples);
    return { samples, quality, probabilities: labels, x0: framesOf(tr.x0s, S, trajCount, Math.min(frames, S)), xT: tr.xs.subarray(0, trajCount * 64) };
  },

  /**
   * The DDIM paper's table on digits: the Fréchet distance (classifier features) of `count` samples to the
   * held-out digits for each (steps, η), and the entropy of their class histogram; `floor` scores `count`
   * real training digits the same way. Yields { done, total, cell }; returns { steps, etas, fid, entropy
   * (η-major: [j·steps.length + i]), floor, floorEntropy }.
   */
  async *imagesQualityTable(pw, { steps = [5, 10, 20, 50, 100], etas = [0, 0.5, 1], count = 500, seed = 1, scheduler = { clipSample: false }, url }) {
    const { model, classifier, reference } = await models(pw, url);
    const fid = new Float64Array(steps.length * etas.length), entropy = new Float64Array(fid.length);
    let done = 0;
    for (let j = 0; j < etas.length; j++) {
      for (let i = 0; i < steps.length; i++) {
        const x = pw.sampleDiffusion({ model, scheduler, steps: steps[i], eta: etas[j], seed, count });
        const q = pw.imageQuality(x, { classifier, reference });
        fid[j * steps.length + i] = q.fid;
        entropy[j * steps.length + i] = q.entropy;
        done++;
        yield { done, total: fid.length + 1, cell: { i, j, fid: q.fid, entropy: q.entropy } };
      }
    }
    const train = await pw.digitImages({ split: 'train', ...(url === undefined ? {} : { url }) });
    const n = Math.min(count, train.count);
    const f = pw.imageQuality(train.images.subarray(0, n * 64), { classifier, reference });
    return { steps, etas, fid, entropy, floor: f.fid, floorEntropy: f.entropy };
  },

  /**
   * Slerp between two seeded noises (post 4 §4.5), each point mapped to an image by DDIM η = 0 (`steps`):
   * `lambdas` + 1 images. Returns { images: (lambdas+1) × 64 }.
   */
  async *imagesSlerp(pw, { steps = 20, seed = 1, seed2 = 2, lambdas = 8, scheduler = { clipSample: false }, url }) {
    const { model } = await models(pw, url);
    const z = (s) => pw.diffusionTrajectory({ model, scheduler, steps: 1, count: 1, seed: s }).xs.subarray(0, 64);
    const z1 = z(seed), z2 = z(seed2);
    const images = new Float32Array((lambdas + 1) * 64);
    for (let k = 0; k <= lambdas; k++) {
      const noise = pw.slerpNoise(z1, z2, k / lambdas);
      images.set(pw.sampleDiffusion({ model, scheduler, steps, eta: 0, count: 1, noise }), k * 64);
      yield { done: k + 1, total: lambdas + 1 };
    }
    return { images, lambdas };
  },

  /**
   * DDIM inversion of held-out real digit `index` (post 4 §4.5, σ = 0, Su's step on `steps` uniform τ) and
   * back: { x0, xT, xr, rms (root-mean-square pixel error of the round trip), label }.
   */
  async *imagesInversion(pw, { index = 0, steps = 50, url }) {
    const { model, reference, labels } = await models(pw, url);
    const n = reference.length / 64;
    const k = ((index % n) + n) % n;
    const x0 = reference.slice(k * 64, (k + 1) * 64);
    const s = new pw.DDIMScheduler({});
    let abar;
    try { abar = pw.suScheduleFrom(s.alphasCumprod); } finally { s.dispose(); }
    const ode = { model, tau: pw.tauSequence(abar.length - 1, steps), abar };
    const xT = pw.ddimInvert(x0, ode);
    yield { done: 1, total: 2 };
    const xr = pw.ddimGenerate(xT, ode);
    return { x0, xT, xr, rms: pw.imageRmse(x0, xr), label: labels[k], index: k };
  },
};
