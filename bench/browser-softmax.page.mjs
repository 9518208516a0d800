// The softmax family's timed cases against its peers, shared by Node (bench/softmax.mjs) and Chromium
// (bench/browser-softmax.html, driven by bench/browser-softmax.mjs): plain JS written as a good JS programmer
// would (reused output and scratch buffers; bisection on the threshold over the entries that can be in the
// support; insertion sort for rows of 8) and @tensorflow/tfjs-backend-wasm's softmax. No imports: it runs as is
// in both. Every case first checks that the contenders agree; then they run in interleaved rounds and each keeps
// its best round (load on a shared machine then hits every contender alike).

// ---- plain JS baselines (the only maths allowed outside wasm) --------------------------------------------------

/** softmax of x[off .. off+n) into out (reused), e^{x−max}/Σ. Works for Float64Array and Float32Array. */
export function jsSoftmax(x, out, off = 0, n = x.length) {
  const end = off + n;
  let m = -Infinity;
  for (let i = off; i < end; i++) { const v = x[i]; if (v > m) m = v; }
  let s = 0;
  for (let i = off; i < end; i++) { const e = Math.exp(x[i] - m); out[i] = e; s += e; }
  const inv = 1 / s;
  for (let i = off; i < end; i++) out[i] *= inv;
  return out;
}

/**
 * sparsemax (post 8 §8.6) of a long vector: only y = x − max > −1 can be in the support (τ ∈ [−1, 0)), so those
 * are gathered into `buf` (reused); 60 halvings of τ on Σ relu(y − τ) = 1, then τ exactly from the support found.
 */
export function jsSparsemaxBisect(x, out, buf) {
  const n = x.length;
  let m = -Infinity;
  for (let i = 0; i < n; i++) { const v = x[i]; if (v > m) m = v; }
  let k = 0;
  for (let i = 0; i < n; i++) { const y = x[i] - m; if (y > -1) buf[k++] = y; }
  let lo = -1, hi = 0;
  for (let it = 0; it < 60; it++) {
    const t = 0.5 * (lo + hi);
    let s = 0;
    for (let j = 0; j < k; j++) { const d = buf[j] - t; if (d > 0) s += d; }
    if (s >= 1) lo = t; else hi = t;
  }
  let s = 0, c = 0;
  for (let j = 0; j < k; j++) if (buf[j] > lo) { s += buf[j]; c++; }
  const tau = (s - 1) / c + m;
  for (let i = 0; i < n; i++) { const v = x[i] - tau; out[i] = v > 0 ? v : 0; }
  return out;
}

/**
 * entmax-1.5 (§8.7) of a long vector: z = (x − max)/2, only z > −1 can be in the support (λ ∈ [−1, 0)); 60 halvings
 * of λ on Σ relu(z − λ)² = 1, then λ exactly from the support's quadratic k λ² − 2λΣz + Σz² − 1 = 0.
 */
export function jsEntmax15Bisect(x, out, buf) {
  const n = x.length;
  let m = -Infinity;
  for (let i = 0; i < n; i++) { const v = x[i]; if (v > m) m = v; }
  let k = 0;
  for (let i = 0; i < n; i++) { const z = (x[i] - m) / 2; if (z > -1) buf[k++] = z; }
  let lo = -1, hi = 0;
  for (let it = 0; it < 60; it++) {
    const t = 0.5 * (lo + hi);
    let s = 0;
    for (let j = 0; j < k; j++) { const d = buf[j] - t; if (d > 0) s += d * d; }
    if (s >= 1) lo = t; else hi = t;
  }
  let s1 = 0, s2 = 0, c = 0;
  for (let j = 0; j < k; j++) if (buf[j] > lo) { s1 += buf[j]; s2 += buf[j] * buf[j]; c++; }
  const lambda = (s1 - Math.sqrt(Math.max(s1 * s1 - c * (s2 - 1), 0))) / c;
  for (let i = 0; i < n; i++) { const v = (x[i] - m) / 2 - lambda; out[i] = v > 0 ? v * v : 0; }
  return out;
}

