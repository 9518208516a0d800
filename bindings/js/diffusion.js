// Diffusion facade (post 4, kexue.fm/archives/9181): option parsing and type checks only; every number
// comes from wasm. Part A: the reference-exact DDIMScheduler / DDPMScheduler classes (diffusers semantics)
// and Su's own step formulas. Part B adds the denoisers, sampleDiffusion and slicedWasserstein below.
import { DISPOSE, checkArray, checkNumber, checkInt, checkEnum, checkOptions, checkBool, describe } from './common.js';
// Part B (denoisers, MLP, sampleDiffusion, slicedWasserstein, Worker tasks) lives in diffusion-sampling.js.
import { asPublic, samplingApi, tasks as samplingTasks } from './diffusion-sampling.js';
// Part C (the shipped 8×8-digit models, the image metric, <pw-images>'s Worker tasks) lives in diffusion-images.js.
import { imagesApi, imagesTasks } from './diffusion-images.js';
export const tasks = { ...samplingTasks, ...imagesTasks };

// camelCase config key → [diffusers name, kind, classes that have it (absent: all six)].
// kind: 'int' | 'number' | 'bool' | 'array' | enum list.
const DD = ['DDIMScheduler', 'DDPMScheduler'];
const EULER = 'EulerDiscreteScheduler';
const EULER_A = 'EulerAncestralDiscreteScheduler';
const DPM = 'DPMSolverMultistepScheduler';
const UNIPC = 'UniPCMultistepScheduler';
const CONFIG_KEYS = {
  numTrainTimesteps: ['num_train_timesteps', 'int'],
  betaStart: ['beta_start', 'number'],
  betaEnd: ['beta_end', 'number'],
  betaSchedule: ['beta_schedule', ['linear', 'scaled_linear', 'squaredcos_cap_v2', 'sigmoid']],
  trainedBetas: ['trained_betas', 'array'],
  clipSample: ['clip_sample', 'bool', DD],
  clipSampleRange: ['clip_sample_range', 'number', DD],
  setAlphaToOne: ['set_alpha_to_one', 'bool', ['DDIMScheduler']],
  stepsOffset: ['steps_offset', 'int'],
  predictionType: ['prediction_type', ['epsilon', 'sample', 'v_prediction']],
  thresholding: ['thresholding', 'bool', [...DD, DPM, UNIPC]],
  dynamicThresholdingRatio: ['dynamic_thresholding_ratio', 'number', [...DD, DPM, UNIPC]],
  sampleMaxValue: ['sample_max_value', 'number', [...DD, DPM, UNIPC]],
  timestepSpacing: ['timestep_spacing', ['leading', 'trailing', 'linspace']],
  rescaleBetasZeroSnr: ['rescale_betas_zero_snr', 'bool'],
  varianceType: ['variance_type',
    ['fixed_small', 'fixed_small_log', 'fixed_large', 'fixed_large_log', 'learned', 'learned_range'], ['DDPMScheduler']],
  useKarrasSigmas: ['use_karras_sigmas', 'bool', [EULER, DPM, UNIPC]],
  finalSigmasType: ['final_sigmas_type', ['zero', 'sigma_min'], [EULER, DPM, UNIPC]],
  interpolationType: ['interpolation_type', ['linear', 'log_linear'], [EULER]],
  sigmaMin: ['sigma_min', 'number', [EULER, UNIPC]],
  sigmaMax: ['sigma_max', 'number', [EULER, UNIPC]],
  solverOrder: ['solver_order', 'int', [DPM, UNIPC]],
  algorithmType: ['algorithm_type', ['dpmsolver++', 'dpmsolver', 'sde-dpmsolver++', 'sde-dpmsolver'], [DPM]],
  solverType: ['solver_type', ['midpoint', 'heun', 'bh1', 'bh2'], [DPM, UNIPC]],
  lowerOrderFinal: ['lower_order_final', 'bool', [DPM, UNIPC]],
  eulerAtFinal: ['euler_at_final', 'bool', [DPM]],
  predictX0: ['predict_x0', 'bool', [UNIPC]],
};
const SNAKE = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, v]) => [v[0], k]));
const hasKey = (cls, name) => !CONFIG_KEYS[name][2] || CONFIG_KEYS[name][2].includes(cls);
/** The keys `cls` reads, camelCase (the allowed list of its config object). */
export const configKeys = (cls) => Object.keys(CONFIG_KEYS).filter((k) => hasKey(cls, k));

