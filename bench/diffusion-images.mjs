// <pw-images> (issue 16): 64 images × 20 DDIM steps with the shipped 8×8-digit ε-model (64 + 32 → 256 → 256 →
// 64), the widget's grid, in Node and in headless Chromium (pw.sampleDiffusion, fused kernel, no x̂₀ clipping as
// the page runs it), against the same C++ natively and as a wasm program (bench/native/diffusion.cpp, case
// "images 64 x 20 ddim"). Imported by bench/diffusion.mjs; `node bench/diffusion-images.mjs` runs it alone.
import { loadavg } from 'node:os';
import { bestMs, pairedTimes, table, ms, ratio } from './lib.mjs';
import { compareNode } from './peers/mlp-compare.mjs';
import { openChromium } from './chromium.mjs';

const OPTS = { scheduler: { clipSample: false }, steps: 20, count: 64, seed: 1 };

/** Best-of-15 ms of the grid in headless Chromium, or null when Chromium or playwright-core is missing. */
async function chromiumMs() {
  const c = await openChromium('/bench-images.html', { pages: { '/bench-images.html': '<!doctype html><title>bench</title>' } });
  if (!c) return null;
  try {
    return await c.tab.evaluate(async (opts) => {
      const { load } = await import('/dist/index.js');
      const pw = await load({ topics: ['diffusion'] });
      const model = await pw.imageDenoiser();
      for (let k = 0; k < 3; k++) pw.sampleDiffusion({ ...opts, model });  // warm-up
      let best = Infinity;
      for (let k = 0; k < 15; k++) {
        const t0 = performance.now();
        pw.sampleDiffusion({ ...opts, model });
        best = Math.min(best, performance.now() - t0);
      }
      return { ms: best, ua: navigator.userAgent.match(/Chrom[ea]\S*/)?.[0] ?? 'Chromium' };
    }, OPTS);
  } finally {
    await c.close();
  }
}

export async function imagesSection(pw, native = null, twin = null) {
  if (!native) ({ native, twin } = pairedTimes('diffusion', { runs: 2 }));
  const model = await pw.imageDenoiser();
  try {
    const node = bestMs(() => pw.sampleDiffusion({ ...OPTS, model }), { reps: 15 });
    const chrome = await chromiumMs().catch(() => null);
    const nat = native['images 64 x 20 ddim'], prog = twin['images 64 x 20 ddim'];
    // The same network shape against its peers in Node (random weights, no clipping: the peers' update is
    // plain DDIM), interleaved rounds, medians (bench/peers/mlp-compare.mjs).
    let peers = null;
    try {
      peers = await compareNode(pw, { rounds: 15, count: 64, shape: { dim: 64, hidden: 256, embed: 32, steps: 20 } });
    } catch (e) {
      peers = { error: e.message.split('\n')[0] };
    }
    const rows = [
      ['Node ' + process.version + ', pw.sampleDiffusion', ms(node), nat === undefined ? '–' : ms(nat), nat === undefined ? '–' : ratio(node, nat)],
      [chrome ? `${chrome.ua} (headless), pw.sampleDiffusion` : 'Chromium (unavailable)', chrome ? ms(chrome.ms) : '–', nat === undefined ? '–' : ms(nat), chrome && nat !== undefined ? ratio(chrome.ms, nat) : '–'],
      ['wasm program (bench_diffusion.cjs, same C++), Node', prog === undefined ? '–' : ms(prog), nat === undefined ? '–' : ms(nat), prog === undefined || nat === undefined ? '–' : ratio(prog, nat)],
    ];
    return `### Images: 64 digits × 20 DDIM steps (<pw-images>' grid)

The shipped ε-model (64 pixels + 32 time features → 256 → 256 → 64, SiLU, float32 from float16 storage),
64 samples × 20 DDIM steps (η = 0, no x̂₀ clipping, as the page runs it), fused kernel; best of 15 after warm-up. Native: g++ -O3, the
same kernel and shape (random weights). Target ≤ 150 ms in Chromium. Load average during this run:
${loadavg()[0].toFixed(1)} on this machine's cores.

${table(['where', 'ms', 'native ms', 'wasm / native'], rows)}

The same network shape against its peers in Node (random weights, DDIM η = 0 without clipping, 64 × 20, the
peers written as in the MLP section above; medians of 15 interleaved rounds; outputs agree with probwasm's
general path to ${peers?.agree ? Object.entries(peers.agree).map(([k, a]) => `${a.gap.toExponential(1)} (${k})`).join(', ') : '–'}):

${peers?.median ? table(['contender', 'median ms', 'ratio to probwasm'], Object.entries(peers.median).map(([k, v]) => [k, ms(v), ratio(v, peers.median.probwasm)]))
    : `not measured (${peers?.error})`}`;
  } finally {
    model.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { load } = await import('probwasm');
  console.log(await imagesSection(await load()));
}
