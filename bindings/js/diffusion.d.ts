/// <reference lib="esnext.disposable" />
// Diffusion (post 4, kexue.fm/archives/9181): reference-exact schedulers (part A) and sampling (part B).
import type { Vector } from './softmax.js';
import type { DiffusionSamplingApi } from './diffusion-sampling.js';
import type { DiffusionImagesApi } from './diffusion-images.js';
export type { DiffusionImagesApi, ImageDenoiser, ImageClassifier, ImageQuality, DigitImages } from './diffusion-images.js';
export type { DiffusionSamplingApi, Denoiser, GaussianMixtureDenoiser, MlpDenoiser, MlpShape, SampleOptions, Trajectory } from './diffusion-sampling.js';

/** diffusers scheduler config, camelCase (snake_case keys of a scheduler_config.json are accepted too). */
export interface SchedulerConfig {
  /** default 1000 */
  numTrainTimesteps?: number;
  /** default 0.0001; 0 < betaStart ≤ betaEnd < 1 (unused by 'squaredcos_cap_v2') */
  betaStart?: number;
  /** default 0.02 */
  betaEnd?: number;
  /** default 'linear'; 'sigmoid' (GeoDiff) is DDPM-only, as in the reference */
  betaSchedule?: 'linear' | 'scaled_linear' | 'squaredcos_cap_v2' | 'sigmoid';
  /** betas given directly (cast to float32), each in (0, 1); overrides betaStart/betaEnd/betaSchedule */
  trainedBetas?: Vector | null;
  /** default true */
  clipSample?: boolean;
  /** default 1 */
  clipSampleRange?: number;
  /** DDIM only; default true */
  setAlphaToOne?: boolean;
  /** default 0, at most numTrainTimesteps − 1 (applied by the 'leading' spacing, as in the reference) */
  stepsOffset?: number;
  /** default 'epsilon' */
  predictionType?: 'epsilon' | 'sample' | 'v_prediction';
  /** dynamic thresholding (Imagen); default false */
  thresholding?: boolean;
  /** default 0.995 */
  dynamicThresholdingRatio?: number;
  /** default 1 */
  sampleMaxValue?: number;
  /** default 'leading' */
  timestepSpacing?: 'leading' | 'trailing' | 'linspace';
  /** default false */
  rescaleBetasZeroSnr?: boolean;
  /** DDPM only; default 'fixed_small' */
  varianceType?: 'fixed_small' | 'fixed_small_log' | 'fixed_large' | 'fixed_large_log' | 'learned' | 'learned_range';
}

/**
 * Config of EulerDiscreteScheduler, EulerAncestralDiscreteScheduler, DPMSolverMultistepScheduler and
 * UniPCMultistepScheduler (diffusers 0.40 keys and defaults, camelCase; the snake_case names are documented
 * aliases). Shared keys as in SchedulerConfig, but timestepSpacing defaults to 'linspace'; clipSample,
 * setAlphaToOne, varianceType do not exist. A key a class does not have is a TypeError; so are diffusers keys
 * of features not ported (use_exponential_sigmas, timestep_type 'continuous', …) unless at their default.
 */
