// The Worker protocol's promises (issue 12, item 5): every run() settles, whatever the Worker does. Node has
// no Web Worker, so the client side (WorkerHost, WorkerProxy) is driven here by fake Workers that misbehave
// on purpose; the server side (serveJobs) and the whole path through pw.worker() / pw.workerPool() run on
// this thread (InlineWorker), as they do in Node. tests/browser/workers.test.mjs covers real Workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerHost, WorkerProxy, serveJobs } from '../../bindings/js/worker-proxy.js';
import { load } from 'probwasm';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A Worker stand-in: records what it is sent; the test replies with reply(). */
class FakeWorker extends EventTarget {
  static made = [];
  constructor() { super(); this.sent = []; this.terminated = false; FakeWorker.made.push(this); }
  postMessage(msg) { this.sent.push(structuredClone(msg)); }
  terminate() { this.terminated = true; }
  reply(data) { this.dispatchEvent(Object.assign(new Event('message'), { data })); }
  fail(message) { this.dispatchEvent(Object.assign(new Event('error'), { message })); }
  runs() { return this.sent.filter((m) => m.type === 'run'); }
}
const fakeHost = (opts) => new WorkerHost(() => new FakeWorker(), opts);
const settled = (p) => p.then((value) => ({ value }), (error) => ({ error }));

test('a worker script that fails to load rejects the pending run and every later one, with the cause', async () => {
  const host = fakeHost({ label: 'worker' });
  const proxy = new WorkerProxy(host);
  const first = settled(proxy.run('softmax', [[1, 2]]));
  const w = FakeWorker.made.at(-1);
  w.fail(''); // a module script that 404s: an error event with no message, before 'ready'
  const r1 = await first;
  assert.ok(r1.error instanceof Error);
  assert.match(r1.error.message, /worker: the worker script failed to load/);
  assert.equal(r1.error.cause.type, 'error');
  const r2 = await settled(proxy.run('softmax', [[1, 2]]));
  assert.equal(r2.error, r1.error, 'a later run rejects with the same cause');
  assert.equal(host.jobs.size, 0);
});

test('terminate() rejects the pending runs and every later one with an AbortError', async () => {
  const proxy = new WorkerProxy(fakeHost());
  const pending = settled(proxy.run('softmax', [[1]]));
  const w = FakeWorker.made.at(-1);
  w.reply({ type: 'ready' });
  proxy.terminate();
  assert.equal(w.terminated, true);
  assert.equal((await pending).error.name, 'AbortError');
  assert.equal((await settled(proxy.run('softmax', [[1]]))).error.name, 'AbortError');
  assert.equal(proxy.host.jobs.size, 0);
});

test('aborting a plain method that is running replaces the Worker; the other pending jobs go to the new one', async () => {
  const host = fakeHost();
  const proxy = new WorkerProxy(host);
  const ctl = new AbortController();
  const long = settled(proxy.run('sectorMonteCarlo', [64, 1, { trials: 2e7 }], { signal: ctl.signal }));
  const other = proxy.run('softmax', [[0, 0]]);
  const w1 = FakeWorker.made.at(-1);
  w1.reply({ type: 'ready' });
  const [a, b] = w1.runs();
  w1.reply({ id: a.id, type: 'started', kind: 'method' }); // inside wasm: no message gets through now
  ctl.abort();
  const r = await long;
  assert.equal(r.error.name, 'AbortError');
  assert.equal(w1.terminated, true, 'the busy Worker is terminated');
  const w2 = FakeWorker.made.at(-1);
  assert.notEqual(w2, w1);
  assert.deepEqual(w2.runs().map((m) => [m.id, m.name]), [[b.id, 'softmax']], 'only the job still pending is sent again');
  w2.reply({ type: 'ready' });
  w2.reply({ id: b.id, type: 'result', value: [0.5, 0.5] });
  assert.deepEqual(await other, [0.5, 0.5]);
  w1.reply({ id: b.id, type: 'result', value: 'stale' }); // a late reply from the old Worker is ignored
  assert.equal(host.jobs.size, 0);
});

