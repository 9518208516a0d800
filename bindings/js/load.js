// load(): the light entry point. It imports the Emscripten glue and the JS facade of a topic only when
// load() or load({ topics }) needs it, so a page with one widget fetches that topic's code alone (the widgets
// import this file). index.js, the package root, re-exports it beside `tasks`.
import { createLoader } from './loader.js';
import { glue, facades } from './topic-imports.js';

export { topics } from './loader.js';

/**
 * Instantiates the module. Without options, the same instance (every topic) is shared by every caller.
 * With `topics`, only those topics' modules, each shared; the API then holds only their methods.
 */
export const load = createLoader(glue, facades, { pool: () => import('./pool.js'), poolTasks: () => import('./pool-tasks.js') });
