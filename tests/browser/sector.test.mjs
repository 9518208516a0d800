import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts } from './harness.mjs';

test('<pw-sector>: four ducks, n and θ controls change the numbers, Monte Carlo arrives from the Worker, no errors', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-sector');
    // initial state: n = 4, θ = 180° — the four ducks, exactly 1/2
    assert.equal(await w.locator('#p').textContent(), '0.500000000000000');
    assert.equal(await w.locator('#exact').textContent(), '1/2');
    // Monte Carlo points from the Worker task (sectorMonteCarloCurve)
    await page.waitForSelector('pw-sector[data-mc="done"]', { timeout: 30000 });

    // θ = 240° (4π/3): P_4 = 26/27 (POSTS §5.4)
    await w.locator('#deg').fill('240');
    await w.locator('#deg').dispatchEvent('change');
    assert.equal(await w.locator('#exact').textContent(), '26/27');
    assert.equal(Number(await w.locator('#p').textContent()).toPrecision(12), (26 / 27).toPrecision(12));

    // n = 7 by the number box, θ = 3π/2 by the radians box: 0.9262695312 (POSTS §5.4)
    await w.locator('#n').fill('7');
    await w.locator('#n').dispatchEvent('change');
    await w.locator('#rad').fill(String(1.5 * Math.PI));
    await w.locator('#rad').dispatchEvent('change');
    assert.match(await w.locator('#p').textContent(), /^0\.92626953125/);
    assert.equal(await w.locator('#deg').inputValue(), '270');

    // the log slider reaches n = 10^4; 1 − P is still a positive number far below 1e-16 near θ*
    await w.locator('#nlog').fill('4');
    await w.locator('#nlog').dispatchEvent('input');
    assert.equal(await w.locator('#n').inputValue(), '10000');
    await w.locator('#deg').fill('359.8');
    await w.locator('#deg').dispatchEvent('change');
    const q = Number(await w.locator('#q').textContent());
    assert.ok(q > 0 && q < 1e-16, String(q));
    assert.match(await w.locator('#cover-deg').textContent(), /^\d+\.\d\d°$/);

    // back to the ducks, re-sample, and leave it for the screenshot with Monte Carlo drawn
    await w.locator('#ducks').click();
    assert.equal(await w.locator('#exact').textContent(), '1/2');
    await w.locator('#resample').click();
    await page.waitForSelector('pw-sector[data-mc="done"]', { timeout: 30000 });
    await page.waitForTimeout(300);
    await w.screenshot({ path: `${artifacts}/sector.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('<pw-sector>: the fields show the n and θ in use, the plots keep the reader’s θ in view, the method is explained', async () => {
  const { page, problems, close } = await openPage('/web/index.html', { viewport: { width: 390, height: 844 } });
  try {
    const w = await readyWidget(page, 'pw-sector');
    const setN = async (v) => { await w.locator('#n').fill(v); await w.locator('#n').dispatchEvent('change'); };
    const setDeg = async (v) => { await w.locator('#deg').fill(v); await w.locator('#deg').dispatchEvent('change'); };
    // out-of-range and fractional n are replaced in the field by the value used
    await setN('0');
    assert.equal(await w.locator('#n').inputValue(), '1');
    assert.equal(await w.locator('#p').textContent(), '1.00000000000000'); // one point: always covered
    await setN('100000');
    assert.equal(await w.locator('#n').inputValue(), '10000');
    await setN('2.6');
    assert.equal(await w.locator('#n').inputValue(), '3');
    await setDeg('400');
    assert.equal(await w.locator('#deg').inputValue(), '360');
    // n = 10⁴ zooms on the transition near 360°; a θ of 90° widens the window so that θ is drawn
    await setN('10000');
    await setDeg('359.5');
    const lo = () => w.locator('#curve').evaluate((c) => c.pwPlot.args[0].xmin);
    assert.ok(await lo() > 350, `zoomed window from ${await lo()}°`);
    await setDeg('90');
    assert.ok(await lo() <= 90, `θ = 90° in a window from ${await lo()}°`);
    assert.ok(await w.locator('#curve').evaluate((c) => c.pwPlot.args[0].vlines.some((v) => v.label === 'θ' && v.x === 90)));
    // the route the library took, said in words
    await setN('4');
    await setDeg('180');
    assert.match(await w.locator('#method').textContent(), /closed form for θ ≤ 180°/);
    await setDeg('240');
    assert.match(await w.locator('#method').textContent(), /left sum: inclusion–exclusion/);
    // behind the canvas, for screen readers: a table of the plotted numbers (sampled), named by the figure
    const table = await w.locator('#curve').evaluate((c) => ({ role: c.getAttribute('role'), caption: c.querySelector('caption')?.textContent,
      head: [...c.querySelectorAll('thead th')].map((t) => t.textContent), rows: c.querySelectorAll('tbody tr').length,
      first: [...c.querySelectorAll('tbody tr:first-child > *')].map((t) => t.textContent) }));
    assert.equal(table.role, 'figure');
    assert.match(table.caption, /^P_n\(θ\) against θ/);
    assert.equal(table.head[0], 'series');
    assert.match(table.head[1], /^θ \(degrees\)/);
    assert.equal(table.head[2], 'P');
    assert.ok(table.rows >= 20 && table.rows <= 80, `${table.rows} rows`);
    assert.equal(table.first[0], 'exact P4(θ)');
    // hovering the curve draws a read-out over it (the figure under it is kept and put back on leaving)
    const curve = w.locator('#curve');
    const pixels = () => curve.evaluate((c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let s = 0; for (let i = 0; i < d.length; i += 7) s = (s * 31 + d[i]) % 1e9; return s; });
    await page.waitForSelector('pw-sector[data-mc="done"]', { timeout: 30000 });
    await curve.scrollIntoViewIfNeeded();
    await page.waitForTimeout(100);
    const b = await curve.boundingBox();
    const before = await pixels();
    // a point of the exact curve, where the pointer goes (CSS px in the canvas)
    const at = await curve.evaluate((c) => { const s = c.pwPlot.hover.series[0], i = s.x.length >> 1; return [c.pwPlot.frame.toX(s.x[i]) + c.clientLeft, c.pwPlot.frame.toY(s.y[i]) + c.clientTop]; });
    await page.mouse.move(b.x + at[0], b.y + at[1]);
    await page.waitForTimeout(100);
    assert.notEqual(await pixels(), before, 'a read-out is drawn');
    await page.mouse.move(b.x + b.width * 0.6, b.y - 40);
    await page.waitForTimeout(100);
    assert.equal(await pixels(), before, 'the figure is restored');
    await w.screenshot({ path: `${artifacts}/sector-390.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
