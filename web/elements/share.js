// Share and reuse, the same for every <pw-*> widget; loaded only when a widget opts in to the URL hash
// (`share` attribute) or the reader opens its "Export · code · share" panel, so one embed pays nothing for it.
//  - URL hash: the widget's documented parameters, namespaced by the element's id (else its tag, numbered
//    from the second one on): #pw-softmax.logits=1,0.5,0&pw-softmax.temperature=2. Loaded into the
//    attributes before the widget starts; written back with history.replaceState when a control changes.
//    Malformed values (not numbers, bad escapes, control characters, too long) are ignored.
//  - PNG of a figure: the canvas's own pixels (devicePixelRatio) on the widget's background, canvas.toBlob.
//  - SVG of a figure: the figure drawn again into SvgContext, a recording 2-D context (plot.js's
//    captureCanvas): paths, rectangles, arcs and text as vector elements, with the same text.
//  - Copy code: the widget's code() — the npm API calls that give the figure's numbers.
import { captureCanvas, cssColor } from './plot.js';
import { snippets } from './snippets.js';

/** The widget's Copy code snippet: its own code() or its entry in snippets.js (null: none). */
const codeOf = (el) => el.code?.() ?? snippets[el.localName]?.(el) ?? null;

// ---- the URL hash ----------------------------------------------------------------------------------------

/** The widget's prefix in the hash: its id, else its tag (the second of a tag is tag-2, …). */
export function namespace(el) {
  if (el.id) return el.id;
  const i = [...document.querySelectorAll(el.localName)].indexOf(el);
  return i > 0 ? `${el.localName}-${i + 1}` : el.localName;
}

/** The hash as [key, value] pairs; a part without '=' (a plain anchor) or with bad escapes is [raw, null]. */
function entries() {
  const h = location.hash.slice(1);
  if (!h) return [];
  return h.split('&').map((part) => {
    const k = part.indexOf('=');
    if (k < 0) return [part, null];
    try { return [decodeURIComponent(part.slice(0, k)), decodeURIComponent(part.slice(k + 1))]; } catch { return [part, null]; }
  });
}

const enc = (s) => encodeURIComponent(s).replace(/%2C/g, ',');

/** A value the widget may read: text parameters (static textParams) as text, every other a list of finite numbers. */
function valid(el, name, v) {
  if (typeof v !== 'string' || v.length > 4000 || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(v)) return false;
  if ((el.constructor.textParams ?? []).includes(name)) return true;
  const parts = v.trim().split(/[\s,]+/);
  return v.trim() !== '' && parts.length <= 256 && parts.every((p) => p !== '' && Number.isFinite(Number(p)));
}

/** Before the widget starts: its parameters found in the hash become its attributes. */
export function restore(el) {
  const ns = `${namespace(el)}.`;
  for (const [k, v] of entries()) {
    if (v === null || !k.startsWith(ns)) continue;
    const name = k.slice(ns.length);
    if ((el.constructor.params ?? []).includes(name) && valid(el, name, v)) el.setAttribute(name, v);
  }
}

