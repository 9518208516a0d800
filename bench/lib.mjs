// Benchmark helpers: best-of timing, the native twin of a case, and markdown tables.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../', import.meta.url));

/** Best wall time in ms of fn() over `reps` runs after one warm-up (min, not mean: least noise). */
export function bestMs(fn, { reps = 7, minMs = 0 } = {}) {
  fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    let calls = 0;
    do { fn(); calls++; } while (performance.now() - t0 < minMs);
    best = Math.min(best, (performance.now() - t0) / calls);
  }
  return best;
}

/**
 * Runs build/native/bench_<topic> (g++ -O3) and returns { caseName: ms }. The executable prints one JSON
 * object per line: {"case": "...", "ms": 1.23}.
 */
export function nativeTimes(topic, args = []) {
  const exe = `${root}build/native/bench_${topic}`;
  return runTimes(exe, exe, args);
}

/**
 * Runs the same benchmark program compiled to wasm (build/wasm/bench_<topic>.cjs, em++ -O3 -msimd128) under
 * this Node: "wasm vs native" for the same C++ doing the same work, with no JS API around it.
 */
export function wasmTwinTimes(topic, args = []) {
  const script = `${root}build/wasm/bench_${topic}.cjs`;
  return runTimes(script, process.execPath, [script, ...args]);
}

/**
 * The native program and its wasm twin run alternately `runs` times; each case keeps its best time. Load on a
 * shared machine then hits both builds alike, instead of whichever ran during a busy moment.
 */
export function pairedTimes(topic, { runs = 3, args = [] } = {}) {
  const native = {}, twin = {};
  const keepMin = (acc, t) => { for (const [k, v] of Object.entries(t)) acc[k] = Math.min(acc[k] ?? Infinity, v); };
  for (let r = 0; r < runs; r++) {
    keepMin(native, nativeTimes(topic, args));
    keepMin(twin, wasmTwinTimes(topic, args));
  }
  return { native, twin };
}

/** { case: ms } from the JSON lines a benchmark program prints; {} when `program` was not built. */
function runTimes(program, exe, argv) {
  if (!existsSync(program)) return {};
  const out = execFileSync(exe, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const times = {};
  for (const line of out.split('\n')) if (line.trim().startsWith('{')) { const r = JSON.parse(line); times[r.case] = r.ms; }
  return times;
}

/** Markdown table from a header row and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const ms = (v) => (v === undefined || !Number.isFinite(v) ? '–' : v < 0.01 ? v.toExponential(2) : v.toFixed(3));
export const ratio = (a, b) => (a === undefined || b === undefined || !(b > 0) ? '–' : `${(a / b).toFixed(2)}×`);