// diffusers config keys this port does not implement (they appear in scheduler_config.json files): accepted
// only with the value that means "feature off" (the reference default), so a config that turns one of them
// on is a TypeError instead of silently different numbers. skip_prk_steps (PNDM) changes nothing here.
const SAME = Symbol('any value');
const UNPORTED = {
  skip_prk_steps: SAME, use_exponential_sigmas: false, use_beta_sigmas: false, use_lu_lambdas: false,
  use_flow_sigmas: false, flow_shift: 1, timestep_type: 'discrete', lambda_min_clipped: -Infinity,
  disable_corrector: [], solver_p: null, use_dynamic_shifting: false, time_shift_type: 'exponential',
  shift_terminal: null, sigma_min: null, sigma_max: null, variance_type: null, euler_at_final: false,
  clip_sample: false, set_alpha_to_one: SAME, clip_sample_range: SAME, thresholding: false,
  dynamic_thresholding_ratio: SAME, sample_max_value: SAME, use_karras_sigmas: false,
  final_sigmas_type: SAME, interpolation_type: 'linear', solver_order: SAME, algorithm_type: SAME,
  solver_type: SAME, lower_order_final: SAME, predict_x0: SAME,
};
const isOff = (v, off) => off === SAME || v === null || v === undefined || v === off ||
  (Array.isArray(off) && Array.isArray(v) && v.length === 0);

/**
 * Config object → plain object with diffusers (snake_case) keys for the binding. camelCase keys are
 * checked strictly (unknown → TypeError naming the key). A diffusers scheduler_config.json can be passed as
 * is: the snake_case spellings of the keys above are their documented aliases, `_class_name`-style metadata
 * keys are skipped, diffusers keys of features not ported here are accepted only at their "off" value, and
 * `null` means "default". Any other key is a TypeError (a typo never passes silently).
 */
export function parseSchedulerConfig(cls, config) {
  const c = checkOptions(cls, config, undefined, 'config');
  const out = {};
  for (const key of Reflect.ownKeys(c)) {
    if (typeof key !== 'string') throw new TypeError(`${cls}: config keys must be strings, got ${String(key)}`);
    const value = c[key];
    let name = key;
    if (!(key in CONFIG_KEYS) || !Object.hasOwn(CONFIG_KEYS, key)) {
      if (Object.hasOwn(SNAKE, key) && hasKey(cls, SNAKE[key])) name = SNAKE[key];
      else if (key.startsWith('_')) continue;
      else if (Object.hasOwn(UNPORTED, key)) {
        if (isOff(value, UNPORTED[key])) continue;
        throw new TypeError(`${cls}: config.${key} = ${describe(value)} is a diffusers option ${cls} does not implement (only its default is accepted)`);
      } else if (Object.hasOwn(SNAKE, key)) {
        throw new TypeError(`${cls}: config.${key} is not a ${cls} option`);
      } else throw new TypeError(`${cls}: config.${key} is not a ${cls} option (known: ${configKeys(cls).join(', ')}, or their diffusers snake_case names)`);
    }
    if (!hasKey(cls, name)) {
      throw new TypeError(`${cls}: config.${key} is a ${CONFIG_KEYS[name][2].join(' / ')} option, not a ${cls} one`);
    }
    const [snake, kind] = CONFIG_KEYS[name];
    if (value === undefined || value === null) continue;
    const p = `config.${name}`;
    if (kind === 'int') out[snake] = checkInt(cls, p, value, -2147483648, 2147483647);
    else if (kind === 'number') out[snake] = checkNumber(cls, p, value);
    else if (kind === 'bool') out[snake] = checkBool(cls, p, value);
    else if (kind === 'array') out[snake] = Float64Array.from(checkArray(cls, p, value));
    else out[snake] = checkEnum(cls, p, value, kind);
  }
  return out;
}

/**
 * What every scheduler facade shares: its native object (a dropped one is freed by errors.js's
 * FinalizationRegistry, like every object an Embind constructor returns), the disposed checks, config, dispose.
 */
