/** Arrays in: plain numbers or typed arrays. */
export type Vector = number[] | Float64Array | Float32Array;

/** Row-wise application: with `cols`, x is a row-major matrix and the map applies to each row. */
export interface RowOptions {
  cols?: number;
}

/** Softmax and its alternatives (post 8, kexue.fm/archives/10145). */
export interface SoftmaxApi {
  /** log Σ exp(x_i), stable for |x| up to 1e308; -Infinity entries contribute 0. */
  logsumexp(x: Vector): number;
  /** exp(x_i/τ) / Σ_j exp(x_j/τ). -Infinity entries are masked (probability 0); NaN and +Infinity throw RangeError. */
  softmax(x: Vector, opts?: RowOptions & { temperature?: number }): Float64Array;
}
