// wobert (post 1): the segmenter against jieba itself on a real corpus, the tokenizer, bad input.
// Peers: the npm package jieba-wasm (jieba-rs) given the SAME dictionary text, cut(s, hmm=false); and, when
// Debian's python3-jieba is installed, Python jieba 0.42.1 itself with Tokenizer(dictionary=…).cut(s, HMM=False).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'probwasm';
import { cut as peerCut, with_dict as peerWithDict } from 'jieba-wasm';
import { FORTUNES_ZH, fortunesZh } from '../support/fortunes.mjs';

const pw = await load();
const dict = await pw.loadJiebaDictionary();


test('the packaged dictionary is jieba dict.txt: 349,045 entries, total frequency 60,101,964', () => {
  const seg = new pw.JiebaSegmenter(dict);
  try {
    assert.equal(seg.words, 349045);
    assert.equal(seg.total, 60101964);
  } finally {
    seg.dispose();
  }
});

test('fortunes-zh: segmentation identical to jieba-wasm (HMM off, same dictionary) on >= 99.5% of lines', () => {
  assert.ok(FORTUNES_ZH.every(existsSync), 'fortunes-zh is not installed (scripts/setup.sh installs it)');
  const lines = fortunesZh();
  assert.ok(lines.length > 30000, `corpus has ${lines.length} lines`);
  peerWithDict(dict);  // jieba-rs: sets every word's frequency to ours and recomputes the total
  const seg = new pw.JiebaSegmenter(dict);
  let same = 0;
  const diffs = [];
  try {
    for (const l of lines) {
      const a = seg.cut(l), b = peerCut(l, false);
      if (a.length === b.length && a.every((w, i) => w === b[i])) same++;
      else if (diffs.length < 10) diffs.push({ line: l, ours: a.join('|'), jieba: b.join('|') });
    }
  } finally {
    seg.dispose();
  }
  const rate = same / lines.length;
  console.log(`# jieba-wasm agreement: ${same}/${lines.length} lines = ${(100 * rate).toFixed(3)}%`, diffs);
  assert.ok(rate >= 0.995, `agreement ${rate}`);
});

test('fortunes-zh: identical to Python jieba 0.42.1 (Debian python3-jieba) on every line', (t) => {
  let ok = false;
  try { execFileSync('/usr/bin/python3', ['-c', 'import jieba']); ok = true; } catch { /* not installed */ }
  if (!ok) { t.skip('python3-jieba is not installed'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'wobert-'));
  const lines = fortunesZh();
  writeFileSync(join(dir, 'dict.txt'), dict);
  writeFileSync(join(dir, 'corpus.txt'), lines.join('\n') + '\n');
  const py = [
    'import sys, json, logging, jieba',
    'jieba.setLogLevel(logging.ERROR)',
    't = jieba.Tokenizer(dictionary=sys.argv[1]); t.tmp_dir = sys.argv[3]',
    'lines = open(sys.argv[2], encoding="utf-8", newline="\\n").read().split("\\n")[:-1]',
    'json.dump([t.lcut(l, HMM=False) for l in lines], sys.stdout, ensure_ascii=False)',
  ].join('\n');
  const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, join(dir, 'dict.txt'), join(dir, 'corpus.txt'), dir],
    { maxBuffer: 1 << 28, encoding: 'utf8' }));
  assert.equal(ref.length, lines.length);
  const seg = new pw.JiebaSegmenter(dict);
  let same = 0;
  try {
    lines.forEach((l, i) => { if (seg.cut(l).join('\u0001') === ref[i].join('\u0001')) same++; });
  } finally {
    seg.dispose();
  }
  console.log(`# Python jieba agreement: ${same}/${lines.length}`);
  assert.equal(same, lines.length);
});

test('the 20,000 added words are those of WoBERT train.py over Python jieba\'s FREQ (sorted by -freq, stable)', (t) => {
  let ok = false;
  try { execFileSync('/usr/bin/python3', ['-c', 'import jieba']); ok = true; } catch { /* not installed */ }
  if (!ok) { t.skip('python3-jieba is not installed'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'wobert-'));
  writeFileSync(join(dir, 'dict.txt'), dict);
  const py = [
    'import sys, json, logging, jieba',
    'jieba.setLogLevel(logging.ERROR)',
    't = jieba.Tokenizer(dictionary=sys.argv[1]); t.tmp_dir = sys.argv[2]; t.initialize()',
    'json.dump([k for k, v in sorted(t.FREQ.items(), key=lambda s: -s[1])[:40000]], sys.stdout, ensure_ascii=False)',
  ].join('\n');
  const ranked = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, join(dir, 'dict.txt'), dir], { maxBuffer: 1 << 26, encoding: 'utf8' }));
  const tok = new pw.WobertTokenizer(dict);
  try {
    const vocab = tok.vocab();
    const base = new Set(vocab.slice(0, tok.baseVocabSize));
    const expected = ranked.filter((w) => !base.has(w)).slice(0, 20000);
    assert.equal(expected.length, 20000);
    assert.deepEqual(vocab.slice(tok.baseVocabSize), expected);
  } finally {
    tok.dispose();
  }
});

