// FlatNCE facade (post 3): option handling and type checks; every number comes from wasm.
import { checkArray, checkEnum, checkInt, checkNumber, checkOptions, describe, DISPOSE } from './common.js';

const PRECISIONS = ['float32', 'float64'];
const EVALUATIONS = ['naive', 'shifted', 'stable'];
const LOSSES = ['ce', 'flatnce'];
// Trainer options and their kinds (defaults live in the C++ TrainConfig).
const CONFIG_KEYS = {
  classes: 'int', signalDim: 'int', nuisanceDim: 'int', embedDim: 'int', batch: 'int', shots: 'int', testPerClass: 'int',
  tau: 'number', viewNoise: 'number', nuisance: 'number', lr: 'number', seed: 'number', loss: LOSSES, evaluation: EVALUATIONS,
};
const TRACE_KEYS = ['step', 'loss', 'cosine', 'anchorCosine', 'gradNorm32', 'gradNorm64', 'underflow', 'log10Xi'];

function checkConfig(fn, config) {
  const c = checkOptions(fn, config, Object.keys(CONFIG_KEYS), 'config');
  for (const [k, v] of Object.entries(c)) {
    const kind = CONFIG_KEYS[k];
    if (v === undefined) continue;
    if (kind === 'int') checkInt(fn, k, v);
    else if (k === 'seed') checkInt(fn, k, v, 0, Number.MAX_SAFE_INTEGER);
    else if (kind === 'number') checkNumber(fn, k, v);
    else checkEnum(fn, k, v, kind);
  }
  return c;
}

