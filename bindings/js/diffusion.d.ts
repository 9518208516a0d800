// Diffusion (post 4, kexue.fm/archives/9181): reference-exact schedulers (part A) and sampling (part B).
import type { Vector } from './softmax.js';
import type { DiffusionSamplingApi } from './diffusion-sampling.js';
export type { DiffusionSamplingApi, Denoiser, GaussianMixtureDenoiser, MlpDenoiser, MlpShape, SampleOptions, Trajectory } from './diffusion-sampling.js';

/** diffusers scheduler config, camelCase (snake_case keys of a scheduler_config.json are accepted too). */
export interface SchedulerConfig {
  /** default 1000 */
  numTrainTimesteps?: number;
  /** default 0.0001 */
  betaStart?: number;
  /** default 0.02 */
  betaEnd?: number;
  /** default 'linear'; 'sigmoid' (GeoDiff) is DDPM-only, as in the reference */
  betaSchedule?: 'linear' | 'scaled_linear' | 'squaredcos_cap_v2' | 'sigmoid';
  /** betas given directly (cast to float32); overrides betaStart/betaEnd/betaSchedule */
  trainedBetas?: Vector | null;
  /** default true */
  clipSample?: boolean;
  /** default 1 */
  clipSampleRange?: number;
  /** DDIM only; default true */
  setAlphaToOne?: boolean;
  /** default 0 (applied by the 'leading' spacing, as in the reference) */
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

export interface StepOptions {
  /** DDIM η (0 = deterministic DDIM, 1 = DDPM-like); default 0 */
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
}

export interface DDIMScheduler extends SchedulerBase {
  setTimesteps(numInferenceSteps: number): void;
  readonly finalAlphaCumprod: number;
  /** σ_t²/η² between two timesteps (the reference's _get_variance) */
  variance(timestep: number, prevTimestep: number): number;
}

export interface DDPMScheduler extends SchedulerBase {
  /** numInferenceSteps, or custom descending timesteps: setTimesteps(undefined, { timesteps }) or setTimesteps([...]) */
  setTimesteps(numInferenceSteps?: number | number[] | null, opts?: { timesteps?: number[] }): void;
  /** the fixed_* variance at t (the reference's _get_variance) */
  variance(timestep: number): number;
}

export interface DiffusionApi extends DiffusionSamplingApi {
  DDIMScheduler: new (config?: SchedulerConfig) => DDIMScheduler;
  DDPMScheduler: new (config?: SchedulerConfig) => DDPMScheduler;

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
