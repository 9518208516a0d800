// Canvas plotting shared by the widgets: axes with readable ticks, lines, points with error bars, bars and
// heat maps with colour bars. Colours come from the host element's CSS variables (light/dark themes).
//
// Text is laid out by measuring it: the margins grow to hold the widest tick label, the last x tick and
// the axis titles; x ticks are thinned until their labels fit; legends sit outside the data and wrap into
// rows; long axis titles wrap (then shrink). Labels may use a small markup, typeset on the canvas:
// `x^2`, `e^{-x}`, `P_n`, `x_{i+1}` (a run of letters/digits after ^ or _, or a {group}); number labels
// such as 1e-16 are typeset as 10⁻¹⁶.
//
// Every text box drawn is recorded on `canvas.pwBoxes` ([{ x, y, w, h, text, role }], CSS pixels) so tests
// can check that none is clipped or overlaps another; `canvas.pwPlot` keeps the last call so the figure can
// be redrawn on a theme, colour-scheme or size change (redrawPlots(root)).

const FONT_FAMILY = 'system-ui, sans-serif';
const PAD = 4;

// ---- vector export: a redraw recorded into another context (share.js's SVG serialiser) --------------------
let capture = null;

/**
 * Runs draw() (a plot call or the widget's redraw()) with the drawing of `canvas` sent to `ctx` instead: the
 * canvas keeps its pixels and size; setupCanvas and context2d return ctx for it.
 */
export function captureCanvas(canvas, ctx, draw) {
  const boxes = canvas.pwBoxes;  // the on-screen figure's text boxes are kept
  capture = { canvas, ctx };
  try { draw(); } finally { capture = null; canvas.pwBoxes = boxes; }
}

/** Is the drawing of `canvas` being recorded (captureCanvas)? Then a widget draws it in full, without caches. */
export const isCapturing = (canvas) => capture?.canvas === canvas;

/** The canvas's 2-D context (or the recording one during captureCanvas): for widgets that draw over a plot. */
export function context2d(canvas) {
  return capture?.canvas === canvas ? capture.ctx : canvas.getContext('2d');
}

/** Sizes the canvas for the device pixel ratio and returns a 2-D context in CSS pixels. */
export function setupCanvas(canvas, cssHeight) {
  if (capture?.canvas === canvas) return { ctx: capture.ctx, w: canvas.clientWidth || 600, h: cssHeight };
  const dpr = globalThis.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.parentElement?.clientWidth || 600;
  canvas.style.height = `${cssHeight}px`;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(cssHeight * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h: cssHeight };
}

/** Reads a CSS custom property from the element (e.g. '--pw-accent'). */
export function cssColor(el, name, dflt = '#888') {
  return getComputedStyle(el).getPropertyValue(name).trim() || dflt;
}

export const PALETTE = ['#2f6fde', '#d9622b', '#1f8a4c', '#9b4dca', '#c23a3a', '#0f9aa8', '#b8860b', '#6b7280', '#d6409f', '#7a8b2a'];

/** "Nice" tick values covering [lo, hi]. */
export function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export function fmt(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(+v.toPrecision(4));
}

// ---- typeset text -----------------------------------------------------------------------------------

/** A number label written with an exponent ("2.5e-7", "1e4") becomes "2.5×10^{−7}" (typeset). */
function numberMarkup(s) {
  const m = /^(-?\d+(?:\.\d+)?)e([+-]?\d+)$/.exec(String(s));
  if (!m) return String(s);
  const e = String(Number(m[2])).replace('-', '−');
  const mant = m[1].replace(/^-/, '−');
  return mant === '1' ? `10^{${e}}` : mant === '−1' ? `−10^{${e}}` : `${mant}×10^{${e}}`;
}

/** Splits markup into runs { text, shift: 0 | 1 (sup) | -1 (sub) }. */
export function parseRich(str) {
  const s = String(str ?? ''), runs = [];
  let buf = '';
  const flush = () => { if (buf) runs.push({ text: buf, shift: 0 }); buf = ''; };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ((c === '^' || c === '_') && i + 1 < s.length) {
      let j = i + 1, text;
      if (s[j] === '{') {
        const k = s.indexOf('}', j);
        if (k < 0) { buf += c; continue; }
        text = s.slice(j + 1, k); j = k + 1;
      } else {
        const m = /^[-−+]?[\p{L}\p{N}′.]+/u.exec(s.slice(j));
        if (!m || (c === '_' && /^[-−+]/.test(m[0]))) { buf += c; continue; }
        text = m[0].replace(/\.$/, ''); j += text.length;
      }
      flush();
      runs.push({ text, shift: c === '^' ? 1 : -1 });
      i = j - 1;
    } else buf += c;
  }
  flush();
  return runs;
}

