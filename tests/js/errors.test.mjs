// Issue 12: an instance that never dies. C++ errors come back through bindings/js/errors.js without
// unwinding through wasm frames, so that neither the stack nor the heap leaks; out of memory is a
// RangeError and the instance works again; C++-backed objects are reclaimed by GC when dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { load } from 'probwasm';
import { debug } from '../../dist/errors.js';
import { errorCases, bits } from './errors-cases.mjs';

const N = 1e5;
const pw = await load();
const M = debug.lastModule();

/** Counts the errors C++ reports through guarded() while f runs. */
function cxxRaised(f) {
  const raise = M.__pwRaise;
  let n = 0;
  M.__pwRaise = (...a) => { n++; return raise(...a); };
  try { f(); } catch { /* counted */ } finally { M.__pwRaise = raise; }
  return n;
}

for (const c of errorCases(pw, M)) {
  test(`${c.name}: ${N} failing calls leave the stack pointer and the heap exactly where they were`, () => {
    const ctx = c.setup?.();
    try {
      assert.throws(() => c.bad(ctx), c.kind);
      assert.equal(cxxRaised(() => c.bad(ctx)), 1, 'the error must come from C++ (guarded), not from the facade');
      for (let i = 0; i < 3; i++) { try { c.bad(ctx); } catch { /* warm-up: lazy statics */ } c.good(ctx); }
      const sp = debug.stackPointer(M), heap = debug.heapInUse(M), good = bits(c.good(ctx));
      let wrong = 0;
      for (let i = 0; i < N; i++) {
        try { c.bad(ctx); wrong++; } catch (e) { if (!(e instanceof c.kind)) wrong++; }
      }
      assert.equal(wrong, 0, `every call must throw a ${c.kind.name}`);
      assert.equal(debug.stackPointer(M), sp, 'wasm stack pointer');
      assert.equal(debug.heapInUse(M), heap, 'heap in use (bytes)');
      assert.equal(bits(c.good(ctx)), good, 'the good call is bit-identical');
    } finally {
      c.teardown?.(ctx);
    }
  });
}

test('messages are the C++ ones, unchanged, with the kind of error the C++ type says', () => {
  assert.throws(() => pw.softmax([1, NaN]), { name: 'RangeError', message: 'softmax: x[1] must not be NaN, got NaN' });
  assert.throws(() => M.softmaxJacobian('bogus', [1, 2], { temperature: 1, order: 2, hasK: false, k: 0, hasP: false, p: 0, alpha: 1.5, margin: 0.35, scale: 30 }),
    { name: 'TypeError', message: /^jacobian: map must be one of .*got "bogus"$/ });
});

test('a JS exception raised inside wasm (not through guarded) still leaves the stack pointer in place', () => {
  const sp = debug.stackPointer(M);
  // a getter that throws while C++ converts the array: the JS error unwinds through the binding's frames
  const evil = new Proxy([1, 2, 3], { get(t, k) { if (k === 'length') throw new SyntaxError('from a getter'); return t[k]; } });
  for (let i = 0; i < 1000; i++) assert.throws(() => M.amSoftmax(evil, 0, 0.35, 30), SyntaxError);  // logsumexp now takes a wasm pointer
  assert.equal(debug.stackPointer(M), sp);
  assert.equal(pw.logsumexp([0, 0]), Math.LN2);
});

// ---------------------------------------------------------------- out of memory

/** A fresh instance of one topic's module, so that filling its heap disturbs no other test. */
async function fresh(topic) {
  const api = await load({ topics: [topic], wasmBinary: await readFile(new URL(`../../dist/modules/${topic}.wasm`, import.meta.url)) });
  return { api, M: debug.lastModule() };
}

/** Takes all the heap malloc can give, down to 16-byte blocks; returns the blocks to free. */
function fillHeap(m) {
  const blocks = [];
  for (let size = 2 ** 30; size >= 16; size /= 2) {
    for (;;) {
      const p = m._malloc(size);
      if (p === 0) break;
      blocks.push(p);
    }
  }
  return blocks;
}

test('out of memory inside C++ (a 20000 × 20000 Jacobian) is a RangeError naming the function; the instance works on', async () => {
  const { api, M: m } = await fresh('softmax');
  const x = Float64Array.from({ length: 20000 }, (_, i) => Math.sin(i));
  const good = bits(api.jacobian('softmax', [0.5, 1, -2]));
  const sp = debug.stackPointer(m), heap = debug.heapInUse(m);
  for (let i = 0; i < 3; i++) {
    assert.throws(() => api.jacobian('softmax', x), { name: 'RangeError', message: /^jacobian: out of memory/ });
  }
  assert.equal(debug.stackPointer(m), sp);
  assert.equal(debug.heapInUse(m), heap);
  assert.equal(bits(api.jacobian('softmax', [0.5, 1, -2])), good);
});

