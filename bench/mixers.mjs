// Token mixers (post 2): each mixer's forward on X ∈ R^{n×64} at n = 64 … 4096, wasm (through the JS
// API, copies in and out included) vs the same C++ built natively (bench/native/mixers.cpp), with the
// FLOPs the implementation counts; cases above 5e9 FLOPs are skipped on both sides. The growth column
// compares time growth from n/4 to n with FLOP growth: O(n²) mixers → 16×, FNet → ~4×, External → 4×.
import { bestMs, nativeTimes, table, ms, ratio } from './lib.mjs';

// ---- plain JS baseline (the only maths allowed outside wasm): single-head attention with plain loops,
// Float32Array storage, the same W_q, W_k, W_v read from the wasm mixer so the work is identical.
function jsAttention(x, n, d, wq, wk, wv, k) {
  const proj = (w, cols) => {
    const out = new Float32Array(n * cols);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) {
      const v = x[i * d + c];
      for (let j = 0; j < cols; j++) out[i * cols + j] += v * w[c * cols + j];
    }
    return out;
  };
  const Q = proj(wq, k), K = proj(wk, k), V = proj(wv, d);
  const out = new Float32Array(n * d), row = new Float32Array(n), scale = 1 / Math.sqrt(k);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += Q[i * k + c] * K[j * k + c];
      row[j] = s * scale;
      if (row[j] > m) m = row[j];
    }
    let z = 0;
    for (let j = 0; j < n; j++) z += (row[j] = Math.exp(row[j] - m));
    for (let j = 0; j < n; j++) {
      const a = row[j] / z;
      for (let c = 0; c < d; c++) out[i * d + c] += a * V[j * d + c];
    }
  }
  return out;
}

export async function run({ pw }) {
  const native = nativeTimes('mixers');
  const d = 64, ns = [64, 256, 1024, 4096], maxFlops = 5e9;
  const rows = [];
  const wasm = {};
  for (const n of ns) {
    const x = pw.mixerInput('random', n, d, { seed: 1 });
    for (const kind of pw.mixerKinds()) {
      const c = pw.mixerCost(kind, n, d);
      if (c.flops > maxFlops) { rows.push([kind, String(n), c.order, c.flops.toExponential(2), 'skipped', '–', '–', '–', '–']); continue; }
      const m = new pw.TokenMixer(kind, { n, d, seed: 1 });
      const t = bestMs(() => m.forward(x, n), { reps: c.flops > 1e9 ? 3 : 7, minMs: c.flops > 1e8 ? 0 : 20 });
      m.dispose();
      wasm[`${kind}/${n}`] = t;
      const prev = wasm[`${kind}/${n / 4}`];
      const nat = native[`${kind}/${n}`];
      const growth = prev === undefined ? '–'
        : `${(t / prev).toFixed(1)}× (FLOPs ${(c.flops / pw.mixerCost(kind, n / 4, d).flops).toFixed(1)}×)`;
      rows.push([kind, String(n), c.order, c.flops.toExponential(2), ms(t), ms(nat), ratio(t, nat),
        (c.flops / t / 1e6).toFixed(2), growth]);
    }
  }
  // attention: wasm vs plain JS loops on the same parameters (max |difference| shows they agree)
  const js = [];
  for (const n of [64, 256, 1024]) {
    const x = pw.mixerInput('random', n, d, { seed: 1 });
    const m = new pw.TokenMixer('attention', { n, d, seed: 1 });
    const [wq, wk, wv] = ['Wq', 'Wk', 'Wv'].map((p) => m.parameter(p).data);
    const tw = bestMs(() => m.forward(x, n), { reps: 5, minMs: 20 });
    const tj = bestMs(() => jsAttention(x, n, d, wq, wk, wv, d), { reps: 3 });
    const a = m.forward(x, n), b = jsAttention(x, n, d, wq, wk, wv, d);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
    m.dispose();
    js.push([String(n), ms(tw), ms(tj), ratio(tj, tw), diff.toExponential(1)]);
  }
  return `d = ${d}, seed 1, random N(0,1) input; float32 throughout (Eigen GEMM; FNet through Eigen's kissfft).

${table(['mixer', 'n', 'order', 'FLOPs', 'wasm ms', 'native ms', 'wasm/native', 'wasm GFLOP/s', 'growth n/4 → n'], rows)}

Attention, wasm vs plain JS loops (same parameters):

${table(['n', 'wasm ms', 'plain JS ms', 'JS/wasm', 'max |Δ|'], js)}`;
}
