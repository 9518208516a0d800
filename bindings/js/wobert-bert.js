// WoBERT facade, part B (post 1): a real BERT vocab.txt, Hugging Face's BertTokenizer, WoBERT's vocabulary as
// train.py builds it. Every token and number comes from wasm (src/wobert/bert.cpp); this file converts strings to
// UTF-16 code units, reads files and URLs, and checks types and options.
import { checkArray, checkBool, checkEnum, checkInt, checkOptions, describe, DISPOSE } from './common.js';

const KINDS = ['special', 'word', 'character', 'piece', 'unknown'];
const TRUNCATION = { false: 0, true: 1, longest_first: 1, only_first: 2, only_second: 3 };

function units(fn, name, text) {
  if (typeof text !== 'string') throw new TypeError(`${fn}: ${name} must be a string, got ${describe(text)}`);
  const u = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) u[i] = text.charCodeAt(i);
  return u;
}

/** vocab.txt as a string, or its UTF-8 bytes (Uint8Array / ArrayBuffer), decoded strictly. */
function vocabText(fn, name, v) {
  if (typeof v === 'string') return v;
  if (v instanceof ArrayBuffer || v instanceof Uint8Array) {
    const buffer = v instanceof ArrayBuffer ? v : v.buffer;
    if (buffer.byteLength === 0) {
      try { new Uint8Array(buffer); } catch { throw new TypeError(`${fn}: ${name} is over a detached ArrayBuffer`); } // eslint-disable-line no-new
    }
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(v);
    } catch {
      throw new RangeError(`${fn}: ${name} must be valid UTF-8, got invalid bytes`);
    }
  }
  throw new TypeError(`${fn}: ${name} must be a string, Uint8Array or ArrayBuffer, got ${describe(v)}`);
}

/** The packaged bert-base-uncased vocab.txt (gzip; scripts/assets-wobert-bert.mjs), for pw.loadBertVocab(BERT_BASE_UNCASED). */
export const BERT_BASE_UNCASED = new URL('./assets/wobert-bert/bert-base-uncased-vocab.txt.gz', import.meta.url).href;

/**
 * Reads a vocab.txt from a URL (fetch; Node reads file: URLs itself) or a Blob/File (e.g. an <input type=file>),
 * and returns its text (strict UTF-8: invalid bytes are a RangeError). gzip-compressed bytes are decompressed.
 */
