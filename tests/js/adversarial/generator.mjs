// The generator's pure parts (no instance): bit-exact fingerprints, NaN search and the bad calls of a table row.

/** A string that differs whenever a result differs in any bit (numbers by their float64 bits). */
export function fingerprint(v) {
  const bits = (x) => {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, x);
    return dv.getBigUint64(0).toString(16);
  };
  if (typeof v === 'number') return `n${bits(v)}`;
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${Array.from(v, (x) => fingerprint(Number(x))).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(fingerprint).join(',')}]`;
  if (typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}:${fingerprint(v[k])}`).join(',')}}`;
  return typeof v;
}

/** The first NaN in a result, as a path, or null. */
export function findNaN(v, path = 'result') {
  if (typeof v === 'number') return Number.isNaN(v) ? path : null;
  if (ArrayBuffer.isView(v)) {
    for (let i = 0; i < v.length; i++) if (Number.isNaN(Number(v[i]))) return `${path}[${i}]`;
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = findNaN(x, `${path}.${k}`);
      if (p) return p;
    }
  }
  return null;
}

/** Every bad call of one function: [{ where, cls, args, valid }]. */
export function* badCalls(f) {
  const goods = () => f.args.map((k) => (k.keys ? { ...k.good } : k.good));
  for (let i = 0; i < f.args.length; i++) {
    const kind = f.args[i];
    for (const c of kind.cases()) {
      const args = goods();
      args[i] = c.value;
      yield { where: `arg ${i}`, cls: c.cls, args, valid: kind.valid.has(c.cls) };
    }
    if (!kind.keys) continue;
    for (const [key, sub] of Object.entries(kind.keys)) {
      for (const c of sub.cases()) {
        if (c.cls === 'undefined') continue;
        const args = goods();
        args[i] = { ...args[i], [key]: c.value };
        yield { where: `arg ${i}.${key}`, cls: c.cls, args, valid: sub.valid.has(c.cls) };
      }
    }
  }
}
