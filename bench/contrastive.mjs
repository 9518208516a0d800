// FlatNCE (post 3): the margin sweep, a long FlatNCE loss, and the float32 training run (each step: float32
// forward/backward, the float64 reference gradient, Adam) — wasm (pw.*) vs native (bench_contrastive) vs a
// plain-JS FlatNCE (the only place this maths is written in JS, as a baseline).
import { bestMs, nativeTimes, table, ms, ratio } from './lib.mjs';

// Plain JS FlatNCE: logsumexp over the negatives − s_t, and its gradient (softmax over negatives, −1 at t).
function jsFlatNce(s, t) {
  let m = -Infinity;
  for (let i = 0; i < s.length; i++) if (i !== t && s[i] > m) m = s[i];
  let z = 0;
  const g = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) if (i !== t) z += (g[i] = Math.exp(s[i] - m));
  for (let i = 0; i < s.length; i++) g[i] /= z;
  g[t] = -1;
  return { value: m - s[t] + Math.log(z), grad: g };
}

export async function run({ pw }) {
  const native = nativeTimes('contrastive');
  const rows = [];
  const margins = Float64Array.from({ length: 4001 }, (_, i) => i / 100);
  const sweep = bestMs(() => pw.contrastiveMarginSweep(8, 10, margins));
  rows.push(['sweep/K=8/4001 margins', ms(native['sweep/K=8/4001 margins']), ms(sweep), '–', ratio(sweep, native['sweep/K=8/4001 margins']), '–']);
  const s = Float64Array.from({ length: 4096 }, (_, i) => (i % 97) / 7);
  const flat = bestMs(() => { for (let r = 0; r < 100; r++) pw.flatNce(s, 5); });
  const js = bestMs(() => { for (let r = 0; r < 100; r++) jsFlatNce(s, 5); });
  rows.push(['flatnce/f64/K=4096 (×100)', ms(native['flatnce/f64/K=4096']), ms(flat), ms(js), ratio(flat, native['flatnce/f64/K=4096']), ratio(js, flat)]);
  for (const loss of ['ce', 'flatnce']) {
    const name = `train/${loss}/1000 steps`;
    const w = bestMs(() => pw.contrastiveTrain({ loss }, { steps: 1000, evalEvery: 1000 }), { reps: 3 });
    rows.push([name, ms(native[name]), ms(w), '–', ratio(w, native[name]), '–']);
  }
  return `${table(['case', 'native ms', 'wasm ms', 'plain JS ms', 'wasm/native', 'JS/wasm'], rows)}

The training run includes, per step, the float32 gradient, the float64 reference gradient and Adam (default
config: 32 classes, batch 8, 32 → 8 linear encoder); the wasm figure includes one accuracy evaluation.`;
}
