// Type-checked with `tsc --noEmit` against the packed package's own .d.ts (tests/package/package.test.mjs).
import { load, type Probwasm } from 'probwasm';

const pw: Probwasm = await load();
const p: Float64Array = pw.softmax([1, 2, 3], { temperature: 0.5 });
const lse: number = pw.logsumexp(new Float32Array([1, 2]));
const rows: Float64Array = pw.softmax(new Float64Array(16), { cols: 4 });
const other: Promise<Probwasm> = load({ wasmUrl: new URL('https://example.org/probwasm.wasm') });
// @ts-expect-error temperature is a number
pw.softmax([1], { temperature: 'hot' });
void [p, lse, rows, other];