/** Writes the widget's state() into the hash (its own keys only; other widgets' keys and anchors are kept). */
export function write(el) {
  if (!el.isConnected || !el.ready) return;
  const ns = `${namespace(el)}.`;
  const keep = entries().filter(([k, v]) => v === null || !k.startsWith(ns));
  const mine = Object.entries(el.state()).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [ns + k, String(v)]);
  const hash = [...keep, ...mine].map(([k, v]) => (v === null ? k : `${enc(k)}=${enc(v)}`)).join('&');
  if (hash !== location.hash.slice(1)) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`);
}

/** After start: any change the reader makes in the widget is written to the hash (coalesced). */
export function watch(el) {
  let timer = 0;
  const later = () => { clearTimeout(timer); timer = setTimeout(() => write(el), 100); };
  for (const type of ['input', 'change', 'pointerup', 'keyup', 'click']) el.root.addEventListener(type, later);
}

// ---- SVG: a recording 2-D context ----------------------------------------------------------------------

const r2 = (v) => String(Math.round(v * 100) / 100);
const xml = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const PROPS = ['fillStyle', 'strokeStyle', 'lineWidth', 'globalAlpha', 'font', 'textAlign', 'textBaseline', 'lineCap', 'lineJoin'];

/** The subset of CanvasRenderingContext2D the widgets draw with, serialised as SVG elements. */
export class SvgContext {
  constructor(w, h) {
    Object.assign(this, { w, h, canvas: {}, parts: [], defs: [], stack: [], d: '', m: [1, 0, 0, 1, 0, 0], dash: [], clipId: null, ops: 0 });
    Object.assign(this, { fillStyle: '#000', strokeStyle: '#000', lineWidth: 1, globalAlpha: 1, font: '10px sans-serif', textAlign: 'start', textBaseline: 'alphabetic', lineCap: 'butt', lineJoin: 'miter' });
    this.measurer = document.createElement('canvas').getContext('2d');
  }

  // state and transforms
  save() { this.stack.push({ ...Object.fromEntries(PROPS.map((p) => [p, this[p]])), m: this.m.slice(), dash: this.dash, clipId: this.clipId }); }
  restore() { const s = this.stack.pop(); if (s) Object.assign(this, s); }
  setTransform(a, b, c, d, e, f) { this.m = [a, b, c, d, e, f]; }
  resetTransform() { this.m = [1, 0, 0, 1, 0, 0]; }
  transform(a, b, c, d, e, f) { const [A, B, C, D, E, F] = this.m; this.m = [A * a + C * b, B * a + D * b, A * c + C * d, B * c + D * d, A * e + C * f + E, B * e + D * f + F]; }
  translate(x, y) { this.transform(1, 0, 0, 1, x, y); }
  rotate(t) { this.transform(Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t), 0, 0); }
  scale(x, y) { this.transform(x, 0, 0, y, 0, 0); }
  pt(x, y) { const [a, b, c, d, e, f] = this.m; return `${r2(a * x + c * y + e)} ${r2(b * x + d * y + f)}`; }
  get k() { const [a, b, c, d] = this.m; return Math.sqrt(Math.abs(a * d - b * c)); }
  setLineDash(a) { this.dash = Array.from(a); }
  getLineDash() { return this.dash.slice(); }
  measureText(s) { this.measurer.font = this.font; return this.measurer.measureText(s); }

  // paths
  beginPath() { this.d = ''; }
  moveTo(x, y) { this.d += `M${this.pt(x, y)}`; }
  lineTo(x, y) { this.d += `${this.d ? 'L' : 'M'}${this.pt(x, y)}`; }
  closePath() { if (this.d) this.d += 'Z'; }
  rect(x, y, w, h) { this.d += `M${this.pt(x, y)}L${this.pt(x + w, y)}L${this.pt(x + w, y + h)}L${this.pt(x, y + h)}Z`; }
  arc(x, y, r, a0, a1, ccw = false) {
    const rot = Math.atan2(this.m[1], this.m[0]), R = r2(r * this.k);
    const at = (a) => this.pt(x + r * Math.cos(a), y + r * Math.sin(a));
    let sweep = ccw ? a0 - a1 : a1 - a0;
    this.d += `${this.d ? 'L' : 'M'}${at(a0)}`;
    if (sweep >= 2 * Math.PI - 1e-9) {  // a whole circle: two half turns
      const dir = ccw ? -1 : 1;
      this.d += `A${R} ${R} 0 1 ${ccw ? 0 : 1} ${at(a0 + dir * Math.PI)}A${R} ${R} 0 1 ${ccw ? 0 : 1} ${at(a0)}`;
      return;
    }
    sweep = ((sweep % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    this.d += `A${R} ${R} ${r2((rot * 180) / Math.PI)} ${sweep > Math.PI ? 1 : 0} ${ccw ? 0 : 1} ${at(a1)}`;
  }
  clip() {
    const id = `c${this.defs.length}`;
    this.defs.push(`<clipPath id="${id}"${this.clipId ? ` clip-path="url(#${this.clipId})"` : ''}><path d="${this.d}"/></clipPath>`);
    this.clipId = id;
  }

  // painting
  common() { return `${this.globalAlpha < 1 ? ` opacity="${r2(this.globalAlpha)}"` : ''}${this.clipId ? ` clip-path="url(#${this.clipId})"` : ''}`; }
  emit(s) { this.parts.push(s); this.ops++; }
  fill() { if (this.d) this.emit(`<path d="${this.d}" fill="${xml(this.fillStyle)}"${this.common()}/>`); }
  stroke() {
    if (!this.d) return;
    const dash = this.dash.length ? ` stroke-dasharray="${this.dash.map((v) => r2(v * this.k)).join(' ')}"` : '';
    this.emit(`<path d="${this.d}" fill="none" stroke="${xml(this.strokeStyle)}" stroke-width="${r2(this.lineWidth * this.k)}"${this.lineCap !== 'butt' ? ` stroke-linecap="${this.lineCap}"` : ''}${dash}${this.common()}/>`);
  }
  fillRect(x, y, w, h) { const d = this.d; this.d = ''; this.rect(x, y, w, h); this.fill(); this.d = d; }
  strokeRect(x, y, w, h) { const d = this.d; this.d = ''; this.rect(x, y, w, h); this.stroke(); this.d = d; }
  clearRect() {}
  fillText(s, x, y) {
    const anchor = { center: 'middle', right: 'end', end: 'end' }[this.textAlign] ?? 'start';
    const base = { middle: 'central', top: 'hanging', hanging: 'hanging', bottom: 'text-after-edge' }[this.textBaseline];
    const [a, b, c, d, e, f] = this.m.map(r2);
    this.emit(`<text x="${r2(x)}" y="${r2(y)}" transform="matrix(${a} ${b} ${c} ${d} ${e} ${f})" style="font: ${xml(this.font)}" fill="${xml(this.fillStyle)}"${anchor !== 'start' ? ` text-anchor="${anchor}"` : ''}${base ? ` dominant-baseline="${base}"` : ''} xml:space="preserve"${this.common()}>${xml(s)}</text>`);
  }
  // bitmaps stay bitmaps (a picture inside a vector figure)
  drawImage(src, x, y, w = src.width, h = src.height) {
    const c = document.createElement('canvas');
    c.width = src.width; c.height = src.height;
    c.getContext('2d').drawImage(src, 0, 0);
    const [a, b, cc, d, e, f] = this.m.map(r2);
    this.emit(`<image href="${c.toDataURL()}" x="${r2(x)}" y="${r2(y)}" width="${r2(w)}" height="${r2(h)}" transform="matrix(${a} ${b} ${cc} ${d} ${e} ${f})"${this.common()}/>`);
  }
  putImageData(img, x, y) {
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    c.getContext('2d').putImageData(img, 0, 0);
    const dpr = globalThis.devicePixelRatio || 1;
    this.emit(`<image href="${c.toDataURL()}" x="${r2(x / dpr)}" y="${r2(y / dpr)}" width="${r2(img.width / dpr)}" height="${r2(img.height / dpr)}"/>`);
  }
  getImageData(x, y, w, h) { return new ImageData(Math.max(1, Math.round(w)), Math.max(1, Math.round(h))); }

  toString(bg) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${r2(this.w)}" height="${r2(this.h)}" viewBox="0 0 ${r2(this.w)} ${r2(this.h)}">`
      + `<rect width="100%" height="100%" fill="${xml(bg)}"/><defs>${this.defs.join('')}</defs>${this.parts.join('')}</svg>`;
  }
}

