// The Worker protocol, both ends. Client: a WorkerHost owns one Worker (or its main-thread stand-in) and
// the table of jobs sent to it; WorkerProxy.run(name, args, { onProgress, signal }) submits a job to a host.
// Server: serveJobs() is dist/worker.js's message handler (and the stand-in's).
//
// Every run() settles: with the result; with the error the method threw; with a DataCloneError when an
// argument or the result cannot be copied between threads; with the cause when the worker script fails to
// load (then every later run rejects too); with an AbortError when the signal aborts or terminate() runs.
// Cancelling a task stops it at its next yield; cancelling a plain method, which cannot be interrupted
// inside wasm, replaces the Worker: the other jobs it held are sent again to a fresh one (their results
// are seeded, so the same), and its instance is rebuilt on the next run.
//
// Messages to the worker:   { type: 'init', modules } | { id, type: 'run', name, args, topics } | { id, type: 'cancel' }
// Messages from the worker: { type: 'ready' } | { id, type: 'started', kind: 'task' | 'method' }
//                           | { id, type: 'progress', value } | { id, type: 'result', value } | { id, type: 'error', error }

const abortError = (message) => new DOMException(message, 'AbortError');

/** An Error rebuilt from its { name, message } after crossing threads. */
function revive({ name, message }) {
  const Ctor = { Error, RangeError, TypeError, SyntaxError, ReferenceError, EvalError, URIError }[name];
  if (Ctor) return new Ctor(message);
  try {
    const d = new DOMException(message, name);
    if (d.code !== 0 || ['AbortError', 'DataCloneError', 'NotSupportedError'].includes(name)) return d;
  } catch { /* not a DOMException name */ }
  return Object.assign(new Error(message), { name });
}

/**
 * One Worker slot: creates the Worker on the first job, routes replies, and keeps every promise it hands
 * out settling (see the top of this file).
 */
export class WorkerHost {
  /**
   * @param {() => Worker} create makes the Worker (may throw, e.g. SecurityError)
   * @param {{ label?: string, fallback?: (() => Worker) | null, init?: (() => object | null) | null,
   *   probe?: string | URL | null }} [opts]
   *   `fallback` replaces `create` when the Worker cannot start (a cross-origin shim under a CSP without
   *   blob:); `init(sent)` gives a message to post before a job, or null (the page's compiled modules that
   *   the Worker was not sent yet: `sent` is a Set, new for each Worker); `probe` is the script URL fetched
   *   to explain a load failure.
   */
  constructor(create, { label = 'worker', fallback = null, init = null, probe = null } = {}) {
    this.create = create;
    this.label = label;
    this.fallback = fallback;
    this.init = init;
    this.probe = probe;
    this.worker = null;
    this.ready = false;
    this.jobs = new Map();      // id → job: pending, their promise unsettled
    this.abandoned = new Set(); // ids aborted on this side whose Worker may still be working on them
    this.running = null;        // the id of the plain method the Worker is inside, if any
    this.failure = null;        // a promise of the load failure: every later job rejects with it
    this.closed = false;
    this.next = 1;
  }

