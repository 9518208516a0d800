// A pool of module Workers, each with its own wasm instance (no SharedArrayBuffer, so no cross-origin
// isolation: it works inside a blog embed). pool.run(name, args, opts) has WorkerProxy.run's contract (it
// always settles; AbortSignal; progress). Four tasks split into chunks that run in parallel and are merged
// into exactly the single-thread result, because each chunk draws from its own seeded stream:
//   sectorMonteCarloCurve  θ points, seed + index each (sector.js)
//   diffusionSample        points, seeded one by one: a chunk is `offset` … offset + count − 1 (diffusion-sampling.js)
//   loraSweep              (width, λ) cells, each seeded by the options alone; merged by loraSummarize (lora.js)
//   diffusionQualityTable  rectangles of the (steps, η) grid: a cell depends on its steps and η alone (diffusion-sampling.js)
//   imagesQualityTable     <pw-images>' (steps, η) table, one η row per job (diffusion-images.js)
// Not split: sectorMonteCarlo (one xoshiro stream runs through all trials, so chunks would change the
// estimate), and every other name, which runs whole on the least busy Worker.
import { sweepGrid } from './lora.js';

const abortError = (message) => new DOMException(message, 'AbortError');

const range = (a, b) => Array.from({ length: b - a }, (_, k) => a + k);

/** [a, b) ranges covering 0 … n − 1 in `parts` nearly equal contiguous pieces (none empty). */
function ranges(n, parts) {
  const k = Math.max(1, Math.min(n, parts));
  return Array.from({ length: k }, (_, i) => [Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)]);
}

/**
 * The pool behind pw.workerPool() (loader.js checks the options and imports this file on first use).
 * @param {{ size: number, api: object, topics: string[] | null, host: (i: number) => import('./worker-proxy.js').WorkerHost }} p
 */
