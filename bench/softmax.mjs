// Softmax family (post 8): softmax, sparsemax and entmax-1.5 on 10^3 … 10^6 logits, wasm vs the same C++
// built natively (bench/native/softmax.cpp) vs plain JS; sparsemax's growth 10^5 → 10^6 (expected O(n));
// and one batched row-wise call vs per-row loops over 10^5 rows × 8.
import { bestMs, nativeTimes, table, ms, ratio } from './lib.mjs';

// ---- plain JS baselines (straightforward implementations; the only maths allowed outside wasm) -------------

function jsSoftmax(x, out = new Float64Array(x.length), off = 0, n = x.length) {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (x[off + i] > m) m = x[off + i];
  let s = 0;
  for (let i = 0; i < n; i++) s += (out[off + i] = Math.exp(x[off + i] - m));
  for (let i = 0; i < n; i++) out[off + i] /= s;
  return out;
}

// The post's sort-based sparsemax (§8.6): sort descending, the largest k with x_(k) > (Σ_{i≤k} x_(i) − 1)/k.
function jsSparsemax(x) {
  const z = Float64Array.from(x).sort().reverse();
  let cum = 0, lambda = 0;
  for (let k = 1; k <= z.length; k++) {
    cum += z[k - 1];
    const l = (cum - 1) / k;
    if (z[k - 1] > l) lambda = l; else break;
  }
  const p = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) p[i] = Math.max(x[i] - lambda, 0);
  return p;
}

// The post's exact entmax-1.5 (§8.7): z = x/2 sorted, λ_k = μ_k − √(1/k − σ_k²), the first k in [z_{k+1}, z_k].
function jsEntmax15(x) {
  const z = Float64Array.from(x, (v) => v / 2).sort().reverse();
  let s1 = 0, s2 = 0, lambda = z[0] - 1;
  for (let k = 1; k <= z.length; k++) {
    s1 += z[k - 1]; s2 += z[k - 1] * z[k - 1];
    const mu = s1 / k, l = mu - Math.sqrt(Math.max(1 / k - (s2 / k - mu * mu), 0));
    if (l <= z[k - 1] && (k === z.length || l >= z[k])) { lambda = l; break; }
  }
  const p = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) { const r = Math.max(x[i] / 2 - lambda, 0); p[i] = r * r; }
  return p;
}

// Standard normal logits from a fixed-seed generator (the native twin uses the same distribution).
function normals(n, seed = 1) {
  let s = seed >>> 0;
  const u = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 4294967296; };
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return x;
}

export async function run({ pw }) {
  const native = nativeTimes('softmax');
  const sizes = [1e3, 1e4, 1e5, 1e6];
  const maps = [
    ['softmax', (x) => pw.softmax(x), jsSoftmax],
    ['sparsemax', (x) => pw.sparsemax(x), jsSparsemax],
    ['entmax15', (x) => pw.entmax(x, { alpha: 1.5 }), jsEntmax15],
  ];
  const rows = [];
  const wasmAt = {};
  for (const [name, wasm, js] of maps) {
    for (const n of sizes) {
      const x = normals(n);
      // Same answers before timing anything (a benchmark of wrong code is worthless).
      const a = wasm(x), b = js(x);
      let err = 0;
      for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
      if (!(err < 1e-12)) throw new Error(`bench softmax: ${name}/${n}: wasm and JS differ by ${err}`);
      const opts = { reps: n >= 1e6 ? 5 : 7, minMs: n >= 1e5 ? 0 : 20 };
      const tw = bestMs(() => wasm(x), opts), tj = bestMs(() => js(x), opts), tn = native[`${name}/${n}`];
      wasmAt[`${name}/${n}`] = tw;
      rows.push([name, n.toExponential(0).replace('e+', 'e'), ms(tw), ms(tn), ms(tj), ratio(tw, tn), ratio(tj, tw)]);
    }
  }
  // Context for the large sizes: every API call returns a fresh Float64Array, so its allocation is part of the cost.
  const alloc = Object.fromEntries([1e5, 1e6].map((n) => [n, bestMs(() => new Float64Array(n).fill(0.5), { reps: 5 })]));
  const growth = [
    ['wasm', ratio(wasmAt['sparsemax/1000000'], wasmAt['sparsemax/100000'])],
    ['native', ratio(native['sparsemax/1000000'], native['sparsemax/100000'])],
  ];

  // 10^5 rows × 8: one batched call vs a JS loop of wasm calls vs a plain-JS loop.
  const R = 1e5, C = 8, xr = normals(R * C, 7);
  const batched = [
    ['softmax', () => pw.softmax(xr, { cols: C }), (r) => pw.softmax(r), () => { const o = new Float64Array(R * C); for (let r = 0; r < R; r++) jsSoftmax(xr, o, r * C, C); return o; }],
    ['sparsemax', () => pw.sparsemax(xr, { cols: C }), (r) => pw.sparsemax(r), () => { const o = new Float64Array(R * C); for (let r = 0; r < R; r++) o.set(jsSparsemax(xr.subarray(r * C, r * C + C)), r * C); return o; }],
    ['entmax15', () => pw.entmax(xr, { alpha: 1.5, cols: C }), (r) => pw.entmax(r, { alpha: 1.5 }), () => { const o = new Float64Array(R * C); for (let r = 0; r < R; r++) o.set(jsEntmax15(xr.subarray(r * C, r * C + C)), r * C); return o; }],
  ];
  const brows = [];
  for (const [name, one, perRow, plain] of batched) {
    const tb = bestMs(one, { reps: 5 });
    const tl = bestMs(() => { for (let r = 0; r < R; r++) perRow(xr.subarray(r * C, r * C + C)); }, { reps: 3 });
    const tp = bestMs(plain, { reps: 5 });
    brows.push([name, ms(tb), ms(native[`${name}-rows/100000x8`]), ms(tl), ms(tp), ratio(tl, tb), ratio(tp, tb)]);
  }

  return [
    'Standard normal logits. Each cell is one call on a fresh array (copies in and out included for wasm).',
    '',
    table(['map', 'n', 'wasm ms', 'native ms', 'plain JS ms', 'wasm / native', 'JS / wasm'], rows),
    '',
    'Sparsemax growth from 10^5 to 10^6 elements (linear is 10×; target ≤ 12×):',
    '',
    table(['build', 't(10^6) / t(10^5)'], growth),
    '',
    `For reference, allocating and filling a fresh Float64Array in this run: ${ms(alloc[1e5])} ms (10^5), ${ms(alloc[1e6])} ms (10^6):`,
    'at 10^6 the JS-side output allocation, which the API contract (a fresh array per call) requires, can dominate the wasm time.',
    '',
    `Row-wise, ${R} rows × ${C} (target: the batched call ≥ 2× faster than a plain JS loop):`,
    '',
    table(['map', 'batched wasm ms', 'batched native ms', 'JS loop of wasm calls ms', 'plain-JS loop ms', 'loop of calls / batched', 'plain JS / batched'], brows),
  ].join('\n');
}