class SchedulerHandle {
  constructor(cls, native) {
    this._cls = cls;
    this._s = native;
  }
  get _native() {
    if (!this._s) throw new TypeError(`${this._cls}: the scheduler was disposed`);
    return this._s;
  }
  /** The native scheduler, or the TypeError naming the public member called on a disposed one. */
  _live(name) {
    if (!this._s) throw new TypeError(`${this._cls}.${name}: the scheduler was disposed (dispose() was called on it)`);
    return this._s;
  }
  /** The full config with defaults, camelCase keys (solverType: the effective one). */
  get config() {
    const cls = this._cls, raw = this._live('config').config();
    const out = {};
    for (const [name, [snake]] of Object.entries(CONFIG_KEYS)) {
      if (!hasKey(cls, name)) continue;
      out[name] = name === 'trainedBetas' ? (raw[snake].length ? raw[snake] : null) : raw[snake];
    }
    if ('solverType' in out && out.solverType === null) out.solverType = cls === UNIPC ? 'bh2' : 'midpoint';
    return out;
  }
  dispose() {
    if (this._s) { this._s.delete(); this._s = null; }
  }
  [DISPOSE]() { this.dispose(); }
}

/** An integer list (tau, timesteps) → Int32Array; 5.5 or NaN is a RangeError, not silently truncated. */
function intList(fn, name, v) {
  const list = checkArray(fn, name, ArrayBuffer.isView(v) && !(v instanceof Float64Array || v instanceof Float32Array || v instanceof DataView) ? Array.from(v, Number) : v);
  return Int32Array.from(list, (t, i) => checkInt(fn, `${name}[${i}]`, t));
}

function checkTimestep(fn, t) {
  if (typeof t === 'bigint') t = Number(t);
  return checkInt(fn, 'timestep', t);
}

/** step() options → the binding's positional arguments. */
function stepArgs(fn, opts, n, allowed) {
  const o = checkOptions(fn, opts, allowed);
  const eta = o.eta === undefined ? 0 : checkNumber(fn, 'eta', o.eta);
  let clipped = false;
  if (o.useClippedModelOutput !== undefined) {
    if (typeof o.useClippedModelOutput !== 'boolean') {
      throw new TypeError(`${fn}: useClippedModelOutput must be a boolean, got ${describe(o.useClippedModelOutput)}`);
    }
    clipped = o.useClippedModelOutput;
  }
  const noise = o.varianceNoise === undefined || o.varianceNoise === null ? null : checkArray(fn, 'varianceNoise', o.varianceNoise);
  const seed = o.seed === undefined || o.seed === null ? -1 : checkInt(fn, 'seed', o.seed, 0, Number.MAX_SAFE_INTEGER);
  return [eta, clipped, noise, seed, batchOption(fn, o, n)];
}

/** `batch` (items in the flat sample) or `shape` (batch = shape[0], product = length). Default 1. */
function batchOption(fn, o, n) {
  if (o.shape !== undefined) {
    if (!Array.isArray(o.shape) || o.shape.length === 0) throw new TypeError(`${fn}: shape must be a non-empty array of integers, got ${describe(o.shape)}`);
    let prod = 1;
    o.shape.forEach((d, i) => { prod *= checkInt(fn, `shape[${i}]`, d, 0); });
    if (prod !== n) throw new RangeError(`${fn}: shape must have ${n} elements in all (the sample's length), got ${prod}`);
    if (o.batch !== undefined && o.batch !== o.shape[0]) throw new RangeError(`${fn}: batch must equal shape[0] = ${o.shape[0]}, got ${o.batch}`);
    return o.shape[0];
  }
  return o.batch === undefined ? 1 : checkInt(fn, 'batch', o.batch, 1);
}

const STEP_KEYS = {
  DDIMScheduler: ['eta', 'useClippedModelOutput', 'varianceNoise', 'seed', 'batch', 'shape'],
  DDPMScheduler: ['varianceNoise', 'seed', 'batch', 'shape'],
  EulerDiscreteScheduler: ['batch', 'shape'],
  EulerAncestralDiscreteScheduler: ['varianceNoise', 'seed', 'batch', 'shape'],
  DPMSolverMultistepScheduler: ['varianceNoise', 'seed', 'batch', 'shape'],
  UniPCMultistepScheduler: ['batch', 'shape'],
};

/** A timestep or an array of them (one per item) → Float64Array for the σ schedulers. */
function timestepList(fn, timestep) {
  if (typeof timestep === 'number') return Float64Array.of(checkNumber(fn, 'timestep', timestep));
  if (ArrayBuffer.isView(timestep) && !(timestep instanceof DataView)) return Float64Array.from(timestep, Number);
  return Float64Array.from(checkArray(fn, 'timestep', timestep));
}

