// The loader behind load(), shared by the page (load.js: glue and facades imported on demand) and the Worker
// (worker.js likewise; worker-bundle.js, for bundlers, imports them statically: a bundler's worker bundle then
// needs no code splitting). load() instantiates the module holding every topic, once per realm; load({ topics })
// instantiates only the named topics' own modules (dist/modules/<topic>.{mjs,wasm}), each once per realm, and
// imports only their facades: a page with one widget fetches one topic's JS and wasm.
import { WorkerProxy, WorkerHost, InlineWorker } from './worker-proxy.js';
import { checkInt, checkOptions } from './common.js';
import { wrapModule } from './errors.js';

const wasmFile = (name) => (name === 'all' ? './probwasm.wasm' : `./modules/${name}.wasm`);

/** The topic names, in the order of the posts' numbering on the page. Each has a facade, <topic>.js. */
export const topics = Object.freeze(['softmax', 'sector', 'diffusion', 'contrastive', 'attention', 'lora', 'mixers', 'wobert']);

/**
 * Returns load(opts) over `glue`: { all, <topic>… } → () => the Emscripten factory of that module (or a promise
 * of it), and `facades`: { <topic>… } → () => its facade module (exports api(M) → { method… } and, optionally,
 * `tasks` for long runs in a Worker), or a promise of it. `lazy.pool` and `lazy.poolTasks` give pool.js and
 * pool-tasks.js the same way. (This file imports nothing dynamically: the entry points choose how.)
 * Without options load() shares one all-topics instance; with `topics`, one instance per topic, and an API with
 * only their methods; once the all-topics instance exists, load({ topics }) reuses it.
 */
export function createLoader(glue, facades, lazy) {
  const findTask = tasksFinder(facades, lazy.poolTasks);
  let sharedAll = null;
  const sharedTopic = new Map();
  const instance = (name, opts) => instantiate(compiledOnce(glue[name], name, opts), name, opts);
  // the facades download while the module compiles
  const api = (names, modules, moduleOf) => Promise.all([modules, Promise.all(names.map((n) => facades[n]()))])
    .then(([ms, fs]) => makeApi(names, fs, (name) => moduleOf(ms, name), load, findTask, lazy.pool));

  function loadAll() {
    sharedAll ??= api(topics, instance('all', {}), (M) => M);
    return sharedAll;
  }
  function loadTopic(name) {
    if (!sharedTopic.has(name)) sharedTopic.set(name, instance(name, {}));
    return sharedTopic.get(name);
  }

  return load;
  /**
   * @param {{ topics?: string[], wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array }} [opts]
   */
  function load(opts) {
    if (opts === undefined || opts === null || Object.keys(opts).length === 0) return loadAll();
    if (typeof opts !== 'object') throw new TypeError(`load: options must be an object, got ${typeof opts}`);
    if (opts.topics === undefined) return api(topics, instance('all', opts), (M) => M);
    const names = checkTopics(opts.topics);
    const { topics: _, ...moduleOpts } = opts;
    if (Object.keys(moduleOpts).length > 0) {
      if (names.length !== 1) throw new RangeError('load: wasmUrl and wasmBinary need exactly one topic in topics');
      return api(names, instance(names[0], moduleOpts), (M) => M);
    }
    if (sharedAll) return sharedAll;
    return api(names, Promise.all(names.map(loadTopic)), (ms, name) => ms[names.indexOf(name)]);
  }
}

/**
 * findTask(name, names) → the task called `name` among the facades of `names` (null: every topic), else among
 * the pool's own tasks (pool-tasks.js), else undefined. The facades are imported as needed.
 */
export function tasksFinder(facades, poolTasks) {
  return async (name, names) => {
    for (const t of names ?? topics) {
      const f = await facades[t]();
      if (f.tasks && Object.hasOwn(f.tasks, name)) return f.tasks[name];
    }
    const extra = (await poolTasks()).poolTasks;
    return Object.hasOwn(extra, name) ? extra[name] : undefined;
  };
}

function checkTopics(list) {
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError(`load: topics must be a non-empty array of topic names, got ${String(list)}`);
  }
  for (const t of list) {
    if (!topics.includes(t)) throw new RangeError(`load: unknown topic ${JSON.stringify(t)}; topics are ${topics.join(', ')}`);
  }
  return [...new Set(list)];
}

