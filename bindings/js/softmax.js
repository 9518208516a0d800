// Softmax family facade (post 8): option handling and type checks; every number comes from wasm.
import { checkArray, checkEnum, checkInt, checkNumber, checkOptions, colsOption, describe } from './common.js';

const JACOBIAN_MAPS = ['softmax', 'taylor', 'sparse', 'sparsemax', 'entmax'];
const LOSS_MAPS = ['softmax', 'am-softmax', 'taylor', 'sparse', 'sparsemax', 'entmax'];
const LOSS_KINDS = ['map', 'neg-p', 'log-eps', 'surrogate', 'surrogate-post'];
const REPORT_MAPS = ['softmax', 'am-softmax', 'taylor', 'sparse', 'perturb-gumbel', 'perturb-normal', 'sparsemax', 'entmax'];
const MONOTONE = ['no', 'weak', 'strict'];
/** The keys of MapOptions (softmax.d.ts): jacobian and loss accept them all, each map reads its own. */
const MAP_KEYS = ['temperature', 'order', 'k', 'p', 'alpha', 'margin', 'scale', 'cols'];

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
    // read by am-softmax only (amScale); checked here too, so that no given option goes unchecked
    scale: o.scale === undefined ? 30 : (checkNumber(fn, 'scale', o.scale), 30),
  };
}

/**
 * `opts.out`: undefined (a fresh array) or an array of x's element type (Float32Array for a Float32Array x,
 * Float64Array otherwise) as long as x, to write the result into.
 */
function outOption(fn, o, x) {
  if (o.out === undefined) return undefined;
  const T = x instanceof Float32Array ? Float32Array : Float64Array;
  if (!(o.out instanceof T)) throw new TypeError(`${fn}: out must be a ${T.name} (x is ${describe(x)}), got ${describe(o.out)}`);
  if (o.out.length !== x.length) throw new RangeError(`${fn}: out must have the length of x (${x.length}), got ${o.out.length}`);
  return o.out;
}

/** The largest x.length the buffer path takes: x and the result (2 × 8 bytes each) within 2 GiB of wasm memory. */
const MAX_LENGTH = 2 ** 26;
/** Scratch buffers above this size are released after the call instead of kept for the next one. */
const KEEP_BYTES = 1 << 25;

/**
 * The buffer path of DESIGN.md's performance contract: one scratch block in wasm memory per module, grown as
 * needed and reused, holding x then the result (or, with `inPlace`, the result over x). x is copied in with one
 * HEAPF64.set/HEAPF32.set and the result out with one set into `out` (or one slice: a fresh array, not
 * zero-filled first): no per-element conversion. Every wasm call (malloc, the map) may grow memory and detach
 * the old views, so M.HEAPF64/M.HEAPF32 is re-read after each.
 */
function buffers(M) {
  let ptr = 0, cap = 0;
  return function run(fn, x, out, call, inPlace = false) {
    const n = x.length, f32 = x instanceof Float32Array, bytes = f32 ? 4 : 8;
    if (n > MAX_LENGTH) throw new RangeError(`${fn}: x must have at most ${MAX_LENGTH} entries, got ${n}`);
    const need = 2 * n * bytes;
    if (need > cap) {
      if (ptr) M._free(ptr);
      ptr = 0; cap = 0;
      const p = M._malloc(need);
      if (!p) throw new RangeError(`${fn}: out of memory (x has ${n} entries)`);
      ptr = p; cap = need;
    }
    const xp = ptr, op = inPlace ? ptr : ptr + n * bytes, shift = f32 ? 2 : 3;
    (f32 ? M.HEAPF32 : M.HEAPF64).set(x, xp >> shift);
    try {
      const r = call(f32, xp, op, n);
      if (r !== undefined) return r;
      const heap = f32 ? M.HEAPF32 : M.HEAPF64; // re-read: the call may have grown memory
      const a = op >> shift;
      if (out === undefined) return heap.slice(a, a + n); // a fresh array with its own buffer, in one copy
      out.set(heap.subarray(a, a + n));
      return out;
    } finally {
      if (cap > KEEP_BYTES) { M._free(ptr); ptr = 0; cap = 0; }
    }
  };
}

function noCols(fn, o) {
  if (o.cols !== undefined) throw new RangeError(`${fn}: cols is not supported here (one vector at a time), got ${o.cols}`);
}

const ROW = ['cols', 'out'];
// The allowed option keys of each map, built once (not per call: the hot paths run at 1e3 entries).
const KEYS = {
  softmax: ['temperature', ...ROW],
  taylorSoftmax: ['order', ...ROW],
  sparseSoftmax: ['k', 'p', ...ROW],
  perturbMax: ['noise', 'grid', ...ROW],
  entmax: ['alpha', ...ROW],
};