export interface SigmaSchedulerConfig {
  numTrainTimesteps?: number;
  betaStart?: number;
  betaEnd?: number;
  betaSchedule?: 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';
  trainedBetas?: Vector | null;
  /** 'sample' is not supported by Euler ancestral (NotImplementedError in the reference) */
  predictionType?: 'epsilon' | 'sample' | 'v_prediction';
  /** default 'linspace' */
  timestepSpacing?: 'leading' | 'trailing' | 'linspace';
  stepsOffset?: number;
  rescaleBetasZeroSnr?: boolean;
  /** Euler, DPM, UniPC; default false */
  useKarrasSigmas?: boolean;
  /** Euler, DPM, UniPC: the σ after the last step; default 'zero' ('sigma_min' required by algorithmType 'dpmsolver' / 'sde-dpmsolver') */
  finalSigmasType?: 'zero' | 'sigma_min';
  /** Euler; default 'linear' */
  interpolationType?: 'linear' | 'log_linear';
  /** Euler, UniPC: the Karras range; default the training schedule's ends */
  sigmaMin?: number | null;
  sigmaMax?: number | null;
  /** DPM, UniPC: 1, 2 or 3 (anything else a RangeError); default 2 */
  solverOrder?: number;
  /** DPM; default 'dpmsolver++' */
  algorithmType?: 'dpmsolver++' | 'dpmsolver' | 'sde-dpmsolver++' | 'sde-dpmsolver';
  /** DPM: 'midpoint' (default) | 'heun'; UniPC: 'bh2' (default) | 'bh1' (the other family's names map to the default, as in the reference) */
  solverType?: 'midpoint' | 'heun' | 'bh1' | 'bh2';
  /** DPM, UniPC: lower the order over the last steps when there are fewer than 15; default true */
  lowerOrderFinal?: boolean;
  /** DPM; default false */
  eulerAtFinal?: boolean;
  /** UniPC: data prediction (UniPC-x0); default true */
  predictX0?: boolean;
  /** DPM, UniPC: dynamic thresholding of x̂₀ (per item, see StepOptions.batch); default false */
  thresholding?: boolean;
  dynamicThresholdingRatio?: number;
  sampleMaxValue?: number;
}

export interface SigmaStepOptions {
  /** Euler ancestral and the SDE DPM-Solvers: the standard normals diffusers would draw (length of the sample) */
  varianceNoise?: Vector;
  /** reseeds the scheduler's own normal stream before drawing (not with varianceNoise) */
  seed?: number;
  /** items in the flat sample, for thresholding; default 1 */
  batch?: number;
  shape?: number[];
}

/**
 * diffusers' σ-based schedulers. Call setTimesteps, then for each t of `timesteps` in order:
 * model(scaleModelInput(x, t), t) → step(output, t, x). step with a timestep not in `timesteps`, or not the
 * next one, is a RangeError; setTimesteps resets the step counter and the multistep history.
 */