/** Sorts buf[0 .. n) descending in place (insertion sort: the fastest sort for n = 8). */
function sortDesc(buf, n) {
  for (let i = 1; i < n; i++) {
    const v = buf[i];
    let j = i - 1;
    while (j >= 0 && buf[j] < v) { buf[j + 1] = buf[j]; j--; }
    buf[j + 1] = v;
  }
}

/** Row-wise sparsemax over rows of `cols` (the post's sort-based τ: the largest k with z_(k) > (Σ_{i≤k} z_(i) − 1)/k). */
export function jsSparsemaxRows(x, out, cols, buf) {
  for (let off = 0; off < x.length; off += cols) {
    for (let i = 0; i < cols; i++) buf[i] = x[off + i];
    sortDesc(buf, cols);
    let cum = 0, tau = 0;
    for (let k = 1; k <= cols; k++) {
      cum += buf[k - 1];
      const t = (cum - 1) / k;
      if (buf[k - 1] > t) tau = t; else break;
    }
    for (let i = 0; i < cols; i++) { const v = x[off + i] - tau; out[off + i] = v > 0 ? v : 0; }
  }
  return out;
}

/** Row-wise entmax-1.5 (the post's exact sort-based λ_k = μ_k − √(1/k − σ_k²), the first k with λ_k ≥ z_(k+1)). */
export function jsEntmax15Rows(x, out, cols, buf) {
  for (let off = 0; off < x.length; off += cols) {
    for (let i = 0; i < cols; i++) buf[i] = x[off + i] / 2;
    sortDesc(buf, cols);
    let s1 = 0, s2 = 0, lambda = buf[0] - 1;
    for (let k = 1; k <= cols; k++) {
      s1 += buf[k - 1]; s2 += buf[k - 1] * buf[k - 1];
      const mu = s1 / k, l = mu - Math.sqrt(Math.max(1 / k - (s2 / k - mu * mu), 0));
      if (k === cols || l >= buf[k]) { lambda = l; break; }
    }
    for (let i = 0; i < cols; i++) { const v = x[off + i] / 2 - lambda; out[off + i] = v > 0 ? v * v : 0; }
  }
  return out;
}

// ---- timing ------------------------------------------------------------------------------------------------------

/** Standard normal logits from a fixed-seed generator (the native twin uses the same distribution). */
export function normals(n, seed = 1, T = Float64Array) {
  let s = seed >>> 0;
  const u = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 4294967296; };
  const x = new T(n);
  for (let i = 0; i < n; i++) x[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return x;
}

/** Best ms per call of each fn over `rounds` interleaved rounds (each round ≥ minMs of repeated calls). */
export function race(fns, { rounds = 7, minMs = 20 } = {}) {
  for (const f of fns) f(); // warm-up
  const best = fns.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((f, k) => {
      const t0 = performance.now();
      let calls = 0;
      do { f(); calls++; } while (performance.now() - t0 < minMs);
      best[k] = Math.min(best[k], (performance.now() - t0) / calls);
    });
  }
  return best;
}

function agree(what, a, b, tol) {
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  if (!(err <= tol) || a.length !== b.length) throw new Error(`bench softmax: ${what}: results differ by ${err}`);
}

/**
 * Runs every case; returns rows { case, ours, peer, peerName } in ms. `tf` is tfjs-core with the wasm backend
 * already set (or null to skip the tfjs cases).
 */
