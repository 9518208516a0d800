// Module worker: runs pw methods and long tasks off the main thread (see bindings/js/worker-proxy.js).
// Messages in: { id, type: 'run', name, args, topics } | { id, type: 'cancel' }; `topics` (null: every
// topic) are the modules to load, each once, as load({ topics }) does on the page.
// Messages out: { id, type: 'progress', value } | { id, type: 'result', value } | { id, type: 'error', error }.
import { load, tasks } from './index.js';

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
