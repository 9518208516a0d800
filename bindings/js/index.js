// probwasm: the mathematics of eight ML blog posts, in WebAssembly. `const pw = await load()`.
// load() instantiates the module holding every topic, once per realm. load({ topics }) instantiates only
// the named topics' own modules (dist/modules/<topic>.{mjs,wasm}), each once per realm: a page with one
// widget downloads one topic, not eight. The loading itself is in loader.js; load.js is the light entry
// (no facade imported until needed) that the widgets use; this root adds `tasks`, every topic's Worker tasks.
export { load, topics } from './load.js';
export { tasks } from './tasks.js';
