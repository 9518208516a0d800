// The library's errors said for a reader, in the widget's language: one place for every <pw-*> element.
// The core and the facade name the function, the parameter, the requirement and the value
// ("entmax: x[1] must not be NaN, got NaN"); a reader sees "logit 2 is not a number" (or 第 2 个 logit 不是数字),
// and the developer's message stays in the element's tooltip (PwElement.showError).

/** Requirement phrases of src/common/errors.hpp and bindings/js/common.js, [pattern, English, Chinese]. */
const RULES = [
  [/^not be NaN$|^be a number$/, () => ['is not a number', '不是数字']],
  [/^be non-empty|^have at least one/, () => ['must not be empty', '不能为空']],
  [/^be (?:a )?positive integer$/, () => ['must be a whole number ≥ 1', '必须是正整数']],
  [/^be an integer in \[(.+), (.+)\]$/, (m) => (Number(m[2]) >= 2 ** 53 - 1 ? [`must be a whole number ≥ ${m[1]}`, `必须是不小于 ${m[1]} 的整数`]
    : [`must be a whole number from ${m[1]} to ${m[2]}`, `必须是 ${m[1]} 到 ${m[2]} 之间的整数`])],
  [/^be (?:a )?(?:positive(?: finite)?(?: number)?|finite and > 0|> 0)$/, () => ['must be greater than 0', '必须大于 0']],
  [/^be (?:finite and |a finite number )?(?:>=|≥) (.+)$|^be at least (.+)$/, (m) => [`must be at least ${m[1] ?? m[2]}`, `必须不小于 ${m[1] ?? m[2]}`]],
  [/^be (?:<=|≤) (.+)$|^be at most (.+)$/, (m) => [`must be at most ${m[1] ?? m[2]}`, `必须不大于 ${m[1] ?? m[2]}`]],
  [/^be in ([[(].*[\])])(.*)$/, (m) => [`must lie in ${m[1]}${m[2]}`, `必须在 ${m[1]}${m[2]} 内`]],
  [/^be (?:a )?non-negative integer$/, () => ['must be a whole number ≥ 0', '必须是非负整数']],
  [/^be finite with (.*)$/, (m) => [`must be a finite number with ${m[1]}`, `必须是满足 ${m[1]} 的有限数`]],
  [/^be finite/, () => ['must be a finite number', '必须是有限数']],
  [/^be one of (.*)$/, (m) => [`must be one of ${m[1]}`, `必须是 ${m[1]} 之一`]],
];

/** The value as a reader reads it. */
function value(v, zh) {
  if (/^"?NaN"?$|^undefined$|^null$/.test(v)) return zh ? '不是数字' : 'not a number';
  return v.replace(/^(-?)Infinity$/, (_, s) => `${s ? '−' : ''}∞`).replace(/^"(.*)"$/, '“$1”');
}

/**
 * A reader's sentence for an error of the library (or the message itself when it does not follow the
 * library's pattern). names: parameter → reader's name, a string or [en, zh]; an indexed parameter
 * ("x[1]") is named with its 1-based position: names.x = ['logit {i}', '第 {i} 个 logit'].
 */
export function readerError(err, locale = 'en', names = {}) {
  const msg = String(err?.message ?? err);
  const zh = locale === 'zh';
  const m = /^[\w.]+: ([\w.]+)(?:\[(\d+)\])? must (.*?), got (.*)$/s.exec(msg);
  if (!m) return msg.replace(/^[\w.]+: /, '');
  const [, param, index, req, got] = m;
  let name = names[param] ?? param;
  if (Array.isArray(name)) name = name[zh ? 1 : 0];
  if (index !== undefined) name = name.includes('{i}') ? name.replace('{i}', String(Number(index) + 1)) : `${name}[${Number(index) + 1}]`;
  else name = name.replace(/第 \{i\} 个 ?/, '').replace(' {i}', 's');  // the whole vector: "logits"
  const zhName = /[\u3000-\u9fff\uff00-\uffef]$/.test(name) ? name : `${name} `;  // no space after Chinese text
  const nan = /^"?NaN"?$|^undefined$/.test(got);
  for (const [re, say] of RULES) {
    const r = re.exec(req);
    if (!r) continue;
    const [en, cn] = nan ? ['is not a number', '不是数字'] : say(r);
    if (nan || r[0].startsWith('not be NaN') || r[0] === 'be a number') return zh ? `${zhName}${cn}` : `${name} ${en}`;
    return zh ? `${zhName}${cn}（当前为 ${value(got, true)}）` : `${name} ${en} (got ${value(got, false)})`;
  }
  return zh ? `${zhName}不符合要求：must ${req}（当前为 ${value(got, true)}）` : `${name} must ${req} (got ${value(got, false)})`;
}