/** Does the widget draw its figures itself (an own redraw()), rather than replaying plot.js calls? */
const ownRedraw = (el) => Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(el), 'redraw');

/** The figure as an SVG document (text, or null when nothing of it is drawn through plot.js/setupCanvas). */
export function toSvg(el, canvas) {
  const ctx = new SvgContext(canvas.clientWidth, canvas.clientHeight);
  const p = canvas.pwPlot;
  captureCanvas(canvas, ctx, () => (p?.hasData && !ownRedraw(el) ? p.fn(canvas, ...p.args) : el.redraw()));
  return ctx.ops ? ctx.toString(cssColor(el, '--pw-bg', '#fff')) : null;
}

/** The figure as a PNG at the device pixel ratio, on the widget's background. */
export function toPng(el, canvas) {
  const out = document.createElement('canvas');
  out.width = canvas.width; out.height = canvas.height;
  const ctx = out.getContext('2d');
  ctx.fillStyle = cssColor(el, '--pw-bg', '#fff');
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return new Promise((ok, no) => out.toBlob((b) => (b ? ok(b) : no(new Error('toBlob gave no PNG'))), 'image/png'));
}

function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function copy(text, status, pre, el) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = el.t('copied', '已复制');
  } catch {  // no clipboard permission: select the text for the reader
    const range = document.createRange();
    range.selectNodeContents(pre);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    status.textContent = el.t('selected: press Ctrl+C / ⌘C', '已选中：按 Ctrl+C / ⌘C 复制');
  }
}