test('a plain method aborted before it starts is cancelled; if the Worker starts it anyway, it is replaced', async () => {
  const host = fakeHost();
  const proxy = new WorkerProxy(host);
  const ctl = new AbortController();
  const job = settled(proxy.run('sectorMonteCarlo', [64, 1], { signal: ctl.signal }));
  const w1 = FakeWorker.made.at(-1);
  const [m] = w1.runs();
  ctl.abort();
  assert.equal((await job).error.name, 'AbortError');
  assert.deepEqual(w1.sent.at(-1), { id: m.id, type: 'cancel' });
  assert.equal(w1.terminated, false);
  w1.reply({ id: m.id, type: 'started', kind: 'method' }); // the run message was handled before the cancel
  assert.equal(w1.terminated, true);
  assert.equal(FakeWorker.made.at(-1), w1, 'no job pending: the next run starts a fresh Worker');
  const next = settled(proxy.run('softmax', [[1]]));
  assert.notEqual(FakeWorker.made.at(-1), w1);
  proxy.terminate();
  assert.equal((await next).error.name, 'AbortError');
});

test('aborting a task sends a cancel and rejects at once; the signal’s reason is the rejection', async () => {
  const proxy = new WorkerProxy(fakeHost());
  const ctl = new AbortController();
  const p = settled(proxy.run('loraSweep', [{}], { signal: ctl.signal }));
  const w = FakeWorker.made.at(-1);
  const [m] = w.runs();
  w.reply({ id: m.id, type: 'started', kind: 'task' });
  const reason = new Error('reader left');
  ctl.abort(reason);
  assert.equal((await p).error, reason);
  assert.deepEqual(w.sent.at(-1), { id: m.id, type: 'cancel' });
  assert.equal(w.terminated, false, 'a task stops at its next yield: the Worker is kept');
  const pre = new AbortController();
  pre.abort();
  assert.equal((await settled(proxy.run('x', [], { signal: pre.signal }))).error.name, 'AbortError');
});

test('an argument that cannot be cloned rejects that run only, and leaves nothing pending', async () => {
  const host = fakeHost();
  const proxy = new WorkerProxy(host);
  const r = await settled(proxy.run('softmax', [[1, 2], { out: () => 0 }]));
  assert.equal(r.error.name, 'DataCloneError');
  assert.equal(host.jobs.size, 0);
  const ok = proxy.run('softmax', [[1, 2]]);
  const w = FakeWorker.made.at(-1);
  const m = w.runs().at(-1);
  w.reply({ id: m.id, type: 'result', value: 1 });
  assert.equal(await ok, 1);
});

test('a reply that cannot be deserialised (messageerror) rejects the pending runs; errors keep their type', async () => {
  const host = fakeHost();
  const proxy = new WorkerProxy(host);
  const a = settled(proxy.run('a'));
  const w = FakeWorker.made.at(-1);
  w.dispatchEvent(new Event('messageerror'));
  assert.equal((await a).error.name, 'DataCloneError');
  assert.equal(w.terminated, true);
  const b = settled(proxy.run('b'));
  const w2 = FakeWorker.made.at(-1);
  w2.reply({ id: w2.runs()[0].id, type: 'error', error: { name: 'RangeError', message: 'softmax: x must be non-empty' } });
  const e = (await b).error;
  assert.ok(e instanceof RangeError);
  assert.equal(e.message, 'softmax: x must be non-empty');
});

test('the shared Worker: terminate() on one proxy stops its jobs only', async () => {
  const host = fakeHost();
  const mine = new WorkerProxy(host, { shared: true }), theirs = new WorkerProxy(host, { shared: true });
  const a = settled(mine.run('a')), b = theirs.run('b');
  const w = FakeWorker.made.at(-1);
  mine.terminate();
  assert.equal((await a).error.name, 'AbortError');
  assert.equal((await settled(mine.run('c'))).error.name, 'AbortError');
  assert.equal(w.terminated, false);
  w.reply({ id: w.runs()[1].id, type: 'result', value: 'b' });
  assert.equal(await b, 'b');
});