test('tokens per character on fortunes-zh: WoBERT (20k words) is shorter than character BERT', () => {
  const tok = new pw.WobertTokenizer(dict);
  try {
    assert.equal(tok.vocabSize, tok.baseVocabSize + 20000);
    // "Chinese lines": at least half of the code points are Han. The rest of the corpus includes box
    // drawings, where jieba emits one [UNK] per character and BERT one [UNK] per run (bert4keras' rules).
    const han = (l) => (l.match(/\p{Script=Han}/gu)?.length ?? 0) >= [...l].length / 2;
    const sums = { all: [0, 0, 0], chinese: [0, 0, 0] };
    for (const l of fortunesZh()) {
      const c = tok.compare(l);
      for (const k of han(l) ? ['all', 'chinese'] : ['all']) {
        sums[k][0] += c.codePoints; sums[k][1] += c.charTokens; sums[k][2] += c.wobertTokens;
      }
    }
    for (const [k, [cp, ct, wt]] of Object.entries(sums)) {
      console.log(`# ${k} lines, ${cp} characters: BERT ${ct} tokens (${(ct / cp).toFixed(4)}/char), WoBERT ${wt} (${(wt / cp).toFixed(4)}/char), WoBERT/BERT ${(wt / ct).toFixed(4)}`);
    }
    const [cp, ct, wt] = sums.chinese;
    assert.ok(cp > 300000, `${cp} Chinese characters`);
    const r = wt / ct;
    assert.ok(r > 0.5 && r < 0.95, `ratio ${r}`);
    // the post's speed-ups (1.16/1.22/1.28 at 128/256/512) against the FLOP model at this ratio
    const model = [128, 256, 512].map((L) => pw.wobertSpeedup(L, r));
    const fit = pw.wobertFitSpeedup([128, 256, 512], [1.16, 1.22, 1.28]);
    console.log(`# FLOP model (d=768, a=24, b=4) at r=${r.toFixed(4)}: ${model.map((s) => s.toFixed(3)).join(' / ')}; post 1.16 / 1.22 / 1.28; best fit of the model to the post: r=${fit.ratio.toFixed(3)} κ=${fit.kappa.toExponential(3)} (b/a = ${(fit.kappa * 768).toFixed(2)} at d=768) rms=${fit.rms.toFixed(4)}`);
    assert.ok(model[0] < model[1] && model[1] < model[2]);
    assert.ok(model[0] > 1);
  } finally {
    tok.dispose();
  }
});