const NATIVE_SIGMA = {
  [EULER]: 'DiffusionEulerScheduler',
  [EULER_A]: 'DiffusionEulerAncestralScheduler',
  [DPM]: 'DiffusionDPMSolverScheduler',
  [UNIPC]: 'DiffusionUniPCScheduler',
};

/** Euler / Euler ancestral / DPM-Solver multistep / UniPC multistep (diffusers 0.40 semantics). */
function makeSigmaScheduler(M, cls) {
  const fnStep = `${cls}.step`;
  const C = class extends SchedulerHandle {
    /** @param {object} [config] diffusers config (camelCase, or snake_case as in scheduler_config.json) */
    constructor(config) {
      super(cls, new M[NATIVE_SIGMA[cls]](parseSchedulerConfig(cls, config)));
    }
    get betas() { return this._live('betas').betas(); }
    /** ᾱ_t as float32 (with ᾱ_{T−1} = 2⁻²⁴ under rescaleBetasZeroSnr, as in the reference). */
    get alphasCumprod() { return this._live('alphasCumprod').alphasCumprod(); }
    /** diffusers' scheduler.timesteps: Float32Array (Euler family) or Int32Array (multistep). */
    get timesteps() { return this._live('timesteps').timesteps(); }
    /** σ_i for each timestep plus the final σ (0 with finalSigmasType 'zero'), float32. */
    get sigmas() { return this._live('sigmas').sigmas(); }
    get initNoiseSigma() { return this._live('initNoiseSigma').initNoiseSigma(); }
    get numInferenceSteps() { const n = this._live('numInferenceSteps').numInferenceSteps(); return n === 0 ? null : n; }
    /** diffusers' step_index: the index of the next step, null before the first one. */
    get stepIndex() { const i = this._live('stepIndex').stepIndex(); return i < 0 ? null : i; }
    get order() { return 1; }
    /**
     * Sets the inference schedule and resets the step counter and multistep history. Euler and DPM-Solver
     * also take custom timesteps, as diffusers' set_timesteps(timesteps=…): setTimesteps({ timesteps }) or
     * setTimesteps([...]) (DPM: integers; not with useKarrasSigmas).
     */
    setTimesteps(numInferenceSteps) {
      const fn = `${cls}.setTimesteps`;
      const n = numInferenceSteps;
      const custom = cls === EULER || cls === DPM;
      if (custom && (Array.isArray(n) || ArrayBuffer.isView(n) || (n !== null && typeof n === 'object'))) {
        const o = Array.isArray(n) || ArrayBuffer.isView(n) ? { timesteps: n } : checkOptions(fn, n, ['timesteps']);
        const ts = ArrayBuffer.isView(o.timesteps) && !(o.timesteps instanceof DataView) ? Array.from(o.timesteps, Number) : o.timesteps;
        this._live('setTimesteps').setCustomTimesteps(Float64Array.from(checkArray(fn, 'timesteps', ts)));
        return;
      }
      this._live('setTimesteps').setTimesteps(checkInt(fn, 'numInferenceSteps', n, 1));
    }
    /** x/√(σ²+1) for the Euler family (call it before the model, as diffusers pipelines do); a copy otherwise. */
    scaleModelInput(sample, timestep) {
      const fn = `${cls}.scaleModelInput`;
      return this._live('scaleModelInput').scaleModelInput(checkArray(fn, 'sample', sample), checkNumber(fn, 'timestep', timestep));
    }
    /**
     * One step from `timestep` (one of `timesteps`, in order) → { prevSample, predOriginalSample }.
     * opts: varianceNoise (the standard normals diffusers would draw: Euler a, SDE-DPM-Solver), seed
     * (reseeds the scheduler's own normal stream), batch / shape (items, for thresholding).
     */
    step(modelOutput, timestep, sample, opts) {
      const mo = checkArray(fnStep, 'modelOutput', modelOutput);
      const t = checkNumber(fnStep, 'timestep', typeof timestep === 'bigint' ? Number(timestep) : timestep);
      const x = checkArray(fnStep, 'sample', sample);
      const o = checkOptions(fnStep, opts, STEP_KEYS[cls]);
      const noise = o.varianceNoise === undefined || o.varianceNoise === null ? null : checkArray(fnStep, 'varianceNoise', o.varianceNoise);
      const seed = o.seed === undefined || o.seed === null ? -1 : checkInt(fnStep, 'seed', o.seed, 0, Number.MAX_SAFE_INTEGER);
      return this._live('step').step(mo, t, x, noise, seed, batchOption(fnStep, o, x.length));
    }
    /** Noise `original` to `timestep` (one of `timesteps`; one per item allowed). */
    addNoise(original, noise, timestep) {
      const fn = `${cls}.addNoise`;
      return this._live('addNoise').addNoise(checkArray(fn, 'original', original), checkArray(fn, 'noise', noise), timestepList(fn, timestep));
    }
  };
  Object.defineProperty(C, 'name', { value: cls });
  return C;
}

