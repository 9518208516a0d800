import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'probwasm';
import { openPage, readyWidget, artifacts } from './harness.mjs';

const pw = await load();
const num = (s) => Number(s.replace(/,/g, '').replace('−', '-'));

test('<pw-mixers> shows mixing matrices, breaks fixed-n mixers at another n, measures cost in the Worker, no errors', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-mixers');
    const card = (k) => w.locator(`.card[data-kind="${k}"]`);
    // default: n = 32, d = 16, 'blocks' input, seed 1
    for (const k of ['attention', 'synthesizer-random', 'mixer', 'external', 'fnet', 'gmlp']) {
      const flopsText = await card(k).locator('[data-stat="flops"]').textContent();
      assert.equal(num(flopsText.replace('FLOPs ', '')), pw.mixerCost(k, 32, 16).flops, `${k}: FLOPs shown = counted by wasm in node`);
    }
    const dep = async (k) => num((await card(k).locator('[data-stat="dep"]').textContent()).split('= ')[1]);
    assert.equal(await dep('synthesizer-random'), 0);  // the same A for every input
    assert.equal(await dep('fnet'), 0);
    assert.ok(await dep('attention') > 1e-3);
    assert.ok(await dep('external') > 0);
    // the node package computes the same attention dependence (same seeds → same numbers)
    const m = new pw.TokenMixer('attention', { n: 32, d: 16, seed: 1 });
    const x = pw.mixerInput('blocks', 32, 16, { seed: 1 }), xb = pw.mixerInput('random', 32, 16, { seed: 2 });
    const expected = m.inputDependence(x, xb).maxAbs;
    m.dispose();
    assert.ok(Math.abs(await dep('attention') - expected) <= 5e-3 * expected, 'shown with 4 significant digits');
    const fft = (await card('fnet').locator('[data-stat="fft"]').textContent()).split('= ')[1].split(' ≤ ').map(num);
    assert.ok(fft[0] > 0 && fft[0] <= fft[1], `FFT error ${fft[0]} within its bound ${fft[1]}`);
    assert.match(await card('attention').locator('.def').textContent(), /softmax\(QKᵀ\/√k\)/);

    // what breaks when n changes: apply the n = 32 parameters at n′ = 40
    await w.locator('#napply').fill('40');
    await w.locator('#napply').dispatchEvent('change');
    // said for a reader; the library's own message in the tooltip
    assert.match(await card('synthesizer-random').locator('.err').textContent(), /^Cannot run on n′ = \d+ tokens: this mixer has an n×n parameter, built for n = 32\.$/);
    assert.match(await card('synthesizer-random').locator('.err').getAttribute('title'), /RangeError: TokenMixer.mixingMatrix: n must equal 32: synthesizer-random has an n×n parameter/);
    assert.match(await card('gmlp').locator('.err').getAttribute('title'), /n must equal 32/);
    assert.equal(await card('attention').locator('.err').textContent(), '');
    assert.match(await card('fnet').locator('.mixcap').textContent(), /M \(40×40\)/);
    await w.locator('#napply').fill('5000');  // beyond the control's max: clamped, not computed at 5000
    await w.locator('#napply').dispatchEvent('change');
    assert.equal(await w.locator('#napply').inputValue(), '128');
    assert.match(await card('fnet').locator('.mixcap').textContent(), /M \(128×128\)/);
    await w.locator('#napply').fill('32');
    await w.locator('#napply').dispatchEvent('change');

    // cost vs n, timed in the Worker with progress
    await w.locator('#cmax').selectOption('256');
    await w.locator('#cd').selectOption('16');
    await w.locator('#measure').click();
    await page.waitForFunction(() => document.querySelector('pw-mixers').shadowRoot.querySelector('#timing'), null, { timeout: 60000 });
    assert.equal(await w.locator('#progress').evaluate((e) => e.value), 1);
    const cells = await w.locator('#timing tr[data-kind="fnet"] td').allTextContents();
    assert.equal(cells[1], 'O(n log n)');
    assert.equal(cells.length, 2 + 5);  // n = 16 … 256
    for (const c of cells.slice(2)) assert.ok(num(c) > 0, `time ${c}`);
    await w.screenshot({ path: `${artifacts}/mixers.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('<pw-mixers>: every heat map has a colour bar with its own scale, and the legend says how colours are read', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-mixers');
    assert.match(await w.locator('#note').textContent(), /colour bar/);
    assert.doesNotMatch(await w.locator('#note').textContent(), /\(red > 0, blue < 0\)/);
    const maps = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('.card canvas')].filter((c) => c.isConnected && c.pwPlot)
      .map((c) => ({ kind: c.closest('.card').dataset.kind, ticks: c.pwBoxes.filter((b) => b.role === 'colorbar').map((b) => b.text) })));
    assert.ok(maps.length >= 7, `${maps.length} heat maps`);
    for (const m of maps) assert.ok(m.ticks.length >= 2, `${m.kind}: colour-bar ticks ${m.ticks}`);
    // a matrix of one sign (attention's A: softmax rows) is labelled from its min to its max, no 0 in the middle
    const attention = maps.find((m) => m.kind === 'attention');
    assert.equal(attention.ticks.length, 2);
    assert.ok(!attention.ticks.includes('0'));
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
