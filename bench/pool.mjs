// The Worker pool in Chromium (issue 11 item 4): each pooled task run whole in one Worker (pw.worker(), the
// task unsplit) and split across pw.workerPool({ size }) with 1, 2 and 4 Workers. Times are wall-clock on the
// page (post, compute, merge), best of `reps` interleaved rounds after one warm-up run; the results are bit-identical in
// every configuration (tests/browser/workers.test.mjs). `node bench/pool.mjs` runs it alone.
import { loadavg, cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { openPage } from '../tests/browser/harness.mjs';
import { table, ms, ratio } from './lib.mjs';

const SIZES = [1, 2, 4];

export async function run({ reps = 3 } = {}) {
  const before = loadavg()[0];
  const { page, close } = await openPage('/tests/browser/pages/blank.html');
  let r;
  try {
    r = await page.evaluate(async ({ sizes, reps }) => {
      const { load } = await import('/dist/index.js');
      const pw = await load();
      const cases = {
        'sectorMonteCarloCurve (n = 32, 24 θ × 10 000 trials)':
          ['sectorMonteCarloCurve', [32, Array.from({ length: 24 }, (_, i) => 0.24 * (i + 1)), { trials: 10000, seed: 1 }]],
        'diffusionSample (ring mixture, 50 DDIM steps, 16 000 points)':
          ['diffusionSample', [{ model: pw.diffusionPreset('ring'), scheduler: {}, steps: 50, count: 16000, seed: 1 }]],
        'loraSweep (widths 16, 32, 64 × 11 λ, 100 steps)':
          ['loraSweep', [{ steps: 100 }]],
        'diffusionQualityTable (steps 10, 20, 50, 100 × η 0, 1; 2000 points)':
          ['diffusionQualityTable', [{ model: pw.diffusionPreset('grid'), steps: [10, 20, 50, 100], etas: [0, 1], count: 2000, referenceCount: 4000 }]],
      };
      // Interleaved rounds: each round times every configuration once, so that the load of a shared machine
      // falls on all of them alike; each keeps its best round.
      const out = {};
      for (const [label, [name, args]] of Object.entries(cases)) {
        const runners = { single: pw.worker(new URL('/dist/worker.js', location.href)) };
        for (const size of sizes) runners[size] = pw.workerPool({ size });
        for (const r of Object.values(runners)) await r.run(name, args); // warm-up: the Workers instantiate the module
        const row = Object.fromEntries(Object.keys(runners).map((k) => [k, Infinity]));
        for (let k = 0; k < reps; k++) {
          for (const [key, r] of Object.entries(runners)) {
            const t0 = performance.now();
            await r.run(name, args);
            row[key] = Math.min(row[key], performance.now() - t0);
          }
        }
        for (const r of Object.values(runners)) r.terminate();
        out[label] = row;
      }
      return { out, cores: navigator.hardwareConcurrency };
    }, { sizes: SIZES, reps });
  } finally {
    await close();
  }
  const after = loadavg()[0];
  let autogroup = false;
  try { autogroup = readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1'; } catch { /* not Linux */ }
  const rows = Object.entries(r.out).map(([label, t]) => [label, ms(t.single), ...SIZES.map((s) => ms(t[s])),
    ...SIZES.slice(1).map((s) => ratio(t[1], t[s]))]);
  return `Chromium (headless Debian chromium), navigator.hardwareConcurrency = ${r.cores}; this machine has ${cpus().length} cores,
shared with other jobs while it ran (1-minute load average ${before.toFixed(2)} before, ${after.toFixed(2)} after), so a
speed-up above ${cpus().length}× is impossible here and one near it needs idle cores.${autogroup ? ` Linux autogroup scheduling is on:
the CPU is shared between sessions, not threads, so while other sessions keep the cores busy the browser's
extra Workers gain no CPU time and the pool cannot show its speed-up.` : ''} Times in ms, best of ${reps} interleaved rounds; "one Worker"
runs the task unsplit (pw.worker().run), "pool N" splits it across N Workers (pw.workerPool({ size: N })); the
numbers are bit-identical in every column.

${table(['task', 'one Worker', ...SIZES.map((s) => `pool ${s}`), ...SIZES.slice(1).map((s) => `speed-up ${s} vs 1`)], rows)}
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  console.log(await run());
}
