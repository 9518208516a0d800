// Adversarial table of the sector topic (post 5): see tests/js/adversarial.test.mjs for the format.
import { array, int, number, options, seed } from './kinds.mjs';

export const topic = 'sector';

const inUnit = (p) => typeof p === 'number' && p >= 0 && p <= 1;
// P and 1 − P in [0, 1], summing to 1 up to the rounding of the larger one.
const split = (r) => (inUnit(r.probability) && inUnit(r.complement) && Math.abs(r.probability + r.complement - 1) <= 2 ** -52
  ? true : `P = ${r.probability}, 1 − P = ${r.complement}`);
const probability = (p) => (inUnit(p) ? true : `P = ${p} is not in [0, 1]`);
// n up to 2^52 (the accuracy bound) is valid; 2^53 and 2^53 − 1 are RangeErrors
const n = () => int(5, { valid: ['2^31', '2^32+3'] });
const anyN = () => int(5, { valid: ['2^31', '2^32+3', 'max-safe'] });  // functions without the accuracy bound
const theta = () => number(2, { valid: ['fractional', 'tiny'] });

export const functions = [
  { name: 'sectorProbability', args: [n(), theta()], check: probability },
  { name: 'sectorComplement', args: [n(), theta()], check: probability },
  { name: 'sectorEvaluate', args: [n(), theta()], check: split },
  {
    name: 'sectorCurve',
    args: [n(), array([1, 2, 3], { valid: ['float32', 'fractional', 'empty'] })],
    check: (r) => {
      if (r.probability.length !== r.complement.length) return 'lengths differ';
      for (let i = 0; i < r.probability.length; i++) {
        const s = split({ probability: r.probability[i], complement: r.complement[i] });
        if (s !== true) return s;
      }
      return true;
    },
  },
  {
    name: 'sectorProbabilityExact',
    args: [n(), int(1), int(3, { valid: ['2^31', '2^32+3'] })],  // den ≤ 2^40
    check: (r) => (/^\d+$/.test(r.numerator) && /^[1-9]\d*$/.test(r.denominator) && BigInt(r.numerator) <= BigInt(r.denominator)
      ? true : `${r.numerator}/${r.denominator}`),
  },
  {
    name: 'sectorMonteCarlo',
    args: [n(), theta(), options({ trials: 100, seed: 1 }, { trials: int(100), seed: seed() }, { typo: 'Seed' })],
    check: (r) => (inUnit(r.estimate) && r.stderr >= 0 && Number.isInteger(r.trials) ? true : JSON.stringify(r)),
  },
  {
    name: 'sectorLargestGap',
    args: [n(), number(0.3, { valid: ['-0', 'tiny', 'fractional'] })],
    check: (r) => split({ probability: r.exceed, complement: r.atMost }),
  },
  { name: 'sectorLargestGapMean', args: [anyN()], check: (m) => (m > 0 && m <= 1 ? true : `mean ${m}`) },
  { name: 'sectorWendel', args: [anyN()], check: probability },
  { name: 'sectorBreakpoints', args: [anyN(), options({ maxCount: 3 }, { maxCount: int(3, { valid: ['-0'] }) })] },
  { name: 'sectorSamplePoints', args: [n(), options({ seed: 1 }, { seed: seed() })] },
  {
    name: 'sectorCoveringSector',
    args: [array([1, 0, 0, 1, -1, 0.5], { valid: ['float32', '-0', 'negative', 'fractional', 'huge', '-huge'] })],
    check: (r) => (r.angle >= 0 && r.angle <= 2 * Math.PI && Number.isFinite(r.start) ? true : JSON.stringify(r)),
  },
];

export function battery(pw) {
  return [
    pw.sectorProbability(7, 2), pw.sectorComplement(200, 5), pw.sectorEvaluate(50, 4), pw.sectorCurve(9, [1, 4, 6]),
    pw.sectorProbabilityExact(5, 1, 3), pw.sectorMonteCarlo(5, 3, { trials: 500, seed: 3 }), pw.sectorLargestGap(10, 0.3),
    pw.sectorLargestGapMean(12), pw.sectorWendel(6), pw.sectorBreakpoints(10), pw.sectorSamplePoints(4, { seed: 2 }),
    pw.sectorCoveringSector([1, 0, 0, 1, -1, 0.5]),
  ];
}
