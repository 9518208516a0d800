// Token mixers (post 2): each mixer's forward on X ∈ R^{n×64} at n = 64 … 4096, wasm (through the JS
// API, copies in and out included) vs the same C++ built natively (bench/native/mixers.cpp), with the
// FLOPs the implementation counts; cases above 5e9 FLOPs are skipped on both sides. The growth column
// compares time growth from n/4 to n with FLOP growth: O(n²) mixers → 16×, FNet → ~4×, External → 4×.
import { bestMs, nativeTimes, table, ms, ratio } from './lib.mjs';

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
  return `d = ${d}, seed 1, random N(0,1) input; float32 throughout (Eigen GEMM; FNet through Eigen's kissfft).

${table(['mixer', 'n', 'order', 'FLOPs', 'wasm ms', 'native ms', 'wasm/native', 'wasm GFLOP/s', 'growth n/4 → n'], rows)}`;
}
