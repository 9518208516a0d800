/// <reference lib="esnext.disposable" />
import type { Vector } from './softmax.js';

/** How the loss is evaluated: 'naive' log Σe^{s} − s_t (no shift), 'shifted' the framework's log_softmax
 *  (the sum is fl(1 + ξ)), 'stable' softplus(log ξ) / sigmoid weights (no 1 + ξ is formed). */
export type ContrastiveEvaluation = 'naive' | 'shifted' | 'stable';

export interface ContrastiveLossOptions {
  /** 'float64' (default) or 'float32': the whole evaluation runs in that precision. */
  precision?: 'float32' | 'float64';
  /** Default 'stable'. */
  evaluation?: ContrastiveEvaluation;
}

export interface ContrastiveLossResult {
  /** The loss in the chosen precision (as a JS number). */
  value: number;
  /** ξ = Σ_{i≠t} e^{s_i − s_t}, evaluated stably in the chosen precision. */
  xi: number;
  /** ∂loss/∂s: Float32Array for precision 'float32', else Float64Array. */
  grad: Float32Array | Float64Array;
}

/** Columns of the margin sweep (post 3 §3.5): K scores, positive s_t, all negatives at s_t − D. */
export interface MarginSweep {
  margin: Float64Array; xi: Float64Array; ce64: Float64Array;
  ce32Naive: Float64Array; ce32Shifted: Float64Array; ce32Stable: Float64Array;
  /** ∂CE/∂s_t computed in float32 by each evaluation; grad64 is the float64 value −ξ/(1+ξ). */
  grad32Naive: Float64Array; grad32Shifted: Float64Array; grad32Stable: Float64Array; grad64: Float64Array;
  flat32: Float64Array; flat64: Float64Array;
  /** max_i |∇CE_i − ξ/(1+ξ)·∇Flat_i| / (ξ/(1+ξ)): float32 framework CE (→ 1 when it underflows) and float64. */
  identity32: Float64Array; identity64: Float64Array;
  /** The same for float32 stable (log1p) CE: float32 rounding only. */
  identity32Stable: Float64Array;
}

/** A small contrastive problem: class prototypes plus per-view noise; a linear encoder; in-batch negatives. */
export interface ContrastiveConfig {
  classes?: number;       // 32
  signalDim?: number;     // 8
  nuisanceDim?: number;   // 24
  embedDim?: number;      // 8
  batch?: number;         // 8 (K: 1 positive + batch − 1 negatives)
  tau?: number;           // 0.02
  viewNoise?: number;     // 0.2
  nuisance?: number;      // 1
  lr?: number;            // Adam, 1e-2
  loss?: 'ce' | 'flatnce';
  /** How the float32 run evaluates its loss (default 'shifted', what frameworks do). */
  evaluation?: ContrastiveEvaluation;
  shots?: number;         // 5 labelled views per class for the nearest-centroid classifier
  testPerClass?: number;  // 20
  seed?: number;          // 1
}

/** Per step: loss, cos(g32, g64) of the encoder gradient (NaN if g32 = 0), mean per-anchor cosine of the
 *  score gradients, gradient norms, the fraction of anchors with ξ < 2^-24 (where fl32(1 + ξ) = 1; whether the
 *  framework's float32 sum Σe^{s_i−m} actually collapses to 1 also depends on the order of its terms, see
 *  contrastiveMarginOrder), median log10 ξ. */
export interface ContrastiveTrace {
  step: Float64Array; loss: Float64Array; cosine: Float64Array; anchorCosine: Float64Array;
  gradNorm32: Float64Array; gradNorm64: Float64Array; underflow: Float64Array; log10Xi: Float64Array;
  /** Downstream nearest-centroid accuracy, measured at accuracyStep (0 = before training). */
  accuracyStep: Float64Array; accuracy: Float64Array;
  /** Means over the second half of the run. */
  summary: ContrastiveSummary;
}

export interface ContrastiveSummary {
  steps: number; anchorCosine: number; cosine: number; underflow: number; log10Xi: number; zeroGradientSteps: number;
}

export interface ContrastiveTrainer {
  run(count: number): Omit<ContrastiveTrace, 'accuracyStep' | 'accuracy' | 'summary'>;
  accuracy(): number;
  readonly stepsDone: number;
  /** Means over the steps after fromStep (default: the second half so far). */
  summary(fromStep?: number): ContrastiveSummary;
  dispose(): void;
  /** Calls dispose(): `using x = …` frees it at the end of the block. */
  [Symbol.dispose](): void;
}

/** FlatNCE (post 3, kexue.fm/archives/8586). Options and configs are closed: an unknown key (e.g. `bacth`) is a
 *  TypeError naming it and listing the allowed ones; integer keys must be integers (seed in [0, 2^53)); errors start
 *  with the public name (contrastiveTrain's and contrastiveCompare's configs are named as those). Worker task: 'contrastiveCompare' (config, { steps, evalEvery })
 *  → { ce: ContrastiveTrace, flatnce: ContrastiveTrace }, progress { phase, done, total }. */
export interface ContrastiveApi {
  /** InfoNCE / cross-entropy log(1 + ξ) for scores with the positive at index target. */
  infoNce(scores: Vector, target: number, opts?: ContrastiveLossOptions): ContrastiveLossResult;
  /** FlatNCE log ξ = logsumexp_{i≠t}(s_i) − s_t; its gradient is −1 on s_t and a softmax over the negatives. */
  flatNce(scores: Vector, target: number, opts?: ContrastiveLossOptions): ContrastiveLossResult;
  /**
   * The §3.5 table for any K, s_t and margins D. The positive is scores[0], summed FIRST by the framework
   * evaluation: its float32 CE is exactly 0 once e^{−D} ≤ 2^-24 (D ≥ 16.75 on a 1/8 grid), an order-dependent
   * result: summed last, 1 + (K−1)e^{−D} survives up to D ≈ 16.64 + log(K−1) (≈ 18.6 for K = 8).
   */
  contrastiveMarginOrder(k: number, positive: number, margins: Vector): {
    margin: Float64Array; ce32First: Float64Array; ce32Last: Float64Array; grad32First: Float64Array; grad32Last: Float64Array;
  };
  /** The §3.5 table for any K, s_t and margins D (positive first, see contrastiveMarginOrder). */
  contrastiveMarginSweep(k: number, positive: number, margins: Vector): MarginSweep;
  /** A float32 Adam trainer that also measures the exact float64 gradient every step. */
  contrastiveTrainer(config?: ContrastiveConfig): ContrastiveTrainer;
  /** A whole run: `steps` (1000) steps, accuracy every `evalEvery` (50) steps. */
  contrastiveTrain(config?: ContrastiveConfig, opts?: { steps?: number; evalEvery?: number }): ContrastiveTrace;
}
