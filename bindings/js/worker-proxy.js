// Client side of dist/worker.js: run(name, args, { onProgress, signal }) → Promise of the result.
// `name` is a task (see index.js `tasks`) or any pw method. Cancelling terminates nothing: the
// worker stops the task at its next yield and rejects with an AbortError.
export class WorkerProxy {
  /**
   * @param {Worker} worker a module Worker running dist/worker.js
   * @param {{ shared?: boolean }} [opts] a shared proxy ignores terminate(): other callers still use it
   */
  constructor(worker, { shared = false } = {}) {
    this.worker = worker;
    this.shared = shared;
    this.pending = new Map();
    this.next = 1;
    this.worker.onmessage = (e) => {
      const { id, type, value, error } = e.data;
      const job = this.pending.get(id);
      if (!job) return;
      if (type === 'progress') { job.onProgress?.(value); return; }
      this.pending.delete(id);
      job.signal?.removeEventListener('abort', job.abort);
      if (type === 'result') job.resolve(value);
      else job.reject(Object.assign(new (globalThis[error.name] ?? Error)(error.message), { name: error.name }));
    };
  }

  run(name, args = [], { onProgress, signal } = {}) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) { reject(new DOMException('aborted', 'AbortError')); return; }
      const id = this.next++;
      const abort = () => this.worker.postMessage({ id, type: 'cancel' });
      signal?.addEventListener('abort', abort, { once: true });
      this.pending.set(id, { resolve, reject, onProgress, signal, abort });
      this.worker.postMessage({ id, type: 'run', name, args });
    });
  }

  terminate() {
    if (this.shared) return;
    this.worker.terminate();
    for (const job of this.pending.values()) job.reject(new DOMException('worker terminated', 'AbortError'));
    this.pending.clear();
  }
}
