// Adversarial table of the wobert topic (post 1): see tests/js/adversarial.test.mjs for the format.
import { load } from 'probwasm';
import { array, bool, enumOf, int, number, opaque, options, text } from './kinds.mjs';

export const topic = 'wobert';

const DICT = '中国 100 ns\n人 50 n\n中国人 30 n\n我 80 r\n是 60 v\n';
const bytes = (s) => new TextEncoder().encode(s);
const dictionary = () => opaque(DICT, {
  badValues: [
    { cls: 'empty', value: '' }, { cls: 'bad-line', value: '中国\n' }, { cls: 'bad-utf8', value: new Uint8Array([0xff, 0x20, 0x31]) },
    { cls: 'Int32Array', value: new Int32Array(3) }, { cls: 'detached', value: (() => { const b = bytes(DICT); structuredClone(b.buffer, { transfer: [b.buffer] }); return b; })() },
  ],
});
// DICT compiled (issue 11.5), and broken copies of it
const BIN = await (async () => { const s = new (await load()).JiebaSegmenter(DICT); const b = s.toBinary(); s.dispose(); return b; })();
const patched = (at, v) => { const b = BIN.slice(); b[at] = v; return b; };
const compiled = () => ({
  ...opaque(BIN, {
    badValues: [
      { cls: 'ArrayBuffer', value: BIN.slice().buffer }, { cls: 'empty', value: new Uint8Array(0) },
      { cls: 'header-only', value: BIN.slice(0, 64) }, { cls: 'truncated', value: BIN.slice(0, BIN.length - 8) },
      { cls: 'padded', value: (() => { const b = new Uint8Array(BIN.length + 8); b.set(BIN); return b; })() },
      { cls: 'bad-magic', value: patched(0, 0) }, { cls: 'bad-version', value: patched(4, 9) },
      { cls: 'bad-nodes', value: patched(8, 0xff) }, { cls: 'bad-first', value: patched(68, 0xff) },
      { cls: 'bad-size', value: patched(32, 0) }, { cls: 'text', value: bytes(DICT) },
      { cls: 'Int32Array', value: new Int32Array(16) }, { cls: 'Uint16Array', value: new Uint16Array(BIN.buffer.slice(0)) },
      { cls: 'detached', value: (() => { const b = BIN.slice(); structuredClone(b.buffer, { transfer: [b.buffer] }); return b; })() },
    ],
  }),
  valid: new Set(['ArrayBuffer']),
});
const costKeys = () => ({
  d: number(768, { valid: ['fractional', 'tiny', 'huge'] }), a: number(24, { valid: ['-0', 'fractional', 'tiny', 'huge'] }),
  b: number(4, { valid: ['-0', 'fractional', 'tiny', 'huge'] }),
});
const positive = (v) => (typeof v === 'number' && v >= 0 && !Number.isNaN(v) ? true : `got ${v}`);

// part B: a BERT vocab.txt written for the table (BERT's layout), and WoBERT's vocabulary built on it
const VOCAB = '[PAD]\n[unused0]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nun\n##aff\n##able\nhello\n中\n国\n人\n##中\n!\n';
const vocab = () => opaque(VOCAB, {
  badValues: [
    { cls: 'empty', value: '' }, { cls: 'duplicate', value: `${VOCAB}un\n` }, { cls: 'no-UNK', value: VOCAB.replace('[UNK]\n', '') },
    { cls: 'no-PAD', value: VOCAB.replace('[PAD]\n', '') }, { cls: 'empty-line', value: `${VOCAB}\nx\n` },
    { cls: 'bad-utf8', value: new Uint8Array([0x5b, 0xff, 0x5d]) }, { cls: 'Int32Array', value: new Int32Array(3) },
    { cls: 'detached', value: (() => { const b = bytes(VOCAB); structuredClone(b.buffer, { transfer: [b.buffer] }); return b; })() },
  ],
});
const maybeNull = (kind) => ({ ...kind, valid: new Set([...kind.valid, 'null']) });
const bertOptions = () => options({}, {
  lowercase: bool(true), stripAccents: maybeNull(bool(true)), tokenizeChineseChars: bool(true),
  maxInputCharsPerWord: int(100),
});
const encodeOptions = () => options({}, {
  pair: maybeNull(text('中国人', { optional: true })), addSpecialTokens: bool(true),
  truncation: enumOf('longest_first', { optional: true }), padding: enumOf('max_length', { optional: true }), maxLength: int(16),
});
const E = () => Array.from({ length: 15 * 2 }, (_, i) => (i % 3) - 0.5 * i);

export function setup(pw) {
  return {
    seg: new pw.JiebaSegmenter(DICT), tok: new pw.WobertTokenizer(DICT, { words: 3 }),
    bert: new pw.BertTokenizer(VOCAB), wv: new pw.WobertVocabulary(VOCAB, DICT, { words: 3 }),
  };
}
export function teardown(ctx) {
  ctx.seg.dispose();
  ctx.tok.dispose();
  ctx.bert.dispose();
  ctx.wv.dispose();
}