test('serveJobs: a result that cannot be cloned, or an object backed by wasm memory, is an error reply', async () => {
  const posted = [];
  const post = (m) => { posted.push(structuredClone(m)); };
  const pw = { fn: () => () => 1, handle: () => ({ dim: 2, dispose() { this.freed = true; } }), Klass: class {} };
  const freed = [];
  pw.handle = () => ({ dim: 2, dispose() { freed.push(true); } });
  const handle = serveJobs({ load: async () => pw, findTask: async () => undefined, post });
  await handle({ id: 1, type: 'run', name: 'fn', args: [] });
  await handle({ id: 2, type: 'run', name: 'handle', args: [] });
  await handle({ id: 3, type: 'run', name: 'Klass', args: [] });
  await handle({ id: 4, type: 'run', name: 'toString', args: [] });
  const err = (id) => posted.find((m) => m.id === id && m.type === 'error')?.error;
  assert.equal(err(1).name, 'DataCloneError');
  assert.match(err(2).message, /handle returns an object backed by wasm memory/);
  assert.deepEqual(freed, [true], 'the object is disposed in the Worker');
  assert.match(err(3).message, /Klass is a class/);
  assert.match(err(4).message, /no task or method named "toString"/);
});

test('serveJobs: a cancelled task stops at its next yield and runs its finally block', async () => {
  const posted = [];
  let steps = 0, finalized = false;
  const tasks = {
    async *count() {
      try { for (;;) { steps++; yield steps; } } finally { finalized = true; }
    },
  };
  const handle = serveJobs({ load: async () => ({}), findTask: async (name) => tasks[name], post: (m) => posted.push(m) });
  const done = handle({ id: 7, type: 'run', name: 'count', args: [] });
  await tick(5);
  handle({ id: 7, type: 'cancel' });
  await done;
  const at = steps;
  await tick(5);
  assert.equal(steps, at, 'no step after the cancel');
  assert.equal(finalized, true);
  assert.deepEqual(posted.at(-1), { id: 7, type: 'error', error: { name: 'AbortError', message: 'cancelled' } });
  assert.deepEqual(posted[0], { id: 7, type: 'started', kind: 'task' });
});

test('through pw.worker() (on this thread in Node): results, errors, objects, and an aborted task', async () => {
  const pw = await load();
  const w = pw.worker();
  assert.deepEqual(Array.from(await w.run('sparsemax', [[1, 0.5, -1]])), [0.75, 0.25, 0]);
  await assert.rejects(w.run('softmax', [[]]), RangeError);
  await assert.rejects(w.run('gaussianMixture', [{ weights: [1], means: [0, 0], stds: [1] }]), /backed by wasm memory/);
  await assert.rejects(w.run('DDIMScheduler', [{}]), (e) => e instanceof TypeError && /class/.test(e.message));
  const ctl = new AbortController();
  let progress = 0;
  const p = w.run('sectorMonteCarloCurve', [8, Array.from({ length: 200 }, (_, i) => 0.03 * (i + 1)), { trials: 2000 }], {
    signal: ctl.signal, onProgress: () => { if (++progress === 3) ctl.abort(); },
  });
  await assert.rejects(p, { name: 'AbortError' });
  assert.equal(progress, 3, 'no progress after the abort');
  assert.deepEqual(Array.from(await w.run('sparsemax', [[1, 0.5, -1]])), [0.75, 0.25, 0], 'the Worker still works');
});

// ---- pw.workerPool(): in Node its Workers run on this thread, so this checks the splitting and merging; the
// browser test checks real Workers, each with its own instance.

