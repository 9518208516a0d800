// <pw-attention>: attention's robustness to i.i.d. logit noise and the information in a softmax (post 6).
// Part 1: E|õ − o| against n (Monte Carlo in the Worker) with the fitted slope and the delta-method line;
// part 2: the exact minimum entropy over [−1/τ, 1/τ]^n and its large-n limit; part 3: entropy and ½‖J‖₁
// against the scale of random initial logits (Worker). Every number shown comes from wasm.
import { PwElement } from './base.js';
import { linePlot, fmt } from './plot.js';

const NS = { 1000: [10, 30, 100, 300, 1000], 10000: [10, 30, 100, 300, 1000, 3000, 10000], 100000: [10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000] };
const SCALES = [0, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20];

class PwAttention extends PwElement {
  static topic = 'attention';
  static fallback = { en: 'Attention under logit noise, and softmax entropy: interactive figure (loads when visible).', zh: '注意力的噪声鲁棒性与 softmax 的熵：交互图（进入视口时加载）。' };
  // Reserved sizes (no layout shift when the Worker's results arrive): the figures' drawn heights, and for the
  // sentences that appear later the height of their text at the widget's width (container queries; measured
  // at 390 and 1280 px and scaled to each range's narrowest width).
  static styles = `
input[type=number] { width: 6em; }
.pw-sized { container: pw / inline-size; }
#noise-plot { height: 260px; }
#gap-plot, #h-plot, #j-plot { height: 240px; }
#noise-conclusion { min-height: 330px; }
#curve-conclusion { min-height: 102px; }
@container pw (min-width: 480px) { #noise-conclusion { min-height: 220px; } #curve-conclusion { min-height: 82px; } }
@container pw (min-width: 700px) { #noise-conclusion { min-height: 150px; } #curve-conclusion { min-height: 62px; } }
`;
  // tau and n: part 2's τ and n (the entropy floor, computed at once on the main thread).
  static params = ['tau', 'n'];
  static errorNames = { tau: 'τ', n: 'n', scale: ['scale b', '尺度 b'], logitStd: ['logit std σ_s', 'logit 标准差 σ_s'], trials: ['trials', '试验次数'],
    seed: ['seed', '种子'], ns: 'n' };

  /** A later tau or n goes into its field and part 2 recomputes (the Worker runs are kept). */
  paramChanged(name) {
    this.$(`#${name}`).value = String(this.numberAttr(name, name === 'tau' ? 1 : 64));
    this.entropy();
  }

  state() { return { tau: this.$('#tau').value, n: this.$('#n').value }; }


