// probwasm: the mathematics of eight ML blog posts, in WebAssembly. `const pw = await load()`.
// One wasm instance per realm: load() without options always returns the same promise.
import createProbwasm from './probwasm.mjs';
import { WorkerProxy } from './worker-proxy.js';
// Each topic module exports api(M) → { method… } and, optionally, `tasks` for long runs in a Worker.
import * as softmax from './softmax.js';
import * as sector from './sector.js';
import * as diffusion from './diffusion.js';
import * as contrastive from './contrastive.js';
import * as attention from './attention.js';
import * as lora from './lora.js';
import * as mixers from './mixers.js';
import * as wobert from './wobert.js';

const topics = [softmax, sector, diffusion, contrastive, attention, lora, mixers, wobert];

/** Long-running jobs by name: async generator functions (pw, args, ctx) that yield progress. */
export const tasks = Object.assign({}, ...topics.map((t) => t.tasks ?? {}));

let shared = null;

/**
 * Instantiates the module. Without options, the same instance is shared by every caller.
 * @param {{ wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array }} [opts]
 */
export function load(opts) {
  if (opts === undefined || opts === null || Object.keys(opts).length === 0) {
    shared ??= instantiate({});
    return shared;
  }
  return instantiate(opts);
}

async function instantiate(opts) {
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
    moduleOpts.wasmBinary = await readFile(new URL('./probwasm.wasm', import.meta.url));
  }
  const M = await createProbwasm(moduleOpts);
  const api = {};
  for (const topic of topics) Object.assign(api, topic.api(M));
  /**
   * A proxy that runs methods and tasks in a module Worker (browsers), with progress and AbortSignal.
   * Without an URL every caller gets the same Worker (one more wasm instance per page, not one per
   * widget); its terminate() is a no-op. With an URL, a dedicated Worker.
   */
  let sharedWorker = null;
  api.worker = (workerUrl) => {
    if (workerUrl) return new WorkerProxy(new Worker(workerUrl, { type: 'module' }));
    // written literally so that bundlers (Vite, webpack) bundle the worker with its imports
    sharedWorker ??= new WorkerProxy(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }), { shared: true });
    return sharedWorker;
  };
  return Object.freeze(api);
}
