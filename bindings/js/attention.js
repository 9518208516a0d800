// Attention noise and softmax entropy facade (post 6): option handling and type checks; every number comes from wasm.
import { checkArray, checkEnum, checkNumber, checkOptions } from './common.js';

const NOISES = ['gaussian', 'uniform', 'gumbel', 'laplace'];

const THEORY_KEYS = ['noise', 'scale', 'logitStd'];
const MC_KEYS = [...THEORY_KEYS, 'trials', 'seed'];

function noiseOpts(fn, opts, allowed = MC_KEYS) {
  const o = checkOptions(fn, opts, allowed);
  return {
    noise: o.noise === undefined ? 'gaussian' : checkEnum(fn, 'noise', o.noise, NOISES),
    scale: o.scale === undefined ? 1 : checkNumber(fn, 'scale', o.scale),
    logitStd: o.logitStd === undefined ? 1 : checkNumber(fn, 'logitStd', o.logitStd),
    trials: o.trials === undefined ? 200 : checkNumber(fn, 'trials', o.trials),
    seed: o.seed === undefined ? 1 : checkNumber(fn, 'seed', o.seed),
  };
}
const tauOpt = (fn, opts) => {
  const o = checkOptions(fn, opts, ['tau']);
  return o.tau === undefined ? 1 : checkNumber(fn, 'tau', o.tau);
};

export function api(M) {
  const noiseError = (fn, n, o) => M.attentionNoiseError(n, o.noise, o.scale, o.logitStd, o.trials, o.seed, fn);
  function* scaling(ns, opts) {
    const fn = 'attentionNoiseScaling';
    checkArray(fn, 'ns', ns);
    const o = noiseOpts(fn, opts);
    const n = Float64Array.from(ns), mean = new Float64Array(n.length), stderr = new Float64Array(n.length);
    for (let i = 0; i < n.length; i++) {
      const r = noiseError(fn, n[i], o);
      mean[i] = r.mean;
      stderr[i] = r.stderr;
      yield { done: i + 1, total: n.length, n: n[i], mean: r.mean };
    }
    const s = M.attentionSummarizeScaling(n, mean, stderr, o.noise, o.scale, o.logitStd);
    return { n, mean, stderr, fit: s.fit, theory: s.theory, fitted: s.fitted, predicted: s.predicted };
  }
  function* scaleCurve(n, scales, opts) {
    const fn = 'attentionInitScaleCurve';
    checkNumber(fn, 'n', n);
    checkArray(fn, 'scales', scales);
    const o = checkOptions(fn, opts, ['trials', 'seed']);
    const trials = o.trials === undefined ? 50 : checkNumber(fn, 'trials', o.trials);
    const seed = o.seed === undefined ? 1 : checkNumber(fn, 'seed', o.seed);
    const keys = ['scale', 'entropy', 'entropyStderr', 'halfL1', 'halfL1Stderr'];
    const out = Object.fromEntries(keys.map((k) => [k, new Float64Array(scales.length)]));
    // one scale per call: the core seeds scale j from (seed, j), so chunking gives the same numbers as one call
    for (let j = 0; j < scales.length; j++) {
      const r = M.attentionInitScaleCurve(n, [checkNumber(fn, `scales[${j}]`, scales[j])], trials, seed, j);
      for (const k of keys) out[k][j] = r[k][0];
      yield { done: j + 1, total: scales.length };
    }
    return out;
  }
  const drain = (it) => { for (;;) { const s = it.next(); if (s.done) return s.value; } };

  return {
    attentionOutput(s, v) {
      return M.attentionOutput(checkArray('attentionOutput', 's', s), checkArray('attentionOutput', 'v', v));
    },
    attentionNoiseMgf(noise, scale, t) {
      const fn = 'attentionNoiseMgf';
      return M.attentionNoiseMgf(checkEnum(fn, 'noise', noise, NOISES), checkNumber(fn, 'scale', scale), checkNumber(fn, 't', t));
    },
    attentionNoiseTheory(opts) {
      const o = noiseOpts('attentionNoiseTheory', opts, THEORY_KEYS);
      return M.attentionNoiseTheory(o.noise, o.scale, o.logitStd);
    },
    attentionNoiseError(n, opts) {
      return noiseError('attentionNoiseError', checkNumber('attentionNoiseError', 'n', n), noiseOpts('attentionNoiseError', opts));
    },
    attentionNoiseScaling(ns, opts) { return drain(scaling(ns, opts)); },
    fitLogLogSlope(n, mean, stderr) {
      const fn = 'fitLogLogSlope';
      return M.attentionFitLogLog(checkArray(fn, 'n', n), checkArray(fn, 'mean', mean), checkArray(fn, 'stderr', stderr));
    },
    softmaxEntropy(s) { return M.attentionEntropy(checkArray('softmaxEntropy', 's', s)); },
    softmaxJacobianHalfL1(s) { return M.attentionHalfL1(checkArray('softmaxJacobianHalfL1', 's', s)); },
    minEntropy(n, opts) { return M.attentionMinEntropy(checkNumber('minEntropy', 'n', n), tauOpt('minEntropy', opts)); },
    twoLevelEntropyGap(n, plus, opts) {
      const fn = 'twoLevelEntropyGap';
      return M.attentionTwoLevelGap(checkNumber(fn, 'n', n), checkNumber(fn, 'plus', plus), tauOpt(fn, opts));
    },
    entropyGapFraction(t, opts) {
      return M.attentionGapFractions(checkArray('entropyGapFraction', 't', t), tauOpt('entropyGapFraction', opts));
    },
    minEntropyLimit(opts) { return M.attentionMinEntropyLimit(tauOpt('minEntropyLimit', opts)); },
    attentionInitScaleCurve(n, scales, opts) { return drain(scaleCurve(n, scales, opts)); },
    /** @internal used by the tasks below */
    _attentionScaling: scaling,
    /** @internal */
    _attentionScaleCurve: scaleCurve,
  };
}

async function* drive(it) {
  for (;;) {
    const s = it.next();
    if (s.done) return s.value;
    yield s.value;
  }
}

export const tasks = {
  /** attentionNoiseScaling in a Worker: yields { done, total, n, mean } per n. */
  attentionNoiseScaling: (pw, ns, opts) => drive(pw._attentionScaling(ns, opts)),
  /** attentionInitScaleCurve in a Worker: yields { done, total } per scale. */
  attentionScaleCurve: (pw, n, scales, opts) => drive(pw._attentionScaleCurve(n, scales, opts)),
};
