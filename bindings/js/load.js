// load(): the light entry point. It imports the Emscripten glue and the JS facade of a topic only when
// load() or load({ topics }) needs it, so a page with one widget fetches that topic's code alone (the widgets
// import this file). index.js, the package root, re-exports it beside `tasks`.
import { createLoader } from './loader.js';

export { topics } from './loader.js';

// Written as literal import() calls so that bundlers (Vite, webpack) emit each glue (with the .wasm it
// references) and each facade as separate chunks.
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

/**
 * Instantiates the module. Without options, the same instance (every topic) is shared by every caller.
 * With `topics`, only those topics' modules, each shared; the API then holds only their methods.
 */
export const load = createLoader(glue, facades, { pool: () => import('./pool.js'), poolTasks: () => import('./pool-tasks.js') });
