// The module Worker behind pw.worker() and pw.workerPool() when the package is used as published (dist/
// served as is, from the page's origin or an npm CDN): it runs pw methods and long tasks off the main
// thread (protocol: bindings/js/worker-proxy.js). A topic's glue and facade are imported only when a job
// needs that topic, and the page's compiled WebAssembly.Module, posted to it, is instantiated without a
// second compile. Bundlers get worker-bundle.js instead (static imports: Vite's default worker format, iife,
// allows no code splitting).
import { createLoader, provideModules, tasksFinder } from './loader.js';
import { workerMain } from './worker-proxy.js';
import { glue, facades } from './topic-imports.js';

const lazy = { pool: () => Promise.reject(new Error('workerPool: not available inside a Worker')), poolTasks: () => import('./pool-tasks.js') };

workerMain(self, { load: createLoader(glue, facades, lazy), findTask: tasksFinder(facades, lazy.poolTasks), provideModules });
