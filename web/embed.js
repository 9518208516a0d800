// One <script type="module" src=".../probwasm/dist/embed.js"> makes the page's <pw-*> widgets work. It
// imports only the elements the page uses: those in the document now, and any added later (a
// MutationObserver watches for them). A page that knows its widgets can import one element directly
// instead: probwasm/elements/<topic>.js (e.g. elements/softmax.js defines <pw-softmax>).
// Widgets share one wasm instance and load nothing until they near the viewport.
import { pageTopics } from './elements/base.js';

// Tag → its element module, written as literal import() calls so that bundlers emit each as its own chunk.
const elements = {
  'pw-softmax': ['softmax', () => import('./elements/softmax.js')],
  'pw-sector': ['sector', () => import('./elements/sector.js')],
  'pw-ddim': ['diffusion', () => import('./elements/diffusion.js')],
  'pw-images': ['diffusion', () => import('./elements/diffusion-images.js')],
  'pw-flatnce': ['contrastive', () => import('./elements/contrastive.js')],
  'pw-attention': ['attention', () => import('./elements/attention.js')],
  'pw-lora': ['lora', () => import('./elements/lora.js')],
  'pw-mixers': ['mixers', () => import('./elements/mixers.js')],
  'pw-wobert': ['wobert', () => import('./elements/wobert.js')],
};
const selector = Object.keys(elements).join(',');
const requested = new Set();

/** Imports the element of every tag in `roots` not imported yet. */
function scan(roots) {
  const found = new Set();
  for (const root of roots) {
    if (root.nodeType !== 1 && root.nodeType !== 9 && root.nodeType !== 11) continue;
    if (root.nodeType === 1 && root.matches(selector)) found.add(root.localName);
    for (const el of root.querySelectorAll(selector)) found.add(el.localName);
  }
  const fresh = [...found].filter((tag) => !requested.has(tag));
  // Every topic on the page is known before the first element is defined, so that the widgets choose one
  // instance for the page (base.js: one topic's module, or the all-topics module) before any of them loads.
  for (const tag of fresh) pageTopics.add(elements[tag][0]);
  for (const tag of fresh) {
    requested.add(tag);
    elements[tag][1]().catch((err) => { requested.delete(tag); console.error(`probwasm: <${tag}> failed to load`, err); });
  }
  if (requested.size === Object.keys(elements).length) observer.disconnect();
}

const observer = new MutationObserver((records) => scan(records.flatMap((r) => [...r.addedNodes])));
observer.observe(document, { childList: true, subtree: true });
scan([document]);
