// Sector probability (post 5): P and 1 − P at n = 10^4 over a grid of θ, wasm vs native; the exact
// rational at n = 2000; Monte Carlo throughput. A plain-JS naive double sum shows why the library
// exists (its error, not just its speed).
import { bestMs, nativeTimes, table, ms, ratio } from './lib.mjs';

const TURN = 2 * Math.PI;
const num = (v) => (v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential(4) : v.toPrecision(6));

// The §5.3 sum in plain double precision, as one would write it first (for comparison only).
function naive(n, theta) {
  const x = 1 - theta / TURN;
  let s = 0, binom = 1;
  for (let k = 1; k <= n && 1 - k * x > 0; k++) {
    binom = (binom * (n - k + 1)) / k;
    s += (k % 2 ? 1 : -1) * binom * (1 - k * x) ** (n - 1);
  }
  return s;
}

export async function run({ pw }) {
  const native = nativeTimes('sector');
  const rows = [];
  for (const c of [1.2, 1.6, 2, 3, 5, 8, 12, 20]) {
    const theta = TURN * (1 - c / 10000);
    const s = pw.sectorEvaluate(10000, theta);
    const t = bestMs(() => pw.sectorEvaluate(10000, theta), { reps: 21 });
    const nat = native[`evaluate n=1e4 x=${c}/n`];
    rows.push([`n=10^4, x=${c}/n`, s.method, num(s.probability), num(s.complement), ms(t), ms(nat), ratio(t, nat)]);
  }
  {
    const s = pw.sectorEvaluate(10000, Math.PI);
    const t = bestMs(() => pw.sectorEvaluate(10000, Math.PI), { reps: 21 });
    const nat = native['evaluate n=1e4 theta=pi'];
    rows.push(['n=10^4, θ=π', s.method, num(s.probability), num(s.complement), ms(t), ms(nat), ratio(t, nat)]);
  }
  {
    const theta = TURN * (1 - 2e-5);
    const s = pw.sectorEvaluate(100000, theta);
    const t = bestMs(() => pw.sectorEvaluate(100000, theta), { reps: 21 });
    const nat = native['evaluate n=1e5 x=2/n'];
    rows.push(['n=10^5, x=2/n', s.method, num(s.probability), num(s.complement), ms(t), ms(nat), ratio(t, nat)]);
  }
  const exactMs = bestMs(() => pw.sectorProbabilityExact(2000, 997, 1000), { reps: 3 });
  const naiveRows = [60, 100, 150, 300, 1000].map((n) => {
    const theta = TURN * (1 - 2 / n);  // x = 2/n: the worst region for the alternating sum
    const exact = pw.sectorProbability(n, theta), plain = naive(n, theta);
    return [n, exact.toPrecision(17), plain.toPrecision(6), Math.abs(plain - exact).toExponential(1), pw.sectorComplement(n, theta).toExponential(6)];
  });
  const mc = [[4, Math.PI, 1e6, 'monte carlo n=4 1e6 trials'], [100, 6.0, 2e4, 'monte carlo n=100 2e4 trials']].map(([n, th, trials, key]) => {
    const t = bestMs(() => pw.sectorMonteCarlo(n, th, { trials, seed: 1 }), { reps: 3 });
    const nat = native[key];
    const pts = n * trials;
    return [`n=${n}, ${trials} trials`, ms(t), ((pts / t) * 1e3).toExponential(2), ms(nat), nat ? ((pts / nat) * 1e3).toExponential(2) : '–'];
  });
  return [
    'P and 1 − P (one `sectorEvaluate` call) at n = 10^4 and 10^5; x = 1 − θ/2π. Target: ≤ 5 ms per evaluation in wasm.',
    '',
    table(['case', 'method', 'P', '1 − P', 'wasm ms', 'native ms', 'wasm/native'], rows),
    '',
    `Exact rational P_2000(2π·997/1000) (\`sectorProbabilityExact\`, exact big integers): ${ms(exactMs)} ms in wasm` +
      (native['exact n=2000 q=997/1000'] ? `, ${ms(native['exact n=2000 q=997/1000'])} ms native.` : '.'),
    '',
    'The naive double-precision sum (plain JS) at x = 2/n against the library:',
    '',
    table(['n', 'library P', 'naive P', '|error|', 'library 1 − P'], naiveRows),
    '',
    'Monte Carlo throughput (points per second; each point = two uniforms, largest-gap test after sorting):',
    '',
    table(['case', 'wasm ms', 'wasm points/s', 'native ms', 'native points/s'], mc),
  ].join('\n');
}
