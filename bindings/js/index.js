// probwasm: the mathematics of eight ML blog posts, in WebAssembly. `const pw = await load()`.
// load() instantiates the module holding every topic, once per realm. load({ topics }) instantiates only
// the named topics' own modules (dist/modules/<topic>.{mjs,wasm}), each once per realm: a page with one
// widget downloads one topic, not eight. The loading itself is in loader.js.
import { createLoader } from './loader.js';

export { topics, tasks } from './loader.js';

// The Emscripten glue of each module, imported only when needed. Written as literal import() calls so
// that bundlers (Vite, webpack) emit each glue and the .wasm it references as separate assets.
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

/**
 * Instantiates the module. Without options, the same instance (every topic) is shared by every caller.
 * With `topics`, only those topics' modules, each shared; the API then holds only their methods.
 */
export const load = createLoader(glue);