  start() {
    const t = this.t.bind(this);
    this.html(`<div class="pw-sized">
      <h3>${t('1. Noise on the logits: mean |õ − o| against n', '1. logits 上的噪声：平均 |õ − o| 随 n 的变化')}</h3>
      <div class="pw-row">
        <label>${t('noise', '噪声')} <select id="noise">
          <option value="gaussian">${t('Gaussian N(0, b²)', '高斯 N(0, b²)')}</option>
          <option value="uniform">${t('uniform U(−b, b)', '均匀 U(−b, b)')}</option>
          <option value="gumbel">${t('Gumbel(0, b)', 'Gumbel(0, b)')}</option>
          <option value="laplace">${t('Laplace(0, b)', 'Laplace(0, b)')}</option></select></label>
        <label>${t('scale b', '尺度 b')} <input id="scale" type="number" min="0" max="5" step="0.05" value="1"></label>
        <label>${t('logit std σ_s', 'logit 标准差 σ_s')} <input id="lstd" type="number" min="0" max="3" step="0.1" value="1"></label>
        <label>${t('largest n', '最大 n')} <select id="nmax"><option value="1000">10³</option><option value="10000" selected>10⁴</option><option value="100000">10⁵</option></select></label>
        <label>${t('trials', '试验次数')} <input id="trials" type="number" min="10" max="2000" step="10" value="200"></label>
        <label>${t('seed', '种子')} <input id="seed" type="number" min="0" step="1" value="1"></label>
        <button id="run-noise" type="button">${t('Run', '运行')}</button>
        <progress id="noise-progress" max="1" value="0" aria-label="${t('Monte Carlo progress', '蒙特卡洛进度')}"></progress>
      </div>
      <canvas id="noise-plot" role="img" aria-label="${t('attention error against n, log-log', '注意力误差随 n 变化（双对数）')}"></canvas>
      <p class="pw-conclusion" id="noise-conclusion" aria-live="polite"></p>
      <p class="pw-error" id="noise-err"></p>
      <h3>${t('2. How low can the entropy of softmax go with logits in [−1/τ, 1/τ]?', '2. logits 在 [−1/τ, 1/τ] 内时 softmax 的熵最低能到多少？')}</h3>
      <div class="pw-row">
        <label>τ <input id="tau" type="number" min="0.01" max="100" step="0.05" value="${this.numberAttr('tau', 1)}"></label>
        <label>n <input id="n" type="number" min="1" max="10000000" step="1" value="${this.numberAttr('n', 64)}"></label>
      </div>
      <canvas id="gap-plot" role="img" aria-label="${t('log n minus entropy against the fraction of logits at −1/τ', 'log n − 熵 随 −1/τ 处 logits 比例的变化')}"></canvas>
      <p class="pw-num" id="entropy-out"></p>
      <p class="pw-conclusion" id="entropy-conclusion" aria-live="polite"></p>
      <p class="pw-error" id="entropy-err"></p>
      <h3>${t('3. Random initial logits: entropy and gradient size ½‖J‖₁ against their scale', '3. 随机初始 logits：熵与梯度大小 ½‖J‖₁ 随尺度的变化')}</h3>
      <div class="pw-row">
        <label>n <input id="cn" type="number" min="2" max="100000" step="1" value="512"></label>
        <label>${t('trials', '试验次数')} <input id="ctrials" type="number" min="2" max="1000" step="1" value="50"></label>
        <button id="run-curve" type="button">${t('Run', '运行')}</button>
        <progress id="curve-progress" max="1" value="0" aria-label="${t('curve progress', '曲线进度')}"></progress>
      </div>
      <div class="pw-grid two">
        <canvas id="h-plot" role="img" aria-label="${t('entropy against initial logit scale', '熵随初始 logit 尺度的变化')}"></canvas>
        <canvas id="j-plot" role="img" aria-label="${t('half L1 norm of the Jacobian against initial logit scale', '雅可比矩阵 ½L1 范数随初始 logit 尺度的变化')}"></canvas>
      </div>
      <p class="pw-conclusion" id="curve-conclusion" aria-live="polite"></p>
      <p class="pw-error" id="curve-err"></p>
    </div>`);
    this.$('#run-noise').addEventListener('click', () => this.runNoise());
    this.$('#run-curve').addEventListener('click', () => this.runCurve());
    for (const id of ['#tau', '#n']) this.$(id).addEventListener('input', () => this.entropy());
    this.entropy();
    this.runNoise().then(() => this.runCurve());
  }

  async task(name, args, key, progress, attr) {
    this[key]?.abort();
    this.setAttribute(attr, 'running');
    const ctl = (this[key] = new AbortController());
    this.worker ??= this.pw.worker();
    progress.value = 0;
    return this.worker.run(name, args, { signal: ctl.signal, onProgress: (p) => { progress.value = p.done / p.total; } });
  }

