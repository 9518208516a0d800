// The C++-raised error kinds that tests/js/errors.test.mjs and scripts/stress-errors.mjs repeat: for
// each, a failing call whose error comes from C++ (guarded(), bindings/common.hpp) and a good call whose
// result must stay bit-identical. `M` is the wrapped module (errors.js debug.lastModule()), for the kinds
// the facades pre-empt in JS.

const OPTS = { temperature: 1, order: 2, hasK: false, k: 0, hasP: false, p: 0, alpha: 1.5, margin: 0.35, scale: 30 };
const DICT = '中 100\n中国 500\n国人 20\n人 800\n北京 400\n';
const BAD_DICT = '中国 12\n北京 x\n';
// A vocab.txt with the specials BertTokenizer needs, and one without [UNK].
const VOCAB = '[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n##s\nworld\n';
const BAD_VOCAB = '[PAD]\n[CLS]\n[SEP]\n[MASK]\nhello\n';

export function errorCases(pw, M) {
  return [
    {
      name: 'RangeError from core validation (array argument)',
      kind: RangeError,
      bad: () => pw.softmax([1, NaN]),
      good: () => pw.softmax([1, 2, 3, 0.5]),
    },
    {
      name: 'RangeError through a string and a struct argument: jacobian(\'entmax\', [1, NaN])',
      kind: RangeError,
      bad: () => pw.jacobian('entmax', [1, NaN]),
      good: () => pw.jacobian('entmax', [0.1, 0.5, -0.2]),
    },
    {
      name: 'TypeError from probwasm::type_error (string + struct arguments)',
      kind: TypeError,
      bad: () => M.softmaxJacobian('bogus', [1, 2], OPTS),
      good: () => M.softmaxJacobian('softmax', [1, 2], OPTS),
    },
    {
      name: 'RangeError from a numbers-only function: sectorMonteCarlo(4, -1)',
      kind: RangeError,
      bad: () => pw.sectorMonteCarlo(4, -1),
      good: () => pw.sectorProbability(5, 2),
    },
    {
      name: 'RangeError from a class constructor: a bad jieba dictionary',
      kind: RangeError,
      bad: () => new pw.JiebaSegmenter(BAD_DICT),
      good: () => {
        const s = new pw.JiebaSegmenter(DICT);
        try { return s.boundaries('北京中国人'); } finally { s.dispose(); }
      },
    },
    {
      name: 'RangeError from a class constructor with a string argument: a vocab.txt without [UNK]',
      kind: RangeError,
      bad: () => new pw.BertTokenizer(BAD_VOCAB),
      good: () => {
        const t = new pw.BertTokenizer(VOCAB);
        try { return t.encode('Hello worlds').ids; } finally { t.dispose(); }
      },
    },
    {
      name: 'RangeError from a constructor that owns a malloc\'ed block: a corrupt compiled jieba dictionary',
      kind: RangeError,
      setup: () => {
        const s = new pw.JiebaSegmenter(DICT);
        try {
          const good = s.toBinary(), bad = good.slice();
          bad[good.length - 5] ^= 0xff;  // inside the words table: only full validation sees it
          return { good, bad, truncated: good.slice(0, good.length - 1) };
        } finally { s.dispose(); }
      },
      bad: (b) => pw.JiebaSegmenter.fromBinary(b.bad),
      good: (b) => {
        const s = pw.JiebaSegmenter.fromBinary(b.good);
        try { return s.boundaries('北京中国人'); } finally { s.dispose(); }
      },
    },
    {
      name: 'RangeError from a string + struct + number call: loss with kind \'log-eps\' and epsilon 0',
      kind: RangeError,
      bad: () => pw.loss('softmax', [1, 2, 0.5], 0, { kind: 'log-eps', epsilon: 0 }),
      good: () => pw.loss('entmax', [1, 2, 0.5], 2, { kind: 'surrogate-post' }).grad,
    },
    {
      name: 'RangeError from a class method: setTimesteps beyond numTrainTimesteps',
      kind: RangeError,
      setup: () => new pw.DDIMScheduler({ numTrainTimesteps: 10 }),
      bad: (s) => s.setTimesteps(11),
      good: (s) => { s.setTimesteps(5); return s.timesteps; },
      teardown: (s) => s.dispose(),
    },
    {
      name: 'RangeError from a constructor with array arguments: gaussianMixture with a negative std',
      kind: RangeError,
      bad: () => pw.gaussianMixture({ weights: [1], means: [[0, 0]], stds: [[-1, 1]] }),
      good: () => {
        const g = pw.gaussianMixture({ weights: [1], means: [[0, 0]], stds: [[1, 1]] });
        try { return g.epsilon([0.5, -0.25], 0.5); } finally { g.dispose(); }
      },
    },
  ];
}

/** The bits of a result, for "bit-identical": typed arrays by their bytes, numbers by their float64. */
export function bits(v) {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (typeof v === 'number') return `f64:${Buffer.from(new Float64Array([v]).buffer).toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map(bits).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}=${bits(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
