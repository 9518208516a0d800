// Canvas plotting shared by the widgets: axes with readable ticks, lines, points with error bars,
// bars and heat maps. Colours come from the host element's CSS variables (light/dark themes).

/** Sizes the canvas for the device pixel ratio and returns a 2-D context in CSS pixels. */
export function setupCanvas(canvas, cssHeight) {
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

export const PALETTE = ['#2f6fde', '#d9622b', '#1f8a4c', '#9b4dca', '#c23a3a', '#0f9aa8', '#b8860b', '#6b7280'];

/** "Nice" tick values covering [lo, hi]. */
export function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / count;
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

/**
 * Line/point plot. opts: { series: [{ x, y, color?, label?, points?, err?, dash? }], xlabel, ylabel,
 * xmin, xmax, ymin, ymax, logY, logX, height, vlines: [{ x, label?, color? }], xfmt, yfmt }.
 * logX: log-scaled x axis with ticks at powers of 2 (spans up to 2^12) or of 10; x values must be > 0.
 * Returns the frame { toX, toY, fromX } so callers can map pointer events.
 */
export function linePlot(canvas, opts) {
  const host = canvas.getRootNode().host ?? canvas;
  const { ctx, w, h } = setupCanvas(canvas, opts.height ?? 240);
  const fg = cssColor(host, '--pw-fg', '#222'), muted = cssColor(host, '--pw-muted', '#777'), grid = cssColor(host, '--pw-border', '#ddd');
  const tr = opts.logY ? (v) => Math.log10(v) : (v) => v;
  const trx = opts.logX ? (v) => Math.log2(v) : (v) => v;
  const xs = opts.series.flatMap((s) => Array.from(s.x).map(trx)).filter(Number.isFinite);
  const ys = opts.series.flatMap((s) => Array.from(s.y).map(tr)).filter(Number.isFinite);
  let xmin = opts.xmin !== undefined ? trx(opts.xmin) : Math.min(...xs), xmax = opts.xmax !== undefined ? trx(opts.xmax) : Math.max(...xs);
  let ymin = opts.ymin !== undefined ? tr(opts.ymin) : Math.min(...ys), ymax = opts.ymax !== undefined ? tr(opts.ymax) : Math.max(...ys);
  if (!(xmax > xmin)) { xmin -= 1; xmax += 1; }
  if (!(ymax > ymin)) { ymin -= 1; ymax += 1; }
  const L = 56, R = 12, T = 10, B = 38;
  const toX = (x) => L + ((trx(x) - xmin) / (xmax - xmin)) * (w - L - R);
  const toY = (y) => T + (1 - (tr(y) - ymin) / (ymax - ymin)) * (h - T - B);
  const fromX = (px) => { const v = xmin + ((px - L) / (w - L - R)) * (xmax - xmin); return opts.logX ? 2 ** v : v; };
  ctx.clearRect(0, 0, w, h);
  ctx.font = '12px system-ui, sans-serif';
  ctx.strokeStyle = grid; ctx.fillStyle = muted; ctx.lineWidth = 1;
  const xf = opts.xfmt ?? fmt, yf = opts.yfmt ?? fmt;
  const xt = !opts.logX ? ticks(xmin, xmax, Math.max(2, Math.floor((w - L - R) / 80)))
    : (xmax - xmin <= 12 ? ticks(Math.floor(xmin), Math.ceil(xmax), Math.ceil(xmax - xmin) + 1).filter(Number.isInteger).map((k) => 2 ** k)
      : ticks(Math.floor(xmin / Math.log2(10)), Math.ceil(xmax / Math.log2(10)), 6).filter(Number.isInteger).map((k) => 10 ** k))
      .filter((v) => trx(v) >= xmin - 1e-9 && trx(v) <= xmax + 1e-9);
  for (const v of xt) {
    const x = toX(v);
    ctx.beginPath(); ctx.moveTo(x, T); ctx.lineTo(x, h - B); ctx.stroke();
    ctx.textAlign = 'center'; ctx.fillText(xf(v), x, h - B + 15);
  }
  let yt = opts.logY ? ticks(Math.floor(ymin), Math.ceil(ymax), 5).filter((v) => Number.isInteger(v) && v >= ymin - 1e-9 && v <= ymax + 1e-9)
    : ticks(ymin, ymax, 5);
  // logY over less than ~2 decades: add 2× and 5× ticks so the axis still has labels.
  const subTicks = opts.logY && yt.length < 2;
  if (subTicks) {
    yt = [];
    for (let k = Math.floor(ymin); k <= Math.ceil(ymax); k++) {
      for (const m of [1, 2, 5]) { const v = k + Math.log10(m); if (v >= ymin - 1e-9 && v <= ymax + 1e-9) yt.push(v); }
    }
  }
  for (const v of yt) {
    const y = T + (1 - (v - ymin) / (ymax - ymin)) * (h - T - B);
    ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(w - R, y); ctx.stroke();
    ctx.textAlign = 'right'; ctx.fillText(opts.logY ? (subTicks ? fmt(10 ** v) : `1e${v}`) : yf(v), L - 6, y + 4);
  }
  ctx.fillStyle = fg; ctx.textAlign = 'center';
  if (opts.xlabel) ctx.fillText(opts.xlabel, L + (w - L - R) / 2, h - 6);
  if (opts.ylabel) { ctx.save(); ctx.translate(12, T + (h - T - B) / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(opts.ylabel, 0, 0); ctx.restore(); }
  for (const v of opts.vlines ?? []) {
    ctx.strokeStyle = v.color ?? muted; ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(toX(v.x), T); ctx.lineTo(toX(v.x), h - B); ctx.stroke(); ctx.setLineDash([]);
    if (v.label) { ctx.fillStyle = muted; ctx.textAlign = 'left'; ctx.fillText(v.label, toX(v.x) + 3, T + 12); }
  }
  ctx.save(); ctx.beginPath(); ctx.rect(L, T, w - L - R, h - T - B); ctx.clip();
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
    }
  });
  ctx.restore();
  const labelled = opts.series.filter((s) => s.label);
  if (labelled.length) {
    let x = L + 8;
    ctx.textAlign = 'left';
    opts.series.forEach((s, k) => {
      if (!s.label) return;
      ctx.fillStyle = s.color ?? PALETTE[k % PALETTE.length];
      ctx.fillRect(x, T + 6, 10, 10);
      ctx.fillStyle = fg; ctx.fillText(s.label, x + 14, T + 15);
      x += 24 + ctx.measureText(s.label).width;
    });
  }
  return { toX, toY, fromX, L, R, T, B, w, h };
}

