// Share and reuse (issue 13, goal 9), the same for every widget (web/elements/share.js): the state in the URL
// hash round-trips, malformed values are ignored, two widgets do not collide; PNG and SVG export of a figure;
// "Copy code" gives npm-API code that, run in Node against dist/, prints the numbers the widget shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openPage, readyWidget, artifacts, root, setValue } from './harness.mjs';

/** Opens the widget's export panel and returns its code (the text Copy code copies). */
async function copiedCode(w) {
  if (!(await w.locator('.pw-tools').evaluate((d) => d.open))) await w.locator('.pw-tools > summary').click();
  await w.locator('.pw-tools button[data-act="code"]').click();
  await w.locator('.pw-share-status').filter({ hasText: /./ }).waitFor();
  return w.locator('.pw-code').textContent();
}

/** Runs a snippet in Node as a reader would (a module importing 'probwasm', the package's own dist/). */
async function runInNode(code, name) {
  const file = join(artifacts, `snippet-${name}.mjs`);  // inside the package: 'probwasm' resolves to dist/
  await writeFile(file, code);
  const out = await new Promise((ok, no) => execFile(process.execPath, [file], { cwd: root }, (err, stdout, stderr) => (err ? no(new Error(`${err.message}\n${stderr}`)) : ok(stdout))));
  return JSON.parse(out);
}

/** |a − b| within half a unit of the last digit shown. */
function shown(actual, text, what) {
  const dec = (text.split('e')[0].split('.')[1] ?? '').length;
  const exp = /e([+-]?\d+)/.exec(text)?.[1] ?? 0;
  const tol = 0.5 * 10 ** (Number(exp) - dec) * 1.0001;
  assert.ok(Math.abs(actual - Number(text)) <= tol, `${what}: ${actual} vs shown ${text}`);
}

const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash));

