// Sector probability facade (post 5): option handling and type checks; every number comes from wasm.
import { checkArray, checkNumber, checkOptions } from './common.js';

const num = (fn, name, v) => checkNumber(fn, name, v);

export function api(M) {
  return {
    sectorProbability(n, theta) {
      return M.sectorProbability(num('sectorProbability', 'n', n), num('sectorProbability', 'theta', theta));
    },
    sectorComplement(n, theta) {
      return M.sectorComplement(num('sectorComplement', 'n', n), num('sectorComplement', 'theta', theta));
    },
    sectorEvaluate(n, theta) {
      return M.sectorEvaluate(num('sectorEvaluate', 'n', n), num('sectorEvaluate', 'theta', theta));
    },
    sectorCurve(n, thetas) {
      return M.sectorCurve(num('sectorCurve', 'n', n), checkArray('sectorCurve', 'thetas', thetas));
    },
    sectorProbabilityExact(n, numerator, denominator) {
      const fn = 'sectorProbabilityExact';
      return M.sectorProbabilityExact(num(fn, 'n', n), num(fn, 'num', numerator), num(fn, 'den', denominator));
    },
    sectorMonteCarlo(n, theta, opts) {
      const fn = 'sectorMonteCarlo';
      const o = checkOptions(fn, opts, ['trials', 'seed']);
      const trials = o.trials === undefined ? 100000 : num(fn, 'trials', o.trials);
      const seed = o.seed === undefined ? 1 : num(fn, 'seed', o.seed);
      const r = M.sectorMonteCarlo(num(fn, 'n', n), num(fn, 'theta', theta), trials, seed);
      return { estimate: r.estimate, stderr: r.stderr, trials: r.trials, hits: r.hits };
    },
    sectorLargestGap(n, g) {
      const r = M.sectorLargestGap(num('sectorLargestGap', 'n', n), num('sectorLargestGap', 'g', g));
      return { exceed: r.probability, atMost: r.complement };
    },
    sectorLargestGapMean(n) {
      return M.sectorLargestGapMean(num('sectorLargestGapMean', 'n', n));
    },
    sectorWendel(n) {
      return M.sectorWendel(num('sectorWendel', 'n', n));
    },
    sectorBreakpoints(n, opts) {
      const o = checkOptions('sectorBreakpoints', opts, ['maxCount']);
      const maxCount = o.maxCount === undefined ? 1000 : num('sectorBreakpoints', 'maxCount', o.maxCount);
      return M.sectorBreakpoints(num('sectorBreakpoints', 'n', n), maxCount);
    },
    sectorSamplePoints(n, opts) {
      const o = checkOptions('sectorSamplePoints', opts, ['seed']);
      const seed = o.seed === undefined ? 1 : num('sectorSamplePoints', 'seed', o.seed);
      return M.sectorSamplePoints(num('sectorSamplePoints', 'n', n), seed);
    },
    sectorCoveringSector(points) {
      return M.sectorCoveringSector(checkArray('sectorCoveringSector', 'points', points));
    },
  };
}

export const tasks = {
  /**
   * Monte Carlo points of the curve P_n(θ): one sectorMonteCarlo run per θ (seed + index), with
   * progress { done, total } after each. Returns [{ theta, estimate, stderr, trials }].
   */
  async *sectorMonteCarloCurve(pw, n, thetas, opts) {
    const o = checkOptions('sectorMonteCarloCurve', opts, ['trials', 'seed']);
    checkArray('sectorMonteCarloCurve', 'thetas', thetas);
    const trials = o.trials ?? 20000;
    const seed = checkNumber('sectorMonteCarloCurve', 'seed', o.seed ?? 1);
    const out = [];
    for (let i = 0; i < thetas.length; i++) {
      const r = pw.sectorMonteCarlo(n, thetas[i], { trials, seed: seed + i });
      out.push({ theta: thetas[i], estimate: r.estimate, stderr: r.stderr, trials: r.trials });
      yield { done: i + 1, total: thetas.length };
    }
    return out;
  },
};