export interface SigmaScheduler {
  readonly config: Required<Omit<SigmaSchedulerConfig, 'trainedBetas'>> & { trainedBetas: Float64Array | null };
  readonly betas: Float32Array;
  readonly alphasCumprod: Float32Array;
  /** diffusers' scheduler.timesteps: Float32Array for the Euler family, Int32Array for DPM and UniPC */
  readonly timesteps: Float32Array | Int32Array;
  /** one σ per timestep, then the final σ (0 with finalSigmasType 'zero') */
  readonly sigmas: Float32Array;
  /** Euler family: σ_max ('linspace'/'trailing') or √(σ_max²+1); 1 for DPM and UniPC */
  readonly initNoiseSigma: number;
  readonly numInferenceSteps: number | null;
  /** index of the next step; null before the first */
  readonly stepIndex: number | null;
  readonly order: number;
  /** n steps; Euler and DPM-Solver also custom timesteps: setTimesteps({ timesteps }) / setTimesteps([...]) (DPM: integers) */
  setTimesteps(numInferenceSteps: number | number[] | Float32Array | Int32Array | { timesteps: ArrayLike<number> }): void;
  /** x/√(σ²+1) for the Euler family; a copy for DPM and UniPC */
  scaleModelInput(sample: Vector, timestep: number): Float32Array;
  /** predOriginalSample: x̂₀ of this step */
  step(modelOutput: Vector, timestep: number, sample: Vector, opts?: SigmaStepOptions): StepResult;
  /** Euler family: x + σ·noise; DPM/UniPC: α·x + σ_t·noise (α = 1/√(σ²+1)); timestep one of `timesteps` */
  addNoise(original: Vector, noise: Vector, timestep: number | Vector): Float32Array;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface StepOptions {
  /** DDIM η ∈ [0, 1] (0 = deterministic DDIM, 1 = DDPM-like; RangeError outside); default 0. DDIM only */
  eta?: number;
  /** DDIM: re-derive ε from the clipped x̂₀; default false */
  useClippedModelOutput?: boolean;
  /** the noise z of σ_t·z (length of the sample); otherwise drawn from the scheduler's normal stream */
  varianceNoise?: Vector;
  /** reseeds the scheduler's normal stream before drawing noise (not with varianceNoise) */
  seed?: number;
  /** items in the flat sample (equal contiguous blocks), for thresholding and learned variances; default 1 */
  batch?: number;
  /** alternatively the tensor shape (batch = shape[0]) */
  shape?: number[];
}

export interface StepResult {
  prevSample: Float32Array;
  predOriginalSample: Float32Array;
}

interface SchedulerBase {
  readonly config: Required<Omit<SchedulerConfig, 'trainedBetas'>> & { trainedBetas: Float64Array | null };
  readonly betas: Float32Array;
  readonly alphas: Float32Array;
  /** ᾱ_t, float32 as in the reference */
  readonly alphasCumprod: Float32Array;
  /** after setTimesteps: the descending inference timesteps */
  readonly timesteps: Int32Array;
  readonly numInferenceSteps: number | null;
  readonly initNoiseSigma: number;
  /** diffusers' scale_model_input: the identity for DDIM/DDPM (a fresh copy) */
  scaleModelInput(sample: Vector, timestep?: number): Float32Array;
  readonly order: number;
  previousTimestep(timestep: number): number;
  step(modelOutput: Vector, timestep: number, sample: Vector, opts?: StepOptions): StepResult;
  /** timestep: one for all, or one per item */
  addNoise(original: Vector, noise: Vector, timestep: number | Vector | Int32Array): Float32Array;
  getVelocity(sample: Vector, noise: Vector, timestep: number | Vector | Int32Array): Float32Array;
  /** frees the wasm object; later calls throw TypeError */
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface DDIMScheduler extends SchedulerBase {
  /**
   * n steps, or custom descending timesteps: setTimesteps({ timesteps }) / setTimesteps([...]).
   * previousTimestep: 'stride' (default, diffusers: t − T//n, even where 'linspace'/'trailing' put the next
   * timestep elsewhere, e.g. T = 1000, n = 10, linspace: 999 → 899 while the next timestep is 888) or
   * 'schedule' (the next entry of timesteps, final_alpha_cumprod after the last: the corrected rule).
   * Custom timesteps always follow the list.
   */
  setTimesteps(numInferenceSteps?: number | number[] | { timesteps?: number[]; previousTimestep?: 'stride' | 'schedule' } | null,
    opts?: { timesteps?: number[]; previousTimestep?: 'stride' | 'schedule' }): void;
  readonly finalAlphaCumprod: number;
  /** σ_t²/η² between two timesteps (the reference's _get_variance) */
  variance(timestep: number, prevTimestep: number): number;
}

export interface DDPMScheduler extends SchedulerBase {
  /** numInferenceSteps, or custom descending integer timesteps: setTimesteps({ timesteps }), setTimesteps(undefined, { timesteps }) or setTimesteps([...]) */
  setTimesteps(numInferenceSteps?: number | number[] | { timesteps?: number[] } | null, opts?: { timesteps?: number[] }): void;
  /** the fixed_* variance at t (the reference's _get_variance) */
  variance(timestep: number): number;
}

export interface DiffusionApi extends DiffusionSamplingApi {
  DDIMScheduler: new (config?: SchedulerConfig) => DDIMScheduler;
  DDPMScheduler: new (config?: SchedulerConfig) => DDPMScheduler;
  EulerDiscreteScheduler: new (config?: SigmaSchedulerConfig) => SigmaScheduler;
  EulerAncestralDiscreteScheduler: new (config?: SigmaSchedulerConfig) => SigmaScheduler;
  DPMSolverMultistepScheduler: new (config?: SigmaSchedulerConfig) => SigmaScheduler;
  UniPCMultistepScheduler: new (config?: SigmaSchedulerConfig) => SigmaScheduler;

