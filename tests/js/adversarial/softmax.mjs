// Adversarial table of the softmax topic (post 8): see tests/js/adversarial.test.mjs for the format.
// softmax.d.ts: NaN, +Infinity and an empty x throw RangeError for every map; -Infinity is a masked logit
// (Taylor softmax rejects it); huge finite logits are valid. `out` must be x's element type and length.
import { array, enumOf, int, number, opaque, options } from './kinds.mjs';

export const topic = 'softmax';

const X = [1, 2, 0.5];
const LOGIT = ['float32', '-0', 'negative', 'fractional', '-huge', 'huge'];
const logits = (valid = [...LOGIT, '-Infinity']) => array(X, { valid });
const sumsToOne = (r, args, cls) => {
  if (r.length !== 3) return `length ${r.length}`;
  let s = 0;
  for (const p of r) {
    if (!(p >= 0 && p <= 1)) return `entry ${p}`;
    s += p;
  }
  // sums are accumulated in float64; a float32 row is within 2·2^-23·log2 n of 1 (softmax.d.ts)
  return Math.abs(s - 1) <= (r instanceof Float32Array ? 4 * 2 ** -23 : 8 * Number.EPSILON) ? true : `sum ${s}`;
};

/** The `out` option: a buffer of x's type and length is valid; another type, length or a detached one is not. */
function outBuffer(T) {
  const other = T === Float32Array ? Float64Array : Float32Array;
  const det = new T(3);
  structuredClone(det.buffer, { transfer: [det.buffer] });
  return {
    good: undefined,
    valid: new Set(['same-type']),
    cases: () => [
      { cls: 'same-type', value: new T(3) },
      { cls: 'other-type', value: new other(3) },
      { cls: 'short', value: new T(2) },
      { cls: 'long', value: new T(4) },
      { cls: 'detached', value: det },
      { cls: 'number[]', value: [0, 0, 0] },
      { cls: 'Int32Array', value: new Int32Array(3) },
      { cls: 'null', value: null },
      { cls: 'number', value: 3 },
    ],
  };
}
const cols = () => int(3, { optional: true });
const row = (extra = {}, T = Float64Array) => ({ ...extra, cols: cols(), out: outBuffer(T) });
/** A Float32Array x held fixed while its options vary; the wrong types (not [5], which is a valid x) are tried. */
const f32 = () => {
  const k = opaque(Float32Array.from(X));
  return { ...k, cases: () => k.cases().filter((c) => c.cls !== 'array') };
};
const positive = (good) => number(good, { valid: ['fractional', 'huge'] });
// MapOptions (jacobian/loss/softmaxReport): each map reads its own keys (softmax.d.ts). A key another map reads
// is still type-checked (and integers must be integers), but its value is not range-checked by this map.
const NUMBER_RANGE = ['NaN', 'Infinity', '-Infinity', '-0', 'huge', 'tiny', 'negative', 'fractional'];
const ignoredNumber = (good) => number(good, { valid: NUMBER_RANGE });
const ignoredInt = (good) => int(good, { valid: ['-0', 'negative'] });
const OWN = {
  softmax: () => ({ temperature: number(1, { valid: ['fractional', 'huge', 'tiny'] }) }),
  'am-softmax': () => ({ margin: number(0.35, { valid: ['-0', 'fractional', 'tiny', 'huge'] }), scale: number(30, { valid: ['fractional', 'huge', 'tiny'] }), temperature: number(0.1, { valid: ['fractional', 'huge', 'tiny'] }) }),
  taylor: () => ({ order: int(2) }),
  sparse: () => ({ k: int(2), p: number(0.9) }), // with k given, any p is "give k or p, not both"
  'perturb-gumbel': () => ({ grid: int(64) }),
  'perturb-normal': () => ({ grid: int(64) }),
  sparsemax: () => ({}),
  entmax: () => ({ alpha: number(1.5, { valid: ['huge'] }) }),
};
const GOOD = { sparse: { k: 2 } };
function mapKeys(map, extra = {}) {
  const all = {
    temperature: ignoredNumber(1), order: ignoredInt(2), k: ignoredInt(2), p: ignoredNumber(0.9), alpha: ignoredNumber(1.5),
    margin: ignoredNumber(0.35), scale: ignoredNumber(30), ...extra,
  };
  return { ...all, ...OWN[map]() };
}
const noInfinity = (map) => (map === 'taylor' ? LOGIT : [...LOGIT, '-Infinity']);  // f_k(−∞) = +∞: Taylor rejects −∞
const reportCheck = (r) => (typeof r.monotone === 'string' && r.p.length === 3 ? true : JSON.stringify(r));