async function instantiate(factory, name, opts) {
  const moduleOpts = {};
  if (opts.wasmBinary) {
    moduleOpts.wasmBinary = opts.wasmBinary;
  } else if (opts.wasmUrl) {
    const url = String(opts.wasmUrl);
    moduleOpts.locateFile = () => url;
  } else if (typeof process === 'object' && process.versions?.node && typeof window === 'undefined') {
    // Node: the web glue would fetch() a file: URL, which Node cannot; read the bytes instead.
    const fsModule = 'node:fs/promises'; // a variable, so bundlers leave this Node-only import alone
    const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fsModule);
    moduleOpts.wasmBinary = await readFile(new URL(wasmFile(name), import.meta.url));
  }
  const create = await factory();
  return create(moduleOpts).then(wrapModule); // errors.js: C++ errors thrown after the call returns
}

/** The frozen API: each named topic's facade over the module moduleOf(topic) that holds it. */
function makeApi(names, facadeModules, moduleOf, load, findTask, poolModule) {
  const api = {};
  names.forEach((name, i) => Object.assign(api, facadeModules[i].api(moduleOf(name))));
  const workerTopics = names.length === topics.length ? null : names;
  /**
   * A proxy that runs methods and tasks in a module Worker, with progress and AbortSignal; the Worker loads
   * the same topics as this API. Without an URL every caller shares the page's one Worker (one more wasm
   * instance per page, not one per widget); with an URL, a dedicated Worker running that script.
   */
  api.worker = (workerUrl) => {
    if (workerUrl === undefined || workerUrl === null) return new WorkerProxy(sharedHost(load, findTask), { shared: true, topics: workerTopics });
    if (typeof workerUrl !== 'string' && !(workerUrl instanceof URL)) {
      throw new TypeError(`worker: workerUrl must be a string or a URL, got ${typeof workerUrl}`);
    }
    const url = new URL(workerUrl, globalThis.document?.baseURI ?? import.meta.url);
    return new WorkerProxy(workerHost(load, findTask, url, `worker ${url.href}`), { topics: workerTopics });
  };
  /** A pool of Workers, each with its own instance, for the tasks that split into seeded chunks (pool.js). */
  api.workerPool = (opts) => workerPool(opts, api, workerTopics, poolModule,
    (i) => workerHost(load, findTask, defaultScript(), `workerPool[${i}]`, { fallback: true }));
  return Object.freeze(api);
}

// ---- Workers: which script, from which origin, with the page's compiled modules ------------------------

// Unbundled (the dist/ folder served as is, e.g. from an npm CDN) this file's URL ends in /loader.js; a
// bundler renames it. Unbundled, the page compiles each module itself (compiledOnce), posts the compiled
// WebAssembly.Module to its Workers, and starts the lean worker.js, which imports only the glue it needs.
const unbundled = /^https?:/.test(import.meta.url) && new URL(import.meta.url).pathname.endsWith('/loader.js');
const inBrowser = typeof WebAssembly === 'object' && typeof fetch === 'function' &&
  (typeof window === 'object' || typeof WorkerGlobalScope === 'function');

/** Compiled modules by name ('all' or a topic), one per realm: compiled here, or received from the page. */
const compiledModules = new Map(); // name → Promise<WebAssembly.Module>
const settledModules = new Map();  // name → WebAssembly.Module, once compiled

/** Adds modules compiled elsewhere (a Worker receives the page's): { name: WebAssembly.Module }. */
export function provideModules(modules) {
  for (const [name, m] of Object.entries(modules ?? {})) {
    if (!(m instanceof WebAssembly.Module) || compiledModules.has(name)) continue;
    compiledModules.set(name, Promise.resolve(m));
    settledModules.set(name, m);
  }
}

function compileModule(name) {
  if (!compiledModules.has(name)) {
    const url = new URL(wasmFile(name), import.meta.url);
    const p = fetch(url, { credentials: 'same-origin' }).then(async (r) => {
      if (!r.ok) throw new Error(`load: ${url} could not be fetched: HTTP ${r.status}`);
      // Streaming needs the application/wasm MIME type; a server without it still gets the bytes compiled.
      try { return await WebAssembly.compileStreaming(r.clone()); } catch { return WebAssembly.compile(await r.arrayBuffer()); }
    });
    compiledModules.set(name, p);
    p.then((m) => settledModules.set(name, m), () => compiledModules.delete(name));
  }
  return compiledModules.get(name);
}

/**
 * The factory thunk glue[name], made to instantiate from compileModule(name) when this realm compiles its own
 * modules (unbundled, default options) or was given that module; otherwise unchanged (the glue fetches).
 */
