/** Arrays in: plain numbers or typed arrays. */
export type Vector = number[] | Float64Array | Float32Array;

/** Row-wise application: with `cols`, x is a row-major matrix and the map applies to each row. */
export interface RowOptions {
  cols?: number;
}

/**
 * `out`: a Float64Array as long as x that receives the result and is returned, instead of a fresh array
 * (a loop over many calls then allocates nothing; `out` may be x itself).
 */
export interface OutOption {
  out?: Float64Array;
}

/** Top-k or nucleus (top-p) support for sparse softmax: give exactly one. */
export type SparseOptions = { k: number; p?: undefined } | { p: number; k?: undefined };

/** Maps with a Jacobian. */
export type JacobianMap = 'softmax' | 'taylor' | 'sparse' | 'sparsemax' | 'entmax';
/** Maps with a loss. */
export type LossMap = 'softmax' | 'am-softmax' | 'sparse' | 'sparsemax' | 'entmax';
/** Maps the property report knows. */
export type ReportMap = 'softmax' | 'am-softmax' | 'taylor' | 'sparse' | 'perturb-gumbel' | 'perturb-normal' | 'sparsemax' | 'entmax';

/** Options of jacobian/loss/softmaxReport: each map reads only its own. */
export interface MapOptions {
  /** softmax: τ (default 1). am-softmax: τ = 1/scale (give scale or temperature). */
  temperature?: number;
  /** taylor: even order k in [2, 100] (default 2). */
  order?: number;
  /** sparse: top-k. */
  k?: number;
  /** sparse: nucleus mass in (0, 1]. */
  p?: number;
  /** entmax: α ≥ 1 (default 1.5). */
  alpha?: number;
  /** am-softmax: margin m ≥ 0 subtracted from the target's cosine (default 0.35). */
  margin?: number;
  /** am-softmax: scale s = 1/τ > 0 (default 30). */
  scale?: number;
}

/** What softmaxReport measures for one map at one input (every field computed in wasm). */
export interface MapReport {
  p: Float64Array;
  /** #{i: p_i > 0}. */
  support: number;
  /** Shannon entropy −Σ p log p in nats. */
  entropy: number;
  /** 1 − Σ p_i² (Gini impurity); equals ½‖J‖₁ for softmax (§8.1). */
  gini: number;
  /** ½ Σ_ij |∂p_i/∂x_j|, or null for maps without a Jacobian (perturb-*, am-softmax). */
  halfJacobianL1: number | null;
  /** 'strict': x_i > x_j ⇒ p_i > p_j and ties equal; 'weak': x_i > x_j ⇒ p_i ≥ p_j; 'no'. Checked on this input. */
  monotone: 'strict' | 'weak' | 'no';
  /** map(x + c) = map(x) to 1e-9 for c = −2.5 and 4, measured by re-evaluating. */
  shiftInvariant: boolean;
  /** map(reverse x) = reverse map(x) to 1e-9 (false for top-k when a tie straddles the cut). */
  equivariant: boolean;
}

/**
 * Worker task (run it with `pw.worker().run('perturbMaxRows', [x, opts], { onProgress })`): perturbMax over the
 * rows of a row-major matrix (opts.cols required), yielding { done, total } rows; resolves to the same
 * Float64Array as pw.perturbMax(x, opts).
 */
export type PerturbMaxRowsTask = (x: Vector, opts: RowOptions & { cols: number; noise?: 'gumbel' | 'normal'; grid?: number }) => Float64Array;

/**
 * Softmax and its alternatives (post 8, kexue.fm/archives/10145). Every map returns a fresh Float64Array
 * on the simplex. Special values, for every map unless stated: NaN, +Infinity and an empty x throw
 * RangeError; -Infinity is a masked logit (probability exactly 0, zero Jacobian row/column; at least one
 * entry must be finite). Taylor softmax rejects ±Infinity (f_k(−∞) = +∞). Bad options throw RangeError
 * (bad values) or TypeError (wrong kinds); messages name the function, the parameter and the value.
 */