/** The figures a reader can export: drawn canvases that are shown. */
const figures = (el) => [...el.root.querySelectorAll('canvas')].filter((c) => c.clientWidth > 0 && c.clientHeight > 0 && !c.closest('[hidden]'));

function label(c, i) {
  const s = c.getAttribute('aria-label') || c.closest('figure')?.querySelector('figcaption')?.textContent || c.id || `#${i + 1}`;
  const t = s.replace(/[_^]\{([^}]*)\}|[_^](?=[\p{L}\p{N}])/gu, '$1');  // plot markup read as text: P_n → Pn
  return t.length > 70 ? `${t.slice(0, 68)}…` : t;
}

/** Fills the widget's export panel (called each time it is opened, so it lists the figures shown now). */
export function fill(el, body) {
  const t = (en, zh) => el.t(en, zh);
  const code = codeOf(el);
  body.innerHTML = `<style>.pw-tools[open] > summary { margin-bottom: 4px; }
    .pw-code { max-height: 16em; overflow: auto; background: var(--pw-panel); padding: 6px; font-size: 11px; white-space: pre-wrap; overflow-wrap: anywhere; }</style>
    ${figures(el).map((c, i) => `<div class="pw-row" data-fig="${i}"><span>${xml(label(c, i))}</span>
      <button type="button" data-act="png">PNG</button><button type="button" data-act="svg">SVG</button></div>`).join('')}
    <div class="pw-row">${code ? `<button type="button" data-act="code">${t('Copy code', '复制代码')}</button>` : ''}
      ${el.hasAttribute('share') ? `<button type="button" data-act="link">${t('Copy link to this state', '复制此状态的链接')}</button>` : ''}
      <span role="status" class="pw-share-status"></span></div>
    ${code ? `<pre class="pw-code"></pre>` : ''}`;
  if (code) body.querySelector('.pw-code').textContent = code;
  if (body.dataset.wired) return;
  body.dataset.wired = '1';
  body.addEventListener('click', async (e) => {
    const btn = e.target.closest('button[data-act]');
    if (!btn) return;
    const status = body.querySelector('.pw-share-status');
    const act = btn.dataset.act, ns = namespace(el);
    if (act === 'png' || act === 'svg') {
      const i = Number(btn.closest('[data-fig]').dataset.fig), c = figures(el)[i];
      if (!c) return;
      const name = `${ns}-${c.id || `figure${i + 1}`}.${act}`;
      if (act === 'png') download(await toPng(el, c), name);
      else {
        const svg = toSvg(el, c);
        if (svg) download(new Blob([svg], { type: 'image/svg+xml' }), name);
        else status.textContent = t('this figure is a bitmap: use PNG', '此图为位图：请用 PNG');
      }
    } else if (act === 'code') {
      const pre = body.querySelector('.pw-code');
      pre.textContent = codeOf(el);
      await copy(pre.textContent, status, pre, el);
    } else if (act === 'link') {
      write(el);
      await copy(location.href, status, body, el);
    }
  });
}
