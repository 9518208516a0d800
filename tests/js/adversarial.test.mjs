// The adversarial table generator (issue 12, goal 8): every public function × every argument × the bad values
// of its kind. Each call must either throw a RangeError/TypeError whose message starts with the public name
// ("sectorMonteCarlo: …", "TokenMixer.forward: …") or, where the table documents the class as valid, return a
// result that passes the table's check. After every call, a battery of good calls must give results
// bit-identical to the battery run before the first bad call (the instance survived).
//
// ─── Adding a topic's table ───────────────────────────────────────────────────────────────────────────────
// Write tests/js/adversarial/<topic>.mjs exporting
//   topic: '<topic>'
//   setup?(pw) → ctx           fixtures shared by the calls (objects to call methods on, dictionaries, …)
//   teardown?(ctx)             dispose them
//   functions: [{
//     name: 'sectorMonteCarlo',   the public name: errors must start with `${name}:`
//     call?(pw, ctx, args),       how to call it (default pw[name](...args)); may return a promise
//     args: [kind, …],            one kind per parameter (tests/js/adversarial/kinds.mjs): number, int, array,
//                                 enumOf, text, bool, options({ good }, { key: kind }), opaque. A kind's `good`
//                                 is the value used while another argument is varied; `valid: [...classes]`
//                                 lists the classes the function documents as accepted.
//     check?(result, args, cls) → true or a string saying what is wrong with an accepted result
//                                 (default: no NaN anywhere in the result)
//   }]
//   disposed?: [{ name, call(pw, ctx) }]   calls on a disposed object: each must be a TypeError named `name`
//   battery(pw, ctx) → [values]  cheap good calls; compared bit for bit (numbers by their IEEE-754 bits)
// and add it to `tables` below. Inside an options kind, undefined for a key means "the default" and is not
// tried; every other class of the key's kind is. A last test checks that every method of a topic's API
// (load({ topics: [topic] })) has a row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'probwasm';
import { badCalls, findNaN, fingerprint } from './adversarial/generator.mjs';

import * as sector from './adversarial/sector.mjs';
import * as contrastive from './adversarial/contrastive.mjs';
import * as attention from './adversarial/attention.mjs';
import * as lora from './adversarial/lora.mjs';
import * as mixers from './adversarial/mixers.mjs';
import * as wobert from './adversarial/wobert.mjs';
import * as softmax from './adversarial/softmax.mjs';
import * as diffusion from './adversarial/diffusion.mjs';

// ADV_TOPICS=sector,lora runs only those tables; ADV_TRACE=1 prints each call before making it (to find a hang).
const only = process.env.ADV_TOPICS?.split(',');
const tables = [sector, contrastive, attention, lora, mixers, wobert, softmax, diffusion].filter((t) => !only || only.includes(t.topic));

const pw = await load();

