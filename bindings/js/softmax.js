// Softmax family facade (post 8): option handling and type checks; every number comes from wasm.
import { checkArray, checkNumber, checkOptions, colsOption } from './common.js';

export function api(M) {
  return {
    logsumexp(x) {
      return M.logsumexp(checkArray('logsumexp', 'x', x));
    },
    softmax(x, opts) {
      const o = checkOptions('softmax', opts);
      const t = o.temperature === undefined ? 1 : checkNumber('softmax', 'temperature', o.temperature);
      return M.softmax(checkArray('softmax', 'x', x), t, colsOption('softmax', o));
    },
  };
}
