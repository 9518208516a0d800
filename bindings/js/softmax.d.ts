/** Arrays in: plain numbers or typed arrays. */
export type Vector = number[] | Float64Array | Float32Array;

/** Row-wise application: with `cols`, x is a row-major matrix and the map applies to each row. */
export interface RowOptions {
  cols?: number;
}

/**
 * `out`: an array as long as x, of x's element type (Float32Array for a Float32Array x, Float64Array
 * otherwise), that receives the result and is returned instead of a fresh array (a loop over many calls
 * then allocates nothing; `out` may be x itself).
 */
export interface OutOption<O extends Float32Array | Float64Array = Float32Array | Float64Array> {
  out?: O;
}

/**
 * The result type follows x: a Float32Array x computes in float32 and returns a Float32Array; number[] and
 * Float64Array compute in float64 and return a Float64Array.
 */
export type MapResult<X> = X extends Float32Array ? Float32Array : Float64Array;

/** Top-k or nucleus (top-p) support for sparse softmax: give exactly one. */
export type SparseOptions = { k: number; p?: undefined } | { p: number; k?: undefined };

/** Maps with a Jacobian. */
export type JacobianMap = 'softmax' | 'taylor' | 'sparse' | 'sparsemax' | 'entmax';
/** Maps with a loss (taylor: every kind but 'map'; am-softmax: kind 'map' only). */
export type LossMap = 'softmax' | 'am-softmax' | 'taylor' | 'sparse' | 'sparsemax' | 'entmax';
/**
 * Which loss (post 8): 'map' the map's own (below); 'neg-p' −p_t (§8.1); 'log-eps' −log((p_t + ε)/(1 + nε))
 * (§8.6); 'surrogate' sg(p − e_t)·x, whose gradient is p − e_t (§8.7, the stop-gradient on the right factor);
 * 'surrogate-post' the post's (p − e_t)·sg(x): the same value, but its gradient is Jᵀx, not p − e_t.
 */
export type LossKind = 'map' | 'neg-p' | 'log-eps' | 'surrogate' | 'surrogate-post';
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
  /**
   * The threshold λ of the maps that have one (post 8 §8.6, §8.7), else null: sparsemax p = relu(x − λ);
   * entmax p = relu((α−1)x − λ)^{1/(α−1)} (α = 1: λ = logsumexp(x); α = 2: sparsemax's λ).
   */
  threshold: number | null;
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
 * array as pw.perturbMax(x, opts) (a Float32Array for a Float32Array x).
 */
export type PerturbMaxRowsTask = <X extends Vector>(x: X, opts: RowOptions & { cols: number; noise?: 'gumbel' | 'normal'; grid?: number }) => MapResult<X>;

/**
 * Softmax and its alternatives (post 8, kexue.fm/archives/10145). Every map returns a fresh array on the
 * simplex whose type follows x (MapResult): a Float32Array in computes in float32 and gives a Float32Array;
 * number[] and Float64Array give a Float64Array. float32 accuracy: the float exp is within 2 ulp (1 ulp
 * measured) of the correctly rounded e^x; softmax entries are within (3.5 + |x_i − max|/(2τ)) float ulps of the
 * float64 values (relative), and every row sums to 1 within 2·2^-23·log2 n (sums are accumulated in float64).
 * sparsemax/entmax-1.5 keep their sums and thresholds in float64; entmax at other α keeps float32 storage
 * and float64 arithmetic; taylorSoftmax, sparseSoftmax and perturbMax compute each row in float64 and round
 * the result once. x may hold at most 2^26 entries (67,108,864).
 * Every option object is closed: an unknown key is a TypeError naming it and listing the allowed keys;
 * integer options (order, k, grid, cols, target) must be integers (5.5 → RangeError). Special values, for every map unless stated: NaN, +Infinity and an empty x throw
 * RangeError; -Infinity is a masked logit (probability exactly 0, zero Jacobian row/column; at least one
 * entry must be finite). Taylor softmax rejects ±Infinity (f_k(−∞) = +∞). Bad options throw RangeError
 * (bad values) or TypeError (wrong kinds); messages name the function, the parameter and the value.
 */
