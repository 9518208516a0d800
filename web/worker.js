// The module Worker behind pw.worker() and pw.workerPool() when the package is used as published (dist/
// served as is, from the page's origin or an npm CDN): it runs pw methods and long tasks off the main
// thread (protocol: bindings/js/worker-proxy.js). A topic's glue and facade are imported only when a job
// needs that topic, and the page's compiled WebAssembly.Module, posted to it, is instantiated without a
// second compile. Bundlers get worker-bundle.js instead (static imports: Vite's default worker format, iife,
// allows no code splitting).
import { createLoader, provideModules, tasksFinder } from './loader.js';
import { workerMain } from './worker-proxy.js';

const glue = {
  all: () => import('./probwasm.mjs').then((m) => m.default),
  softmax: () => import('./modules/softmax.mjs').then((m) => m.default),
  sector: () => import('./modules/sector.mjs').then((m) => m.default),
  diffusion: () => import('./modules/diffusion.mjs').then((m) => m.default),
  contrastive: () => import('./modules/contrastive.mjs').then((m) => m.default),
  attention: () => import('./modules/attention.mjs').then((m) => m.default),
  lora: () => import('./modules/lora.mjs').then((m) => m.default),
  mixers: () => import('./modules/mixers.mjs').then((m) => m.default),
  wobert: () => import('./modules/wobert.mjs').then((m) => m.default),
};
const facades = {
  softmax: () => import('./softmax.js'),
  sector: () => import('./sector.js'),
  diffusion: () => import('./diffusion.js'),
  contrastive: () => import('./contrastive.js'),
  attention: () => import('./attention.js'),
  lora: () => import('./lora.js'),
  mixers: () => import('./mixers.js'),
  wobert: () => import('./wobert.js'),
};
const lazy = { pool: () => Promise.reject(new Error('workerPool: not available inside a Worker')), poolTasks: () => import('./pool-tasks.js') };

workerMain(self, { load: createLoader(glue, facades, lazy), findTask: tasksFinder(facades, lazy.poolTasks), provideModules });