test('WoBERT encodes whole words, characters and WordPiece with UTF-16 offsets', () => {
  const tok = new pw.WobertTokenizer(dict);
  try {
    const text = '中华人民共和国成立了！Hello 😀';
    const e = tok.encode(text);
    assert.equal(e.tokens[0], '[CLS]');
    assert.equal(e.tokens.at(-1), '[SEP]');
    assert.equal(e.ids[0], 2);
    assert.equal(e.ids.at(-1), 3);
    assert.deepEqual(tok.cut(text), ['中华人民共和国', '成立', '了', '！', 'Hello', ' ', '😀']);
    // every non-special token covers its own text (lower-cased; ## pieces without the ##)
    for (let i = 1; i + 1 < e.ids.length; i++) {
      const src = text.slice(e.start[i], e.end[i]).toLowerCase();
      if (e.kinds[i] === 'unknown') assert.equal(e.tokens[i], text.slice(e.start[i], e.end[i]));
      else assert.equal(e.tokens[i].replace(/^##/, ''), src);
    }
    assert.equal(e.tokens[1], '中华人民共和国');
    assert.equal(e.kinds[1], 'word');
    assert.equal(e.tokens.at(-2), '😀');
    assert.equal(e.kinds.at(-2), 'unknown');
    assert.equal(e.ids.at(-2), 1);
    const c = tok.encode(text, { pretokenize: false });
    assert.deepEqual(c.tokens.slice(1, 8), ['中', '华', '人', '民', '共', '和', '国']);
    assert.ok(e.ids.length < c.ids.length);
    assert.equal(tok.vocab()[e.ids[1]], '中华人民共和国');
  } finally {
    tok.dispose();
  }
});

test('bad input: empty, non-Chinese, astral, unpaired surrogates, 10^6 characters', () => {
  const seg = new pw.JiebaSegmenter(dict);
  const tok = new pw.WobertTokenizer(dict, { words: 20000 });
  try {
    assert.deepEqual(seg.cut(''), []);
    assert.deepEqual(tok.encode('').tokens, ['[CLS]', '[SEP]']);
    assert.deepEqual(seg.cut('Hello, world 123!'), ['Hello', ',', ' ', 'world', ' ', '123', '!']);
    assert.deepEqual(seg.cut('👍🏽𠀀'), ['👍', '🏽', '𠀀']);
    const lone = 'a\uD800中国\uDC00';
    assert.deepEqual(seg.cut(lone), ['a', '\uD800', '中国', '\uDC00']);
    const e = tok.encode(lone);
    assert.deepEqual(e.kinds, ['special', 'character', 'unknown', 'word', 'unknown', 'special']);
    const big = '我们中出了一个叛徒。Hello 😀\r\n'.repeat(Math.ceil(1e6 / 22)).slice(0, 1e6);
    const words = seg.cut(big);
    assert.equal(words.join(''), big);
    const enc = tok.encode(big);
    assert.ok(enc.ids.length <= big.length + 2);
    for (let i = 1; i < enc.ids.length; i++) assert.ok(enc.start[i] >= enc.end[i - 1]);
  } finally {
    seg.dispose();
    tok.dispose();
  }
});

test('errors name the function, the parameter and the value; the module keeps working', () => {
  assert.throws(() => new pw.JiebaSegmenter('中华 x\n'), { name: 'RangeError', message: /JiebaSegmenter: dictionary line 1 must have a frequency/ });
  assert.throws(() => new pw.JiebaSegmenter(''), { name: 'RangeError', message: /JiebaSegmenter: dictionary must have a positive total frequency, got 0/ });
  assert.throws(() => new pw.JiebaSegmenter(42), { name: 'TypeError', message: /JiebaSegmenter: dictionary must be a string/ });
  assert.throws(() => new pw.JiebaSegmenter(new Uint8Array([0xff, 0x20, 0x31])), { name: 'RangeError', message: /valid UTF-8/ });
  assert.throws(() => new pw.WobertTokenizer('中华 3\n', { words: -1 }), { name: 'RangeError', message: /words must be an integer/ });
  assert.throws(() => pw.wobertSpeedup(0, 0.8), { name: 'RangeError', message: 'wobertSpeedup: length must be finite and > 0, got 0' });
  const seg = new pw.JiebaSegmenter('中华 3\n人民 4\n');
  try {
    assert.throws(() => seg.cut(null), { name: 'TypeError', message: 'JiebaSegmenter.cut: text must be a string, got null' });
    assert.deepEqual(seg.cut('中华人民'), ['中华', '人民']);
  } finally {
    seg.dispose();
  }
  assert.equal(pw.wobertSpeedup(512, 1), 1);
});

// Runs last: it adds words to jieba-wasm's (global) dictionary.
test('where jieba-rs differs from Python jieba, we follow Python (explains any corpus difference)', () => {
  // jieba-rs extends re_han to CJK Extension A/B…, U+9FD6–U+9FFF and compatibility ideographs; Python
  // jieba 0.42.1 (and we) use [\u4E00-\u9FD5], so such characters are cut one by one even when a
  // dictionary word joins them (checked with python3-jieba: ['㐀', '㐁', '和', '鿖', '鿗']).
  const extra = '㐀㐁 100 n\n鿖鿗 100 n\n';
  peerWithDict(extra);
  const seg = new pw.JiebaSegmenter(dict + extra);
  try {
    assert.deepEqual(peerCut('㐀㐁和鿖鿗', false), ['㐀㐁', '和', '鿖鿗']);
    assert.deepEqual(seg.cut('㐀㐁和鿖鿗'), ['㐀', '㐁', '和', '鿖', '鿗']);
    // wasm-bindgen passes strings as UTF-8, so the peer sees U+FFFD for an unpaired surrogate; we keep it
    assert.deepEqual(peerCut('a\uD800b', false), ['a', '\uFFFD', 'b']);
    assert.deepEqual(seg.cut('a\uD800b'), ['a', '\uD800', 'b']);
  } finally {
    seg.dispose();
  }
  // fortunes-zh contains no character of those ranges next to a dictionary word: 0 differences
  const ext = /[\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF]|[\u{20000}-\u{2FA1F}]/u;
  const lines = fortunesZh().filter((l) => ext.test(l));
  console.log(`# corpus lines with characters only jieba-rs treats as Han: ${lines.length}`);
});

test('wobertSpeedup never overflows inside (issue 12: NaN at L = 1e308) and stays between the linear and quadratic limits', () => {
  const r = 0.7;
  const s = pw.wobertSpeedup(1e308, r);
  assert.ok(Number.isFinite(s) && s > 1 / r && s <= 1 / (r * r) * (1 + 4 * Number.EPSILON), String(s));
  assert.ok(Math.abs(s - 1 / (r * r)) <= 4 * Number.EPSILON / (r * r));  // a·d/(b·L) ~ 1e-303: the quadratic limit
  assert.throws(() => pw.transformerCost(1e308), { name: 'RangeError', message: /^transformerCost: a·L·d² \+ b·L²·d must be at most 1.8e308/ });
  assert.throws(() => pw.wobertSpeedup(128, 0.7, { D: 768 }), { name: 'TypeError', message: 'wobertSpeedup: unknown options key "D"; allowed: d, a, b' });
});

