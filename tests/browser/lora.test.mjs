import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts, attributeChange as change, shows } from './harness.mjs';

test('<pw-lora>: calculator numbers, a Worker sweep with progress that matches the API, cancel, no console errors', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-lora');
    // Calculator: LoRA+'s setting n = m = 768, r = 8 → √96 = 9.79796 (Su), 96 (paper's Θ(n)), 16 (default).
    await w.locator('#n').fill('768');
    await w.locator('#m').fill('768');
    await w.locator('#r').fill('8');
    await w.locator('#r').dispatchEvent('input');
    assert.equal(await w.locator('#su').textContent(), '9.79796');
    assert.equal(await w.locator('#paper').textContent(), '96.0000');
    assert.equal(await w.locator('#dflt').textContent(), '16');
    // A bad rank shows the core's message and the widget keeps working.
    await w.locator('#r').fill('1000');
    await w.locator('#r').dispatchEvent('input');
    assert.equal(await shows(w.locator('#calc-err'), 'rank r must be at most min(n, m) = 768 (got 1000)'), 'rank r must be at most min(n, m) = 768 (got 1000)');
    assert.match(await w.locator('#calc-err').getAttribute('title'), /loraRatios: r must be at most min\(n, m\) = 768, got 1000/);
    await w.locator('#r').fill('8');
    await w.locator('#r').dispatchEvent('input');
    assert.equal(await w.locator('#calc-err').textContent(), '');

    // The headline at the defaults: the §7.4 equal-contribution ratio measured at m = n in the Worker. The slope the
    // widget prints is the API's, and it is ½ (Su) within its error bar, far from the paper's 1.
    await page.waitForSelector('pw-lora[data-scale="done"]', { timeout: 60000 });
    const headline = await w.locator('#headline').textContent();
    const api = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      return pw.loraGradientScaleSweep([64, 128, 256, 512, 1024, 2048, 4096], { r: 8, seeds: 8 });
    });
    assert.ok(headline.includes(`Measured slope ${api.slope.toFixed(3)} ± ${(2 * api.slopeSem).toFixed(3)}`), headline);
    assert.ok(Math.abs(api.slope - 0.5) <= 4 * api.slopeSem, `${api.slope} ± ${api.slopeSem}`);
    assert.match(headline, /√n, as Su argues, not n/);
    // The calculator's m ≠ n case: the measurement is near n/√(m r) = 22.6, not Su's 45.3.
    await w.locator('#n').fill('1024');
    await w.locator('#m').fill('256');
    await w.locator('#r').fill('8');
    await w.locator('#r').dispatchEvent('input');
    const meas = Number((await w.locator('#meas').textContent()).split(' ± ')[0]);
    assert.ok(Math.abs(meas - 1024 / Math.sqrt(2048)) < 0.1 * 22.6, `measured ${meas}`);
    assert.equal(Number(await w.locator('#law').textContent()), Number((1024 / Math.sqrt(2048)).toPrecision(6)));
    await w.screenshot({ path: `${artifacts}/lora-default.png` });
    // The trained toy no longer runs at load (it does not follow the law); run a small custom one and compare.
    await w.locator('#optimizer').selectOption('signsgd');
    await w.locator('#init').selectOption('B0');
    await w.locator('#widths').fill('8 16 32');
    await w.locator('#ratios').fill('0.25 0.5 1 2 4 8 16 32 64 128');
    await w.locator('#lrs').fill('0.003');
    await w.locator('#steps').fill('60');
    await w.locator('#batch').fill('64');
    await w.locator('#run').click();
    await page.waitForSelector('pw-lora[data-sweep="done"]', { timeout: 60000 });
    assert.equal(await w.locator('#progress').evaluate((p) => p.value), 1);
    const conclusion = await w.locator('#conclusion').textContent();
    const expected = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      return pw.loraSweep({ optimizer: 'signsgd', init: 'B0', widths: [8, 16, 32], ratios: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128], lrs: [0.003], steps: 60, batch: 64, r: 2, seed: 1, repeats: 2 });
    });
    const bests = Object.values(expected.best).map((b, k) => `n=${[8, 16, 32][k]}: ${b.toPrecision(3)}`).join(', ');
    assert.ok(conclusion.includes(bests), `${conclusion} vs ${bests}`);
    assert.ok(conclusion.includes(`measured slope ${expected.slope.toFixed(2)}`), conclusion);
    assert.ok(conclusion.includes(`Best λ > 1 at ${expected.aboveOne} of 3 widths`), conclusion);

    await w.screenshot({ path: `${artifacts}/lora.png` });

    // Cancel: a long sweep stops at the next cell and says so.
    await w.locator('#widths').fill('64 128 256');
    await w.locator('#steps').fill('400');
    await w.locator('#run').click();
    await page.waitForFunction(() => document.querySelector('pw-lora').shadowRoot.querySelector('#progress').value > 0, null, { timeout: 30000 });
    await w.locator('#cancel').click();
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('pw-lora').shadowRoot.querySelector('#status').textContent), null, { timeout: 30000 });
    assert.equal(await w.locator('#run').isDisabled(), false);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('<pw-lora> on a 390 px phone: the headline shows, nothing overflows sideways, the λ field shows its values', async () => {
  const { page, problems, close } = await openPage('/web/index.html', { viewport: { width: 390, height: 844 } });
  try {
    const w = await readyWidget(page, 'pw-lora');
    await page.waitForSelector('pw-lora[data-scale="done"]', { timeout: 60000 });
    assert.match(await w.locator('#headline').textContent(), /Measured slope 0\.\d+ ± 0\.\d+/);
    const over = await w.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return [...el.shadowRoot.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > r.right + 1).map((e) => e.id || e.tagName);
    });
    assert.deepEqual(over, []);
    // The λ grid input is wide enough for its default text (no hidden values).
    const fits = await w.locator('#ratios').evaluate((i) => i.scrollWidth <= i.clientWidth + 1);
    assert.ok(fits, 'λ grid text is clipped');
    await w.screenshot({ path: `${artifacts}/lora-390.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('<pw-lora>: n, m, r set after load update the calculator and fire change; lang relabels', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-lora');
    assert.deepEqual(await change(w, 'n', '768'), { attribute: 'n', value: '768' });
    assert.deepEqual(await change(w, 'm', '768'), { attribute: 'm', value: '768' });
    assert.deepEqual(await change(w, 'r', '8'), { attribute: 'r', value: '8' });
    assert.deepEqual(await Promise.all(['#n', '#m', '#r'].map((id) => w.locator(id).inputValue())), ['768', '768', '8']);
    const api = await page.evaluate(async () => { const { load } = await import('/dist/index.js'); return (await load()).loraRatios(768, 768, 8); });
    assert.equal(await w.locator('#su').textContent(), api.su.toPrecision(6));  // √96 = 9.79796
    assert.equal(await w.locator('#paper').textContent(), api.paper.toPrecision(6));
    await change(w, 'lang', 'zh');
    assert.match(await w.locator('#calc legend').textContent(), /计算器/);
    assert.equal(await w.locator('#n').inputValue(), '768', 'a rebuild re-reads the attributes');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
