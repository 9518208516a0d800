// Build-time asset for the wobert topic: jieba's dictionary from the npm devDependency @node-rs/jieba
// (MIT; its dict.txt is jieba's dict.txt, 349,045 entries), gzip-compressed for the page, which loads
// it lazily (bindings/js/wobert.js loadJiebaDictionary). Usage: node scripts/assets-wobert.mjs <outdir>
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const out = process.argv[2];
if (!out) throw new Error('usage: node scripts/assets-wobert.mjs <outdir>');
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@node-rs/jieba/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const dict = readFileSync(join(pkgDir, 'dict.txt'));
const gz = gzipSync(dict, { level: constants.Z_BEST_COMPRESSION });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'jieba-dict.txt.gz'), gz);
writeFileSync(join(out, 'jieba-dict.json'), JSON.stringify({
  source: `${pkg.name}@${pkg.version}/dict.txt`,
  license: pkg.license,
  entries: dict.toString('utf8').split('\n').filter((l) => l.trim()).length,
  bytes: dict.length,
  gzipBytes: gz.length,
  sha256: createHash('sha256').update(dict).digest('hex'),
}, null, 2) + '\n');
