// The page as a reader meets it: one section per post, widgets that wait for the viewport, each topic's
// module fetched once and shared, dark theme and Chinese UI text, no console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, artifacts } from './harness.mjs';

test('the home page has a section per post, each with its Chinese and English title and a link to the post', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const sections = await page.$$eval('main > section', (ss) => ss.map((s) => ({
      id: s.id, title: s.querySelector('h2')?.textContent ?? '', link: s.querySelector('a[href*="kexue.fm/archives/"]')?.href ?? '',
      widget: !!s.querySelector('*:is(pw-softmax, pw-sector, pw-ddim, pw-flatnce, pw-attention, pw-lora, pw-mixers, pw-wobert)'),
      pending: !!s.querySelector('.pending'),
    })));
    assert.deepEqual(sections.map((s) => s.id), ['softmax', 'sector', 'diffusion', 'contrastive', 'attention', 'lora', 'mixers', 'wobert']);
    for (const s of sections) {
      assert.match(s.title, /[\u4e00-\u9fff]/, `${s.id}: Chinese title`);
      assert.match(s.title, /[a-z]{3}/i, `${s.id}: English title`);
      assert.match(s.link, /^https:\/\/kexue\.fm\/archives\/\d+$/, `${s.id}: link`);
      assert.ok(s.widget !== s.pending, `${s.id}: either a widget or a plain 'does not exist yet' note`);
    }
    assert.deepEqual(problems, []);
  } finally { await close(); }
});

test('widgets show a fallback until they near the viewport, then load only their topic’s module, once', async () => {
  const { page, problems, close } = await openPage('/web/index.html', { viewport: { width: 900, height: 700 } });
  const wasmFetches = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmFetches.push(new URL(r.url()).pathname.split('/').pop()); });
  try {
    const widgets = await page.$$eval('main [data-topic] > *', (els) => els.filter((e) => e.tagName.startsWith('PW-'))
      .map((e) => ({ tag: e.tagName.toLowerCase(), topic: e.parentElement.dataset.topic })));
    assert.ok(widgets.length >= 1);
    const last = widgets[widgets.length - 1].tag;
    if (widgets.length > 1) {
      await page.waitForTimeout(500);
      assert.equal(await page.getAttribute(last, 'data-state'), null, `${last} far below the fold must not have started`);
      assert.match(await page.$eval(last, (e) => e.shadowRoot.textContent), /loads|加载/);
      assert.ok(!wasmFetches.includes(`${widgets[widgets.length - 1].topic}.wasm`), `${last}'s module fetched early: ${wasmFetches}`);
    }
    for (const { tag } of widgets) {
      await page.locator(tag).scrollIntoViewIfNeeded();
      await page.waitForSelector(`${tag}[data-state="ready"]`, { timeout: 30000 });
    }
    // Per topic: one instance on the main thread and at most one in the shared Worker; never the all-topics module.
    assert.ok(!wasmFetches.includes('probwasm.wasm'), `the all-topics module was fetched: ${wasmFetches}`);
    for (const { topic } of widgets) {
      const n = wasmFetches.filter((f) => f === `${topic}.wasm`).length;
      assert.ok(n >= 1 && n <= 2, `${topic}.wasm fetched ${n} times: ${wasmFetches.join(', ')}`);
    }
    assert.deepEqual(problems, []);
  } finally { await close(); }
});

test('dark colour scheme and lang="zh" restyle and translate the widgets', async () => {
  const { page, problems, close } = await openPage('/web/index.html', { colorScheme: 'dark' });
  try {
    // A widget added by a blog author with lang="zh", far below the fold: Chinese fallback text.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div style="height:3000px"></div><pw-softmax id="zh" lang="zh"></pw-softmax>'));
    assert.match(await page.$eval('#zh', (e) => e.shadowRoot.textContent), /[\u4e00-\u9fff]/);
    await page.locator('#zh').scrollIntoViewIfNeeded();
    await page.waitForSelector('#zh[data-state="ready"]');
    const w = page.locator('pw-softmax').first();
    await w.scrollIntoViewIfNeeded();
    await page.waitForSelector('pw-softmax[data-state="ready"]');
    const bg = await page.$eval('pw-softmax:not(#zh)', (e) => getComputedStyle(e).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `dark background expected, got ${bg}`);
    await w.screenshot({ path: `${artifacts}/softmax-dark.png` });
    assert.deepEqual(problems, []);
  } finally { await close(); }
});

test('every control in every widget is labelled, so it can be found and operated from the keyboard', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const widgets = await page.$$eval('main [data-topic] > *', (els) => els.filter((e) => e.tagName.startsWith('PW-')).map((e) => e.tagName.toLowerCase()));
    for (const w of widgets) {
      await page.locator(w).first().scrollIntoViewIfNeeded();
      await page.waitForSelector(`${w}[data-state="ready"]`, { timeout: 30000 });
      const unlabelled = await page.$eval(w, (el) => [...el.shadowRoot.querySelectorAll('input, select, button, textarea')]
        .filter((c) => c.type !== 'hidden')
        .filter((c) => !((c.labels && c.labels.length) || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby') ||
          (c.tagName === 'BUTTON' && c.textContent.trim())))
        .map((c) => c.outerHTML.slice(0, 80)));
      assert.deepEqual(unlabelled, [], `${w} has unlabelled controls`);
    }
    assert.deepEqual(problems, []);
  } finally { await close(); }
});
