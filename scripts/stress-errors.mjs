// Stress run of the error channel (issue 12, run by nothing in CI): for every C++-raised error kind of
// tests/js/errors-cases.mjs, N consecutive failing calls (default 1e6), then the wasm stack pointer and
// the heap in use must be exactly where they were and the good call bit-identical.
// Usage: node scripts/stress-errors.mjs [N]   (after bash scripts/build.sh dist)
import { load } from 'probwasm';
import { debug } from '../dist/errors.js';
import { errorCases, bits } from '../tests/js/errors-cases.mjs';

const N = Number(process.argv[2] ?? 1e6);
const pw = await load();
const M = debug.lastModule();
let failed = 0;
for (const c of errorCases(pw, M)) {
  const ctx = c.setup?.();
  for (let i = 0; i < 3; i++) { try { c.bad(ctx); } catch {} c.good(ctx); } // warm-up: lazy statics
  // the good call first: the interval measured holds the failing calls and nothing else (as errors.test.mjs)
  const good = bits(c.good(ctx));
  const sp = debug.stackPointer(M), heap = debug.heapInUse(M);
  const t = performance.now();
  let wrongKind = 0;
  for (let i = 0; i < N; i++) {
    try { c.bad(ctx); wrongKind++; } catch (e) { if (!(e instanceof c.kind)) wrongKind++; }
  }
  const s = (performance.now() - t) / 1e3;
  const sp2 = debug.stackPointer(M), heap2 = debug.heapInUse(M), same = bits(c.good(ctx)) === good;
  c.teardown?.(ctx);
  const ok = sp2 === sp && heap2 === heap && same && wrongKind === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${c.name}: ${N} failures in ${s.toFixed(1)} s; stack ${sp} → ${sp2}, ` +
    `heap in use ${heap} → ${heap2} B, good call ${same ? 'bit-identical' : 'CHANGED'}, wrong kind ${wrongKind}`);
}
process.exitCode = failed ? 1 : 0;
