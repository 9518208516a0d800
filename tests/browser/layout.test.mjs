// The figures as a reader sees them, at a phone width (390 px) and a desktop width (1280 px), in light and dark:
// every text box plot.js draws (canvas.pwBoxes) lies inside its canvas and overlaps no other; the page never
// scrolls sideways; the layout does not shift while the widgets load (CLS from a PerformanceObserver < 0.1).
// Screenshots of every widget go to tests/artifacts/layout-<widget>-<width>-<scheme>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, artifacts } from './harness.mjs';

const WIDGETS = ['pw-softmax', 'pw-sector', 'pw-ddim', 'pw-images', 'pw-flatnce', 'pw-attention', 'pw-lora', 'pw-mixers', 'pw-wobert'];

// Known failures in widgets this test does not own, with the reason (they are reported, not hidden).
const KNOWN = {};
// Widgets whose own content used to shift after their results arrived (their figures and later sentences now
// have reserved sizes): their own shifts are asserted separately, besides counting in the page's CLS.
const OWN_SHIFT = ['PW-DDIM', 'PW-ATTENTION', 'PW-LORA', 'PW-FLATNCE'];

/** Installed before the page's scripts: accumulates layout shifts not caused by input (the CLS sum). */
function clsObserver() {
  globalThis.__cls = 0;
  globalThis.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      // the widget the shifted boxes belong to (nodes inside a shadow root are reported as null)
      const y = e.sources?.[0]?.currentRect.y ?? -1;
      const who = [...document.querySelectorAll('main section > *')].find((w) => {
        const r = w.getBoundingClientRect();
        return w.tagName.startsWith('PW-') && r.top <= y && r.bottom >= y + (e.sources[0].currentRect.height || 0);
      })?.tagName ?? 'page';
      globalThis.__cls += e.value;
      globalThis.__shifts.push({ value: e.value, who, sources: (e.sources ?? []).map((s) => s.node?.nodeName ?? '?') });
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

/** Text boxes of every plot canvas in a widget that leave their canvas or overlap another. */
function boxProblems(tag) {
  const el = document.querySelector(tag);
  const out = [];
  let canvases = 0, boxes = 0;
  const overlaps = (a, b, tol = 0.5) => a.x + tol < b.x + b.w && b.x + tol < a.x + a.w && a.y + tol < b.y + b.h && b.y + tol < a.y + a.h;
  for (const c of el.shadowRoot.querySelectorAll('canvas')) {
    if (!c.pwBoxes || !c.isConnected || c.clientWidth === 0) continue;
    canvases++;
    const W = c.clientWidth, H = c.clientHeight, name = c.id || c.className || c.getAttribute('aria-label') || 'canvas';
    const bs = c.pwBoxes;
    boxes += bs.length;
    for (const b of bs) {
      if (b.x < -0.5 || b.y < -0.5 || b.x + b.w > W + 0.5 || b.y + b.h > H + 0.5) {
        out.push(`${name}: ${b.role} "${b.text}" [${b.x.toFixed(1)}, ${b.y.toFixed(1)}, ${b.w.toFixed(1)}×${b.h.toFixed(1)}] outside ${W}×${H}`);
      }
    }
    for (let i = 0; i < bs.length; i++) for (let j = i + 1; j < bs.length; j++) {
      if (overlaps(bs[i], bs[j])) out.push(`${name}: ${bs[i].role} "${bs[i].text}" overlaps ${bs[j].role} "${bs[j].text}"`);
    }
  }
  return { problems: out, canvases, boxes };
}

for (const width of [390, 1280]) {
  for (const scheme of ['light', 'dark']) {
    test(`figures at ${width} px, ${scheme}: text inside the canvas and no overlaps, no sideways scroll, CLS < 0.1`, async (t) => {
      const { page, problems, close } = await openPage('/web/index.html', {
        viewport: { width, height: width < 500 ? 844 : 900 }, colorScheme: scheme, init: clsObserver,
      });
      try {
        const results = {};
        for (const tag of WIDGETS) {
          await page.locator(tag).scrollIntoViewIfNeeded();
          await page.waitForSelector(`${tag}[data-state="ready"]`, { timeout: 30000 });
          // the first results (a Worker task in some widgets) and the resize after them
          if (tag === 'pw-sector') await page.waitForSelector('pw-sector[data-mc="done"]', { timeout: 30000 });
          if (tag === 'pw-wobert') await page.waitForSelector('pw-wobert[data-done]', { timeout: 30000 });
          await page.waitForTimeout(700);
          results[tag] = await page.evaluate(boxProblems, tag);
        }
        const scroll = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: innerWidth }));
        const cls = await page.evaluate(() => ({ cls: globalThis.__cls, shifts: globalThis.__shifts }));
        // screenshots last: capturing an element taller than the viewport resizes the page
        for (const tag of WIDGETS) await page.locator(tag).screenshot({ path: `${artifacts}/layout-${tag.slice(3)}-${width}-${scheme}.png` });
        for (const tag of WIDGETS) {
          const r = results[tag];
          await t.test(`${tag}: ${r.boxes} text boxes in ${r.canvases} canvases`, KNOWN[tag] ? { todo: KNOWN[tag] } : {}, () => {
            assert.deepEqual(r.problems, []);
          });
        }
        await t.test('no sideways scroll', () => assert.ok(scroll.sw <= scroll.iw, `page ${scroll.sw} px wide in a ${scroll.iw} px viewport`));
        const sum = (xs) => xs.reduce((a, x) => a + x.value, 0);
        t.diagnostic(`CLS ${sum(cls.shifts).toFixed(4)}; page ${scroll.sw} px in ${scroll.iw} px`);
        await t.test('cumulative layout shift < 0.1', () => assert.ok(sum(cls.shifts) < 0.1, `CLS ${sum(cls.shifts).toFixed(3)}: ${JSON.stringify(cls.shifts.slice(0, 8))}`));
        for (const who of OWN_SHIFT) {
          const mine = cls.shifts.filter((x) => x.who === who);
          await t.test(`${who.toLowerCase()}: shifts inside the widget when its results arrive, ${sum(mine).toFixed(3)} < 0.01`, () => assert.ok(sum(mine) < 0.01, JSON.stringify(mine)));
        }
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    });
  }
}