  async runNoise() {
    const t = this.t.bind(this);
    const err = this.$('#noise-err');
    const opts = { noise: this.$('#noise').value, scale: Number(this.$('#scale').value), logitStd: Number(this.$('#lstd').value),
      trials: Number(this.$('#trials').value), seed: Number(this.$('#seed').value) };
    const ns = NS[this.$('#nmax').value];
    err.textContent = '';
    try {
      const r = await this.task('attentionNoiseScaling', [ns, opts], 'noiseCtl', this.$('#noise-progress'), 'data-noise');
      // Plot coordinates only: both axes show log10 of the wasm numbers, labelled with the values themselves.
      const lg = (a) => Array.from(a, Math.log10);
      const near = (v) => Math.abs(v - Math.round(v)) < 1e-9;
      const series = [
        { x: lg(r.n), y: lg(r.mean), points: true, label: t('Monte Carlo mean |õ − o|', '蒙特卡洛平均 |õ − o|'), radius: 3.5 },
        { x: lg(r.n), y: lg(r.fitted), label: t(`fit: slope ${r.fit.slope.toFixed(3)}`, `拟合：斜率 ${r.fit.slope.toFixed(3)}`), dash: [5, 3] },
      ];
      if (r.theory.varianceFinite) series.push({ x: lg(r.n), y: lg(r.predicted), label: t(`asymptote ${r.theory.constant.toFixed(4)}·n^−½ (delta method)`, `渐近线 ${r.theory.constant.toFixed(4)}·n^−½（delta 方法）`), dash: [2, 2] });
      // The asymptotic regime: refit over n ≥ 1000 only (the wasm fit, on the tail of the same data).
      const k0 = Array.from(r.n).findIndex((v) => v >= 1000);
      const tailFit = k0 >= 0 && r.n.length - k0 >= 2 ? this.pw.fitLogLogSlope(r.n.slice(k0), r.mean.slice(k0), r.stderr.slice(k0)) : null;
      linePlot(this.$('#noise-plot'), { series, xlabel: t('n (log scale)', 'n（对数坐标）'), ylabel: t('mean |õ − o| (log scale)', '平均 |õ − o|（对数）'),
        xfmt: (v) => (near(v) ? `10^${Math.round(v)}` : ''), yfmt: (v) => fmt(10 ** v), height: 260 });
      const th = r.theory, f = r.fit;
      const tail = !th.meanFinite
        ? t(`E[e^ε] is infinite for this noise, so the post's cancellation does not apply (predicted slope ${th.slope}).`, `此噪声的 E[e^ε] 无穷大，文中的相消论证不成立（预测斜率 ${th.slope}）。`)
        : !th.varianceFinite
          ? t(`Var e^ε is infinite, so the predicted rate is n^${th.slope.toFixed(3)}, not n^−½.`, `Var e^ε 无穷大，预测速率为 n^${th.slope.toFixed(3)} 而非 n^−½。`)
          : t(`the CLT predicts −½ and E|õ − o| ≈ ${th.constant.toFixed(4)}·n^−½ only as n → ∞. ${tailFit ? `Fitted over n ≥ 1000 only, where that regime starts, the slope is ${tailFit.slope.toFixed(3)} ± ${tailFit.slopeStderr.toFixed(3)}. ` : ''}At small n the error sits below the asymptote (${fmt(r.mean[0])} vs ${fmt(r.predicted[0])} at n = ${ns[0]}; ${fmt(r.mean[r.mean.length - 1])} vs ${fmt(r.predicted[r.predicted.length - 1])} at n = ${ns[ns.length - 1]}): the asymptote's variance is set by E[e^{2s}], which rare large logits dominate, and a sum of n lognormal weights reaches it only slowly. That pre-asymptotic approach, not a different law, is why the slope over all n is shallower than −½.`,
            `中心极限定理预测斜率 −½，E|õ − o| ≈ ${th.constant.toFixed(4)}·n^−½，但只在 n → ∞ 时成立。${tailFit ? `只在 n ≥ 1000（该区间开始处）拟合，斜率为 ${tailFit.slope.toFixed(3)} ± ${tailFit.slopeStderr.toFixed(3)}。` : ''}小 n 时误差低于渐近线（n = ${ns[0]} 时 ${fmt(r.mean[0])} 对 ${fmt(r.predicted[0])}；n = ${ns[ns.length - 1]} 时 ${fmt(r.mean[r.mean.length - 1])} 对 ${fmt(r.predicted[r.predicted.length - 1])}）：渐近方差由 E[e^{2s}] 决定，而它由少数大 logit 主导，n 个对数正态权重之和收敛很慢。所以全范围的斜率比 −½ 平缓，这是前渐近行为，而不是另一条定律。`);
      const c = this.$('#noise-conclusion');
      c.textContent = t(`Your run (${opts.noise}, b = ${opts.scale}): the error falls from ${fmt(r.mean[0])} at n = ${ns[0]} to ${fmt(r.mean[r.mean.length - 1])} at n = ${ns[ns.length - 1]}, a fitted slope of ${f.slope.toFixed(3)} ± ${f.slopeStderr.toFixed(3)}; `,
        `你的运行（${opts.noise}，b = ${opts.scale}）：误差从 n = ${ns[0]} 时的 ${fmt(r.mean[0])} 降到 n = ${ns[ns.length - 1]} 时的 ${fmt(r.mean[r.mean.length - 1])}，拟合斜率 ${f.slope.toFixed(3)} ± ${f.slopeStderr.toFixed(3)}；`) + tail;
      c.dataset.slope = String(f.slope);
      c.dataset.slopeStderr = String(f.slopeStderr);
      if (tailFit) { c.dataset.tailSlope = String(tailFit.slope); c.dataset.tailSlopeStderr = String(tailFit.slopeStderr); }
      this.setAttribute('data-noise', 'done');
    } catch (e) {
      if (e.name !== 'AbortError') { this.showError(err, e); this.setAttribute('data-noise', 'error'); }
    }
  }