const bits = (x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex');

test('workerPool splits the five tasks into seeded chunks and merges them into exactly the single-thread result', async () => {
  const pw = await load();
  const single = pw.worker();
  for (const size of [1, 2, 3]) {
    const pool = pw.workerPool({ size });
    assert.equal(pool.size, size);
    try {
      const thetas = Array.from({ length: 13 }, (_, i) => 0.4 * (i + 1));
      const curveArgs = [7, thetas, { trials: 1500, seed: 11 }];
      assert.deepEqual(await pool.run('sectorMonteCarloCurve', curveArgs), await single.run('sectorMonteCarloCurve', curveArgs));
      const noSeed = [5, thetas.slice(0, 5)]; // the task's default seed and trials
      assert.deepEqual(await pool.run('sectorMonteCarloCurve', noSeed), await single.run('sectorMonteCarloCurve', noSeed));

      const spec = { model: pw.diffusionPreset('ring'), scheduler: {}, steps: 12, eta: 0.5, count: 1100, seed: 4 };
      const progress = [];
      const s1 = await pool.run('diffusionSample', [spec], { onProgress: (p) => progress.push(p.done) });
      const model = pw.gaussianMixture(pw.diffusionPreset('ring'));
      try {
        const page = pw.sampleDiffusion({ ...spec, model });
        assert.equal(bits(s1), bits(page), `diffusionSample with ${size} workers`);
      } finally { model.dispose(); }
      assert.equal(progress.at(-1), 1100);

      const lora = { widths: [8, 16], ratios: [0.5, 2, 8], steps: 15, batch: 32, seed: 3 };
      const l1 = await pool.run('loraSweep', [lora]);
      const l0 = pw.loraSweep(lora);
      for (const k of ['loss', 'lrA', 'best']) assert.equal(bits(l1[k]), bits(l0[k]), `loraSweep ${k}`);
      assert.deepEqual({ ...l1, loss: 0, lrA: 0, best: 0 }, { ...l0, loss: 0, lrA: 0, best: 0 });

      const table = { model: pw.diffusionPreset('grid'), steps: [3, 8], etas: [0, 1], count: 150, referenceCount: 300, projections: 8, seed: 2 };
      const t1 = await pool.run('diffusionQualityTable', [table]);
      const t0 = await single.run('diffusionQualityTable', [table]);
      assert.equal(bits(t1.sw), bits(t0.sw));
      assert.equal(t1.floor, t0.floor);
      assert.deepEqual(t1.steps, t0.steps);

      // <pw-images>' table: one job per η row, merged
      const images = { steps: [2, 4], etas: [0, 0.5, 1], count: 24, seed: 5 };
      const i1 = await pool.run('imagesQualityTable', [images]);
      const i0 = await single.run('imagesQualityTable', [images]);
      for (const k of ['fid', 'entropy']) assert.equal(bits(i1[k]), bits(i0[k]), `imagesQualityTable ${k}`);
      assert.ok(Object.is(i1.floor, i0.floor) && Object.is(i1.floorEntropy, i0.floorEntropy));
      assert.deepEqual([i1.steps, i1.etas], [i0.steps, i0.etas]);
    } finally { pool.terminate(); }
  }
});

test('workerPool settles like a Worker: errors, aborts, terminate(), options', async () => {
  const pw = await load();
  assert.throws(() => pw.workerPool({ size: 0 }), RangeError);
  assert.throws(() => pw.workerPool({ size: 2.5 }), RangeError);
  assert.throws(() => pw.workerPool({ sise: 2 }), /unknown options key "sise"/);
  assert.equal(pw.workerPool().size >= 1, true);
  const pool = pw.workerPool({ size: 2 });
  await assert.rejects(pool.run('loraSweep', [{ widths: [8], ratios: [1], steps: 5.5 }]), RangeError);
  await assert.rejects(pool.run('sectorMonteCarloCurve', [0, [1, 2], { trials: 10 }]), RangeError);
  const ctl = new AbortController();
  const p = pool.run('sectorMonteCarloCurve', [8, Array.from({ length: 64 }, (_, i) => 0.05 * (i + 1)), { trials: 4000 }], {
    signal: ctl.signal, onProgress: () => ctl.abort(),
  });
  await assert.rejects(p, { name: 'AbortError' });
  assert.deepEqual(Array.from(await pool.run('sparsemax', [[1, 0.5, -1]])), [0.75, 0.25, 0]);
  const pending = pool.run('sectorMonteCarloCurve', [8, [1, 2, 3], { trials: 100 }]);
  pool.terminate();
  await assert.rejects(pending, { name: 'AbortError' });
  await assert.rejects(pool.run('sparsemax', [[1]]), { name: 'AbortError' });
});
