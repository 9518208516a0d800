// Softmax family facade (post 8): option handling and type checks; every number comes from wasm.
import { checkArray, checkEnum, checkInt, checkNumber, checkOptions, colsOption, describe } from './common.js';

const JACOBIAN_MAPS = ['softmax', 'taylor', 'sparse', 'sparsemax', 'entmax'];
const LOSS_MAPS = ['softmax', 'am-softmax', 'sparse', 'sparsemax', 'entmax'];
const REPORT_MAPS = ['softmax', 'am-softmax', 'taylor', 'sparse', 'perturb-gumbel', 'perturb-normal', 'sparsemax', 'entmax'];
const MONOTONE = ['no', 'weak', 'strict'];

/** A number option or its default (NaN is passed on: the core names it in a RangeError). */
function num(fn, o, name, dflt) {
  return o[name] === undefined ? dflt : checkNumber(fn, name, o[name]);
}

/** An integer option or its default; range checks that depend on the data are the core's. */
function int(fn, o, name, dflt) {
  return o[name] === undefined ? dflt : checkInt(fn, name, o[name]);
}

/** AM-softmax takes a scale s or a temperature τ = 1/s (post 8 §8.2), not both. */
function amScale(fn, o) {
  if (o.scale !== undefined && o.temperature !== undefined) {
    throw new RangeError(`${fn}: give scale or temperature (= 1/scale), not both`);
  }
  if (o.temperature !== undefined) {
    const t = checkNumber(fn, 'temperature', o.temperature);
    if (!(t > 0) || !Number.isFinite(t)) throw new RangeError(`${fn}: temperature must be a positive finite number, got ${t}`);
    return 1 / t;
  }
  return num(fn, o, 'scale', 30);
}

/** Every option the core's maps read, defaults filled in (the binding's SoftmaxOpts). */
function coreOptions(fn, o) {
  const hasK = o.k !== undefined, hasP = o.p !== undefined;
  return {
    temperature: num(fn, o, 'temperature', 1),
    order: int(fn, o, 'order', 2),
    hasK, k: hasK ? checkInt(fn, 'k', o.k) : 0,
    hasP, p: hasP ? checkNumber(fn, 'p', o.p) : 0,
    alpha: num(fn, o, 'alpha', 1.5),
    margin: num(fn, o, 'margin', 0.35),
    scale: 30,
  };
}

/** `opts.out`: undefined (a fresh array) or a Float64Array as long as x to write the result into. */
function outOption(fn, o, x) {
  if (o.out === undefined) return undefined;
  if (!(o.out instanceof Float64Array)) throw new TypeError(`${fn}: out must be a Float64Array, got ${describe(o.out)}`);
  if (o.out.length !== x.length) throw new RangeError(`${fn}: out must have the length of x (${x.length}), got ${o.out.length}`);
  return o.out;
}

function noCols(fn, o) {
  if (o.cols !== undefined) throw new RangeError(`${fn}: cols is not supported here (one vector at a time), got ${o.cols}`);
}

