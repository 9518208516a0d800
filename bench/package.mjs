// Budgets of issue 7: gzipped sizes of the core module and of each widget, and load() → ready time.
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { root, table } from './lib.mjs';

const gz = async (f) => gzipSync(await readFile(f), { level: 9 }).length;
const kb = (b) => (b / 1024).toFixed(1);

export async function run() {
  const dist = `${root}dist/`;
  const wasm = await gz(`${dist}probwasm.wasm`), glue = await gz(`${dist}probwasm.mjs`);
  let facade = 0;
  for (const f of await readdir(dist)) if (f.endsWith('.js')) facade += await gz(dist + f);
  const shared = (await gz(`${dist}elements/base.js`)) + (await gz(`${dist}elements/plot.js`));
  const rows = [];
  for (const f of (await readdir(`${dist}elements`)).sort()) {
    if (f === 'base.js' || f === 'plot.js') continue;
    const own = await gz(`${dist}elements/${f}`);
    rows.push([`elements/${f}`, kb(own), kb(own + shared), own + shared <= 30 * 1024 ? 'yes' : '**no**']);
  }
  // Cold load in a fresh Node process: import + compile + instantiate, median of 5 processes.
  const times = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      `const t0 = performance.now(); const { load } = await import('probwasm'); await load(); console.log(performance.now() - t0);`],
    { cwd: root, encoding: 'utf8' });
    times.push(Number(out.trim()));
  }
  times.sort((a, b) => a - b);
  return [
    `Core module: probwasm.wasm ${kb(wasm)} KB + glue probwasm.mjs ${kb(glue)} KB = **${kb(wasm + glue)} KB gzipped** (budget 250 KB: ${wasm + glue <= 250 * 1024 ? 'met' : '**exceeded**'}); the JS facade adds ${kb(facade)} KB.`,
    '',
    table(['widget', 'own JS (KB gz)', '+ base.js and plot.js (KB gz)', '≤ 30 KB'], rows),
    '',
    `Time from \`import('probwasm')\` to a ready API (\`await load()\`) in a fresh Node ${process.version} process: median **${times[2].toFixed(1)} ms** (min ${times[0].toFixed(1)}, max ${times[4].toFixed(1)}) over 5 processes (budget 50 ms; reported, not asserted).`,
  ].join('\n');
}