function makeScheduler(M, cls) {
  const Native = cls === 'DDIMScheduler' ? 'DiffusionDDIMScheduler' : 'DiffusionDDPMScheduler';
  const fnStep = `${cls}.step`;
  return class extends SchedulerHandle {
    /** @param {object} [config] diffusers config (camelCase, or snake_case as in scheduler_config.json) */
    constructor(config) {
      super(cls, new M[Native](parseSchedulerConfig(cls, config)));
    }
    get betas() { return this._live('betas').betas(); }
    get alphas() { return this._live('alphas').alphas(); }
    /** ᾱ_t as float32, exactly the reference's torch.float32 values. */
    get alphasCumprod() { return this._live('alphasCumprod').alphasCumprod(); }
    get timesteps() { return this._live('timesteps').timesteps(); }
    get numInferenceSteps() { const n = this._live('numInferenceSteps').numInferenceSteps(); return n === 0 ? null : n; }
    get initNoiseSigma() { return 1; }
    /** diffusers' scale_model_input: these schedulers leave the model input as it is (a fresh copy). */
    scaleModelInput(sample, timestep) {
      const fn = `${cls}.scaleModelInput`;
      if (timestep !== undefined) checkTimestep(fn, timestep);
      const out = Float32Array.from(checkArray(fn, 'sample', sample));
      // as step and addNoise: every entry finite in float32 (1e308 overflows to Infinity)
      const bad = out.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new RangeError(`${fn}: sample[${bad}] must be finite in float32, got ${sample[bad]}`);
      return out;
    }
    get order() { return 1; }
    /**
     * setTimesteps(n), setTimesteps(n, { previousTimestep }) (DDIM), or custom descending timesteps:
     * setTimesteps({ timesteps }), setTimesteps([...]) or setTimesteps(undefined, { timesteps }).
     * DDIM previousTimestep: 'stride' (default, diffusers: t − T//n, which misses the 'linspace'/'trailing'
     * grids) or 'schedule' (the next entry of timesteps; custom timesteps always follow the list).
     */
    setTimesteps(numInferenceSteps, opts) {
      const fn = `${cls}.setTimesteps`;
      let n = numInferenceSteps;
      if (n !== null && typeof n === 'object' && !Array.isArray(n) && !ArrayBuffer.isView(n)) {
        if (opts !== undefined) throw new TypeError(`${fn}: pass options once (setTimesteps({ timesteps }) or setTimesteps(n, opts))`);
        opts = n;
        n = undefined;
      }
      const o = checkOptions(fn, opts, cls === 'DDIMScheduler' ? ['timesteps', 'previousTimestep'] : ['timesteps']);
      const rule = o.previousTimestep === undefined ? undefined : checkEnum(fn, 'previousTimestep', o.previousTimestep, ['stride', 'schedule']);
      if (o.timesteps !== undefined || Array.isArray(n) || ArrayBuffer.isView(n)) {
        if (o.timesteps !== undefined && n !== undefined && n !== null) {
          throw new RangeError(`${fn}: pass either numInferenceSteps or timesteps, got both`);
        }
        if (rule === 'stride') throw new RangeError(`${fn}: previousTimestep must be 'schedule' with custom timesteps (they are followed), got "stride"`);
        const ts = o.timesteps ?? n;
        const list = checkArray(fn, 'timesteps', ArrayBuffer.isView(ts) && !(ts instanceof DataView) ? Array.from(ts, Number) : ts);
        // Integers only: 5.5 is a RangeError, not silently truncated.
        const ints = Int32Array.from(list, (t, i) => checkInt(fn, `timesteps[${i}]`, t));
        asPublic(fn, () => this._live('setTimesteps').setCustomTimesteps(ints));
        return;
      }
      const steps = checkInt(fn, 'numInferenceSteps', n, 1);
      // the core's shared check names 'setTimesteps': asPublic makes it DDIMScheduler.setTimesteps / DDPMScheduler.setTimesteps
      if (cls === 'DDIMScheduler') asPublic(fn, () => this._live('setTimesteps').setTimestepsFollow(steps, rule === 'schedule'));
      else asPublic(fn, () => this._live('setTimesteps').setTimesteps(steps));
    }
    previousTimestep(timestep) { return this._live('previousTimestep').previousTimestep(checkTimestep(`${cls}.previousTimestep`, timestep)); }
    /**
     * One reverse step. → { prevSample, predOriginalSample } (fresh Float32Arrays).
     * opts: eta (DDIM), useClippedModelOutput (DDIM), varianceNoise, seed (reseeds the scheduler's
     * normal stream before drawing noise; without it the stream continues), batch / shape (items in the
     * flat sample, for thresholding, learned variances).
     */
    step(modelOutput, timestep, sample, opts) {
      const mo = checkArray(fnStep, 'modelOutput', modelOutput);
      const t = checkTimestep(fnStep, timestep);
      const x = checkArray(fnStep, 'sample', sample);
      const [eta, clipped, noise, seed, batch] = stepArgs(fnStep, opts, x.length, STEP_KEYS[cls]);
      return asPublic(fnStep, () => this._live('step').step(mo, t, x, eta, clipped, noise, seed, batch));
    }
    /** √ᾱ_t·original + √(1−ᾱ_t)·noise; timestep: one integer, or one per item (items = equal contiguous blocks). */
    addNoise(original, noise, timestep) {
      const fn = `${cls}.addNoise`;
      const ts = typeof timestep === 'number' || typeof timestep === 'bigint' ? Int32Array.of(checkTimestep(fn, timestep)) : intList(fn, 'timestep', timestep);
      const x = checkArray(fn, 'original', original), z = checkArray(fn, 'noise', noise);
      return asPublic(fn, () => this._live('addNoise').addNoise(x, z, ts));
    }
    /** v = √ᾱ_t·noise − √(1−ᾱ_t)·sample (the v_prediction target). */
    getVelocity(sample, noise, timestep) {
      const fn = `${cls}.getVelocity`;
      const ts = typeof timestep === 'number' || typeof timestep === 'bigint' ? Int32Array.of(checkTimestep(fn, timestep)) : intList(fn, 'timestep', timestep);
      const x = checkArray(fn, 'sample', sample), z = checkArray(fn, 'noise', noise);
      return asPublic(fn, () => this._live('getVelocity').getVelocity(x, z, ts));
    }
  };
}

