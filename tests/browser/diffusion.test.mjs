import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, artifacts, attributeChange as change } from './harness.mjs';

test('<pw-ddim> samples in the Worker, animates, fills the quality table and trains the MLP: the heavy runs go to the Worker, the page only receives results', async () => {
  // Every job posted to a real Worker and every reply it sends back, recorded from the start (a wrapper of
  // the page's Worker class; the protocol is bindings/js/worker-proxy.js's).
  const { page, problems, close } = await openPage('/web/index.html', {
    init: () => {
      window.__jobs = { workers: 0, posted: [], received: [] };
      const W = window.Worker;
      window.Worker = class extends W {
        constructor(...a) {
          super(...a);
          window.__jobs.workers++;
          this.addEventListener('message', (e) => { if (e.data?.id !== undefined) window.__jobs.received.push({ id: e.data.id, type: e.data.type }); });
        }
        postMessage(m, ...rest) {
          if (m?.type === 'run') window.__jobs.posted.push({ id: m.id, name: m.name });
          return super.postMessage(m, ...rest);
        }
      };
    },
  });
  try {
    // Only this widget on the page: the jobs recorded below are this widget's, not its neighbours'.
    await page.evaluate(() => { for (const s of document.querySelectorAll('main > section:not(#diffusion)')) s.remove(); document.querySelector('pw-images')?.remove(); });
    // Tasks run on the main thread are counted too: the element's task table is the module's own object.
    await page.evaluate(async () => {
      const { tasks } = await import('/dist/diffusion.js');
      window.__mainTasks = [];
      for (const [name, f] of Object.entries(tasks)) tasks[name] = async function* (...a) { window.__mainTasks.push(name); return yield* f(...a); };
    });
    const w = await readyWidget(page, 'pw-ddim');
    const status = w.locator('#status');
    await page.waitForFunction(() => /SW₂/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#status').textContent), null, { timeout: 30000 });
    const first = await status.textContent();
    assert.match(first, /DDIM \(η = 0\): SW₂ to the target = \d\.\d{4}/);
    assert.match(first, /DDPM: SW₂ to the target = \d\.\d{4}/);

    // A control change reruns the samplers (the status text changes).
    await w.locator('#steps').selectOption('50');
    await page.waitForFunction((before) => {
      const t = document.querySelector('pw-ddim').shadowRoot.querySelector('#status').textContent;
      return t !== before && /SW₂/.test(t);
    }, first, { timeout: 30000 });

    // Scrub to the first frame: the caption reports step and ᾱ.
    await w.locator('#frame').fill('0');
    await w.locator('#frame').dispatchEvent('input');
    assert.match(await w.locator('#frameOut').textContent(), /step \d+\/\d+ · ᾱ = /);

    // The quality table fills cell by cell; η = 0 must win at 10 steps on the grid (the paper's finding).
    await w.locator('#tableBtn').click();
    await page.waitForFunction(() => /done/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#tableStatus').textContent), null, { timeout: 120000 });
    const cells = await w.locator('#quality tr').evaluateAll((rows) => rows.slice(1, 5).map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));
    assert.equal(cells.length, 4);
    for (const row of cells) for (const v of row) assert.ok(Number.isFinite(v) && v > 0, `cell ${v}`);
    assert.ok(cells[0][0] < cells[3][0], `10 steps: η=0 ${cells[0][0]} vs η=1 ${cells[3][0]}`);
    assert.ok(cells[3][4] < cells[3][0], `η=1: 1000 steps ${cells[3][4]} vs 10 steps ${cells[3][0]}`);

    // Inversion x₀ → x_T → x₀ with the exact ε* reconstructs the samples: a small SW₂ to the originals.
    await w.locator('#invBtn').click();
    await page.waitForFunction(() => /SW₂\(reconstruction/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#invStatus').textContent), null, { timeout: 60000 });
    const rec = Number((await w.locator('#invStatus').textContent()).split('=')[1]);
    assert.ok(rec >= 0 && rec < 0.1, `reconstruction SW₂ ${rec}`);

    // Cancel: a long training run stops at its next chunk and says so; the model stays exact.
    await w.locator('#iters').selectOption('6000');
    await w.locator('#trainBtn').click();
    await page.waitForFunction(() => /^\d+\/6000/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#trainStatus').textContent), null, { timeout: 60000 });
    await w.locator('#trainCancel').click();
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#trainStatus').textContent), null, { timeout: 60000 });
    assert.equal(await w.locator('#model').inputValue(), 'exact');

    // Training: progress, then the MLP becomes the model and the panels rerun.
    await w.locator('#iters').selectOption('1000');
    await w.locator('#trainBtn').click();
    await page.waitForFunction(() => /trained/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#trainStatus').textContent), null, { timeout: 120000 });
    assert.equal(await w.locator('#model').inputValue(), 'mlp');
    // Training ends by rerunning the panels with the MLP: wait for that run's result.
    await page.waitForFunction(() => /SW₂/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#status').textContent), null, { timeout: 30000 });

    await w.locator('#frame').fill(String(await w.locator('#frame').getAttribute('max')));
    await w.locator('#frame').dispatchEvent('input');
    await w.screenshot({ path: `${artifacts}/diffusion.png` });
    // Structure, not wall time: the quality table, the inversion and the training each went to a real Worker
    // as a job, the page received its progress and its result, and none of them ran on the main thread (only
    // the small first panel run may, before a Worker exists: runTask's documented ~10 ms of wasm).
    const jobs = await page.evaluate(() => window.__jobs);
    const mainTasks = await page.evaluate(() => window.__mainTasks);
    assert.ok(jobs.workers >= 1, 'a real Worker was created');
    for (const name of ['diffusionQualityTable', 'diffusionInversionDemo', 'diffusionTrainMlp']) {
      const sent = jobs.posted.filter((j) => j.name === name);
      assert.ok(sent.length >= 1, `${name} posted to the Worker`);
      const replies = jobs.received.filter((r) => sent.some((j) => j.id === r.id)).map((r) => r.type);
      assert.ok(replies.includes('result'), `${name}: the page received its result (${replies})`);
      assert.ok(replies.includes('progress') || name === 'diffusionInversionDemo', `${name}: progress reached the page (${replies})`);
      assert.ok(!mainTasks.includes(name), `${name} did not run on the main thread`);
    }
    assert.deepEqual(mainTasks.filter((n) => !['diffusionPanels', 'diffusionSeedCompare', 'diffusionOdeCompare'].includes(n)), [], `main-thread tasks: ${mainTasks}`);
    // the samplers' rerun after the step change (a 50-step run) went to the Worker as well
    assert.ok(jobs.posted.some((j) => j.name === 'diffusionPanels'), `panels in the Worker: ${jobs.posted.map((j) => j.name)}`);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('<pw-ddim> at its defaults shows DDIM η = 0 beating DDPM at 10 steps with error bars, the worked schedule and Su\'s ODEs; phone layout', async () => {
  for (const width of [1280, 390]) {
    const { page, problems, close } = await openPage('/web/index.html', { viewport: { width, height: 900 } });
    try {
      const w = await readyWidget(page, 'pw-ddim');
      await page.waitForSelector('pw-ddim[data-compare="done"]', { timeout: 60000 });
      await page.waitForSelector('pw-ddim[data-odes="done"]', { timeout: 60000 });
      const head = await w.locator('#headline').textContent();
      const api = await page.evaluate(async () => {
        const { load, tasks } = await import('/dist/index.js');
        const pw = await load();
        const grid = pw.diffusionPreset('grid');
        const it = tasks.diffusionSeedCompare(pw, { model: grid, target: grid, runs: [{ sampler: 'ddim', eta: 0 }, { sampler: 'ddpm', eta: 0 }],
          scheduler: { betaSchedule: 'linear', timestepSpacing: 'leading', clipSample: false }, steps: 10, count: 600, seeds: 6, seed: 1 });
        let s;
        while (!(s = await it.next()).done);
        return s.value.runs.map((r) => ({ mean: r.mean, sem: r.sem }));
      });
      // The numbers the headline prints are the API's, and they separate beyond 2 s.e.
      assert.ok(head.includes(`DDIM (η = 0) ${api[0].mean.toFixed(3)} ± ${(2 * api[0].sem).toFixed(3)}`), head);
      assert.ok(head.includes(`DDPM ${api[1].mean.toFixed(3)} ± ${(2 * api[1].sem).toFixed(3)}`), head);
      assert.ok(api[0].mean + 2 * api[0].sem < api[1].mean - 2 * api[1].sem);
      assert.match(head, /DDIM \(η = 0\) is better, beyond the error bars/);
      assert.match(await w.locator('#schedCap').textContent(), /t = 1000: 0\.00648203 < 0\.00670434 < 0\.00673795/);
      // No empty inversion canvases before the button is pressed.
      assert.equal(await w.locator('#invPanels').isHidden(), true);
      const over = await w.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return [...el.shadowRoot.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > r.right + 1 && !e.closest('.tablewrap')).map((e) => e.id || e.tagName);
      });
      assert.deepEqual(over, []);
      await w.screenshot({ path: `${artifacts}/ddim-default-${width}.png` });
      assert.deepEqual(problems.filter((p) => !/willReadFrequently/.test(p)), []);
    } finally {
      await close();
    }
  }
});

test('<pw-ddim> quality vs cost (issue 15): what the figure plots is the API\'s, DPM-Solver-type samplers win at few evaluations, and where they do not', async (t) => {
  const { page, problems, close } = await openPage('/web/index.html', { viewport: { width: 1280, height: 900 } });
  try {
    await page.evaluate(() => { for (const s of document.querySelectorAll('main > section:not(#diffusion)')) s.remove(); });
    const w = await readyWidget(page, 'pw-ddim');
    await page.waitForSelector('pw-ddim[data-compare="done"]', { timeout: 60000 });
    // Off the first view's path: nothing computed until the reader asks.
    assert.equal(await w.evaluate((el) => el.hasAttribute('data-cost') || el.costResult !== undefined), false);
    const checked = await w.locator('#costPick input[value]:checked').evaluateAll((cs) => cs.map((c) => c.value));
    assert.deepEqual(checked, ['ddim', 'ddpm', 'euler', 'heun', 'dpm++2m', 'unipc']);
    await w.locator('#costBtn').click();
    await page.waitForFunction(() => document.querySelector('pw-ddim').shadowRoot.querySelector('#costProg').value > 0, null, { timeout: 60000 });
    await page.waitForSelector('pw-ddim[data-cost="done"]', { timeout: 240000 });
    // What the reader sees: the plotted series (x = NFE, y = SW₂, err = ±1 s.d.) and the sentence.
    const seen = await w.evaluate((el) => ({
      args: el.costArgs,
      series: el.shadowRoot.querySelector('#cost').pwPlot.args[0].series.filter((s) => s.points).map((s) => ({ label: s.label, x: s.x, y: s.y, err: s.err })),
      floor: el.shadowRoot.querySelector('#cost').pwPlot.args[0].series.find((s) => s.dash)?.y[0],
      text: el.shadowRoot.querySelector('#costConcl').textContent,
    }));
    t.diagnostic(seen.text);
    // The sentence fits the height reserved for it at the click (nothing below moves when it arrives).
    const fit = await w.evaluate((el) => { const c = el.shadowRoot.querySelector('#costConcl'); return { h: c.getBoundingClientRect().height, min: parseFloat(getComputedStyle(c).minHeight) }; });
    assert.ok(fit.h <= fit.min + 0.5, `sentence ${fit.h} px in a ${fit.min} px box`);
    assert.deepEqual(seen.series.map((s) => s.label), ['DDIM', 'DDPM', 'Euler', 'Heun', 'DPM++ 2M', 'UniPC']);
    const steps = seen.args.steps;
    assert.deepEqual(seen.series[3].x, steps.map((n) => 2 * n - 1));  // Heun: two evaluations a step, one on the last
    for (const k of [0, 1, 2, 4, 5]) assert.deepEqual(seen.series[k].x, steps);
    // An independent recomputation in the page, from the public API (not the Worker task): the same seeds'
    // samples, SW₂ to the same exact reference, mean and sample s.d. over the seeds.
    const api = await page.evaluate(async (a) => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      const model = pw.gaussianMixture(a.model);
      const ref = model.sample(a.referenceCount, { seed: a.seed + 1000 });
      const out = {};
      for (const sampler of ['ddim', 'heun', 'dpm++2m', 'unipc']) {
        out[sampler] = [];
        for (const k of [0, a.steps.length - 1]) {
          const sw = [];
          for (let r = 0; r < a.repeats; r++) {
            const x = pw.sampleDiffusion({ model, scheduler: a.scheduler, steps: a.steps[k], count: a.count, seed: a.seed + 7919 * r, sampler });
            sw.push(pw.slicedWasserstein(x, ref, 2, { projections: 64, seed: 7 }));
          }
          const mean = sw.reduce((s, v) => s + v, 0) / sw.length;
          out[sampler].push({ k, mean, sd: Math.sqrt(sw.reduce((s, v) => s + (v - mean) ** 2, 0) / (sw.length - 1)) });
        }
      }
      const floor = [0, 1, 2, 3].map((j) => pw.slicedWasserstein(model.sample(a.count, { seed: a.seed + 2000 + j }), ref, 2, { projections: 64, seed: 7 }));
      model.dispose();
      return { out, floor: floor.reduce((s, v) => s + v, 0) / 4 };
    }, seen.args);
    const close_ = (x, y, what) => assert.ok(Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y)), `${what}: plotted ${x}, API ${y}`);
    const index = { ddim: 0, heun: 3, 'dpm++2m': 4, unipc: 5 };
    for (const [sampler, cells] of Object.entries(api.out)) {
      for (const c of cells) {
        close_(seen.series[index[sampler]].y[c.k], c.mean, `${sampler} mean at ${steps[c.k]} steps`);
        close_(seen.series[index[sampler]].err[c.k], c.sd, `${sampler} s.d. at ${steps[c.k]} steps`);
      }
    }
    close_(seen.floor, api.floor, 'exact-draw floor');
    // The claim the sentence makes holds in these numbers: at the fewest evaluations DPM++ 2M and UniPC are
    // below DDIM beyond ±1 s.d., and at the most steps every curve overlaps every other (it says so too).
    const [ddim, dpm, uni] = [api.out.ddim[0], api.out['dpm++2m'][0], api.out.unipc[0]];
    for (const c of [dpm, uni]) assert.ok(c.mean + c.sd < ddim.mean - ddim.sd, `${steps[0]} steps: ${c.mean} ± ${c.sd} vs DDIM ${ddim.mean} ± ${ddim.sd}`);
    assert.match(seen.text, /^Why DPM-Solver-type samplers became the default: with \d+ model evaluations (UniPC|DPM\+\+ 2M) [\d.]+ ± [\d.]+ against DDIM [\d.]+ ± [\d.]+/);
    const best = uni.mean < dpm.mean ? ['UniPC', uni] : ['DPM++ 2M', dpm];
    assert.ok(seen.text.includes(`${best[0]} ${best[1].mean.toFixed(3)} ± ${best[1].sd.toFixed(3)} against DDIM ${ddim.mean.toFixed(3)} ± ${ddim.sd.toFixed(3)}`), seen.text);
    // "… reaches the level of exact draws at N evaluations, DDIM only at M": the first cell whose bar reaches the floor.
    const reach = (s) => s.x.find((_, k) => s.y[k] - s.err[k] <= seen.floor);
    const m = seen.text.match(/ (DPM\+\+ 2M|UniPC) reaches the level of exact draws at (\d+) evaluations, DDIM only at (\d+)\./);
    assert.ok(m, seen.text);
    assert.equal(Number(m[2]), Math.min(reach(seen.series[4]) ?? Infinity, reach(seen.series[5]) ?? Infinity));
    assert.equal(Number(m[3]), reach(seen.series[0]));
    assert.ok(Number(m[2]) < Number(m[3]));
    const lastAll = seen.series.map((s) => [s.y.at(-1) - s.err.at(-1), s.y.at(-1) + s.err.at(-1)]);
    assert.ok(Math.max(...lastAll.map((b) => b[0])) <= Math.min(...lastAll.map((b) => b[1])), 'at the most steps the bars overlap');
    assert.match(seen.text, /all curves are inside each other’s error bars: there the sampler no longer matters/);
    // Euler with the same timesteps is DDIM (σ = 0): identical curves, and the sentence says so.
    seen.series[2].y.forEach((v, k) => assert.ok(Math.abs(v - seen.series[0].y[k]) <= 1e-5 * seen.series[0].y[k], `Euler ${v} vs DDIM ${seen.series[0].y[k]}`));
    assert.match(seen.text, /Euler’s curve is DDIM’s/);
    await w.locator('#cost').screenshot({ path: `${artifacts}/ddim-cost-1280.png` });
    await page.setViewportSize({ width: 390, height: 900 });
    await page.waitForTimeout(500);
    await w.locator('#cost').scrollIntoViewIfNeeded();
    await w.locator('#cost').screenshot({ path: `${artifacts}/ddim-cost-390.png` });
    const fit390 = await w.evaluate((el) => { const c = el.shadowRoot.querySelector('#costConcl'); return { h: c.getBoundingClientRect().height, min: parseFloat(getComputedStyle(c).minHeight) }; });
    assert.ok(fit390.h <= fit390.min + 0.5, `390 px: sentence ${fit390.h} px in a ${fit390.min} px box`);
    t.diagnostic(`sentence ${fit.h.toFixed(0)}/${fit.min} px at 1280, ${fit390.h.toFixed(0)}/${fit390.min} px at 390`);
    assert.deepEqual(problems.filter((p) => !/willReadFrequently/.test(p)), []);
  } finally {
    await close();
  }
});

test('<pw-ddim>: target, steps, eta set after load rerun the panels and fire change', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    await page.evaluate(() => { for (const s of document.querySelectorAll('main > section:not(#diffusion)')) s.remove(); });
    const w = await readyWidget(page, 'pw-ddim');
    await page.waitForFunction(() => /SW₂/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#status').textContent), null, { timeout: 30000 });
    assert.deepEqual(await change(w, 'steps', '20'), { attribute: 'steps', value: '20' });
    assert.equal(await w.locator('#steps').inputValue(), '20');
    await page.waitForFunction(() => /\/20 · ᾱ/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#frameOut').textContent), null, { timeout: 30000 });
    await change(w, 'target', 'ring');
    assert.equal(await w.locator('#target').inputValue(), 'ring');
    await change(w, 'target', 'nonsense');
    assert.equal(await w.locator('#target').inputValue(), 'grid', 'an unknown target falls back to the default, as at start');
    await change(w, 'eta', '0.5');
    assert.equal(await w.locator('#eta').inputValue(), '0.5');
    assert.equal(await w.locator('#etaOut').textContent(), '0.5');
    await page.waitForFunction(() => /DDIM \(η = 0\.5\): SW₂/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#status').textContent), null, { timeout: 30000 });
    await change(w, 'lang', 'zh');
    assert.match(await w.locator('#tableBtn').textContent(), /计算表格/);
    assert.deepEqual(problems.filter((p) => !/willReadFrequently/.test(p)), []);
  } finally {
    await close();
  }
});
