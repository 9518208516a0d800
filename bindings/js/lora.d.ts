import type { Vector } from './softmax.js';

/** Options of one LoRA training run (post 7 §7.6). Notation: X (b×n) · W, W = W0 + A B, A n×r, B r×m. */
export interface LoraTrainOptions {
  /** 'linear': Y = X W with W0 = 0; 'two-layer': Y = tanh(X W) V with frozen random W0 and V (m×k). Default 'linear'. */
  model?: 'linear' | 'two-layer';
  /** Which factor starts at zero; the other is LeCun-initialised (variance 1/n for A, 1/r for B). Default 'B0' (standard LoRA: the output-side factor). */
  init?: 'A0' | 'B0';
  /** 'adam' (bias-corrected, beta1/beta2/epsilon) or 'signsgd'. Default 'adam'. */
  optimizer?: 'adam' | 'signsgd';
  /** Input width n (1…4096). Default 32. */
  n?: number;
  /** Output width m; 0 or omitted means m = n (the post's case). */
  m?: number;
  /** LoRA rank r, 1 ≤ r ≤ min(n, m). Default 2. */
  r?: number;
  /** Rows of X (fixed training set), default 128. */
  batch?: number;
  /** Readout width of the two-layer model, default 8. */
  k?: number;
  /** Optimiser steps, default 100. */
  steps?: number;
  /** η_A, default 3e-3. */
  lrA?: number;
  /** λ = η_B / η_A, default 1. */
  ratio?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Integer seed of the data (X, teacher A*, B*) and the initialisation; same seed → same numbers. Default 1. */
  seed?: number;
}

/** A sweep: every width × every λ, each λ keeping its best η_A from `lrs`. */
export interface LoraSweepOptions extends Omit<LoraTrainOptions, 'n' | 'ratio' | 'lrA'> {
  /** Widths n, default [16, 32, 64]. */
  widths?: number[] | Float64Array;
  /** λ grid, ascending, default 2^-2 … 2^8. */
  ratios?: Vector;
  /** η_A grid, default [3e-3] (the small-step regime of §7.4: A's entries are ~1/√n ≈ 0.1–0.25). */
  lrs?: Vector;
  /** Independent data/init draws averaged per cell, default 1. */
  repeats?: number;
}

export interface LoraSweepResult {
  widths: Float64Array;
  ratios: Float64Array;
  /** widths × ratios, row-major: the final loss (mean of the last ⌈steps/10⌉+1 losses, averaged over repeats, min over η_A). */
  loss: Float64Array;
  /** The η_A attaining each cell's loss. */
  lrA: Float64Array;
  /** Best λ per width: the grid argmin refined by a parabola in (log λ, log loss). */
  best: Float64Array;
  /** Least-squares slope and intercept of log(best λ) against log n (NaN with fewer than two distinct widths). √n ↔ 0.5, n ↔ 1. */
  slope: number;
  intercept: number;
  /** How many widths have best λ > 1. */
  aboveOne: number;
  /** How many widths have their best λ at an end of the λ grid (widen the grid: the optimum may lie beyond). */
  atEdge: number;
  /** The law nearest to `slope`: 'decreasing' (≤ n^-½), 'flat' (n^0), 'sqrt' (Su, n^½), 'linear' (paper, n^1), 'steeper' (≥ n^1.5), 'none' (one width). */
  law: 'decreasing' | 'flat' | 'sqrt' | 'linear' | 'steeper' | 'none';
}

/** LoRA+ (post 7, kexue.fm/archives/10001): how much faster should B learn than A? Option objects are closed: an
 *  unknown key is a TypeError naming it and listing the allowed ones (a sweep's options do not take n, ratio or lrA,
 *  which the sweep sets itself); k is checked for both models; loraSweepCell checks the whole sweep it belongs to. */
export interface LoraApi {
  /** su = (n/m)·√(n/r) (Su); paper = (n/m)·(n/r), the LoRA+ paper's Θ(n) with unit constant; loraPlusDefault = 16. Needs
   *  integers 1 ≤ r ≤ min(n, m) and n, m ≤ 2^53 − 1 (1.5 is a RangeError). */
  loraRatios(n: number, m: number, r: number): { su: number; paper: number; loraPlusDefault: number };
  /**
   * One run: `loss` holds the loss before each step and after the last (steps + 1 values); `contribA`/`contribB`
   * the first-order decreases η_A‖∂A‖₁ and η_B‖∂B‖₁ of each step (§7.4's terms that should be comparable).
   */
  loraTrain(opts?: LoraTrainOptions): { loss: Float64Array; finalLoss: number; contribA: Float64Array; contribB: Float64Array };
  /** One cell of a sweep (what the Worker task computes per step). */
  loraSweepCell(opts: LoraSweepOptions, n: number, ratio: number): { loss: number; lrA: number };
  /** The whole sweep in one call (blocking: prefer the Worker task 'loraSweep' in pages). */
  loraSweep(opts?: LoraSweepOptions): LoraSweepResult;
  /** Best λ per width and the log-log fit from cells computed elsewhere. */
  loraSummarize(opts: LoraSweepOptions, loss: Vector, lrA: Vector): LoraSweepResult;
  /** Argmin of losses over an ascending λ grid, refined by a parabola in (log λ, log loss), kept within the neighbours. */
  loraBestRatio(ratios: Vector, losses: Vector): number;
  /** Least squares of log y on log x. */
  loraLogLogFit(x: Vector, y: Vector): { slope: number; intercept: number };
}

/** Worker task `pw.worker().run('loraSweep', [opts], { onProgress, signal })`: progress values. */
export interface LoraSweepProgress {
  done: number;
  total: number;
  /** Indices of the finished cell in widths and ratios. */
  w: number;
  i: number;
  loss: number;
  lrA: number;
}

/** Options of the §7.4 scale measurement: X ~ N(0,1) b×n, A ~ N(0,1/n), B ~ N(0,1/r), G = ∂L/∂Y ~ N(0,1) b×m. */
export interface LoraScaleOptions {
  /** Input width (ignored by the sweep, which sets it per width), default 64. */
  n?: number;
  /** Output width, 0 = m = n (default; the sweep always uses m = n). */
  m?: number;
  /** Rank, default 8. */
  r?: number;
  /** Rows of X and G, default 16 (the ratio does not depend on it). */
  batch?: number;
  /** Independent draws, 2…256, default 8. */
  seeds?: number;
  seed?: number;
}
/** λ_eq = ‖∂A‖₁/‖∂B‖₁ over seeds: the η_B/η_A that makes SignSGD's two first-order decreases equal (§7.4). */
export interface LoraScalePoint {
  samples: Float64Array;
  mean: number;
  sd: number;
  /** Standard error of the mean. */
  sem: number;
  /** Su's (n/m)√(n/r). */
  su: number;
  /** n/√(m r): what the gradients' scales give; equals `su` only when m = n. */
  law: number;
}
export interface LoraApi {
  /** n/√(m r). */
  loraGradientRatioLaw(n: number, m: number, r: number): number;
  /** Measure λ_eq at one shape. */
  loraGradientScale(opts?: LoraScaleOptions): LoraScalePoint;
  /** λ_eq against widths (ascending, m = n); one log–log slope per seed, `slope` ± `slopeSem` over seeds. */
  loraGradientScaleSweep(widths: number[] | Float64Array, opts?: LoraScaleOptions): {
    widths: Float64Array; points: LoraScalePoint[]; slopes: Float64Array; slope: number; slopeSem: number;
  };
}
