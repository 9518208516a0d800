// Diffusion (post 4): the whole DDIM sampling loop, 10^4 points × 50 steps, with the 2→128→128→2 MLP ε-model
// and with the exact ε* of the 3×3 grid mixture; wasm (pw.sampleDiffusion) vs native (bench_diffusion) vs a
// plain-JS MLP + DDIM loop (the only place numerics are written in JS, as a baseline). The MLP sampler is also
// compared with its peers, tfjs-backend-wasm and onnxruntime-web (bench/peers/mlp-*.mjs), in Node and in
// Chromium.
import { bestMs, pairedTimes, table, ms, ratio } from './lib.mjs';
import { compareNode } from './peers/mlp-compare.mjs';
import { compareChromium } from './peers/mlp-browser.mjs';
import { imagesSection } from './diffusion-images.mjs';

// Plain JS, written as a good JS programmer would: the same network (weights exported from wasm, the same
// column-major layout) and DDIM η = 0 step; buffers reused; the time features' layer-1 contribution folded
// into the bias once per step (it is the same for every point); every layer as column-wise axpy, so the inner
// loop walks contiguous memory; the step's square roots computed once.
function jsSample(weights, { dim = 2, hidden: H = 128, embed: E = 16 }, alphas, timesteps, prev, finalAlpha, count, xT) {
  const I = dim + E;
  const W1 = 0, b1 = H * I, W2 = b1 + H, b2 = W2 + H * H, W3 = b2 + H, b3 = W3 + dim * H;
  const w = weights, T = alphas.length, half = E / 2;
  const x = Float64Array.from(xT), bias1 = new Float64Array(H), h1 = new Float64Array(H), h2 = new Float64Array(H);
  const eps = new Float64Array(dim);
  for (let s = 0; s < timesteps.length; s++) {
    const t = timesteps[s], aT = alphas[t], aP = prev[s] >= 0 ? alphas[prev[s]] : finalAlpha;
    const tt = 1000 * (t / T);
    for (let r = 0; r < H; r++) bias1[r] = w[b1 + r];
    for (let k = 0; k < half; k++) {
      const f = Math.exp((-Math.log(10000) * k) / half), sn = Math.sin(tt * f), cs = Math.cos(tt * f);
      const cS = W1 + (dim + k) * H, cC = W1 + (dim + half + k) * H;
      for (let r = 0; r < H; r++) bias1[r] += w[cS + r] * sn + w[cC + r] * cs;
    }
    const sT = Math.sqrt(1 - aT), rT = Math.sqrt(aT), sP = Math.sqrt(aP), s1P = Math.sqrt(1 - aP);
    for (let p = 0; p < count; p++) {
      h1.set(bias1);
      for (let c = 0; c < dim; c++) { const v = x[p * dim + c], col = W1 + c * H; for (let r = 0; r < H; r++) h1[r] += w[col + r] * v; }
      for (let r = 0; r < H; r++) { const z = h1[r]; h1[r] = z / (1 + Math.exp(-z)); }
      for (let r = 0; r < H; r++) h2[r] = w[b2 + r];
      for (let c = 0; c < H; c++) { const v = h1[c], col = W2 + c * H; for (let r = 0; r < H; r++) h2[r] += w[col + r] * v; }
      for (let r = 0; r < H; r++) { const z = h2[r]; h2[r] = z / (1 + Math.exp(-z)); }
      for (let r = 0; r < dim; r++) eps[r] = w[b3 + r];
      for (let c = 0; c < H; c++) { const v = h2[c], col = W3 + c * dim; for (let r = 0; r < dim; r++) eps[r] += w[col + r] * v; }
      for (let j = 0; j < dim; j++) {
        const k = p * dim + j, x0 = (x[k] - sT * eps[j]) / rT;
        x[k] = sP * x0 + s1P * eps[j];
      }
    }
  }
  return x;
}

const fmtRatio = (peer, ours) => (peer > 0 && ours > 0 ? `${(peer / ours).toFixed(2)}×` : '–');
const winner = (peer, ours) => (peer > ours ? 'probwasm' : 'peer');

