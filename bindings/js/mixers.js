// Token mixers facade (post 2, kexue.fm/archives/8431): option handling and type checks; every number
// comes from wasm. `new pw.TokenMixer(kind, { n, d, seed })`, its mixing matrix, FLOPs and cost.
import { checkArray, checkInt, checkNumber, checkEnum, checkOptions, describe, DISPOSE } from './common.js';

export const MIXER_KINDS = ['attention', 'synthesizer-random', 'synthesizer-dense', 'mixer', 'mixer-linear',
  'external', 'fnet', 'gmlp', 'amlp', 'resmlp'];
export const MIXER_INPUTS = ['random', 'sinusoid', 'blocks', 'ramp'];
const OPTION_KEYS = ['n', 'd', 'seed', 'headDim', 'hidden', 'memory', 'attnDim', 'gateInit'];
const MIX = Symbol('mix');  // TokenMixer built by mix(): errors are named mix

/** Options → the complete object the binding reads (unknown keys are a TypeError, so typos surface). */
function mixerOptions(fn, opts, allowed = OPTION_KEYS) {
  const o = checkOptions(fn, opts, allowed);
  const int = (name, dflt, lo, hi) => (o[name] === undefined ? dflt : checkInt(fn, name, o[name], lo, hi));
  return {
    seed: int('seed', 1, 0, 4294967295),
    headDim: int('headDim', 0, 0, 4096),
    hidden: int('hidden', 0, 0, 4096),
    memory: int('memory', 64, 1, 4096),
    attnDim: int('attnDim', 0, 0, 4096),
    gateInit: o.gateInit === undefined ? 1e-3 : checkNumber(fn, 'gateInit', o.gateInit),
  };
}

