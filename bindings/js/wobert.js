// WoBERT facade (post 1): jieba segmenter, WoBERT tokenizer, cost model. Every number comes from wasm;
// this file only converts strings to UTF-16 code units, slices the text and loads the dictionary asset.
import { checkArray, checkBool, checkInt, checkNumber, checkOptions, describe, DISPOSE } from './common.js';
import { bertApi, bertTasks } from './wobert-bert.js';

export { loadBertVocab } from './wobert-bert.js';

const KINDS = ['special', 'word', 'character', 'piece', 'unknown'];
const COST_KEYS = ['d', 'a', 'b'];
const DICT_URL = new URL('./assets/wobert/jieba-dict.txt.gz', import.meta.url);
// the same dictionary compiled at build time and gzipped (scripts/assets-wobert.mjs; layout in src/wobert/jieba_trie.hpp)
const TRIE_URL = new URL('./assets/wobert/jieba-dict.pwjt.gz', import.meta.url);
const ADOPT = Symbol('adopt');

function checkText(fn, text) {
  if (typeof text !== 'string') throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  const u = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) u[i] = text.charCodeAt(i);
  return u;
}

function checkDictionary(fn, dict) {
  if (typeof dict === 'string') return dict;
  if (dict instanceof ArrayBuffer || dict instanceof Uint8Array) {
    const buffer = dict instanceof ArrayBuffer ? dict : dict.buffer;
    if (buffer.byteLength === 0) {
      try { new Uint8Array(buffer); } catch { throw new TypeError(`${fn}: dictionary is over a detached ArrayBuffer`); } // eslint-disable-line no-new
    }
  }
  if (dict instanceof ArrayBuffer) dict = new Uint8Array(dict);
  if (dict instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(dict);
    } catch {
      throw new RangeError(`${fn}: dictionary must be valid UTF-8, got invalid bytes`);
    }
  }
  throw new TypeError(`${fn}: dictionary must be a string, Uint8Array or ArrayBuffer, got ${describe(dict)}`);
}

