// <pw-images> (issue 16): real 8×8 digits from the shipped ε-model; the default view must show the post's claim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts } from './harness.mjs';


test('<pw-images> at its defaults: 64 digits, η = 0 beating η = 1 at 10 steps with the API\'s numbers, the η × steps table, slerp and inversion', async () => {
  for (const width of [1280, 390]) {
    const { page, problems, close } = await openPage('/web/index.html', { viewport: { width, height: 900 } });
    try {
      // only this widget: the other sections' Workers would compete for the two cores
      await page.evaluate(() => {
        for (const s of document.querySelectorAll('main > section:not(#diffusion)')) s.remove();
        document.querySelector('pw-ddim')?.remove();
      });
      const w = await readyWidget(page, 'pw-images');
      await page.waitForSelector('pw-images[data-grid="done"]', { timeout: 120000 });
      assert.equal(await w.locator('#grid').getAttribute('data-images'), '64');
      const head = await w.locator('#headline').textContent();
      // the headline's numbers are the API's (same task, same options, in the page)
      const api = await page.evaluate(async () => {
        const { load, tasks } = await import('/dist/index.js');
        const { fmt } = await import('/dist/elements/plot.js');
        const pw = await load();
        const it = tasks.imagesQualityTable(pw, { steps: [10], etas: [0, 1], count: 400, seed: 1, scheduler: { clipSample: false } });
        let s;
        while (!(s = await it.next()).done);
        return { f0: s.value.fid[0], f1: s.value.fid[1], s0: fmt(s.value.fid[0]), s1: fmt(s.value.fid[1]) };
      });
      assert.ok(head.includes(`FID ${api.s0} against ${api.s1}`), `${head} / ${JSON.stringify(api)}`);
      assert.ok(api.f0 < api.f1, `η=0 ${api.f0} vs η=1 ${api.f1}`);
      assert.match(head, /the deterministic sampler is better with few steps/);

      await page.waitForSelector('pw-images[data-table="done"]', { timeout: 300000 });
      const fid = await w.locator('#table td[data-fid]').evaluateAll((tds) => tds.map((td) => Number(td.dataset.fid)));
      assert.equal(fid.length, 15);  // η ∈ {0, 0.5, 1} × steps ∈ {5, 10, 20, 50, 100}
      for (const v of fid) assert.ok(Number.isFinite(v) && v >= 0);
      // few steps: η = 0 beats η = 1 (400 samples: measured 48 vs 81 at 5 steps, 35 vs 59 at 10)
      assert.ok(fid[0] < fid[10], `5 steps: η=0 ${fid[0]} vs η=1 ${fid[10]}`);
      assert.ok(fid[1] < fid[11], `10 steps: η=0 ${fid[1]} vs η=1 ${fid[11]}`);
      // and the rows come together at many steps (measured gaps 33 at 5 steps, 4.6 at 100)
      assert.ok(Math.abs(fid[4] - fid[14]) < (fid[10] - fid[0]) / 3, `gap at 100 steps ${fid[14] - fid[4]}, at 5 ${fid[10] - fid[0]}`);

      await page.waitForSelector('pw-images[data-slerp="done"]', { timeout: 60000 });
      await page.waitForSelector('pw-images[data-inversion="done"]', { timeout: 60000 });
      assert.equal(await w.locator('#slerp').getAttribute('data-images'), '9');
      assert.match(await w.locator('#invCap').textContent(), /root-mean-square pixel error \d/);

      // another sampler of the library (η then belongs to DDIM only and is disabled)
      await w.locator('#sampler').selectOption('dpm++2m');
      await page.waitForFunction(() => /DPM\+\+ 2M, 10 steps/.test(document.querySelector('pw-images').shadowRoot.querySelector('#gridCap').textContent), null, { timeout: 60000 });
      assert.equal(await w.locator('#eta').isDisabled(), true);
      await w.locator('#sampler').selectOption('ddim');
      // a live control: η = 1 reruns the grid and the caption says so
      await w.locator('#eta').fill('1');
      await w.locator('#eta').dispatchEvent('input');
      await page.waitForFunction(() => /DDIM η = 1\.0/.test(document.querySelector('pw-images').shadowRoot.querySelector('#gridCap').textContent), null, { timeout: 60000 });
      await w.locator('#eta').fill('0');
      await w.locator('#eta').dispatchEvent('input');
      await page.waitForFunction(() => /DDIM η = 0\.0/.test(document.querySelector('pw-images').shadowRoot.querySelector('#gridCap').textContent), null, { timeout: 60000 });
      await w.screenshot({ path: `${artifacts}/diffusion-images-${width}.png` });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
});
