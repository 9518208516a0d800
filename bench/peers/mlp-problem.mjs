// The MLP sampler benchmark of issue 11, as plain data every contender receives: the ε-model's float32
// weights (exported from probwasm, layout of src/diffusion/mlp.hpp: W1 (H×I), b1, W2 (H×H), b2, W3 (D×H), b3,
// column-major blocks), the 50 DDIM steps (ᾱ from the reference scheduler, in float32 as diffusers keeps
// them), the time features' folded layer-1 bias per step, and x_T. The peers compute the same network and
// the same η = 0 update: x̂0 = (x − √(1−ᾱ_t) ε̂)/√ᾱ_t, x_prev = √ᾱ_prev x̂0 + √(1−ᾱ_prev) ε̂.

/**
 * Builds the problem from a loaded probwasm (any environment): { D, H, E, weights, views, steps, xT, count }.
 * `views` are the weight blocks as row-major matrices for x·W products ([in, out]); `steps[s]` holds the
 * update's float32 coefficients and `c1` = b1 + W1_t·emb(t_s) (Float32Array H), computed here in float64.
 */
export function mlpProblem(pw, { count = 10000, steps = 50, seed = 1, hidden = 128, embed = 16, dim = 2 } = {}) {
  const D = dim, H = hidden, E = embed, I = D + E;
  const mlp = pw.mlpDenoiser({ dim: D, hidden: H, embed: E, seed });
  const weights = mlp.weights;
  const s = new pw.DDIMScheduler({ clipSample: false });
  let ac, ts, prev, fin;
  try {
    s.setTimesteps(steps);
    ts = s.timesteps;
    prev = Int32Array.from(ts, (t) => s.previousTimestep(t));
    ac = Float64Array.from(s.alphasCumprod);
    fin = s.finalAlphaCumprod;
  } finally {
    s.dispose();
  }
  // x_T: the sampler's own seeded N(0, I) start (frame 0 of a one-step trajectory of any model).
  const g = pw.gaussianMixture({ weights: [1], means: [Array(D).fill(0)], stds: 1 });
  const xT = pw.diffusionTrajectory({ model: g, scheduler: { clipSample: false }, steps: 1, count, seed }).xs.slice(0, count * D);
  g.dispose();
  // Column-major H×I is row-major I×H: x (n×I) · W1ᵀ reads it directly, and likewise W2 (H×H) and W3 (D×H → H×D).
  const at = { W1: 0, b1: H * I, W2: H * I + H, b2: H * I + H + H * H, W3: H * I + 2 * H + H * H, b3: H * I + 2 * H + H * H + D * H };
  const views = {
    W1x: weights.subarray(at.W1, at.W1 + D * H),  // [D, H]
    W1t: weights.subarray(at.W1 + D * H, at.b1),  // [E, H]
    b1: weights.subarray(at.b1, at.W2),
    W2: weights.subarray(at.W2, at.b2),           // [H, H]
    b2: weights.subarray(at.b2, at.W3),
    W3: weights.subarray(at.W3, at.b3),           // [H, D]
    b3: weights.subarray(at.b3, at.b3 + D),
  };
  const T = ac.length, half = E / 2;
  const stepList = Array.from(ts, (t, i) => {
    const aT = ac[t], aP = prev[i] >= 0 ? ac[prev[i]] : fin;
    // Transformer features of t = 1000·t01 (t01 rounded to float32 as the network's input), folded into b1.
    const tt = 1000 * Math.fround(t / T);
    const emb = new Float32Array(E);
    for (let k = 0; k < half; k++) {
      const f = Math.exp((-Math.log(10000) * k) / half);
      emb[k] = Math.sin(tt * f);
      emb[half + k] = Math.cos(tt * f);
    }
    const c1 = new Float32Array(H);
    for (let u = 0; u < H; u++) {
      let z = views.b1[u];
      for (let c = 0; c < E; c++) z += views.W1t[c * H + u] * emb[c];
      c1[u] = z;
    }
    return { t, c1, sb: Math.fround(Math.sqrt(1 - aT)), sa: Math.fround(Math.sqrt(aT)), saP: Math.fround(Math.sqrt(aP)), dir: Math.fround(Math.sqrt(1 - aP)) };
  });
  return { D, H, E, mlp, weights, views, steps: stepList, xT, count, stepsCount: steps, seed };
}

/** Largest |a − b| and the largest |b| (for a relative reading). */
export function maxGap(a, b) {
  let gap = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { gap, scale };
}

/** Median of an array of numbers. */
export function median(v) {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