// Every map with its options (the float64 row and the Float32Array row with its out buffer).
const MAPS = [
  // a τ whose 1/τ overflows (5e-324) is the τ → 0 limit (softmax.d.ts)
  { name: 'softmax', keys: { temperature: number(1, { valid: ['fractional', 'huge', 'tiny'] }) } },
  { name: 'taylorSoftmax', keys: { order: int(2) }, valid: LOGIT },
  { name: 'sparseSoftmax', good: { k: 2 }, keys: { k: int(2), p: number(0.9, { valid: ['fractional'] }) } },
  { name: 'perturbMax', good: { grid: 64 }, keys: { noise: enumOf('gumbel'), grid: int(64) } },
  { name: 'sparsemax', keys: {} },
  { name: 'entmax', keys: { alpha: number(1.5, { valid: ['huge'] }) } },
];

export const functions = [
  {
    name: 'logsumexp',
    args: [logits([...LOGIT, '-Infinity', 'Infinity'])],  // +Infinity → +Infinity (softmax.d.ts)
    check: (r, args, cls) => (Number.isFinite(r) || (cls === 'Infinity' && r === Infinity) ? true : `lse ${r}`),
  },
  ...MAPS.flatMap((m) => [
    { name: m.name, args: [logits(m.valid), options({ ...(m.good ?? {}) }, row(m.keys))], check: sumsToOne },
    {
      name: m.name,
      call: (pw, ctx, [x, o]) => pw[m.name](x, o),
      args: [f32(), options({ ...(m.good ?? {}) }, row({}, Float32Array), { typo: 'Out' })],
      check: (r) => (r instanceof Float32Array ? sumsToOne(r) : `${r?.constructor?.name} for a Float32Array x`),
    },
  ]),
  {
    name: 'amSoftmax',
    args: [logits(), int(0, { valid: ['-0'] }), options({}, { margin: OWN['am-softmax']().margin, scale: number(30, { valid: ['fractional', 'huge', 'tiny'] }) })],
    check: sumsToOne,
  },
  {
    name: 'amSoftmax',
    call: (pw, ctx, [t]) => pw.amSoftmax(X, 0, { temperature: t }),
    args: [number(0.1, { valid: ['fractional', 'huge', 'tiny'], optional: true })],
    check: sumsToOne,
  },
  ...['softmax', 'taylor', 'sparse', 'sparsemax', 'entmax'].map((map) => ({
    name: 'jacobian',
    call: (pw, ctx, [x, o]) => pw.jacobian(map, x, o),
    args: [logits(noInfinity(map)), options({ ...GOOD[map] }, mapKeys(map), { typo: 'Temperature' })],
  })),
  ...['softmax', 'am-softmax', 'sparse', 'sparsemax', 'entmax'].map((map) => ({
    name: 'loss',
    call: (pw, ctx, [x, t, o]) => pw.loss(map, x, t, o),
    args: [logits(noInfinity(map)), int(1, { valid: ['-0'] }), options({ ...GOOD[map] }, mapKeys(map), { typo: 'Temperature' })],
  })),
  // the other losses (kind) for every map with a Jacobian; epsilon is read by 'log-eps'
  ...['softmax', 'taylor', 'sparse', 'sparsemax', 'entmax'].map((map) => ({
    name: 'loss',
    call: (pw, ctx, [x, t, kind, epsilon]) => pw.loss(map, x, t, { ...GOOD[map], kind, epsilon }),
    args: [logits(noInfinity(map)), int(1, { valid: ['-0'] }), enumOf('log-eps', { optional: map !== 'taylor' }), number(0.01, { valid: ['fractional', 'huge', 'tiny'], optional: true })],
  })),
  ...Object.keys(OWN).map((map) => ({
    name: 'softmaxReport',
    call: (pw, ctx, [x, o]) => pw.softmaxReport(map, x, o),
    args: [logits(noInfinity(map)), options({ ...GOOD[map], grid: 64 }, mapKeys(map, {
      grid: ignoredInt(64), target: map === 'am-softmax' ? int(0, { valid: ['-0'] }) : ignoredInt(0), ...(OWN[map]().grid ? { grid: int(64) } : {}),
    }), { typo: 'Temperature' })],
    check: reportCheck,
  })),
  { name: 'jacobian', args: [enumOf('softmax'), logits(), options({}, {})] },
  { name: 'loss', args: [enumOf('softmax'), logits(), int(1, { valid: ['-0'] }), options({}, {})] },
  { name: 'softmaxReport', args: [enumOf('softmax'), logits(), options({}, {})], check: reportCheck },
];

export function battery(pw) {
  const f = Float32Array.from(X);
  return [
    pw.logsumexp(X), pw.logsumexp(f), pw.softmax(X, { temperature: 0.5 }), pw.softmax(f), pw.taylorSoftmax(X), pw.sparseSoftmax(f, { k: 2 }),
    pw.perturbMax(X, { grid: 64 }), pw.sparsemax(f), pw.entmax(X), pw.amSoftmax(X, 0), pw.jacobian('entmax', X), pw.loss('sparse', X, 1, { p: 0.9 }),
    pw.softmaxReport('sparsemax', X),
  ];
}
