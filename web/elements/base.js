// Base class of every <pw-*> widget: a static fallback until the element nears the viewport, then the
// page's one shared wasm instance (see loadFor), theme and language, and pause/resume when it scrolls out
// of view.
import { load } from '../load.js';
import { redrawPlots } from './plot.js';

/** Card labels (labelCells) longer than this many characters may wrap on a phone. */
const WRAP_LABEL = 24;

const CSS = `
:host { display: block; max-width: 100%; box-sizing: border-box; font: 14px/1.45 system-ui, sans-serif;
  --pw-fg: #1d2430; --pw-muted: #5b6473; --pw-bg: #ffffff; --pw-panel: #f4f6f9; --pw-border: #d5dae2;
  --pw-accent: #2f6fde; --pw-accent2: #d9622b; --pw-good: #1f8a4c; --pw-bad: #c23a3a;
  color: var(--pw-fg); background: var(--pw-bg); border: 1px solid var(--pw-border); border-radius: 8px; padding: 12px; }
@media (prefers-color-scheme: dark) {
  :host { --pw-fg: #e4e8ef; --pw-muted: #9aa3b2; --pw-bg: #161a21; --pw-panel: #1f2530; --pw-border: #364051;
    --pw-accent: #6ea0ff; --pw-accent2: #ff9a5c; --pw-good: #4cc483; --pw-bad: #ff6b6b; } }
:host([theme="light"]) { --pw-fg: #1d2430; --pw-muted: #5b6473; --pw-bg: #ffffff; --pw-panel: #f4f6f9; --pw-border: #d5dae2; }
:host([theme="dark"]) { --pw-fg: #e4e8ef; --pw-muted: #9aa3b2; --pw-bg: #161a21; --pw-panel: #1f2530; --pw-border: #364051; }
* { box-sizing: border-box; }
.pw-fallback { color: var(--pw-muted); padding: 24px 8px; text-align: center; }
.pw-row { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 6px 0; }
label { display: inline-flex; gap: 6px; align-items: center; }
input, select, button { font: inherit; color: inherit; background: var(--pw-panel); border: 1px solid var(--pw-border); border-radius: 4px; padding: 2px 6px; }
button { cursor: pointer; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--pw-accent); outline-offset: 1px; }
input[type=range] { padding: 0; }
canvas { display: block; width: 100%; }
.pw-muted { color: var(--pw-muted); }
.pw-num { font-variant-numeric: tabular-nums; font-family: ui-monospace, monospace; }
.pw-error { color: var(--pw-bad); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
td, th { padding: 2px 8px; border-bottom: 1px solid var(--pw-border); text-align: right; }
progress { width: 160px; }
/* a one- or two-column grid of plots, a section heading, and a sentence drawn from the reader's run */
.pw-grid { display: grid; grid-template-columns: 1fr; gap: 8px; }
@media (min-width: 760px) { .pw-grid.two { grid-template-columns: 1fr 1fr; } }
h3 { font-size: 15px; margin: 10px 0 4px; }
fieldset { min-width: 0; }
/* phones: table rows as cards (labelCells) */
@media (max-width: 560px) {
  table.pw-cards thead, table.pw-cards tr.pw-head { display: none; }
  table.pw-cards tr { display: flex; flex-wrap: wrap; gap: 0 12px; border-bottom: 1px solid var(--pw-border); padding: 3px 0; }
  table.pw-cards th, table.pw-cards td { border: 0; padding: 0; text-align: left !important; white-space: normal !important; }
  table.pw-cards td[data-h] { white-space: nowrap !important; }
  table.pw-cards td[data-h].pw-wrap { white-space: normal !important; }  /* a long label (e.g. a formula) may wrap */
  table.pw-cards th[scope=row] { flex-basis: 100%; }
  table.pw-cards td::before { content: attr(data-h) " "; color: var(--pw-muted); }
}
.pw-conclusion { font-weight: 600; margin: 6px 0; }
.pw-tools { margin-top: 8px; font-size: 12px; color: var(--pw-muted); }
.pw-tools > summary { cursor: pointer; width: max-content; margin-left: auto; }
`;

// The topics of the widgets connected to this page (elements are upgraded, and connected, when embed.js
// defines them: before any of them nears the viewport and loads).
export const pageTopics = new Set();

/**
 * One wasm instance per page: a page whose widgets are all of one topic loads that topic's own module
 * (a blog post with one <pw-softmax> downloads ~70 KB gzipped); a page mixing topics loads the
 * all-topics module once, rather than one module per topic.
 */
function loadFor(topic) {
  return pageTopics.size > 1 ? load() : load({ topics: [topic] });
}

