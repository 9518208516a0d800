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