function concat(parts) {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function api(M) {
  const loss = (fn, kind) => (scores, target, opts) => {
    const o = checkOptions(fn, opts, ['precision', 'evaluation']);
    checkArray(fn, 'scores', scores);
    checkNumber(fn, 'target', target);
    const precision = o.precision === undefined ? 'float64' : checkEnum(fn, 'precision', o.precision, PRECISIONS);
    const evaluation = o.evaluation === undefined ? 'stable' : checkEnum(fn, 'evaluation', o.evaluation, EVALUATIONS);
    return M.contrastiveLoss(kind, scores, target, precision, evaluation);
  };

  /** A float32 contrastive trainer; call dispose() when done. fn: the public name in messages. */
  function contrastiveTrainer(config, fn = 'contrastiveTrainer') {
    const c = checkConfig(fn, config);
    const t = new M.ContrastiveTrainer(c, fn);
    let alive = true;
    const live = (name) => { if (!alive) throw new TypeError(`contrastiveTrainer.${name}: the trainer was disposed`); };
    return {
      run(count) { live('run'); return t.run(checkInt('contrastiveTrainer.run', 'count', count, 0, 1000000)); },
      accuracy() { live('accuracy'); return t.accuracy(); },
      get stepsDone() { live('stepsDone'); return t.stepsDone(); },
      /** Means over the steps after fromStep (default: the second half of the run so far). */
      summary(fromStep) {
        live('summary');
        const from = fromStep === undefined ? Math.floor(t.stepsDone() / 2) : checkInt('contrastiveTrainer.summary', 'fromStep', fromStep, 0);
        return t.summary(from);
      },
      dispose() { if (alive) { alive = false; t.delete(); } },
      [DISPOSE]() { this.dispose(); },
    };
  }

  /** Runs `steps` steps in chunks of `evalEvery`, measuring downstream accuracy after each chunk; onChunk(done) after each. */
  function* trainChunks(config, opts, fn = 'contrastiveTrain') {
    const o = checkOptions(fn, opts, ['steps', 'evalEvery']);
    const steps = o.steps === undefined ? 1000 : checkInt(fn, 'steps', o.steps, 1, 1000000);
    const every = o.evalEvery === undefined ? 50 : checkInt(fn, 'evalEvery', o.evalEvery, 1, 1000000);
    const tr = contrastiveTrainer(config, fn);
    try {
      const parts = Object.fromEntries(TRACE_KEYS.map((k) => [k, []]));
      const accStep = [0], acc = [tr.accuracy()];
      for (let done = 0; done < steps;) {
        const r = tr.run(Math.min(every, steps - done));
        done += r.step.length;
        for (const k of TRACE_KEYS) parts[k].push(r[k]);
        accStep.push(done);
        acc.push(tr.accuracy());
        yield { done, total: steps };
      }
      const trace = Object.fromEntries(TRACE_KEYS.map((k) => [k, concat(parts[k])]));
      trace.accuracyStep = Float64Array.from(accStep);
      trace.accuracy = Float64Array.from(acc);
      trace.summary = tr.summary();
      return trace;
    } finally {
      tr.dispose();
    }
  }

  return {
    /** Cross-entropy (InfoNCE) loss log(1 + ξ) and its gradient over the scores. */
    infoNce: loss('infoNce', 'ce'),
    /** FlatNCE loss log ξ and its gradient over the scores. */
    flatNce: loss('flatNce', 'flatnce'),
    /** float32 framework CE and ∂CE/∂s_t with the positive summed first vs last (post 3 §3.5: the collapse depends on the order). */
    contrastiveMarginOrder(k, positive, margins) {
      const fn = 'contrastiveMarginOrder';
      return M.contrastiveMarginOrder(checkNumber(fn, 'k', k), checkNumber(fn, 'positive', positive), checkArray(fn, 'margins', margins));
    },
    contrastiveMarginSweep(k, positive, margins) {
      const fn = 'contrastiveMarginSweep';
      return M.contrastiveMarginSweep(checkNumber(fn, 'k', k), checkNumber(fn, 'positive', positive), checkArray(fn, 'margins', margins));
    },
    contrastiveTrainer(config) { return contrastiveTrainer(config); },
    contrastiveTrain(config, opts) {
      const it = trainChunks(config, opts);
      for (;;) { const s = it.next(); if (s.done) return s.value; }
    },
    /** @internal used by the tasks below */
    _contrastiveTrainChunks: trainChunks,
  };
}

export const tasks = {
  /**
   * The same seeded run with cross-entropy and with FlatNCE. Yields { phase: 'ce' | 'flatnce', done, total };
   * returns { ce: trace, flatnce: trace } (see contrastiveTrain).
   */
  async *contrastiveCompare(pw, config = {}, opts = {}) {
    if (config === null || typeof config !== 'object') throw new TypeError(`contrastiveCompare: config must be an object, got ${describe(config)}`);
    const out = {};
    for (const loss of LOSSES) {
      const it = pw._contrastiveTrainChunks({ ...config, loss }, opts, 'contrastiveCompare');
      for (;;) {
        const s = it.next();
        if (s.done) { out[loss] = s.value; break; }
        yield { phase: loss, ...s.value };
      }
    }
    return out;
  },
  /**
   * The post's batch-size comparison as a toy (post 3 §3.4, FlatCLR's figure): contrastiveTrain with CE and
   * FlatNCE at each batch size K. Yields { done, total, row }; returns { rows: [{ batch, loss, accuracyStep,
   * accuracy, cosine, anchorCosine, underflow }] } (summary means over the run's second half).
   */
  async *contrastiveBatchSweep(pw, config = {}, { batches = [4, 8, 16, 32], steps = 500, evalEvery = 250 } = {}) {
    if (config === null || typeof config !== 'object') throw new TypeError(`contrastiveBatchSweep: config must be an object, got ${describe(config)}`);
    checkArray('contrastiveBatchSweep', 'batches', batches);
    const rows = [];
    const total = batches.length * LOSSES.length;
    for (const batch of batches) {
      for (const loss of LOSSES) {
        const r = pw.contrastiveTrain({ ...config, batch, loss }, { steps, evalEvery });
        const row = { batch, loss, accuracyStep: r.accuracyStep, accuracy: r.accuracy, cosine: r.summary.cosine, anchorCosine: r.summary.anchorCosine, underflow: r.summary.underflow };
        rows.push(row);
        yield { done: rows.length, total, row };
      }
    }
    return { rows };
  },
};