const fontOf = (size, weight) => `${weight ? `${weight} ` : ''}${size}px ${FONT_FAMILY}`;

/** Width of markup at a font size. */
export function measureRich(ctx, str, size = 12, weight = '') {
  let w = 0;
  for (const r of parseRich(str)) {
    ctx.font = fontOf(r.shift ? Math.round(size * 0.75) : size, weight);
    w += ctx.measureText(r.text).width;
  }
  ctx.font = fontOf(size, weight);
  return w;
}

/** The vertical extent of a line of markup around its baseline: [above, below]. */
function extent(str, size) {
  const runs = parseRich(str);
  return [size * 0.78 + (runs.some((r) => r.shift > 0) ? size * 0.3 : 0), size * 0.24 + (runs.some((r) => r.shift < 0) ? size * 0.12 : 0)];
}

/**
 * Draws markup with its baseline at y; align 'left' | 'center' | 'right'. Returns its box (CSS px) and
 * records it on canvas.pwBoxes when `role` is given.
 */
export function drawRich(ctx, str, x, y, { align = 'left', size = 12, weight = '', role, color } = {}) {
  const w = measureRich(ctx, str, size, weight);
  let cx = align === 'center' ? x - w / 2 : align === 'right' ? x - w : x;
  const x0 = cx;
  if (color) ctx.fillStyle = color;
  ctx.textAlign = 'left';
  for (const r of parseRich(str)) {
    const s = r.shift ? Math.round(size * 0.75) : size;
    ctx.font = fontOf(s, weight);
    ctx.fillText(r.text, cx, y + (r.shift > 0 ? -size * 0.38 : r.shift < 0 ? size * 0.22 : 0));
    cx += ctx.measureText(r.text).width;
  }
  ctx.font = fontOf(size, weight);
  const [up, down] = extent(str, size);
  const box = { x: x0, y: y - up, w, h: up + down, text: String(str), role };
  if (role) record(ctx.canvas, box);
  return box;
}

function record(canvas, box) { (canvas.pwBoxes ??= []).push(box); }

