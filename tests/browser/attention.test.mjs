import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts, attributeChange as change, shows } from './harness.mjs';

test('<pw-attention>: noise scaling and scale curve in the Worker, exact entropy floor, no console errors', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-attention');
    // Entropy floor: τ = 1, n = 1000 → log n − H_min = 0.474474… with 794 logits at −1; c and t* of the post.
    await w.locator('#n').fill('1000');
    await w.locator('#n').dispatchEvent('input');
    const out = await w.locator('#entropy-out').textContent();
    assert.match(out, /log n − H_min = 0\.4744737\b/);  // the post: 0.474474 (6 digits)
    assert.match(out, /206 logit\(s\) at \+1\/τ and 794 at −1\/τ/);
    assert.match(out, /c = 0\.4744746 at t\* = 0\.7944868; half\/half gives 0\.3278133/);
    await w.locator('#tau').fill('0');
    await w.locator('#tau').dispatchEvent('input');
    assert.equal(await shows(w.locator('#entropy-err'), 'τ must lie in [0.01, 1000] (got 0)'), 'τ must lie in [0.01, 1000] (got 0)');
    assert.match(await w.locator('#entropy-err').getAttribute('title'), /minEntropyLimit: tau must be in \[0\.01, 1000\], got 0/);
    await w.locator('#tau').fill('1');
    await w.locator('#tau').dispatchEvent('input');
    assert.equal(await w.locator('#entropy-err').textContent(), '');

    // Noise scaling (default run on load): the slope in the conclusion equals the API's, and is near −1/2.
    await page.waitForSelector('pw-attention[data-noise="done"]', { timeout: 90000 });
    const slope = Number(await w.locator('#noise-conclusion').getAttribute('data-slope'));
    const api = await page.evaluate(async () => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      return pw.attentionNoiseScaling([10, 30, 100, 300, 1000, 3000, 10000], { noise: 'gaussian', scale: 1, logitStd: 1, trials: 200, seed: 1 }).fit;
    });
    assert.equal(slope, api.slope);
    assert.ok((await w.locator('#noise-conclusion').textContent()).includes(`fitted slope of ${api.slope.toFixed(3)} ± ${api.slopeStderr.toFixed(3)}`));
    assert.ok(Math.abs(slope + 0.5) < 0.1, `slope ${slope}`);
    // Gumbel with b = 1: E[e^ε] = ∞, and the conclusion says so.
    await w.locator('#noise').selectOption('gumbel');
    await w.locator('#nmax').selectOption('1000');
    await w.locator('#run-noise').click();
    await page.waitForFunction(() => document.querySelector('pw-attention').shadowRoot.querySelector('#noise-conclusion').textContent.includes('(gumbel'), null, { timeout: 90000 });
    assert.match(await w.locator('#noise-conclusion').textContent(), /E\[e\^ε\] is infinite/);

    await page.waitForSelector('pw-attention[data-curve="done"]', { timeout: 90000 });
    assert.match(await w.locator('#curve-conclusion').textContent(), /For n = 512: at scale 1 the softmax keeps H = \d\.\d{3} of log n = 6\.238 nats/);
    await w.screenshot({ path: `${artifacts}/attention.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('<pw-attention> explains the shallow all-n slope: fit over n ≥ 1000 and the asymptote 1.7244·n^−½, as the API computes them', async () => {
  for (const width of [1280, 390]) {
    const { page, problems, close } = await openPage('/web/index.html', { viewport: { width, height: 900 } });
    try {
      const w = await readyWidget(page, 'pw-attention');
      await page.waitForSelector('pw-attention[data-noise="done"]', { timeout: 120000 });
      const c = w.locator('#noise-conclusion');
      const text = await c.textContent();
      const api = await page.evaluate(async () => {
        const { load } = await import('/dist/index.js');
        const pw = await load();
        const r = pw.attentionNoiseScaling([10, 30, 100, 300, 1000, 3000, 10000], { noise: 'gaussian', scale: 1, logitStd: 1, trials: 200, seed: 1 });
        return pw.fitLogLogSlope(r.n.slice(4), r.mean.slice(4), r.stderr.slice(4));
      });
      assert.ok(text.includes(`Fitted over n ≥ 1000 only, where that regime starts, the slope is ${api.slope.toFixed(3)} ± ${api.slopeStderr.toFixed(3)}`), text);
      assert.ok(Math.abs(api.slope + 0.5) <= 3 * api.slopeStderr);
      assert.match(text, /1\.7244·n\^−½ only as n → ∞/);
      assert.match(text, /pre-asymptotic/);
      await w.screenshot({ path: `${artifacts}/attention-${width}.png` });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
});

test('<pw-attention>: tau and n set after load recompute the entropy floor; lang relabels it; each fires change', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-attention');
    assert.deepEqual(await change(w, 'tau', '0.5'), { attribute: 'tau', value: '0.5' });
    assert.deepEqual(await change(w, 'n', '100'), { attribute: 'n', value: '100' });
    assert.equal(await w.locator('#tau').inputValue(), '0.5');
    const m = await page.evaluate(async () => { const { load } = await import('/dist/index.js'); return (await load()).minEntropy(100, { tau: 0.5 }); });
    assert.ok((await w.locator('#entropy-out').textContent()).startsWith(`n = 100: H_min = ${m.entropy.toPrecision(7)}`));
    assert.deepEqual(await change(w, 'lang', 'zh'), { attribute: 'lang', value: 'zh' });
    assert.match(await w.locator('h3').first().textContent(), /噪声/);
    await change(w, 'lang', 'en');
    assert.match(await w.locator('h3').first().textContent(), /Noise on the logits/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