export interface SoftmaxApi {
  /**
   * log Σ exp(x_i), stable for |x| up to 1e308; -Infinity entries contribute 0 (all -Infinity → -Infinity);
   * +Infinity → +Infinity. For a Float32Array, the float32 value (a number that is exactly a float32).
   */
  logsumexp(x: Vector): number;
  /**
   * exp(x_i/τ) / Σ_j exp(x_j/τ) (§8.1); temperature > 0 finite. A τ so small that 1/τ overflows (e.g. 5e-324)
   * gives the τ → 0 limit: the uniform distribution on the argmax entries (a one-hot without ties).
   */
  softmax<X extends Vector>(x: X, opts?: RowOptions & OutOption & { temperature?: number }): MapResult<X>;
  /** f_k(x_i) / Σ f_k(x_j), f_k = Σ_{m≤k} x^m/m! (§8.3); order even in [2, 100]. Not shift-invariant. */
  taylorSoftmax<X extends Vector>(x: X, opts?: RowOptions & OutOption & { order?: number }): MapResult<X>;
  /**
   * Softmax restricted to Ω (§8.4). `{k}`: the k largest logits, k in [1, n]; ties at the cut go to the
   * lower index, so exactly k entries are kept. `{p}`: nucleus, the fewest largest logits whose softmax mass
   * reaches p ∈ (0, 1] (descending order, ties by lower index). -Infinity entries get 0 even inside Ω.
   */
  sparseSoftmax<X extends Vector>(x: X, opts: RowOptions & OutOption & SparseOptions): MapResult<X>;
  /**
   * P[argmax(x + ε) = i] for i.i.d. noise (§8.5) by deterministic inverse-CDF quadrature: ε_k = Φ^{-1}(t_k) on
   * a tanh-sinh grid of `grid` nodes (default 4096; error ≤ 1e-14 there, ≤ 1e-6 from 48 nodes). Gumbel noise
   * gives softmax. Cost O(grid·n) for Gumbel, O(grid·n²) for normal noise.
   */
  perturbMax<X extends Vector>(x: X, opts?: RowOptions & OutOption & { noise?: 'gumbel' | 'normal'; grid?: number }): MapResult<X>;
  /** Euclidean projection onto the simplex, relu(x − λ) (§8.6), in expected O(n) (randomised pivot). */
  sparsemax<X extends Vector>(x: X, opts?: RowOptions & OutOption): MapResult<X>;
  /**
   * relu((α−1)x − λ)^{1/(α−1)} (§8.7) for α ≥ 1 (default 1.5): α = 1 is softmax, α = 2 sparsemax, α = 1.5
   * exact (sorting), other α a root search to full double precision.
   */
  entmax<X extends Vector>(x: X, opts?: RowOptions & OutOption & { alpha?: number }): MapResult<X>;
  /**
   * AM-softmax's distribution softmax(s·(x − m·e_target)) (§8.2), computed as e^{s(y_i − max y)} for
   * y = x − m·e_target, so logits up to ±1e308 give the limit, not NaN; its −log at the target is the
   * AM-softmax loss. Always float64.
   */
  amSoftmax(x: Vector, target: number, opts?: { margin?: number; scale?: number; temperature?: number }): Float64Array;
  /** ∂p_i/∂x_j as an n×n row-major Float64Array (one vector; no cols). */
  jacobian(map: JacobianMap, x: Vector, opts?: MapOptions): Float64Array;
  /**
   * Loss and gradient for class `target` (§8.1, §8.2, §8.4, §8.6, §8.7): softmax = cross-entropy;
   * am-softmax = −log softmax(s(x − m e_t))_t; sparse = log Σ_Ω e^{x_i} − x_t; sparsemax = the sparsemax loss
   * ½ − x_t + ½Σ_Ω(x_i² − λ²); entmax = the Fenchel–Young loss Σ p_i(x_i − x_t) + Σ p_i(1 − p_i^{α−1})/(α(α−1)).
   * grad is p − e_t for every map but am-softmax (s(q − e_t)) and softmax with τ ((p − e_t)/τ).
   * The target's logit must be finite.
   * `kind` picks another loss (see LossKind; default 'map'): 'neg-p' and 'log-eps' have gradient −J_t·
   * and −J_t·/(p_t + ε) (so zero when p_t = 0), `epsilon` default 1e-3 (ours; the post gives none).
   * The surrogates' value (p − e_t)·x can be negative: only their gradient means anything.
   */
  loss(map: LossMap, x: Vector, target: number, opts?: MapOptions & { kind?: LossKind; epsilon?: number }): { value: number; grad: Float64Array };
  /** Support, entropy, ½‖J‖₁, Σp², and monotonicity / invariance measured by re-evaluating the map (the widget's readouts). */
  softmaxReport(map: ReportMap, x: Vector, opts?: MapOptions & { target?: number; grid?: number }): MapReport;
}