/** Breaks markup into lines no wider than maxW (at spaces); a single long word stays on its line. */
function wrap(ctx, str, maxW, size, weight) {
  const words = String(str).split(' ');
  const lines = [];
  let cur = '';
  for (const wd of words) {
    const next = cur ? `${cur} ${wd}` : wd;
    if (!cur || measureRich(ctx, next, size, weight) <= maxW) cur = next;
    else { lines.push(cur); cur = wd; }
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Fits a title into maxW: wrapped into at most maxLines, the font shrunk down to 9 px if needed. */
function fitText(ctx, str, maxW, size = 12, maxLines = 2, weight = '') {
  for (let s = size; s >= 9; s--) {
    const lines = wrap(ctx, str, maxW, s, weight);
    if (lines.length <= maxLines && lines.every((l) => measureRich(ctx, l, s, weight) <= maxW)) return { lines, size: s };
  }
  // still too long: the last line is cut with an ellipsis
  const s = 9;
  const lines = wrap(ctx, str, maxW, s, weight).slice(0, maxLines);
  let last = lines[lines.length - 1];
  while (last.length > 1 && measureRich(ctx, `${last}…`, s, weight) > maxW) last = last.slice(0, -1);
  lines[lines.length - 1] = `${last}…`;
  return { lines, size: s };
}

/** Boxes overlap (by more than a hair)? */
export function overlaps(a, b, tol = 0.5) {
  return a.x + tol < b.x + b.w && b.x + tol < a.x + a.w && a.y + tol < b.y + b.h && b.y + tol < a.y + a.h;
}

// ---- a data table behind each canvas, for screen readers ---------------------------------------------------

const esc = (t) => String(t).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const plain = (t) => parseRich(t).map((r) => r.text).join('');  // markup read as text: P_n → Pn
const cell = (v) => (typeof v === 'number' ? (Number.isFinite(v) ? String(+v.toPrecision(6)) : '—') : esc(plain(v)));

/**
 * Puts the figure's numbers inside the canvas as fallback content (a table, at most `max` rows per series),
 * which assistive technology reads; the canvas becomes a figure named by its aria-label.
 */
function describe(canvas, caption, head, rows, max = 40) {
  if (canvas.getAttribute('role') === 'img') canvas.setAttribute('role', 'figure');
  const step = Math.max(1, Math.ceil(rows.length / max));
  const body = rows.filter((_, i) => i % step === 0 || i === rows.length - 1)
    .map((r) => `<tr>${r.map((v, j) => (j === 0 ? `<th scope="row">${cell(v)}</th>` : `<td>${cell(v)}</td>`)).join('')}</tr>`).join('');
  canvas.innerHTML = `<table><caption>${esc(caption)}${step > 1 ? ` (${rows.length} rows, every ${step}th shown)` : ''}</caption>`
    + `<thead><tr>${head.map((h) => `<th scope="col">${esc(plain(h))}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

// ---- redraw on theme, colour scheme and size -------------------------------------------------------------

function remember(canvas, fn, args, frame, hasData) {
  if (capture?.canvas === canvas) return;
  const host = canvas.getRootNode().host ?? canvas;
  // fg: the text colour the figure was drawn with; draws: how many times it was drawn (for tests)
  canvas.pwPlot = { fn, args, frame, hasData, fg: cssColor(host, '--pw-fg', '#222'), draws: (canvas.pwPlot?.draws ?? 0) + 1 };
  canvas.pwSnapshot = null;
}

/**
 * Redraws every plot in `root` (a shadow root or element) from its last call, with the current colours and
 * size. Plots without data are frames a widget draws over itself: they are left to the widget (redraw()).
 */
export function redrawPlots(root) {
  for (const c of root.querySelectorAll('canvas')) {
    const p = c.pwPlot;
    if (p && p.hasData && c.isConnected && c.clientWidth > 0) p.fn(c, ...p.args);
  }
}

// ---- hover read-outs -------------------------------------------------------------------------------------

const hoverFmt = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? numberMarkup(v.toExponential(3).replace('e+', 'e')) : String(+v.toPrecision(5))) : '—');

function installHover(canvas) {
  if (canvas.pwHover) return;
  canvas.pwHover = true;
  const restore = () => {
    if (!canvas.pwSnapshot) return;
    const ctx = canvas.getContext('2d');
    ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.putImageData(canvas.pwSnapshot, 0, 0); ctx.restore();
  };
  canvas.addEventListener('pointerleave', restore);
  canvas.addEventListener('pointermove', (e) => {
    const p = canvas.pwPlot;
    if (!p?.hover || e.buttons) return;
    const ctx = canvas.getContext('2d');
    if (!canvas.pwSnapshot) canvas.pwSnapshot = ctx.getImageData(0, 0, canvas.width, canvas.height);
    else restore();
    const r = canvas.getBoundingClientRect();
    const px = e.clientX - r.left - canvas.clientLeft, py = e.clientY - r.top - canvas.clientTop;
    let best = null;
    for (const s of p.hover.series) {
      for (let i = 0; i < s.x.length; i++) {
        const X = p.frame.toX(s.x[i]), Y = p.frame.toY(s.y[i]);
        if (!Number.isFinite(X) || !Number.isFinite(Y)) continue;
        const d = Math.abs(X - px) + 0.25 * Math.abs(Y - py);
        if (!best || d < best.d) best = { d, X, Y, s, i };
      }
    }
    if (!best || best.d > 40) return;
    const { frame } = p, fg = p.hover.fg, bg = p.hover.bg;
    ctx.save();
    ctx.strokeStyle = p.hover.muted; ctx.setLineDash([2, 3]); ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(best.X, frame.T); ctx.lineTo(best.X, frame.h - frame.B); ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = best.s.color; ctx.strokeStyle = bg; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(best.X, best.Y, 4, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    const xs = p.hover.xf(best.s.x[best.i]);
    const text = `${best.s.label ? `${best.s.label}: ` : ''}${xs !== '' ? `(${xs}, ` : '('}${hoverFmt(best.s.y[best.i])})`;
    ctx.font = fontOf(12);
    const tw = measureRich(ctx, text, 12) + 10, th = 20;
    let bx = best.X + 8, by = best.Y - th - 6;
    if (bx + tw > frame.w - 2) bx = best.X - 8 - tw;
    if (bx < 2) bx = 2;
    if (by < 2) by = best.Y + 8;
    ctx.fillStyle = bg; ctx.strokeStyle = p.hover.muted; ctx.lineWidth = 1; ctx.globalAlpha = 0.94;
    ctx.fillRect(bx, by, tw, th); ctx.globalAlpha = 1; ctx.strokeRect(bx + 0.5, by + 0.5, tw - 1, th - 1);
    drawRich(ctx, text, bx + 5, by + 14, { color: fg });
    ctx.restore();
  });
}

// ---- line and point plots ---------------------------------------------------------------------------------

/**
 * Line/point plot. opts: { series: [{ x, y, color?, label?, points?, err?, dash?, width?, radius? }], xlabel,
 * ylabel, xmin, xmax, ymin, ymax, logY, logX, height, vlines: [{ x, label?, color? }], xfmt, yfmt, hover? }.
 * logX: log-scaled x axis with ticks at powers of 2 (spans up to 2^12) or of 10; x values must be > 0.
 * Labels may use ^ and _ markup (typeset). hover: false turns off the pointer read-out.
 * Returns the frame { toX, toY, fromX, L, R, T, B, w, h } so callers can map pointer events.
 */
export function linePlot(canvas, opts) {
  const host = canvas.getRootNode().host ?? canvas;
  const { ctx, w, h } = setupCanvas(canvas, opts.height ?? 240);
  canvas.pwBoxes = [];
  const fg = cssColor(host, '--pw-fg', '#222'), muted = cssColor(host, '--pw-muted', '#777'), grid = cssColor(host, '--pw-border', '#ddd');
  const bgc = cssColor(host, '--pw-bg', '#fff');
  const tr = opts.logY ? (v) => Math.log10(v) : (v) => v;
  const trx = opts.logX ? (v) => Math.log2(v) : (v) => v;
  const xs = opts.series.flatMap((s) => Array.from(s.x).map(trx)).filter(Number.isFinite);
  const ys = opts.series.flatMap((s) => Array.from(s.y).map(tr)).filter(Number.isFinite);
  let xmin = opts.xmin !== undefined ? trx(opts.xmin) : Math.min(...xs), xmax = opts.xmax !== undefined ? trx(opts.xmax) : Math.max(...xs);
  let ymin = opts.ymin !== undefined ? tr(opts.ymin) : Math.min(...ys), ymax = opts.ymax !== undefined ? tr(opts.ymax) : Math.max(...ys);
  if (!Number.isFinite(xmin) || !Number.isFinite(xmax)) { xmin = 0; xmax = 1; }
  if (!Number.isFinite(ymin) || !Number.isFinite(ymax)) { ymin = 0; ymax = 1; }
  if (!(xmax > xmin)) { xmin -= 1; xmax += 1; }
  if (!(ymax > ymin)) { ymin -= 1; ymax += 1; }
  const S = 12, LH = 15, LEG = 17;  // font size, line height, legend row height (room for a superscript)
  ctx.font = fontOf(S);
  const xf = opts.xfmt ?? fmt, yf = opts.yfmt ?? fmt;
  const maxR = Math.max(0, ...opts.series.filter((s) => s.points).map((s) => (s.radius ?? 3) + 1));

  // y ticks and their labels
  let yt = opts.logY ? ticks(Math.floor(ymin), Math.ceil(ymax), 5).filter((v) => Number.isInteger(v) && v >= ymin - 1e-9 && v <= ymax + 1e-9)
    : ticks(ymin, ymax, Math.max(2, Math.min(6, Math.floor((h - 40) / 28))));
  const subTicks = opts.logY && yt.length < 2;  // logY over less than ~2 decades: 2× and 5× ticks too
  if (subTicks) {
    yt = [];
    for (let k = Math.floor(ymin); k <= Math.ceil(ymax); k++) {
      for (const m of [1, 2, 5]) { const v = k + Math.log10(m); if (v >= ymin - 1e-9 && v <= ymax + 1e-9) yt.push(v); }
    }
  } else if (opts.logY && yt.length > 7) {
    const step = Math.ceil(yt.length / 6);
    yt = yt.filter((v) => v % step === 0);
  }
  const yLabel = (v) => numberMarkup(opts.logY ? (subTicks ? fmt(10 ** v) : `1e${v}`) : yf(v));
  const yTickW = Math.max(0, ...yt.map((v) => measureRich(ctx, yLabel(v), S)));

  // legend (outside the data, above it, wrapped into rows)
  const items = [];
  opts.series.forEach((s, k) => {
    if (!s.label) return;
    const color = s.color ?? PALETTE[k % PALETTE.length];
    if (!items.some((it) => it.label === s.label && it.color === color)) items.push({ label: s.label, color, points: s.points });
  });
  const rows = [];
  {
    let row = [], x = 0;
    const avail = w - 2 * PAD;
    for (const it of items) {
      const iw = 14 + Math.min(measureRich(ctx, it.label, S), avail - 14);
      if (row.length && x + iw > avail) { rows.push(row); row = []; x = 0; }
      row.push({ ...it, x, iw }); x += iw + 14;
    }
    if (row.length) rows.push(row);
  }
  const legendH = rows.length ? rows.length * LEG + 2 : 0;

  // margins
  const T = PAD + legendH + Math.max(S / 2 + 2, maxR);
  const plotH0 = h - T - 60;
  const yTitle = opts.ylabel ? fitText(ctx, opts.ylabel, Math.max(40, plotH0 + 20), S, 2) : null;
  const yTitleW = yTitle ? yTitle.lines.length * (yTitle.size + 3) + 4 : 0;
  const L = Math.ceil(PAD + yTitleW + yTickW + 7);

  // x ticks: as many as fit side by side
  let xt = [], xLabels = [], R = Math.max(10, maxR + 2);
  const logXTicks = () => (xmax - xmin <= 12 ? ticks(Math.floor(xmin), Math.ceil(xmax), Math.ceil(xmax - xmin) + 1).filter(Number.isInteger).map((k) => 2 ** k)
    : ticks(Math.floor(xmin / Math.log2(10)), Math.ceil(xmax / Math.log2(10)), 6).filter(Number.isInteger).map((k) => 10 ** k))
    .filter((v) => trx(v) >= xmin - 1e-9 && trx(v) <= xmax + 1e-9);
  const plotW0 = w - L - R;
  for (let count = Math.max(2, Math.floor(plotW0 / 70)); count >= 1; count--) {
    xt = opts.logX ? logXTicks() : ticks(xmin, xmax, count);
    xLabels = xt.map((v) => numberMarkup(xf(v)));
    const widths = xLabels.map((s) => measureRich(ctx, s, S));
    const maxW = Math.max(0, ...widths);
    if (opts.logX && xt.length * (maxW + 10) > plotW0) {  // thin the powers evenly
      const step = Math.ceil((xt.length * (maxW + 10)) / plotW0);
      const keep = xt.map((_, i) => i % step === 0);
      xt = xt.filter((_, i) => keep[i]); xLabels = xLabels.filter((_, i) => keep[i]);
      break;
    }
    if (xt.length * (maxW + 12) <= plotW0) break;
  }
  // the last label may stick out past the last tick: the right margin holds half of it
  if (xLabels.length) {
    const lastW = measureRich(ctx, xLabels[xLabels.length - 1], S);
    const frac = (trx(xt[xt.length - 1]) - xmin) / (xmax - xmin);
    const overhang = lastW / 2 + 2 - (1 - frac) * plotW0;
    if (overhang > 0) R = Math.ceil(R + overhang);
  }
  const xTitle = opts.xlabel ? fitText(ctx, opts.xlabel, w - 2 * PAD, S, 2) : null;
  const B = Math.ceil(8 + S + 4 + (xTitle ? xTitle.lines.length * (xTitle.size + 3) + 2 : 0) + PAD);

  const toX = (x) => L + ((trx(x) - xmin) / (xmax - xmin)) * (w - L - R);
  const toY = (y) => T + (1 - (tr(y) - ymin) / (ymax - ymin)) * (h - T - B);
  const fromX = (px) => { const v = xmin + ((px - L) / (w - L - R)) * (xmax - xmin); return opts.logX ? 2 ** v : v; };
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = grid; ctx.lineWidth = 1;

  // grid and tick labels
  let lastRight = -Infinity;
  xt.forEach((v, i) => {
    const x = toX(v);
    ctx.strokeStyle = grid;
    ctx.beginPath(); ctx.moveTo(x, T); ctx.lineTo(x, h - B); ctx.stroke();
    if (xLabels[i] === '') return;
    const lw = measureRich(ctx, xLabels[i], S);
    let cx = Math.min(Math.max(x, lw / 2 + 1), w - lw / 2 - 1);
    if (cx - lw / 2 < lastRight + 4) return;  // never overlap the previous label
    drawRich(ctx, xLabels[i], cx, h - B + 8 + S * 0.8, { align: 'center', size: S, role: 'tick-x', color: muted });
    lastRight = cx + lw / 2;
  });
  let lastTop = Infinity;
  for (const v of yt) {
    const y = T + (1 - (v - ymin) / (ymax - ymin)) * (h - T - B);
    ctx.strokeStyle = grid;
    ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(w - R, y); ctx.stroke();
    const lab = yLabel(v), [up, down] = extent(lab, S);
    if (y + down + 1 > lastTop) continue;
    drawRich(ctx, lab, L - 6, y + 4, { align: 'right', size: S, role: 'tick-y', color: muted });
    lastTop = y + 4 - up;
  }

  // axis titles
  if (xTitle) {
    xTitle.lines.forEach((line, i) => {
      const lw = measureRich(ctx, line, xTitle.size);
      const cx = Math.min(Math.max(L + (w - L - R) / 2, lw / 2 + PAD), w - lw / 2 - PAD);
      drawRich(ctx, line, cx, h - B + 8 + S + 4 + (i + 1) * (xTitle.size + 3) - 3, { align: 'center', size: xTitle.size, role: 'xlabel', color: fg });
    });
  }
  if (yTitle) {
    const cy = T + (h - T - B) / 2;
    yTitle.lines.forEach((line, i) => {
      const lw = measureRich(ctx, line, yTitle.size);
      const bx = PAD + i * (yTitle.size + 3);
      ctx.save(); ctx.translate(bx + yTitle.size * 0.8, cy); ctx.rotate(-Math.PI / 2);
      drawRich(ctx, line, 0, 0, { align: 'center', size: yTitle.size, color: fg });
      ctx.restore();
      record(canvas, { x: bx, y: cy - lw / 2, w: yTitle.size + 1, h: lw, text: line, role: 'ylabel' });
    });
  }

  // vertical markers, their labels kept inside the canvas and off each other
  const vBoxes = [];
  for (const v of opts.vlines ?? []) {
    const x = toX(v.x);
    if (!Number.isFinite(x)) continue;
    ctx.strokeStyle = v.color ?? muted; ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(x, T); ctx.lineTo(x, h - B); ctx.stroke(); ctx.setLineDash([]);
    if (!v.label) continue;
    const lw = measureRich(ctx, v.label, S);
    const lx = x + 3 + lw <= w - 2 ? x + 3 : x - 3 - lw;
    let ly = T + 12;
    const boxAt = (yy) => ({ x: lx, y: yy - S * 0.78, w: lw, h: S });
    while (vBoxes.some((b) => overlaps(b, boxAt(ly))) && ly < h - B - 4) ly += LH;
    vBoxes.push(drawRich(ctx, v.label, lx, ly, { size: S, role: 'vline', color: v.color ?? muted }));
  }

  // the data (points are clipped only beyond their own radius, so markers at the edges stay whole)
  ctx.save(); ctx.beginPath(); ctx.rect(L - maxR, T - maxR, w - L - R + 2 * maxR, h - T - B + 2 * maxR); ctx.clip();
  opts.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = s.width ?? 2;
    if (s.points) {
      for (let i = 0; i < s.x.length; i++) {
        const x = toX(s.x[i]), y = toY(s.y[i]);
        if (!Number.isFinite(y)) continue;
        if (s.err) { ctx.beginPath(); ctx.moveTo(x, toY(s.y[i] - s.err[i])); ctx.lineTo(x, toY(s.y[i] + s.err[i])); ctx.lineWidth = 1.5; ctx.stroke(); }
        ctx.beginPath(); ctx.arc(x, y, s.radius ?? 3, 0, 2 * Math.PI); ctx.fill();
      }
    } else {
      ctx.save(); ctx.beginPath(); ctx.rect(L, T, w - L - R, h - T - B); ctx.clip();
      if (s.dash) ctx.setLineDash(s.dash);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < s.x.length; i++) {
        const y = toY(s.y[i]);
        if (!Number.isFinite(y)) { pen = false; continue; }
        pen ? ctx.lineTo(toX(s.x[i]), y) : ctx.moveTo(toX(s.x[i]), y);
        pen = true;
      }
      ctx.stroke(); ctx.setLineDash([]);
      ctx.restore();
    }
  });
  ctx.restore();

  // the legend rows
  rows.forEach((row, r) => {
    const y = PAD + r * LEG;
    for (const it of row) {
      ctx.fillStyle = it.color;
      if (it.points) { ctx.beginPath(); ctx.arc(PAD + it.x + 5, y + 8, 4, 0, 2 * Math.PI); ctx.fill(); } else ctx.fillRect(PAD + it.x, y + 3, 10, 10);
      let label = it.label;
      const maxW = w - 2 * PAD - it.x - 14;
      if (measureRich(ctx, label, S) > maxW) label = fitText(ctx, label, maxW, S, 1).lines[0];
      drawRich(ctx, label, PAD + it.x + 14, y + 12, { size: S, role: 'legend', color: fg });
    }
  });

  const frame = { toX, toY, fromX, L, R, T, B, w, h };
  const data = opts.series.filter((s) => s.x.length && Array.from(s.y).some(Number.isFinite));
  remember(canvas, linePlot, [opts], frame, data.length > 0);
  const named = data.filter((sr) => sr.color !== 'transparent');
  if (named.length) {
    const rows = [];
    named.forEach((sr, k) => { for (let i = 0; i < sr.x.length; i++) rows.push([sr.label ?? `series ${k + 1}`, sr.x[i], sr.y[i], ...(sr.err ? [sr.err[i]] : [])]); });
    describe(canvas, canvas.getAttribute('aria-label') ?? opts.ylabel ?? '', ['series', opts.xlabel ?? 'x', opts.ylabel ?? 'y', ...(named.some((sr) => sr.err) ? ['±'] : [])], rows, 40 * named.length);
  }
  if (opts.hover !== false && data.length) {
    canvas.pwPlot.hover = {
      series: data.map((s) => ({ x: Array.from(s.x), y: Array.from(s.y), label: s.label, color: s.color ?? PALETTE[opts.series.indexOf(s) % PALETTE.length] })).filter((s) => s.color !== 'transparent'),
      xf: (v) => { const s = xf(v); return s === '' ? '' : numberMarkup(s); }, fg, muted, bg: bgc,
    };
    installHover(canvas);
  }
  return frame;
}

