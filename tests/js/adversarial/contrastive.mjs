// Adversarial table of the contrastive topic (post 3, FlatNCE): see tests/js/adversarial.test.mjs for the format.
import { array, enumOf, int, number, options, seed } from './kinds.mjs';

export const topic = 'contrastive';

const SMALL = { classes: 8, batch: 4, signalDim: 4, nuisanceDim: 4, embedDim: 4, shots: 2, testPerClass: 2 };
const configKeys = () => ({
  classes: int(8), signalDim: int(4), nuisanceDim: int(4, { valid: ['-0'] }), embedDim: int(4), batch: int(4), shots: int(2),
  testPerClass: int(2), tau: number(0.02, { valid: ['fractional'] }), viewNoise: number(0.2, { valid: ['-0', 'fractional', 'tiny'] }),
  nuisance: number(1, { valid: ['-0', 'fractional', 'tiny'] }), lr: number(0.01, { valid: ['fractional', 'tiny'] }),
  seed: seed(), loss: enumOf('ce'), evaluation: enumOf('shifted'),
});
const scores = () => array([2, 1, 0.5], { valid: ['float32', '-0', 'negative', 'fractional', '-Infinity', '-huge', 'huge'] });
const lossOpts = () => options({}, { precision: enumOf('float64'), evaluation: enumOf('stable') }, { typo: 'Precision' });
const trainer = (pw) => pw.contrastiveTrainer(SMALL);

export function setup(pw) {
  return { trainer: trainer(pw) };
}
export function teardown(ctx) {
  ctx.trainer.dispose();
}

export const functions = [
  { name: 'infoNce', args: [scores(), int(1, { valid: ['-0'] }), lossOpts()] },
  { name: 'flatNce', args: [scores(), int(1, { valid: ['-0'] }), lossOpts()] },
  {
    name: 'contrastiveMarginOrder',
    args: [int(4), number(0, { valid: ['-0', 'tiny', 'negative', 'fractional'] }), array([1, 10], { valid: ['float32', '-0', 'negative', 'fractional', 'empty'] })],
  },
  {
    name: 'contrastiveMarginSweep',
    args: [int(4), number(0, { valid: ['-0', 'tiny', 'negative', 'fractional'] }), array([1, 10], { valid: ['float32', '-0', 'negative', 'fractional', 'empty'] })],
    // identity32 is NaN-free; cosine-like columns are not part of the sweep
  },
  { name: 'contrastiveTrainer', call: (pw, ctx, [c]) => { const t = pw.contrastiveTrainer(c); t.dispose(); return true; }, args: [options({ ...SMALL }, configKeys())] },
  { name: 'contrastiveTrainer.run', call: (pw, ctx, [n]) => ctx.trainer.run(n), args: [int(1, { valid: ['-0'] })], check: () => true },
  // cosine is NaN for steps whose float32 gradient is 0 (documented), so its mean may be NaN
  { name: 'contrastiveTrainer.summary', call: (pw, ctx, [s]) => ctx.trainer.summary(s), args: [int(0, { valid: ['-0'], optional: true })], check: (r) => (Number.isFinite(r.steps) ? true : JSON.stringify(r)) },
  {
    name: 'contrastiveTrain',
    args: [options({ ...SMALL }, configKeys()), options({ steps: 2, evalEvery: 1 }, { steps: int(2), evalEvery: int(1) }, { typo: 'Steps' })],
    check: (r) => (r.loss.every(Number.isFinite) ? true : 'non-finite loss'),
  },
];

export const disposed = [
  { name: 'contrastiveTrainer.run', call: (pw) => { const t = trainer(pw); t.dispose(); return t.run(1); } },
  { name: 'contrastiveTrainer.accuracy', call: (pw) => { const t = trainer(pw); t.dispose(); return t.accuracy(); } },
  { name: 'contrastiveTrainer.summary', call: (pw) => { const t = trainer(pw); t.dispose(); return t.summary(); } },
  { name: 'contrastiveTrainer.stepsDone', call: (pw) => { const t = trainer(pw); t.dispose(); return t.stepsDone; } },
];

export function battery(pw) {
  const t = trainer(pw);
  try {
    return [
      pw.infoNce([2, 1, 0.5], 1), pw.flatNce(new Float32Array([2, 1, 0.5]), 0, { precision: 'float32' }),
      pw.contrastiveMarginSweep(4, 0, [1, 10]), pw.contrastiveMarginOrder(4, 0, [1, 10]), t.run(2), t.accuracy(), t.summary(),
    ];
  } finally {
    t.dispose();
  }
}