/** What of the widget `tag` is wider than the widget, and which of its boxes scroll sideways inside it. */
function sideways(tag) {
  const el = document.querySelector(tag), host = el.getBoundingClientRect();
  const name = (e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ')[0]}` : ''}`;
  const all = [...el.shadowRoot.querySelectorAll('*')];
  return {
    wider: all.filter((e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.right > host.right + 0.5; }).map(name).slice(0, 5),
    scrolls: all.filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && !['visible', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX)).map(name),
  };
}

test('at 360 px neither the demo page nor any widget scrolls sideways (tables become cards)', async (t) => {
  const { page, close } = await openPage('/web/index.html', { viewport: { width: 360, height: 740 } });
  try {
    for (const tag of WIDGETS) {
      await page.locator(tag).scrollIntoViewIfNeeded();
      await page.waitForSelector(`${tag}[data-state="ready"]`, { timeout: 30000 });
    }
    // the tables filled on request, too: FlatNCE's batch sweep arrives by itself, DDIM's quality table on a click
    await page.waitForSelector('pw-flatnce[data-batch="done"]', { timeout: 120000 });
    await page.locator('pw-ddim').evaluate((el) => el.shadowRoot.querySelector('#tableBtn').click());
    await page.waitForFunction(() => /done/.test(document.querySelector('pw-ddim').shadowRoot.querySelector('#tableStatus').textContent), null, { timeout: 120000 });
    await page.waitForTimeout(500);
    const { sw, iw, wide } = await page.evaluate(() => ({
      sw: document.documentElement.scrollWidth, iw: innerWidth,
      wide: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5).map((e) => e.tagName).slice(0, 5),
    }));
    assert.ok(sw <= iw, `page ${sw} px wide in ${iw} px: ${wide.join(', ')}`);
    for (const tag of WIDGETS) {
      const r = await page.evaluate(sideways, tag);
      await t.test(`${tag} at 360 px`, () => assert.deepEqual(r, { wider: [], scrolls: [] }));
    }
    await page.locator('pw-flatnce').screenshot({ path: `${artifacts}/layout-flatnce-360-cards.png` });
  } finally {
    await close();
  }
});

// The number each widget opens to show (its post's claim), and where it must be at 390 px: within the first
// screen of the widget (844 px from its top) and above its figures, apart from the ones named (an editor the
// reader drags, or a sentence that arrives from the Worker below its own figure).
const HEADLINES = {
  'pw-softmax': ['section[data-map="softmax"] .pw-read', ['#editor', 'section[data-map="softmax"] canvas', 'section[data-map="am"] canvas']],
  'pw-sector': ['#p', []],
  'pw-ddim': ['#headline', []],
  'pw-flatnce': ['#sweep-conclusion', []],
  'pw-attention': ['#noise-conclusion', ['#noise-plot']],
  'pw-lora': ['#headline', []],
  'pw-wobert': ['#stats [data-stat="4"]', []],
};

test('at 390 px each widget shows its headline number first (within its first screen, above its figures)', async (t) => {
  const { page, close } = await openPage('/web/index.html', { viewport: { width: 390, height: 844 } });
  try {
    for (const [tag, [sel, before]] of Object.entries(HEADLINES)) {
      await page.locator(tag).scrollIntoViewIfNeeded();
      await page.waitForSelector(`${tag}[data-state="ready"]`, { timeout: 30000 });
      const r = await page.locator(tag).evaluate((el, [s, skip]) => {
        const top = el.getBoundingClientRect().top, h = el.shadowRoot.querySelector(s).getBoundingClientRect().top - top;
        const first = [...el.shadowRoot.querySelectorAll('canvas')].filter((c) => c.clientWidth > 0 && !skip.some((k) => c.matches(k) || el.shadowRoot.querySelector(k) === c))
          .map((c) => c.getBoundingClientRect().top - top);
        return { h, canvas: Math.min(...first) };
      }, [sel, before]);
      await t.test(`${tag}: ${sel} at ${r.h.toFixed(0)} px, first other figure at ${r.canvas.toFixed(0)} px`, () => {
        assert.ok(r.h < 844, `${r.h} px from the widget's top`);
        assert.ok(r.h < r.canvas, 'above the figures');
      });
    }
  } finally {
    await close();
  }
});
