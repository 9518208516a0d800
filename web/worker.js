// Module worker: runs pw methods and long tasks off the main thread (see bindings/js/worker-proxy.js).
// Messages in: { id, type: 'run', name, args, topics } | { id, type: 'cancel' }; `topics` (null: every
// topic) are the modules to load, each once, as load({ topics }) does on the page.
// Messages out: { id, type: 'progress', value } | { id, type: 'result', value } | { id, type: 'error', error }.
// The glue is imported statically (not with import() as on the page): a bundler then emits the worker as
// one file with no code splitting, which Vite's default worker format (iife) requires. The .wasm files
// are still fetched only for the topics a job needs.
import { createLoader, tasks } from './loader.js';
import all from './probwasm.mjs';
import softmax from './modules/softmax.mjs';
import sector from './modules/sector.mjs';
import diffusion from './modules/diffusion.mjs';
import contrastive from './modules/contrastive.mjs';
import attention from './modules/attention.mjs';
import lora from './modules/lora.mjs';
import mixers from './modules/mixers.mjs';
import wobert from './modules/wobert.mjs';

const factories = { all, softmax, sector, diffusion, contrastive, attention, lora, mixers, wobert };
const load = createLoader(Object.fromEntries(Object.entries(factories).map(([name, f]) => [name, () => f])));

const cancelled = new Set();

// Lets the worker read 'cancel' messages between chunks of a task.
const yieldToEvents = () => new Promise((r) => setTimeout(r, 0));

self.onmessage = async (e) => {
  const { id, type, name, args, topics } = e.data;
  if (type === 'cancel') { cancelled.add(id); return; }
  try {
    const pw = await load(topics ? { topics } : undefined);
    let value;
    if (tasks[name]) {
      const it = tasks[name](pw, ...args);
      for (;;) {
        const step = await it.next();
        if (step.done) { value = step.value; break; }
        self.postMessage({ id, type: 'progress', value: step.value });
        await yieldToEvents();
        if (cancelled.has(id)) { await it.return?.(); throw new DOMException('cancelled', 'AbortError'); }
      }
    } else if (typeof pw[name] === 'function') {
      value = pw[name](...args);
    } else {
      throw new TypeError(`worker: no task or method named ${JSON.stringify(name)}`);
    }
    self.postMessage({ id, type: 'result', value });
  } catch (err) {
    self.postMessage({ id, type: 'error', error: { name: err?.name ?? 'Error', message: err?.message ?? String(err) } });
  } finally {
    cancelled.delete(id);
  }
};
