// Errors a reader understands (issue 13, goal 7), in every widget and in its language: a library error
// (RangeError/TypeError naming the function, the parameter and the value) is shown as a sentence in the
// reader's terms, by the one shared mapping (web/elements/errors.js, PwElement.say/showError); the
// developer's message stays in the tooltip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readyWidget, setValue, shows } from './harness.mjs';


/** A real library error from the API in the page, said by the widget `tag` (its names, its language). */
function said(page, tag, call) {
  return page.evaluate(async ([t, src]) => {
    const { load } = await import('/dist/index.js');
    const pw = await load();
    try { (0, eval)(src)(pw); } catch (e) {
      const el = document.querySelector(t);
      el.say(e);  // the first error of a page fetches the mapping (errors.js): wait for it
      await import('/dist/elements/errors.js');
      return { dev: e.message, reader: el.say(e) };
    }
    return null;
  }, [tag, call]);
}

// Per widget: the error a reader can cause with its controls (shown in the widget), or, where the controls
// clamp every value, a real error of the widget's own API said through the widget.
const CASES = {
  'pw-softmax': { ui: async (w) => { await setValue(w.locator('#temperature'), '-2', 'input'); return '#error'; },
    en: 'τ must be greater than 0 (got -2)', zh: 'τ 必须大于 0（当前为 -2）' },
  'pw-flatnce': { ui: async (w) => { await setValue(w.locator('#k'), '1', 'input'); return '#sweep-err'; },
    en: 'K must be a whole number from 2 to 1e6 (got 1)', zh: 'K 必须是 2 到 1e6 之间的整数（当前为 1）' },
  'pw-attention': { ui: async (w) => { await setValue(w.locator('#tau'), '0', 'input'); return '#entropy-err'; },
    en: 'τ must lie in [0.01, 1000] (got 0)', zh: 'τ 必须在 [0.01, 1000] 内（当前为 0）' },
  'pw-lora': { ui: async (w) => { await setValue(w.locator('#r'), '0', 'input'); return '#calc-err'; },
    en: 'rank r must be a whole number ≥ 1 (got 0)', zh: '秩 r 必须是不小于 1 的整数（当前为 0）' },
  'pw-sector': { api: '(pw) => pw.sectorProbability(0, 1)', en: 'n (points) must be a whole number ≥ 1 (got 0)', zh: 'n（点数）必须是正整数（当前为 0）' },
  'pw-mixers': { api: '(pw) => pw.mixerInput("blocks", 8, 0)', en: 'channels d must be a whole number from 1 to 4096 (got 0)', zh: '通道 d 必须是 1 到 4096 之间的整数（当前为 0）' },
  'pw-ddim': { api: '(pw) => new pw.DDIMScheduler({ numTrainTimesteps: 1 }).setTimesteps(5000)', en: 'steps must be a whole number from 1 to numTrainTimesteps = 1 (got 5000)', zh: '步数必须是 1 到 numTrainTimesteps = 1 之间的整数（当前为 5000）' },
  'pw-wobert': { api: '(pw) => pw.wobertSpeedup(-1, 0.5)', en: 'input length L must be greater than 0 (got -1)', zh: '输入长度 L 必须大于 0（当前为 -1）' },
};

const check = (actual, expected, what) => (expected instanceof RegExp ? assert.match(actual, expected, what) : assert.equal(actual, expected, what));

for (const lang of ['en', 'zh']) {
  test(`every widget says the library's errors for a reader, in ${lang === 'en' ? 'English' : 'Chinese'}`, async (t) => {
    const { page, problems, close } = await openPage('/web/index.html');
    try {
      for (const [tag, c] of Object.entries(CASES)) {
        const w = await readyWidget(page, tag);
        if (lang === 'zh') await w.evaluate((el) => el.setAttribute('lang', 'zh-CN'));  // a live attribute: the widget relabels
        let text, dev;
        if (c.ui) {
          const sel = await c.ui(w);
          const box = w.locator(sel);
          text = (await shows(box, c[lang])).trim();
          dev = await box.getAttribute('title');
        } else {
          ({ reader: text, dev } = await said(page, tag, c.api));
        }
        t.diagnostic(`${tag}: "${text}" ← "${dev}"`);
        check(text, c[lang], tag);
        assert.doesNotMatch(text, /^[\w.]+: /, `${tag}: no function-name prefix`);
        assert.match(dev, /\b[\w.]+: \S+ must /, `${tag}: the developer's message is kept (${dev})`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}