test('share: the URL hash opens widgets in its state, follows the controls, and ignores malformed values', async () => {
  const { page, problems, close } = await openPage('/web/index.html#softmax&pw-softmax.logits=2,1,0,-1&pw-softmax.temperature=0.5&pw-sector.n=7&pw-sector.theta-deg=90&pw-lora.m=512');
  try {
    const s = await readyWidget(page, 'pw-softmax');
    assert.equal(await s.locator('#logits').inputValue(), '2 1 0 -1');
    assert.equal(await s.locator('#temperature').inputValue(), '0.5');
    const sm = await s.locator('#table tr[data-map="softmax"] td').allTextContents();
    const expect = await page.evaluate(async () => { const { load } = await import('/dist/index.js'); return Array.from((await load()).softmax([2, 1, 0, -1], { temperature: 0.5 })); });
    sm.forEach((c, i) => shown(expect[i], c, `softmax[${i}] from the hash`));
    // a control changes: the widget's keys follow, everything else in the hash (an anchor, other widgets) stays
    await setValue(s.locator('#temperature'), '2', 'input');
    await page.waitForFunction(() => location.hash.includes('pw-softmax.temperature=2'));
    const h = await hash(page);
    assert.match(h, /^#softmax&/);
    assert.match(h, /pw-sector\.n=7/);
    assert.match(h, /pw-softmax\.logits=2,1,0,-1/);
    assert.equal((h.match(/pw-softmax\.temperature=/g) ?? []).length, 1);
    const sec = await readyWidget(page, 'pw-sector');
    assert.equal(await sec.locator('#n').inputValue(), '7');
    assert.equal(await sec.locator('#deg').inputValue(), '90');
    await setValue(sec.locator('#n'), '12');
    await page.waitForFunction(() => location.hash.includes('pw-sector.n=12'));
    const lora = await readyWidget(page, 'pw-lora');
    assert.equal(await lora.locator('#m').inputValue(), '512');
    // reload with the written hash: the same state
    const url = await page.evaluate(() => location.href);
    await page.goto('about:blank');
    await page.goto(url);
    const s2 = await readyWidget(page, 'pw-softmax');
    assert.equal(await s2.locator('#temperature').inputValue(), '2');
    assert.equal(await s2.locator('#logits').inputValue(), '2 1 0 -1');
    assert.equal(await (await readyWidget(page, 'pw-sector')).locator('#n').inputValue(), '12');

    // malformed values: not numbers, bad escapes, infinities, control characters — the attributes' values are used
    await page.goto('about:blank');
    await page.goto(url.replace(/#.*/, '#pw-softmax.logits=1,abc&pw-softmax.temperature=%E0%A4%A&pw-softmax.alpha=Infinity&pw-sector.n=1e999&pw-sector.theta-deg=&pw-mixers.input=%01&=&&pw-softmax.nope=3'));
    const s3 = await readyWidget(page, 'pw-softmax');
    assert.equal(await s3.locator('#logits').inputValue(), '1 0.5 0.2 -0.3 -1');
    assert.equal(await s3.locator('#temperature').inputValue(), '1');
    assert.equal(await s3.locator('#alpha').inputValue(), '1.5');
    assert.equal(await s3.locator('#error').textContent(), '');
    assert.equal(await (await readyWidget(page, 'pw-sector')).locator('#n').inputValue(), '4');
    assert.equal(await s3.getAttribute('nope'), null);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('share: two widgets of one page keep their own keys (id, else tag-2)', async () => {
  const { page, problems, close } = await openPage('/tests/browser/pages/share.html#first.temperature=3&pw-softmax-2.logits=0,0,1');
  try {
    const a = await readyWidget(page, '#first'), b = await readyWidget(page, 'pw-softmax:not(#first)');
    assert.equal(await a.locator('#temperature').inputValue(), '3');
    assert.equal(await a.locator('#logits').inputValue(), '1 0.5 0.2 -0.3 -1');
    assert.equal(await b.locator('#temperature').inputValue(), '1');
    assert.equal(await b.locator('#logits').inputValue(), '0 0 1');
    await setValue(b.locator('#alpha'), '1.25', 'input');
    await page.waitForFunction(() => location.hash.includes('pw-softmax-2.alpha=1.25'));
    const h = await hash(page);
    assert.match(h, /first\.temperature=3/);
    assert.doesNotMatch(h, /first\.alpha/);
    assert.equal(await a.locator('#alpha').inputValue(), '1.5');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('Copy code: the npm-API snippet run in Node prints the numbers softmax, sector, FlatNCE, LoRA, attention, mixers, WoBERT and DDIM show', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    // softmax at a reader's state: other logits and τ
    const s = await readyWidget(page, 'pw-softmax');
    await setValue(s.locator('#logits'), '1.5 -0.25 0.75 3');
    await setValue(s.locator('#temperature'), '0.7', 'input');
    await setValue(s.locator('#alpha'), '1.8', 'input');
    await page.waitForTimeout(100);
    const fig = await runInNode(await copiedCode(s), 'softmax');
    for (const map of ['softmax', 'am', 'taylor', 'sparse', 'perturb', 'sparsemax', 'entmax']) {
      const cells = await s.locator(`#table tr[data-map="${map}"] td`).allTextContents();
      assert.equal(cells.length, 4, map);
      cells.forEach((c, i) => shown(fig[map][i], c, `${map}[${i}]`));
    }
    assert.match(await s.locator('section[data-map="am"] .pw-read').textContent(), new RegExp(`L ${fig.amLoss.toFixed(4)}`));
    for (const [map, l] of Object.entries(fig.losses)) {
      const cells = (await s.locator(`#losses tr[data-map="${map}"] td`).allTextContents()).map((c) => c.replace(/ wrong way$/, ''));
      [l.own, l.negP, l.logEps, l.surrogate, l.surrogatePost].forEach((v, i) => (v === null ? assert.equal(cells[i], '—') : shown(v, cells[i], `${map} loss[${i}]`)));
    }

    // sector at n = 9, θ = 200°
    const sec = await readyWidget(page, 'pw-sector');
    await setValue(sec.locator('#n'), '9');
    await setValue(sec.locator('#deg'), '200');
    const f2 = await runInNode(await copiedCode(sec), 'sector');
    assert.equal(await sec.locator('#p').textContent(), f2.probability.toPrecision(15));
    assert.equal(await sec.locator('#q').textContent(), f2.complement.toPrecision(15));
    assert.equal(await sec.locator('#wendel').textContent(), f2.wendel.toPrecision(6));
    assert.equal(await sec.locator('#exact').textContent(), `${f2.exact.numerator}/${f2.exact.denominator}`);

    // FlatNCE's margin table at K = 16, s_t = 12
    const fl = await readyWidget(page, 'pw-flatnce');
    await setValue(fl.locator('#k'), '16', 'input');
    await setValue(fl.locator('#pos'), '12', 'input');
    const f3 = await runInNode(await copiedCode(fl), 'contrastive');
    const rows = await fl.locator('#table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, 4);
    rows.forEach((r, i) => {
      assert.equal(Number(r[0]), f3[i].D);
      shown(f3[i].xi, r[1], `xi[${i}]`); shown(f3[i].ce64, r[2], `ce64[${i}]`); shown(f3[i].ce32Naive, r[3], `ce32 naive[${i}]`);
      shown(f3[i].ce32Framework, r[4], `ce32[${i}]`); shown(f3[i].grad32, r[5], `grad32[${i}]`); shown(f3[i].grad64, r[6], `grad64[${i}]`);
      shown(f3[i].flatnce32, r[7], `flatnce32[${i}]`);
    });

    // LoRA's calculator at n = 2048, m = 512, r = 4
    const lora = await readyWidget(page, 'pw-lora');
    for (const [id, v] of [['n', '2048'], ['m', '512'], ['r', '4']]) await setValue(lora.locator(`#${id}`), v, 'input');
    const f4 = await runInNode(await copiedCode(lora), 'lora');
    assert.equal(await lora.locator('#su').textContent(), f4.su.toPrecision(6));
    assert.equal(await lora.locator('#paper').textContent(), f4.paper.toPrecision(6));
    assert.equal(await lora.locator('#law').textContent(), f4.law.toPrecision(6));
    assert.equal(await lora.locator('#meas').textContent(), `${f4.measuredMean.toPrecision(4)} ± ${f4.measuredSd.toPrecision(2)}`);

    // attention's entropy floor at τ = 0.5, n = 100
    const at = await readyWidget(page, 'pw-attention');
    await setValue(at.locator('#tau'), '0.5', 'input');
    await setValue(at.locator('#n'), '100', 'input');
    const f5 = await runInNode(await copiedCode(at), 'attention');
    const out = await at.locator('#entropy-out').textContent();
    assert.ok(out.includes(`H_min = ${f5.entropy.toPrecision(7)}`), out);
    assert.ok(out.includes(`c = ${f5.limitGap.toFixed(7)}`), out);

    // the mixers' cards at d = 8
    const mx = await readyWidget(page, 'pw-mixers');
    await setValue(mx.locator('#d'), '8');
    const f6 = await runInNode(await copiedCode(mx), 'mixers');
    const sci = (v) => (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(4));
    for (const kind of ['attention', 'mixer', 'fnet']) {
      const card = mx.locator(`.card[data-kind="${kind}"]`);
      assert.equal(await card.locator('[data-stat="flops"]').textContent(), `FLOPs ${Math.round(f6[kind].flops).toLocaleString('en-US')}`, kind);
      assert.equal(await card.locator('[data-stat="dep"]').textContent(), `max|M(X) − M(X′)| = ${sci(f6[kind].maxAbsDependence)}`, kind);
      assert.equal(await card.locator('.mixcap').textContent(), `M (32×32) [${sci(f6[kind].matrixMin)}, ${sci(f6[kind].matrixMax)}]`, kind);
    }

    // WoBERT on its default text
    const wb = await readyWidget(page, 'pw-wobert');
    await page.waitForFunction(() => document.querySelector('pw-wobert').hasAttribute('data-done'), null, { timeout: 60000 });
    const f8 = await runInNode(await copiedCode(wb), 'wobert');
    assert.equal(await wb.locator('#h-chars').textContent(), `Character BERT: ${f8.charTokens} tokens (+ [CLS]/[SEP])`);
    assert.equal(await wb.locator('#h-words').textContent(), `WoBERT: ${f8.wobertTokens} tokens (+ [CLS]/[SEP])`);
    assert.ok((await wb.locator('#stats').textContent()).includes(f8.ratio.toFixed(4)), `ratio ${f8.ratio}`);

    // DDIM's panels at 20 steps, η = 0.5
    const dd = await readyWidget(page, 'pw-ddim');
    await setValue(dd.locator('#steps'), '20');
    await setValue(dd.locator('#eta'), '0.5');
    await page.waitForFunction(() => /DDIM \(η = 0\.5\)/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#status').textContent), null, { timeout: 60000 });
    const status = await dd.locator('#status').textContent();
    const f7 = await runInNode(await copiedCode(dd), 'diffusion');
    const shownSw = [...status.matchAll(/SW₂ to the target = (\d\.\d{4})/g)].map((m) => m[1]);
    assert.deepEqual(shownSw, Object.values(f7).map((v) => v.toFixed(4)), `${status} vs ${JSON.stringify(f7)}`);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('export: a figure as PNG at the device pixel ratio and as vector SVG with the same text (softmax, sector, DDIM\'s panel)', async () => {
  const { page, problems, close } = await openPage('/web/index.html');
  try {
    for (const tag of ['pw-softmax', 'pw-sector', 'pw-ddim']) {
      const w = await readyWidget(page, tag);
      if (tag === 'pw-ddim') await page.waitForFunction(() => /SW₂/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#status').textContent), null, { timeout: 60000 });
      await w.locator('.pw-tools > summary').click();
      const fig = tag === 'pw-ddim' ? 0 : 1;  // a map's bars; sector's P_n(θ) curve; DDIM's left panel (its points drawn over the axes)
      const row = w.locator(`.pw-tools [data-fig="${fig}"]`);
      const canvas = await w.locator('canvas').nth(fig).evaluate((c) => ({ w: c.width, h: c.height, texts: (c.pwBoxes ?? []).map((b) => b.text) }));
      const [png] = await Promise.all([page.waitForEvent('download'), row.locator('button[data-act="png"]').click()]);
      const bytes = await readFile(await png.path());
      assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
      assert.equal(bytes.readUInt32BE(16), canvas.w, 'PNG width = the canvas’s device pixels');
      assert.equal(bytes.readUInt32BE(20), canvas.h);
      const [svgDl] = await Promise.all([page.waitForEvent('download'), row.locator('button[data-act="svg"]').click()]);
      assert.match(svgDl.suggestedFilename(), new RegExp(`^${tag}-.*\\.svg$`));
      const svg = await readFile(await svgDl.path(), 'utf8');
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.doesNotMatch(svg, /<image/, 'vector, not a bitmap in SVG');
      assert.ok((svg.match(/<path /g) ?? []).length >= 5, 'paths');
      const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&#(\d+);/g, (_, c) => String.fromCharCode(c)));
      const plain = canvas.texts.filter((t) => !/[\^_]/.test(t));
      assert.ok(plain.length >= 3, `${tag}: text boxes on the canvas`);
      for (const t of plain) assert.ok(texts.includes(t), `${tag}: "${t}" in the SVG (${texts.join(' | ')})`);
      // the SVG renders: look at it beside the canvas
      const shot = await page.evaluate(async (s) => {
        const img = new Image();
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(s)}`;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, svg);
      assert.ok(shot[0] > 100 && shot[1] > 50, `SVG decodes: ${shot}`);
      await writeFile(join(artifacts, `export-${tag}.svg`), svg);
    }
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
