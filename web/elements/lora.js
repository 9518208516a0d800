// <pw-lora>: LoRA+ (post 7) — the learning-rate ratio calculator, and a toy LoRA fine-tuning sweep over
// λ = η_B/η_A that runs in the Worker. Every number shown comes from wasm (pw.lora*).
import { PwElement } from './base.js';
import { linePlot, PALETTE } from './plot.js';

const STYLES = `
fieldset { border: 1px solid var(--pw-border); border-radius: 6px; margin: 8px 0; padding: 6px 10px; }
legend { font-weight: 600; padding: 0 4px; }
input[type=number] { width: 6em; }
input.list { width: 100%; max-width: 28em; box-sizing: border-box; }
label.list { display: flex; flex-direction: column; align-items: flex-start; flex: 1 1 16em; min-width: 0; }
td.pw-num { white-space: nowrap; }
.headline { font-weight: 600; font-size: 1.05em; margin: 6px 0; min-height: 1.4em; }
.note { font-size: 13px; margin: 6px 0; }
table.scale td, table.scale th { padding: 2px 8px; text-align: right; }
.concl { font-weight: 600; margin: 6px 0; min-height: 1.4em; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.plots[hidden] { display: none; }
.plots figure { margin: 0; }
.plots figcaption { font-size: 12px; color: var(--pw-muted); }
/* Reserved sizes (no layout shift when the Worker's results arrive): the figures' drawn height, and the
   headline's final height at the widget's width (container queries; measured at 390 and 1280 px). */
.pw-sized { container: pw / inline-size; }
.plots canvas { height: 260px; }
#headline { min-height: 108px; }
@container pw (min-width: 480px) { #headline { min-height: 86px; } }
@container pw (min-width: 700px) { #headline { min-height: 64px; } }
`;

class PwLora extends PwElement {
  static topic = 'lora';
  static fallback = {
    en: 'LoRA+: how much faster should B learn than A? The gradient-scale argument measured, a calculator and a toy fine-tuning sweep (loads when visible).',
    zh: 'LoRA+：B 的学习率应比 A 大多少？梯度尺度论证的实测、计算器与玩具微调实验（进入视口时加载）。',
  };
  static styles = STYLES;
  static params = ['n', 'm', 'r'];
  static errorNames = { n: ['width n', '宽度 n'], m: ['width m', '宽度 m'], r: ['rank r', '秩 r'], seeds: ['seeds', '种子数'], widths: ['width n', '宽度 n'],
    ratios: ['λ', 'λ'], lrs: ['η_A', 'η_A'], steps: ['steps', '步数'], batch: ['batch', '样本数'], seed: ['seed', '种子'], repeats: ['repeats', '重复'] };

  state() { return { n: this.$('#n').value, m: this.$('#m').value, r: this.$('#r').value }; }


