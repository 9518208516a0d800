import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts } from './harness.mjs';

const done = (w) => w.evaluate((el) => Number(el.getAttribute('data-done') ?? 0));

test('<pw-wobert> loads the dictionary lazily, tokenizes typed text, and logs no errors', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-wobert');
    await page.waitForFunction(() => Number(document.querySelector('pw-wobert').getAttribute('data-done') ?? 0) >= 1, null, { timeout: 60000 });
    // the default text: 73 characters; BERT has one token per character here, WoBERT fewer
    const text = '中华人民共和国成立了';
    const n0 = await done(w);
    await w.locator('#text').fill(text);
    await page.waitForFunction((n) => Number(document.querySelector('pw-wobert').getAttribute('data-done')) > n, n0, { timeout: 30000 });
    const stat = async (i) => (await w.locator(`[data-stat="${i}"]`).textContent()).trim();
    assert.equal(await stat(0), '10');
    assert.equal(await stat(1), '10 / 3');  // 中华人民共和国 | 成立 | 了
    assert.equal(await stat(3), (5 / 12).toFixed(4));
    const chips = await w.locator('#wobert .tok b').allTextContents();
    assert.deepEqual(chips, ['[CLS]', '中华人民共和国', '成立', '了', '[SEP]']);
    const chars = await w.locator('#chars .tok b').allTextContents();
    assert.equal(chars.length, 12);
    assert.equal(await w.locator('#wobert .tok.k-word').count(), 2);
    const speed = Number((await stat(4)).replace('×', ''));
    assert.ok(speed > 2.3 && speed < 2.5, `speed-up ${speed}`);  // (a·d+b·12)/(r(a·d+b·r·12)), r = 5/12
    // vocabulary size control: with no dictionary words WoBERT degenerates to characters
    const n1 = await done(w);
    await w.locator('#words').selectOption('0');
    await page.waitForFunction((n) => Number(document.querySelector('pw-wobert').getAttribute('data-done')) > n, n1, { timeout: 60000 });
    assert.equal(await stat(1), '10 / 10');
    await w.locator('#words').selectOption('20000');
    await page.waitForFunction((n) => Number(document.querySelector('pw-wobert').getAttribute('data-done')) > n + 1, n1, { timeout: 60000 });
    await w.locator('#text').fill('提速不掉点：基于词颗粒度的中文WoBERT。当前，大部分中文预训练模型都是以字为基本单位的，也就是说中文语句会被拆分为一个个字。以词为单位的模型，序列更短，因此速度更快。😀');
    const n2 = await done(w);
    await page.waitForFunction((n) => Number(document.querySelector('pw-wobert').getAttribute('data-done')) > n, n2, { timeout: 30000 });
    await w.screenshot({ path: `${artifacts}/wobert.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
