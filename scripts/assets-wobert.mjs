// Build-time assets for the wobert topic: jieba's dictionary from the npm devDependency @node-rs/jieba
// (MIT; its dict.txt is jieba's dict.txt, 349,045 entries),
//  - gzip-compressed text for loadJiebaDictionary() (the page decompresses it; any user dictionary works
//    the same way), and
//  - compiled (issue 11.5): the "PWJT" prefix-dictionary trie of src/wobert/jieba_trie.hpp, written by our
//    own C++ — the wobert wasm module just built, run here in Node: new JiebaSegmenter(text).toBinary() —
//    for loadJiebaSegmenter(), which copies it into wasm memory once and parses nothing. Running the
//    module itself (not a native tool) means the asset comes from the exact code the page runs and needs
//    no native build tree; the bytes are platform-independent (integers only, little-endian).
// Usage: node scripts/assets-wobert.mjs <outdir> [<package dir>]   (package dir: where load.js and
// modules/ are; default <outdir>/../.., which is the dist staging folder when build.sh runs this)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const out = process.argv[2];
if (!out) throw new Error('usage: node scripts/assets-wobert.mjs <outdir> [<package dir>]');
const pkgOut = resolve(process.argv[3] ?? join(out, '..', '..'));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@node-rs/jieba/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const dict = readFileSync(join(pkgDir, 'dict.txt'));
const gz = gzipSync(dict, { level: constants.Z_BEST_COMPRESSION });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'jieba-dict.txt.gz'), gz);

const loader = join(pkgOut, 'load.js');
if (!existsSync(loader)) throw new Error(`assets-wobert: ${loader} is missing: build the wasm modules first (scripts/build.sh dist)`);
const { load } = await import(pathToFileURL(loader).href);
const pw = await load({ topics: ['wobert'] });
const seg = new pw.JiebaSegmenter(dict.toString('utf8'));
const trie = seg.toBinary();
const info = { words: seg.words, total: seg.total, memoryBytes: seg.memoryBytes };
seg.dispose();
// gzip for the wire (loadJiebaSegmenter decompresses it into wasm memory): GNU gzip -9 -n packs this blob
// 15% smaller than Node's zlib at level 9 (2.26 vs 2.67 MB); zlib if gzip is missing. -n: no name or time,
// so the asset is reproducible.
let trieGz;
try {
  trieGz = execFileSync('gzip', ['-9', '-n', '-c'], { input: trie, maxBuffer: 1 << 28 });
} catch {
  trieGz = gzipSync(trie, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
}
writeFileSync(join(out, 'jieba-dict.pwjt.gz'), trieGz);

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
writeFileSync(join(out, 'jieba-dict.json'), JSON.stringify({
  source: `${pkg.name}@${pkg.version}/dict.txt`,
  license: pkg.license,
  entries: dict.toString('utf8').split('\n').filter((l) => l.trim()).length,
  bytes: dict.length,
  gzipBytes: gz.length,
  sha256: sha256(dict),
  compiled: {
    file: 'jieba-dict.pwjt.gz',
    format: 'PWJT version 1 (src/wobert/jieba_trie.hpp), gzip',
    bytes: trie.length,
    gzipBytes: trieGz.length,
    sha256: sha256(trie),
    ...info,
  },
}, null, 2) + '\n');
