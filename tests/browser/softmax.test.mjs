import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts } from './harness.mjs';

test('<pw-softmax> loads, responds to a temperature change, and logs no errors', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    const w = await readyWidget(page, 'pw-softmax');
    const out = w.locator('#out');
    const before = await out.textContent();
    assert.match(before, /p = \[0\.405889, 0\.246184, 0\.182378, 0\.110618, 0\.054931\]/);
    await w.locator('#tau').fill('2');
    await w.locator('#tau').dispatchEvent('input');
    assert.notEqual(await out.textContent(), before);
    await w.screenshot({ path: `${artifacts}/softmax.png` });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
