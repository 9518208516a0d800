// The module Worker a bundler (Vite, webpack) builds from the literal `new Worker(new URL('./worker-bundle.js',
// import.meta.url))` in loader.js: as web/worker.js, but with every glue and facade imported statically, so
// that the worker bundle needs no code splitting (Vite's default worker format, iife, allows none). The .wasm
// files are still fetched only for the topics a job needs.
import { createLoader, provideModules, tasksFinder } from './loader.js';
import { workerMain } from './worker-proxy.js';
import { facadeModules } from './tasks.js';
import * as poolTasksModule from './pool-tasks.js';
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
const glue = Object.fromEntries(Object.entries(factories).map(([name, f]) => [name, () => f]));
const facades = Object.fromEntries(Object.entries(facadeModules).map(([name, m]) => [name, () => m]));
const lazy = { pool: () => Promise.reject(new Error('workerPool: not available inside a Worker')), poolTasks: () => poolTasksModule };

workerMain(self, { load: createLoader(glue, facades, lazy), findTask: tasksFinder(facades, lazy.poolTasks), provideModules });