const show = (v) => {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length})`;
  if (Array.isArray(v)) return v.length > 4 ? `[${v.slice(0, 4).map(show)}, …]` : `[${v.map(show)}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).join(',')}}`;
  return String(v);
};

/** Runs one call; returns null if it behaved, else what went wrong. */
async function judge(f, ctx, call) {
  if (process.env.ADV_TRACE) process.stderr.write(`${f.name} ${call.where ?? ''} ${call.cls ?? ''}\n`);
  let r;
  try {
    r = f.call ? f.call(pw, ctx, call.args) : pw[f.name](...call.args);
    if (r && typeof r.then === 'function') r = await r;
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) return `threw ${e?.constructor?.name ?? typeof e}: ${e?.message ?? e}`;
    if (!String(e.message).startsWith(`${f.name}:`)) return `threw ${e.name} not named ${f.name}: ${e.message}`;
    return null;
  }
  if (!call.valid) return `returned ${show(r)} instead of throwing`;
  const verdict = f.check ? f.check(r, call.args, call.cls) : (findNaN(r) ? `NaN at ${findNaN(r)}` : true);
  return verdict === true ? null : `returned a bad result: ${verdict}`;
}

for (const table of tables) {
  test(`${table.topic}: every bad argument gives a named RangeError/TypeError or a documented result, and good calls stay bit-identical`, async () => {
    const ctx = table.setup ? await table.setup(pw) : {};
    const reference = fingerprint(table.battery(pw, ctx));
    const problems = [];
    let calls = 0;
    try {
      for (const f of table.functions) {
        for (const call of badCalls(f)) {
          calls++;
          const p = await judge(f, ctx, call);
          if (p) problems.push(`${f.name} ${call.where} ${call.cls} ${show(call.args[Number(call.where.split(' ')[1].split('.')[0])])}: ${p}`);
          if (fingerprint(table.battery(pw, ctx)) !== reference) {
            problems.push(`${f.name} ${call.where} ${call.cls}: the good-call battery changed afterwards`);
            break;
          }
        }
      }
      for (const d of table.disposed ?? []) {
        calls++;
        const p = await judge({ name: d.name, call: d.call }, ctx, { args: [], valid: false });
        if (p) problems.push(`${d.name} on a disposed object: ${p}`);
      }
    } finally {
      table.teardown?.(ctx);
    }
    assert.ok(calls > 0);
    assert.ok(problems.length === 0, `${problems.length} of ${calls} bad calls misbehaved:\n${problems.join('\n')}`);
  });
}

test('the tables cover every public function of their topics', async () => {
  const { readFile } = await import('node:fs/promises');
  for (const t of tables) {
    // a private instance of the topic's own module: load({ topics }) alone would reuse the all-topics one
    const wasmBinary = await readFile(new URL(import.meta.resolve(`probwasm/modules/${t.topic}.wasm`)));
    const api = await load({ topics: [t.topic], wasmBinary });
    const covered = new Set(t.functions.map((f) => f.name.split('.')[0]));
    // worker and workerPool are the loader's (every load() has them), not a topic's
    const names = Object.keys(api).filter((k) => k !== 'worker' && k !== 'workerPool' && !k.startsWith('_'));
    for (const name of names) assert.ok(covered.has(name), `${t.topic}: ${name} has no row in its table`);
  }
});

// DESIGN.md "API v2 additions": every object with dispose() has [Symbol.dispose] calling it (what `using` calls).
test('every disposable object has [Symbol.dispose], which disposes it', { skip: typeof Symbol.dispose !== 'symbol' && 'no Symbol.dispose here' }, () => {
  const DICT = '中国 100 ns\n人 50 n\n';
  const X = [0.5, -0.25, 1, 2];
  const objects = [
    ['contrastiveTrainer', () => pw.contrastiveTrainer({ classes: 8, batch: 4, signalDim: 4, nuisanceDim: 4, embedDim: 4 }), (o) => o.run(1)],
    ['TokenMixer', () => new pw.TokenMixer('attention', { n: 4, d: 2 }), (o) => o.forward([1, 2, 3, 4, 5, 6, 7, 8])],
    ['JiebaSegmenter', () => new pw.JiebaSegmenter(DICT), (o) => o.cut('中国')],
    ['WobertTokenizer', () => new pw.WobertTokenizer(DICT, { words: 1 }), (o) => o.cut('中国')],
    ['gaussianMixture', () => pw.gaussianMixture({ weights: [1], means: [0, 0], stds: 1 }), (o) => o.epsilon(X, 0.5)],
    ['empiricalDenoiser', () => pw.empiricalDenoiser({ points: X, dim: 2 }), (o) => o.epsilon(X, 0.5)],
    ['mlpDenoiser', () => pw.mlpDenoiser({ hidden: 4, embed: 2 }), (o) => o.epsilon(X, 0.5)],
    ...['DDIMScheduler', 'DDPMScheduler', 'EulerDiscreteScheduler', 'EulerAncestralDiscreteScheduler', 'DPMSolverMultistepScheduler',
      'UniPCMultistepScheduler'].map((cls) => [cls, () => new pw[cls]({ numTrainTimesteps: 100 }), (o) => o.setTimesteps(5)]),
  ];
  for (const [name, make, use] of objects) {
    const o = make();
    assert.equal(typeof o[Symbol.dispose], 'function', `${name} has no [Symbol.dispose]`);
    use(o);  // alive
    o[Symbol.dispose]();
    assert.throws(() => use(o), TypeError, `${name}: [Symbol.dispose] did not dispose it`);
    o[Symbol.dispose]();  // twice is harmless, as dispose()
    o.dispose();
  }
});
