// <pw-softmax> in Chromium: type a logit, drag a bar, use the keyboard and a preset; the numbers in the DOM
// must change and equal the package's own results computed in the same page; no console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts, shows } from './harness.mjs';

/** The table row of one map, as numbers (the widget prints 6 decimals). */
async function row(w, map) {
  const cells = await w.locator(`#table tr[data-map="${map}"] td`).allTextContents();
  return cells.map(Number);
}

/** Calls pw in the page (the same module the widget uses). */
function inPage(page, fn, ...args) {
  return page.evaluate(async ([name, a]) => {
    const { load } = await import('/dist/index.js');
    const pw = await load();
    return Array.from(pw[name](...a));
  }, [fn, args]);
}

function close6(actual, expected, what) {
  assert.equal(actual.length, expected.length, what);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= 5e-7 + 1e-12, `${what}[${i}]: ${actual[i]} vs ${e}`));
}

test('<pw-softmax>: typing, dragging, keys and presets update every map with wasm-computed numbers', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-softmax');
    const X = [1, 0.5, 0.2, -0.3, -1];
    // Initial state: the post's vector; softmax and sparsemax rows equal the API (and §8.9).
    close6(await row(w, 'softmax'), await inPage(page, 'softmax', X), 'softmax');
    close6(await row(w, 'softmax'), [0.405889, 0.246184, 0.182378, 0.110618, 0.054931], 'softmax §8.9');
    close6(await row(w, 'sparsemax'), [0.75, 0.25, 0, 0, 0], 'sparsemax §8.9');
    close6(await row(w, 'entmax'), [0.586572, 0.266132, 0.133868, 0.013428, 0], 'entmax §8.9');
    close6(await row(w, 'taylor'), [0.379363, 0.246586, 0.185129, 0.113050, 0.075873], 'taylor §8.9');
    assert.equal(await w.locator('section[data-map="taylor"] [data-badge="shift"]').getAttribute('data-value'), 'false');
    assert.equal(await w.locator('section[data-map="softmax"] [data-badge="shift"]').getAttribute('data-value'), 'true');
    assert.equal(await w.locator('section[data-map="softmax"] [data-badge="monotone"]').getAttribute('data-value'), 'strict');
    const read = await w.locator('section[data-map="softmax"] .pw-read').textContent();
    assert.match(read, /½‖J‖₁ 0\.7261/);
    assert.match(read, /1−Σp² 0\.7261/);
    // the thresholds λ of §8.6/§8.7 from softmaxReport: sparsemax p = relu(x − λ) with p₁ = 0.75 gives λ = 0.25
    assert.match(await w.locator('section[data-map="sparsemax"] .pw-read').textContent(), /λ 0\.2500/);
    const lam = await page.evaluate(async (x) => (await (await import('/dist/index.js')).load()).softmaxReport('entmax', x).threshold, X);
    assert.match(await w.locator('section[data-map="entmax"] .pw-read').textContent(), new RegExp(`λ ${lam.toFixed(4).replace('.', '\\.')}`));

    // Type a new first logit.
    const before = await row(w, 'softmax');
    await w.locator('#logits').fill('2 0.5 0.2 -0.3 -1');
    await w.locator('#logits').dispatchEvent('change');
    const typed = await row(w, 'softmax');
    assert.notDeepEqual(typed, before);
    close6(typed, await inPage(page, 'softmax', [2, 0.5, 0.2, -0.3, -1]), 'softmax after typing');
    close6(await row(w, 'sparsemax'), await inPage(page, 'sparsemax', [2, 0.5, 0.2, -0.3, -1]), 'sparsemax after typing');

    // Drag the last bar up to about +3.
    const ed = w.locator('#editor');
    const box = await ed.boundingBox();
    // the plot's margins are measured from its text: read them from the frame plot.js keeps on the canvas
    const f = await ed.evaluate((c) => { const { L, R, T, B } = c.pwPlot.frame; return { L, R, T, B, border: c.clientLeft }; });
    const x5 = box.x + f.border + f.L + (box.width - 2 * f.border - f.L - f.R) * 0.9; // centre of bar 5 of 5
    const yAt = (v) => box.y + f.border + f.T + (1 - (v + 5) / 10) * (box.height - 2 * f.border - f.T - f.B); // range ±5
    await page.mouse.move(x5, yAt(-1));
    await page.mouse.down();
    await page.mouse.move(x5, yAt(1), { steps: 4 });
    await page.mouse.move(x5, yAt(3), { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(100);
    const logits = (await w.locator('#logits').inputValue()).split(/\s+/).map(Number);
    assert.deepEqual(logits.slice(0, 4), [2, 0.5, 0.2, -0.3]);
    assert.ok(Math.abs(logits[4] - 3) <= 0.2, `dragged logit ${logits[4]}`);
    close6(await row(w, 'softmax'), await inPage(page, 'softmax', logits), 'softmax after dragging');
    close6(await row(w, 'entmax'), await inPage(page, 'entmax', logits, { alpha: 1.5 }), 'entmax after dragging');
    close6(await row(w, 'perturb'), await inPage(page, 'perturbMax', logits, { noise: 'normal', grid: 256 }), 'perturb after dragging');

    // Keyboard: focus the bars, select x1 (wraps from x5 → x1) and raise it by 0.1.
    await ed.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.waitForTimeout(100);
    const keyed = (await w.locator('#logits').inputValue()).split(/\s+/).map(Number);
    assert.ok(Math.abs(keyed[0] - 2.1) < 1e-9, `keyboard logit ${keyed[0]}`);

    // Presets: the x = [3, 1, 0] tie (entmax-1.5 exactly one-hot); Taylor k = 2 below −1 not monotone.
    await w.locator('#preset').selectOption('tie');
    close6(await row(w, 'entmax'), [1, 0, 0], 'entmax tie');
    close6(await row(w, 'taylor'), [17 / 24, 5 / 24, 2 / 24], 'taylor exact rationals');
    await w.locator('#preset').selectOption('taylor-mono');
    assert.equal(await w.locator('section[data-map="taylor"] [data-badge="monotone"]').getAttribute('data-value'), 'no');
    close6(await row(w, 'taylor'), [2.5, 0.5, 1.625].map((f) => f / 4.625), 'taylor [-3,-1,.5]'); // f₂ = 1 + x + x²/2
    await w.locator('#preset').selectOption('gumbel');
    close6(await row(w, 'perturb'), await row(w, 'softmax'), 'gumbel = softmax');

    // A bad value is reported in the widget, which keeps working.
    await w.locator('#alpha').fill('0.5');
    await w.locator('#alpha').dispatchEvent('input');
    await page.waitForTimeout(100);
    // said for a reader (α, not "alpha"), the core's own message in the tooltip
    assert.match(await shows(w.locator('#error'), /^α must be at least 1 \(got 0\.5\)$/), /^α must be at least 1 \(got 0\.5\)$/);
    assert.match(await w.locator('#error').getAttribute('title'), /softmaxReport: alpha must be a finite number ≥ 1, got 0.5$/);
    await w.locator('#alpha').fill('2');
    await w.locator('#alpha').dispatchEvent('input');
    await page.waitForTimeout(100);
    close6(await row(w, 'entmax'), await row(w, 'sparsemax'), 'entmax α=2 = sparsemax');

    // The stop-gradient slip (§8.7): for the argmax target the post's surrogate has ∂/∂x_t = p_t(x_t − p·x) > 0
    // ("wrong way"), the corrected one p_t − 1 < 0; both numbers are pw.loss's.
    await w.locator('#preset').selectOption('sg-slip');
    const lossRow = w.locator('#losses tr[data-map="softmax"] td');
    const cells = await lossRow.allTextContents();
    const slip = await page.evaluate(async (x) => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      return ['map', 'neg-p', 'log-eps', 'surrogate', 'surrogate-post'].map((kind) => {
        const r = pw.loss('softmax', x, 0, { kind, epsilon: 1e-3 });
        return kind.startsWith('surrogate') ? r.grad[0] : r.value;
      });
    }, X);
    assert.deepEqual(cells.map((c) => parseFloat(c)), slip.map((v) => Number(v.toFixed(4))));
    assert.match(cells[4], /wrong way/);
    assert.doesNotMatch(cells[3], /wrong way/);
    assert.ok(slip[4] > 0 && slip[3] < 0);

    await w.locator('#preset').selectOption('post');
    await page.waitForTimeout(100);
    await w.screenshot({ path: `${artifacts}/softmax.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('<pw-softmax>: reader-friendly errors, the editor range follows the logits, 32 logits stay legible, presets explain only themselves', async () => {
  const { page, problems, close } = await openPage('/web/index.html', { viewport: { width: 390, height: 844 } });
  try {
    const w = await readyWidget(page, 'pw-softmax');
    const type = async (v) => { await w.locator('#logits').fill(v); await w.locator('#logits').dispatchEvent('change'); };
    // The claim of the default preset is shown; editing the logits replaces it with a neutral sentence.
    assert.match(await w.locator('#claim').textContent(), /§8\.9/);
    await type('1 abc 0');
    assert.equal(await shows(w.locator('#error'), 'logit 2 is not a number'), 'logit 2 is not a number');
    assert.doesNotMatch(await w.locator('#claim').textContent(), /§8\.9/);
    assert.equal(await w.locator('#preset').inputValue(), '');
    // A logit beyond ±5 widens the editor (to ±10), so its bar is drawn at its value, not at the limit.
    await type('8 0 -1');
    assert.equal(await w.locator('#error').textContent(), '');
    assert.match(await w.locator('#hint').textContent(), /±10\b/);
    assert.deepEqual(await w.locator('#editor').evaluate((c) => [c.pwPlot.args[0].ymin, c.pwPlot.args[0].ymax]), [-10, 10]);
    // Outputs that decrease strictly with the logits are "monotone", however small their differences:
    // softmax([30, 0, −1]) has p₂ − p₃ ≈ 6e−14 (the old 1e−12·max p tie rule called it weak).
    await type('30 0 -1');
    assert.equal(await w.locator('section[data-map="softmax"] [data-badge="monotone"]').getAttribute('data-value'), 'strict');
    assert.equal(await w.locator('section[data-map="sparsemax"] [data-badge="monotone"]').getAttribute('data-value'), 'weak'); // [1, 0, 0]
    // 32 logits: labels are thinned so that none touches another, in the editor and in every map.
    await type(Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) / 3 - 1.5).map((v) => v.toFixed(2)).join(' '));
    await page.waitForTimeout(100);
    const clash = await w.evaluate((el) => {
      const out = [];
      for (const c of el.shadowRoot.querySelectorAll('canvas')) {
        const b = c.pwBoxes.filter((x) => x.role === 'tick-x');
        if (b.length < 2) out.push(`${c.id || c.className}: ${b.length} labels`);
        for (let i = 1; i < b.length; i++) if (b[i].x < b[i - 1].x + b[i - 1].w + 1) out.push(`${c.id || c.className}: ${b[i - 1].text} / ${b[i].text}`);
      }
      return out;
    });
    assert.deepEqual(clash, []);
    await w.screenshot({ path: `${artifacts}/softmax-32-390.png` });
    // A preset brings its explanation back.
    await w.locator('#preset').selectOption('tie');
    assert.match(await w.locator('#claim').textContent(), /x = \[3, 1, 0\]/);
    // Chinese errors in a Chinese widget.
    await w.evaluate((el) => { el.lang = 'zh'; });
    await page.waitForFunction(() => /预设/.test(document.querySelector('pw-softmax').shadowRoot.textContent));
    await type('1 abc');
    assert.equal(await shows(w.locator('#error'), '第 2 个 logit 不是数字'), '第 2 个 logit 不是数字');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
