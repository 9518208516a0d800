// One comparison run of the MLP DDIM sampler (issue 11): probwasm's sampleDiffusion (fused float32 kernel)
// against tfjs-backend-wasm and onnxruntime-web on the same problem (mlp-problem.mjs), outputs checked for
// agreement first, then timed in interleaved rounds (each round runs every contender once, in a rotated
// order, so load on a shared machine hits all of them alike); the medians are reported. Runs unchanged in
// Node and in a page: the libraries are passed in.
import { mlpProblem, maxGap, median } from './mlp-problem.mjs';
import { tfjsWasm, tfjsSampler } from './mlp-tfjs.mjs';
import { ortWasm, onnxSampler } from './mlp-onnx.mjs';

export async function runComparison({ pw, tf, tfWasm, tfWasmPath, ort, ortWasmPath, rounds = 5, count = 10000, general = false, shape = {} }) {
  // shape: { dim, hidden, embed, steps } of the problem (mlp-problem.mjs defaults: the 2-D MLP, 50 steps)
  const p = mlpProblem(pw, { count, ...shape });
  const tfInfo = await tfjsWasm(tf, tfWasm, tfWasmPath);
  const ortInfo = ortWasm(ort, ortWasmPath);
  const tfs = tfjsSampler(tf, p);
  const onnx = await onnxSampler(ort, p);
  const scheduler = { clipSample: false };
  const ours = (fused) => () => pw.sampleDiffusion({ model: p.mlp, scheduler, steps: p.stepsCount, count, seed: p.seed, noise: p.xT, fused });
  const contenders = [
    { name: 'probwasm', run: ours(true) },
    { name: 'tfjs-wasm', run: () => tfs.run() },
    { name: 'onnxruntime-web', run: () => onnx.run() },
  ];
  if (general) contenders.push({ name: 'probwasm (fused: false)', run: ours(false) });
  try {
    // Agreement (and warm-up): every output against probwasm's general path (float32 network, float64 update).
    const ref = await ours(false)();
    const agree = {};
    for (const c of contenders) agree[c.name] = maxGap(await c.run(), ref);
    const times = Object.fromEntries(contenders.map((c) => [c.name, []]));
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < contenders.length; i++) {
        const c = contenders[(i + r) % contenders.length];
        const t0 = performance.now();
        await c.run();
        times[c.name].push(performance.now() - t0);
      }
    }
    return {
      versions: { tfjs: tf.version_core, tfjsWasm: tfWasm.version_wasm, ort: ortInfo.version },
      setup: { tfjs: tfInfo, ort: ortInfo, count, steps: p.stepsCount, rounds },
      agree,
      median: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])),
      times,
    };
  } finally {
    tfs.dispose();
    await onnx.dispose();
    p.mlp.dispose();
  }
}

/** The comparison in this Node process, with the devDependencies' packages. */
export async function compareNode(pw, opts = {}) {
  const tf = await import('@tensorflow/tfjs-core');
  const tfWasm = await import('@tensorflow/tfjs-backend-wasm');
  const ort = await import('onnxruntime-web');
  return runComparison({ pw, tf, tfWasm, ort: ort.default ?? ort, ...opts });
}