export async function measure({ pw, tf }) {
  const rows = [];
  const add = (name, peerName, [ours, peer]) => rows.push({ case: name, peerName, ours, peer });

  // softmax, a vector, with a reused output on both sides (float64, then float32 end to end).
  for (const T of [Float64Array, Float32Array]) {
    const tag = T === Float32Array ? 'float32' : 'float64', tol = T === Float32Array ? 1e-6 : 1e-15;
    for (const n of [1e3, 1e5, 1e6]) {
      const x = normals(n, 1, T), out = new T(n), outJs = new T(n);
      agree(`softmax ${tag} ${n}`, pw.softmax(x, { out }), jsSoftmax(x, outJs), tol);
      add(`softmax ${tag} n=${n}`, 'plain JS', race([() => pw.softmax(x, { out }), () => jsSoftmax(x, outJs)]));
    }
  }
  // sparsemax and entmax-1.5, long vectors: against the bisection over the candidates above max − 1.
  for (const n of [1e5, 1e6]) {
    const x = normals(n, 2), out = new Float64Array(n), outJs = new Float64Array(n), buf = new Float64Array(n);
    agree(`sparsemax ${n}`, pw.sparsemax(x, { out }), jsSparsemaxBisect(x, outJs, buf), 1e-12);
    add(`sparsemax float64 n=${n}`, 'plain JS (bisection)', race([() => pw.sparsemax(x, { out }), () => jsSparsemaxBisect(x, outJs, buf)]));
    agree(`entmax15 ${n}`, pw.entmax(x, { out }), jsEntmax15Bisect(x, outJs, buf), 1e-12);
    add(`entmax-1.5 float64 n=${n}`, 'plain JS (bisection)', race([() => pw.entmax(x, { out }), () => jsEntmax15Bisect(x, outJs, buf)]));
  }
  // rows of 8: one batched call against a plain JS loop with an insertion sort in a reused buffer.
  {
    const R = 1e5, C = 8, x = normals(R * C, 7), out = new Float64Array(R * C), outJs = new Float64Array(R * C), buf = new Float64Array(C);
    agree('softmax rows', pw.softmax(x, { cols: C, out }), (() => { for (let o = 0; o < x.length; o += C) jsSoftmax(x, outJs, o, C); return outJs; })(), 1e-15);
    add('softmax rows 1e5×8 float64', 'plain JS', race([() => pw.softmax(x, { cols: C, out }), () => { for (let o = 0; o < x.length; o += C) jsSoftmax(x, outJs, o, C); }]));
    agree('sparsemax rows', pw.sparsemax(x, { cols: C, out }), jsSparsemaxRows(x, outJs, C, buf), 1e-14);
    add('sparsemax rows 1e5×8 float64', 'plain JS (insertion sort)', race([() => pw.sparsemax(x, { cols: C, out }), () => jsSparsemaxRows(x, outJs, C, buf)]));
    agree('entmax rows', pw.entmax(x, { cols: C, out }), jsEntmax15Rows(x, outJs, C, buf), 1e-14);
    add('entmax-1.5 rows 1e5×8 float64', 'plain JS (insertion sort)', race([() => pw.entmax(x, { cols: C, out }), () => jsEntmax15Rows(x, outJs, C, buf)]));
  }
  // tfjs-backend-wasm softmax, float32: end to end (upload, op, read back: a fresh Float32Array on both sides),
  // and tfjs's kernel alone (tensor already uploaded, result left in its memory) for context.
  if (tf) {
    for (const [name, shape] of [['1e6', [1e6]], ['1000×1000', [1000, 1000]]]) {
      const n = shape.reduce((a, b) => a * b), x = normals(n, 3, Float32Array), cols = shape.length === 2 ? shape[1] : undefined;
      const ours = () => pw.softmax(x, { cols });
      const theirs = () => { const t = tf.tensor(x, shape), y = tf.softmax(t), r = y.dataSync(); t.dispose(); y.dispose(); return r; };
      agree(`tfjs softmax ${name}`, ours(), theirs(), 1e-6);
      add(`softmax float32 ${name}, end to end`, 'tfjs-wasm', race([ours, theirs]));
      const t = tf.tensor(x, shape), out = new Float32Array(n);
      add(`softmax float32 ${name}, kernel (tfjs: op on an uploaded tensor; ours: with opts.out)`, 'tfjs-wasm',
        race([() => pw.softmax(x, { cols, out }), () => tf.softmax(t).dispose()]));
      t.dispose();
    }
  }
  return rows;
}