function compiledOnce(factory, name, opts) {
  const custom = opts && Object.keys(opts).length > 0;
  if (custom || !inBrowser || !(unbundled || compiledModules.has(name))) return factory;
  return async () => {
    const create = await factory();
    return (moduleOpts) => {
      let fail;
      const failed = new Promise((_, reject) => { fail = reject; });
      const ready = create({
        ...moduleOpts,
        instantiateWasm(imports, receive) {
          compileModule(name).then((m) => WebAssembly.instantiate(m, imports).then((inst) => receive(inst, m))).catch(fail);
          return {}; // the exports arrive through receive()
        },
      });
      return Promise.race([ready, failed]);
    };
  };
}

/** The 'init' message for a Worker: the compiled modules it has not been sent yet (a WebAssembly.Module posts without a copy of its code). */
function modulesFor(sent) {
  const modules = {};
  for (const [name, m] of settledModules) if (!sent.has(name)) { modules[name] = m; sent.add(name); }
  return Object.keys(modules).length ? { type: 'init', modules } : null;
}

/** The script the page's Workers run: a <meta name="probwasm-worker" content="…"> URL, else the lean worker.js; null: the bundled one. */
function defaultScript() {
  const meta = globalThis.document?.querySelector('meta[name="probwasm-worker"]')?.getAttribute('content');
  if (meta) return new URL(meta, document.baseURI);
  const lean = 'worker.js'; // a variable: bundlers must not copy it (they bundle worker-bundle.js below)
  return unbundled ? new URL(lean, import.meta.url) : null;
}

/**
 * A module Worker running `url`. A script on another origin (an npm CDN) cannot be a Worker's script
 * (SecurityError): a same-origin blob: module imports it instead. null: the bundled worker.
 */
function startWorker(url) {
  // written literally so that bundlers (Vite, webpack) bundle the worker with its imports
  if (!url) return new Worker(new URL('./worker-bundle.js', import.meta.url), { type: 'module' });
  if (typeof location === 'undefined' || url.origin === location.origin || url.protocol === 'blob:') {
    return new Worker(url, { type: 'module' });
  }
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
  let w;
  try {
    w = new Worker(shim, { type: 'module' });
  } catch (err) {
    URL.revokeObjectURL(shim);
    throw err;
  }
  // freed once the Worker has started (its first message) or failed: by then it has read the blob
  const revoke = () => URL.revokeObjectURL(shim);
  w.addEventListener('message', revoke, { once: true });
  w.addEventListener('error', revoke, { once: true });
  return w;
}

/**
 * A host for one Worker running `url`, with the page's modules as its first message. Where Workers do not
 * exist (Node), or cannot start from a blob: (a CSP without blob: in worker-src, for a cross-origin package),
 * the jobs run on this thread instead (InlineWorker); a script that fails to load otherwise rejects its jobs.
 */
function workerHost(load, findTask, url, label, { fallback = false } = {}) {
  const inline = () => new InlineWorker(load, findTask);
  if (typeof Worker !== 'function') return new WorkerHost(inline, { label });
  const crossOrigin = url !== null && typeof location === 'object' && url.origin !== location.origin && url.protocol !== 'blob:';
  return new WorkerHost(() => startWorker(url), {
    label, probe: url, init: modulesFor, fallback: fallback && crossOrigin ? inline : null,
  });
}

let shared = null;
function sharedHost(load, findTask) {
  shared ??= workerHost(load, findTask, defaultScript(), 'worker', { fallback: true });
  return shared;
}

/** The default pool size: one Worker per core but the page's, at least 1, at most 8. */
export function defaultPoolSize(cores = globalThis.navigator?.hardwareConcurrency) {
  return Math.max(1, Math.min(8, (Number.isInteger(cores) ? cores : 2) - 1));
}

/** pw.workerPool(opts): options checked now; pool.js (the splitting) imported on first use. */
function workerPool(opts, api, topics, poolModule, host) {
  const fn = 'workerPool';
  const o = checkOptions(fn, opts, ['size']);
  const size = o.size === undefined ? defaultPoolSize() : checkInt(fn, 'size', o.size, 1, 64);
  const pool = Promise.resolve().then(poolModule).then((m) => m.createPool({ size, api, topics, host }));
  let closed = false;
  return Object.freeze({
    size,
    /** Runs a task or method by name, split across the Workers where pool.js knows how; settles like WorkerProxy.run. */
    run(name, args, runOpts) {
      if (closed) return Promise.reject(new DOMException('workerPool: run() after terminate()', 'AbortError'));
      return pool.then((p) => p.run(name, args, runOpts));
    },
    /** Terminates every Worker: pending and later runs reject with an AbortError. */
    terminate() {
      closed = true;
      pool.then((p) => p.terminate(), () => {});
    },
  });
}