export function api(M) {
  const run = buffers(M);
  return {
    logsumexp(x) {
      checkArray('logsumexp', 'x', x);
      return run('logsumexp', x, undefined, (f32, xp, op, n) => (f32 ? M.logsumexpF32(xp, n) : M.logsumexpF64(xp, n)));
    },
    softmax(x, opts) {
      const fn = 'softmax', o = checkOptions(fn, opts, KEYS.softmax);
      checkArray(fn, 'x', x);
      const t = num(fn, o, 'temperature', 1), cols = colsOption(fn, o);
      // in place (the core's softmax_rows allows out == x): half the wasm memory touched, which matters once
      // x no longer fits in cache (1e6 entries)
      return run(fn, x, outOption(fn, o, x), (f32, xp, op, n) => { (f32 ? M.softmaxF32 : M.softmaxF64)(xp, op, n, t, cols); }, true);
    },
    taylorSoftmax(x, opts) {
      const fn = 'taylorSoftmax', o = checkOptions(fn, opts, KEYS.taylorSoftmax);
      checkArray(fn, 'x', x);
      const order = int(fn, o, 'order', 2), cols = colsOption(fn, o);
      return run(fn, x, outOption(fn, o, x), (f32, xp, op, n) => { (f32 ? M.taylorSoftmaxF32 : M.taylorSoftmaxF64)(xp, op, n, order, cols); });
    },
    sparseSoftmax(x, opts) {
      const fn = 'sparseSoftmax', o = checkOptions(fn, opts, KEYS.sparseSoftmax);
      checkArray(fn, 'x', x);
      const core = coreOptions(fn, o), cols = colsOption(fn, o);
      return run(fn, x, outOption(fn, o, x), (f32, xp, op, n) => { (f32 ? M.sparseSoftmaxF32 : M.sparseSoftmaxF64)(xp, op, n, core, cols); });
    },
    perturbMax(x, opts) {
      const fn = 'perturbMax', o = checkOptions(fn, opts, KEYS.perturbMax);
      const noise = o.noise === undefined ? 'gumbel' : checkEnum(fn, 'noise', o.noise, ['gumbel', 'normal']);
      checkArray(fn, 'x', x);
      const grid = int(fn, o, 'grid', 4096), cols = colsOption(fn, o);
      return run(fn, x, outOption(fn, o, x), (f32, xp, op, n) => { (f32 ? M.perturbMaxF32 : M.perturbMaxF64)(xp, op, n, noise, grid, cols); });
    },
    sparsemax(x, opts) {
      const fn = 'sparsemax', o = checkOptions(fn, opts, ROW);
      checkArray(fn, 'x', x);
      const cols = colsOption(fn, o);
      return run(fn, x, outOption(fn, o, x), (f32, xp, op, n) => { (f32 ? M.sparsemaxF32 : M.sparsemaxF64)(xp, op, n, cols); });
    },
    entmax(x, opts) {
      const fn = 'entmax', o = checkOptions(fn, opts, KEYS.entmax);
      checkArray(fn, 'x', x);
      const alpha = num(fn, o, 'alpha', 1.5), cols = colsOption(fn, o);
      return run(fn, x, outOption(fn, o, x), (f32, xp, op, n) => { (f32 ? M.entmaxF32 : M.entmaxF64)(xp, op, n, alpha, cols); });
    },
    amSoftmax(x, target, opts) {
      const fn = 'amSoftmax', o = checkOptions(fn, opts, ['margin', 'scale', 'temperature', 'cols']);
      noCols(fn, o);
      return M.amSoftmax(checkArray(fn, 'x', x), checkInt(fn, 'target', target), num(fn, o, 'margin', 0.35), amScale(fn, o));
    },
    jacobian(map, x, opts) {
      const fn = 'jacobian', o = checkOptions(fn, opts, MAP_KEYS);
      checkEnum(fn, 'map', map, JACOBIAN_MAPS);
      noCols(fn, o);
      return M.softmaxJacobian(map, checkArray(fn, 'x', x), coreOptions(fn, o));
    },
    loss(map, x, target, opts) {
      const fn = 'loss', o = checkOptions(fn, opts, [...MAP_KEYS, 'kind', 'epsilon']);
      checkEnum(fn, 'map', map, LOSS_MAPS);
      noCols(fn, o);
      const core = coreOptions(fn, o);
      if (map === 'am-softmax') core.scale = amScale(fn, o);
      const kind = o.kind === undefined ? 'map' : checkEnum(fn, 'kind', o.kind, LOSS_KINDS);
      return M.softmaxLoss(map, checkArray(fn, 'x', x), checkInt(fn, 'target', target), core, kind, num(fn, o, 'epsilon', 1e-3));
    },
    softmaxReport(map, x, opts) {
      const fn = 'softmaxReport', o = checkOptions(fn, opts, [...MAP_KEYS, 'target', 'grid']);
      checkEnum(fn, 'map', map, REPORT_MAPS);
      noCols(fn, o);
      const core = coreOptions(fn, o);
      if (map === 'am-softmax') core.scale = amScale(fn, o);
      const r = M.softmaxReport(map, checkArray(fn, 'x', x), core, int(fn, o, 'target', 0), int(fn, o, 'grid', 4096));
      r.monotone = MONOTONE[r.monotone];
      if (Number.isNaN(r.halfJacobianL1)) r.halfJacobianL1 = null;
      if (Number.isNaN(r.threshold)) r.threshold = null;
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
    const fn = 'perturbMaxRows', o = checkOptions(fn, opts, ['noise', 'grid', 'cols']);
    checkArray(fn, 'x', x);
    const cols = colsOption(fn, o);
    if (cols === 0) throw new RangeError(`${fn}: cols is required (the row length), got undefined`);
    if (x.length === 0 || x.length % cols !== 0) throw new RangeError(`${fn}: cols must divide the length ${x.length}, got ${cols}`);
    const rows = x.length / cols, chunk = Math.max(1, Math.ceil(rows / 50));
    const data = x instanceof Float64Array || x instanceof Float32Array ? x : Float64Array.from(x);
    const out = new (x instanceof Float32Array ? Float32Array : Float64Array)(x.length); // dtype follows x
    for (let r = 0; r < rows; r += chunk) {
      const end = Math.min(rows, r + chunk);
      pw.perturbMax(data.subarray(r * cols, end * cols), { ...o, cols, out: out.subarray(r * cols, end * cols) });
      yield { done: end, total: rows };
    }
    return out;
  },
};