/** Bytes of a compiled dictionary: a Uint8Array (or Buffer) or an ArrayBuffer, not detached. */
function checkBytes(fn, bytes) {
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: bytes must be a Uint8Array or ArrayBuffer, got ${describe(bytes)}`);
  if (bytes.buffer.byteLength === 0) {
    try { new Uint8Array(bytes.buffer); } catch { throw new TypeError(`${fn}: bytes are over a detached ArrayBuffer`); } // eslint-disable-line no-new
  }
  return bytes;
}

/** The bytes behind a URL: Node reads file: URLs itself, everything else is fetched. */
async function readUrl(fn, url) {
  if (typeof url !== 'string' && !(url instanceof URL)) {
    throw new TypeError(`${fn}: url must be a string or a URL, got ${describe(url)}`);
  }
  const u = new URL(String(url), typeof location === 'object' ? location.href : DICT_URL);
  if (u.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(u);
  }
  const r = await fetch(u);
  if (!r.ok) throw new Error(`${fn}: ${u} answered ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

function words(text, b) {
  const out = new Array(b.length - 1);
  for (let k = 0; k + 1 < b.length; k++) out[k] = text.slice(b[k], b[k + 1]);
  return out;
}

/**
 * jieba's dictionary (dict.txt of the npm package @node-rs/jieba, gzip-compressed at build time by
 * scripts/assets-wobert.mjs), decompressed with DecompressionStream. Node reads file: URLs itself.
 */
export async function loadJiebaDictionary(url = DICT_URL) {
  const bytes = await readUrl('loadJiebaDictionary', url);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export function api(M) {
  /**
   * A compiled dictionary's bytes → a segmenter: one copy into wasm memory (HEAPU8.set), then the C++
   * validates the blob and uses it in place (no parsing). The C++ call owns the malloc'ed block.
   */
  function adoptBinary(fn, bytes) {
    const u8 = checkBytes(fn, bytes);
    const p = u8.length < 2 ** 31 ? M._malloc(Math.max(u8.length, 1)) : 0;
    if (!p) throw new RangeError(`${fn}: out of memory (a compiled dictionary of ${u8.length} bytes)`);
    M.HEAPU8.set(u8, p);
    return new JiebaSegmenter(ADOPT, M.WobertJieba.fromBinary(p, u8.length, fn));
  }

  /**
   * A compiled dictionary arriving as a byte stream (e.g. out of DecompressionStream): its header declares the
   * size, so the block is malloc'ed once and each chunk is copied straight into it (the one copy; no whole
   * buffer in JS). Anything that is not such a header goes through adoptBinary, whose C++ names the problem.
   */
  async function adoptStream(fn, stream) {
    const reader = stream.getReader();
    const parts = [];
    let have = 0;
    const read = async () => {
      try {
        return await reader.read();
      } catch (e) {
        throw new RangeError(`${fn}: the compressed dictionary is corrupt (${e?.message ?? e})`);
      }
    };
    while (have < 64) {  // the header
      const { done, value } = await read();
      if (done) break;
      parts.push(value);
      have += value.length;
    }
    const head = new Uint8Array(Math.min(have, 64));
    for (let i = 0, at = 0; at < head.length; at += parts[i].length, i++) head.set(parts[i].subarray(0, head.length - at), at);
    const dv = new DataView(head.buffer);
    const n = head.length >= 40 && dv.getUint32(0, true) === 0x544A5750 && dv.getUint32(36, true) === 0 ? dv.getUint32(32, true) : -1;
    if (n < 64 || n >= 2 ** 31 - 1) {  // not a compiled dictionary's header: all of it to the C++ check
      for (;;) {
        const { done, value } = await read();
        if (done) break;
        parts.push(value);
        have += value.length;
        if (have > 2 ** 31) break;
      }
      const all = new Uint8Array(Math.min(have, 2 ** 31));
      for (let i = 0, at = 0; i < parts.length && at < all.length; at += parts[i].length, i++) all.set(parts[i].subarray(0, all.length - at), at);
      return adoptBinary(fn, all);
    }
    // n + 1 bytes: a longer stream shows up as one byte too many, which the C++ size check names
    const p = M._malloc(n + 1);
    if (!p) throw new RangeError(`${fn}: out of memory (a compiled dictionary of ${n} bytes)`);
    let off = 0;
    const put = (u) => {
      const k = Math.min(u.length, n + 1 - off);
      M.HEAPU8.set(k === u.length ? u : u.subarray(0, k), p + off);  // HEAPU8 re-read: memory may have grown
      off += k;
    };
    try {
      for (const u of parts) put(u);
      while (off <= n) {
        const { done, value } = await read();
        if (done) break;
        put(value);
      }
    } catch (e) {
      M._free(p);
      throw e;
    }
    if (off > n) reader.cancel().catch(() => {});
    return new JiebaSegmenter(ADOPT, M.WobertJieba.fromBinary(p, off, fn));
  }

  /** jieba.cut(text, HMM=False) over a dictionary given as text, or compiled (fromBinary). */
  class JiebaSegmenter {
    #h;
    constructor(dictionary, handle) {
      if (dictionary === ADOPT) { this.#h = handle; return; }  // from adoptBinary only (a module-private symbol)
      this.#h = new M.WobertJieba(checkDictionary('JiebaSegmenter', dictionary));
    }
    /** A segmenter over a compiled dictionary (toBinary()'s bytes); a truncated or corrupt one is a RangeError. */
    static fromBinary(bytes) {
      return adoptBinary('JiebaSegmenter.fromBinary', bytes);
    }
    #live(name) {
      if (!this.#h) throw new TypeError(`JiebaSegmenter.${name}: the segmenter was disposed`);
      return this.#h;
    }
    /** The words, in order; their concatenation is the text. */
    cut(text) {
      const h = this.#live('cut');
      return words(text, h.cut(checkText('JiebaSegmenter.cut', text)));
    }
    /** UTF-16 word boundaries: 0 = b[0] < b[1] < … < b[n] = text.length. */
    boundaries(text) {
      const h = this.#live('boundaries');
      return h.cut(checkText('JiebaSegmenter.boundaries', text));
    }
    get words() { return this.#live('words').words(); }
    get total() { return this.#live('total').total(); }
    /** The compiled dictionary (a fresh Uint8Array): what fromBinary takes; the same bytes for the same text. */
    toBinary() { return this.#live('toBinary').binary(); }
    /** Bytes of wasm memory the segmenter holds (its compiled dictionary and two small derived tables). */
    get memoryBytes() { return this.#live('memoryBytes').memoryBytes(); }
    dispose() {
      // twice is harmless; a later call or getter is #live's TypeError naming the public method (errors.js
      // names a disposed handle's caller from the stack, which a getter's frame does not give)
      this.#h?.delete();
      this.#h = null;
    }
    [DISPOSE]() { this.dispose(); }
  }

  /** bert4keras' Tokenizer with jieba pre-tokenization over a base vocabulary + top-N dictionary words. */
  class WobertTokenizer {
    #h;
    #vocab = null;
    constructor(dictionary, opts) {
      const o = checkOptions('WobertTokenizer', opts, ['words']);
      const n = o.words === undefined ? 20000 : checkInt('WobertTokenizer', 'words', o.words, 0, 10000000);
      this.#h = new M.WobertTokenizerRaw(checkDictionary('WobertTokenizer', dictionary), n);
    }
    #live(name) {
      if (!this.#h) throw new TypeError(`WobertTokenizer.${name}: the tokenizer was disposed`);
      return this.#h;
    }
    /** [CLS] … [SEP]: ids, token strings, UTF-16 offsets and kinds; `pretokenize: false` is character BERT. */
    encode(text, opts) {
      const fn = 'WobertTokenizer.encode';
      const h = this.#live('encode');
      const o = checkOptions(fn, opts, ['pretokenize']);
      const pre = o.pretokenize === undefined ? true : checkBool(fn, 'pretokenize', o.pretokenize);
      const r = h.encode(checkText(fn, text), pre);
      const vocab = this.vocab();
      const tokens = new Array(r.ids.length);
      const kinds = new Array(r.ids.length);
      for (let i = 0; i < r.ids.length; i++) {
        kinds[i] = KINDS[r.kinds[i]];
        tokens[i] = kinds[i] === 'unknown' ? text.slice(r.start[i], r.end[i]) : vocab[r.ids[i]];
      }
      return { ids: r.ids, tokens, start: r.start, end: r.end, kinds };
    }
    /** The jieba words of the text (the pre-tokenization). */
    cut(text) {
      const h = this.#live('cut');
      return words(text, h.cut(checkText('WobertTokenizer.cut', text)));
    }
    /** Character BERT vs WoBERT on this text, and the cost-model speed-up (d = 768, a = 24, b = 4 by default). */
    compare(text, opts) {
      const fn = 'WobertTokenizer.compare';
      const h = this.#live('compare');
      const o = checkOptions(fn, opts, COST_KEYS);
      const d = o.d === undefined ? 768 : checkNumber(fn, 'd', o.d);
      const a = o.a === undefined ? 24 : checkNumber(fn, 'a', o.a);
      const b = o.b === undefined ? 4 : checkNumber(fn, 'b', o.b);
      return h.compare(checkText(fn, text), d, a, b);
    }
    /** Every token, by id. */
    vocab() {
      const h = this.#live('vocab');
      this.#vocab ??= Object.freeze(h.vocab());
      return this.#vocab;
    }
    get vocabSize() { return this.#live('vocabSize').size(); }
    get baseVocabSize() { return this.#live('baseVocabSize').baseSize(); }
    get dictionaryWords() { return this.#live('dictionaryWords').dictionaryWords(); }
    dispose() {
      // twice is harmless; a later call or getter is #live's TypeError naming the public method (errors.js
      // names a disposed handle's caller from the stack, which a getter's frame does not give)
      this.#h?.delete();
      this.#h = null;
    }
    [DISPOSE]() { this.dispose(); }
  }

  return {
    JiebaSegmenter,
    WobertTokenizer,
    loadJiebaDictionary,
    ...bertApi(M, { dictionaryText: checkDictionary }),  // part B: real vocab.txt, BertTokenizer, WoBERT vocabulary
    /**
     * The packaged dictionary, compiled at build time (dist/assets/wobert/jieba-dict.pwjt.gz), as a segmenter. The
     * file may be gzipped (decompressed by DecompressionStream straight into wasm memory) or raw.
     */
    async loadJiebaSegmenter(url = TRIE_URL) {
      const fn = 'loadJiebaSegmenter';
      const bytes = await readUrl(fn, url);
      if (bytes.length < 2 || bytes[0] !== 0x1F || bytes[1] !== 0x8B) return adoptBinary(fn, bytes);
      if (typeof process === 'object' && process.versions?.node) {
        // Node: its zlib (off the main thread) is about twice as fast as its DecompressionStream here
        const { gunzip } = await import('node:zlib');
        const raw = await new Promise((ok, no) => gunzip(bytes, (e, r) => (e ? no(new RangeError(`${fn}: the compressed dictionary is corrupt (${e.message})`)) : ok(r))));
        return adoptBinary(fn, raw);
      }
      return adoptStream(fn, new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')));
    },
    /** cost(L)/cost(ratio·L) for cost(L) = a·L·d² + b·L²·d. */
    wobertSpeedup(length, ratio, opts) {
      const o = checkOptions('wobertSpeedup', opts, COST_KEYS);
      return M.wobertSpeedup(
        checkNumber('wobertSpeedup', 'length', length), checkNumber('wobertSpeedup', 'ratio', ratio),
        o.d === undefined ? 768 : checkNumber('wobertSpeedup', 'd', o.d),
        o.a === undefined ? 24 : checkNumber('wobertSpeedup', 'a', o.a),
        o.b === undefined ? 4 : checkNumber('wobertSpeedup', 'b', o.b));
    },
    transformerCost(length, opts) {
      const o = checkOptions('transformerCost', opts, COST_KEYS);
      return M.wobertTransformerCost(checkNumber('transformerCost', 'length', length),
        o.d === undefined ? 768 : checkNumber('transformerCost', 'd', o.d),
        o.a === undefined ? 24 : checkNumber('transformerCost', 'a', o.a),
        o.b === undefined ? 4 : checkNumber('transformerCost', 'b', o.b));
    },
    /** Least squares of S(L) = (1+κL)/(r(1+κrL)) to measured speed-ups → { ratio, kappa, rms }. */
    wobertFitSpeedup(lengths, speedups) {
      return M.wobertFitSpeedup(checkArray('wobertFitSpeedup', 'lengths', lengths),
        checkArray('wobertFitSpeedup', 'speedups', speedups));
    },
  };
}

// One tokenizer per realm (the Worker keeps it between runs): building it from the 349k-word
// dictionary takes about a second.
let cached = null;

export const tasks = {
  ...bertTasks,  // part B: wobertRealVocab
  /** Loads the dictionary (once), then compares character BERT and WoBERT on `text`. */
  wobertCompare: async function* (pw, text, opts) {
    const o = checkOptions('wobertCompare', opts, ['words', 'dictionaryUrl']);
    const words = o.words ?? 20000;
    if (!cached || cached.words !== words) {
      yield { stage: 'dictionary', done: 0 };
      const dict = await loadJiebaDictionary(o.dictionaryUrl ?? DICT_URL);
      yield { stage: 'vocabulary', done: 0.5 };
      cached?.tok.dispose();
      cached = { words, tok: new pw.WobertTokenizer(dict, { words }) };
    }
    yield { stage: 'tokenize', done: 0.9 };
    const tok = cached.tok;
    return {
      chars: tok.encode(text, { pretokenize: false }),
      wobert: tok.encode(text),
      stats: tok.compare(text),
      vocabSize: tok.vocabSize,
      baseVocabSize: tok.baseVocabSize,
    };
  },
};
