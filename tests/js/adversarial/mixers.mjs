// Adversarial table of the mixers topic (post 2): see tests/js/adversarial.test.mjs for the format.
import { array, enumOf, int, number, options, text, seed } from './kinds.mjs';

export const topic = 'mixers';

const X = [0.5, -1, 2, 0, 1, 1, -0.5, 3];  // n = 4 tokens × d = 2 channels
const x = () => array(X, { valid: ['float32', '-0', 'negative', 'fractional'] });
const mixerKeys = () => ({
  n: int(4), d: int(2), seed: seed(1, { max: 4294967295 }), headDim: int(0, { valid: ['-0'] }), hidden: int(0, { valid: ['-0'] }),
  memory: int(3), attnDim: int(0, { valid: ['-0'] }), gateInit: number(1e-3, { valid: ['-0', 'tiny', 'fractional'] }),
});
const costKeys = () => { const { n: _n, d: _d, ...k } = mixerKeys(); return k; };
const nArg = () => int(4, { optional: true });  // omitted: n = x.length / d

export function setup(pw) {
  return { m: new pw.TokenMixer('attention', { n: 4, d: 2 }), ext: new pw.TokenMixer('external', { n: 4, d: 2, memory: 3 }) };
}
export function teardown(ctx) {
  ctx.m.dispose();
  ctx.ext.dispose();
}

export const functions = [
  { name: 'TokenMixer', call: (pw, ctx, [k, o]) => { new pw.TokenMixer(k, o).dispose(); return true; }, args: [enumOf('attention'), options({ n: 4, d: 2 }, mixerKeys(), { required: true })] },
  { name: 'TokenMixer.forward', call: (pw, ctx, [a, n]) => ctx.m.forward(a, n), args: [x(), nArg()] },
  { name: 'TokenMixer.forwardWithFlops', call: (pw, ctx, [a, n]) => ctx.m.forwardWithFlops(a, n), args: [x(), nArg()] },
  { name: 'TokenMixer.mixingMatrix', call: (pw, ctx, [a, n]) => ctx.m.mixingMatrix(a, n), args: [x(), nArg()] },
  { name: 'TokenMixer.inputDependence', call: (pw, ctx, [a, b, n]) => ctx.m.inputDependence(a, b, n), args: [x(), x(), nArg()] },
  { name: 'TokenMixer.externalWeights', call: (pw, ctx, [a, n]) => ctx.ext.externalWeights(a, n), args: [x(), nArg()] },
  { name: 'TokenMixer.parameter', call: (pw, ctx, [s]) => ctx.m.parameter(s), args: [{ ...text('Wq'), valid: new Set() }] },
  { name: 'mixerKinds', args: [] },
  { name: 'mixerCost', args: [enumOf('fnet'), int(64), int(32), options({}, costKeys())] },
  { name: 'mixerInput', args: [enumOf('random'), int(4), int(2), options({}, { seed: seed(1, { max: 4294967295 }) })] },
  { name: 'fnetReference', args: [x(), int(4), int(2)] },
  { name: 'fnetCheck', args: [x(), int(4), int(2)] },
  { name: 'mix', args: [enumOf('fnet'), x(), options({ n: 4, d: 2 }, mixerKeys(), { required: true })] },
];

const disposedMixer = (pw) => { const m = new pw.TokenMixer('external', { n: 4, d: 2, memory: 3 }); m.dispose(); return m; };
export const disposed = [
  { name: 'TokenMixer.forward', call: (pw) => disposedMixer(pw).forward(X) },
  { name: 'TokenMixer.forwardWithFlops', call: (pw) => disposedMixer(pw).forwardWithFlops(X) },
  { name: 'TokenMixer.mixingMatrix', call: (pw) => disposedMixer(pw).mixingMatrix(X) },
  { name: 'TokenMixer.inputDependence', call: (pw) => disposedMixer(pw).inputDependence(X, X) },
  { name: 'TokenMixer.externalWeights', call: (pw) => disposedMixer(pw).externalWeights(X) },
  { name: 'TokenMixer.parameter', call: (pw) => disposedMixer(pw).parameter('Mk') },
];

export function battery(pw, ctx) {
  return [
    ctx.m.forward(X), ctx.m.mixingMatrix(X), ctx.ext.externalWeights(X), ctx.m.parameter('Wq'), pw.mixerKinds(),
    pw.mixerCost('fnet', 64, 32), pw.mixerInput('random', 4, 2, { seed: 5 }), pw.fnetReference(X, 4, 2), pw.fnetCheck(X, 4, 2),
    pw.mix('fnet', X, { n: 4, d: 2 }),
  ];
}