/** The MLP sampler against tfjs-wasm and onnxruntime-web, Node and Chromium, plus the kernel's wasm ÷ native. */
async function peerSection(pw, native, twin) {
  const rounds = 5;
  const envs = [['Node ' + process.version, await compareNode(pw, { rounds, general: true })]];
  try {
    const c = await compareChromium({ rounds });
    envs.push([c.browser, c]);
  } catch (e) {
    envs.push([`Chromium (failed: ${e.message.split('\n')[0]})`, null]);
  }
  const v = envs[0][1].versions;
  const tfName = `@tensorflow/tfjs-backend-wasm ${v.tfjsWasm} (+ tfjs-core ${v.tfjs})`, ortName = `onnxruntime-web ${v.ort}`;
  const rows = [];
  for (const [env, r] of envs) {
    if (!r) { rows.push([env, '–', '–', '–', '–', '–', '–']); continue; }
    const m = r.median, ours = m.probwasm;
    rows.push([env, ms(ours), ms(m['tfjs-wasm']), `${fmtRatio(m['tfjs-wasm'], ours)} (${winner(m['tfjs-wasm'], ours)})`,
      ms(m['onnxruntime-web']), `${fmtRatio(m['onnxruntime-web'], ours)} (${winner(m['onnxruntime-web'], ours)})`,
      m['probwasm (fused: false)'] === undefined ? '–' : ms(m['probwasm (fused: false)'])]);
  }
  const agree = envs[0][1].agree;
  const gap = (k) => `${agree[k].gap.toExponential(1)} (of max |x| ${agree[k].scale.toFixed(1)})`;
  const checksum = native['mlp fused checksum'], twinChecksum = twin['mlp fused checksum'];
  return `### MLP sampler against its peers

2 inputs (+16 time features) → 128 → 128 → 2, SiLU, float32; 10⁴ points × 50 DDIM steps, η = 0; the same
float32 weights, the same x_T and the same update in every contender (bench/peers/mlp-problem.mjs). probwasm
is \`pw.sampleDiffusion\` (fused float32 kernel, the default for an MLP with sampler 'ddim'); the peers are
written as their best users would: ${tfName} with \`tf.fused.matMul\` (bias fused) + z·sigmoid(z) inside
\`tf.tidy\`, SIMD, 1 thread (bench/peers/mlp-tfjs.mjs); ${ortName}, wasm EP, SIMD, 1 thread, graph optimisation
'all', one ONNX graph (Gemm + Sigmoid + Mul, the DDIM update in the graph) built in JS and run once per step
(bench/peers/mlp-onnx.mjs). Both peers get the time features' layer-1 contribution as that step's bias, as
probwasm folds it. Median of ${rounds} interleaved rounds (each round runs every contender once, rotated order),
in ms; ratio = peer time ÷ probwasm time (> 1: probwasm wins).

| environment | probwasm ms | tfjs-wasm ms | ratio (winner) | onnxruntime-web ms | ratio (winner) | probwasm \`fused: false\` ms |
| --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}

Agreement (Node), max |x − general path| over the 2·10⁴ outputs: probwasm fused ${gap('probwasm')}, tfjs ${gap('tfjs-wasm')},
onnxruntime-web ${gap('onnxruntime-web')}: float32 rounding carried through 50 steps.

The fused kernel as C++ (bench/native/diffusion.cpp, case \`mlp fused 1e4 x 50 ddim\`): native g++ -O3
${ms(native['mlp fused 1e4 x 50 ddim'])} ms, the same program in wasm (em++ -O3 -msimd128) ${ms(twin['mlp fused 1e4 x 50 ddim'])} ms:
wasm ÷ native = ${ratio(twin['mlp fused 1e4 x 50 ddim'], native['mlp fused 1e4 x 50 ddim'])}. Samples bit-identical native vs wasm:
${checksum !== undefined && checksum === twinChecksum ? 'yes' : 'no'} (checksums ${checksum} / ${twinChecksum}).

Command: \`npm run bench\` (or \`node bench/run.mjs diffusion\` after \`bash scripts/build.sh bench\`).`;
}

