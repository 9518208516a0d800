// The loader behind load(), shared by the page (index.js, whose glue is imported on demand) and the Worker
// (worker.js, whose glue is imported statically: a bundler's worker bundle then needs no code splitting).
// load() instantiates the module holding every topic, once per realm; load({ topics }) instantiates only the
// named topics' own modules (dist/modules/<topic>.{mjs,wasm}), each once per realm.
import { WorkerProxy } from './worker-proxy.js';
import { wrapModule } from './errors.js';
// Each topic module exports api(M) → { method… } and, optionally, `tasks` for long runs in a Worker.
import * as softmax from './softmax.js';
import * as sector from './sector.js';
import * as diffusion from './diffusion.js';
import * as contrastive from './contrastive.js';
import * as attention from './attention.js';
import * as lora from './lora.js';
import * as mixers from './mixers.js';
import * as wobert from './wobert.js';

const facades = { softmax, sector, diffusion, contrastive, attention, lora, mixers, wobert };

const wasmFile = (name) => (name === 'all' ? './probwasm.wasm' : `./modules/${name}.wasm`);

/** The topic names, in the order of the posts' numbering on the page. */
export const topics = Object.freeze(Object.keys(facades));

/** Long-running jobs by name: async generator functions (pw, args, ctx) that yield progress. */
export const tasks = Object.assign({}, ...Object.values(facades).map((t) => t.tasks ?? {}));

/**
 * Returns load(opts) over `glue`: { all, <topic>… } → () => the Emscripten factory of that module (or a promise
 * of it). Without options load() shares one all-topics instance; with `topics`, one instance per topic, and an
 * API with only their methods; once the all-topics instance exists, load({ topics }) reuses it.
 */
export function createLoader(glue) {
  let sharedAll = null;
  const sharedTopic = new Map();
  const instance = (name, opts) => instantiate(glue[name], name, opts);

  function loadAll() {
    sharedAll ??= instance('all', {}).then((M) => makeApi(topics, () => M));
    return sharedAll;
  }
  function loadTopic(name) {
    if (!sharedTopic.has(name)) sharedTopic.set(name, instance(name, {}));
    return sharedTopic.get(name);
  }

  /**
   * @param {{ topics?: string[], wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array }} [opts]
   */
  return function load(opts) {
    if (opts === undefined || opts === null || Object.keys(opts).length === 0) return loadAll();
    if (typeof opts !== 'object') throw new TypeError(`load: options must be an object, got ${typeof opts}`);
    if (opts.topics === undefined) return instance('all', opts).then((M) => makeApi(topics, () => M));
    const names = checkTopics(opts.topics);
    const { topics: _, ...moduleOpts } = opts;
    if (Object.keys(moduleOpts).length > 0) {
      if (names.length !== 1) throw new RangeError('load: wasmUrl and wasmBinary need exactly one topic in topics');
      return instance(names[0], moduleOpts).then((M) => makeApi(names, () => M));
    }
    if (sharedAll) return sharedAll;
    return Promise.all(names.map(loadTopic)).then((ms) => makeApi(names, (name) => ms[names.indexOf(name)]));
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
function makeApi(names, moduleOf) {
  const api = {};
  for (const name of names) Object.assign(api, facades[name].api(moduleOf(name)));
  /**
   * A proxy that runs methods and tasks in a module Worker (browsers), with progress and AbortSignal.
   * Without an URL every caller gets the same Worker (one more wasm instance per page, not one per
   * widget); its terminate() is a no-op. With an URL, a dedicated Worker. The Worker loads the same
   * topics as this API.
   */
  const workerTopics = names.length === topics.length ? null : names;
  api.worker = (workerUrl) => {
    if (workerUrl) return new WorkerProxy(new Worker(workerUrl, { type: 'module' }), { topics: workerTopics });
    return sharedProxy(workerTopics);
  };
  return Object.freeze(api);
}

let sharedWorker = null;
function sharedProxy(workerTopics) {
  // written literally so that bundlers (Vite, webpack) bundle the worker with its imports
  sharedWorker ??= new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return new WorkerProxy(sharedWorker, { shared: true, topics: workerTopics });
}
