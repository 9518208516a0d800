// Diffusion facade, part B (post 4, kexue.fm/archives/9181): exact denoisers, the tiny MLP ε-model,
// sampleDiffusion, slicedWasserstein and the Worker tasks built on them. Option parsing and type checks
// only; every number comes from wasm. Mixed into diffusion.js's api(M).
import { DISPOSE, checkArray, checkNumber, checkInt, checkEnum, checkOptions, checkBool, describe } from './common.js';

/**
 * Runs f() as the public function `fn`. A core routine shared by several public functions names itself
 * ('epsilon: …', 'ddimSigma: …'); its RangeError/TypeError is rethrown, same class, as "`fn`: … (in epsilon)",
 * so every message starts with the name the user called. Other errors pass unchanged.
 */
export function asPublic(fn, f) {
  try {
    return f();
  } catch (e) {
    const msg = String(e?.message);
    if (!(e instanceof RangeError || e instanceof TypeError) || msg.startsWith(`${fn}:`)) throw e;
    const m = /^([\w$.]+): ([\s\S]*)$/.exec(msg);
    if (!m) throw new e.constructor(`${fn}: ${msg}`, { cause: e });
    // 'gaussianMixture.epsilon' already says epsilon (and gaussianMixture)
    const inner = fn.endsWith(`.${m[1]}`) || fn.startsWith(`${m[1]}.`) ? '' : ` (in ${m[1]})`;
    throw new e.constructor(`${fn}: ${m[2]}${inner}`, { cause: e });
  }
}

// 'ddim' | 'ddpm' | 'heun': the ᾱ loop of post 4 on DDIM/DDPM schedules. The others run a diffusers scheduler
// class (diffusers' pipeline loop): the class each sampler name means in diffusers.
const SCHEDULER_SAMPLERS = {
  euler: 'EulerDiscreteScheduler',
  'euler-ancestral': 'EulerAncestralDiscreteScheduler',
  'dpm++2m': 'DPMSolverMultistepScheduler',
  'dpm++3m': 'DPMSolverMultistepScheduler',
  'dpm++2m-sde': 'DPMSolverMultistepScheduler',
  unipc: 'UniPCMultistepScheduler',
};
const SAMPLERS = ['ddim', 'ddpm', 'heun', ...Object.keys(SCHEDULER_SAMPLERS)];
const RUN_KEYS = ['model', 'steps', 'count', 'eta', 'sampler', 'seed', 'offset', 'noise', 'scheduler', 'useKarrasSigmas'];
const MAX_SEED = Number.MAX_SAFE_INTEGER;

function seedOption(fn, o, dflt = 0) {
  return o.seed === undefined ? dflt : checkInt(fn, 'seed', o.seed, 0, MAX_SEED);
}

/** number[][] (rows) or a flat array → { flat, rows, cols } (a flat array is one row unless `cols` is given). */
function matrix(fn, name, v, cols) {
  if (Array.isArray(v) && v.length > 0 && (Array.isArray(v[0]) || ArrayBuffer.isView(v[0]))) {
    const c = v[0].length;
    const flat = new Float64Array(v.length * c);
    v.forEach((row, i) => {
      checkArray(fn, `${name}[${i}]`, row);
      if (row.length !== c) throw new RangeError(`${fn}: ${name}[${i}] must have ${c} entries like ${name}[0], got ${row.length}`);
      flat.set(row, i * c);
    });
    return { flat, rows: v.length, cols: c };
  }
  const flat = checkArray(fn, name, v);
  return { flat, rows: cols ? flat.length / cols : 1, cols: cols ?? flat.length };
}

