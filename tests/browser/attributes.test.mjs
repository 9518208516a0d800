// Live attributes: the documented attributes, `lang` and `theme` take effect after the widget has started and
// fire a `change` event; `el.lang = …` works in strict mode (the standard property is left alone); the
// figures are redrawn with the new colours when the theme attribute or the reader's colour scheme changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget } from './harness.mjs';

const DARK_FG = '#e4e8ef', LIGHT_FG = '#1d2430';

/** Sets an attribute (or `lang` through the property, in strict mode) and resolves with the change event's detail. */
function change(w, name, value) {
  return w.evaluate((el, [n, v]) => new Promise((resolve, reject) => {
    'use strict';
    el.addEventListener('change', (e) => resolve({ ...e.detail, lang: el.lang }), { once: true });
    try {
      if (n === 'lang') el.lang = v; else el.setAttribute(n, v);
    } catch (err) { reject(err); }
    setTimeout(() => reject(new Error(`no change event for ${n}`)), 5000);
  }), [name, value]);
}

test('<pw-softmax>, <pw-sector>, <pw-mixers>, <pw-wobert>: later attribute and lang changes take effect and fire change', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    // softmax: logits, then lang through the property
    let w = await readyWidget(page, 'pw-softmax');
    assert.deepEqual(await change(w, 'logits', '3 1 0'), { attribute: 'logits', value: '3 1 0', lang: '' });
    assert.equal(await w.locator('#logits').inputValue(), '3 1 0');
    assert.equal((await w.locator('#table tr[data-map="sparsemax"] td').allTextContents()).length, 3);
    assert.deepEqual(await change(w, 'lang', 'zh'), { attribute: 'lang', value: 'zh', lang: 'zh' });
    assert.match(await w.locator('#shift').textContent(), /整体/);
    assert.equal(await w.locator('#logits').inputValue(), '3 1 0', 'a new language keeps the logits');

    // sector: n and θ, and lang keeps them
    w = await readyWidget(page, 'pw-sector');
    await change(w, 'n', '7');
    assert.equal(await w.locator('#n').inputValue(), '7');
    await change(w, 'theta-deg', '270');
    assert.match(await w.locator('#p').textContent(), /^0\.92626953125/);  // P_7(3π/2), POSTS §5.4
    await change(w, 'lang', 'zh');
    assert.match(await w.locator('#resample').textContent(), /重新采样/);
    assert.equal(await w.locator('#n').inputValue(), '7');

    // mixers: n
    w = await readyWidget(page, 'pw-mixers');
    await change(w, 'n', '16');
    assert.equal(await w.locator('#n').inputValue(), '16');
    assert.match(await w.locator('.card[data-kind="attention"] .mixcap').textContent(), /16×16/);
    await change(w, 'lang', 'zh');
    assert.match(await w.locator('legend').first().textContent(), /混合器/);

    // wobert: text
    w = await readyWidget(page, 'pw-wobert');
    await page.waitForSelector('pw-wobert[data-done]', { timeout: 30000 });
    await change(w, 'text', '今天天气很好');
    assert.equal(await w.locator('#text').inputValue(), '今天天气很好');
    await change(w, 'lang', 'zh');
    assert.match(await w.locator('label[for="text"]').textContent(), /中文文本/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

/** The text colour each plotted canvas of a widget was last drawn with, and how often it was drawn. */
function plotColours(tag) {
  const el = document.querySelector(tag);
  return [...el.shadowRoot.querySelectorAll('canvas')].filter((c) => c.pwPlot?.hasData && c.clientWidth > 0)
    .map((c) => ({ id: c.id || c.className, fg: c.pwPlot.fg, draws: c.pwPlot.draws }));
}

test('figures are redrawn on a theme attribute and on a colour-scheme change after load', async () => {
  const { page, problems, close } = await openPage('/web/index.html', { colorScheme: 'light' });
  try {
    const tags = ['pw-softmax', 'pw-sector', 'pw-flatnce', 'pw-attention', 'pw-lora', 'pw-mixers', 'pw-wobert'];
    for (const tag of tags) {
      await readyWidget(page, tag);
      if (tag === 'pw-wobert') await page.waitForSelector('pw-wobert[data-done]', { timeout: 30000 });
    }
    await page.waitForTimeout(1500);
    for (const tag of tags) {
      const cs = await page.evaluate(plotColours, tag);
      assert.ok(cs.every((c) => c.fg === LIGHT_FG), `${tag} light: ${JSON.stringify(cs)}`);
    }
    // memory pressure first (garbage collection must not drop the widgets' colour-scheme listener)
    await page.evaluate(() => { let keep = 0; for (let i = 0; i < 400; i++) keep += new Array(1e5).fill(i).length; return keep; });
    await page.requestGC?.();
    // the reader switches to dark mode: every plotted canvas is drawn again with the dark text colour
    await page.emulateMedia({ colorScheme: 'dark' });
    // (a busy machine may take a while to repaint every figure: wait for them, up to 10 s)
    await page.waitForFunction(([ts, fg]) => ts.every((t) => [...document.querySelector(t).shadowRoot.querySelectorAll('canvas')]
      .every((c) => !c.pwPlot?.hasData || !c.clientWidth || c.pwPlot.fg === fg)), [tags, DARK_FG], { timeout: 10000 }).catch(() => {});
    for (const tag of tags) {
      const cs = await page.evaluate(plotColours, tag);
      assert.ok(cs.length > 0, `${tag} has plots`);
      assert.ok(cs.every((c) => c.fg === DARK_FG), `${tag} after the scheme change: ${JSON.stringify(cs)}`);
    }
    // theme="light" on one widget overrides the scheme for that widget only
    const w = page.locator('pw-sector');
    assert.equal((await change(w, 'theme', 'light')).attribute, 'theme');
    assert.ok((await page.evaluate(plotColours, 'pw-sector')).every((c) => c.fg === LIGHT_FG));
    assert.ok((await page.evaluate(plotColours, 'pw-softmax')).every((c) => c.fg === DARK_FG));
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('every widget keeps the standard lang property (strict-mode assignment works, before and after start)', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const tags = ['pw-softmax', 'pw-sector', 'pw-ddim', 'pw-images', 'pw-flatnce', 'pw-attention', 'pw-lora', 'pw-mixers', 'pw-wobert'];
    const set = () => page.evaluate((ts) => ts.map((t) => {
      'use strict';
      const el = document.querySelector(t);
      el.lang = 'zh-CN';
      const ok = el.lang === 'zh-CN' && el.getAttribute('lang') === 'zh-CN';
      el.lang = '';
      return ok ? null : t;
    }).filter(Boolean), tags);
    assert.deepEqual(await set(), []);  // far below the fold: not started yet
    for (const t of tags) await readyWidget(page, t);
    assert.deepEqual(await set(), []);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('figures are redrawn at the new width when the widget is resized', async () => {
  const { page, problems, close } = await openPage('/web/index.html', { viewport: { width: 1280, height: 900 } });
  try {
    const w = await readyWidget(page, 'pw-sector');
    await page.waitForSelector('pw-sector[data-mc="done"]', { timeout: 30000 });
    const widths = () => w.evaluate((el) => [...el.shadowRoot.querySelectorAll('canvas')].filter((c) => c.pwPlot)
      .map((c) => ({ id: c.id, drawn: c.pwPlot.frame.w, now: c.clientWidth })));
    const before = await widths();
    await page.setViewportSize({ width: 600, height: 900 });
    await page.waitForTimeout(400);
    const after = await widths();
    assert.ok(after.every((c, i) => c.now !== before[i].now), 'the canvases changed width');
    for (const c of after) assert.equal(c.drawn, c.now, `${c.id} drawn at ${c.drawn} px in ${c.now} px`);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