  start(pw) {
    const t = (en, zh) => this.t(en, zh);
    this.html(`<div class="pw-sized">
      <fieldset id="scale"><legend>${t('The post’s argument, measured: which λ = η_B/η_A makes A and B contribute equally?', '文章的论证实测：λ = η_B/η_A 取多少时 A 与 B 的贡献相当？')}</legend>
        <p class="note">${t('At the scales of §7.3 (A ~ N(0, 1/n), B ~ N(0, 1/r), X and the output gradient ∂L/∂Y of order 1), a SignSGD/Adam step lowers the loss by η_A‖∂A‖₁ + η_B‖∂B‖₁ to first order; the two terms match when λ = ‖∂A‖₁/‖∂B‖₁. Measured here with random gradients, m = n, mean ± 2 standard errors over seeds.',
          '在 §7.3 的尺度下（A ~ N(0, 1/n)，B ~ N(0, 1/r)，X 与输出梯度 ∂L/∂Y 为 O(1)），SignSGD/Adam 一步使损失一阶下降 η_A‖∂A‖₁ + η_B‖∂B‖₁；两项相等时 λ = ‖∂A‖₁/‖∂B‖₁。这里用随机梯度实测，m = n，均值 ± 2 倍标准误（多个种子）。')}</p>
        <div class="pw-row">
          <label>r <input id="sr" type="number" min="1" max="64" step="1" value="${this.numberAttr('rank', 8)}" aria-label="${t('rank r of the measurement', '实测的秩 r')}"></label>
          <label>${t('seeds', '种子数')} <input id="sseeds" type="number" min="2" max="64" step="1" value="8"></label>
          <label class="list">${t('widths n = m', '宽度 n = m')} <input id="swidths" class="list" value="64 128 256 512 1024 2048 4096"></label>
        </div>
        <div class="headline" id="headline" aria-live="polite"></div>
        <div class="plots">
          <figure><canvas id="scaleplot" role="img" aria-label="${t('equal-contribution ratio against width, with √(n/r) and n/r', '等贡献比随宽度的变化，对照 √(n/r) 与 n/r')}"></canvas>
            <figcaption>${t('Measured ‖∂A‖₁/‖∂B‖₁ (dots, ±2 s.e.) against n, with Su’s √(n/r) and the paper’s n/r.', '实测 ‖∂A‖₁/‖∂B‖₁（点，±2 标准误）随 n 的变化，对照苏剑林的 √(n/r) 与论文的 n/r。')}</figcaption></figure>
          <figure><canvas id="defaultplot" role="img" aria-label="${t('√(n/r) over LoRA+ widths against the default 16', 'LoRA+ 宽度范围内的 √(n/r) 与默认值 16')}"></canvas>
            <figcaption>${t('√(n/r) over the widths LoRA+ used (n = 768–4096) for r = 4, 8, 16, against LoRA+’s default λ = 16.', 'LoRA+ 所用宽度（n = 768–4096）上 r = 4、8、16 的 √(n/r)，对照 LoRA+ 默认 λ = 16。')}</figcaption></figure>
        </div>
        <div class="pw-error" id="scale-err" role="alert"></div>
      </fieldset>
      <fieldset id="calc"><legend>${t('Calculator', '计算器')}</legend>
        <div class="pw-row">
          <label>n <input id="n" type="number" min="1" step="1" value="${this.numberAttr('n', 1024)}" aria-label="${t('input width n', '输入维度 n')}"></label>
          <label>m <input id="m" type="number" min="1" step="1" value="${this.numberAttr('m', 256)}" aria-label="${t('output width m', '输出维度 m')}"></label>
          <label>r <input id="r" type="number" min="1" step="1" value="${this.numberAttr('r', 8)}" aria-label="${t('LoRA rank r', 'LoRA 秩 r')}"></label>
        </div>
        <table><thead><tr><th style="text-align:left">${t('rule', '规则')}</th><th>η<sub>B</sub>/η<sub>A</sub></th></tr></thead>
          <tbody>
            <tr><td style="text-align:left">${t('Su: (n/m)·√(n/r)', '苏剑林：(n/m)·√(n/r)')}</td><td class="pw-num" id="su"></td></tr>
            <tr><td style="text-align:left">${t('measured ‖∂A‖₁/‖∂B‖₁ (random gradients, 8 seeds, ± s.d.)', '实测 ‖∂A‖₁/‖∂B‖₁（随机梯度，8 个种子，± 标准差）')}</td><td class="pw-num" id="meas"></td></tr>
            <tr><td style="text-align:left">${t('what the gradients’ scales give: n/√(m r)', '梯度的实际尺度给出：n/√(m r)')}</td><td class="pw-num" id="law"></td></tr>
            <tr><td style="text-align:left">${t('LoRA+ paper, Θ(n) with unit constant: (n/m)·(n/r)', 'LoRA+ 论文 Θ(n)（常数取 1）：(n/m)·(n/r)')}</td><td class="pw-num" id="paper"></td></tr>
            <tr><td style="text-align:left">${t('LoRA+ default', 'LoRA+ 默认值')}</td><td class="pw-num" id="dflt"></td></tr>
          </tbody></table>
        <p class="note" id="calc-note" aria-live="polite"></p>
        <div class="pw-error" id="calc-err" role="alert"></div>
      </fieldset>
      <fieldset id="exp"><legend>${t('A trained toy: sweep λ = η_B/η_A (where the law does not show)', '训练玩具模型：扫描 λ = η_B/η_A（定律在此不成立）')}</legend>
        <p class="note"><strong>${t('This toy does not follow either law.', '这个玩具模型不服从任何一条定律。')}</strong> ${t('The best λ of a short teacher–student run depends on the optimiser, the init, the rank, the steps and the seed: reasonable settings give log–log slopes from about −0.9 to +1.8, and at some widths a best λ below 1. The post’s argument is about the size of one step’s two contributions (measured above), not about the optimum of such a toy; the post itself has no experiment. Press “Run sweep” to see it.',
          '短程师生回归的最优 λ 取决于优化器、初始化、秩、步数和种子：合理设置下的双对数斜率约在 −0.9 到 +1.8 之间，且某些宽度的最优 λ 小于 1。文章的论证针对单步两项贡献的大小（上面已实测），而非这种玩具模型的最优点；文章本身没有实验。点击“运行”查看。')}</p>
        <div class="pw-row">
          <label>${t('model', '模型')} <select id="model"><option value="linear">${t('linear Y = XAB', '线性 Y = XAB')}</option><option value="two-layer">${t('two-layer tanh(X(W0+AB))V', '两层 tanh(X(W0+AB))V')}</option></select></label>
          <label>${t('optimizer', '优化器')} <select id="optimizer"><option value="adam">Adam</option><option value="signsgd">SignSGD</option></select></label>
          <label>${t('zero-initialised', '零初始化')} <select id="init"><option value="B0">B = 0</option><option value="A0">A = 0</option></select></label>
          <label>r <input id="xr" type="number" min="1" step="1" value="2" aria-label="${t('rank r of the experiment', '实验的秩 r')}"></label>
        </div>
        <div class="pw-row">
          <label class="list">${t('widths n (m = n)', '宽度 n（m = n）')} <input id="widths" class="list" value="16 32 64"></label>
          <label class="list">${t('λ grid', 'λ 网格')} <input id="ratios" class="list" value="0.25 0.5 1 2 4 8 16 32 64 128 256"></label>
          <label class="list">${t('η_A grid', 'η_A 网格')} <input id="lrs" class="list" value="0.003"></label>
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
        <div class="plots" id="toyplots" hidden>
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
    { const o = this.options(); this.partial = { opts: o, loss: new Float64Array(o.widths.length * o.ratios.length).fill(NaN) }; }
    for (const id of ['sr', 'sseeds', 'swidths']) this.$(`#${id}`).addEventListener('change', () => this.renderScale());
    this.renderScale();
    this.renderDefaults();
    this.renderCalc();
  }

  /** A later n, m or r goes into the calculator's field and the calculator recomputes (the sweeps keep running). */
  paramChanged(name) {
    const dflt = { n: 1024, m: 256, r: 8 }[name];
    this.$(`#${name}`).value = String(this.numberAttr(name, dflt));
    this.renderCalc();
  }

  // The headline: §7.4's equal-contribution ratio measured at m = n (Worker task, one width per step).
  async renderScale() {
    const t = (en, zh) => this.t(en, zh);
    const err = this.$('#scale-err');
    const r = Number(this.$('#sr').value), seeds = Number(this.$('#sseeds').value);
    const widths = this.$('#swidths').value.trim().split(/[\s,]+/).filter((v) => v !== '').map(Number);
    this.scaleJob?.abort();
    const job = (this.scaleJob = new AbortController());
    this.removeAttribute('data-scale');
    const ratios = [];
    const draw = (points, s) => {
      const done = widths.slice(0, points.length);
      linePlot(this.$('#scaleplot'), {
        series: [
          { x: widths, y: ratios.map((q) => q.su), label: t('Su √(n/r)', '苏 √(n/r)'), color: PALETTE[2], dash: [6, 4] },
          { x: widths, y: ratios.map((q) => q.paper), label: t('paper n/r', '论文 n/r'), color: PALETTE[4], dash: [2, 3] },
          { x: done, y: points.map((p) => p.mean), err: points.map((p) => 2 * p.sem), points: true, label: t('measured', '实测'), color: PALETTE[0], radius: 4 },
        ],
        logX: true, logY: true, xlabel: t('width n = m', '宽度 n = m'), ylabel: t('λ = ‖∂A‖₁/‖∂B‖₁', 'λ = ‖∂A‖₁/‖∂B‖₁'), height: 260,
      });
      if (!s) {
        this.$('#headline').textContent = t(`measuring… ${points.length}/${widths.length} widths`, `测量中… ${points.length}/${widths.length} 个宽度`);
        return;
      }
      const law = s.slope > 0.75 ? t('closer to the paper’s n', '更接近论文的 n') : s.slope > 0.25 ? t('√n, as Su argues, not n', '√n，如苏剑林所论，而非 n') : t('flatter than √n', '比 √n 平');
      const last = s.points[s.points.length - 1];
      this.$('#headline').textContent = t(
        `Measured slope ${s.slope.toFixed(3)} ± ${(2 * s.slopeSem).toFixed(3)} (2 s.e., ${seeds} seeds): the equal-contribution λ grows as ${law}. At n = ${widths[widths.length - 1]}, r = ${r}: ${last.mean.toPrecision(4)} ± ${(2 * last.sem).toPrecision(2)} vs √(n/r) = ${last.su.toPrecision(4)}.`,
        `实测斜率 ${s.slope.toFixed(3)} ± ${(2 * s.slopeSem).toFixed(3)}（2 倍标准误，${seeds} 个种子）：等贡献 λ 按 ${law} 增长。n = ${widths[widths.length - 1]}、r = ${r} 时：${last.mean.toPrecision(4)} ± ${(2 * last.sem).toPrecision(2)}，√(n/r) = ${last.su.toPrecision(4)}。`);
    };
    try {
      for (const n of widths) ratios.push(this.pw.loraRatios(n, n, r));
      draw([]);
      this.worker ??= this.pw.worker();
      const points = [];
      const s = await this.worker.run('loraGradientScaleSweep', [widths, { r, seeds }], {
        signal: job.signal,
        onProgress: (p) => { if (this.scaleJob === job) { points.push(p.point); draw(points); } },
      });
      if (this.scaleJob !== job) return;
      this.scale = s;
      draw(s.points, s);
      this.setAttribute('data-slope', String(s.slope));
      this.setAttribute('data-scale', 'done');
      err.textContent = '';
    } catch (e) {
      if (e?.name === 'AbortError') return;
      this.showError(err, e);
      this.$('#headline').textContent = '';
    }
  }

  renderDefaults() {
    const t = (en, zh) => this.t(en, zh);
    // √(n/r) against LoRA+'s default 16 over the widths LoRA+ used (post 7 §7.5).
    const ns = [768, 1024, 1536, 2048, 2560, 3072, 4096];
    const dflt = this.pw.loraRatios(768, 768, 8).loraPlusDefault;
    linePlot(this.$('#defaultplot'), {
      series: [
        ...[4, 8, 16].map((rr, k) => ({ x: ns, y: ns.map((n) => this.pw.loraRatios(n, n, rr).su), label: `√(n/${rr})`, color: PALETTE[[1, 0, 3][k]], points: true, radius: 3 })),
        ...[4, 8, 16].map((rr, k) => ({ x: ns, y: ns.map((n) => this.pw.loraRatios(n, n, rr).su), color: PALETTE[[1, 0, 3][k]] })),
        { x: [768, 4096], y: [dflt, dflt], label: t('LoRA+ default 16', 'LoRA+ 默认 16'), color: PALETTE[4], dash: [6, 4] },
      ],
      logX: true, ymin: 0, ymax: 40, xlabel: t('width n (m = n)', '宽度 n（m = n）'), ylabel: 'λ', height: 260,
    });
  }

  renderCalc() {
    const err = this.$('#calc-err');
    const [n, m, r] = ['n', 'm', 'r'].map((id) => Number(this.$(`#${id}`).value));
    try {
      const q = this.pw.loraRatios(n, m, r);
      this.$('#su').textContent = q.su.toPrecision(6);
      this.$('#paper').textContent = q.paper.toPrecision(6);
      this.$('#dflt').textContent = String(q.loraPlusDefault);
      const law = this.pw.loraGradientRatioLaw(n, m, r);
      this.$('#law').textContent = law.toPrecision(6);
      const meas = this.pw.loraGradientScale({ n, m, r, seeds: 8 });
      this.$('#meas').textContent = `${meas.mean.toPrecision(4)} ± ${meas.sd.toPrecision(2)}`;
      const t = (en, zh) => this.t(en, zh);
      this.$('#calc-note').textContent = n === m
        ? t(`With m = n Su’s formula and n/√(m r) coincide, and the measurement agrees.`, `m = n 时苏剑林的公式与 n/√(m r) 相同，实测也吻合。`)
        : t(`With m ≠ n the measurement follows n/√(m r) = ${law.toPrecision(3)}, not Su’s (n/m)√(n/r) = ${q.su.toPrecision(3)}: the entries of ∂A sum m terms (a factor √m) and those of ∂B sum n terms of A’s size (a factor √n), which §7.4’s count leaves out.`,
          `m ≠ n 时实测服从 n/√(m r) = ${law.toPrecision(3)}，而非苏剑林的 (n/m)√(n/r) = ${q.su.toPrecision(3)}：∂A 的元素是 m 项之和（多一个 √m），∂B 的元素是 n 项 A 量级之和（多一个 √n），§7.4 的计数漏掉了这两点。`);
      err.textContent = '';
    } catch (e) {
      for (const id of ['su', 'paper', 'dflt', 'law', 'meas']) this.$(`#${id}`).textContent = '–';
      this.$('#calc-note').textContent = '';
      this.showError(err, e);
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
    this.$('#toyplots').hidden = false;
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
      else { this.showError(err, e); console.error(e); }
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