export function samplingApi(M, { parseSchedulerConfig }) {
  /** Base of the JS denoiser objects: wraps a C++ Denoiser; dispose() frees it. */
  class Denoiser {
    constructor(native, fn) { this._d = native; this._fn = fn; }
    get _native() {
      if (!this._d) throw new TypeError(`${this._fn}: the denoiser was disposed`);
      return this._d;
    }
    /** Dimension of a data point. */
    get dim() { return this._native.dim(); }
    /** ε̂(x, ᾱ) for points x (n×dim, row-major); t01 = t/T is only read by time-conditioned models. */
    epsilon(x, alphaBar, t01 = 0) {
      const fn = `${this._fn}.epsilon`;
      return asPublic(fn, () => this._native.epsilon(checkArray(fn, 'x', x), checkNumber(fn, 'alphaBar', alphaBar), checkNumber(fn, 't01', t01)));
    }
    dispose() {
      if (this._d) { this._d.delete(); this._d = null; }
    }
    [DISPOSE]() { this.dispose(); }
  }

  /** Exact ε* of a Gaussian mixture (or of a point set: zero stds). */
  class GaussianMixture extends Denoiser {
    get components() { return this._native.components(); }
    /** E[x₀ | x_t] (Tweedie), n×dim. */
    denoised(x, alphaBar) {
      const fn = `${this._fn}.denoised`;
      return asPublic(fn, () => this._native.denoised(checkArray(fn, 'x', x), checkNumber(fn, 'alphaBar', alphaBar)));
    }
    /** log p_t(x) per point. */
    logDensity(x, alphaBar) {
      const fn = `${this._fn}.logDensity`;
      return asPublic(fn, () => this._native.logDensity(checkArray(fn, 'x', x), checkNumber(fn, 'alphaBar', alphaBar)));
    }
    /** n exact draws from the data distribution (Float32Array n×dim). */
    sample(n, opts) {
      const fn = `${this._fn}.sample`;
      const o = checkOptions(fn, opts, ['seed']);
      return asPublic(fn, () => this._native.sample(checkInt(fn, 'n', n, 0, 1e8), seedOption(fn, o)));
    }
  }

  /** weights (K), means (K points, or flat K×dim), stds (a number, K values, or K×dim for diagonal). */
  function gaussianMixture(spec) {
    const fn = 'gaussianMixture';
    const o = checkOptions(fn, spec, ['kind', 'weights', 'means', 'stds', 'dim'], 'spec');
    if (o.kind !== undefined) checkEnum(fn, 'kind', o.kind, ['mixture']);  // a denoiserFromSpec / diffusionPreset spec
    const weights = checkArray(fn, 'weights', o.weights);
    const means = matrix(fn, 'means', o.means);
    const rowsGiven = Array.isArray(o.means) && (Array.isArray(o.means[0]) || ArrayBuffer.isView(o.means[0]));
    let dim = rowsGiven ? means.cols : undefined;  // points given as rows: dim is their length
    if (o.dim !== undefined) dim = checkInt(fn, 'dim', o.dim, 1);
    if (dim === undefined) {
      dim = weights.length > 0 ? means.flat.length / weights.length : 0;
      if (!Number.isInteger(dim) || dim < 1) {
        throw new RangeError(`${fn}: means must have weights.length × dim entries, got ${means.flat.length} for ${weights.length} weights`);
      }
    }
    const stds = typeof o.stds === 'number' ? new Float64Array(weights.length).fill(o.stds) : matrix(fn, 'stds', o.stds).flat;
    return new GaussianMixture(new M.DiffusionGaussianMixture(weights, means.flat, stds, dim), fn);
  }

  function empiricalDenoiser(spec) {
    const fn = 'empiricalDenoiser';
    const o = checkOptions(fn, spec, ['kind', 'points', 'dim'], 'spec');
    if (o.kind !== undefined) checkEnum(fn, 'kind', o.kind, ['points']);
    const m = matrix(fn, 'points', o.points, o.dim !== undefined ? checkInt(fn, 'dim', o.dim, 1) : undefined);
    if (o.dim === undefined && !Array.isArray(o.points?.[0])) throw new TypeError(`${fn}: dim must be given with a flat points array`);
    return new GaussianMixture(asPublic(fn, () => M.DiffusionGaussianMixture.empirical(m.flat, m.cols)), fn);
  }

  /** The tiny MLP ε-model: train it in chunks (setTraining, then train(iterations) repeatedly). */
  class MlpDenoiser extends Denoiser {
    /** { dim, hidden, embed } */
    get shape() { return this._native.shape(); }
    /** All parameters as one Float32Array (W1, b1, W2, b2, W3, b3); pw.mlpDenoiser({ ...shape, weights }) rebuilds it. */
    get weights() { return this._native.weights(); }
    get iterations() { return this._native.iterations(); }
    /**
     * Training set-up: data x₀ (points as rows or flat), the noise schedule of `scheduler` (a config as for
     * DDIMScheduler), minibatch size, Adam learning rate, seed. Resets Adam.
     */
    setTraining(data, opts) {
      const fn = 'mlpDenoiser.setTraining';
      const o = checkOptions(fn, opts, ['scheduler', 'batch', 'lr', 'seed']);
      const m = matrix(fn, 'data', data, this.dim);
      const cfg = asPublic(fn, () => parseSchedulerConfig('DDIMScheduler', o.scheduler));
      const s = new M.DiffusionDDIMScheduler(cfg);
      let ac;
      try { ac = s.alphasCumprod(); } finally { s.delete(); }
      const batch = o.batch === undefined ? 256 : checkInt(fn, 'batch', o.batch, 1, 65536);
      const lr = o.lr === undefined ? 2e-3 : checkNumber(fn, 'lr', o.lr);
      asPublic(fn, () => this._native.setTraining(m.flat, ac, batch, lr, seedOption(fn, o)));
    }
    /** Runs `iterations` Adam steps; returns their mean loss. */
    train(iterations) {
      const fn = 'mlpDenoiser.train';
      return asPublic(fn, () => this._native.train(checkInt(fn, 'iterations', iterations, 0, 1e7)));
    }
  }

  /** A new MLP ({ dim = 2, hidden = 128, embed = 16, seed }) or one rebuilt from exported `weights`. */
  function mlpDenoiser(spec) {
    const fn = 'mlpDenoiser';
    const o = checkOptions(fn, spec, ['kind', 'dim', 'hidden', 'embed', 'seed', 'weights'], 'spec');
    if (o.kind !== undefined) checkEnum(fn, 'kind', o.kind, ['mlp']);
    const dim = o.dim === undefined ? 2 : checkInt(fn, 'dim', o.dim, 1, 64);
    const hidden = o.hidden === undefined ? 128 : checkInt(fn, 'hidden', o.hidden, 1, 1024);
    const embed = o.embed === undefined ? 16 : checkInt(fn, 'embed', o.embed, 0, 256);
    if (o.weights !== undefined) {
      return new MlpDenoiser(M.DiffusionMlp.fromWeights(dim, hidden, embed, checkArray(fn, 'weights', o.weights)), fn);
    }
    return new MlpDenoiser(new M.DiffusionMlp(dim, hidden, embed, seedOption(fn, o)), fn);
  }

  function modelOf(fn, model) {
    if (model instanceof Denoiser) {
      if (!model._d) throw new TypeError(`${fn}: model was disposed (dispose() was called on it)`);
      return model._native;
    }
    throw new TypeError(`${fn}: model must be a denoiser from pw.gaussianMixture, pw.empiricalDenoiser or pw.mlpDenoiser, got ${describe(model)}`);
  }

  /** A scheduler config + sampler + steps → the schedule arrays of part A's scheduler (DDPM's for 'ddpm'). */
  function scheduleFor(fn, config, sampler, steps) {
    const cls = sampler === 'ddpm' ? 'DDPMScheduler' : 'DDIMScheduler';
    const cfg = parseSchedulerConfig(cls, config);
    // Data here are not images in [−1, 1]: clipping x̂₀ is off unless the config asks for it.
    if (!('clip_sample' in cfg)) cfg.clip_sample = false;
    const native = new M[`Diffusion${cls}`](cfg);
    try {
      native.setTimesteps(steps);
      const ts = native.timesteps();
      return {
        ac: native.alphasCumprod(),
        ts,
        prev: Int32Array.from(ts, (t) => native.previousTimestep(t)),
        // Below t = 0 DDIM lands on final_alpha_cumprod; DDPMScheduler.step uses `self.one`.
        final: cls === 'DDIMScheduler' ? native.finalAlphaCumprod() : 1,
        config: native.config(),
      };
    } finally {
      native.delete();
    }
  }

  function runArgs(fn, opts, keys = RUN_KEYS) {
    const o = checkOptions(fn, opts, keys);
    const model = modelOf(fn, o.model);
    const steps = checkInt(fn, 'steps', o.steps, 1, 1e6);
    const count = checkInt(fn, 'count', o.count, 0, 1e7);
    const eta = o.eta === undefined ? 0 : checkNumber(fn, 'eta', o.eta);
    const sampler = o.sampler === undefined ? 'ddim' : checkEnum(fn, 'sampler', o.sampler, SAMPLERS);
    const seed = seedOption(fn, o);
    const offset = o.offset === undefined ? 0 : checkInt(fn, 'offset', o.offset, 0, 1e9);
    const noise = o.noise === undefined || o.noise === null ? null : checkArray(fn, 'noise', o.noise);
    const karras = o.useKarrasSigmas === undefined ? undefined : checkBool(fn, 'useKarrasSigmas', o.useKarrasSigmas);
    if (sampler in SCHEDULER_SAMPLERS) {
      if (eta !== 0) throw new RangeError(`${fn}: eta must be 0 (or absent) with sampler '${sampler}' (η belongs to 'ddim'), got ${eta}`);
      const cls = SCHEDULER_SAMPLERS[sampler];
      const cfg = parseSchedulerConfig(cls, o.scheduler);
      if (karras !== undefined) {
        if (cls === 'EulerAncestralDiscreteScheduler') throw new TypeError(`${fn}: useKarrasSigmas is not an option of sampler 'euler-ancestral' (diffusers' EulerAncestralDiscreteScheduler has no Karras sigmas)`);
        cfg.use_karras_sigmas = karras;
      }
      return { model, count, sampler, seed, offset, noise, steps, cfg };
    }
    if (karras !== undefined) throw new TypeError(`${fn}: useKarrasSigmas is an option of the diffusers samplers (${Object.keys(SCHEDULER_SAMPLERS).join(', ')}), not of '${sampler}'`);
    const s = scheduleFor(fn, o.scheduler, sampler, steps);
    return { model, count, eta, sampler, seed, offset, noise, s };
  }

  /**
   * sampleDiffusion's float32 fused kernel (src/diffusion/fused_mlp): taken for an MLP model with sampler
   * 'ddim' unless `fused: false` asks for the general path (float32 network, float64 update, one step for all
   * points at a time).
   */
  function fusedRoute(fn, opts, a) {
    const fused = opts.fused === undefined ? true : checkBool(fn, 'fused', opts.fused);
    return fused && opts.model instanceof MlpDenoiser && a.sampler === 'ddim';
  }

  function sampleDiffusion(opts) {
    const a = runArgs('sampleDiffusion', opts, [...RUN_KEYS, 'fused']);
    if (a.cfg) return M.diffusionSampleScheduler(a.model, a.cfg, a.sampler, a.steps, a.count, a.seed, a.offset, a.noise, false);
    if (fusedRoute('sampleDiffusion', opts, a)) {
      return M.diffusionSampleMlpFused(a.model, a.s.ac, a.s.ts, a.s.prev, a.s.final, a.s.config, a.eta, a.count, a.seed,
        a.offset, a.noise);
    }
    return M.diffusionSample(a.model, a.s.ac, a.s.ts, a.s.prev, a.s.final, a.s.config, a.sampler, a.eta, a.count, a.seed,
      a.offset, a.noise);
  }

  function diffusionTrajectory(opts) {
    const a = runArgs('diffusionTrajectory', opts);
    if (a.cfg) return M.diffusionSampleScheduler(a.model, a.cfg, a.sampler, a.steps, a.count, a.seed, 0, a.noise, true);
    const r = M.diffusionTrajectory(a.model, a.s.ac, a.s.ts, a.s.prev, a.s.final, a.s.config, a.sampler, a.eta, a.count,
      a.seed, a.noise);
    return { ...r, timesteps: a.s.ts };
  }

  return {
    gaussianMixture,
    empiricalDenoiser,
    mlpDenoiser,
    /**
     * Runs the whole reverse process in wasm → Float32Array count×dim. Points are seeded one by one, so
     * `offset` (the index of the first point) lets a caller sample in chunks with identical results.
     */
    sampleDiffusion(opts) {
      return asPublic('sampleDiffusion', () => sampleDiffusion(opts));
    },
    /** As sampleDiffusion, keeping every state: { xs: (S+1)×count×dim, x0s: S×count×dim, alphaBar: S+1 levels, timesteps }. */
    diffusionTrajectory(opts) {
      return asPublic('diffusionTrajectory', () => diffusionTrajectory(opts));
    },

    /** The page's 2-D targets as a mixture spec { kind, weights, means (flat), stds, dim }: 'ring' | 'grid' | 'spiral' | 'moons'. */
    diffusionPreset(name) {
      return M.diffusionPreset(checkEnum('diffusionPreset', 'name', name, ['ring', 'grid', 'spiral', 'moons']));
    },
    /** Sliced 2-Wasserstein distance between point sets a and b (rows of `dim`). */
    slicedWasserstein(a, b, dim, opts) {
      const fn = 'slicedWasserstein';
      const o = checkOptions(fn, opts, ['projections', 'seed']);
      const projections = o.projections === undefined ? 256 : checkInt(fn, 'projections', o.projections, 1, 1e6);
      return M.diffusionSlicedWasserstein(checkArray(fn, 'a', a), checkArray(fn, 'b', b), checkInt(fn, 'dim', dim, 1),
        projections, seedOption(fn, o));
    },
  };
}