  /** Sends a job; the promise settles exactly once. */
  submit(msg, { onProgress, signal, owner = null } = {}) {
    return new Promise((resolve, reject) => {
      if (this.closed) { reject(abortError(`${this.label}: terminated`)); return; }
      if (this.failure) { this.failure.then(reject); return; }
      if (signal?.aborted) { reject(signal.reason ?? abortError(`${this.label}: aborted`)); return; }
      const id = this.next++;
      const job = { id, msg: { ...msg, id, type: 'run' }, resolve, reject, onProgress, signal, owner, onAbort: null };
      try {
        this.#ensure();
        this.#post(job.msg); // structured clone: throws DataCloneError here, for this job only
      } catch (err) {
        reject(err);
        return;
      }
      this.jobs.set(id, job);
      if (signal) {
        job.onAbort = () => this.abandon(job, signal.reason ?? abortError(`${this.label}: aborted`));
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
    });
  }

  /** Rejects `job` now and stops its work: a task at its next yield, a running plain method by replacing the Worker. */
  abandon(job, reason) {
    if (!this.#settle(job)) return;
    job.reject(reason);
    if (this.running === job.id) { this.#restart(); return; }
    this.abandoned.add(job.id);
    try { this.worker?.postMessage({ id: job.id, type: 'cancel' }); } catch { /* a closed worker */ }
  }

  /** Terminates the Worker; pending and later jobs reject with an AbortError. */
  terminate() {
    if (this.closed) return;
    this.closed = true;
    this.worker?.terminate();
    this.worker = null;
    this.#rejectAll(() => abortError(`${this.label}: terminated`));
  }

  /** The pending jobs of `owner` (a proxy), for its terminate(). */
  jobsOf(owner) { return [...this.jobs.values()].filter((j) => j.owner === owner); }

  #ensure() {
    if (this.worker) return;
    let w;
    try {
      w = this.create();
    } catch (err) {
      if (!this.fallback) throw err;
      this.create = this.fallback;
      this.fallback = null;
      w = this.create();
    }
    this.#attach(w);
  }

  #attach(w) {
    this.worker = w;
    this.ready = false;
    this.running = null;
    this.abandoned.clear();
    this.sent = new Set();
    w.addEventListener('message', (e) => { if (this.worker === w) this.#onMessage(e.data); });
    w.addEventListener('error', (e) => { if (this.worker === w) this.#onError(e); });
    w.addEventListener('messageerror', () => { if (this.worker === w) this.#lost(); });
  }

  /** A message between the threads could not be deserialised; its job id is inside it, so every job fails. */
  #lost() {
    this.#replace();
    this.#rejectAll(() => new DOMException(`${this.label}: a message between the page and the Worker could not be deserialised`, 'DataCloneError'));
  }

  #post(msg) {
    const first = this.init?.(this.sent);
    if (first) {
      try { this.worker.postMessage(first); } catch { /* modules that cannot be posted: the Worker compiles its own */ }
    }
    this.worker.postMessage(msg);
  }

  #onMessage(data) {
    const { id, type } = data ?? {};
    if (type === 'ready') { this.ready = true; return; }
    if (type === 'messageerror') { this.#lost(); return; }
    if (type === 'started') {
      if (data.kind === 'method') this.running = id;
      if (data.kind === 'method' && this.abandoned.has(id)) this.#restart(); // aborted before it began
      return;
    }
    if (type === 'result' || type === 'error') {
      if (this.running === id) this.running = null;
      this.abandoned.delete(id);
    }
    const job = this.jobs.get(id);
    if (!job) return;
    if (type === 'progress') { job.onProgress?.(data.value); return; }
    if (!this.#settle(job)) return;
    if (type === 'result') job.resolve(data.value);
    else job.reject(revive(data.error ?? {}));
  }

  #onError(e) {
    e.preventDefault?.();
    if (this.ready) {
      // An error escaped the handler (it catches everything a job throws): the Worker's state is unknown.
      const msg = e.message || 'an uncaught error';
      this.#replace();
      this.#rejectAll(() => new Error(`${this.label}: the Worker failed: ${msg}`, { cause: e }));
      return;
    }
    if (this.fallback) {
      // The Worker could not start (e.g. a CSP without blob: for the cross-origin shim): the stand-in
      // takes its jobs.
      this.create = this.fallback;
      this.fallback = null;
      this.#replace();
      this.#ensure();
      for (const job of this.jobs.values()) this.#post(job.msg);
      return;
    }
    this.#replace();
    this.failure = loadFailure(this.label, this.probe, e);
    const failed = [...this.jobs.values()];
    this.jobs.clear();
    this.failure.then((err) => { for (const job of failed) { this.#unlisten(job); job.reject(err); } });
  }

  /** Drops the Worker; the next job starts a fresh one. */
  #replace() {
    this.worker?.terminate();
    this.worker = null;
    this.running = null;
    this.abandoned.clear();
  }

  /** Replaces the Worker and sends it the jobs that are still pending. */
  #restart() {
    this.#replace();
    if (this.jobs.size === 0 || this.closed) return;
    try {
      this.#ensure();
      for (const job of this.jobs.values()) this.#post(job.msg);
    } catch (err) {
      this.#rejectAll(() => err);
    }
  }

  #settle(job) {
    if (!this.jobs.delete(job.id)) return false;
    this.#unlisten(job);
    return true;
  }

  #unlisten(job) {
    if (job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
  }

  #rejectAll(makeError) {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) { this.#unlisten(job); job.reject(makeError()); }
  }
}

/** The Error a failed worker script rejects with: the HTTP status of its URL when it can be fetched. */
async function loadFailure(label, url, event) {
  let detail = event?.message ? `: ${event.message}` : '';
  if (url && !detail && typeof fetch === 'function') {
    try {
      const r = await fetch(url, { cache: 'no-store' });
      detail = r.ok ? ' (the script itself loads: one of its imports failed, or it threw)' : ` (HTTP ${r.status} ${r.statusText})`.trimEnd();
    } catch (err) {
      detail = ` (${err?.message ?? err})`;
    }
  }
  return new Error(`${label}: the worker script ${url ?? ''} failed to load${detail}`.replace('  ', ' '), { cause: event });
}

export class WorkerProxy {
  /**
   * @param {WorkerHost | Worker} host the host that runs this proxy's jobs (a Worker is wrapped in a dedicated host)
   * @param {{ shared?: boolean, topics?: string[] | null }} [opts] a shared proxy's terminate() stops only its own
   *   jobs; `topics` (null: all) are the modules the Worker loads for this proxy's jobs
   */
  constructor(host, { shared = false, topics = null } = {}) {
    this.host = host instanceof WorkerHost ? host : new WorkerHost(() => host);
    this.shared = shared;
    this.topics = topics;
    this.closed = false;
  }

  /** Runs a task or a pw method by name in the Worker; settles in every case (see the top of this file). */
  run(name, args = [], opts = {}) {
    if (this.closed) return Promise.reject(abortError('worker: run() after terminate()'));
    if (typeof name !== 'string') return Promise.reject(new TypeError(`worker.run: name must be a string, got ${typeof name}`));
    if (!Array.isArray(args)) return Promise.reject(new TypeError('worker.run: args must be an array of arguments'));
    const { onProgress, signal } = opts ?? {};
    return this.host.submit({ name, args, topics: this.topics }, { onProgress, signal, owner: this });
  }

  /**
   * Rejects this proxy's pending runs and every later one with an AbortError. A dedicated proxy terminates
   * its Worker; the shared one stops only this proxy's jobs (other callers keep the Worker).
   */
  terminate() {
    if (this.closed) return;
    this.closed = true;
    if (!this.shared) { this.host.terminate(); return; }
    for (const job of this.host.jobsOf(this)) this.host.abandon(job, abortError('worker: terminated'));
  }
}

// ---- The worker's side ---------------------------------------------------------------------------------

const yieldToEvents = () => new Promise((r) => setTimeout(r, 0));

/** Objects backed by wasm memory (Embind handles, the facades' wrappers) in a result, at most two levels down. */
function handlesIn(value, depth = 0, out = []) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return out;
  if (typeof value.dispose === 'function' || typeof value.delete === 'function') { out.push(value); return out; }
  if (depth < 2) for (const v of Array.isArray(value) ? value : Object.values(value)) handlesIn(v, depth + 1, out);
  return out;
}

/**
 * The message handler of a worker: load(opts) gives the API for a job's topics, findTask(name, topics) the
 * long job of that name (an async generator function yielding progress) or undefined, post(msg) replies.
 * Returns handle(msg), with handle.close() to stop every task at its next yield.
 */
export function serveJobs({ load, findTask, post }) {
  const cancelled = new Set();
  let closed = false;
  const stopped = (id) => closed || cancelled.has(id);

  async function run(id, name, args, topics) {
    const [pw, task] = await Promise.all([load(topics ? { topics } : undefined), findTask(name, topics ?? null)]);
    if (stopped(id)) throw abortError('cancelled');
    if (task) {
      post({ id, type: 'started', kind: 'task' });
      const it = task(pw, ...args);
      for (;;) {
        const step = await it.next();
        if (step.done) return step.value;
        post({ id, type: 'progress', value: step.value });
        await yieldToEvents();
        if (stopped(id)) { await it.return?.(); throw abortError('cancelled'); }
      }
    }
    if (!Object.hasOwn(pw, name) || typeof pw[name] !== 'function' || name === 'worker' || name === 'workerPool') {
      throw new TypeError(`worker.run: no task or method named ${JSON.stringify(name)}`);
    }
    if (/^[A-Z]/.test(name)) {
      throw new TypeError(`worker.run: ${name} is a class: its objects live in the Worker's wasm memory and cannot be sent ` +
        'to the page; construct it on the page, or run a task that builds, uses and disposes it in the Worker');
    }
    post({ id, type: 'started', kind: 'method' });
    const value = pw[name](...args);
    const handles = handlesIn(value);
    if (handles.length > 0) {
      for (const h of handles) { try { (h.dispose ?? h.delete).call(h); } catch { /* already freed */ } }
      throw new TypeError(`worker.run: ${name} returns an object backed by wasm memory, which cannot leave the Worker; ` +
        'call it on the page, or run a task that builds, uses and disposes it in the Worker');
    }
    return value;
  }

  function handle(msg) {
    const { id, type } = msg ?? {};
    if (type === 'cancel') { cancelled.add(id); return undefined; }
    if (type !== 'run') return undefined;
    return run(id, msg.name, msg.args ?? [], msg.topics).then(
      (value) => {
        try {
          post({ id, type: 'result', value });
        } catch (err) { // the result cannot be cloned: this job fails, nothing stays pending
          post({ id, type: 'error', error: { name: err?.name ?? 'DataCloneError', message: `worker.run: the result of ${msg.name} cannot be sent from the Worker: ${err?.message ?? err}` } });
        }
      },
      (err) => post({ id, type: 'error', error: { name: err?.name ?? 'Error', message: err?.message ?? String(err) } }),
    ).finally(() => cancelled.delete(id));
  }
  handle.close = () => { closed = true; };
  return handle;
}

/**
 * The body of a worker script: `load` (createLoader over the glue and facades the script imports), findTask
 * (loader.js tasksFinder) and provideModules (the page's compiled modules arrive in an 'init' message).
 */
export function workerMain(scope, { load, findTask, provideModules }) {
  const handle = serveJobs({ load, findTask, post: (m) => scope.postMessage(m) });
  scope.addEventListener('message', (e) => {
    if (e.data?.type === 'init') provideModules(e.data.modules);
    else handle(e.data);
  });
  // A job whose arguments cannot be deserialised here: the page learns it and fails its jobs (no id to name).
  scope.addEventListener('messageerror', () => scope.postMessage({ type: 'messageerror' }));
  scope.postMessage({ type: 'ready' });
}

/**
 * The Worker interface on the calling thread: where there is no Web Worker (Node) or none may start (a CSP
 * without blob: for a cross-origin package). Messages are copied with structuredClone, as a Worker copies
 * them, so the same jobs succeed and fail; a plain method blocks this thread while it runs.
 */
export class InlineWorker extends EventTarget {
  constructor(load, findTask) {
    super();
    this.closed = false;
    this.handle = serveJobs({ load, findTask, post: (m) => this.#emit(structuredClone(m)) });
    this.#emit({ type: 'ready' });
  }

  postMessage(msg) {
    if (this.closed || msg?.type === 'init') return; // this thread's modules are already at hand
    const copy = structuredClone(msg);
    setTimeout(() => { if (!this.closed) this.handle(copy); }, 0);
  }

  terminate() {
    this.closed = true;
    this.handle.close();
  }

  #emit(data) {
    setTimeout(() => { if (!this.closed) this.dispatchEvent(Object.assign(new Event('message'), { data })); }, 0);
  }
}
