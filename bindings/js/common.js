// Input checks that need JS (types, option objects), shared by every topic's facade. No maths here.

/** `using`'s disposer key (DESIGN.md API v2); without Symbol.dispose, the registered symbol (dispose() always works). */
export const DISPOSE = Symbol.dispose ?? Symbol.for('Symbol.dispose');

/** Throws a TypeError naming the function and parameter unless x is number[] / Float64Array / Float32Array. */
export function checkArray(fn, name, x) {
  if (x instanceof Float64Array || x instanceof Float32Array) return checkAttached(fn, name, x);
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (typeof x[i] !== 'number') {
        throw new TypeError(`${fn}: ${name}[${i}] must be a number, got ${describe(x[i])}`);
      }
    }
    return x;
  }
  throw new TypeError(`${fn}: ${name} must be a number[], Float64Array or Float32Array, got ${describe(x)}`);
}

/**
 * Throws a TypeError if the typed array's buffer was detached (transferred to a Worker, or a wasm view after
 * memory growth): such an array reads as empty, and copying from it is an engine TypeError naming nobody.
 */
export function checkAttached(fn, name, x) {
  if (x.length === 0 && x.buffer.byteLength === 0) {
    try {
      new Uint8Array(x.buffer); // eslint-disable-line no-new
    } catch {
      throw new TypeError(`${fn}: ${name} is a ${x.constructor.name} over a detached ArrayBuffer`);
    }
  }
  return x;
}

/** Throws a TypeError unless v is a number (NaN included: the core names the bad value). */
export function checkNumber(fn, name, v) {
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${describe(v)}`);
  return v;
}

/** Throws a RangeError unless v is an integer in [lo, hi]. */
export function checkInt(fn, name, v, lo = -2147483648, hi = 2147483647) {
  checkNumber(fn, name, v);
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${fn}: ${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  }
  return v;
}

/** Throws a TypeError unless v is one of the allowed strings. */
export function checkEnum(fn, name, v, allowed) {
  if (!allowed.includes(v)) {
    throw new TypeError(`${fn}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}`);
  }
  return v;
}

/**
 * Options object or undefined → plain object; anything else is a TypeError. With `allowed` (the option
 * names the function reads), the object is closed: an own key outside `allowed` is a TypeError that names it
 * and lists the allowed ones, so a typo (`temprature`) never passes silently. `what` names the object in
 * messages ('options', 'config', …).
 */
export function checkOptions(fn, opts, allowed, what = 'options') {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw new TypeError(`${fn}: ${what} must be an object, got ${describe(opts)}`);
  }
  if (allowed) {
    for (const key of Reflect.ownKeys(opts)) {
      if (typeof key !== 'string' || !allowed.includes(key)) {
        const list = allowed.length ? allowed.join(', ') : 'none';
        throw new TypeError(`${fn}: unknown ${what} key ${describe(String(key))}; allowed: ${list}`);
      }
    }
  }
  return opts;
}

/** Throws a TypeError unless v is a boolean (1, 'true' and the like are not). */
export function checkBool(fn, name, v) {
  if (typeof v !== 'boolean') throw new TypeError(`${fn}: ${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/** `opts.cols` → 0 (whole vector) or a positive integer. */
export function colsOption(fn, opts) {
  return opts.cols === undefined ? 0 : checkInt(fn, 'cols', opts.cols, 1);
}

export function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return String(v);
}