export function api(M) {
  /** One token mixer with seeded parameters for n tokens of d channels (see mixers.d.ts). */
  class TokenMixer {
    constructor(kind, opts, as = undefined) {
      this.#build(as === MIX ? 'mix' : 'TokenMixer', kind, opts);
    }

    /** fn: the public name in messages ('TokenMixer', or 'mix' which builds one). */
    #build(fn, kind, opts) {
      checkEnum(fn, 'kind', kind, MIXER_KINDS);
      const o = checkOptions(fn, opts, OPTION_KEYS);
      if (o.n === undefined || o.d === undefined) throw new TypeError(`${fn}: options must give n and d, got ${describe(opts)}`);
      const n = checkInt(fn, 'n', o.n), d = checkInt(fn, 'd', o.d);
      this._m = new M.MixersTokenMixer(kind, n, d, mixerOptions(fn, o), fn);
      this._info = this._m.info();
    }

    /** A mixer built, run and disposed under the public name of `mix`. */
    static _mix(kind, x, opts) {
      const m = new TokenMixer(kind, opts, MIX);
      try { return m.#forward('mix', x, opts.n).output; } finally { m.dispose(); }
    }

    #live(fn) {
      if (!this._m) throw new TypeError(`${fn}: the mixer was disposed`);
      return this._m;
    }

    /** n from the argument, else x.length / d. fn: the full public name. */
    #n(fn, x, n, name = 'x') {
      checkArray(fn, name, x);
      if (n !== undefined) return checkInt(fn, 'n', n);
      const d = this._info.d;
      if (x.length % d !== 0) throw new RangeError(`${fn}: ${name}.length must be a multiple of d = ${d}, got ${x.length}`);
      return x.length / d;
    }

    #forward(fn, x, n) {
      const m = this.#live(fn);
      return m.forward(x, this.#n(fn, x, n), fn);
    }

    get kind() { return this._info.kind; }
    get n() { return this._info.n; }
    get d() { return this._info.d; }
    get outDim() { return this._info.outDim; }
    get fixedN() { return this._info.fixedN; }
    get parameterCount() { return this._info.parameterCount; }
    get parameterNames() { return [...this._info.parameterNames]; }

    forward(x, n) { return this.#forward('TokenMixer.forward', x, n).output; }
    forwardWithFlops(x, n) { return this.#forward('TokenMixer.forwardWithFlops', x, n); }
    mixingMatrix(x, n) {
      const fn = 'TokenMixer.mixingMatrix';
      const m = this.#live(fn);
      return m.mixingMatrix(x, this.#n(fn, x, n));
    }
    inputDependence(x1, x2, n) {
      const fn = 'TokenMixer.inputDependence';
      const m = this.#live(fn);
      const nn = this.#n(fn, x1, n, 'x1');
      checkArray(fn, 'x2', x2);
      return m.inputDependence(x1, x2, nn);
    }
    externalWeights(x, n) {
      const fn = 'TokenMixer.externalWeights';
      const m = this.#live(fn);
      return m.externalWeights(x, this.#n(fn, x, n));
    }
    parameter(name) {
      const m = this.#live('TokenMixer.parameter');
      if (typeof name !== 'string') throw new TypeError(`TokenMixer.parameter: name must be a string, got ${describe(name)}`);
      return m.parameter(name);
    }
    dispose() { if (this._m) { this._m.delete(); this._m = null; } }
    [DISPOSE]() { this.dispose(); }
  }

  return {
    TokenMixer,
    mixerKinds() { return M.mixersKinds(); },
    mixerCost(kind, n, d, opts) {
      checkEnum('mixerCost', 'kind', kind, MIXER_KINDS);
      const allowed = OPTION_KEYS.filter((k) => k !== 'n' && k !== 'd');
      return M.mixersCost(kind, checkInt('mixerCost', 'n', n), checkInt('mixerCost', 'd', d), mixerOptions('mixerCost', opts, allowed));
    },
    mixerInput(pattern, n, d, opts) {
      checkEnum('mixerInput', 'pattern', pattern, MIXER_INPUTS);
      const o = checkOptions('mixerInput', opts, ['seed']);
      const seed = o.seed === undefined ? 1 : checkInt('mixerInput', 'seed', o.seed, 0, 4294967295);
      return M.mixersInput(pattern, checkInt('mixerInput', 'n', n), checkInt('mixerInput', 'd', d), seed);
    },
    fnetReference(x, n, d) {
      return M.mixersFnetReference(checkArray('fnetReference', 'x', x), checkInt('fnetReference', 'n', n), checkInt('fnetReference', 'd', d));
    },
    fnetCheck(x, n, d) {
      return M.mixersFnetCheck(checkArray('fnetCheck', 'x', x), checkInt('fnetCheck', 'n', n), checkInt('fnetCheck', 'd', d));
    },
    mix(kind, x, opts) {
      return TokenMixer._mix(kind, x, opts);
    },
  };
}

const now = () => globalThis.performance.now();

export const tasks = {
  /**
   * Cost vs n, measured live: for each n and kind, the best wall time of forward() (copies in and out
   * included) and the counted FLOPs. Skips a case whose counted FLOPs exceed `maxFlops`.
   * Yields { done, total, kind, n, ms }; returns { d, ns, kinds, rows: [{ kind, n, ms, flops, order, skipped }] }.
   */
  async *mixersCost(pw, opts) {
    const { kinds = MIXER_KINDS, ns = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096], d = 64, seed = 1, reps = 3, minMs = 20,
      maxFlops = 4e9 } = checkOptions('mixersCost', opts, ['kinds', 'ns', 'd', 'seed', 'reps', 'minMs', 'maxFlops']);
    kinds.forEach((k) => checkEnum('mixersCost', 'kinds', k, MIXER_KINDS));
    ns.forEach((n) => checkInt('mixersCost', 'ns', n, 1, 4096));
    const rows = [];
    const total = kinds.length * ns.length;
    let done = 0;
    for (const n of ns) {
      const x = pw.mixerInput('random', n, d, { seed });
      for (const kind of kinds) {
        const c = pw.mixerCost(kind, n, d, { seed });
        let ms = null, flops = c.flops;
        const skipped = c.flops > maxFlops;
        if (!skipped) {
          const m = new pw.TokenMixer(kind, { n, d, seed });
          try {
            flops = m.forwardWithFlops(x, n).flops;  // warm-up and the counted FLOPs
            ms = Infinity;
            for (let r = 0; r < reps; r++) {
              const t0 = now();
              let calls = 0;
              do { m.forward(x, n); calls++; } while (now() - t0 < minMs);
              ms = Math.min(ms, (now() - t0) / calls);
            }
          } finally { m.dispose(); }
        }
        rows.push({ kind, n, ms, flops, order: c.order, skipped });
        done++;
        yield { done, total, kind, n, ms };
      }
    }
    return { d, ns, kinds, rows };
  },
};