export function createPool({ size, api, topics, host }) {
  const hosts = Array.from({ length: size }, (_, i) => host(i));
  let closed = false;

  /** One job on the least busy Worker. */
  const submit = (name, args, { onProgress, signal } = {}) => {
    const h = hosts.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    return h.submit({ name, args, topics }, { onProgress, signal });
  };

  /**
   * Runs `jobs` ({ name, args }) on the pool, at most one per Worker at a time, in the given order; resolves to
   * their results in that order. The first failure (or the caller's abort) cancels the rest and rejects.
   */
  function map(jobs, { signal, onProgress } = {}) {
    return new Promise((resolve, reject) => {
      const results = new Array(jobs.length);
      const inner = new AbortController();
      let next = 0, finished = 0, failed = false;
      const fail = (err) => {
        if (failed) return;
        failed = true;
        signal?.removeEventListener('abort', onAbort);
        inner.abort(err);
        reject(err);
      };
      const onAbort = () => fail(signal.reason ?? abortError('workerPool: aborted'));
      if (signal?.aborted) { onAbort(); return; }
      signal?.addEventListener('abort', onAbort, { once: true });
      const start = (h) => {
        if (failed || next >= jobs.length) return;
        const i = next++;
        const job = jobs[i];
        h.submit({ name: job.name, args: job.args, topics }, { signal: inner.signal, onProgress: (p) => onProgress?.(i, p) }).then(
          (value) => {
            if (failed) return;
            results[i] = value;
            job.done?.(value, i);
            if (++finished === jobs.length) { signal?.removeEventListener('abort', onAbort); resolve(results); return; }
            start(h);
          },
          fail,
        );
      };
      if (jobs.length === 0) { resolve(results); return; }
      for (const h of hosts) start(h);
    });
  }

  const plans = {
    /** Contiguous runs of θ; point k of the whole curve has seed + k, as in the single-thread task. */
    async sectorMonteCarloCurve(run, n, thetas, opts = {}) {
      const list = Array.from(thetas ?? []);
      const seed = opts?.seed ?? 1; // the task's default (sector.js)
      const parts = ranges(list.length, 4 * size);
      const done = new Array(parts.length).fill(0);
      const jobs = parts.map(([a, b]) => ({ name: 'sectorMonteCarloCurve', args: [n, list.slice(a, b), { ...opts, seed: seed + a }] }));
      const out = await map(jobs, {
        ...run,
        onProgress: (i, p) => { done[i] = p.done; run.onProgress?.({ done: done.reduce((s, d) => s + d, 0), total: list.length }); },
      });
      return out.flat();
    },

    /** Contiguous runs of points, each from its `offset`, concatenated. */
    async diffusionSample(run, spec) {
      const count = spec?.count;
      if (!Number.isInteger(count) || count <= 0 || (spec.noise !== undefined && spec.noise !== null)) {
        return submit('diffusionSample', [spec], run); // nothing to split, or an explicit x_T: the task checks it whole
      }
      const parts = ranges(count, Math.min(4 * size, Math.ceil(count / 250)));
      let done = 0;
      const jobs = parts.map(([a, b]) => ({
        name: 'poolDiffusionSampleRange', args: [{ ...spec, count: b - a, offset: a }],
        done: () => { done += b - a; run.onProgress?.({ done, total: count }); },
      }));
      const chunks = await map(jobs, run);
      const out = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      return out;
    },

    /** One job per (width, λ) cell, widest first; the grid merged by loraSummarize as in the task. */
    async loraSweep(run, opts) {
      const { widths, ratios } = sweepGrid(opts);
      const total = widths.length * ratios.length;
      const loss = new Float64Array(total), lrA = new Float64Array(total);
      const cells = [];
      for (let w = 0; w < widths.length; w++) for (let i = 0; i < ratios.length; i++) cells.push({ w, i, k: w * ratios.length + i });
      cells.sort((x, y) => widths[y.w] - widths[x.w] || x.k - y.k);
      let done = 0;
      await map(cells.map(({ w, i, k }) => ({
        name: 'loraSweepCell', args: [opts, widths[w], ratios[i]],
        done: (cell) => {
          loss[k] = cell.loss;
          lrA[k] = cell.lrA;
          run.onProgress?.({ done: ++done, total, w, i, loss: cell.loss, lrA: cell.lrA });
        },
      })), run);
      return typeof api.loraSummarize === 'function' ? api.loraSummarize(opts, loss, lrA) : submit('loraSummarize', [opts, loss, lrA], run);
    },

    /**
     * The (steps, η) grid cut into about one rectangle per Worker (η rows, then columns of steps balanced by
     * their sum), each the table of the same options on its rectangle: every rectangle recomputes the reference
     * and the floor (the same numbers), so fewer, larger jobs waste less.
     */
    async diffusionQualityTable(run, spec) {
      // the task's defaults (diffusion-sampling.js), needed here to enumerate the cells
      const steps = Array.from(spec?.steps ?? [10, 20, 50, 100, 1000]);
      const etas = Array.from(spec?.etas ?? [0, 0.2, 0.5, 1]);
      const sw = new Float64Array(steps.length * etas.length);
      const rects = [];
      if (etas.length >= size || steps.length === 0) {
        for (const [a, b] of ranges(etas.length, size)) rects.push({ js: range(a, b), is: range(0, steps.length) });
      } else {
        const k = Math.min(steps.length, Math.ceil(size / etas.length));
        const bins = Array.from({ length: k }, () => ({ is: [], cost: 0 }));
        for (const i of range(0, steps.length).sort((x, y) => steps[y] - steps[x] || x - y)) {
          const bin = bins.reduce((a, b) => (b.cost < a.cost ? b : a));
          bin.is.push(i);
          bin.cost += Math.max(1, steps[i]);
        }
        for (let j = 0; j < etas.length; j++) for (const bin of bins) rects.push({ js: [j], is: bin.is.sort((x, y) => x - y), cost: bin.cost });
        rects.sort((x, y) => y.cost - x.cost);
      }
      // floor, floors and floorStats are the same numbers in every rectangle; the σ̂ row (spec.sigmaHat)
      // depends on its steps alone, so each rectangle fills the entries of its own steps.
      let floor = NaN, floors = null, floorStats = null, done = 0;
      const swHat = spec?.sigmaHat ? new Float64Array(steps.length) : null;
      await map(rects.map(({ is, js }) => ({
        name: 'diffusionQualityTable', args: [{ ...spec, steps: is.map((i) => steps[i]), etas: js.map((j) => etas[j]) }],
        done: (r) => {
          js.forEach((j, b) => is.forEach((i, a) => { sw[j * steps.length + i] = r.sw[b * is.length + a]; }));
          if (swHat) is.forEach((i, a) => { swHat[i] = r.swHat[a]; });
          ({ floor, floors, floorStats } = r);
        },
      })), {
        ...run,
        onProgress: (n, p) => {
          if (!p?.cell) return;
          const { is, js } = rects[n];
          const cell = { i: is[p.cell.i], j: js[p.cell.j], sw: p.cell.sw };
          run.onProgress?.({ done: ++done, total: sw.length, cell });
        },
      });
      return { steps, etas, sw, floor, floors, floorStats, swHat };
    },

    /**
     * <pw-images>' η × steps table (diffusion-images.js): one job per η row; a cell depends on its steps, η and
     * the seed alone, so the merged table equals the single-Worker one. Each job also scores the same floor.
     */
    async imagesQualityTable(run, spec) {
      const steps = Array.from(spec?.steps ?? [5, 10, 20, 50, 100]);  // the task's defaults
      const etas = Array.from(spec?.etas ?? [0, 0.5, 1]);
      const fid = new Float64Array(steps.length * etas.length), entropy = new Float64Array(fid.length);
      let floor = NaN, floorEntropy = NaN, done = 0;
      await map(etas.map((eta, j) => ({
        name: 'imagesQualityTable', args: [{ ...spec, etas: [eta] }],
        done: (r) => {
          steps.forEach((_, i) => { fid[j * steps.length + i] = r.fid[i]; entropy[j * steps.length + i] = r.entropy[i]; });
          ({ floor, floorEntropy } = r);
        },
      })), {
        ...run,
        onProgress: (n, p) => {
          if (!p?.cell) return;
          run.onProgress?.({ done: ++done, total: fid.length, cell: { i: p.cell.i, j: n, fid: p.cell.fid, entropy: p.cell.entropy } });
        },
      });
      return { steps, etas, fid, entropy, floor, floorEntropy };
    },
  };

  return Object.freeze({
    size,
    /**
     * Runs a task or method by name: split across the Workers when it is one of the four above, else on the
     * least busy one. Settles in every case, like WorkerProxy.run.
     */
    run(name, args = [], runOpts = {}) {
      if (closed) return Promise.reject(abortError('workerPool: run() after terminate()'));
      if (typeof name !== 'string') return Promise.reject(new TypeError(`workerPool.run: name must be a string, got ${typeof name}`));
      if (!Array.isArray(args)) return Promise.reject(new TypeError('workerPool.run: args must be an array of arguments'));
      const { onProgress, signal } = runOpts ?? {};
      if (signal?.aborted) return Promise.reject(signal.reason ?? abortError('workerPool: aborted'));
      if (!Object.hasOwn(plans, name)) return submit(name, args, { onProgress, signal });
      return (async () => plans[name]({ onProgress, signal }, ...args))();
    },
    /** Terminates every Worker: pending and later runs reject with an AbortError. */
    terminate() {
      closed = true;
      for (const h of hosts) h.terminate();
    },
  });
}
