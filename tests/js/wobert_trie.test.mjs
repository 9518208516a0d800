// wobert, issue 11.5: the compiled jieba dictionary (dist/assets/wobert/jieba-dict.pwjt.gz, built at build time by the
// wasm module from the same dict.txt) against the text route. Both routes must segment every sentence of the
// corpus identically, line by line and as one text, through cut and boundaries; the packaged binary must be
// exactly what the text route compiles; a truncated or corrupt binary must be a named RangeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync, gunzipSync } from 'node:zlib';
import { load } from 'probwasm';
import { fortunesZh } from '../support/fortunes.mjs';

const pw = await load();
const dict = await pw.loadJiebaDictionary();


const sameInt32 = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

test('the packaged compiled dictionary is byte for byte what the text route compiles, and holds the same words', async () => {
  const text = new pw.JiebaSegmenter(dict);
  const bin = await pw.loadJiebaSegmenter();
  try {
    const packaged = new Uint8Array(gunzipSync(readFileSync(new URL('assets/wobert/jieba-dict.pwjt.gz', import.meta.resolve('probwasm')))));
    const compiled = text.toBinary();
    assert.equal(compiled.length, packaged.length);
    assert.ok(Buffer.from(compiled).equals(Buffer.from(packaged)), 'the compiled bytes differ from the packaged asset');
    assert.ok(Buffer.from(bin.toBinary()).equals(Buffer.from(packaged)));
    assert.equal(new TextDecoder().decode(packaged.subarray(0, 4)), 'PWJT');
    assert.equal(bin.words, 349045);
    assert.equal(bin.total, 60101964);
    // the whole segmenter is the blob plus two small tables (root children, one weight per distinct frequency)
    assert.equal(bin.memoryBytes, text.memoryBytes);
    assert.ok(bin.memoryBytes >= packaged.length && bin.memoryBytes < packaged.length + (1 << 18), String(bin.memoryBytes));
    console.log(`# compiled dictionary ${packaged.length} bytes; segmenter memory ${bin.memoryBytes} bytes`);
  } finally {
    text.dispose();
    bin.dispose();
  }
});

test('fortunes-zh: the compiled and the text dictionary segment every line identically (cut and boundaries, per line and whole)', async () => {
  const lines = fortunesZh();
  assert.ok(lines.length > 30000, `corpus has ${lines.length} lines`);
  const text = new pw.JiebaSegmenter(dict);
  const bin = await pw.loadJiebaSegmenter();
  const copy = pw.JiebaSegmenter.fromBinary(text.toBinary().buffer);  // an ArrayBuffer works too
  let words = 0;
  try {
    for (const l of lines) {
      const a = text.cut(l);
      assert.deepEqual(bin.cut(l), a, l);
      assert.deepEqual(copy.cut(l), a, l);
      const b = text.boundaries(l);
      assert.ok(sameInt32(bin.boundaries(l), b), l);
      assert.equal(b.length, a.length + 1);
      words += a.length;
    }
    const whole = lines.join('\n');
    assert.ok(sameInt32(bin.boundaries(whole), text.boundaries(whole)));
    assert.deepEqual(bin.cut(whole), text.cut(whole));
    // special text: astral, unpaired surrogates, CRLF, ASCII runs
    for (const s of ['', '👍🏽𠀀中国', 'a\uD800中国\uDC00', 'Hello, world 123!\r\n中华人民共和国成立了', '3.14%的人 C++ T恤']) {
      assert.deepEqual(bin.cut(s), text.cut(s), s);
    }
  } finally {
    text.dispose();
    bin.dispose();
    copy.dispose();
  }
  console.log(`# ${lines.length} lines, ${words} words: identical`);
});