// ---- bar charts ----------------------------------------------------------------------------------------

/**
 * Bar chart of one vector. opts: { values, labels?, ymin?, ymax?, color?, colors?, height?, title? }.
 * Values outside [ymin, ymax] are drawn to the edge with an arrow mark. Labels that would collide are thinned.
 * Returns { barAt(px) → index, valueAt(py) → value, L, R, T, B, w, h } for dragging.
 */
export function barChart(canvas, opts) {
  const host = canvas.getRootNode().host ?? canvas;
  const { ctx, w, h } = setupCanvas(canvas, opts.height ?? 160);
  canvas.pwBoxes = [];
  const fg = cssColor(host, '--pw-fg'), muted = cssColor(host, '--pw-muted'), grid = cssColor(host, '--pw-border');
  const v = Array.from(opts.values), n = v.length;
  const ymin = opts.ymin ?? Math.min(0, ...v), ymax = opts.ymax ?? Math.max(1e-12, ...v);
  const S = 11;
  ctx.font = fontOf(S);
  const yt = ticks(ymin, ymax, 3);
  const L = Math.ceil(Math.max(...yt.map((t) => measureRich(ctx, numberMarkup(fmt(t)), S))) + 8);
  const R = 6, T = opts.title ? 22 : 8, B = opts.labels ? 20 : 6;
  const bw = (w - L - R) / Math.max(1, n);
  const toY = (y) => T + (1 - (y - ymin) / (ymax - ymin)) * (h - T - B);
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = grid;
  for (const t of yt) {
    ctx.beginPath(); ctx.moveTo(L, toY(t)); ctx.lineTo(w - R, toY(t)); ctx.stroke();
    drawRich(ctx, numberMarkup(fmt(t)), L - 4, toY(t) + 4, { align: 'right', size: S, role: 'tick-y', color: muted });
  }
  if (opts.title) {
    const fit = fitText(ctx, opts.title, w - L - 2, 12, 1, '600');
    drawRich(ctx, fit.lines[0], L, 14, { size: fit.size, weight: '600', role: 'title', color: fg });
  }
  // labels: every k-th, so that none touches its neighbour
  const labels = opts.labels ? Array.from(opts.labels, String) : null;
  let every = 1;
  if (labels) {
    const maxW = Math.max(0, ...labels.map((l) => measureRich(ctx, l, S)));
    every = Math.max(1, Math.ceil((maxW + 4) / bw));
  }
  for (let i = 0; i < n; i++) {
    const val = Number.isFinite(v[i]) ? v[i] : 0;
    const clipped = val > ymax ? 1 : val < ymin ? -1 : 0;
    const y0 = toY(Math.max(ymin, Math.min(ymax, 0))), y1 = toY(Math.min(ymax, Math.max(ymin, val)));
    const color = (opts.colors?.[i]) ?? opts.color ?? cssColor(host, '--pw-accent');
    ctx.fillStyle = color;
    ctx.fillRect(L + i * bw + bw * 0.15, Math.min(y0, y1), bw * 0.7, Math.max(1, Math.abs(y1 - y0)) * (val === 0 ? 0 : 1));
    if (clipped) {  // off the scale: a notch at the edge says so
      const cx = L + (i + 0.5) * bw, e = clipped > 0 ? T : h - B, d = clipped > 0 ? 1 : -1, a = Math.min(5, bw * 0.35);
      ctx.fillStyle = fg;
      ctx.beginPath(); ctx.moveTo(cx - a, e + d * a); ctx.lineTo(cx, e); ctx.lineTo(cx + a, e + d * a); ctx.closePath(); ctx.fill();
    }
    if (labels && i % every === 0) {
      const lw = measureRich(ctx, labels[i], S);
      const cx = Math.min(Math.max(L + (i + 0.5) * bw, lw / 2 + 1), w - lw / 2 - 1);
      drawRich(ctx, labels[i], cx, h - 6, { align: 'center', size: S, role: 'tick-x', color: muted });
    }
  }
  const frame = {
    barAt: (px) => Math.max(0, Math.min(n - 1, Math.floor((px - L) / bw))),
    valueAt: (py) => ymin + (1 - (py - T) / (h - T - B)) * (ymax - ymin),
    L, R, T, B, w, h,
  };
  remember(canvas, barChart, [opts], frame, n > 0);
  describe(canvas, canvas.getAttribute('aria-label') ?? opts.title ?? '', ['', 'value'], v.map((val, i) => [labels?.[i] ?? String(i + 1), val]));
  return frame;
}

