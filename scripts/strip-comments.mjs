// Removes the comments from the widget modules copied into dist/elements/ (the repository keeps them): the
// shipped files are smaller, which each widget's budget counts (tests/package/budgets.test.mjs, 30 KB with
// base.js and plot.js; tests/browser/workers.test.mjs, 120 KB for one <pw-softmax>). Comments are found by
// parsing (Debian's acorn, which build.sh already puts on NODE_PATH for emcc), so strings and template
// literals, such as the Copy code snippets, are left exactly as written.
// Usage: node scripts/strip-comments.mjs file.js …
import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';

const require = createRequire(import.meta.url);
const acorn = require('acorn');

for (const file of process.argv.slice(2)) {
  const src = await readFile(file, 'utf8');
  const cuts = [];
  acorn.parse(src, { ecmaVersion: 'latest', sourceType: 'module', onComment: (block, text, start, end) => {
    // a comment alone on its line(s) takes its indentation and line break with it
    let s = start, e = end;
    while (s > 0 && (src[s - 1] === ' ' || src[s - 1] === '\t')) s--;
    let f = e;
    while (f < src.length && (src[f] === ' ' || src[f] === '\t')) f++;
    if ((s === 0 || src[s - 1] === '\n') && (f === src.length || src[f] === '\n')) cuts.push([s, Math.min(f + 1, src.length)]);
    else cuts.push([start, end]);
  } });
  let out = '', at = 0;
  for (const [start, end] of cuts) {
    out += src.slice(at, start);
    at = end;
  }
  await writeFile(file, out + src.slice(at));
}
