// `npm run bench`: runs every bench/<topic>.mjs (each exports run({ pw }) → markdown) in one process,
// and writes BENCHMARKS.md. Ratios compare timings taken in this one run on this machine.
import { readdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { load } from 'probwasm';
import { root } from './lib.mjs';

const only = process.argv.slice(2);
const pw = await load();
const files = (await readdir(new URL('.', import.meta.url))).filter((f) => /^[a-z]+\.mjs$/.test(f) && !['lib.mjs', 'run.mjs'].includes(f)).sort();
const sections = [];
for (const f of files) {
  const topic = f.replace('.mjs', '');
  if (only.length && !only.includes(topic)) continue;
  console.log(`bench: ${topic}`);
  const mod = await import(new URL(f, import.meta.url));
  sections.push(`## ${topic}\n\n${await mod.run({ pw })}\n`);
}
const head = `# Benchmarks

Produced by \`npm run bench\` (\`node bench/run.mjs${only.length ? ' ' + only.join(' ') : ''}\`) on ${new Date().toISOString().slice(0, 10)},
${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}. Times are the best of several runs, in
milliseconds; every ratio compares timings taken in this same run. "native" is the same C++ built with
g++ -O3 (build/native/bench_<topic>); "wasm" is the package's module (em++ -O3 -msimd128) called
through the JS API, copies in and out included, unless a table says "wasm program": the native benchmark
program itself compiled with em++ (build/wasm/bench_<topic>.cjs) and run by this Node; "plain JS" is a
straightforward JS implementation.
`;
await writeFile(new URL('BENCHMARKS.md', `file://${root}`), `${head}\n${sections.join('\n')}`);
console.log('wrote BENCHMARKS.md');
