// The "Copy code" snippets, one per widget, loaded with share.js only when a reader opens a widget's export
// panel: each returns code using the npm API (`import { load } from 'probwasm'`) that prints, as JSON, the
// numbers the widget shows at the reader's current parameters (tests/browser/share.test.mjs runs them in Node).
export const snippets = {
  // pw-softmax: Code that prints the figure's numbers: each map's p as the table shows it, and the AM-softmax loss.
  'pw-softmax': (el) => {
    const s = el.s, o = (m) => { const e = Object.entries(el.options(m)); return e.length ? `{ ${e.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : '{}'; };
    const rows = el.constructor.maps.map((m) => `  ${JSON.stringify(m.id)}: [${JSON.stringify(m.report === 'perturb' ? `perturb-${s.noise}` : m.report)}, ${o(m)}],`).join('\n');
    return `// <pw-softmax>: the seven maps of post 8 at these logits (probwasm on npm)
import { load } from 'probwasm';
const pw = await load({ topics: ['softmax'] });

const x = [${el.logits.join(', ')}];
// map id → [softmaxReport map, its options]; e.g. "softmax" is pw.softmax(x, { temperature: ${s.temperature} })
const maps = {
${rows}
};
const figure = {};
for (const [id, [map, opts]] of Object.entries(maps)) figure[id] = Array.from(pw.softmaxReport(map, x, opts).p);
figure.amLoss = pw.loss('am-softmax', x, ${s.target}, { margin: ${s.margin}, scale: ${s.scale} }).value;
// the loss table at the target t = x${s.target + 1}: each map's own loss, −p_t, log-eps (ε = 0.001), and ∂/∂x_t of
// the corrected surrogate sg(p − e_t)·x and of the post's (p − e_t)·sg(x)
figure.losses = {};
for (const id of ['softmax', 'taylor', 'sparse', 'sparsemax', 'entmax']) {
  const [map, opts] = maps[id], at = (kind) => pw.loss(map, x, ${s.target}, { ...opts, kind, epsilon: 0.001 });
  figure.losses[id] = {
    own: map === 'taylor' ? null : at('map').value, negP: at('neg-p').value, logEps: at('log-eps').value,
    surrogate: at('surrogate').grad[${s.target}], surrogatePost: at('surrogate-post').grad[${s.target}],
  };
}
console.log(JSON.stringify(figure, null, 1));
`;
  },

  // pw-sector: Code that prints the numbers beside the curve, for this n and θ.
  'pw-sector': (el) => {
    const scaled = Math.round(el.deg * 1000);
    const exact = Math.abs(scaled - el.deg * 1000) <= 1e-6 && el.n <= 2000;
    return `// <pw-sector>: n random points in a disc inside one sector of angle θ (post 5; probwasm on npm)
import { load } from 'probwasm';
const pw = await load({ topics: ['sector'] });

const n = ${el.n}, degrees = ${el.deg};
const theta = (degrees / 360) * (2 * Math.PI);  // the library takes radians
const s = pw.sectorEvaluate(n, theta);          // P and 1 − P, each computed directly
const figure = {
  probability: s.probability,
  complement: s.complement,
  method: s.method,
  wendel: pw.sectorWendel(n),                   // P at θ = 180°: n / 2^(n−1)
  meanLargestArcDegrees: pw.sectorLargestGapMean(n) * 360,
};
${exact ? `figure.exact = pw.sectorProbabilityExact(n, ${scaled}, 360000);  // θ = 2π·${scaled}/360000, a reduced fraction
` : ''}console.log(JSON.stringify(figure, null, 1));
`;
  },

  // pw-flatnce: Code that prints the margin-sweep table (post 3 §3.5) for the reader's K and s_t.
  'pw-flatnce': (el) => {
    const k = Number(el.$('#k').value), pos = Number(el.$('#pos').value);
    return `// <pw-flatnce>: K scores, the positive s_t, every negative at s_t − D, in float64 and float32 (post 3; probwasm on npm)
import { load } from 'probwasm';
const pw = await load({ topics: ['contrastive'] });

const K = ${k}, positive = ${pos};
const s = pw.contrastiveMarginSweep(K, positive, [10, 15, 17, 20]);  // the table's four margins D
const figure = Array.from(s.margin, (D, i) => ({
  D, xi: s.xi[i], ce64: s.ce64[i], ce32Naive: s.ce32Naive[i], ce32Framework: s.ce32Shifted[i],
  grad32: s.grad32Shifted[i], grad64: s.grad64[i], flatnce32: s.flat32[i],
}));
console.log(JSON.stringify(figure, null, 1));
`;
  },

  // pw-lora: Code that prints the calculator's numbers for the reader's n, m and r.
  'pw-lora': (el) => {
    const [n, m, r] = ['n', 'm', 'r'].map((id) => Number(el.$(`#${id}`).value));
    return `// <pw-lora>: η_B/η_A for LoRA+ by each rule, and the measured gradient ratio (post 7; probwasm on npm)
import { load } from 'probwasm';
const pw = await load({ topics: ['lora'] });

const n = ${n}, m = ${m}, r = ${r};
const q = pw.loraRatios(n, m, r);                       // Su (n/m)·√(n/r), the paper (n/m)·(n/r), LoRA+'s default
const measured = pw.loraGradientScale({ n, m, r, seeds: 8 });  // ‖∂A‖₁/‖∂B‖₁ from random gradients
const figure = { su: q.su, paper: q.paper, loraPlusDefault: q.loraPlusDefault,
  law: pw.loraGradientRatioLaw(n, m, r), measuredMean: measured.mean, measuredSd: measured.sd };
console.log(JSON.stringify(figure, null, 1));
`;
  },

  // pw-attention: Code that prints part 2's numbers (the lowest entropy of a softmax over n logits in [−1/τ, 1/τ]).
  'pw-attention': (el) => {
    const tau = Number(el.$('#tau').value), n = Number(el.$('#n').value);
    return `// <pw-attention>: how low the entropy of softmax can go with logits in [−1/τ, 1/τ] (post 6; probwasm on npm)
import { load } from 'probwasm';
const pw = await load({ topics: ['attention'] });

const tau = ${tau}, n = ${n};
const m = pw.minEntropy(n, { tau });         // the exact minimum over n logits: H, log n − H, and the split
const lim = pw.minEntropyLimit({ tau });     // n → ∞: the gap c at the optimal fraction t*
const figure = { entropy: m.entropy, gap: m.gap, plus: m.plus, minus: m.minus,
  limitGap: lim.gap, fractionMinus: lim.fractionMinus, halfSplitGap: lim.halfSplitGap };
console.log(JSON.stringify(figure, null, 1));
`;
  },

  // pw-mixers: Code that prints each card's numbers (FLOPs, parameters, input dependence, the matrix's range).
  'pw-mixers': (el) => {
    const { n, n2, d, seed, input } = el.settings();
    return `// <pw-mixers>: the token mixers of post 2 as n×n mixing matrices (probwasm on npm)
import { load } from 'probwasm';
const pw = await load({ topics: ['mixers'] });

const n = ${n}, nApplied = ${n2}, d = ${d}, seed = ${seed};
const x = pw.mixerInput(${JSON.stringify(input)}, nApplied, d, { seed });     // the input X
const x2 = pw.mixerInput('random', nApplied, d, { seed: seed + 1 });  // X′, to test whether M depends on X
const figure = {};
for (const kind of ${JSON.stringify(el.selected())}) {
  const m = new pw.TokenMixer(kind, { n, d, seed });
  try {
    const M = m.mixingMatrix(x, nApplied);
    figure[kind] = { flops: m.forwardWithFlops(x, nApplied).flops, parameters: m.parameterCount,
      inputDependent: M.inputDependent, maxAbsDependence: m.inputDependence(x, x2, nApplied).maxAbs,
      matrixMin: Math.min(...M.matrix), matrixMax: Math.max(...M.matrix) };
  } catch (e) {
    figure[kind] = { error: e.message };  // a mixer with an n×n parameter cannot run at another n
  } finally {
    m.dispose();
  }
}
console.log(JSON.stringify(figure, null, 1));
`;
  },

  // pw-wobert: Code that runs the widget's task on the reader's text and prints the token counts and speed-ups.
  'pw-wobert': (el) => `// <pw-wobert>: character BERT vs WoBERT on this text (post 1; probwasm on npm). The widget runs this
// task in its Worker; in Node the packaged jieba dictionary is read from the package.
import { load, tasks } from 'probwasm';
const pw = await load({ topics: ['wobert'] });

const text = ${JSON.stringify(el.$('#text').value)};
const run = tasks.wobertCompare(pw, text, { words: ${el.words} });  // an async generator: progress, then the result
let step;
do step = await run.next(); while (!step.done);
const s = step.value.stats;
const figure = {
  codePoints: s.codePoints, charTokens: s.charTokens, wobertTokens: s.wobertTokens, ratio: s.ratio, speedup: s.speedup,
  flopSpeedupAt: [128, 256, 512].map((L) => pw.wobertSpeedup(L, s.ratio)),  // the FLOP model at the post's lengths
  vocabSize: step.value.vocabSize,
};
console.log(JSON.stringify(figure, null, 1));
`,

  // pw-ddim: Code that runs the panels' task with the reader's settings and prints each sampler's SW₂ to the target.
  'pw-ddim': (el) => {
    const a = el.panelArgs;
    if (!a || a.model.kind === 'mlp') return null;  // a trained MLP's weights do not fit in a snippet
    return `// <pw-ddim>: the two samplers of the panels from the same x_T, and their sliced 2-Wasserstein distance
// to the target (post 4; probwasm on npm). The widget runs this task in its Worker.
import { load, tasks } from 'probwasm';
const pw = await load({ topics: ['diffusion'] });

const args = ${JSON.stringify(a, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v))};  // typed arrays as plain arrays (exact)
const run = tasks.diffusionPanels(pw, args);  // an async generator: progress, then the result
let step;
do step = await run.next(); while (!step.done);
const figure = Object.fromEntries(args.runs.map((r, k) => [\`\${r.sampler} η = \${r.eta}\`, step.value.runs[k].sw]));
console.log(JSON.stringify(figure, null, 1));
`;
  },
};
