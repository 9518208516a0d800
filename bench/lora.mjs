// LoRA+ (post 7): the sweep's inner loop — one LoRA training run (forward, the gradients ∂A = Xᵀ G Bᵀ and
// ∂B = (XA)ᵀ G, Adam/SignSGD updates) — and the default sweep; wasm (pw.loraTrain / pw.loraSweep) vs native
// (bench_lora) vs a plain-JS linear LoRA + Adam loop (the only place this maths is written in JS, as a baseline).
import { bestMs, nativeTimes, table, ms, ratio } from './lib.mjs';

// Plain JS: linear LoRA, loss ‖XAB − Y‖²/(2bm), Adam, on row-major Float64Arrays; random data of the same shape.
function jsTrainLinearAdam({ n, m = n, r, b, steps, lrA, ratio: lam }) {
  let s = 12345;
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 - 0.5; };
  const X = Float64Array.from({ length: b * n }, rnd), Y = Float64Array.from({ length: b * m }, rnd);
  const A = new Float64Array(n * r), B = Float64Array.from({ length: r * m }, rnd);
  const gA = new Float64Array(n * r), gB = new Float64Array(r * m), XA = new Float64Array(b * r), G = new Float64Array(b * m), GBt = new Float64Array(b * r);
  const mA = new Float64Array(n * r), vA = new Float64Array(n * r), mB = new Float64Array(r * m), vB = new Float64Array(r * m);
  const adam = (P, g, m1, m2, t, lr) => {
    const c1 = 1 - 0.9 ** t, c2 = 1 - 0.999 ** t;
    for (let i = 0; i < P.length; i++) {
      m1[i] = 0.9 * m1[i] + 0.1 * g[i];
      m2[i] = 0.999 * m2[i] + 0.001 * g[i] * g[i];
      P[i] -= (lr * (m1[i] / c1)) / (Math.sqrt(m2[i] / c2) + 1e-8);
    }
  };
  let loss = 0;
  for (let t = 1; t <= steps; t++) {
    XA.fill(0);
    for (let i = 0; i < b; i++) for (let j = 0; j < n; j++) { const x = X[i * n + j]; for (let k = 0; k < r; k++) XA[i * r + k] += x * A[j * r + k]; }
    loss = 0;
    for (let i = 0; i < b; i++) for (let l = 0; l < m; l++) {
      let y = -Y[i * m + l];
      for (let k = 0; k < r; k++) y += XA[i * r + k] * B[k * m + l];
      loss += y * y;
      G[i * m + l] = y / (b * m);
    }
    GBt.fill(0);
    for (let i = 0; i < b; i++) for (let l = 0; l < m; l++) { const g = G[i * m + l]; for (let k = 0; k < r; k++) GBt[i * r + k] += g * B[k * m + l]; }
    gA.fill(0);
    for (let i = 0; i < b; i++) for (let j = 0; j < n; j++) { const x = X[i * n + j]; for (let k = 0; k < r; k++) gA[j * r + k] += x * GBt[i * r + k]; }
    gB.fill(0);
    for (let i = 0; i < b; i++) for (let k = 0; k < r; k++) { const a = XA[i * r + k]; for (let l = 0; l < m; l++) gB[k * m + l] += a * G[i * m + l]; }
    adam(A, gA, mA, vA, t, lrA);
    adam(B, gB, mB, vB, t, lrA * lam);
  }
  return loss;
}

export async function run({ pw }) {
  const native = nativeTimes('lora');
  const base = { r: 2, batch: 128, steps: 100, lrA: 3e-3, ratio: 8 };
  const cases = [
    { name: 'train/linear-adam/n=64', opts: { ...base, n: 64, optimizer: 'adam' }, js: { n: 64, r: 2, b: 128, steps: 100, lrA: 3e-3, ratio: 8 } },
    { name: 'train/linear-signsgd/n=128', opts: { ...base, n: 128, optimizer: 'signsgd' } },
    { name: 'train/two-layer-adam/n=64', opts: { ...base, n: 64, model: 'two-layer', optimizer: 'adam' } },
  ];
  const rows = [];
  for (const c of cases) {
    const wasm = bestMs(() => pw.loraTrain(c.opts));
    const js = c.js ? bestMs(() => jsTrainLinearAdam(c.js)) : undefined;
    rows.push([c.name, ms(native[c.name]), ms(wasm), ms(js), ratio(wasm, native[c.name]), ratio(js, wasm)]);
  }
  const sweep = bestMs(() => pw.loraSweep({}), { reps: 3 });
  rows.push(['sweep/default (3 widths × 11 λ × 2 η_A × 100 steps)', ms(native['sweep/default']), ms(sweep), '–', ratio(sweep, native['sweep/default']), '–']);
  return `One training run is 100 steps of forward + both LoRA gradients + the optimiser update (r = 2, batch 128, m = n);
the default sweep is 66 such runs per width, as the widget's Worker runs it.

${table(['case', 'native ms', 'wasm ms', 'plain JS ms', 'wasm / native', 'JS / wasm'], rows)}`;
}