// errors.js, fetched on a page's first error
let reader = null, readerPromise = null;
const readerReady = { then(f) { readerPromise ??= import('./errors.js').then((m) => { reader = m.readerError; }); return readerPromise.then(f); } };

// Connected widgets, redrawn when the reader's colour scheme changes after load (their CSS variables follow
// prefers-color-scheme, the canvases must be painted again).
const live = new Set();
// (kept in a module variable: a MediaQueryList nobody references may be garbage-collected with its listener)
const darkScheme = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
live.scheme = darkScheme;  // referenced from the widgets, so it lives as long as they do
darkScheme?.addEventListener?.('change', () => {
  for (const el of live) if (el.ready) el.redraw();
});

export class PwElement extends HTMLElement {
  /** English and Chinese fallback text shown before the wasm module loads. */
  static fallback = { en: 'Interactive figure: loads when visible.', zh: '交互图：进入视口时加载。' };
  /** The topic whose module the widget loads (the widget's file name in web/elements/). */
  static topic = null;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.visible = false;
    this.started = false;
    this.ready = false; // start(pw) has built the UI: only then may pause()/resume() run
    this.reducedMotion = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  }

  /**
   * The attributes a widget documents besides `lang` and `theme` (e.g. ['n', 'theta-deg']). A widget that
   * lists them gets live attributes: a later change re-reads them (paramChanged, by default a rebuild of
   * its UI), `lang` relabels it, and the element fires a `change` event ({ detail: { attribute, value } })
   * once the widget shows the new value. `theme` is observed for every widget (it only redraws).
   */
  static params = null;

  static get observedAttributes() { return this.params ? ['theme', 'lang', ...this.params] : ['theme']; }

  /**
   * 'zh' or 'en': the element's lang attribute, else the nearest ancestor's, else the page's. (The standard
   * `lang` property is left alone, so `el.lang = 'zh'` sets the attribute like on any element.)
   */
  get locale() {
    const l = this.getAttribute('lang') || this.parentElement?.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
    return l.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  }

  /** Picks the UI string for the current language. */
  t(en, zh) { return this.locale === 'zh' ? zh : en; }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (!this.ready) {  // not built yet: start() reads the attributes; only the fallback text may need a new language
      if (name === 'lang' && !this.started && this.root.querySelector('.pw-fallback')) {
        const fb = this.constructor.fallback;
        this.root.querySelector('.pw-fallback').textContent = this.t(fb.en, fb.zh);
      }
      return;
    }
    if (name === 'theme') this.redraw();
    else if (name === 'lang') this.relabel();
    else this.paramChanged(name, value);
    this.dispatchEvent(new CustomEvent('change', { bubbles: true, detail: { attribute: name, value } }));
  }

  /** A documented parameter changed after start: by default the UI is rebuilt from the attributes. */
  paramChanged(_name, _value) { this.rebuild(); }

  /** The language changed after start: by default the UI is rebuilt in the new language. */
  relabel() { this.rebuild(); }

  /** Builds the UI again from the attributes (start(pw) on a fresh shadow root). */
  rebuild() {
    this.pause();
    this.root.innerHTML = `<style>${CSS}${this.constructor.styles ?? ''}</style>`;
    this.start(this.pw);
    this.#tools();
    if (!this.visible) this.pause();
  }

  /**
   * Redraws the figures with the current colours and size (theme attribute, colour-scheme change, resize).
   * The default replays every plot.js call in the shadow root; a widget that draws over its plots overrides it.
   */
  redraw() { redrawPlots(this.root); }

  connectedCallback() {
    if (this.observer) return;
    pageTopics.add(this.constructor.topic);
    if (!this.started) { // a widget moved within the page keeps its UI
      const fb = this.constructor.fallback;
      this.root.innerHTML = `<style>${CSS}</style><div class="pw-fallback" part="fallback">${this.t(fb.en, fb.zh)}</div>`;
    }
    this.observer = new IntersectionObserver((entries) => {
      const on = entries.some((e) => e.isIntersecting);
      if (on === this.visible) return;
      this.visible = on;
      if (on && !this.started) this.#start();
      else if (this.ready) on ? this.resume() : this.pause();
    }, { rootMargin: '200px' });
    this.observer.observe(this);
    live.add(this);
    this.sizeObserver = new ResizeObserver(() => {
      const w = this.clientWidth;
      if (!this.ready || w === this.drawnWidth) return;
      this.drawnWidth = w;
      cancelAnimationFrame(this.redrawFrame);
      this.redrawFrame = requestAnimationFrame(() => this.redraw());
    });
    this.sizeObserver.observe(this);
  }

  disconnectedCallback() {
    this.observer?.disconnect();
    this.observer = null;
    this.sizeObserver?.disconnect();
    live.delete(this);
    if (this.ready && this.visible) this.pause();
    this.visible = false;
  }

  async #start() {
    this.started = true;
    try {
      // share: the reader's state in the URL hash (share.js, loaded only by widgets that opt in)
      const sharing = this.hasAttribute('share') ? import('./share.js') : null;
      const pw = await loadFor(this.constructor.topic);
      const share = await sharing;
      this.pw = pw;
      this.root.innerHTML = `<style>${CSS}${this.constructor.styles ?? ''}</style>`;
      share?.restore(this);
      this.setAttribute('data-state', 'ready');
      this.start(pw);
      this.#tools();
      share?.watch(this);
      this.ready = true;
      this.drawnWidth = this.clientWidth;
      if (!this.visible) this.pause(); // scrolled away while the module loaded
    } catch (err) {
      this.setAttribute('data-state', 'error');
      this.root.innerHTML = `<style>${CSS}</style><div class="pw-fallback pw-error">${String(err?.message ?? err)}</div>`;
      console.error(err);
    }
  }

  /** Called once with the loaded API; build the UI in this.root. */
  start(_pw) {}
  /** Called when the element leaves the viewport: stop animations. */
  pause() {}
  /** Called when it comes back. */
  resume() {}

  /** Adds HTML to the shadow root and returns it as an element tree. */
  html(markup) {
    const t = document.createElement('template');
    t.innerHTML = markup.trim();
    const node = t.content.firstElementChild;
    const tools = this.root.querySelector(':scope > .pw-tools');  // the export panel stays last
    this.root.insertBefore(t.content, tools);
    return node;
  }

  /** A library error in the reader's words and language (errors.js, static errorNames); errorsLoaded() once it loads. */
  say(err) {
    if (reader) return reader(err, this.locale, this.constructor.errorNames);
    if (!this.saying) { this.saying = true; readerReady.then(() => { this.saying = false; this.errorsLoaded(); }); }
    return String(err?.message ?? err).replace(/^[\w.]+: /, '');
  }

  /** Shows an error for the reader in `el`, the developer's message as its tooltip. */
  showError(el, err) {
    const dev = String(err?.message ?? err);
    el.title = dev;
    el.textContent = reader ? this.say(err) : dev.replace(/^[\w.]+: /, '');
    if (!reader) readerReady.then(() => { if (el.title === dev) el.textContent = this.say(err); });
  }

  errorsLoaded() {}

  /** The URL-hash state (share.js): documented parameter → value; by default the attributes. */
  state() { return Object.fromEntries((this.constructor.params ?? []).filter((p) => this.hasAttribute(p)).map((p) => [p, this.getAttribute(p)])); }

  /** The export panel; share.js loads when it opens. */
  #tools() {
    const d = this.html(`<details class="pw-tools" part="tools"><summary>${this.t('Export · code · share', '导出 · 代码 · 分享')}</summary><div></div></details>`);
    d.addEventListener('toggle', () => { if (d.open) import('./share.js').then((m) => m.fill(this, d.lastElementChild)); });
  }

  /** Labels each cell with its column's header: on a phone the rows become cards (.pw-cards). */
  labelCells(table) {
    const first = table.rows[0];
    const headRow = table.tHead?.rows[0] ?? (first && [...first.cells].every((c) => c.tagName === 'TH') ? first : null);
    headRow?.classList.add('pw-head');
    const head = [...(headRow?.cells ?? [])].map((c) => c.textContent.trim());
    // A cell keeps "label value" on one line; past WRAP_LABEL characters its label may wrap, so it fits a phone.
    for (const tr of table.rows) if (tr !== headRow && tr.parentElement !== table.tHead) [...tr.cells].forEach((c, j) => {
      if (c.tagName === 'TD' && head[j] && c.colSpan === 1) { c.dataset.h = head[j]; c.classList.toggle('pw-wrap', head[j].length > WRAP_LABEL); }
    });
    table.classList.add('pw-cards');
  }

  /** Shorthand for this.root.querySelector. */
  $(sel) { return this.root.querySelector(sel); }

  /** Parses a whitespace/comma separated attribute into numbers (NaN entries are kept for the core to reject). */
  numbersAttr(name, dflt) {
    const s = this.getAttribute(name);
    if (s === null || s.trim() === '') return dflt;
    return s.trim().split(/[\s,]+/).map(Number);
  }

  /** A numeric attribute or the default. */
  numberAttr(name, dflt) {
    const s = this.getAttribute(name);
    const v = s === null ? NaN : Number(s);
    return Number.isFinite(v) ? v : dflt;
  }
}
