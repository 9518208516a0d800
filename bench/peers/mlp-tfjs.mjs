// The MLP DDIM sampler as a good tfjs user writes it: @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD, one
// thread), weights uploaded once, each layer one tf.fused.matMul with its bias fused (the time features' part
// of layer 1 is that step's bias c1), SiLU as z·sigmoid(z), every step inside tf.tidy, x kept on the backend
// and read back once at the end. `tf` is passed in (Node: the packages; browser: the UMD globals), so the
// same code runs in both.

/**
 * Switches tf to the wasm backend with one thread. `wasm` is @tensorflow/tfjs-backend-wasm's module (tf.wasm
 * in the browser bundle); `wasmPath` the folder of its .wasm files (browser only).
 */
export async function tfjsWasm(tf, wasm, wasmPath) {
  if (wasmPath) wasm.setWasmPaths(wasmPath);
  wasm.setThreadsCount?.(1);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
  return { backend: tf.getBackend(), simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: wasm.getThreadsCount?.() ?? 1 };
}

/** A sampler for the problem of mlp-problem.mjs: run() → Float32Array count×D; dispose() frees the tensors. */
export function tfjsSampler(tf, p) {
  const { D, H, views, steps, xT, count } = p;
  const W1x = tf.tensor2d(views.W1x, [D, H]);
  const W2 = tf.tensor2d(views.W2, [H, H]);
  const b2 = tf.tensor1d(views.b2);
  const W3 = tf.tensor2d(views.W3, [H, D]);
  const b3 = tf.tensor1d(views.b3);
  const c1 = steps.map((s) => tf.tensor1d(s.c1));
  const coef = steps.map((s) => ['sb', 'sa', 'saP', 'dir'].map((k) => tf.scalar(s[k])));
  const silu = (z) => tf.mul(z, tf.sigmoid(z));
  return {
    run() {
      let x = tf.tensor2d(xT, [count, D]);
      for (let s = 0; s < steps.length; s++) {
        const next = tf.tidy(() => {
          const h1 = silu(tf.fused.matMul({ a: x, b: W1x, bias: c1[s] }));
          const h2 = silu(tf.fused.matMul({ a: h1, b: W2, bias: b2 }));
          const eps = tf.fused.matMul({ a: h2, b: W3, bias: b3 });
          const [sb, sa, saP, dir] = coef[s];
          const x0 = tf.div(tf.sub(x, tf.mul(sb, eps)), sa);
          return tf.add(tf.mul(saP, x0), tf.mul(dir, eps));
        });
        x.dispose();
        x = next;
      }
      const out = x.dataSync();
      x.dispose();
      return out;
    },
    dispose() {
      for (const t of [W1x, W2, b2, W3, b3, ...c1, ...coef.flat()]) t.dispose();
    },
  };
}
