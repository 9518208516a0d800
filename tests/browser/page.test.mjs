// The page as a reader meets it: one section per post, widgets that wait for the viewport, one shared wasm
// instance per page (a topic's own module when the page has one topic), dark theme and Chinese UI text,
// no console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, artifacts } from './harness.mjs';

test('the home page has a section per post, each with its Chinese and English title and a link to the post', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const sections = await page.$$eval('main > section', (ss) => ss.map((s) => ({
      id: s.id, title: s.querySelector('h2')?.textContent ?? '', link: s.querySelector('a[href*="kexue.fm/archives/"]')?.href ?? '',
      widget: !!s.querySelector('*:is(pw-softmax, pw-sector, pw-ddim, pw-images, pw-flatnce, pw-attention, pw-lora, pw-mixers, pw-wobert)'),
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

test('widgets show a fallback until they near the viewport; a page mixing topics loads the all-topics module once', async () => {
  const { page, problems, close } = await openPage('/web/index.html', { viewport: { width: 900, height: 700 } });
  const wasmFetches = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmFetches.push(new URL(r.url()).pathname.split('/').pop()); });
  try {
    const widgets = await page.$$eval('main [data-topic] > *', (els) => els.filter((e) => e.tagName.startsWith('PW-')).map((e) => e.tagName.toLowerCase()));
    assert.ok(widgets.length >= 1);
    const last = widgets[widgets.length - 1];
    if (widgets.length > 1) {
      await page.waitForTimeout(500);
      assert.equal(await page.getAttribute(last, 'data-state'), null, `${last} far below the fold must not have started`);
      assert.match(await page.$eval(last, (e) => e.shadowRoot.textContent), /loads|加载/);
    }
    for (const w of widgets) {
      await page.locator(w).scrollIntoViewIfNeeded();
      await page.waitForSelector(`${w}[data-state="ready"]`, { timeout: 30000 });
    }
    // one instance on the main thread, one in the shared Worker that every widget's heavy work goes to
    assert.ok(wasmFetches.length <= 2 && wasmFetches.every((f) => f === 'probwasm.wasm'), `wasm fetched: ${wasmFetches.join(', ')}`);
    assert.deepEqual(problems, []);
  } finally { await close(); }
});

test('a page whose widgets are all of one topic loads only that topic’s module, once', async () => {
  const { page, problems, close } = await openPage('/tests/browser/pages/one-topic.html');
  try {
    await page.waitForSelector('pw-softmax[data-state="ready"]');
    await page.locator('pw-softmax').nth(1).scrollIntoViewIfNeeded();
    await page.waitForFunction(() => [...document.querySelectorAll('pw-softmax')].every((e) => e.dataset.state === 'ready'));
    const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()).filter((f) => f.endsWith('.wasm')));
    assert.deepEqual(wasm, ['softmax.wasm']);
    assert.match(await page.$eval('pw-softmax:nth-of-type(2)', (e) => e.shadowRoot.textContent), /Entmax/);
    // The shared Worker, asked for a softmax job, instantiates the softmax module too, not the all-topics one:
    // from the page's compiled module, posted to it, so nothing is fetched (or compiled) a second time.
    const fetched = [];
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) fetched.push(r.url().split('/').pop()); });
    const p = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load({ topics: ['softmax'] });
      return Array.from(await pw.worker().run('sparsemax', [[1, 0.5, -1]]));
    });
    assert.deepEqual(p, [0.75, 0.25, 0]); // τ = (1 + 0.5 − 1)/2, all exact in binary
    assert.deepEqual(fetched, [], 'the Worker instantiates the page’s compiled softmax module');
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