// ---- post 4's own formulation (Su's notation: ᾱ is √ of diffusers' alphas_cumprod, ᾱ_0 = 1) ----------------
const TAU_KINDS = ['uniform', 'linspace', 'quadratic'];

function suApi(M) {
  const nativeModel = (fn, model) => {
    const n = model?._native;
    if (M.DiffusionDenoiser && n instanceof M.DiffusionDenoiser) return n;
    throw new TypeError(`${fn}: model must be a denoiser from pw.gaussianMixture, pw.empiricalDenoiser or pw.mlpDenoiser, got ${describe(model)}`);
  };
  const ode = (fn, x, opts, invert) => {
    const o = checkOptions(fn, opts, ['model', 'tau', 'abar', 'method']);
    const method = o.method === undefined ? 'euler' : checkEnum(fn, 'method', o.method, ['euler', 'heun']);
    const tau = intList(fn, 'tau', o.tau);
    const model = nativeModel(fn, o.model), abar = checkArray(fn, 'abar', o.abar);
    return asPublic(fn, () => M.diffusionOde(model, checkArray(fn, 'x', x), tau, abar, method === 'heun', invert));
  };
  return {
    /** Su's worked schedule (§4.6): ᾱ_t = Π√(1 − 0.02k/T), t = 0…T, as a Float64Array of T+1 values. */
    suSchedule(T = 1000) {
      return M.diffusionSuSchedule(checkInt('suSchedule', 'T', T, 1, 10000000));
    },
    /** Su's ᾱ (√, with ᾱ_0 = 1 prepended) from a scheduler's alphasCumprod. */
    suScheduleFrom(alphasCumprod) {
      return M.diffusionSuFromAlphasCumprod(checkArray('suScheduleFrom', 'alphasCumprod', alphasCumprod));
    },
    /** A sub-sequence τ_1 < … < τ_S = T of 1…T (§4.4): 'uniform' round(iT/S), 'linspace' 1…T, 'quadratic'. */
    tauSequence(T, S, opts) {
      const o = checkOptions('tauSequence', opts, ['spacing']);
      const kind = o.spacing === undefined ? 'uniform' : checkEnum('tauSequence', 'spacing', o.spacing, TAU_KINDS);
      return M.diffusionTau(checkInt('tauSequence', 'T', T, 1), checkInt('tauSequence', 'S', S, 1), kind);
    },
    /** σ between two levels (§4.3): { eta } → η·σ_DDPM (η = 1 DDPM, 0 DDIM); { choice: 'hat' } → σ̂ = β. */
    ddimSigma(abarT, abarPrev, opts) {
      const fn = 'ddimSigma';
      const o = checkOptions(fn, opts, ['eta', 'choice']);
      const hat = o.choice === undefined ? false : checkEnum(fn, 'choice', o.choice, ['eta', 'hat']) === 'hat';
      const eta = o.eta === undefined ? 1 : checkNumber(fn, 'eta', o.eta);
      return M.diffusionSigma(checkNumber(fn, 'abarT', abarT), checkNumber(fn, 'abarPrev', abarPrev), eta, hat);
    },
    /** κ, λ, σ of p(x_{t−1}|x_t, x_0) = N(κx_t + λx_0, σ²) (§4.2). */
    ddimPosterior(abarT, abarPrev, sigma) {
      const fn = 'ddimPosterior';
      return M.diffusionPosterior(checkNumber(fn, 'abarT', abarT), checkNumber(fn, 'abarPrev', abarPrev), checkNumber(fn, 'sigma', sigma));
    },
    /** One generalised step (§4.4, clamped): (ᾱ_prev/ᾱ_t)(x − (β̄_t − (ᾱ_t/ᾱ_prev)√max(0, β̄²_prev − σ²))ε) + σ·noise. */
    generalizedStep(x, eps, opts) {
      const fn = 'generalizedStep';
      const o = checkOptions(fn, opts, ['abarT', 'abarPrev', 'sigma', 'noise']);
      const sigma = o.sigma === undefined ? 0 : checkNumber(fn, 'sigma', o.sigma);
      const noise = o.noise === undefined || o.noise === null ? null : checkArray(fn, 'noise', o.noise);
      return M.diffusionGeneralizedStep(checkArray(fn, 'x', x), checkArray(fn, 'eps', eps), noise,
        checkNumber(fn, 'abarT', o.abarT), checkNumber(fn, 'abarPrev', o.abarPrev), sigma);
    },
    /** DDIM inversion (σ = 0, §4.5–4.6): x₀ → x_{τ_S} along τ with a wasm denoiser; method 'euler' | 'heun'. */
    ddimInvert(x0, opts) { return ode('ddimInvert', x0, opts, true); },
    /** The deterministic map back: x_{τ_S} → x₀ (generation or reconstruction). */
    ddimGenerate(xT, opts) { return ode('ddimGenerate', xT, opts, false); },
    /** z₁cos(λπ/2) + z₂sin(λπ/2) (§4.5): interpolates noises without leaving the Gaussian shell. */
    slerpNoise(z1, z2, lambda) {
      const fn = 'slerpNoise';
      return M.diffusionSlerp(checkArray(fn, 'z1', z1), checkArray(fn, 'z2', z2), checkNumber(fn, 'lambda', lambda));
    },
  };
}

