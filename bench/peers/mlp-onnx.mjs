// The MLP DDIM sampler with onnxruntime-web (wasm EP, one thread, SIMD): one ONNX graph per step built here
// in JS (a minimal protobuf encoder: no Python on this machine), Gemm + Sigmoid + Mul for the layers and the
// DDIM update inside the graph (one session.run per step, x fed back). Inputs: x [n, D], the step's folded
// layer-1 bias c1 [H] and the update's four coefficients ([1] each); weights are initializers. `ort` is passed in.

// ---- protobuf writer (the wire format: varint keys, length-delimited submessages) ----------------------
const enc = new TextEncoder();
function varint(n, out) {
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
}
const key = (field, wire, out) => varint((field << 3) | wire, out);
function bytes(field, data, out) {
  key(field, 2, out);
  varint(data.length, out);
  for (const b of data) out.push(b);
}
const str = (field, s, out) => bytes(field, enc.encode(s), out);
const msg = (field, build, out) => { const m = []; build(m); bytes(field, m, out); };
const int = (field, v, out) => { key(field, 0, out); varint(v, out); };

// onnx.proto: TensorProto { dims 1, data_type 2 (FLOAT = 1), name 8, raw_data 9 }
function tensor(field, name, dims, data, out) {
  msg(field, (m) => {
    for (const d of dims) int(1, d, m);
    int(2, 1, m);
    str(8, name, m);
    bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), m);
  }, out);
}
// ValueInfoProto { name 1, type 2: TypeProto { tensor_type 1: { elem_type 1, shape 2: { dim 1: { dim_value 1 } } } } }
function valueInfo(field, name, dims, out) {
  msg(field, (m) => {
    str(1, name, m);
    msg(2, (t) => msg(1, (tt) => {
      int(1, 1, tt);
      msg(2, (sh) => { for (const d of dims) msg(1, (dm) => int(1, d, dm), sh); }, tt);
    }, t), m);
  }, out);
}
// NodeProto { input 1, output 2, name 3, op_type 4 }
function node(op, inputs, outputs, out) {
  msg(1, (m) => {
    for (const i of inputs) str(1, i, m);
    for (const o of outputs) str(2, o, m);
    str(3, `${op}_${outputs[0]}`, m);
    str(4, op, m);
  }, out);
}

/** The per-step graph as ONNX bytes (opset 17). */
export function mlpStepModel({ D, H, views }, n) {
  const graph = [];
  node('Gemm', ['x', 'W1x', 'c1'], ['z1'], graph);
  node('Sigmoid', ['z1'], ['s1'], graph);
  node('Mul', ['z1', 's1'], ['h1'], graph);
  node('Gemm', ['h1', 'W2', 'b2'], ['z2'], graph);
  node('Sigmoid', ['z2'], ['s2'], graph);
  node('Mul', ['z2', 's2'], ['h2'], graph);
  node('Gemm', ['h2', 'W3', 'b3'], ['eps'], graph);
  // x̂0 = (x − sb·ε)/sa; x_prev = saP·x̂0 + dir·ε (the four coefficients are [1]-shaped inputs).
  node('Mul', ['sb', 'eps'], ['sbe'], graph);
  node('Sub', ['x', 'sbe'], ['num'], graph);
  node('Div', ['num', 'sa'], ['x0'], graph);
  node('Mul', ['saP', 'x0'], ['ax0'], graph);
  node('Mul', ['dir', 'eps'], ['de'], graph);
  node('Add', ['ax0', 'de'], ['xn'], graph);
  str(2, 'mlp_ddim_step', graph);
  tensor(5, 'W1x', [D, H], views.W1x, graph);
  tensor(5, 'W2', [H, H], views.W2, graph);
  tensor(5, 'b2', [H], views.b2, graph);
  tensor(5, 'W3', [H, D], views.W3, graph);
  tensor(5, 'b3', [D], views.b3, graph);
  valueInfo(11, 'x', [n, D], graph);
  valueInfo(11, 'c1', [H], graph);
  for (const k of ['sb', 'sa', 'saP', 'dir']) valueInfo(11, k, [1], graph);
  valueInfo(12, 'xn', [n, D], graph);
  const model = [];
  int(1, 8, model);                                        // ir_version
  str(2, 'probwasm-bench', model);                         // producer_name
  msg(8, (o) => { str(1, '', o); int(2, 17, o); }, model); // opset_import
  msg(7, (g) => graph.forEach((b) => g.push(b)), model);   // graph
  return new Uint8Array(model);
}

/** Configures ort's wasm EP: one thread, SIMD; `wasmPaths` is the folder with ort-wasm-*.wasm (browser). */
export function ortWasm(ort, wasmPaths) {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  if (wasmPaths) ort.env.wasm.wasmPaths = wasmPaths;
  return { threads: ort.env.wasm.numThreads, version: ort.env.versions?.web ?? ort.env.versions?.common };
}

/** A sampler for the problem of mlp-problem.mjs: await run() → Float32Array count×D. */
export async function onnxSampler(ort, p) {
  const { D, H, steps, xT, count } = p;
  const session = await ort.InferenceSession.create(mlpStepModel(p, count), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const c1 = steps.map((s) => new ort.Tensor('float32', s.c1, [H]));
  const coef = steps.map((s) => Object.fromEntries(['sb', 'sa', 'saP', 'dir'].map((k) => [k, new ort.Tensor('float32', Float32Array.of(s[k]), [1])])));
  return {
    async run() {
      let x = new ort.Tensor('float32', Float32Array.from(xT), [count, D]);
      for (let s = 0; s < steps.length; s++) {
        const r = await session.run({ x, c1: c1[s], ...coef[s] });
        if (s > 0) x.dispose?.();
        x = r.xn;
      }
      return x.data;
    },
    async dispose() { await session.release(); },
  };
}
