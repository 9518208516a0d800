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


// ---- §7.4's scale argument, measured (new block) ----
const SCALE_DEFAULTS = Object.freeze({ n: 64, m: 0, r: 8, batch: 16, seeds: 8, seed: 1 });
function scaleOptions(fn, opts) {
  const o = { ...SCALE_DEFAULTS, ...stripUndefined(checkOptions(fn, opts, Object.keys(SCALE_DEFAULTS))) };
  for (const k of ['n', 'm', 'r', 'batch', 'seeds']) checkInt(fn, k, o[k]);
  checkInt(fn, 'seed', o.seed, 0, Number.MAX_SAFE_INTEGER);
  return o;
}
function scaleApi(M) {
  return {
    /** n/√(m r): the equal-contribution ratio the gradients' actual scales give (Su's formula when m = n). */
    loraGradientRatioLaw(n, m, r) {
      for (const [k, v] of [['n', n], ['m', m], ['r', r]]) checkNumber('loraGradientRatioLaw', k, v);
      return M.loraGradientRatioLaw(n, m, r);
    },
    loraGradientScale(opts) {
      return M.loraGradientScale(scaleOptions('loraGradientScale', opts));
    },
    loraGradientScaleSweep(widths, opts) {
      const fn = 'loraGradientScaleSweep';
      const w = checkArray(fn, 'widths', widths);
      for (let i = 0; i < w.length; i++) checkInt(fn, `widths[${i}]`, w[i]);
      const o = scaleOptions(fn, opts);
      return { widths: Float64Array.from(w), ...M.loraGradientScaleSweep(w, o) };
    },
    /** Slopes from per-width samples (widths × seeds, row-major), as the Worker task assembles them. */
    loraGradientScaleSlopes(widths, samples, seeds) {
      const fn = 'loraGradientScaleSlopes';
      checkInt(fn, 'seeds', seeds);
      const w = checkArray(fn, 'widths', widths);
      for (let i = 0; i < w.length; i++) checkInt(fn, `widths[${i}]`, w[i]);  // the binding reads them as int
      return M.loraGradientScaleSlopes(w, checkArray(fn, 'samples', samples), seeds);
    },
  };
}

export function api(M) {
  return {
    ...scaleApi(M),
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
  /**
   * loraGradientScaleSweep one width per step (m = n): yields { done, total, n, point }; returns what
   * loraGradientScaleSweep returns (the same numbers).
   */
  async *loraGradientScaleSweep(pw, widths, opts) {
    const o = scaleOptions('loraGradientScaleSweep', opts);
    const w = Array.from(checkArray('loraGradientScaleSweep', 'widths', widths));
    pw.loraGradientScaleSlopes(w, new Float64Array(w.length * o.seeds).fill(1), o.seeds);  // bad widths fail first
    const points = [], samples = [];
    for (let i = 0; i < w.length; i++) {
      const point = pw.loraGradientScale({ ...o, n: w[i], m: 0 });
      points.push(point);
      samples.push(...point.samples);
      yield { done: i + 1, total: w.length, n: w[i], point };
    }
    return { widths: Float64Array.from(w), points, ...pw.loraGradientScaleSlopes(w, samples, o.seeds) };
  },
};

/** The (width, λ) grid of a sweep after defaults, for the Worker pool (pool.js), which runs its cells in parallel. */
export function sweepGrid(opts) {
  const o = sweepOptions('loraSweep', opts);
  return { widths: Array.from(o.widths), ratios: Array.from(o.ratios) };
}
