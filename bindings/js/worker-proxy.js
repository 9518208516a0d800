// Client side of dist/worker.js: run(name, args, { onProgress, signal }) → Promise of the result.
// `name` is a task (see index.js `tasks`) or any pw method. Cancelling terminates nothing: the
// worker stops the task at its next yield and rejects with an AbortError. Several proxies may share one
// Worker (one per page): replies are routed by a per-Worker job id.

const routers = new WeakMap();

/** The per-Worker table of pending jobs, installed once as its message listener. */
function router(worker) {
  let r = routers.get(worker);
  if (r) return r;
  r = { pending: new Map(), next: 1 };
  worker.addEventListener('message', (e) => {
    const { id, type, value, error } = e.data;
    const job = r.pending.get(id);
    if (!job) return;
    if (type === 'progress') { job.onProgress?.(value); return; }
    r.pending.delete(id);
    job.signal?.removeEventListener('abort', job.abort);
    if (type === 'result') job.resolve(value);
    else job.reject(Object.assign(new (globalThis[error.name] ?? Error)(error.message), { name: error.name }));
  });
  routers.set(worker, r);
  return r;
}

export class WorkerProxy {
  /**
   * @param {Worker} worker a module Worker running dist/worker.js
   * @param {{ shared?: boolean, topics?: string[] | null }} [opts] a shared proxy ignores terminate(): other
   *   callers still use it; `topics` (null: all) are the modules the Worker loads for this proxy's jobs
   */
  constructor(worker, { shared = false, topics = null } = {}) {
    this.worker = worker;
    this.shared = shared;
    this.topics = topics;
    this.router = router(worker);
  }

  run(name, args = [], { onProgress, signal } = {}) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) { reject(new DOMException('aborted', 'AbortError')); return; }
      const id = this.router.next++;
      const abort = () => this.worker.postMessage({ id, type: 'cancel' });
      signal?.addEventListener('abort', abort, { once: true });
      this.router.pending.set(id, { resolve, reject, onProgress, signal, abort });
      this.worker.postMessage({ id, type: 'run', name, args, topics: this.topics });
    });
  }

  terminate() {
    if (this.shared) return;
    this.worker.terminate();
    for (const job of this.router.pending.values()) job.reject(new DOMException('worker terminated', 'AbortError'));
    this.router.pending.clear();
  }
}