export const functions = [
  { name: 'JiebaSegmenter', call: (pw, ctx, [d]) => { new pw.JiebaSegmenter(d).dispose(); return true; }, args: [dictionary()] },
  { name: 'JiebaSegmenter.cut', call: (pw, ctx, [t]) => ctx.seg.cut(t), args: [text('我是中国人')] },
  { name: 'JiebaSegmenter.boundaries', call: (pw, ctx, [t]) => ctx.seg.boundaries(t), args: [text('我是中国人')] },
  {
    name: 'JiebaSegmenter.fromBinary',
    call: (pw, ctx, [b]) => { const s = pw.JiebaSegmenter.fromBinary(b); const w = s.cut('我是中国人'); s.dispose(); return w; },
    args: [compiled()],
    check: (w) => (w.join('|') === '我|是|中国人' ? true : `cut ${w.join('|')}`),
  },
  {
    name: 'loadJiebaSegmenter',
    call: async (pw, ctx, [u]) => { const s = await pw.loadJiebaSegmenter(u); s.dispose(); return true; },
    args: [{
      good: undefined, valid: new Set(),
      cases: () => [
        { cls: 'number', value: 5 }, { cls: 'null', value: null }, { cls: 'object', value: {} }, { cls: 'boolean', value: true },
        { cls: 'array', value: [] }, { cls: 'text-asset', value: new URL('assets/wobert/jieba-dict.txt.gz', import.meta.resolve('probwasm')) },
      ],
    }],
  },
  {
    name: 'WobertTokenizer',
    call: (pw, ctx, [d, o]) => { new pw.WobertTokenizer(d, o).dispose(); return true; },
    args: [dictionary(), options({ words: 3 }, { words: int(3, { valid: ['-0'] }) })],
  },
  { name: 'WobertTokenizer.encode', call: (pw, ctx, [t, o]) => ctx.tok.encode(t, o), args: [text('我是中国人'), options({}, { pretokenize: bool(true) })] },
  { name: 'WobertTokenizer.cut', call: (pw, ctx, [t]) => ctx.tok.cut(t), args: [text('我是中国人')] },
  { name: 'WobertTokenizer.compare', call: (pw, ctx, [t, o]) => ctx.tok.compare(t, o), args: [text('我是中国人'), options({}, costKeys())] },
  {
    name: 'loadJiebaDictionary',
    args: [{ good: undefined, valid: new Set(), cases: () => [{ cls: 'number', value: 5 }, { cls: 'null', value: null }, { cls: 'object', value: {} }, { cls: 'boolean', value: true }, { cls: 'array', value: [] }] }],
  },
  {
    name: 'wobertSpeedup',
    args: [number(128, { valid: ['fractional', 'tiny', 'huge'] }), number(0.7, { valid: ['fractional', 'tiny', 'huge'] }), options({}, costKeys())],
    check: positive,
  },
  { name: 'transformerCost', args: [number(128, { valid: ['fractional', 'tiny', '-0'] }), options({}, costKeys())], check: positive },
  {
    name: 'wobertFitSpeedup',
    args: [array([128, 256, 512], { valid: ['float32', 'fractional', 'huge'] }), array([1.16, 1.22, 1.28], { valid: ['float32', 'fractional', 'huge'] })],
  },
  { name: 'BertTokenizer', call: (pw, ctx, [v, o]) => { new pw.BertTokenizer(v, o).dispose(); return true; }, args: [vocab(), bertOptions()] },
  { name: 'BertTokenizer.encode', call: (pw, ctx, [t, o]) => ctx.bert.encode(t, o), args: [text('hello unaffable 中国!'), encodeOptions()] },
  { name: 'BertTokenizer.tokenize', call: (pw, ctx, [t]) => ctx.bert.tokenize(t), args: [text('hello unaffable 中国!')] },
  { name: 'BertTokenizer.normalize', call: (pw, ctx, [t]) => ctx.bert.normalize(t), args: [text('Héllo 中国')] },
  {
    name: 'WobertVocabulary',
    call: (pw, ctx, [v, d, o]) => { new pw.WobertVocabulary(v, d, o).dispose(); return true; },
    args: [vocab(), dictionary(), options({ words: 3 }, { words: int(3, { valid: ['-0'] }) })],
  },
  { name: 'WobertVocabulary.encode', call: (pw, ctx, [t]) => ctx.wv.encode(t), args: [text('我是中国人 hello!')] },
  {
    name: 'WobertVocabulary.embeddings',
    call: (pw, ctx, [e, o]) => ctx.wv.embeddings(e, o),
    args: [array(E(), { valid: ['float32', '-0', 'negative', 'fractional', 'huge', '-huge'] }), options({ d: 2 }, { d: int(2) }, { required: true })],
  },
  {
    name: 'loadBertVocab',
    args: [{ good: new Blob([VOCAB]), valid: new Set(), cases: () => [{ cls: 'number', value: 5 }, { cls: 'null', value: null }, { cls: 'object', value: {} }, { cls: 'boolean', value: true }, { cls: 'array', value: [] }, { cls: 'bad-utf8', value: new Blob([new Uint8Array([0xc3])]) }] }],
    check: (v) => (typeof v === 'string' ? true : `got ${typeof v}`),
  },
  { name: 'bertUnicodeVersion', args: [], check: (v) => (/^\d+\.\d+$/.test(v) ? true : `got ${v}`) },
];

