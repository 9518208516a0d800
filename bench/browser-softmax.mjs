// Runs bench/browser-softmax.html in headless Chromium (Debian /usr/bin/chromium driven by playwright-core),
// served from this repository by bench/chromium.mjs, and returns its result rows. Node-only.
import { openChromium } from './chromium.mjs';

/** { rows, tfjs, ua } from the page, or null when Chromium or playwright-core is missing. */
export async function runInChromium({ timeoutMs = 240000 } = {}) {
  const c = await openChromium('/bench/browser-softmax.html');
  if (!c) return null;
  try {
    await c.tab.waitForSelector('body[data-status]', { timeout: timeoutMs });
    const result = await c.tab.evaluate(() => window.__result);
    if (result.error || c.errors.length) throw new Error(`bench softmax in Chromium: ${result.error ?? c.errors.join('; ')}`);
    result.browser = c.browser.replace(/^Chromium /, '');
    return result;
  } finally {
    await c.close();
  }
}
