/// <reference lib="esnext.disposable" />
/**
 * WoBERT (post 1, kexue.fm/archives/7758): jieba segmentation, word-level tokenization, speed-up model.
 * Errors start with the public name (`JiebaSegmenter.cut: …`, `WobertTokenizer.compare: …`), also for a disposed
 * object (TypeError) and a dictionary over a detached buffer. Option objects are closed: an unknown key is a TypeError
 * naming it and listing the allowed ones.
 */

import type { BertApi } from './wobert-bert.js';
export type { BertApi, BertTokenizer, BertEncoding, BertEncodeOptions, BertTokenizerOptions, BertVocabSource, WobertVocabulary } from './wobert-bert.js';
export { loadBertVocab } from './wobert-bert.js';

/** jieba's dict.txt: "word freq [tag]" lines, as text or UTF-8 bytes. */
export type JiebaDictionary = string | Uint8Array | ArrayBuffer;

/** jieba.cut(text, HMM=False) of jieba 0.42.1: prefix-dictionary DAG + maximum log-probability path. */
export declare class JiebaSegmenter {
  constructor(dictionary: JiebaDictionary);
  /**
   * A segmenter over a compiled dictionary (`toBinary()`'s bytes, or the packaged `jieba-dict.pwjt.gz` decompressed): one copy into
   * wasm memory, validated (magic, version, sizes, every offset) and used in place, no text parsing. A truncated or
   * corrupt blob is a RangeError naming what is wrong; a non-byte argument or a detached buffer is a TypeError.
   */
  static fromBinary(bytes: Uint8Array | ArrayBuffer): JiebaSegmenter;
  /** The compiled dictionary (a fresh copy): the same bytes for the same dictionary text, on every platform. */
  toBinary(): Uint8Array;
  /** Bytes of wasm memory this segmenter holds (the compiled dictionary and two small derived tables). */
  readonly memoryBytes: number;
  /** The words in order; they concatenate to the text. Unpaired surrogates and astral characters are kept. */
  cut(text: string): string[];
  /** UTF-16 boundaries 0 = b[0] < … < b[n] = text.length. */
  boundaries(text: string): Int32Array;
  /** Distinct dictionary words. */
  readonly words: number;
  /** Σ frequency over all dictionary lines. */
  readonly total: number;
  dispose(): void;
  /** Calls dispose(): `using x = …` frees it at the end of the block. */
  [Symbol.dispose](): void;
}

export type TokenKind = 'special' | 'word' | 'character' | 'piece' | 'unknown';

export interface Encoding {
  ids: Int32Array;
  /** Vocabulary strings ("##" marks a WordPiece continuation); an [UNK] shows its source text. */
  tokens: string[];
  /** UTF-16 offsets into the text; [CLS] is [0,0), [SEP] is [n,n). */
  start: Int32Array;
  end: Int32Array;
  kinds: TokenKind[];
}

export interface Comparison {
  codePoints: number;
  /** Tokens without [CLS]/[SEP]. */
  charTokens: number;
  wobertTokens: number;
  charTokensPerChar: number;
  wobertTokensPerChar: number;
  /** WoBERT length / BERT length, both with [CLS]/[SEP]. */
  ratio: number;
  /** cost(L)/cost(ratio·L) at the text's BERT length L. */
  speedup: number;
}

export interface CostOptions {
  /** Hidden size (default 768, BERT-base). */
  d?: number;
  /** FLOPs per token per d² (default 24: Q,K,V,O projections + 4d FFN). */
  a?: number;
  /** FLOPs per token pair per d (default 4: QKᵀ and the weighted sum). */
  b?: number;
}

/** bert4keras Tokenizer(vocab, do_lower_case=True, pre_tokenize=jieba HMM=False) over a synthetic base vocabulary. */
export declare class WobertTokenizer {
  /** words: dictionary words added to the base vocabulary, most frequent first (default 20000, as in the post). */
  constructor(dictionary: JiebaDictionary, opts?: { words?: number });
  /** `pretokenize` must be a boolean (1 or 'true' is a TypeError). */
  encode(text: string, opts?: { pretokenize?: boolean }): Encoding;
  cut(text: string): string[];
  compare(text: string, opts?: CostOptions): Comparison;
  vocab(): readonly string[];
  readonly vocabSize: number;
  readonly baseVocabSize: number;
  readonly dictionaryWords: number;
  dispose(): void;
  /** Calls dispose(): `using x = …` frees it at the end of the block. */
  [Symbol.dispose](): void;
}

export interface WobertApi extends BertApi {
  JiebaSegmenter: typeof JiebaSegmenter;
  WobertTokenizer: typeof WobertTokenizer;
  /** Fetches and gunzips the packaged jieba dictionary (dist/assets/wobert/jieba-dict.txt.gz by default); url a string or URL. */
  loadJiebaDictionary(url?: string | URL): Promise<string>;
  /**
   * The packaged dictionary compiled at build time (dist/assets/wobert/jieba-dict.pwjt.gz by default; url a string or
   * URL; the file may be gzipped or raw) as a ready segmenter: the fast path (no text parsing; the decompressed bytes
   * go straight into wasm memory). Segments exactly like `new JiebaSegmenter(await loadJiebaDictionary())`.
   * A truncated or corrupt file is a RangeError.
   */
  loadJiebaSegmenter(url?: string | URL): Promise<JiebaSegmenter>;
  /**
   * cost(L)/cost(ratio·L), cost(L) = a·L·d² + b·L²·d, for every finite length, ratio, d > 0 and finite a, b ≥ 0 (a + b > 0):
   * nothing overflows inside (1e308 is fine); only an S beyond the double range rounds to Infinity or 0.
   */
  wobertSpeedup(length: number, ratio: number, opts?: CostOptions): number;
  /** a·L·d² + b·L²·d; a cost beyond the double range (≈ 1.8e308) is a RangeError. */
  transformerCost(length: number, opts?: CostOptions): number;
  /** Least-squares fit of S(L) = (1+κL)/(r(1+κrL)) to measured speed-ups. */
  wobertFitSpeedup(lengths: number[] | Float64Array, speedups: number[] | Float64Array): { ratio: number; kappa: number; rms: number };
}

export declare function loadJiebaDictionary(url?: string | URL): Promise<string>;
