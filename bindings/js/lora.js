// LoRA+ facade (post 7, kexue.fm/archives/10001): option handling and type checks; every number comes from wasm.
import { checkArray, checkNumber, checkInt, checkEnum, checkOptions } from './common.js';

const TRAIN_DEFAULTS = Object.freeze({
  model: 'linear', init: 'B0', optimizer: 'adam', n: 32, m: 0, r: 2, batch: 128, k: 8, steps: 100,
  lrA: 3e-3, ratio: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, seed: 1,
});
const SWEEP_DEFAULTS = Object.freeze({
  widths: [16, 32, 64],
  ratios: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256],
  lrs: [3e-3],
  repeats: 1,
});
const INTS = ['n', 'm', 'r', 'batch', 'k', 'steps'];
const NUMS = ['lrA', 'ratio', 'beta1', 'beta2', 'epsilon'];
const TRAIN_KEYS = Object.keys(TRAIN_DEFAULTS);
// A sweep sets n (from widths), λ (from ratios) and η_A (from lrs) itself.
const SWEEP_KEYS = [...TRAIN_KEYS.filter((k) => !['n', 'ratio', 'lrA'].includes(k)), ...Object.keys(SWEEP_DEFAULTS)];

function trainOptions(fn, opts, allowed = TRAIN_KEYS) {
  const o = { ...TRAIN_DEFAULTS, ...stripUndefined(checkOptions(fn, opts, allowed)) };
  checkEnum(fn, 'model', o.model, ['linear', 'two-layer']);
  checkEnum(fn, 'init', o.init, ['A0', 'B0']);
  checkEnum(fn, 'optimizer', o.optimizer, ['adam', 'signsgd']);
  for (const k of INTS) checkInt(fn, k, o[k]);
  for (const k of NUMS) checkNumber(fn, k, o[k]);
  checkInt(fn, 'seed', o.seed, 0, Number.MAX_SAFE_INTEGER);
  return o;
}

function sweepOptions(fn, opts) {
  const o = trainOptions(fn, opts, SWEEP_KEYS);
  for (const k of ['widths', 'ratios', 'lrs']) o[k] = o[k] === undefined ? SWEEP_DEFAULTS[k] : checkArray(fn, k, o[k]);
  for (let i = 0; i < o.widths.length; i++) checkInt(fn, `widths[${i}]`, o.widths[i]);
  o.repeats = o.repeats === undefined ? SWEEP_DEFAULTS.repeats : checkInt(fn, 'repeats', o.repeats);
  return o;
}

function stripUndefined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function api(M) {
  return {
    loraRatios(n, m, r) {
      // widths and a rank are whole numbers: 1.5 is a RangeError (2^53 − 1 keeps (n/m)·n/r finite)
      for (const [k, v] of [['n', n], ['m', m], ['r', r]]) checkInt('loraRatios', k, v, 1, Number.MAX_SAFE_INTEGER);
      return { su: M.loraSuRatio(n, m, r), paper: M.loraPaperRatio(n, m, r), loraPlusDefault: M.loraPlusDefaultRatio };
    },
    loraTrain(opts) {
      const o = trainOptions('loraTrain', opts);
      const { loss, contribA, contribB } = M.loraTrain(o);
      return { loss, finalLoss: M.loraFinalLoss(loss), contribA, contribB };
    },
    loraSweepCell(opts, n, ratio) {
      const o = sweepOptions('loraSweepCell', opts);
      checkInt('loraSweepCell', 'n', n);
      checkNumber('loraSweepCell', 'ratio', ratio);
      return M.loraSweepCell(o, n, ratio);
    },
    loraSweep(opts) {
      const o = sweepOptions('loraSweep', opts);
      return { widths: Float64Array.from(o.widths), ratios: Float64Array.from(o.ratios), ...M.loraSweep(o) };
    },
    loraSummarize(opts, loss, lrA) {
      const o = sweepOptions('loraSummarize', opts);
      const r = M.loraSummarize(o, checkArray('loraSummarize', 'loss', loss), checkArray('loraSummarize', 'lrA', lrA));
      return { widths: Float64Array.from(o.widths), ratios: Float64Array.from(o.ratios), ...r };
    },
    loraBestRatio(ratios, losses) {
      return M.loraBestRatio(checkArray('loraBestRatio', 'ratios', ratios), checkArray('loraBestRatio', 'losses', losses));
    },
    loraLogLogFit(x, y) {
      return M.loraLogLogFit(checkArray('loraLogLogFit', 'x', x), checkArray('loraLogLogFit', 'y', y));
    },
  };
}

export const tasks = {
  /**
   * The sweep of loraSweep, one (width, λ) cell per step so the Worker can report progress and cancel.
   * Yields { done, total, w, i, loss, lrA }; returns what loraSweep returns (the same numbers).
   */
  async *loraSweep(pw, opts) {
    const o = sweepOptions('loraSweep', opts);
    const { n: _n, ratio: _r, lrA: _l, ...sweep } = o;  // the checked options, without the keys a sweep sets itself
    pw.loraSummarize(sweep, new Float64Array(o.widths.length * o.ratios.length), new Float64Array(o.widths.length * o.ratios.length).fill(1));
    const total = o.widths.length * o.ratios.length;
    const loss = new Float64Array(total), lrA = new Float64Array(total);
    let done = 0;
    for (let w = 0; w < o.widths.length; w++) {
      for (let i = 0; i < o.ratios.length; i++) {
        const cell = pw.loraSweepCell(sweep, o.widths[w], o.ratios[i]);
        loss[done] = cell.loss;
        lrA[done] = cell.lrA;
        done++;
        yield { done, total, w, i, loss: cell.loss, lrA: cell.lrA };
      }
    }
    return pw.loraSummarize(sweep, loss, lrA);
  },
};