  // ---- post 4's own formulation; Su's ᾱ = √(alphas_cumprod), a schedule is ᾱ_0 = 1 … ᾱ_T ----
  /** Su's worked schedule ᾱ_t = Π_{k≤t}√(1 − 0.02k/T), t = 0…T (§4.6); default T = 1000. */
  suSchedule(T?: number): Float64Array;
  /** Su's ᾱ from a scheduler's alphasCumprod (√, with ᾱ_0 = 1 prepended). */
  suScheduleFrom(alphasCumprod: Vector): Float64Array;
  /** Sub-sequence τ_1 < … < τ_S = T of 1…T (§4.4); 'linspace' is the §4.7 table's grid. */
  tauSequence(T: number, S: number, opts?: { spacing?: 'uniform' | 'linspace' | 'quadratic' }): Int32Array;
  /** σ between ᾱ_t and ᾱ_prev (§4.3): η·σ_DDPM (default η = 1), or σ̂ = β with { choice: 'hat' }. */
  ddimSigma(abarT: number, abarPrev: number, opts?: { eta?: number; choice?: 'eta' | 'hat' }): number;
  /** p(x_{t−1}|x_t, x_0) = N(κx_t + λx_0, σ²) (§4.2); requires σ ≤ β̄_prev. */
  ddimPosterior(abarT: number, abarPrev: number, sigma: number): { kappa: number; lambda: number; sigma: number };
  /** One generalised step (§4.4) with the σ̂ clamp √max(0, β̄²_prev − σ²); noise is z in σ·z. */
  generalizedStep(x: Vector, eps: Vector, opts: { abarT: number; abarPrev: number; sigma?: number; noise?: Vector }): Float32Array;
  /** DDIM inversion x₀ → x_{τ_S} (σ = 0) with a wasm denoiser along τ on Su's schedule `abar`. */
  ddimInvert(x0: Vector, opts: { model: unknown; tau: ArrayLike<number>; abar: Vector; method?: 'euler' | 'heun' }): Float32Array;
  /** The deterministic map x_{τ_S} → x₀ (Euler = DDIM, or Heun in ρ = β̄/ᾱ, §4.6). */
  ddimGenerate(xT: Vector, opts: { model: unknown; tau: ArrayLike<number>; abar: Vector; method?: 'euler' | 'heun' }): Float32Array;
  /** z₁cos(λπ/2) + z₂sin(λπ/2), λ ∈ [0, 1] (§4.5). */
  slerpNoise(z1: Vector, z2: Vector, lambda: number): Float32Array;
}

/** Post 4 §4.6's bounded-time ODEs, the σ̂ sampler and error bars (appended). */
export interface DiffusionSuOdeApi {
  /** Worked schedule ᾱ_t = Π√(1 − 0.02k/T) beside e^{−5t²/T²} and the bound e^{−0.005t(t+1)/T}, t = 0…T. */
  suScheduleCompare(T?: number): { exact: Float64Array; approx: Float64Array; bound: Float64Array };
  /** Su's bounded-time ODEs, s from 1 to 0: 'linear' s = t/T or 'quadratic' s = t²/T²; Euler or Heun (default), 20 steps. */
  suOdeSample(xT: Vector, opts: { model: import('./diffusion-sampling.js').Denoiser; time?: 'linear' | 'quadratic'; steps?: number; method?: 'euler' | 'heun'; trajectory?: false }): Float32Array;
  suOdeSample(xT: Vector, opts: { model: import('./diffusion-sampling.js').Denoiser; time?: 'linear' | 'quadratic'; steps?: number; method?: 'euler' | 'heun'; trajectory: true }): { x: Float32Array; trajectory: Float32Array };
  /** σ = σ̂ = β along τ (§4.3 item 2): the DDIM paper's σ̂ row. */
  sigmaHatSample(xT: Vector, opts: { model: import('./diffusion-sampling.js').Denoiser; tau: ArrayLike<number>; abar: Vector; seed?: number }): Float32Array;
  /** Mean, s.d. (n − 1) and standard error. */
  diffusionMeanSem(values: Vector): { mean: number; sd: number; sem: number };
}
// Merged into the topic's API.
export interface DiffusionApi extends DiffusionSuOdeApi {}
export interface DiffusionApi extends DiffusionImagesApi {}