export async function run({ pw }) {
  const { native, twin } = pairedTimes('diffusion', { runs: 2 });
  const scheduler = { clipSample: false };
  const mlp = pw.mlpDenoiser({ dim: 2, hidden: 128, embed: 16, seed: 1 });
  const grid = pw.diffusionPreset('grid');
  const gm = pw.gaussianMixture(grid);
  try {
    const N = 10000;
    const wMlp = bestMs(() => pw.sampleDiffusion({ model: mlp, scheduler, steps: 50, count: N, seed: 1, fused: false }), { reps: 3 });
    const wFused = bestMs(() => pw.sampleDiffusion({ model: mlp, scheduler, steps: 50, count: N, seed: 1 }), { reps: 3 });
    const wGmm = bestMs(() => pw.sampleDiffusion({ model: gm, scheduler, steps: 50, count: N, seed: 1 }), { reps: 3 });
    const a = gm.sample(N, { seed: 1 }), b = gm.sample(N, { seed: 2 });
    const wSw = bestMs(() => pw.slicedWasserstein(a, b, 2, { projections: 256, seed: 1 }), { reps: 3 });

    // Plain JS, same schedule (read from the reference scheduler) and the same x_T as the wasm run.
    const s = new pw.DDIMScheduler(scheduler);
    s.setTimesteps(50);
    const ts = s.timesteps, prev = Int32Array.from(ts, (t) => s.previousTimestep(t));
    const alphas = Float64Array.from(s.alphasCumprod), fin = s.finalAlphaCumprod;
    s.dispose();
    const xT = pw.diffusionTrajectory({ model: gm, scheduler, steps: 1, count: N, seed: 1 }).xs.subarray(0, 2 * N);
    let xJs;  // warmed up and timed like the wasm cases (best of 2 after one warm-up run)
    const jsMlp = bestMs(() => { xJs = jsSample(mlp.weights, mlp.shape, alphas, ts, prev, fin, N, xT); }, { reps: 2 });
    // Agreement check of the baseline with wasm (float32 network vs float64 JS): report the largest gap.
    const xW = pw.sampleDiffusion({ model: mlp, scheduler, steps: 50, count: N, seed: 1, fused: false });
    let gap = 0;
    for (let i = 0; i < xW.length; i++) gap = Math.max(gap, Math.abs(xW[i] - xJs[i]));

    const rows = [
      ['MLP 2→128→128→2, 10⁴ points × 50 DDIM steps, general path (`fused: false`)', ms(wMlp), ms(native['mlp 1e4 x 50 ddim']), ms(jsMlp), ratio(wMlp, native['mlp 1e4 x 50 ddim']), ratio(jsMlp, wMlp)],
      ['the same, fused float32 kernel (default)', ms(wFused), ms(native['mlp fused 1e4 x 50 ddim']), ms(jsMlp), ratio(wFused, native['mlp fused 1e4 x 50 ddim']), ratio(jsMlp, wFused)],
      ['exact ε* of the 3×3 grid, 10⁴ × 50', ms(wGmm), ms(native['gmm9 1e4 x 50 ddim']), '–', ratio(wGmm, native['gmm9 1e4 x 50 ddim']), '–'],
      ['sliced W₂, 10⁴ vs 10⁴ points, 256 projections', ms(wSw), ms(native['sw 1e4 vs 1e4 x 256']), '–', ratio(wSw, native['sw 1e4 vs 1e4 x 256']), '–'],
    ];
    return `${table(['case', 'wasm ms', 'native ms', 'plain JS ms', 'wasm / native', 'JS / wasm'], rows)}

Target: wasm ≤ 1.6× native on the MLP case. The plain-JS MLP (float64, best of 2) agrees with the wasm
float32 samples to ${gap.toExponential(1)} (max abs).

${await peerSection(pw, native, twin)}

${await imagesSection(pw, native, twin)}`;
  } finally {
    mlp.dispose();
    gm.dispose();
  }
}
