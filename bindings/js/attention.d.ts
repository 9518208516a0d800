import type { Vector } from './softmax.js';

export type LogitNoise = 'gaussian' | 'uniform' | 'gumbel' | 'laplace';

/** Noise ε with its natural scale b: N(0, b²), U(−b, b), Gumbel(0, b) (max-type), Laplace(0, b). Logits s ~ N(0, logitStd²), values v ~ N(0, 1). */
/** attentionNoiseTheory takes only noise, scale, logitStd; the Monte Carlo functions also trials (integer in [2, 1e6])
 *  and seed (integer in [0, 2^53)), with n ≤ 1e7 and the work cap n × trials ≤ 1e9 (a RangeError naming it). Unknown
 *  keys are TypeErrors naming them and listing the allowed ones. */
export interface NoiseOptions {
  noise?: LogitNoise;   // 'gaussian'
  scale?: number;       // 1
  logitStd?: number;    // 1
  trials?: number;      // 200
  seed?: number;        // 1
}

export interface NoiseTheory {
  /** E[e^ε] < ∞: the post's cancellation argument applies. */
  meanFinite: boolean;
  /** E[e^{2ε}] < ∞: the n^{-1/2} rate. */
  varianceFinite: boolean;
  /** Predicted log-log slope of E|õ − o| against n (−1/2, or 1/α − 1 for a Pareto tail index α ∈ (1, 2], or 0). */
  slope: number;
  /** E|õ − o| ≈ constant·n^{-1/2}, constant = √(2V/π), V = e^{σ_s²}(E e^{2ε}/(E e^ε)² − 1); NaN if the variance is infinite. */
  constant: number;
}

export interface NoiseScaling {
  n: Float64Array; mean: Float64Array; stderr: Float64Array;
  /** Weighted least squares of log mean on log n (weights from the Monte Carlo standard errors). */
  fit: { slope: number; slopeStderr: number; intercept: number };
  theory: NoiseTheory;
  /** e^{intercept}·n^{slope} at each n (the fitted line). */
  fitted: Float64Array;
  /** constant·n^{-1/2} at each n (NaN when the variance is infinite). */
  predicted: Float64Array;
}

export interface ScaleCurve {
  scale: Float64Array; entropy: Float64Array; entropyStderr: Float64Array; halfL1: Float64Array; halfL1Stderr: Float64Array;
}

/** Attention and softmax: robustness and information (post 6, kexue.fm/archives/9593).
 *  Worker tasks: 'attentionNoiseScaling' (ns, opts) and 'attentionScaleCurve' (n, scales, opts), progress { done, total }. */
export interface AttentionApi {
  /** o = softmax(s)ᵀV, V an n × d row-major matrix (d = v.length / s.length). */
  attentionOutput(s: Vector, v: Vector): Float64Array;
  /** E[e^{tε}] (Infinity where it diverges). */
  attentionNoiseMgf(noise: LogitNoise, scale: number, t: number): number;
  attentionNoiseTheory(opts?: NoiseOptions): NoiseTheory;
  /** Monte Carlo mean |õ − o| over `trials` draws of length n, with its standard error. */
  attentionNoiseError(n: number, opts?: NoiseOptions): { n: number; mean: number; stderr: number; trials: number };
  attentionNoiseScaling(ns: Vector, opts?: NoiseOptions): NoiseScaling;
  fitLogLogSlope(n: Vector, mean: Vector, stderr: Vector): { slope: number; slopeStderr: number; intercept: number };
  /** H(softmax(s)) ∈ [0, log n], accurate for nearly one-hot p; −Infinity logits are masked. */
  softmaxEntropy(s: Vector): number;
  /** ½‖J‖₁ = 1 − Σ p_i² for J = diag(p) − ppᵀ. */
  softmaxJacobianHalfL1(s: Vector): number;
  /** Exact min of H over logits in [−1/τ, 1/τ]^n: every logit at an end; `plus` at +1/τ, `minus` at −1/τ. */
  minEntropy(n: number, opts?: { tau?: number }): { entropy: number; gap: number; plus: number; minus: number };
  /** log n − H with `plus` logits at +1/τ and the rest at −1/τ. */
  twoLevelEntropyGap(n: number, plus: number, opts?: { tau?: number }): number;
  /** Large-n log n − H for fractions t ∈ [0, 1) of the logits at −1/τ. */
  entropyGapFraction(t: Vector, opts?: { tau?: number }): Float64Array;
  /** The large-n optimum: fraction t* at −1/τ, gap c (0.4744746… at τ = 1) and the first-published half/half gap (0.3278133…). */
  minEntropyLimit(opts?: { tau?: number }): { fractionMinus: number; gap: number; halfSplitGap: number };
  /** Mean entropy and ½‖J‖₁ of softmax(σ·g), g ~ N(0, I_n), for each σ in scales (n ≤ 1e6, trials in [2, 1e5],
   *  work cap n × trials ≤ 1e9 per scale). */
  attentionInitScaleCurve(n: number, scales: Vector, opts?: { trials?: number; seed?: number }): ScaleCurve;
}
