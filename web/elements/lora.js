// <pw-lora>: LoRA+ (post 7) — the learning-rate ratio calculator, and a toy LoRA fine-tuning sweep over
// λ = η_B/η_A that runs in the Worker. Every number shown comes from wasm (pw.lora*).
import { PwElement } from './base.js';
import { linePlot, PALETTE } from './plot.js';

const STYLES = `
fieldset { border: 1px solid var(--pw-border); border-radius: 6px; margin: 8px 0; padding: 6px 10px; }
legend { font-weight: 600; padding: 0 4px; }
input[type=number] { width: 6em; }
input.list { width: 14em; }
.concl { font-weight: 600; margin: 6px 0; min-height: 1.4em; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.plots figure { margin: 0; }
.plots figcaption { font-size: 12px; color: var(--pw-muted); }
`;

class PwLora extends PwElement {
  static topic = 'lora';
  static fallback = {
    en: 'LoRA+: how much faster should B learn than A? Calculator and a toy fine-tuning sweep (loads when visible).',
    zh: 'LoRA+：B 的学习率应比 A 大多少？计算器与玩具微调实验（进入视口时加载）。',
  };
  static styles = STYLES;

  start(pw) {
    const t = (en, zh) => this.t(en, zh);
    this.html(`<div>
      <fieldset id="calc"><legend>${t('Calculator', '计算器')}</legend>
        <div class="pw-row">
          <label>n <input id="n" type="number" min="1" step="1" value="${this.numberAttr('n', 4096)}" aria-label="${t('input width n', '输入维度 n')}"></label>
          <label>m <input id="m" type="number" min="1" step="1" value="${this.numberAttr('m', 4096)}" aria-label="${t('output width m', '输出维度 m')}"></label>
          <label>r <input id="r" type="number" min="1" step="1" value="${this.numberAttr('r', 8)}" aria-label="${t('LoRA rank r', 'LoRA 秩 r')}"></label>
        </div>
        <table><thead><tr><th style="text-align:left">${t('rule', '规则')}</th><th>η<sub>B</sub>/η<sub>A</sub></th></tr></thead>
          <tbody>
            <tr><td style="text-align:left">${t('Su: (n/m)·√(n/r)', '苏剑林：(n/m)·√(n/r)')}</td><td class="pw-num" id="su"></td></tr>
            <tr><td style="text-align:left">${t('LoRA+ paper, Θ(n) with unit constant: (n/m)·(n/r)', 'LoRA+ 论文 Θ(n)（常数取 1）：(n/m)·(n/r)')}</td><td class="pw-num" id="paper"></td></tr>
            <tr><td style="text-align:left">${t('LoRA+ default', 'LoRA+ 默认值')}</td><td class="pw-num" id="dflt"></td></tr>
          </tbody></table>
        <div class="pw-error" id="calc-err" role="alert"></div>
      </fieldset>
      <fieldset id="exp"><legend>${t('Toy fine-tuning: sweep λ = η_B/η_A', '玩具微调实验：扫描 λ = η_B/η_A')}</legend>
        <div class="pw-row">
          <label>${t('model', '模型')} <select id="model"><option value="linear">${t('linear Y = XAB', '线性 Y = XAB')}</option><option value="two-layer">${t('two-layer tanh(X(W0+AB))V', '两层 tanh(X(W0+AB))V')}</option></select></label>
          <label>${t('optimizer', '优化器')} <select id="optimizer"><option value="adam">Adam</option><option value="signsgd">SignSGD</option></select></label>
          <label>${t('zero-initialised', '零初始化')} <select id="init"><option value="B0">B = 0</option><option value="A0">A = 0</option></select></label>
          <label>r <input id="xr" type="number" min="1" step="1" value="2" aria-label="${t('rank r of the experiment', '实验的秩 r')}"></label>
        </div>
        <div class="pw-row">
          <label>${t('widths n (m = n)', '宽度 n（m = n）')} <input id="widths" class="list" value="16 32 64"></label>
          <label>${t('λ grid', 'λ 网格')} <input id="ratios" class="list" value="0.25 0.5 1 2 4 8 16 32 64 128 256"></label>
          <label>${t('η_A grid', 'η_A 网格')} <input id="lrs" class="list" value="0.003"></label>
        </div>
        <div class="pw-row">
          <label>${t('steps', '步数')} <input id="steps" type="number" min="1" step="10" value="100"></label>
          <label>${t('batch', '样本数')} <input id="batch" type="number" min="1" step="16" value="128"></label>
          <label>${t('seed', '种子')} <input id="seed" type="number" min="0" step="1" value="1"></label>
          <label>${t('repeats', '重复')} <input id="repeats" type="number" min="1" max="64" step="1" value="2" aria-label="${t('independent draws averaged per point', '每点平均的独立抽样数')}"></label>
          <button id="run" type="button">${t('Run sweep', '运行')}</button>
          <button id="cancel" type="button" disabled>${t('Cancel', '取消')}</button>
          <progress id="progress" max="1" value="0" aria-label="${t('sweep progress', '扫描进度')}"></progress>
          <span id="status" class="pw-muted" aria-live="polite"></span>
        </div>
        <div class="concl" id="conclusion" aria-live="polite"></div>
        <div class="plots">
          <figure><canvas id="curves" role="img" aria-label="${t('final loss against λ, one curve per width', '最终损失随 λ 的变化，每个宽度一条曲线')}"></canvas>
            <figcaption>${t('Final loss (mean of the last 10% of steps, best η_A per point) against λ.', '最终损失（最后 10% 步的平均，每点取最优 η_A）随 λ 的变化。')}</figcaption></figure>
          <figure><canvas id="scaling" role="img" aria-label="${t('best λ against width n with √n and n laws', '最优 λ 随宽度 n 的变化及 √n、n 两条参考线')}"></canvas>
            <figcaption>${t('Best λ per width (parabola-refined argmin) against n, with Su’s (n/m)√(n/r) and the paper’s (n/m)(n/r).', '各宽度的最优 λ（抛物线细化的最小点）随 n 的变化，对照苏剑林的 (n/m)√(n/r) 与论文的 (n/m)(n/r)。')}</figcaption></figure>
        </div>
        <div class="pw-error" id="exp-err" role="alert"></div>
      </fieldset></div>`);
    for (const id of ['n', 'm', 'r']) this.$(`#${id}`).addEventListener('input', () => this.renderCalc());
    this.$('#run').addEventListener('click', () => this.runSweep());
    this.$('#cancel').addEventListener('click', () => this.job?.abort());
    this.renderCalc();
    this.runSweep();
  }