test('a user dictionary round-trips through toBinary/fromBinary with the same words and cuts', () => {
  // duplicates (last frequency wins), a frequency-0 word, an astral word, ASCII words
  const user = '中华 3\n中华 5 n\n中华人民 2\n人 0\n人民 9\n𠀀𠀁 4\nab 2\nabc 1\n';
  const a = new pw.JiebaSegmenter(user);
  const b = pw.JiebaSegmenter.fromBinary(a.toBinary());
  try {
    assert.equal(b.words, a.words);
    assert.equal(b.total, 19 + 4 + 3);
    for (const s of ['中华人民', '人人民', '𠀀𠀁中华', 'abcab 中华人']) assert.deepEqual(b.cut(s), a.cut(s), s);
    assert.ok(Buffer.from(b.toBinary()).equals(Buffer.from(a.toBinary())));
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('a truncated, padded or corrupt compiled dictionary is a named RangeError; the module keeps working', () => {
  const seg = new pw.JiebaSegmenter('中国 100 ns\n人 50 n\n中国人 30 n\n');
  const good = seg.toBinary();
  seg.dispose();
  for (let n = 0; n < good.length; n++) {
    assert.throws(() => pw.JiebaSegmenter.fromBinary(good.subarray(0, n)), { name: 'RangeError', message: /^JiebaSegmenter\.fromBinary: compiled dictionary/ }, `length ${n}`);
  }
  const padded = new Uint8Array(good.length + 8);
  padded.set(good);
  assert.throws(() => pw.JiebaSegmenter.fromBinary(padded), { name: 'RangeError', message: /size must match its header/ });
  const flip = (at, v) => { const b = good.slice(); b[at] = v; return b; };
  assert.throws(() => pw.JiebaSegmenter.fromBinary(flip(0, 0x51)), { name: 'RangeError', message: /must start with "PWJT"/ });
  assert.throws(() => pw.JiebaSegmenter.fromBinary(flip(4, 2)), { name: 'RangeError', message: /version must be 1, got 2/ });
  assert.throws(() => pw.JiebaSegmenter.fromBinary(flip(68, 0xff)), { name: 'RangeError', message: /first\[/ });
  assert.throws(() => pw.JiebaSegmenter.fromBinary(new TextEncoder().encode('中国 100 ns\n')), { name: 'RangeError' });
  assert.throws(() => pw.JiebaSegmenter.fromBinary('PWJT'), { name: 'TypeError', message: /bytes must be a Uint8Array or ArrayBuffer, got/ });
  assert.throws(() => pw.JiebaSegmenter.fromBinary(new Int32Array(16)), { name: 'TypeError' });
  const detached = good.slice();
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  assert.throws(() => pw.JiebaSegmenter.fromBinary(detached), { name: 'TypeError', message: /detached/ });
  const again = pw.JiebaSegmenter.fromBinary(good);
  try {
    assert.deepEqual(again.cut('我是中国人'), ['我', '是', '中国人']);
  } finally {
    again.dispose();
  }
});

test('loadJiebaSegmenter takes a raw or gzipped file; a truncated, padded or corrupt one, a text asset or a non-URL is rejected by name', async () => {
  const seg = new pw.JiebaSegmenter('中国 100 ns\n人 50 n\n中国人 30 n\n我 8\n');
  const good = seg.toBinary();
  seg.dispose();
  const dir = mkdtempSync(join(tmpdir(), 'pwjt-'));
  const file = (name, bytes) => { writeFileSync(join(dir, name), bytes); return pathToFileURL(join(dir, name)); };
  for (const url of [file('raw.pwjt', good), file('gz.pwjt.gz', gzipSync(good)), join(dir, 'gz.pwjt.gz')]) {
    const s = await pw.loadJiebaSegmenter(url);
    try {
      assert.deepEqual(s.cut('我是中国人'), ['我', '是', '中国人']);
      assert.ok(Buffer.from(s.toBinary()).equals(Buffer.from(good)));
    } finally {
      s.dispose();
    }
  }
  const longer = new Uint8Array(good.length + 16);
  longer.set(good);
  const cases = [
    ['gzip of a truncated blob', gzipSync(good.subarray(0, good.length - 8)), /^loadJiebaSegmenter: compiled dictionary size must match its header/],
    ['gzip of a padded blob', gzipSync(longer), /^loadJiebaSegmenter: compiled dictionary size must match its header/],
    ['truncated gzip', gzipSync(good).subarray(0, 40), /^loadJiebaSegmenter: /],
    ['corrupt gzip', (() => { const g = gzipSync(good); g[20] ^= 0xff; g[21] ^= 0xff; return g; })(), /^loadJiebaSegmenter: /],
    ['gzip of 10 bytes', gzipSync(good.subarray(0, 10)), /^loadJiebaSegmenter: compiled dictionary must be at least 64 bytes/],
    ['gzip of text', gzipSync(Buffer.from('中国 100 ns\n'.repeat(20))), /^loadJiebaSegmenter: compiled dictionary must start with "PWJT"/],
  ];
  for (const [what, bytes, message] of cases) {
    await assert.rejects(pw.loadJiebaSegmenter(file('bad.gz', bytes)), { name: 'RangeError', message }, what);
  }
  const text = new URL('assets/wobert/jieba-dict.txt.gz', import.meta.resolve('probwasm'));
  await assert.rejects(pw.loadJiebaSegmenter(text), { name: 'RangeError', message: /^loadJiebaSegmenter: compiled dictionary must start with "PWJT"/ });
  await assert.rejects(pw.loadJiebaSegmenter(42), { name: 'TypeError', message: 'loadJiebaSegmenter: url must be a string or a URL, got 42' });
  // the module keeps working
  const again = pw.JiebaSegmenter.fromBinary(good);
  assert.deepEqual(again.cut('中国人'), ['中国人']);
  again.dispose();
});