export interface SoftmaxApi {
  /** log Σ exp(x_i), stable for |x| up to 1e308; -Infinity entries contribute 0 (all -Infinity → -Infinity); +Infinity → +Infinity. */
  logsumexp(x: Vector): number;
  /** exp(x_i/τ) / Σ_j exp(x_j/τ) (§8.1); temperature > 0 finite. */
  softmax(x: Vector, opts?: RowOptions & OutOption & { temperature?: number }): Float64Array;
  /** f_k(x_i) / Σ f_k(x_j), f_k = Σ_{m≤k} x^m/m! (§8.3); order even in [2, 100]. Not shift-invariant. */
  taylorSoftmax(x: Vector, opts?: RowOptions & OutOption & { order?: number }): Float64Array;
  /**
   * Softmax restricted to Ω (§8.4). `{k}`: the k largest logits, k in [1, n]; ties at the cut go to the
   * lower index, so exactly k entries are kept. `{p}`: nucleus, the fewest largest logits whose softmax mass
   * reaches p ∈ (0, 1] (descending order, ties by lower index). -Infinity entries get 0 even inside Ω.
   */
  sparseSoftmax(x: Vector, opts: RowOptions & OutOption & SparseOptions): Float64Array;
  /**
   * P[argmax(x + ε) = i] for i.i.d. noise (§8.5) by deterministic inverse-CDF quadrature: ε_k = Φ^{-1}(t_k) on
   * a tanh-sinh grid of `grid` nodes (default 4096; error ≤ 1e-14 there, ≤ 1e-6 from 48 nodes). Gumbel noise
   * gives softmax. Cost O(grid·n) for Gumbel, O(grid·n²) for normal noise.
   */
  perturbMax(x: Vector, opts?: RowOptions & OutOption & { noise?: 'gumbel' | 'normal'; grid?: number }): Float64Array;
  /** Euclidean projection onto the simplex, relu(x − λ) (§8.6), in expected O(n) (randomised pivot). */
  sparsemax(x: Vector, opts?: RowOptions & OutOption): Float64Array;
  /**
   * relu((α−1)x − λ)^{1/(α−1)} (§8.7) for α ≥ 1 (default 1.5): α = 1 is softmax, α = 2 sparsemax, α = 1.5
   * exact (sorting), other α a root search to full double precision.
   */
  entmax(x: Vector, opts?: RowOptions & OutOption & { alpha?: number }): Float64Array;
  /** AM-softmax's distribution softmax(s·(x − m·e_target)) (§8.2); its −log at the target is the AM-softmax loss. */
  amSoftmax(x: Vector, target: number, opts?: { margin?: number; scale?: number; temperature?: number }): Float64Array;
  /** ∂p_i/∂x_j as an n×n row-major Float64Array (one vector; no cols). */
  jacobian(map: JacobianMap, x: Vector, opts?: MapOptions): Float64Array;
  /**
   * Loss and gradient for class `target` (§8.1, §8.2, §8.4, §8.6, §8.7): softmax = cross-entropy;
   * am-softmax = −log softmax(s(x − m e_t))_t; sparse = log Σ_Ω e^{x_i} − x_t; sparsemax = the sparsemax loss
   * ½ − x_t + ½Σ_Ω(x_i² − λ²); entmax = the Fenchel–Young loss Σ p_i(x_i − x_t) + Σ p_i(1 − p_i^{α−1})/(α(α−1)).
   * grad is p − e_t for every map but am-softmax (s(q − e_t)) and softmax with τ ((p − e_t)/τ).
   * The target's logit must be finite.
   */
  loss(map: LossMap, x: Vector, target: number, opts?: MapOptions): { value: number; grad: Float64Array };
  /** Support, entropy, ½‖J‖₁, Σp², and monotonicity / invariance measured by re-evaluating the map (the widget's readouts). */
  softmaxReport(map: ReportMap, x: Vector, opts?: MapOptions & { target?: number; grid?: number }): MapReport;
}