  renderCalc() {
    const err = this.$('#calc-err');
    const [n, m, r] = ['n', 'm', 'r'].map((id) => Number(this.$(`#${id}`).value));
    try {
      const q = this.pw.loraRatios(n, m, r);
      this.$('#su').textContent = q.su.toPrecision(6);
      this.$('#paper').textContent = q.paper.toPrecision(6);
      this.$('#dflt').textContent = String(q.loraPlusDefault);
      err.textContent = '';
    } catch (e) {
      for (const id of ['su', 'paper', 'dflt']) this.$(`#${id}`).textContent = '–';
      err.textContent = e.message;
    }
  }

  options() {
    const list = (id) => this.$(`#${id}`).value.trim().split(/[\s,]+/).filter((s) => s !== '').map(Number);
    const num = (id) => Number(this.$(`#${id}`).value);
    return {
      model: this.$('#model').value, optimizer: this.$('#optimizer').value, init: this.$('#init').value,
      r: num('xr'), widths: list('widths'), ratios: list('ratios'), lrs: list('lrs'),
      steps: num('steps'), batch: num('batch'), seed: num('seed'), repeats: num('repeats'),
    };
  }

  async runSweep() {
    const t = (en, zh) => this.t(en, zh);
    this.job?.abort();
    const job = new AbortController();
    this.job = job;
    const opts = this.options();
    const err = this.$('#exp-err'), status = this.$('#status'), progress = this.$('#progress');
    err.textContent = '';
    this.removeAttribute('data-sweep');
    this.$('#run').disabled = true;
    this.$('#cancel').disabled = false;
    progress.value = 0;
    this.partial = { opts, loss: new Float64Array(opts.widths.length * opts.ratios.length).fill(NaN) };
    this.result = null;
    this.$('#conclusion').textContent = '';
    this.renderPlots();
    try {
      this.worker ??= this.pw.worker();
      const res = await this.worker.run('loraSweep', [opts], {
        signal: job.signal,
        onProgress: (p) => {
          if (this.job !== job) return;
          progress.value = p.done / p.total;
          status.textContent = `${p.done}/${p.total}: n = ${opts.widths[p.w]}, λ = ${opts.ratios[p.i]}`;
          this.partial.loss[p.w * opts.ratios.length + p.i] = p.loss;
          this.renderPlots();
        },
      });
      if (this.job !== job) return;
      this.result = { opts, res, refs: opts.widths.map((n) => this.pw.loraRatios(n, n, opts.r)) };
      status.textContent = t('done', '完成');
      this.renderPlots();
      this.renderConclusion();
      this.setAttribute('data-sweep', 'done');
    } catch (e) {
      if (e?.name === 'AbortError') status.textContent = t('cancelled', '已取消');
      else { err.textContent = e.message; console.error(e); }
    } finally {
      if (this.job === job) {
        this.$('#run').disabled = false;
        this.$('#cancel').disabled = true;
      }
    }
  }

