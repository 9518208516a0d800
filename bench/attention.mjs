// Attention noise and softmax entropy (post 6): the Monte Carlo noise loop, the exact minimum-entropy scan
// and the initial-scale curve — wasm (pw.*) vs native (bench_attention) vs a plain-JS noise loop (the only
// place this maths is written in JS, as a baseline; its own PRNG, the same amount of work).
import { bestMs, nativeTimes, table, ms, ratio } from './lib.mjs';

function jsNoiseError(n, trials) {
  let seed = 1;
  const uni = () => { seed = (seed * 16807) % 2147483647; return (seed - 0.5) / 2147483647; };
  const normal = () => Math.sqrt(-2 * Math.log(uni())) * Math.cos(2 * Math.PI * uni());
  const s = new Float64Array(n), v = new Float64Array(n), e = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < trials; k++) {
    let m = -Infinity, mn = -Infinity;
    for (let i = 0; i < n; i++) { s[i] = normal(); v[i] = normal(); e[i] = s[i] + normal(); if (s[i] > m) m = s[i]; if (e[i] > mn) mn = e[i]; }
    let z = 0, o = 0, zn = 0, on = 0;
    for (let i = 0; i < n; i++) {
      const w = Math.exp(s[i] - m), wn = Math.exp(e[i] - mn);
      z += w; o += w * v[i]; zn += wn; on += wn * v[i];
    }
    sum += Math.abs(on / zn - o / z);
  }
  return sum / trials;
}

export async function run({ pw }) {
  const native = nativeTimes('attention');
  const rows = [];
  const c1 = 'noise/gaussian/n=1e5/20 trials';
  const w1 = bestMs(() => pw.attentionNoiseError(100000, { trials: 20 }), { reps: 3 });
  const j1 = bestMs(() => jsNoiseError(100000, 20), { reps: 3 });
  rows.push([c1, ms(native[c1]), ms(w1), ms(j1), ratio(w1, native[c1]), ratio(j1, w1)]);
  const c2 = 'minEntropy/n=1e6';
  const w2 = bestMs(() => pw.minEntropy(1000000));
  rows.push([c2, ms(native[c2]), ms(w2), '–', ratio(w2, native[c2]), '–']);
  const c3 = 'scaleCurve/n=4096/6 scales/50 trials';
  const w3 = bestMs(() => pw.attentionInitScaleCurve(4096, [0, 0.5, 1, 2, 4, 8], { trials: 50 }), { reps: 3 });
  rows.push([c3, ms(native[c3]), ms(w3), '–', ratio(w3, native[c3]), '–']);
  return `${table(['case', 'native ms', 'wasm ms', 'plain JS ms', 'wasm/native', 'JS/wasm'], rows)}

The noise case draws 3n normals and evaluates two softmax-weighted means per trial (the wasm version calls
probwasm::softmax::softmax_into twice); the plain-JS baseline uses a Lehmer PRNG with Box–Muller.`;
}