export const disposed = [
  { name: 'BertTokenizer.encode', call: (pw) => { const t = new pw.BertTokenizer(VOCAB); t.dispose(); return t.encode('hello'); } },
  { name: 'BertTokenizer.tokenize', call: (pw) => { const t = new pw.BertTokenizer(VOCAB); t.dispose(); return t.tokenize('hello'); } },
  { name: 'BertTokenizer.vocabSize', call: (pw) => { const t = new pw.BertTokenizer(VOCAB); t.dispose(); return t.vocabSize; } },
  { name: 'WobertVocabulary.embeddings', call: (pw) => { const w = new pw.WobertVocabulary(VOCAB, DICT, { words: 1 }); w.dispose(); return w.embeddings(E(), { d: 2 }); } },
  { name: 'WobertVocabulary.encode', call: (pw) => { const w = new pw.WobertVocabulary(VOCAB, DICT, { words: 1 }); w.dispose(); return w.encode('中国'); } },
  { name: 'WobertVocabulary.tokens', call: (pw) => { const w = new pw.WobertVocabulary(VOCAB, DICT, { words: 1 }); w.dispose(); return w.tokens; } },
  { name: 'JiebaSegmenter.cut', call: (pw) => { const s = new pw.JiebaSegmenter(DICT); s.dispose(); return s.cut('中国'); } },
  { name: 'JiebaSegmenter.boundaries', call: (pw) => { const s = new pw.JiebaSegmenter(DICT); s.dispose(); return s.boundaries('中国'); } },
  { name: 'JiebaSegmenter.words', call: (pw) => { const s = new pw.JiebaSegmenter(DICT); s.dispose(); return s.words; } },
  { name: 'JiebaSegmenter.total', call: (pw) => { const s = new pw.JiebaSegmenter(DICT); s.dispose(); return s.total; } },
  { name: 'JiebaSegmenter.toBinary', call: (pw) => { const s = new pw.JiebaSegmenter(DICT); s.dispose(); return s.toBinary(); } },
  { name: 'JiebaSegmenter.memoryBytes', call: (pw) => { const s = new pw.JiebaSegmenter(DICT); s.dispose(); return s.memoryBytes; } },
  { name: 'JiebaSegmenter.cut', call: (pw) => { const s = pw.JiebaSegmenter.fromBinary(BIN); s.dispose(); return s.cut('中国'); } },
  { name: 'WobertTokenizer.encode', call: (pw) => { const t = new pw.WobertTokenizer(DICT, { words: 3 }); t.dispose(); return t.encode('中国'); } },
  { name: 'WobertTokenizer.cut', call: (pw) => { const t = new pw.WobertTokenizer(DICT, { words: 3 }); t.dispose(); return t.cut('中国'); } },
  { name: 'WobertTokenizer.compare', call: (pw) => { const t = new pw.WobertTokenizer(DICT, { words: 3 }); t.dispose(); return t.compare('中国'); } },
  { name: 'WobertTokenizer.vocab', call: (pw) => { const t = new pw.WobertTokenizer(DICT, { words: 3 }); t.dispose(); return t.vocab(); } },
  { name: 'WobertTokenizer.vocabSize', call: (pw) => { const t = new pw.WobertTokenizer(DICT, { words: 3 }); t.dispose(); return t.vocabSize; } },
];

export function battery(pw, ctx) {
  return [
    ctx.seg.cut('我是中国人'), ctx.seg.boundaries('中国人'), ctx.seg.toBinary(), ctx.seg.memoryBytes, ctx.tok.encode('我是中国人。'), ctx.tok.compare('我是中国人'),
    pw.wobertSpeedup(128, 0.7), pw.transformerCost(256), pw.wobertFitSpeedup([128, 256, 512], [1.16, 1.22, 1.28]),
    ctx.bert.encode('hello unaffable 中国!', { pair: '人', truncation: true, maxLength: 6, padding: 'max_length' }), ctx.bert.normalize('Héllo'),
    ctx.wv.embeddings(E(), { d: 2 }), Array.from(ctx.wv.tokens), ctx.wv.encode('我是中国人 hello!'),
  ];
}
