/// <reference lib="esnext.disposable" />
/** Arrays in: plain numbers or typed arrays (converted to float32 by the module). */
export type MatrixData = number[] | Float64Array | Float32Array;

/** The token mixers of post 2 (kexue.fm/archives/8431), as operators on X ∈ R^{n×d}. */
export type MixerKind =
  | 'attention'           // O = softmax(QKᵀ/√k) V, single head
  | 'synthesizer-random'  // O = softmax(B) X W_v, B an n×n parameter
  | 'synthesizer-dense'   // O = softmax(B(X)) X W_v, B_i = W₂ relu(W₁x_i + b₁) + b₂
  | 'mixer'               // U = X + W₂ GELU(W₁ LN(X) + b₁) + b₂ (MLP-Mixer token mixing)
  | 'mixer-linear'        // O = B X (Su's reading: Synthesizer-Random without the softmax)
  | 'external'            // O = DoubleNorm(X M_kᵀ) M_v, softmax over tokens then ℓ1 over the memory
  | 'fnet'                // O = Re(F_n X F_dᵀ) via FFT (Eigen's kissfft)
  | 'gmlp'                // Z₁ ⊙ (W LN(Z₂) + b), output d/2 channels
  | 'amlp'                // Z₁ ⊙ (W LN(Z₂) + b + TinyAttention(X)), output d/2 channels
  | 'resmlp';             // X + Aff₂(A Aff₁(X))

export type MixerInputPattern = 'random' | 'sinusoid' | 'blocks' | 'ramp';

export interface MixerOptions {
  /** Tokens the parameters are built for (1…4096). Fixed-n kinds accept only this n afterwards. */
  n: number;
  /** Channels (1…4096; even for gmlp / amlp). */
  d: number;
  /** PRNG seed (0…2³²−1, default 1): same parameters in Node and browsers. */
  seed?: number;
  /** Attention key size k (default d). */
  headDim?: number;
  /** MLP-Mixer token-MLP width D_S (default n). */
  hidden?: number;
  /** External Attention memory size S (default 64). */
  memory?: number;
  /** aMLP tiny-attention size (default min(d, 16)). */
  attnDim?: number;
  /** gMLP/aMLP: W ~ U(−gateInit, gateInit), b = 1 (default 1e-3: the block starts near Z₁); in [0, 1000]. */
  gateInit?: number;
}

export interface MixingMatrix {
  /** n×n, row-major. */
  matrix: Float32Array;
  n: number;
  /**
   * 'attention' (the input-dependent softmax A), 'defined' (the matrix the paper's formula applies along
   * tokens), 'exact' (the map is linear/affine in X and this is its channel-averaged Jacobian), or
   * 'jacobian' ((1/d)·Σ_c ∂O_ic/∂X_jc at this X, computed analytically).
   */
  definition: 'attention' | 'defined' | 'exact' | 'jacobian';
  /** The matrix in words, e.g. "A = softmax(B)". */
  formula: string;
  /** Whether the matrix changes with X. */
  inputDependent: boolean;
}

export interface MixerCost {
  /** FLOPs of one forward: multiply-add = 2, elementwise op = 1, length-N FFT = 5·N·log₂N. */
  flops: number;
  params: number;
  /** Floats in the largest intermediate. */
  activations: number;
  /** 'O(n²)', 'O(n log n)', 'O(n)' or 'O(n·h)'. */
  order: string;
}

/**
 * A token mixer with seeded parameters. Call dispose() when done. Integers must be integers (5.5 is a RangeError);
 * options are closed (an unknown key is a TypeError naming it and listing the allowed ones); errors start with the
 * public name (`TokenMixer.forwardWithFlops: …`, `mix: …`), a disposed mixer included.
 */
export declare class TokenMixer {
  constructor(kind: MixerKind, opts: MixerOptions);
  readonly kind: MixerKind;
  readonly n: number;
  readonly d: number;
  /** d, or d/2 for gmlp / amlp. */
  readonly outDim: number;
  /** True when a parameter is n×n: forward with another n throws a RangeError naming n. */
  readonly fixedN: boolean;
  readonly parameterCount: number;
  readonly parameterNames: string[];
  /** X (n×d row-major; n defaults to x.length / d) → O (n×outDim) as a fresh Float32Array. */
  forward(x: MatrixData, n?: number): Float32Array;
  /** The same, with the FLOPs counted while it ran. */
  forwardWithFlops(x: MatrixData, n?: number): { output: Float32Array; flops: number };
  /** The token-mixing matrix at X. */
  mixingMatrix(x: MatrixData, n?: number): MixingMatrix;
  /** max |M(x1) − M(x2)| and ‖M(x1) − M(x2)‖_F / ‖M(x1)‖_F. */
  inputDependence(x1: MatrixData, x2: MatrixData, n?: number): { maxAbs: number; relFrobenius: number };
  /**
   * External Attention only: the two stages of its double normalisation, n×S row-major — `p` = softmax over
   * the token axis of X M_kᵀ (columns sum to 1), `a` = p with each row ℓ1-normalised (rows sum to 1).
   */
  externalWeights(x: MatrixData, n?: number): { p: Float32Array; a: Float32Array; memory: number };
  /** A parameter by name (see parameterNames), e.g. 'B', 'Wq', 'Mk'. */
  parameter(name: string): { data: Float32Array; rows: number; cols: number };
  dispose(): void;
  /** Calls dispose(): `using x = …` frees it at the end of the block. */
  [Symbol.dispose](): void;
}

export interface MixersApi {
  TokenMixer: typeof TokenMixer;
  /** The kinds, in the post's order. */
  mixerKinds(): MixerKind[];
  /** Closed-form cost of one forward (equal to forwardWithFlops().flops). */
  mixerCost(kind: MixerKind, n: number, d: number, opts?: Omit<MixerOptions, 'n' | 'd'>): MixerCost;
  /** Demo input X (n×d): 'random' N(0,1), 'sinusoid', 'blocks' (4 segments of equal tokens), 'ramp'. */
  mixerInput(pattern: MixerInputPattern, n: number, d: number, opts?: { seed?: number }): Float32Array;
  /** Re(F_n X F_dᵀ) by DFT matrix products in double: the reference for FNet's FFT path. */
  fnetReference(x: MatrixData, n: number, d: number): Float64Array;
  /** FNet's float32 FFT against fnetReference: ‖err‖_F, max |err| and the bound log2(nd)·eps32·√(nd)·‖X‖_F. */
  fnetCheck(x: MatrixData, n: number, d: number): { frobenius: number; maxAbs: number; bound: number };
  /** One-shot: build a mixer, run forward, dispose. */
  mix(kind: MixerKind, x: MatrixData, opts: MixerOptions): Float32Array;
}

/**
 * Worker task `mixersCost` (run with `pw.worker().run('mixersCost', [opts])`): measured forward time and
 * counted FLOPs for each kind and n. opts: { kinds?, ns? (default 16…4096), d? (64), seed?, reps? (3),
 * minMs? (20), maxFlops? (4e9: larger cases are skipped) }. Progress: { done, total, kind, n, ms }.
 */
export interface MixersCostResult {
  d: number;
  ns: number[];
  kinds: MixerKind[];
  rows: { kind: MixerKind; n: number; ms: number | null; flops: number; order: string; skipped: boolean }[];
}
