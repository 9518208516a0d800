// Every topic's facade, imported statically: `tasks` for the package root (index.js) and the facades for the
// bundled Worker (worker-bundle.js). Pages that only need load() import load.js, which imports facades lazily.
import * as softmax from './softmax.js';
import * as sector from './sector.js';
import * as diffusion from './diffusion.js';
import * as contrastive from './contrastive.js';
import * as attention from './attention.js';
import * as lora from './lora.js';
import * as mixers from './mixers.js';
import * as wobert from './wobert.js';

/** The facade module of each topic. */
export const facadeModules = Object.freeze({ softmax, sector, diffusion, contrastive, attention, lora, mixers, wobert });

/** Long-running jobs by name: async generator functions (pw, ...args) that yield progress. */
export const tasks = Object.freeze(Object.assign({}, ...Object.values(facadeModules).map((t) => t.tasks ?? {})));
