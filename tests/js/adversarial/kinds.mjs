// Argument kinds of the adversarial table generator (tests/js/adversarial.test.mjs): each kind knows a good
// value and the bad values of its classes. A table (tests/js/adversarial/<topic>.mjs) describes every public
// function by its arguments' kinds; the generator calls it with one argument replaced by each bad value.
//
// A kind is { good, cases(): [{ cls, value }], valid: Set<cls> }. `valid` lists the classes that the function
// documents as accepted (e.g. a logit may be −0 or negative): such a call must return a result that passes the
// table's check; every other class must throw a named RangeError/TypeError.

const set = (v) => new Set(v ?? []);

/** A detached Float64Array (its buffer transferred away): an engine TypeError unless the facade checks it. */
export function detached(n = 3) {
  const a = new Float64Array(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

// Wrong JS types for a number-like parameter.
const wrongTypes = () => [
  { cls: 'string', value: '5' },
  { cls: 'null', value: null },
  { cls: 'boolean', value: true },
  { cls: 'bigint', value: 5n },
  { cls: 'object', value: {} },
  { cls: 'array', value: [5] },
  { cls: 'symbol', value: Symbol('x') },
];

/**
 * A real-valued parameter. Classes: NaN, Infinity, -Infinity, -0, huge (1e308), tiny (5e-324), negative (−1),
 * fractional (0.5), the wrong types and, unless `optional`, undefined.
 */
export function number(good, { valid, optional = false } = {}) {
  return {
    good,
    valid: set(valid),
    cases: () => [
      { cls: 'NaN', value: NaN },
      { cls: 'Infinity', value: Infinity },
      { cls: '-Infinity', value: -Infinity },
      { cls: '-0', value: -0 },
      { cls: 'huge', value: 1e308 },
      { cls: 'tiny', value: 5e-324 },
      { cls: 'negative', value: -1 },
      { cls: 'fractional', value: 0.5 },
      ...wrongTypes(),
      ...(optional ? [] : [{ cls: 'undefined', value: undefined }]),
    ],
  };
}

/**
 * An integer parameter (a count, a size, a seed): the number classes plus 'fractional' 5.5,
 * '2^31' 2147483648, '2^32+3' (which a 32-bit conversion would read as 3), '2^53' and 'max-safe' 2^53 − 1.
 */
export function int(good, { valid, optional = false } = {}) {
  return {
    good,
    valid: set(valid),
    cases: () => [
      ...number(good, { optional }).cases().filter((c) => c.cls !== 'fractional'),
      { cls: 'fractional', value: 5.5 },
      { cls: '2^31', value: 2 ** 31 },
      { cls: '2^32+3', value: 2 ** 32 + 3 },
      { cls: '2^53', value: 2 ** 53 },
      { cls: 'max-safe', value: Number.MAX_SAFE_INTEGER },
    ],
  };
}

/**
 * A vector of numbers (number[] / Float64Array / Float32Array). The good value is copied each time. Classes:
 * empty, an element NaN / ±Infinity / −0 / ±huge / negative, a string element, a hole, wrong typed arrays
 * (Int32Array, Uint8Array, BigInt64Array), a detached Float64Array, a Float32Array copy ('float32', valid by
 * default: the API takes Float32Array), and non-arrays.
 */
export function array(good, { valid = ['float32'], optional = false } = {}) {
  const g = () => Array.from(good);
  const at0 = (v) => { const a = g(); a[0] = v; return a; };
  return {
    good,
    valid: set(valid),
    cases: () => [
      { cls: 'empty', value: [] },
      { cls: 'NaN', value: at0(NaN) },
      { cls: 'Infinity', value: at0(Infinity) },
      { cls: '-Infinity', value: at0(-Infinity) },
      { cls: '-0', value: at0(-0) },
      { cls: 'huge', value: at0(1e308) },
      { cls: '-huge', value: at0(-1e308) },
      { cls: 'negative', value: at0(-1) },
      { cls: 'fractional', value: at0(0.5) },
      { cls: 'string-element', value: at0('1') },
      { cls: 'hole', value: (() => { const a = g(); delete a[0]; return a; })() },
      { cls: 'float32', value: Float32Array.from(good) },
      { cls: 'Int32Array', value: Int32Array.from(good, Math.trunc) },
      { cls: 'Uint8Array', value: Uint8Array.from(good, Math.trunc) },
      { cls: 'BigInt64Array', value: new BigInt64Array(good.length) },
      { cls: 'detached', value: detached(good.length) },
      { cls: 'string', value: '1,2,3' },
      { cls: 'number', value: 3 },
      { cls: 'null', value: null },
      { cls: 'array-like', value: { length: 2, 0: 1, 1: 2 } },
      ...(optional ? [] : [{ cls: 'undefined', value: undefined }]),
    ],
  };
}

/** A seed: an integer in [0, max] (2^53 − 1 by default); −0 reads as 0. */
export function seed(good = 1, { max = Number.MAX_SAFE_INTEGER } = {}) {
  const valid = ['-0', '2^31', ...(max >= 2 ** 32 + 3 ? ['2^32+3', 'max-safe'] : [])];
  return int(good, { valid });
}

/** One of a closed set of strings: '', an unknown name, a wrong case, and non-strings. */
export function enumOf(good, { valid, optional = false } = {}) {
  return {
    good,
    valid: set(valid),
    cases: () => [
      { cls: 'empty', value: '' },
      { cls: 'unknown', value: 'bogus' },
      { cls: 'case', value: String(good).toUpperCase() === good ? String(good).toLowerCase() : String(good).toUpperCase() },
      { cls: 'String-object', value: new String(good) }, // eslint-disable-line no-new-wrappers
      { cls: 'number', value: 1 },
      { cls: 'null', value: null },
      { cls: 'object', value: {} },
      ...(optional ? [] : [{ cls: 'undefined', value: undefined }]),
    ],
  };
}

/** Free text (any string is valid, including '' and lone surrogates): only non-strings are bad. */
export function text(good, { optional = false } = {}) {
  return {
    good,
    valid: set(['empty', 'lone-surrogate', 'astral']),
    cases: () => [
      { cls: 'empty', value: '' },
      { cls: 'lone-surrogate', value: 'a\uD800b' },
      { cls: 'astral', value: '𠀀字' },
      { cls: 'number', value: 5 },
      { cls: 'null', value: null },
      { cls: 'array', value: ['a'] },
      { cls: 'Uint16Array', value: new Uint16Array([0x4e2d]) },
      { cls: 'String-object', value: new String(good) }, // eslint-disable-line no-new-wrappers
      ...(optional ? [] : [{ cls: 'undefined', value: undefined }]),
    ],
  };
}

/** A boolean option: true/false only (1, 'true', null are TypeErrors). */
export function bool(good, { optional = true } = {}) {
  return {
    good,
    valid: set([]),
    cases: () => [
      { cls: 'number', value: 1 },
      { cls: 'string', value: 'true' },
      { cls: 'null', value: null },
      { cls: 'Boolean-object', value: new Boolean(true) }, // eslint-disable-line no-new-wrappers
      ...(optional ? [] : [{ cls: 'undefined', value: undefined }]),
    ],
  };
}

/**
 * An options object. `keys` maps each allowed key to its kind (whose classes are tried one key at a time, the
 * other keys keeping `good`). Whole-object classes: unknown key, a misspelt key (`typo`, default: the first key
 * capitalised), a `__proto__` own key (as JSON.parse makes it), a non-object, an array. undefined/null mean
 * "all defaults" and are valid unless `required`.
 */
export function options(good, keys, { required = false, typo } = {}) {
  const first = Object.keys(keys)[0];
  const misspelt = typo ?? (first ? first[0].toUpperCase() + first.slice(1) : 'Bogus');
  return {
    good,
    keys,
    valid: set(required ? [] : ['undefined', 'null']),
    cases: () => [
      { cls: 'unknown-key', value: { ...good, bogus: 1 } },
      { cls: 'typo-key', value: { ...good, [misspelt]: 1 } },
      { cls: '__proto__-key', value: Object.assign(JSON.parse('{"__proto__": {"polluted": 1}}'), good) },
      { cls: 'number', value: 5 },
      { cls: 'string', value: 'x' },
      { cls: 'array', value: [] },
      { cls: 'function', value: () => 1 },
      { cls: 'undefined', value: undefined },
      { cls: 'null', value: null },
    ],
  };
}

/** An opaque argument the generator does not vary (e.g. a dictionary): only wrong types are tried. */
export function opaque(good, { badValues = [] } = {}) {
  return { good, valid: set([]), cases: () => [...wrongTypes(), { cls: 'undefined', value: undefined }, ...badValues] };
}