export function api(M) {
  return {
    logsumexp(x) {
      return M.logsumexp(checkArray('logsumexp', 'x', x));
    },
    softmax(x, opts) {
      const o = checkOptions('softmax', opts);
      checkArray('softmax', 'x', x);
      return M.softmax(x, num('softmax', o, 'temperature', 1), colsOption('softmax', o), outOption('softmax', o, x));
    },
    taylorSoftmax(x, opts) {
      const fn = 'taylorSoftmax', o = checkOptions(fn, opts);
      checkArray(fn, 'x', x);
      return M.taylorSoftmax(x, int(fn, o, 'order', 2), colsOption(fn, o), outOption(fn, o, x));
    },
    sparseSoftmax(x, opts) {
      const fn = 'sparseSoftmax', o = checkOptions(fn, opts);
      checkArray(fn, 'x', x);
      return M.sparseSoftmax(x, coreOptions(fn, o), colsOption(fn, o), outOption(fn, o, x));
    },
    perturbMax(x, opts) {
      const fn = 'perturbMax', o = checkOptions(fn, opts);
      const noise = o.noise === undefined ? 'gumbel' : checkEnum(fn, 'noise', o.noise, ['gumbel', 'normal']);
      checkArray(fn, 'x', x);
      return M.perturbMax(x, noise, int(fn, o, 'grid', 4096), colsOption(fn, o), outOption(fn, o, x));
    },
    sparsemax(x, opts) {
      const o = checkOptions('sparsemax', opts);
      checkArray('sparsemax', 'x', x);
      return M.sparsemax(x, colsOption('sparsemax', o), outOption('sparsemax', o, x));
    },
    entmax(x, opts) {
      const o = checkOptions('entmax', opts);
      checkArray('entmax', 'x', x);
      return M.entmax(x, num('entmax', o, 'alpha', 1.5), colsOption('entmax', o), outOption('entmax', o, x));
    },
    amSoftmax(x, target, opts) {
      const fn = 'amSoftmax', o = checkOptions(fn, opts);
      noCols(fn, o);
      return M.amSoftmax(checkArray(fn, 'x', x), checkInt(fn, 'target', target), num(fn, o, 'margin', 0.35), amScale(fn, o));
    },
    jacobian(map, x, opts) {
      const fn = 'jacobian', o = checkOptions(fn, opts);
      checkEnum(fn, 'map', map, JACOBIAN_MAPS);
      noCols(fn, o);
      return M.softmaxJacobian(map, checkArray(fn, 'x', x), coreOptions(fn, o));
    },
    loss(map, x, target, opts) {
      const fn = 'loss', o = checkOptions(fn, opts);
      checkEnum(fn, 'map', map, LOSS_MAPS);
      noCols(fn, o);
      const core = coreOptions(fn, o);
      if (map === 'am-softmax') core.scale = amScale(fn, o);
      return M.softmaxLoss(map, checkArray(fn, 'x', x), checkInt(fn, 'target', target), core);
    },
    softmaxReport(map, x, opts) {
      const fn = 'softmaxReport', o = checkOptions(fn, opts);
      checkEnum(fn, 'map', map, REPORT_MAPS);
      noCols(fn, o);
      const core = coreOptions(fn, o);
      if (map === 'am-softmax') core.scale = amScale(fn, o);
      const r = M.softmaxReport(map, checkArray(fn, 'x', x), core, int(fn, o, 'target', 0), int(fn, o, 'grid', 4096));
      r.monotone = MONOTONE[r.monotone];
      if (Number.isNaN(r.halfJacobianL1)) r.halfJacobianL1 = null;
      return r;
    },
  };
}

export const tasks = {
  /**
   * perturbMax over the rows of a row-major matrix (opts.cols required), in chunks of rows so that a Worker can
   * report progress and cancel: normal noise costs O(grid·cols²) per row. Yields { done, total } (rows);
   * returns the same Float64Array as pw.perturbMax(x, opts).
   */
  async *perturbMaxRows(pw, x, opts) {
    const fn = 'perturbMaxRows', o = checkOptions(fn, opts);
    checkArray(fn, 'x', x);
    const cols = colsOption(fn, o);
    if (cols === 0) throw new RangeError(`${fn}: cols is required (the row length), got undefined`);
    if (x.length === 0 || x.length % cols !== 0) throw new RangeError(`${fn}: cols must divide the length ${x.length}, got ${cols}`);
    const rows = x.length / cols, chunk = Math.max(1, Math.ceil(rows / 50));
    const data = x instanceof Float64Array || x instanceof Float32Array ? x : Float64Array.from(x);
    const out = new Float64Array(x.length);
    for (let r = 0; r < rows; r += chunk) {
      const end = Math.min(rows, r + chunk);
      pw.perturbMax(data.subarray(r * cols, end * cols), { ...o, cols, out: out.subarray(r * cols, end * cols) });
      yield { done: end, total: rows };
    }
    return out;
  },
};