  renderConclusion() {
    const t = (en, zh) => this.t(en, zh);
    const { opts, res } = this.result;
    const bests = Array.from(res.best, (b, k) => `n=${opts.widths[k]}: ${b.toPrecision(3)}`).join(', ');
    const law = {
      decreasing: t('best λ decreases with n: neither √n nor n', '最优 λ 随 n 减小：既非 √n 也非 n'),
      flat: t('closer to no width dependence than to √n', '更接近与宽度无关，而非 √n'),
      sqrt: t('closer to √n (Su)', '更接近 √n（苏剑林）'),
      linear: t('closer to n (the LoRA+ paper)', '更接近 n（LoRA+ 论文）'),
      steeper: t('steeper than n', '比 n 更陡'),
      none: t('one width only: no slope', '只有一个宽度：无法拟合斜率'),
    }[res.law];
    const slope = Number.isFinite(res.slope) ? `${t('measured slope', '实测斜率')} ${res.slope.toFixed(2)}: ${law}` : law;
    const edge = res.atEdge ? t(` ${res.atEdge} at an end of the λ grid: widen it to locate those optima.`,
      `其中 ${res.atEdge} 个位于 λ 网格端点：请扩大网格。`) : '';
    this.$('#conclusion').textContent = t(
      `Best λ > 1 at ${res.aboveOne} of ${res.best.length} widths (${bests}); ${slope}.${edge}`,
      `${res.best.length} 个宽度中有 ${res.aboveOne} 个的最优 λ > 1（${bests}）；${slope}。${edge}`);
  }

  renderPlots() {
    const t = (en, zh) => this.t(en, zh);
    const src = this.result ? { opts: this.result.opts, loss: this.result.res.loss } : this.partial;
    if (!src) return;
    const { opts, loss } = src;
    const R = opts.ratios.length;
    const series = opts.widths.map((n, w) => ({
      x: opts.ratios, y: Array.from(loss.subarray(w * R, (w + 1) * R)), label: `n = ${n}`, color: PALETTE[w % PALETTE.length],
    }));
    const markers = [];
    if (this.result) {
      this.result.res.best.forEach((b, w) => markers.push({ x: b, color: PALETTE[w % PALETTE.length] }));
    }
    const anyData = series.some((s) => s.y.some(Number.isFinite));
    linePlot(this.$('#curves'), {
      series: anyData ? series : [{ x: opts.ratios, y: opts.ratios.map(() => 1), color: 'transparent' }],
      // headroom above the data (×3 on the log axis) keeps the legend off the curves
      ymax: anyData ? 3 * Math.max(...series.flatMap((s) => s.y.filter(Number.isFinite))) : undefined,
      logX: true, logY: anyData, xlabel: t('λ = η_B / η_A', 'λ = η_B / η_A'), ylabel: t('final loss', '最终损失'),
      vlines: [{ x: 1 }, ...markers], height: 260,
    });
    if (!this.result) {
      linePlot(this.$('#scaling'), { series: [{ x: opts.widths, y: opts.widths, color: 'transparent' }], logX: true, logY: true,
        xlabel: t('width n', '宽度 n'), ylabel: t('best λ', '最优 λ'), height: 260 });
      return;
    }
    const { res, refs } = this.result;
    linePlot(this.$('#scaling'), {
      series: [
        { x: opts.widths, y: refs.map((q) => q.su), label: t('Su √n law', '苏 √n'), color: PALETTE[2], dash: [6, 4] },
        { x: opts.widths, y: refs.map((q) => q.paper), label: t('paper n law', '论文 n'), color: PALETTE[4], dash: [2, 3] },
        { x: opts.widths, y: res.best, label: t('measured', '实测'), color: PALETTE[0] },
        { x: opts.widths, y: res.best, points: true, color: PALETTE[0], radius: 4 },
      ],
      ymax: 3 * Math.max(...res.best, ...refs.map((q) => q.paper)),
      logX: true, logY: true, xlabel: t('width n (m = n)', '宽度 n（m = n）'), ylabel: t('best λ', '最优 λ'), height: 260,
    });
  }

  pause() {}
  resume() {}
}

customElements.define('pw-lora', PwLora);
