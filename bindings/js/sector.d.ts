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

export interface SectorApi {
  /** P_n(θ) for integer n ≥ 1 and θ ∈ (0, 2π]; relative error ≲ 1e-14, measured ≤ 4.1e-16 (P = 1 for θ ≥ 2π(n−1)/n). */
  sectorProbability(n: number, theta: number): number;
  /** 1 − P_n(θ) with full relative accuracy, also when it is far below 1e-16 (down to underflow). */
  sectorComplement(n: number, theta: number): number;
  /** Both tails at once. */
  sectorEvaluate(n: number, theta: number): SectorSplit;
  /** P and 1 − P on a grid of angles. */
  sectorCurve(n: number, thetas: ArrayLike<number>): { probability: Float64Array; complement: Float64Array };
  /** Exact P_n(2π·num/den) as a reduced fraction of decimal strings (0 < num ≤ den ≤ 2^40; n ≤ 100000 and
   *  terms × digits ≤ 2e9, e.g. any den at n = 2000; larger jobs throw a RangeError). */
  sectorProbabilityExact(n: number, num: number, den: number): { numerator: string; denominator: string };
  /** Monte Carlo with points uniform in the disc; same seed → same numbers everywhere. */
  sectorMonteCarlo(n: number, theta: number, opts?: { trials?: number; seed?: number }): {
    estimate: number; stderr: number; trials: number; hits: number;
  };
  /** Largest of the n arcs as a fraction g of the circle: P(G > g) and P(G ≤ g). */
  sectorLargestGap(n: number, g: number): { exceed: number; atMost: number };
  /** E[largest arc] = H_n / n (fraction of the circle). */
  sectorLargestGapMean(n: number): number;
  /** Wendel's semicircle probability n / 2^(n−1). */
  sectorWendel(n: number): number;
  /** Breakpoints 2π(1 − 1/k), k = 2..n−1 (at most maxCount, default 1000). */
  sectorBreakpoints(n: number, opts?: { maxCount?: number }): Float64Array;
  /** n points uniform in the unit disc, interleaved x0 y0 x1 y1 …. */
  sectorSamplePoints(n: number, opts?: { seed?: number }): Float64Array;
  /** Smallest sector (apex at the centre) holding the points: its angle and counter-clockwise start. */
  sectorCoveringSector(points: ArrayLike<number>): { angle: number; start: number };
}
