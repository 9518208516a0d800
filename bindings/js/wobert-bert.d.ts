/// <reference lib="esnext.disposable" />
/**
 * WoBERT part B (post 1): a real BERT vocab.txt, Hugging Face's BertTokenizer (huggingface/tokenizers BertNormalizer,
 * BertPreTokenizer, WordPiece, BertProcessing, truncation and padding) and WoBERT's vocabulary as its train.py builds it.
 * Errors name the public function: `BertTokenizer: vocab must list each token once, got "token [UNK] on lines 101 and 7"`.
 */

/** vocab.txt: one token per line (id = line number, \n or \r\n), as text or UTF-8 bytes. */
export type BertVocabSource = string | Uint8Array | ArrayBuffer;

export interface BertTokenizerOptions {
  /** do_lower_case (default true): full Unicode lower-casing of each code point. */
  lowercase?: boolean;
  /** NFD + drop Mn marks; null/undefined = same as lowercase (HF's strip_accents=None). */
  stripAccents?: boolean | null;
  /** Put spaces around CJK ideographs (default true). */
  tokenizeChineseChars?: boolean;
  /** A word longer than this (in code points) becomes one [UNK] (default 100). */
  maxInputCharsPerWord?: number;
}

export interface BertEncodeOptions {
  /** The second text of a pair: [CLS] text [SEP] pair [SEP], token type 1 for pair [SEP]. */
  pair?: string | null;
  /** Add [CLS]/[SEP] (default true). */
  addSpecialTokens?: boolean;
  /** false (default), true = 'longest_first', 'only_first' or 'only_second'; cuts to maxLength including specials. */
  truncation?: boolean | 'longest_first' | 'only_first' | 'only_second';
  /** 'max_length': pad on the right with [PAD] (type 0, mask 0) to maxLength. */
  padding?: false | 'max_length';
  /** For truncation and padding; default 512 (BERT's model_max_length). */
  maxLength?: number;
}

export interface BertEncoding {
  ids: Int32Array;
  tokens: string[];
  typeIds: Int32Array;
  attentionMask: Int32Array;
  specialTokensMask: Int32Array;
  /** UTF-16 offsets into the token's own text (text or pair); [0,0) for specials and padding. */
  start: Int32Array;
  end: Int32Array;
  /** 0 = text, 1 = pair, -1 = special or padding. */
  sequence: Int32Array;
}

export declare class BertTokenizer {
  constructor(vocab: BertVocabSource, opts?: BertTokenizerOptions);
  encode(text: string, opts?: BertEncodeOptions): BertEncoding;
  /** Word pieces without [CLS]/[SEP]. */
  tokenize(text: string): string[];
  /** The text after BertNormalizer. */
  normalize(text: string): string;
  vocab(): readonly string[];
  readonly vocabSize: number;
  readonly specialIds: { pad: number; unk: number; cls: number; sep: number; mask: number };
  dispose(): void;
  [Symbol.dispose](): void;
}

/** train.py of ZhuiyiTechnology/WoBERT: bert4keras load_vocab(simplified=True) + the most frequent new jieba words. */
export declare class WobertVocabulary {
  /** dictionary: jieba's dict.txt text or bytes; words: how many new words (default 20000, as in the post). */
  constructor(vocab: BertVocabSource, dictionary: string | Uint8Array | ArrayBuffer, opts?: { words?: number });
  readonly tokens: readonly string[];
  /** keep[i] = original BERT id of simplified token i. */
  readonly keep: Int32Array;
  /** Size of the simplified BERT vocabulary (the added words start here). */
  readonly baseSize: number;
  /** compound[k] = ids of added word k under the plain BERT tokenizer. */
  readonly compound: Int32Array[];
  /**
   * WoBERT's tokenize over this vocabulary (bert4keras with pre_tokenize = jieba HMM=False): lower-case, jieba words of the
   * vocabulary whole, the rest through BERT; [CLS] … [SEP]. Kinds and offsets as WobertTokenizer.encode's.
   */
  encode(text: string): { ids: Int32Array; tokens: string[]; start: Int32Array; end: Int32Array; kinds: import('./wobert.js').TokenKind[] };
  /** The vocabulary as vocab.txt text. */
  vocabText(): string;
  /** E (original rows × d, row-major) → tokens.length × d: kept rows, then the mean of each new word's compound rows. */
  embeddings(E: number[] | Float64Array | Float32Array, opts: { d: number }): Float64Array;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface BertApi {
  BertTokenizer: typeof BertTokenizer;
  WobertVocabulary: typeof WobertVocabulary;
  /** Reads a vocab.txt from a URL (file: URLs in Node) or a Blob/File; strict UTF-8; gzip is decompressed. */
  loadBertVocab(source: string | URL | Blob): Promise<string>;
  /** Unicode version of the generated tables (lower case, NFD, categories). */
  bertUnicodeVersion(): string;
}

export declare function loadBertVocab(source: string | URL | Blob): Promise<string>;
