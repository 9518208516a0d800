// Opens a page of this repository in headless Debian Chromium (playwright-core), served over http by
// scripts/serve.mjs, and collects console errors and page errors. Screenshots go to tests/artifacts/.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * @param {string} path page path under the repository root, e.g. '/web/index.html'
 * @param {{ csp?: boolean, root?: string, viewport?: {width:number,height:number}, colorScheme?: 'light'|'dark', init?: Function }} [opts]
 *   init: a function run in the page before its own scripts (page.addInitScript)
 * @returns {Promise<{ page, problems: string[], url: string, close: () => Promise<void> }>}
 */
export async function openPage(path, opts = {}) {
  await mkdir(artifacts, { recursive: true });
  const { server, url } = await serve({ root: opts.root ?? root, csp: opts.csp ?? false });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1100, height: 900 }, colorScheme: opts.colorScheme ?? 'light' });
  const page = await context.newPage();
  if (opts.init) await page.addInitScript(opts.init);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(url + path);
  return {
    page, problems, url,
    close: async () => { await browser.close(); server.close(); },
  };
}

/** Scrolls the element into view and waits until its widget has loaded (data-state="ready"). */
export async function readyWidget(page, selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${selector}[data-state="ready"]`, { timeout: 20000 });
  return page.locator(selector);
}

/** Sets an attribute of a widget after load and resolves with its change event's detail. */
export function attributeChange(w, name, value) {
  return w.evaluate((el, [n, v]) => new Promise((resolve, reject) => {
    el.addEventListener('change', (e) => { if (e.target === el) resolve(e.detail); }, { once: true });
    el.setAttribute(n, v);
    setTimeout(() => reject(new Error(`no change event for ${n}`)), 5000);
  }), [name, value]);
}

/** Sets a control's value as a reader would and fires its event ('change' or 'input'). */
export function setValue(control, value, event = 'change') {
  return control.evaluate((el, [v, e]) => { el.value = v; el.dispatchEvent(new Event(e, { bubbles: true })); }, [value, event]);
}

/**
 * The locator's text once it equals `expected` (a string, or a RegExp it matches), or after `timeout` ms the
 * text it has then, for the caller's assertion: for text a widget fills in asynchronously (reader errors).
 */
export async function shows(locator, expected, timeout = 5000) {
  const t0 = Date.now();
  for (;;) {
    const text = await locator.textContent();
    if (expected instanceof RegExp ? expected.test(text) : text === expected) return text;
    if (Date.now() - t0 > timeout) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
}