// ---- heat maps -----------------------------------------------------------------------------------------

/** The colour of t: diverging t ∈ [−1, 1] (blue → white → red) or sequential t ∈ [0, 1] (white → blue). */
function heatColor(t, diverging) {
  let r, g, b;
  if (diverging) { r = t > 0 ? 255 : Math.round(255 * (1 + t)); b = t < 0 ? 255 : Math.round(255 * (1 - t)); g = Math.round(255 * (1 - Math.abs(t))); }
  else { r = Math.round(255 * (1 - 0.8 * t)); g = Math.round(255 * (1 - 0.6 * t)); b = 255 - Math.round(80 * t); }
  return `rgb(${r},${g},${b})`;
}

/**
 * Heat map of a row-major rows×cols matrix with a colour bar. Data of both signs: diverging around 0,
 * symmetric (blue < 0 < red); one sign: white → blue from the matrix's min to its max (each matrix on its
 * own scale). opts: { height, title, colorbar = true }. Returns { lo, hi, diverging }.
 */
export function heatmap(canvas, data, rows, cols, { height, title, colorbar = true } = {}) {
  const host = canvas.getRootNode().host ?? canvas;
  const { ctx, w, h } = setupCanvas(canvas, height ?? 200);
  canvas.pwBoxes = [];
  const fg = cssColor(host, '--pw-fg'), muted = cssColor(host, '--pw-muted');
  let lo = Infinity, hi = -Infinity;
  for (const v of data) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const diverging = lo < 0 && hi > 0, m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const S = 10;
  ctx.font = fontOf(S);
  const T = title ? 18 : 0;
  ctx.clearRect(0, 0, w, h);
  if (title) {
    const fit = fitText(ctx, title, w - 2, 12, 1, '600');
    drawRich(ctx, fit.lines[0], 0, 13, { size: fit.size, weight: '600', role: 'title', color: fg });
  }
  // colour-bar ticks: the ends (and 0 when diverging)
  const barTicks = !Number.isFinite(lo) ? [] : diverging ? [m, 0, -m] : hi > lo ? [hi, lo] : [hi];
  const tickText = barTicks.map((v) => numberMarkup(fmt(+v.toPrecision(3))));
  const cbW = colorbar && barTicks.length ? 8 + 4 + Math.max(...tickText.map((s) => measureRich(ctx, s, S))) + 2 : 0;
  const side = Math.max(0, Math.min(w - cbW - (cbW ? 6 : 0), h - T - (colorbar ? 6 : 0)));
  const top = T + (colorbar ? 5 : 0);
  const cw = side / cols, ch = side / rows;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    const v = data[i * cols + j];
    ctx.fillStyle = heatColor(diverging ? v / m : hi > lo ? (v - lo) / (hi - lo) : 0.5, diverging);
    ctx.fillRect(j * cw, top + i * ch, Math.ceil(cw), Math.ceil(ch));
  }
  if (cbW && side > 0) {
    const bx = side + 6;
    for (let k = 0; k < side; k++) {
      const t = 1 - k / Math.max(1, side - 1);
      ctx.fillStyle = heatColor(diverging ? 2 * t - 1 : t, diverging);
      ctx.fillRect(bx, top + k, 8, 1.5);
    }
    ctx.strokeStyle = muted; ctx.lineWidth = 1; ctx.strokeRect(bx + 0.5, top + 0.5, 7, side - 1);
    const pos = barTicks.map((v) => (diverging ? top + ((m - v) / (2 * m)) * side : hi > lo ? top + ((hi - v) / (hi - lo)) * side : top + side / 2));
    let lastBottom = -Infinity;
    barTicks.forEach((v, k) => {
      const [up, down] = extent(tickText[k], S);
      const y = Math.min(Math.max(pos[k] + 3.5, up + 0.5), h - down - 0.5);
      if (y - up < lastBottom + 1 && k < barTicks.length - 1) return;  // no room: keep the ends
      drawRich(ctx, tickText[k], bx + 12, y, { size: S, role: 'colorbar', color: muted });
      lastBottom = y + down;
    });
  }
  remember(canvas, heatmap, [Float64Array.from(data), rows, cols, { height, title, colorbar }], { w, h }, rows * cols > 0);
  if (rows <= 16 && cols <= 16) {
    describe(canvas, title ?? canvas.getAttribute('aria-label') ?? '', ['row', ...Array.from({ length: cols }, (_, j) => `col ${j + 1}`)],
      Array.from({ length: rows }, (_, i) => [`row ${i + 1}`, ...Array.from(data.subarray ? data.subarray(i * cols, (i + 1) * cols) : data.slice(i * cols, (i + 1) * cols))]));
  } else {
    describe(canvas, `${title ?? canvas.getAttribute('aria-label') ?? ''}: ${rows}×${cols}, values from ${fmt(lo)} to ${fmt(hi)}`, ['row', 'min', 'max'],
      Array.from({ length: rows }, (_, i) => { let a = Infinity, b = -Infinity; for (let j = 0; j < cols; j++) { const x = data[i * cols + j]; if (x < a) a = x; if (x > b) b = x; } return [`row ${i + 1}`, a, b]; }));
  }
  return { lo, hi, diverging };
}