test('a string argument too large for the wasm heap is a RangeError before Embind copies it', async () => {
  const { api, M: m } = await fresh('softmax');
  const huge = '€'.repeat(4e8); // 1.2e9 UTF-8 bytes, copied twice (Embind's buffer, then std::string)
  const heap = debug.heapInUse(m);
  const opts = { temperature: 1, order: 2, hasK: false, k: 0, hasP: false, p: 0, alpha: 1.5, margin: 0.35, scale: 30 };
  // straight to the Embind function: the facade would reject the unknown map name in JS first
  const jacobian = (map) => m.softmaxJacobian(map, [1, 2], opts);
  assert.throws(() => jacobian(huge), { name: 'RangeError', message: /^jacobian: out of memory/ });
  assert.equal(debug.heapInUse(m), heap);
  assert.deepEqual(api.softmax([0, 0]), Float64Array.of(0.5, 0.5));
});

test('with the heap full, every call (array, string, struct, class arguments) is a RangeError "… out of memory", and all works again once memory is freed', async () => {
  const { api: s, M: ms } = await fresh('softmax');
  const { api: w, M: mw } = await fresh('wobert');
  const goodS = bits(s.jacobian('entmax', [0.1, 0.5, -0.2]));
  const seg = new w.JiebaSegmenter('中 100\n中国 500\n人 800\n');
  const goodW = bits(seg.boundaries('中国人'));
  const sp = [debug.stackPointer(ms), debug.stackPointer(mw)], heap = [debug.heapInUse(ms), debug.heapInUse(mw)];
  const full = [fillHeap(ms), fillHeap(mw)];
  try {
    const oom = { name: 'RangeError', message: /out of memory/ };
    assert.throws(() => s.softmax(new Float64Array(4096)), oom);
    assert.throws(() => s.jacobian('entmax', [0.1, 0.5, -0.2]), oom); // string + struct arguments
    assert.throws(() => new w.JiebaSegmenter('中 100\n中国 500\n'.repeat(64)), oom); // string argument of a constructor
    assert.throws(() => seg.boundaries('中国人'.repeat(4096)), oom); // a method
  } finally {
    full[0].forEach((p) => ms._free(p));
    full[1].forEach((p) => mw._free(p));
  }
  assert.deepEqual([debug.stackPointer(ms), debug.stackPointer(mw)], sp);
  assert.deepEqual([debug.heapInUse(ms), debug.heapInUse(mw)], heap);
  assert.equal(bits(s.jacobian('entmax', [0.1, 0.5, -0.2])), goodS);
  assert.equal(bits(seg.boundaries('中国人')), goodW);
  seg.dispose();
});

// ---------------------------------------------------------------- objects reclaimed

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

async function collect() {
  for (let i = 0; i < 6; i++) {
    gc();
    await new Promise((r) => setImmediate(r)); // FinalizationRegistry callbacks run as tasks
  }
}

test('C++-backed objects that are dropped without dispose() are freed by GC (FinalizationRegistry)', async () => {
  const makers = {
    scheduler: () => { const s = new pw.DDIMScheduler({}); s.setTimesteps(50); return s; },
    segmenter: () => new pw.JiebaSegmenter('中 100\n中国 500\n人 800\n'),
    mlp: () => pw.mlpDenoiser({ seed: 1 }),
    mixture: () => pw.gaussianMixture({ weights: [1], means: [[0, 0]], stds: [[1, 1]] }),
  };
  for (const [what, make] of Object.entries(makers)) {
    make(); // lazy statics
    await collect();
    const heap = debug.heapInUse(M);
    for (let i = 0; i < 50; i++) make();
    assert.ok(debug.heapInUse(M) > heap, `${what}: the objects take heap`);
    await collect();
    assert.equal(debug.heapInUse(M), heap, `${what}: the heap returns to its level after GC`);
  }
});

test('dispose() twice is harmless, and a call after dispose() is a TypeError naming the class (not a BindingError)', () => {
  const s = new pw.DDIMScheduler({});
  s.dispose();
  s.dispose();
  assert.throws(() => s.setTimesteps(10), (e) => e instanceof TypeError && /DDIMScheduler/.test(e.message) && e.name !== 'BindingError');
  const seg = new pw.JiebaSegmenter('中 100\n');
  seg.dispose();
  seg.dispose();
  assert.throws(() => seg.cut('中'), (e) => e instanceof TypeError && /JiebaSegmenter/.test(e.message));
});
