// Adversarial table of the lora topic (post 7): see tests/js/adversarial.test.mjs for the format.
import { array, enumOf, int, number, options, seed } from './kinds.mjs';

export const topic = 'lora';

// Small runs: every good call stays in the milliseconds.
const SMALL = { n: 8, r: 2, batch: 16, steps: 5 };
const trainKeys = () => ({
  model: enumOf('linear'), init: enumOf('B0'), optimizer: enumOf('adam'), n: int(8), m: int(0, { valid: ['-0'] }), r: int(2),
  batch: int(16), k: int(8), steps: int(5), lrA: number(3e-3, { valid: ['fractional', 'tiny', 'huge'] }),
  ratio: number(1, { valid: ['fractional', 'tiny', 'huge'] }), beta1: number(0.9, { valid: ['-0', 'tiny', 'fractional'] }),
  beta2: number(0.999, { valid: ['-0', 'tiny', 'fractional'] }), epsilon: number(1e-8, { valid: ['fractional', 'tiny', 'huge'] }),
  seed: seed(),
});
const SWEEP = { r: 2, batch: 16, steps: 5, widths: [8, 16], ratios: [0.5, 1, 2], lrs: [3e-3] };
const sweepKeys = () => {
  const { n: _n, lrA: _l, ratio: _r, ...rest } = trainKeys();
  return {
    ...rest, widths: array([8, 16]), ratios: array([0.5, 1, 2], { valid: ['float32', 'fractional'] }),
    lrs: array([3e-3], { valid: ['float32', 'fractional', 'huge'] }), repeats: int(1),
  };
};
const ratioCheck = (r) => (r.su > 0 && r.paper > 0 && Number.isFinite(r.su) && Number.isFinite(r.paper) ? true : JSON.stringify(r));

const SCALE = { n: 8, r: 2, batch: 4, seeds: 2 };
const scaleKeys = () => ({
  n: int(8), m: int(0, { valid: ['-0'] }), r: int(2), batch: int(4), seeds: int(2), seed: seed(),
});
const sweepScaleKeys = () => { const { n: _n, m: _m, ...rest } = scaleKeys(); return rest; };

export const functions = [
  // n/√(m r) for real n, m, r ≥ 1 with r ≤ min(n, m): huge n or m stays finite (m = 1e308 gives 0)
  {
    name: 'loraGradientRatioLaw',
    args: [number(64, { valid: ['huge'] }), number(64, { valid: ['huge'] }), number(2)],
    check: (r) => (Number.isFinite(r) && r >= 0 ? true : `law ${r}`),
  },
  { name: 'loraGradientScale', args: [options({ ...SCALE }, scaleKeys())] },
  {
    name: 'loraGradientScaleSweep',
    args: [array([4, 8]), options({ r: 2, batch: 4, seeds: 2 }, sweepScaleKeys(), { typo: 'R' })],
  },
  {
    name: 'loraGradientScaleSlopes',
    args: [array([4, 8]), array([1, 2, 1.5, 2.5], { valid: ['float32', 'fractional', 'huge'] }), int(2)],
  },
  // integers up to 2^53 − 1 (su and paper stay finite); 1.5 is a RangeError
  { name: 'loraRatios', args: [int(64, { valid: ['2^31', '2^32+3', 'max-safe'] }), int(64, { valid: ['2^31', '2^32+3', 'max-safe'] }), int(2)], check: ratioCheck },
  { name: 'loraTrain', args: [options({ ...SMALL }, trainKeys())] },
  {
    name: 'loraSweepCell',
    args: [options({ ...SWEEP }, sweepKeys()), int(8), number(1, { valid: ['fractional', 'tiny', 'huge'] })],
  },
  { name: 'loraSweep', args: [options({ ...SWEEP, ratios: [1, 2] }, sweepKeys())] },
  {
    name: 'loraSummarize',
    args: [options({ ...SWEEP }, sweepKeys()), array([1, 0.5, 0.7, 1, 0.4, 0.9], { valid: ['float32', 'fractional', 'huge', 'Infinity', '-0'] }),
      array([3e-3, 3e-3, 3e-3, 3e-3, 3e-3, 3e-3], { valid: ['float32', 'fractional', 'huge'] })],
  },
  {
    name: 'loraBestRatio',
    args: [array([0.5, 1, 2], { valid: ['float32', 'fractional'] }), array([1, 0.5, 0.7], { valid: ['float32', '-0', 'fractional', 'huge', 'Infinity'] })],
    check: (r) => (r > 0 && Number.isFinite(r) ? true : `best ${r}`),
  },
  {
    name: 'loraLogLogFit',
    args: [array([1, 2, 4], { valid: ['float32', 'fractional', 'huge'] }), array([1, 2, 3], { valid: ['float32', 'fractional', 'huge'] })],
  },
];

export function battery(pw) {
  return [
    pw.loraRatios(64, 64, 2), pw.loraTrain({ ...SMALL, seed: 3 }), pw.loraSweepCell(SWEEP, 8, 2), pw.loraBestRatio([0.5, 1, 2], [1, 0.5, 0.7]),
    pw.loraLogLogFit([1, 2, 4], [1, 2, 3]), pw.loraGradientRatioLaw(64, 16, 2), pw.loraGradientScale(SCALE),
    pw.loraGradientScaleSlopes([4, 8], [1, 2, 1.5, 2.5], 2),
  ];
}