export async function loadBertVocab(source) {
  const fn = 'loadBertVocab';
  let bytes;
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    bytes = new Uint8Array(await source.arrayBuffer());
  } else if (typeof source === 'string' || source instanceof URL) {
    const base = typeof location === 'object' ? location.href : import.meta.url;
    const u = new URL(String(source), base);
    if (u.protocol === 'file:') {
      const { readFile } = await import('node:fs/promises');
      bytes = await readFile(u);
    } else {
      const r = await fetch(u);
      if (!r.ok) throw new Error(`${fn}: ${u} answered ${r.status}`);
      bytes = new Uint8Array(await r.arrayBuffer());
    }
  } else {
    throw new TypeError(`${fn}: source must be a URL string, a URL or a Blob, got ${describe(source)}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return vocabText(fn, 'source', bytes);
}

// One real-vocabulary pair per realm (the Worker keeps it between runs), keyed by the vocab text and word count.
let cachedReal = null;

export const bertTasks = {
  /**
   * BERT vs WoBERT with a real vocab.txt (e.g. bert-base-chinese's, picked by the reader): BERT = BertTokenizer over
   * the vocab; WoBERT = WobertVocabulary(vocab + the top `words` jieba words).encode. `dictionary` = jieba's text.
   */
  wobertRealVocab: async function* (pw, vocab, text, opts) {
    const o = checkOptions('wobertRealVocab', opts, ['words', 'dictionary']);
    const words = o.words ?? 20000;
    if (!cachedReal || cachedReal.vocab !== vocab || cachedReal.words !== words) {
      yield { stage: 'dictionary', done: 0 };
      const dict = o.dictionary ?? await pw.loadJiebaDictionary();
      yield { stage: 'vocabulary', done: 0.5 };
      cachedReal?.bert.dispose();
      cachedReal?.wobert.dispose();
      cachedReal = { vocab, words, bert: new pw.BertTokenizer(vocab), wobert: new pw.WobertVocabulary(vocab, dict, { words }) };
    }
    yield { stage: 'tokenize', done: 0.9 };
    const b = cachedReal.bert.encode(text);
    const w = cachedReal.wobert.encode(text);
    const unk = cachedReal.bert.specialIds.unk;
    return {
      bert: { ids: b.ids, tokens: b.tokens, start: b.start, end: b.end, kinds: Array.from(b.ids, (id, i) => (b.specialTokensMask[i] ? 'special' : id === unk ? 'unknown' : b.tokens[i].startsWith('##') || [...b.tokens[i]].length > 1 ? 'piece' : 'character')) },
      wobert: w,
      vocabSize: cachedReal.bert.vocabSize,
      wobertVocabSize: cachedReal.wobert.tokens.length,
      baseSize: cachedReal.wobert.baseSize,
    };
  },
};

export function bertApi(M, { dictionaryText }) {
  /** Hugging Face BertTokenizer (BertNormalizer + BertPreTokenizer + WordPiece + [CLS]/[SEP]) over a vocab.txt. */
  class BertTokenizer {
    #h;
    #vocab = null;
    constructor(vocab, opts) {
      const fn = 'BertTokenizer';
      const o = checkOptions(fn, opts, ['lowercase', 'stripAccents', 'tokenizeChineseChars', 'maxInputCharsPerWord']);
      const text = vocabText(fn, 'vocab', vocab);
      const lower = o.lowercase === undefined ? true : checkBool(fn, 'lowercase', o.lowercase);
      const strip = o.stripAccents === undefined || o.stripAccents === null ? -1 : (checkBool(fn, 'stripAccents', o.stripAccents) ? 1 : 0);
      const cjk = o.tokenizeChineseChars === undefined ? true : checkBool(fn, 'tokenizeChineseChars', o.tokenizeChineseChars);
      const max = o.maxInputCharsPerWord === undefined ? 100 : checkInt(fn, 'maxInputCharsPerWord', o.maxInputCharsPerWord, 1, 1000000);
      this.#h = new M.WobertBertRaw(text, lower, strip, cjk, max);
    }
    #live(name) {
      if (!this.#h) throw new TypeError(`BertTokenizer.${name}: the tokenizer was disposed`);
      return this.#h;
    }
    /**
     * [CLS] text [SEP] (pair [SEP]) → ids, tokens, typeIds, attentionMask, specialTokensMask, UTF-16 start/end into
     * the token's own text, sequence (0, 1, or -1 for specials and padding).
     */
    encode(text, opts) {
      const fn = 'BertTokenizer.encode';
      const h = this.#live('encode');
      const o = checkOptions(fn, opts, ['pair', 'addSpecialTokens', 'truncation', 'padding', 'maxLength']);
      const a = units(fn, 'text', text);
      const b = o.pair === undefined || o.pair === null ? undefined : units(fn, 'pair', o.pair);
      const special = o.addSpecialTokens === undefined ? true : checkBool(fn, 'addSpecialTokens', o.addSpecialTokens);
      const trunc = o.truncation === undefined ? false : o.truncation;
      if (typeof trunc !== 'boolean') checkEnum(fn, 'truncation', trunc, ['longest_first', 'only_first', 'only_second']);
      const pad = o.padding === undefined || o.padding === false ? false : checkEnum(fn, 'padding', o.padding, ['max_length']) === 'max_length';
      const maxLength = o.maxLength === undefined ? 512 : checkInt(fn, 'maxLength', o.maxLength, 1, 100000000);
      const flat = h.encode(a, b, special, TRUNCATION[trunc], pad, maxLength);
      const n = flat.length / 7, row = (k) => flat.subarray(k * n, (k + 1) * n);
      const vocab = this.vocab();
      const ids = row(0);
      return {
        ids, tokens: Array.from(ids, (id) => vocab[id]), typeIds: row(1), attentionMask: row(2), specialTokensMask: row(3),
        start: row(4), end: row(5), sequence: row(6),
      };
    }
    /** The word pieces of a text, without [CLS]/[SEP] (HF tokenizer.tokenize). */
    tokenize(text) {
      const fn = 'BertTokenizer.tokenize';
      const flat = this.#live('tokenize').encode(units(fn, 'text', text), undefined, false, 0, false, 1);
      const vocab = this.vocab();
      return Array.from(flat.subarray(0, flat.length / 7), (id) => vocab[id]);
    }
    /** The text as BertNormalizer leaves it: controls dropped, whitespace → ' ', CJK spaced, NFD − Mn, lower case. */
    normalize(text) {
      return this.#live('normalize').normalize(units('BertTokenizer.normalize', 'text', text));
    }
    /** Every token, by id. */
    vocab() {
      this.#vocab ??= Object.freeze(this.#live('vocab').vocab());
      return this.#vocab;
    }
    get vocabSize() { return this.#live('vocabSize').size(); }
    /** Ids of [PAD], [UNK], [CLS], [SEP] and [MASK] (-1 if the vocabulary has no [MASK]). */
    get specialIds() { return this.#live('specialIds').specials(); }
    dispose() {
      this.#h?.delete();
      this.#h = null;
    }
    [DISPOSE]() { this.dispose(); }
  }

  /** WoBERT's vocabulary (train.py): simplified BERT vocab + the most frequent new jieba words, with compound tokens. */
  class WobertVocabulary {
    #h;
    #tokens = null;
    constructor(vocab, dictionary, opts) {
      const fn = 'WobertVocabulary';
      const o = checkOptions(fn, opts, ['words']);
      const words = o.words === undefined ? 20000 : checkInt(fn, 'words', o.words, 0, 10000000);
      this.#h = new M.WobertVocabRaw(vocabText(fn, 'vocab', vocab), dictionaryText(fn, dictionary), words);
    }
    #live(name) {
      if (!this.#h) throw new TypeError(`WobertVocabulary.${name}: the vocabulary was disposed`);
      return this.#h;
    }
    /** Every token by id: the simplified BERT vocabulary, then the added words. */
    get tokens() {
      this.#tokens ??= Object.freeze(this.#live('tokens').tokens());
      return this.#tokens;
    }
    /**
     * WoBERT's tokenize over this vocabulary (bert4keras with pre_tokenize = jieba HMM=False): lower-case, cut with
     * jieba, vocabulary words whole, the rest through BERT; [CLS] … [SEP]; kinds as WobertTokenizer.encode's.
     */
    encode(text) {
      const fn = 'WobertVocabulary.encode';
      const r = this.#live('encode').encode(units(fn, 'text', text));
      const toks = this.tokens;
      r.tokens = Array.from(r.ids, (id) => toks[id]);
      r.kinds = Array.from(r.kinds, (k) => KINDS[k]);
      return r;
    }
    /** The vocabulary as vocab.txt text (for new BertTokenizer(…)). */
    vocabText() { return this.tokens.join('\n') + '\n'; }
    /** keep[i]: the original BERT id of simplified token i (the embedding row train.py keeps). */
    get keep() { return this.#live('keep').keep(); }
    /** Size of the simplified BERT vocabulary; the added words start at this id. */
    get baseSize() { return this.#live('baseSize').baseSize(); }
    /** compound[k]: ids of added word k's characters/pieces under the plain BERT tokenizer. */
    get compound() { return this.#live('compound').compound(); }
    /**
     * The initial embedding matrix of train.py: rows E[keep[i]], then each new word's row = the mean of its
     * compound tokens' rows. E is rows × d, row-major (rows = the original vocabulary size); returns Float64Array.
     */
    embeddings(E, opts) {
      const fn = 'WobertVocabulary.embeddings';
      const h = this.#live('embeddings');
      const o = checkOptions(fn, opts, ['d']);
      checkArray(fn, 'embeddings', E);
      if (o.d === undefined) throw new TypeError(`${fn}: options.d (the embedding width) is required`);
      const d = checkInt(fn, 'd', o.d, 1, 1000000);
      if (E.length % d !== 0) throw new RangeError(`${fn}: embeddings must have a multiple of d = ${d} entries, got ${E.length}`);
      return h.embeddings(E, E.length / d, d);
    }
    dispose() {
      this.#h?.delete();
      this.#h = null;
    }
    [DISPOSE]() { this.dispose(); }
  }

  return {
    BertTokenizer,
    WobertVocabulary,
    loadBertVocab,
    /** Unicode version of the tables behind BertTokenizer's lower-casing, NFD and character classes. */
    bertUnicodeVersion() { return M.wobertUnicodeVersion(); },
  };
}