  entropy() {
    const t = this.t.bind(this);
    const err = this.$('#entropy-err');
    const tau = Number(this.$('#tau').value), n = Number(this.$('#n').value);
    try {
      const lim = this.pw.minEntropyLimit({ tau });
      const m = this.pw.minEntropy(n, { tau });
      const ts = Array.from({ length: 200 }, (_, i) => i / 200);
      const g = this.pw.entropyGapFraction(ts, { tau });
      linePlot(this.$('#gap-plot'), {
        series: [
          { x: ts, y: g, label: t('large n: log n − H', '大 n：log n − H') },
          { x: [m.minus / n], y: [m.gap], points: true, radius: 5, label: t(`n = ${n}: minimum`, `n = ${n}：最小值`) },
          { x: [0.5], y: [lim.halfSplitGap], points: true, radius: 4, label: t('half/half (first published)', '一半一半（最初发表）') },
        ],
        vlines: [{ x: lim.fractionMinus, label: `t* = ${lim.fractionMinus.toFixed(7)}` }],
        xmin: 0, xmax: 1, ymin: 0, xlabel: t('fraction t of logits at −1/τ', '位于 −1/τ 的 logits 比例 t'), ylabel: 'log n − H', height: 240,
      });
      this.$('#entropy-out').textContent = t(
        `n = ${n}: H_min = ${m.entropy.toPrecision(7)} (log n − H_min = ${m.gap.toPrecision(7)}), with ${m.plus} logit(s) at +1/τ and ${m.minus} at −1/τ.  Large n: c = ${lim.gap.toFixed(7)} at t* = ${lim.fractionMinus.toFixed(7)}; half/half gives ${lim.halfSplitGap.toFixed(7)}.`,
        `n = ${n}：H_min = ${m.entropy.toPrecision(7)}（log n − H_min = ${m.gap.toPrecision(7)}），${m.plus} 个 logit 在 +1/τ，${m.minus} 个在 −1/τ。大 n：c = ${lim.gap.toFixed(7)}，t* = ${lim.fractionMinus.toFixed(7)}；一半一半得到 ${lim.halfSplitGap.toFixed(7)}。`);
      this.$('#entropy-conclusion').textContent = t(
        `At τ = ${tau} the entropy of a softmax over ${n} logits can never drop below ${m.entropy.toPrecision(4)} nats (log n = ${(m.entropy + m.gap).toPrecision(4)}), so at most ${m.gap.toPrecision(4)} nats below uniform; a smaller τ lowers this floor.`,
        `τ = ${tau} 时，${n} 个 logits 的 softmax 熵不可能低于 ${m.entropy.toPrecision(4)} nats（log n = ${(m.entropy + m.gap).toPrecision(4)}），即最多比均匀分布低 ${m.gap.toPrecision(4)} nats；减小 τ 可降低这一下界。`);
      err.textContent = '';
    } catch (e) {
      this.showError(err, e);
    }
  }

  async runCurve() {
    const t = this.t.bind(this);
    const err = this.$('#curve-err');
    const n = Number(this.$('#cn').value), trials = Number(this.$('#ctrials').value);
    err.textContent = '';
    try {
      const r = await this.task('attentionScaleCurve', [n, SCALES, { trials, seed: 1 }], 'curveCtl', this.$('#curve-progress'), 'data-curve');
      linePlot(this.$('#h-plot'), {
        series: [{ x: r.scale, y: r.entropy, err: r.entropyStderr, label: t(`entropy H (log n = ${fmt(r.entropy[0])} at scale 0)`, `熵 H（尺度 0 时 log n = ${fmt(r.entropy[0])}）`) }],
        ymin: 0, xlabel: t('scale σ of initial logits σ·N(0, 1)', '初始 logits σ·N(0, 1) 的尺度 σ'), ylabel: t('entropy (nats)', '熵（nats）'), height: 240,
      });
      linePlot(this.$('#j-plot'), {
        series: [{ x: r.scale, y: r.halfL1, label: '½‖J‖₁ = 1 − Σp²' }],
        ymin: 0, ymax: 1, xlabel: t('scale σ of initial logits', '初始 logits 的尺度 σ'), ylabel: '½‖J‖₁', height: 240,
      });
      const i1 = SCALES.indexOf(1), i10 = SCALES.indexOf(10);
      this.$('#curve-conclusion').textContent = t(
        `For n = ${n}: at scale 1 the softmax keeps H = ${r.entropy[i1].toFixed(3)} of log n = ${r.entropy[0].toFixed(3)} nats and ½‖J‖₁ = ${r.halfL1[i1].toFixed(3)}; at scale 10 only H = ${r.entropy[i10].toFixed(3)} and ½‖J‖₁ = ${r.halfL1[i10].toFixed(3)}: a large initial scale leaves little information and little gradient.`,
        `n = ${n} 时：尺度 1 下 softmax 的熵 H = ${r.entropy[i1].toFixed(3)}（log n = ${r.entropy[0].toFixed(3)} nats），½‖J‖₁ = ${r.halfL1[i1].toFixed(3)}；尺度 10 下只剩 H = ${r.entropy[i10].toFixed(3)}、½‖J‖₁ = ${r.halfL1[i10].toFixed(3)}：初始尺度过大，信息和梯度都很少。`);
      this.setAttribute('data-curve', 'done');
    } catch (e) {
      if (e.name !== 'AbortError') { this.showError(err, e); this.setAttribute('data-curve', 'error'); }
    }
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.noiseCtl?.abort();
    this.curveCtl?.abort();
    this.worker?.terminate();
    this.worker = null;
  }
}

customElements.define('pw-attention', PwAttention);
