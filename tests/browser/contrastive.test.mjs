import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts, attributeChange as change, shows } from './harness.mjs';

test('<pw-flatnce>: live margin sweep, a Worker training run that matches the API, no console errors', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-flatnce');
    // The post's table for K = 8, s_t = 10: float32 framework CE is exactly 0 at D = 17 and 20; FlatNCE = log 7 − D.
    const rows = await w.locator('#table tbody tr').allTextContents();
    assert.equal(rows.length, 4);
    const cells = await w.locator('#table tbody tr:nth-child(4) td').allTextContents();
    assert.equal(cells[0], '20');
    assert.equal(cells[4], '0');  // CE float32 framework
    assert.equal(cells[5], '0');  // ∂CE/∂s_t float32
    assert.equal(cells[7], '-18.0541');
    // The conclusion names the first margin where float32 CE is exactly zero, as the API computes it.
    const expected = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      const margins = Array.from({ length: 30 * 8 + 1 }, (_, i) => i / 8);
      const s = pw.contrastiveMarginSweep(8, 10, margins);
      const z = s.margin.findIndex((_, i) => s.ce32Shifted[i] === 0 && s.grad32Shifted[i] === 0);
      return { d: s.margin[z] };
    });
    assert.match(await w.locator('#sweep-conclusion').textContent(), new RegExp(`exactly 0 from D = ${expected.d} on`));
    // Changing K moves the collapse point.
    const before = await w.locator('#sweep-conclusion').textContent();
    await w.locator('#k').fill('2');
    await w.locator('#k').dispatchEvent('input');
    assert.notEqual(await w.locator('#sweep-conclusion').textContent(), before);
    // A bad K is said for the reader; the core's message is the tooltip.
    await w.locator('#k').fill('1');
    await w.locator('#k').dispatchEvent('input');
    assert.equal(await shows(w.locator('#sweep-err'), 'K must be a whole number from 2 to 1e6 (got 1)'), 'K must be a whole number from 2 to 1e6 (got 1)');
    assert.match(await w.locator('#sweep-err').getAttribute('title'), /contrastiveMarginSweep: k must be an integer in \[2, 1e6\], got 1/);
    await w.locator('#k').fill('8');
    await w.locator('#k').dispatchEvent('input');
    assert.equal(await w.locator('#sweep-err').textContent(), '');

    // Training: a short run through the Worker; its conclusion numbers equal the main-thread API's.
    await page.waitForSelector('pw-flatnce[data-train="done"]', { timeout: 60000 });
    await w.locator('#steps').fill('400');
    await w.locator('#tau').fill('0.025');
    await w.locator('#run').click();
    await page.waitForFunction(() => document.querySelector('pw-flatnce').shadowRoot.querySelector('#train-conclusion').textContent.includes('τ = 0.025'), null, { timeout: 60000 });
    assert.equal(await w.locator('#progress').evaluate((p) => p.value), 1);
    const api = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      const cfg = { batch: 8, tau: 0.025, lr: 0.01, viewNoise: 0.2, classes: 32, nuisanceDim: 24, embedDim: 8, evaluation: 'shifted', seed: 1 };
      const ce = pw.contrastiveTrain({ ...cfg, loss: 'ce' }, { steps: 400, evalEvery: 20 });
      const fl = pw.contrastiveTrain({ ...cfg, loss: 'flatnce' }, { steps: 400, evalEvery: 20 });
      return { ce: ce.summary.anchorCosine, fl: fl.summary.anchorCosine, under: ce.summary.underflow };
    });
    const c = await w.locator('#train-conclusion').textContent();
    assert.ok(c.includes(`averaged ${api.ce.toFixed(3)} against ${api.fl.toFixed(4)} for FlatNCE`), c);
    assert.ok(c.includes(`${(100 * api.under).toFixed(1)}% of CE's anchors`), c);
    assert.ok(api.ce < api.fl);
    await w.screenshot({ path: `${artifacts}/contrastive.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('<pw-flatnce> says the collapse depends on the summation order, with the API\'s two thresholds; the table keeps numbers whole on a phone', async () => {
  for (const width of [1280, 390]) {
    const { page, problems, close } = await openPage('/web/index.html', { viewport: { width, height: 900 } });
    try {
      const w = await readyWidget(page, 'pw-flatnce');
      await page.waitForFunction(() => /exactly 0 from D/.test(document.querySelector('pw-flatnce').shadowRoot.querySelector('#sweep-conclusion').textContent), null, { timeout: 30000 });
      const text = await w.locator('#sweep-conclusion').textContent();
      // Independent thresholds (K = 8 on a 1/8 grid): 24 ln 2 → 16.75 first; 24 ln 2 + ln 7 → 18.625 last.
      const up8 = (x) => Math.ceil(x * 8) / 8;
      assert.ok(text.includes(`exactly 0 from D = ${up8(24 * Math.LN2)} on when the positive’s term is summed first`), text);
      assert.ok(text.includes(`exactly 0 only from D = ${up8(24 * Math.LN2 + Math.log(7))}`), text);
      // No table cell wraps inside a number: each cell is one line high.
      const wrapped = await w.locator('#table td').evaluateAll((tds) => tds.filter((td) => td.getClientRects().length && td.scrollHeight > 2 * parseFloat(getComputedStyle(td).lineHeight || '16')).length);
      assert.equal(wrapped, 0);
      // Section 3: the batch-size toy, its K = 4 numbers as the API computes them.
      await page.waitForSelector('pw-flatnce[data-batch="done"]', { timeout: 120000 });
      if (width === 1280) {
        const api = await page.evaluate(async () => {
          const { load } = await import('/dist/index.js');
          const pw = await load();
          const r = pw.contrastiveTrain({ tau: 0.02, lr: 0.01, viewNoise: 0.2, classes: 32, nuisanceDim: 24, embedDim: 8, evaluation: 'shifted', seed: 1, batch: 4, loss: 'ce' }, { steps: 500, evalEvery: 250 });
          return { cos: r.summary.anchorCosine, acc: r.accuracy[1] };
        });
        const bc = await w.locator('#batch-conclusion').textContent();
        assert.ok(bc.includes(`At K = 4 the float32 CE gradient has cosine ${api.cos.toFixed(3)} with the exact one`), bc);
        assert.ok(bc.includes(`CE reaches ${(100 * api.acc).toFixed(1)}% after 250 steps`), bc);
      }
      await w.screenshot({ path: `${artifacts}/flatnce-${width}.png` });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
});

test('<pw-flatnce>: k, positive, dmax set after load rerun the margin sweep and fire change; lang relabels', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-flatnce');
    const before = await w.locator('#table').innerHTML();
    assert.deepEqual(await change(w, 'k', '16'), { attribute: 'k', value: '16' });
    assert.equal(await w.locator('#k').inputValue(), '16');
    assert.notEqual(await w.locator('#table').innerHTML(), before, 'the sweep reran with K = 16');
    await change(w, 'positive', '5');
    assert.equal(await w.locator('#pos').inputValue(), '5');
    await change(w, 'dmax', '20');
    assert.equal(await w.locator('#dmax').inputValue(), '20');
    assert.equal(await w.locator('#dmax-v').textContent(), '20');
    await change(w, 'lang', 'zh');
    assert.match(await w.locator('h3').first().textContent(), /间隔扫描/);
    assert.equal(await w.locator('#k').inputValue(), '16');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