/**
 * Bar chart of one vector. opts: { values, labels?, ymax?, color?, height?, title? }.
 * Returns { barAt(px) → index, valueAt(py) → value } for dragging.
 */
export function barChart(canvas, opts) {
  const host = canvas.getRootNode().host ?? canvas;
  const { ctx, w, h } = setupCanvas(canvas, opts.height ?? 160);
  const fg = cssColor(host, '--pw-fg'), muted = cssColor(host, '--pw-muted'), grid = cssColor(host, '--pw-border');
  const v = Array.from(opts.values), n = v.length;
  const ymin = opts.ymin ?? Math.min(0, ...v), ymax = opts.ymax ?? Math.max(1e-12, ...v);
  const L = 40, R = 6, T = opts.title ? 20 : 8, B = 20;
  const bw = (w - L - R) / n;
  const toY = (y) => T + (1 - (y - ymin) / (ymax - ymin)) * (h - T - B);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = grid; ctx.fillStyle = muted;
  for (const t of ticks(ymin, ymax, 3)) {
    ctx.beginPath(); ctx.moveTo(L, toY(t)); ctx.lineTo(w - R, toY(t)); ctx.stroke();
    ctx.textAlign = 'right'; ctx.fillText(fmt(t), L - 4, toY(t) + 4);
  }
  if (opts.title) { ctx.fillStyle = fg; ctx.textAlign = 'left'; ctx.font = '600 12px system-ui, sans-serif'; ctx.fillText(opts.title, L, 13); ctx.font = '11px system-ui, sans-serif'; }
  for (let i = 0; i < n; i++) {
    const y0 = toY(Math.max(ymin, 0)), y1 = toY(Math.min(ymax, Math.max(ymin, v[i])));
    ctx.fillStyle = (opts.colors?.[i]) ?? opts.color ?? cssColor(host, '--pw-accent');
    ctx.fillRect(L + i * bw + bw * 0.15, Math.min(y0, y1), bw * 0.7, Math.max(1, Math.abs(y1 - y0)) * (v[i] === 0 ? 0 : 1));
    if (opts.labels) { ctx.fillStyle = muted; ctx.textAlign = 'center'; ctx.fillText(opts.labels[i], L + (i + 0.5) * bw, h - 6); }
  }
  return {
    barAt: (px) => Math.max(0, Math.min(n - 1, Math.floor((px - L) / bw))),
    valueAt: (py) => ymin + (1 - (py - T) / (h - T - B)) * (ymax - ymin),
  };
}

/** Heat map of a row-major rows×cols matrix, diverging around 0 when the data has both signs. */
export function heatmap(canvas, data, rows, cols, { height, title } = {}) {
  const host = canvas.getRootNode().host ?? canvas;
  const { ctx, w, h } = setupCanvas(canvas, height ?? 200);
  let lo = Infinity, hi = -Infinity;
  for (const v of data) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const diverging = lo < 0 && hi > 0, m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const T = title ? 18 : 0, side = Math.min(w, h - T);
  const cw = side / cols, ch = side / rows;
  ctx.clearRect(0, 0, w, h);
  if (title) { ctx.fillStyle = cssColor(host, '--pw-fg'); ctx.font = '600 12px system-ui, sans-serif'; ctx.fillText(title, 0, 13); }
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    const v = data[i * cols + j];
    let r, g, b;
    if (diverging) { const t = v / m; r = t > 0 ? 255 : Math.round(255 * (1 + t)); b = t < 0 ? 255 : Math.round(255 * (1 - t)); g = Math.round(255 * (1 - Math.abs(t))); }
    else { const t = hi > lo ? (v - lo) / (hi - lo) : 0.5; r = Math.round(255 * (1 - 0.8 * t)); g = Math.round(255 * (1 - 0.6 * t)); b = 255 - Math.round(80 * t); }
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(j * cw, T + i * ch, Math.ceil(cw), Math.ceil(ch));
  }
  return { lo, hi };
}
