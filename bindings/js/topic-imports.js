// Each topic's Emscripten glue and JS facade, imported on demand: shared by load.js (the page) and worker.js
// (the published Worker). Written as literal import() calls so that bundlers (Vite, webpack) emit each glue
// (with the .wasm it references) and each facade as separate chunks.
export const glue = {
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
export const facades = {
  softmax: () => import('./softmax.js'),
  sector: () => import('./sector.js'),
  diffusion: () => import('./diffusion.js'),
  contrastive: () => import('./contrastive.js'),
  attention: () => import('./attention.js'),
  lora: () => import('./lora.js'),
  mixers: () => import('./mixers.js'),
  wobert: () => import('./wobert.js'),
};