export function api(M) {
  const DDIMScheduler = makeScheduler(M, 'DDIMScheduler');
  const DDPMScheduler = makeScheduler(M, 'DDPMScheduler');
  Object.defineProperty(DDIMScheduler, 'name', { value: 'DDIMScheduler' });
  Object.defineProperty(DDPMScheduler, 'name', { value: 'DDPMScheduler' });
  // DDIM-only extras.
  Object.defineProperty(DDIMScheduler.prototype, 'finalAlphaCumprod', { get() { return this._live('finalAlphaCumprod').finalAlphaCumprod(); } });
  DDIMScheduler.prototype.variance = function variance(timestep, prevTimestep) {
    return this._live('variance').variance(checkTimestep('DDIMScheduler.variance', timestep), checkInt('DDIMScheduler.variance', 'prevTimestep', prevTimestep));
  };
  DDPMScheduler.prototype.variance = function variance(timestep) {
    return this._live('variance').variance(checkTimestep('DDPMScheduler.variance', timestep));
  };
  const sampling = samplingApi(M, { parseSchedulerConfig });
  return {
    DDIMScheduler,
    DDPMScheduler,
    EulerDiscreteScheduler: makeSigmaScheduler(M, EULER),
    EulerAncestralDiscreteScheduler: makeSigmaScheduler(M, EULER_A),
    DPMSolverMultistepScheduler: makeSigmaScheduler(M, DPM),
    UniPCMultistepScheduler: makeSigmaScheduler(M, UNIPC),
    ...suApi(M),
    // ---- part B: denoisers, sampleDiffusion, slicedWasserstein go here ----
    ...sampling,
    ...suOdeApi(M),
    ...imagesApi(M, sampling),
  };
}

