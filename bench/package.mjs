// Budgets of issue 7: gzipped sizes of each topic's module, of the all-topics module and of each widget,
// and the time from import to a ready API in a fresh Node process.
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { topics } from 'probwasm';
import { root, table } from './lib.mjs';

const gz = async (f) => gzipSync(await readFile(f), { level: 9 }).length;
const kb = (b) => (b / 1024).toFixed(1);
const BUDGET = 250 * 1024;

/** In 5 fresh Node processes: ms for import('probwasm'), then ms from calling load to a ready API. */
function coldLoad(call) {
  const imp = [], ready = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      `const t0 = performance.now(); const { load } = await import('probwasm'); const t1 = performance.now();
       await ${call}; console.log(t1 - t0, performance.now() - t1);`],
    { cwd: root, encoding: 'utf8' });
    const [a, b] = out.trim().split(' ').map(Number);
    imp.push(a); ready.push(b);
  }
  const med = (v) => { v.sort((a, b) => a - b); return `${v[2].toFixed(1)} (${v[0].toFixed(1)}–${v[4].toFixed(1)})`; };
  return [med(ready), med(imp)];
}

export async function run() {
  const dist = `${root}dist/`;
  const modules = [];
  for (const t of topics) {
    const wasm = await gz(`${dist}modules/${t}.wasm`), glue = await gz(`${dist}modules/${t}.mjs`);
    modules.push([`modules/${t}`, kb(wasm), kb(glue), kb(wasm + glue), wasm + glue <= BUDGET ? 'yes' : '**no**']);
  }
  const wasm = await gz(`${dist}probwasm.wasm`), glue = await gz(`${dist}probwasm.mjs`);
  modules.push(['probwasm (every topic)', kb(wasm), kb(glue), kb(wasm + glue), wasm + glue <= BUDGET ? 'yes' : 'no (load() only)']);
  let facade = 0;
  for (const f of await readdir(dist)) if (f.endsWith('.js')) facade += await gz(dist + f);
  const shared = (await gz(`${dist}elements/base.js`)) + (await gz(`${dist}elements/plot.js`));
  const rows = [];
  for (const f of (await readdir(`${dist}elements`)).sort()) {
    if (f === 'base.js' || f === 'plot.js') continue;
    const own = await gz(`${dist}elements/${f}`);
    rows.push([`elements/${f}`, kb(own), kb(own + shared), own + shared <= 30 * 1024 ? 'yes' : '**no**']);
  }
  return [
    'Modules (KB gzipped, level 9). A widget, or `load({ topics })`, fetches its topic\'s module only; `load()`',
    `fetches the all-topics module. Budget: core .wasm + glue ≤ 250 KB. The JS facade adds ${kb(facade)} KB.`,
    '',
    table(['module', '.wasm', 'glue .mjs', 'total', '≤ 250 KB'], modules),
    '',
    table(['widget', 'own JS (KB gz)', '+ base.js and plot.js (KB gz)', '≤ 30 KB'], rows),
    '',
    `In fresh Node ${process.version} processes, median (min–max) of 5, ms: from calling load to a ready API (budget`,
    '50 ms; reported, not asserted), and, before it, `import(\'probwasm\')` (mostly Node\'s ES-module loader starting up).',
    '',
    table(['call', 'load → ready ms', 'import ms'], [
      ['`load({ topics: [\'softmax\'] })`', ...coldLoad("load({ topics: ['softmax'] })")],
      ['`load({ topics: [\'diffusion\'] })`', ...coldLoad("load({ topics: ['diffusion'] })")],
      ['`load()` (every topic)', ...coldLoad('load()')],
    ]),
  ].join('\n');
}
