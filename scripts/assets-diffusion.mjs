// Build-time asset of the diffusion topic (issue 16): the <pw-images> bundle digits-models.bin (float16
// ε-model + classifier + the 8×8 digits, src/diffusion/images.hpp) and digits-models.json (provenance).
// The weights are trained by our own C++ (tools/train_images.cpp, single-threaded, seeded) on the digits of
// Debian's python3-sklearn (scripts/fetch-digits.sh), and cached in build/assets-cache/ under the SHA-256 of
// everything that determines them (the data, the trainer's sources, its arguments): a build with a warm
// cache copies the file; a cold one trains (about 2.5 min of one core on an idle machine).
//   node scripts/assets-diffusion.mjs <outdir>   the build's step (scripts/build.sh): train only when missing
//   node scripts/assets-diffusion.mjs --train    npm run train:images: train again, print the loss curve
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// eps iterations, classifier iterations, seed, hidden width (tools/train_images.cpp's arguments)
const ARGS = ['16000', '3000', '1', '256'];
const INPUTS = ['build/data/digits.csv', 'tools/train_images.cpp', 'src/diffusion/images.hpp', 'src/diffusion/images.cpp',
  'src/diffusion/mlp.hpp', 'src/diffusion/mlp.cpp', 'src/common/prng.hpp'];

const train = process.argv[2] === '--train';
const out = train ? null : process.argv[2];
if (!train && !out) throw new Error('usage: node scripts/assets-diffusion.mjs <outdir> | --train');

execFileSync('bash', [join(root, 'scripts/fetch-digits.sh'), join(root, 'build/data')], { stdio: 'inherit' });
const h = createHash('sha256');
for (const f of INPUTS) h.update(f).update(readFileSync(join(root, f)));
h.update(ARGS.join(' '));
const key = h.digest('hex').slice(0, 16);
const cache = join(root, 'build/assets-cache');
const bin = join(cache, `digits-models-${key}.bin`), log = join(cache, `digits-models-${key}.jsonl`);

if (train || !existsSync(bin)) {
  const tree = join(root, 'build/train-images');
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`assets-diffusion: ${cmd} ${args.join(' ')} failed`);
  };
  if (!existsSync(join(tree, 'CMakeCache.txt'))) {
    run('cmake', ['-S', '.', '-B', tree, '-DPW_TOPICS=softmax;diffusion', '-DCMAKE_BUILD_TYPE=Release']);
  }
  run('cmake', ['--build', tree, '-j2', '--target', 'train_images']);
  mkdirSync(cache, { recursive: true });
  console.error(`assets-diffusion: training the <pw-images> models (${ARGS.join(' ')}), key ${key}`);
  const r = spawnSync(join(tree, 'train_images'), [join(root, 'build/data/digits.csv'), `${bin}.tmp`, ...ARGS],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('assets-diffusion: train_images failed');
  writeFileSync(log, r.stdout);
  renameSync(`${bin}.tmp`, bin);
  if (train) process.stdout.write(r.stdout);
}

if (out) {
  mkdirSync(out, { recursive: true });
  copyFileSync(bin, join(out, 'digits-models.bin'));
  const bytes = readFileSync(bin);
  const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
  writeFileSync(join(out, 'digits-models.json'), JSON.stringify({
    data: 'UCI Optical Recognition of Handwritten Digits (Alpaydin & Kaynak 1998), 8×8 version as in Debian python3-sklearn ' +
      `(${readFileSync(join(root, 'build/data/digits.source'), 'utf8').trim()}); CC BY 4.0, doi:10.24432/C50P49`,
    license: 'CC-BY-4.0 (data); MIT (weights, trained by tools/train_images.cpp)',
    split: 'row i of digits.csv is held out when i % 5 == 4 (359 images), trained on otherwise (1438)',
    trainer: `tools/train_images.cpp ${ARGS.join(' ')}`,
    key,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    losses: lines.filter((l) => l.model),
    summary: lines.find((l) => l.summary) ?? null,
  }, null, 2) + '\n');
}
