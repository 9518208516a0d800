// Softmax family (post 8): softmax, sparsemax and entmax-1.5 on 10^3 … 10^6 logits. First the same C++
// program (bench/native/softmax.cpp) built natively and as wasm; then the JS API (fresh output, or a reused
// opts.out) against plain JS; sparsemax's growth 10^5 → 10^6 (expected O(n)); and one batched row-wise call
// vs per-row loops over 10^5 rows × 8.
import { bestMs, pairedTimes, table, ms, ratio } from './lib.mjs';

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
  const { native, twin } = pairedTimes('softmax', { runs: 3 });
  const sizes = [1e3, 1e4, 1e5, 1e6];
  const label = (n) => n.toExponential(0).replace('e+', 'e');
  const maps = [
    ['softmax', (x, o) => pw.softmax(x, o), jsSoftmax],
    ['sparsemax', (x, o) => pw.sparsemax(x, o), jsSparsemax],
    ['entmax15', (x, o) => pw.entmax(x, { alpha: 1.5, ...o }), jsEntmax15],
  ];

  // The same C++ benchmark program, g++ -O3 vs em++ -O3 -msimd128 under this Node.
  const same = [];
  for (const [name] of maps) {
    for (const n of sizes) {
      const k = `${name}/${n}`;
      same.push([name, label(n), ms(native[k]), ms(twin[k]), ratio(twin[k], native[k])]);
    }
  }

  const rows = [];
  const apiOut = {};
  for (const [name, wasm, js] of maps) {
    for (const n of sizes) {
      const x = normals(n), out = new Float64Array(n);
      // Same answers before timing anything (a benchmark of wrong code is worthless).
      const a = wasm(x), b = js(x);
      let err = 0;
      for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
      if (!(err < 1e-12)) throw new Error(`bench softmax: ${name}/${n}: wasm and JS differ by ${err}`);
      const opts = { reps: n >= 1e6 ? 9 : 7, minMs: n >= 1e5 ? 0 : 20 };
      const tf = bestMs(() => wasm(x), opts), to = bestMs(() => wasm(x, { out }), opts), tj = bestMs(() => js(x), opts);
      const tn = native[`${name}/${n}`];
      apiOut[`${name}/${n}`] = to;
      rows.push([name, label(n), ms(tf), ms(to), ms(tn), ms(tj), ratio(to, tn), ratio(tj, tf)]);
    }
  }
  // Context for the large sizes: every fresh result is a new Float64Array, and its allocation is part of the cost.
  const alloc = Object.fromEntries([1e5, 1e6].map((n) => [n, bestMs(() => new Float64Array(n).fill(0.5), { reps: 5 })]));
  const growth = (t) => ratio(t['sparsemax/1000000'], t['sparsemax/100000']);
  const growthRows = [['native (g++)', growth(native)], ['wasm, same program', growth(twin)], ['wasm, JS API with opts.out', growth(apiOut)]];

  // 10^5 rows × 8: one batched call vs a JS loop of wasm calls vs a plain-JS loop; fresh outputs, then reused ones.
  const R = 1e5, C = 8, xr = normals(R * C, 7), out = new Float64Array(R * C), outJs = new Float64Array(R * C);
  const batched = [
    ['softmax', (o) => pw.softmax(xr, { cols: C, out: o }), (r) => pw.softmax(r),
      (o = new Float64Array(R * C)) => { for (let r = 0; r < R; r++) jsSoftmax(xr, o, r * C, C); return o; }],
    ['sparsemax', (o) => pw.sparsemax(xr, { cols: C, out: o }), (r) => pw.sparsemax(r),
      (o = new Float64Array(R * C)) => { for (let r = 0; r < R; r++) o.set(jsSparsemax(xr.subarray(r * C, r * C + C)), r * C); return o; }],
    ['entmax15', (o) => pw.entmax(xr, { alpha: 1.5, cols: C, out: o }), (r) => pw.entmax(r, { alpha: 1.5 }),
      (o = new Float64Array(R * C)) => { for (let r = 0; r < R; r++) o.set(jsEntmax15(xr.subarray(r * C, r * C + C)), r * C); return o; }],
  ];
  const brows = [];
  for (const [name, one, perRow, plain] of batched) {
    const tb = bestMs(() => one(), { reps: 7 }), tbo = bestMs(() => one(out), { reps: 7 });
    const tl = bestMs(() => { for (let r = 0; r < R; r++) perRow(xr.subarray(r * C, r * C + C)); }, { reps: 3 });
    const tp = bestMs(() => plain(), { reps: 7 }), tpo = bestMs(() => plain(outJs), { reps: 7 });
    const k = `${name}-rows/100000x8`;
    brows.push([name, ms(tb), ms(tbo), ms(native[k]), ms(twin[k]), ms(tl), ms(tp), ms(tpo), ratio(tp, tb), ratio(tpo, tbo)]);
  }

  return [
    'Standard normal logits. The same C++ benchmark program (bench/native/softmax.cpp: the core entry points,',
    'a fresh std::vector result per call), built with g++ -O3 and with em++ -O3 -msimd128 (run under this Node);',
    'the two programs ran alternately three times, each cell the best of those runs:',
    '',
    table(['map', 'n', 'native ms', 'wasm ms', 'wasm / native'], same),
    '',
    'Through the JS API: "fresh" returns a new Float64Array per call (copies in and out included); "out" writes',
    'into a Float64Array reused across calls (`opts.out`). Plain JS allocates its result per call.',
    '',
    table(['map', 'n', 'API fresh ms', 'API out ms', 'native ms', 'plain JS ms', 'API out / native', 'plain JS / API fresh'], rows),
    '',
    `Allocating and filling a fresh Float64Array in this run: ${ms(alloc[1e5])} ms (10^5), ${ms(alloc[1e6])} ms (10^6).`,
    'A fresh 8 MB result can land on pages the OS has not mapped yet; on this VM a first touch costs ~10 µs per',
    '4 KB page (~20 ms per 8 MB, measured with a JS-only loop), so "fresh" times at 10^6 vary from run to run.',
    '',
    'Sparsemax growth from 10^5 to 10^6 elements (linear is 10×; target ≤ 12×):',
    '',
    table(['build', 't(10^6) / t(10^5)'], growthRows),
    '',
    `Row-wise, ${R} rows × ${C} (target: the batched call ≥ 2× faster than a plain JS loop):`,
    '',
    table(['map', 'batched API fresh ms', 'batched API out ms', 'native ms', 'wasm program ms', 'JS loop of API calls ms',
      'plain-JS loop fresh ms', 'plain-JS loop reused ms', 'plain JS / API (fresh)', 'plain JS / API (reused)'], brows),
  ].join('\n');
}