// ---- Worker tasks: plain-data specs in (a worker cannot receive wasm objects), progress out ----------------

/** A model spec → a denoiser: { kind: 'mixture', weights, means, stds } | { kind: 'points', points, dim } | { kind: 'mlp', ... }. */
export function denoiserFromSpec(pw, spec) {
  const o = checkOptions('denoiserFromSpec', spec);
  const kind = checkEnum('denoiserFromSpec', 'kind', o.kind, ['mixture', 'points', 'mlp']);
  if (kind === 'mixture') return pw.gaussianMixture(o);
  if (kind === 'points') return pw.empiricalDenoiser(o);
  return pw.mlpDenoiser(o);
}

const CHUNK = 2000;

async function* sampleChunks(pw, model, opts, count) {
  const parts = [];
  for (let offset = 0; offset < count; offset += CHUNK) {
    const n = Math.min(CHUNK, count - offset);
    parts.push(pw.sampleDiffusion({ ...opts, model, count: n, offset }));
    yield n;
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Keeps at most `maxFrames`+1 evenly spaced frames of a trajectory (frame 0 and the last always kept). */
function thinFrames(tr, count, dim, maxFrames) {
  const S = tr.alphaBar.length - 1;
  const stride = Math.max(1, Math.ceil(S / maxFrames));
  const keep = [];
  for (let k = 0; k < S; k += stride) keep.push(k);
  keep.push(S);
  const block = count * dim;
  const xs = new Float32Array(keep.length * block), x0s = new Float32Array((keep.length - 1) * block);
  keep.forEach((k, i) => {
    xs.set(tr.xs.subarray(k * block, (k + 1) * block), i * block);
    if (i < keep.length - 1) x0s.set(tr.x0s.subarray(k * block, (k + 1) * block), i * block);
  });
  return { xs, x0s, frames: Int32Array.from(keep), alphaBar: Float64Array.from(keep, (k) => tr.alphaBar[k]), timesteps: tr.timesteps };
}

export const tasks = {
  /**
   * Post 4 §4.5–4.6 with σ = 0 (Su's step formulas, pw.ddimInvert / ddimGenerate / slerpNoise): `count` exact
   * draws x₀ of `target` inverted to x_T and mapped back, and `pairs` slerp paths between two seeded noises
   * (`lambdas` + 1 points each) mapped to data. Returns { x0, xT, xr, paths, sw } with paths
   * (lambdas+1)×pairs×dim and sw = SW₂(reconstruction, x₀).
   */
  async *diffusionInversionDemo(pw, { model: spec, target, scheduler = {}, steps = 50, count = 300, pairs = 6, lambdas = 40, seed = 1 }) {
    const model = denoiserFromSpec(pw, spec);
    const truth = denoiserFromSpec(pw, target);
    try {
      const s = new pw.DDIMScheduler(scheduler);
      let abar;
      try { abar = pw.suScheduleFrom(s.alphasCumprod); } finally { s.dispose(); }
      const tau = pw.tauSequence(abar.length - 1, steps);
      const ode = { model, tau, abar };
      const x0 = truth.sample(count, { seed });
      const xT = pw.ddimInvert(x0, ode);
      yield { done: 1, total: 3 };
      const xr = pw.ddimGenerate(xT, ode);
      yield { done: 2, total: 3 };
      // Two seeded N(0, I) noise sets: the first frame of a (1-step) trajectory is the sampler's own x_T.
      const z = pw.diffusionTrajectory({ model, scheduler, steps: 1, count: 2 * pairs, seed: seed + 1 }).xs;
      const dim = model.dim;
      const z1 = z.subarray(0, pairs * dim), z2 = z.subarray(pairs * dim, 2 * pairs * dim);
      const paths = new Float32Array((lambdas + 1) * pairs * dim);
      for (let k = 0; k <= lambdas; k++) paths.set(pw.ddimGenerate(pw.slerpNoise(z1, z2, k / lambdas), ode), k * pairs * dim);
      return { x0, xT, xr, paths, pairs, lambdas, sw: pw.slicedWasserstein(xr, x0, dim, { projections: 64, seed: 7 }) };
    } finally {
      model.dispose();
      truth.dispose();
    }
  },
  /**
   * The widget's panels: for each run (sampleDiffusion options without the model) a thinned trajectory and
   * the sliced W₂ of its final samples to an exact sample of `target`; also that reference sample.
   */
  async *diffusionPanels(pw, { model: spec, target, runs, referenceCount = 4000, seed = 1, maxFrames = 100, projections = 64 }) {
    const model = denoiserFromSpec(pw, spec);
    const truth = denoiserFromSpec(pw, target);
    try {
      const reference = truth.sample(referenceCount, { seed });
      const out = [];
      for (const run of runs) {
        const tr = pw.diffusionTrajectory({ ...run, model });
        const dim = model.dim;
        const S = tr.alphaBar.length - 1;
        const final = tr.xs.subarray(S * run.count * dim);
        out.push({ ...thinFrames(tr, run.count, dim, maxFrames), sw: pw.slicedWasserstein(final, reference, dim, { projections, seed: 7 }) });
        yield { done: out.length, total: runs.length };
      }
      return { runs: out, reference };
    } finally {
      model.dispose();
      truth.dispose();
    }
  },

  /**
   * Trains an MLP in the Worker on `data` (points) or on `samples` exact draws from `target`:
   * { dim, hidden, embed, seed, scheduler, batch, lr, iterations, chunk }. Yields { done, total, loss }
   * every `chunk` iterations; returns { weights, losses, shape }.
   */
  async *diffusionTrainMlp(pw, { data, target, samples = 4000, dim = 2, hidden = 128, embed = 16, seed = 0, scheduler = {},
    batch = 256, lr = 2e-3, iterations = 3000, chunk = 50 }) {
    if (data === undefined) {
      const truth = denoiserFromSpec(pw, target);
      try { data = truth.sample(samples, { seed: seed + 1 }); } finally { truth.dispose(); }
    }
    const m = pw.mlpDenoiser({ dim, hidden, embed, seed });
    try {
      m.setTraining(data, { scheduler, batch, lr, seed });
      const losses = [];
      for (let done = 0; done < iterations;) {
        const n = Math.min(chunk, iterations - done);
        losses.push(m.train(n));
        done += n;
        yield { done, total: iterations, loss: losses[losses.length - 1] };
      }
      return { weights: m.weights, losses: Float64Array.from(losses), shape: m.shape };
    } finally {
      m.dispose();
    }
  },

  /** sampleDiffusion with a model spec, in chunks of points: yields { done, total }; returns the samples. */
  async *diffusionSample(pw, { model: spec, ...opts }) {
    const model = denoiserFromSpec(pw, spec);
    try {
      const it = sampleChunks(pw, model, opts, opts.count);
      let done = 0;
      for (;;) {
        const r = await it.next();
        if (r.done) return r.value;
        done += r.value;
        yield { done, total: opts.count };
      }
    } finally {
      model.dispose();
    }
  },

  /**
   * The DDIM paper's table (its Table 1, on a 2-D target): sliced W₂ between `count` samples of `model` and
   * `referenceCount` exact draws of `target`, for each (steps, η). Yields { done, total, cell } as cells
   * finish; returns { steps, etas, sw (η-major: sw[j·steps.length + i]), floor } where `floor` is the mean SW of
   * `count` further exact draws (4 of them): what a perfect sampler would score.
   */
  async *diffusionQualityTable(pw, { model: spec, target, steps = [10, 20, 50, 100, 1000], etas = [0, 0.2, 0.5, 1],
    count = 2000, referenceCount = 10000, seed = 1, projections = 64, scheduler = {}, sigmaHat = false }) {
    const model = denoiserFromSpec(pw, spec);
    const truth = denoiserFromSpec(pw, target ?? spec);
    try {
      const reference = truth.sample(referenceCount, { seed: seed + 1000 });
      const dist = (x) => pw.slicedWasserstein(x, reference, model.dim, { projections, seed: 7 });
      // SW of an exact sample is itself noisy (mode masses fluctuate): the floor is the mean over 4 draws.
      let floor = 0;
      const floors = new Float64Array(4);
      for (let k = 0; k < 4; k++) floor += (floors[k] = dist(truth.sample(count, { seed: seed + 2000 + k }))) / 4;
      const sw = new Float64Array(steps.length * etas.length);
      const total = sw.length;
      let done = 0;
      for (let j = 0; j < etas.length; j++) {
        for (let i = 0; i < steps.length; i++) {
          const it = sampleChunks(pw, model, { scheduler, steps: steps[i], eta: etas[j], seed, sampler: 'ddim' }, count);
          let r, got = 0;
          while (!(r = await it.next()).done) yield { done: done + (got += r.value) / count, total };
          sw[j * steps.length + i] = dist(r.value);
          done++;
          yield { done, total, cell: { i, j, sw: sw[j * steps.length + i] } };
        }
      }
      // The DDIM paper's σ̂ row (post 4 §4.3 item 2): σ = β along τ (uniform), Su's step, seeded N(0, I) start.
      let swHat = null;
      if (sigmaHat) {
        const sch = new pw.DDIMScheduler(scheduler);
        let abar;
        try { abar = pw.suScheduleFrom(sch.alphasCumprod); } finally { sch.dispose(); }
        const xT = pw.diffusionTrajectory({ model, scheduler, steps: 1, count, seed }).xs.subarray(0, count * model.dim);
        swHat = new Float64Array(steps.length);
        for (let i = 0; i < steps.length; i++) {
          swHat[i] = dist(pw.sigmaHatSample(xT, { model, tau: pw.tauSequence(abar.length - 1, steps[i]), abar, seed }));
          yield { done, total, hat: { i, sw: swHat[i] } };
        }
      }
      return { steps, etas, sw, floor, floors, floorStats: pw.diffusionMeanSem(floors), swHat };
    } finally {
      model.dispose();
      truth.dispose();
    }
  },

  /**
   * Error bars for the panels' comparison (post 4 §4.5): SW₂ to `referenceCount` exact draws of `target` for each
   * run ({ sampler, eta }) at `steps`, over `seeds` seeds. Yields { done, total }; returns { runs: [{ sw, mean, sd, sem }] }.
   */
  async *diffusionSeedCompare(pw, { model: spec, target, runs, scheduler = {}, steps = 10, count = 600, seeds = 6, referenceCount = 4000,
    seed = 1, projections = 64 }) {
    const model = denoiserFromSpec(pw, spec);
    const truth = denoiserFromSpec(pw, target ?? spec);
    try {
      const reference = truth.sample(referenceCount, { seed });
      const out = [];
      let done = 0;
      for (const run of runs) {
        const sw = new Float64Array(seeds);
        for (let k = 0; k < seeds; k++) {
          const x = pw.sampleDiffusion({ model, scheduler, steps, count, seed: seed + k, sampler: run.sampler, eta: run.eta ?? 0 });
          sw[k] = pw.slicedWasserstein(x, reference, model.dim, { projections, seed: 7 });
          yield { done: ++done, total: runs.length * seeds };
        }
        out.push({ sw, ...pw.diffusionMeanSem(sw) });
      }
      return { runs: out };
    } finally {
      model.dispose();
      truth.dispose();
    }
  },

  /**
   * Su's bounded-time ODEs (post 4 §4.6) against DDIM (σ = 0 Euler in β̄/ᾱ) on the worked schedule: SW₂ to
   * exact draws of `target` after each number of steps. Returns { steps, linear, quadratic, ddim, floor }.
   */
  async *diffusionOdeCompare(pw, { model: spec, target, steps = [5, 10, 20, 50], count = 1000, referenceCount = 4000, seed = 1,
    projections = 64 }) {
    const model = denoiserFromSpec(pw, spec);
    const truth = denoiserFromSpec(pw, target ?? spec);
    try {
      const reference = truth.sample(referenceCount, { seed });
      const dist = (x) => pw.slicedWasserstein(x, reference, model.dim, { projections, seed: 7 });
      const xT = pw.diffusionTrajectory({ model, steps: 1, count, seed: seed + 1 }).xs.subarray(0, count * model.dim);
      const abar = pw.suSchedule(1000);
      const linear = new Float64Array(steps.length), quadratic = new Float64Array(steps.length), ddim = new Float64Array(steps.length);
      for (let i = 0; i < steps.length; i++) {
        linear[i] = dist(pw.suOdeSample(xT, { model, time: 'linear', steps: steps[i], method: 'heun' }));
        quadratic[i] = dist(pw.suOdeSample(xT, { model, time: 'quadratic', steps: steps[i], method: 'heun' }));
        ddim[i] = dist(pw.ddimGenerate(xT, { model, tau: pw.tauSequence(1000, steps[i]), abar }));
        yield { done: i + 1, total: steps.length };
      }
      return { steps, linear, quadratic, ddim, floor: dist(truth.sample(count, { seed: seed + 2 })) };
    } finally {
      model.dispose();
      truth.dispose();
    }
  },

  /**
   * Quality against cost, for <pw-ddim>'s sampler figure (issue 15): sliced W₂ between `count` samples and
   * `referenceCount` exact draws of `target`, for each sampler × step count, over `repeats` seeds; mean and
   * standard deviation per cell are the error bars. NFE counts model evaluations: `steps`, except 'heun',
   * 2·steps − 1 (two per step, one on the last, which lands on t = 0 where no model is evaluated).
   * Yields { done, total, cell }; returns { samplers, steps, nfe, mean, sd, floor } (sampler-major: index
   * i·steps.length + k), floor = the mean SW of 4 further exact draws (what a perfect sampler scores).
   */
  async *diffusionSamplerCost(pw, { model: spec, target, samplers = ['ddim', 'ddpm', 'euler', 'heun', 'dpm++2m', 'unipc'],
    steps = [5, 10, 20, 50], count = 1000, referenceCount = 5000, repeats = 3, seed = 1, projections = 64, scheduler = {},
    useKarrasSigmas }) {
    const model = denoiserFromSpec(pw, spec);
    const truth = denoiserFromSpec(pw, target ?? spec);
    try {
      const reference = truth.sample(referenceCount, { seed: seed + 1000 });
      const dist = (x) => pw.slicedWasserstein(x, reference, model.dim, { projections, seed: 7 });
      let floor = 0;
      for (let k = 0; k < 4; k++) floor += dist(truth.sample(count, { seed: seed + 2000 + k })) / 4;
      const cells = samplers.length * steps.length;
      const mean = new Float64Array(cells), sd = new Float64Array(cells), nfe = new Float64Array(cells);
      let done = 0;
      for (let i = 0; i < samplers.length; i++) {
        for (let k = 0; k < steps.length; k++) {
          const sws = [];
          for (let r = 0; r < repeats; r++) {
            const opts = { scheduler, steps: steps[k], seed: seed + 7919 * r, sampler: samplers[i] };
            if (useKarrasSigmas !== undefined && samplers[i] in SCHEDULER_SAMPLERS && samplers[i] !== 'euler-ancestral') opts.useKarrasSigmas = useKarrasSigmas;
            const it = sampleChunks(pw, model, opts, count);
            let res;
            while (!(res = await it.next()).done) { /* chunk progress is folded into the cell count */ }
            sws.push(dist(res.value));
          }
          const c = i * steps.length + k;
          mean[c] = sws.reduce((a, b) => a + b, 0) / repeats;
          sd[c] = repeats > 1 ? Math.sqrt(sws.reduce((a, b) => a + (b - mean[c]) ** 2, 0) / (repeats - 1)) : 0;
          nfe[c] = samplers[i] === 'heun' ? 2 * steps[k] - 1 : steps[k];
          done++;
          yield { done, total: cells, cell: { i, k, nfe: nfe[c], mean: mean[c], sd: sd[c] } };
        }
      }
      return { samplers, steps, nfe, mean, sd, floor };
    } finally {
      model.dispose();
      truth.dispose();
    }
  },
};
