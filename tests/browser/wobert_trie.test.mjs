// wobert, issue 11.5, in Chromium: loadJiebaSegmenter() fetches the gzipped compiled dictionary and gunzips it with
// DecompressionStream chunk by chunk into wasm memory (the browser path; Node uses its zlib). The segmenter must cut
// every fortunes-zh line exactly like the text route, and broken files must be named RangeErrors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './harness.mjs';
import { fortunesZh } from '../support/fortunes.mjs';


test('Chromium: the gzipped compiled dictionary segments every fortunes-zh line like the text route; broken files are RangeErrors', async () => {
  const lines = fortunesZh();
  const { page, problems, close } = await openPage('/tests/browser/pages/blank.html');
  try {
    const r = await page.evaluate(async (lines) => {
      const { load } = await import('/dist/index.js');
      const pw = await load({ topics: ['wobert'] });
      const bin = await pw.loadJiebaSegmenter();
      const text = new pw.JiebaSegmenter(await pw.loadJiebaDictionary());
      let same = 0, words = 0;
      const diffs = [];
      for (const l of lines) {
        const a = text.cut(l), b = bin.cut(l);
        const bb = bin.boundaries(l), tb = text.boundaries(l);
        if (a.join('\u0001') === b.join('\u0001') && bb.join() === tb.join()) same++;
        else if (diffs.length < 5) diffs.push(l);
        words += a.length;
      }
      const whole = lines.join('\n');
      const wholeSame = bin.boundaries(whole).join() === text.boundaries(whole).join();
      const out = { same, words, diffs, wholeSame, size: bin.toBinary().length, memory: bin.memoryBytes, equalBytes: bin.toBinary().join() === text.toBinary().join() };
      // broken gzip files (made in the page from the good blob)
      const good = text.toBinary();
      bin.dispose();
      text.dispose();
      const gz = async (u8) => new Uint8Array(await new Response(new Blob([u8]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
      const url = (u8) => URL.createObjectURL(new Blob([u8]));
      const padded = new Uint8Array(good.length + 3);
      padded.set(good);
      const full = await gz(good);
      const corrupt = full.slice();
      for (let i = 100; i < 120; i++) corrupt[i] ^= 0xff;
      out.errors = [];
      for (const u8 of [await gz(good.subarray(0, good.length - 8)), await gz(padded), full.subarray(0, full.length >> 1), corrupt, await gz(new TextEncoder().encode('中国 3\n'.repeat(30)))]) {
        try {
          (await pw.loadJiebaSegmenter(url(u8))).dispose();
          out.errors.push('accepted');
        } catch (e) {
          out.errors.push(`${e.name}: ${e.message}`);
        }
      }
      const again = await pw.loadJiebaSegmenter(url(full));
      out.again = again.cut('我是中国人').join('|');
      again.dispose();
      return out;
    }, lines);
    assert.deepEqual(r.diffs, []);
    assert.equal(r.same, lines.length);
    assert.ok(r.wholeSame);
    assert.ok(r.equalBytes);
    assert.equal(r.size, 5421872);
    assert.ok(r.memory >= r.size && r.memory < r.size + (1 << 18));
    assert.match(r.errors[0], /^RangeError: loadJiebaSegmenter: compiled dictionary size must match its header/);
    assert.match(r.errors[1], /^RangeError: loadJiebaSegmenter: compiled dictionary size must match its header/);
    assert.match(r.errors[2], /^RangeError: loadJiebaSegmenter: /);
    assert.match(r.errors[3], /^RangeError: loadJiebaSegmenter: /);
    assert.match(r.errors[4], /^RangeError: loadJiebaSegmenter: compiled dictionary must start with "PWJT"/);
    assert.equal(r.again, '我|是|中国|人');  // jieba's own answer with its full dictionary
    assert.deepEqual(problems, []);
    console.log(`# Chromium: ${r.same}/${lines.length} lines (${r.words} words) identical; ${r.size} bytes, segmenter memory ${r.memory}`);
  } finally {
    await close();
  }
});
