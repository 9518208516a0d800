// `npm run build:site`: a static demo site in site/ with relative URLs only, deployable to any static
// host: the page (web/) at the top and the package (dist/) beside it. Run after `npm run build`.
import { cp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const site = `${root}site`;
await rm(site, { recursive: true, force: true });
await cp(`${root}web`, site, { recursive: true, filter: (src) => !src.includes('/web/elements') && !src.endsWith('/web/embed.js') && !src.endsWith('/web/worker.js') });
await cp(`${root}dist`, `${site}/dist`, { recursive: true });
for (const f of await readdir(site)) {
  if (!f.endsWith('.html')) continue;
  const html = await readFile(`${site}/${f}`, 'utf8');
  await writeFile(`${site}/${f}`, html.replaceAll('"../dist/', '"./dist/'));
}
console.log(`site: ${site}/index.html (serve the folder with any static server, e.g. node scripts/serve.mjs --root site)`);