// ---- post 4 §4.6's bounded-time ODEs, the σ̂ sampler, error bars (src/diffusion/su_ode; appended block) --------

function suOdeApi(M) {
  const nativeModel = (fn, model) => {
    const n = model?._native;
    if (M.DiffusionDenoiser && n instanceof M.DiffusionDenoiser) return n;
    throw new TypeError(`${fn}: model must be a denoiser from pw.gaussianMixture, pw.empiricalDenoiser or pw.mlpDenoiser, got ${describe(model)}`);
  };
  return {
    /** The worked schedule beside its approximation and bound (§4.6): { exact, approx: e^{−5t²/T²}, bound: e^{−0.005t(t+1)/T} }, t = 0…T. */
    suScheduleCompare(T = 1000) {
      return M.diffusionSuScheduleCompare(checkInt('suScheduleCompare', 'T', T, 1, 10000000));
    },
    /**
     * Su's bounded-time ODEs (§4.6) from s = 1 to 0: time 'linear' (s = t/T, dx/ds = 10s(ε/√(1−e^{−10s²}) − x)) or
     * 'quadratic' (s = t²/T², dx/ds = 5(ε/√(1−e^{−10s}) − x)); method 'euler' | 'heun'; `trajectory: true` also
     * returns the steps + 1 states. → Float32Array, or { x, trajectory }.
     */
    suOdeSample(xT, opts) {
      const fn = 'suOdeSample';
      const o = checkOptions(fn, opts, ['model', 'time', 'steps', 'method', 'trajectory']);
      const time = o.time === undefined ? 'linear' : checkEnum(fn, 'time', o.time, ['linear', 'quadratic']);
      const method = o.method === undefined ? 'heun' : checkEnum(fn, 'method', o.method, ['euler', 'heun']);
      const steps = o.steps === undefined ? 20 : checkInt(fn, 'steps', o.steps, 1, 100000);
      const keep = o.trajectory === undefined ? false : checkBool(fn, 'trajectory', o.trajectory);
      const model = nativeModel(fn, o.model), x = checkArray(fn, 'x', xT);
      return asPublic(fn, () => M.diffusionSuOdeSample(model, x, time, steps, method === 'heun', keep));
    },
    /** Samples with σ = σ̂ = β along τ (§4.3 item 2, the DDIM paper's σ̂ row), Su's ᾱ `abar`, seeded noise. */
    sigmaHatSample(xT, opts) {
      const fn = 'sigmaHatSample';
      const o = checkOptions(fn, opts, ['model', 'tau', 'abar', 'seed']);
      const tau = intList(fn, 'tau', o.tau);
      const seed = o.seed === undefined ? 0 : checkInt(fn, 'seed', o.seed, 0, Number.MAX_SAFE_INTEGER);
      const model = nativeModel(fn, o.model), x = checkArray(fn, 'x', xT), abar = checkArray(fn, 'abar', o.abar);
      return asPublic(fn, () => M.diffusionSigmaHatSample(model, x, tau, abar, seed));
    },
    /** Mean, s.d. and standard error of repeated measurements (error bars over seeds). */
    diffusionMeanSem(values) {
      return M.diffusionMeanSem(checkArray('diffusionMeanSem', 'values', values));
    },
  };
}
