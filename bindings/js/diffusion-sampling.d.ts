/// <reference lib="esnext.disposable" />
// Diffusion, part B (post 4): denoisers, the MLP ε-model, sampleDiffusion, slicedWasserstein.
import type { SchedulerConfig } from './diffusion.js';

type Vector = number[] | Float64Array | Float32Array;
/** Points as rows (number[][]) or one flat row-major array. */
type Points = Vector | Vector[];

/** A model ε̂(x_t, t) for the samplers. ᾱ is the DDPM/diffusers cumulative product (Su's ᾱ²). */
export interface Denoiser {
  readonly dim: number;
  /** ε̂ for points x (n×dim) at noise level ᾱ; t01 = t/T (read only by time-conditioned models). */
  epsilon(x: Vector, alphaBar: number, t01?: number): Float64Array;
  /** Frees the wasm object; later calls throw TypeError. */
  dispose(): void;
  /** Calls dispose(): `using x = …` frees it at the end of the block. */
  [Symbol.dispose](): void;
}

/** The exact ε* = −√(1−ᾱ)∇log p_t of a Gaussian mixture or of a point set. */
export interface GaussianMixtureDenoiser extends Denoiser {
  readonly components: number;
  /** E[x₀ | x_t] (Tweedie), n×dim. */
  denoised(x: Vector, alphaBar: number): Float64Array;
  /** log p_t(x) per point. */
  logDensity(x: Vector, alphaBar: number): Float64Array;
  /** n exact draws from the data distribution. */
  sample(n: number, opts?: { seed?: number }): Float32Array;
}

export interface MlpShape {
  dim: number;
  hidden: number;
  embed: number;
}

/** The tiny MLP ε-model ([x ⊕ sinusoidal(t)] → H → H → dim, SiLU, float32), trained in wasm with Adam. */
export interface MlpDenoiser extends Denoiser {
  readonly shape: MlpShape;
  /** All parameters (W1, b1, W2, b2, W3, b3, column-major), for export. */
  readonly weights: Float32Array;
  readonly iterations: number;
  setTraining(data: Points, opts?: { scheduler?: SchedulerConfig; batch?: number; lr?: number; seed?: number }): void;
  /** Runs Adam steps on fresh seeded minibatches; returns their mean loss. */
  train(iterations: number): number;
}

export interface SampleOptions {
  model: Denoiser;
  /** A scheduler config as the DDIM/DDPM classes take; clipSample defaults to false here. predictionType must be 'epsilon'. */
  scheduler?: SchedulerConfig;
  steps: number;
  /** DDIM's η (sampler 'ddim'); default 0 */
  eta?: number;
  count: number;
  seed?: number;
  /**
   * 'ddim' (η family), 'ddpm' (DDPMScheduler's ancestral step), 'heun' (2nd order on the σ = 0 ODE); default 'ddim'.
   * The diffusers samplers run that library's scheduler class in its pipeline loop (x_T·initNoiseSigma,
   * scaleModelInput, step): 'euler' (EulerDiscrete), 'euler-ancestral' (EulerAncestralDiscrete), 'dpm++2m' /
   * 'dpm++3m' (DPMSolverMultistep, dpmsolver++, order 2 / 3), 'dpm++2m-sde' (sde-dpmsolver++, order 2),
   * 'unipc' (UniPCMultistep, bh2). For those, `scheduler` is that class's config (its defaults, e.g.
   * timestepSpacing 'linspace'), eta must be 0, and the stochastic ones draw their noise from each point's
   * seeded stream. Too many steps for the spacing (repeated timesteps) is a RangeError.
   */
  sampler?: 'ddim' | 'ddpm' | 'heun' | 'euler' | 'euler-ancestral' | 'dpm++2m' | 'dpm++3m' | 'dpm++2m-sde' | 'unipc';
  /** Karras et al. (2022) σ spacing, for the diffusers samplers except 'euler-ancestral' (= scheduler.useKarrasSigmas). */
  useKarrasSigmas?: boolean;
  /** Index of the first point: points are seeded one by one, so chunks concatenate to the full run. */
  offset?: number;
  /** Starting x_T (count×dim) instead of seeded N(0, I). */
  noise?: Vector;
  /**
   * sampleDiffusion with an MLP model and sampler 'ddim' runs the fused float32 kernel by default: each tile
   * of 8 points goes through every step (network and update) in float32, with the time features folded into
   * layer 1 once per step. The samples agree with `fused: false` (float32 network, float64 update, the path
   * of every other model, sampler and of diffusionTrajectory) to float32 rounding carried through the steps;
   * both are deterministic, and the fused kernel gives the same bits natively and in wasm. Ignored otherwise.
   */
  fused?: boolean;
}

export interface Trajectory {
  /** (steps+1)×count×dim states, from x_T to x_0 */
  xs: Float32Array;
  /** steps×count×dim predictions x̂₀ */
  x0s: Float32Array;
  /** ᾱ of each state (1/(1+σ²) for the diffusers samplers, whose Euler-family states are σ-scaled) */
  alphaBar: Float64Array;
  /** Int32Array; Float32Array for the diffusers samplers */
  timesteps: Int32Array | Float32Array;
}

export interface DiffusionSamplingApi {
  gaussianMixture(spec: { weights: Vector; means: Points; stds: number | Points; dim?: number }): GaussianMixtureDenoiser;
  /** The ideal denoiser of an empirical point set (a softmax-weighted average of the points). */
  empiricalDenoiser(spec: { points: Points; dim?: number }): GaussianMixtureDenoiser;
  mlpDenoiser(spec?: { dim?: number; hidden?: number; embed?: number; seed?: number; weights?: Float32Array | number[] }): MlpDenoiser;
  /** The whole reverse process in wasm → count×dim samples. */
  sampleDiffusion(opts: SampleOptions): Float32Array;
  diffusionTrajectory(opts: SampleOptions): Trajectory;
  /** The page's 2-D targets as a mixture spec (flat means; zero stds for the point sets 'spiral' and 'moons'). */
  diffusionPreset(name: 'ring' | 'grid' | 'spiral' | 'moons'): { kind: 'mixture'; weights: Float64Array; means: Float64Array; stds: Float64Array; dim: number };
  /** Sliced 2-Wasserstein distance between point sets (rows of dim); default 256 projections. */
  slicedWasserstein(a: Vector, b: Vector, dim: number, opts?: { projections?: number; seed?: number }): number;
}
