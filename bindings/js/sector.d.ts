// Sector probability (post 5): n points uniform in a disc inside one sector of central angle θ.
// Angles in radians; the full turn is 2 * Math.PI (θ = Math.PI is exactly a semicircle). A θ within
// 4 roundoffs below the last breakpoint 2π(n−1)/n counts as on it (P = 1, 1 − P = 0), so that
// 2 * Math.PI * (n - 1) / n gives exactly 1 whichever way it rounded.

/** P and 1 − P from one evaluation, and which representation produced them. */
export interface SectorSplit {
  probability: number;
  complement: number;
  method: 'one' | 'closed' | 'left' | 'right' | 'saddle';
}

/**
 * Domains (every function): n is an integer (5.5 is a RangeError), angles are finite; a number of the wrong type
 * is a TypeError, a value outside its domain a RangeError, each message starting with the function's name. Option
 * objects are closed: an unknown key (e.g. `Seed`) is a TypeError naming it and listing the allowed keys.
 */
export interface SectorApi {
  /**
   * P_n(θ) for integer 1 ≤ n ≤ 2^52 (= 4503599627370496) and θ ∈ (0, 2π]; relative error ≲ 1e-14, measured
   * ≤ 4.1e-16 (P = 1 for θ ≥ 2π(n−1)/n). For every accepted n, P and 1 − P are in [0, 1] and sum to 1. Beyond 2^52 the
   * double-double terms can no longer meet the accuracy test, so larger n is a RangeError.
   */
  sectorProbability(n: number, theta: number): number;
  /** 1 − P_n(θ) with full relative accuracy, also when it is far below 1e-16 (down to underflow); n ≤ 2^52. */
  sectorComplement(n: number, theta: number): number;
  /** Both tails at once; n ≤ 2^52. */
  sectorEvaluate(n: number, theta: number): SectorSplit;
  /** P and 1 − P on a grid of angles (n ≤ 2^52; an empty grid gives empty arrays; a bad angle is named thetas[i]). */
  sectorCurve(n: number, thetas: ArrayLike<number>): { probability: Float64Array; complement: Float64Array };
  /** Exact P_n(2π·num/den) as a reduced fraction of decimal strings (0 < num ≤ den ≤ 2^40; n ≤ 100000 and
   *  terms × digits ≤ 2e9, e.g. any den at n = 2000; larger jobs throw a RangeError). */
  sectorProbabilityExact(n: number, num: number, den: number): { numerator: string; denominator: string };
  /**
   * Monte Carlo with points uniform in the disc; same seed → same numbers everywhere. Options: only `trials`
   * (integer ≥ 1, default 100000) and `seed` (integer in [0, 2^53), default 1). n ≤ 1e7 (one trial's points are held
   * in memory) and the work cap n × trials ≤ 1e9 (a RangeError naming the cap; split a longer run over seeds).
   */
  sectorMonteCarlo(n: number, theta: number, opts?: { trials?: number; seed?: number }): {
    estimate: number; stderr: number; trials: number; hits: number;
  };
  /** Largest of the n arcs as a fraction g ∈ [0, 1] of the circle: P(G > g) and P(G ≤ g); n ≤ 2^52. */
  sectorLargestGap(n: number, g: number): { exceed: number; atMost: number };
  /** E[largest arc] = H_n / n (fraction of the circle); any integer n ≥ 1 up to 2^53 − 1. */
  sectorLargestGapMean(n: number): number;
  /** Wendel's semicircle probability n / 2^(n−1) (0 once it underflows); any integer n ≥ 1. */
  sectorWendel(n: number): number;
  /** Breakpoints 2π(1 − 1/k), k = 2..n−1 (at most maxCount ∈ [0, 1e7], default 1000). */
  sectorBreakpoints(n: number, opts?: { maxCount?: number }): Float64Array;
  /** n points (1 ≤ n ≤ 1e7) uniform in the unit disc, interleaved x0 y0 x1 y1 …; `seed` integer in [0, 2^53). */
  sectorSamplePoints(n: number, opts?: { seed?: number }): Float64Array;
  /**
   * Smallest sector (apex at the centre) holding the points (x0, y0, x1, y1, …; at least one point, finite
   * coordinates): its angle and counter-clockwise start. Points at the centre are ignored (all at the centre: angle 0).
   */
  sectorCoveringSector(points: ArrayLike<number>): { angle: number; start: number };
}
