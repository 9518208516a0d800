// Adversarial table of the attention topic (post 6): see tests/js/adversarial.test.mjs for the format.
import { array, enumOf, int, number, options, seed } from './kinds.mjs';

export const topic = 'attention';

const logits = (v) => array(v, { valid: ['float32', '-0', 'negative', 'fractional', '-Infinity', '-huge', 'huge'] });
const noiseKeys = () => ({
  noise: enumOf('gaussian'), scale: number(1, { valid: ['-0', 'tiny', 'fractional'] }),
  logitStd: number(1, { valid: ['-0', 'tiny', 'fractional'] }),
});
const mcKeys = () => ({ ...noiseKeys(), trials: int(20), seed: seed() });
const tau = () => options({ tau: 1 }, { tau: number(1, { valid: ['fractional'] }) });
// attentionNoiseTheory: `constant` is NaN when the variance is infinite (documented).
const theory = (r) => (typeof r.meanFinite === 'boolean' && (Number.isNaN(r.constant) ? !r.varianceFinite : r.constant >= 0) ? true : JSON.stringify(r));

export const functions = [
  { name: 'attentionOutput', args: [logits([1, 2, 3]), array([1, 0, 0.5, 2, -1, 1], { valid: ['float32', '-0', 'negative', 'fractional', 'huge', '-huge'] })] },
  {
    name: 'attentionNoiseMgf',
    args: [enumOf('gaussian'), number(1, { valid: ['-0', 'tiny', 'fractional'] }), number(1, { valid: ['-0', 'tiny', 'fractional', 'negative', 'huge'] })],
    check: (r) => (r > 0 ? true : `mgf ${r}`),  // Infinity where E[e^{tε}] diverges or overflows (documented)
  },
  { name: 'attentionNoiseTheory', args: [options({ noise: 'gaussian' }, noiseKeys())], check: theory },
  { name: 'attentionNoiseError', args: [int(8), options({ trials: 20 }, mcKeys())] },
  { name: 'attentionNoiseScaling', args: [array([4, 8, 16], { valid: ['float32'] }), options({ trials: 10 }, mcKeys())], check: (r) => (Number.isFinite(r.fit.slope) ? true : JSON.stringify(r.fit)) },
  {
    name: 'fitLogLogSlope',
    args: [array([1, 2, 4], { valid: ['float32', 'fractional', 'huge'] }), array([1, 0.7, 0.5], { valid: ['float32', 'fractional'] }),
      array([0.1, 0.1, 0.1], { valid: ['float32', 'fractional', 'huge'] })],
  },
  { name: 'softmaxEntropy', args: [logits([1, 2, 3])], check: (h) => (h >= 0 && h <= Math.log(3) + 1e-15 ? true : `H = ${h}`) },
  { name: 'softmaxJacobianHalfL1', args: [logits([1, 2, 3])], check: (h) => (h >= 0 && h <= 1 ? true : `½‖J‖₁ = ${h}`) },
  { name: 'minEntropy', args: [int(16), tau()] },
  { name: 'twoLevelEntropyGap', args: [int(16), int(3), tau()] },
  { name: 'entropyGapFraction', args: [array([0.5, 0.2], { valid: ['float32', '-0', 'fractional', 'empty'] }), tau()] },
  { name: 'minEntropyLimit', args: [tau()] },
  {
    name: 'attentionInitScaleCurve',
    args: [int(8), array([0.5, 1], { valid: ['float32', '-0', 'fractional', 'empty'] }), options({ trials: 10 }, { trials: int(10), seed: seed() })],
  },
];

export function battery(pw) {
  return [
    pw.attentionOutput([1, 2, 3], [1, 0, 0.5, 2, -1, 1]), pw.attentionNoiseMgf('laplace', 0.5, 1), pw.attentionNoiseTheory({ noise: 'uniform' }),
    pw.attentionNoiseError(8, { trials: 20, seed: 3 }), pw.fitLogLogSlope([1, 2, 4], [1, 0.7, 0.5], [0.1, 0.1, 0.1]),
    pw.softmaxEntropy([1, 2, 3]), pw.softmaxJacobianHalfL1([1, 2, 3]), pw.minEntropy(16), pw.twoLevelEntropyGap(16, 3),
    pw.entropyGapFraction([0.5, 0.2]), pw.minEntropyLimit({ tau: 0.5 }), pw.attentionInitScaleCurve(8, [0.5, 1], { trials: 10 }),
  ];
}
