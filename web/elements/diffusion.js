// <pw-ddim target="grid" steps="10" eta="0">: DDPM and DDIM sampling a 2-D target step by step (post 4).
// Everything numeric runs in wasm in the module Worker (tasks in bindings/js/diffusion-sampling.js); this
// element only draws what comes back.
import { PwElement } from './base.js';
import { tasks } from '../diffusion.js';
import { linePlot, cssColor, fmt, PALETTE, context2d, isCapturing } from './plot.js';

const TARGETS = ['ring', 'grid', 'spiral', 'moons', 'draw'];
const STEPS = [5, 10, 20, 50, 100, 250, 1000];
const TABLE_STEPS = [10, 20, 50, 100, 1000];
const TABLE_ETAS = [0, 0.2, 0.5, 1];
const EXTENT = 3.6;
// The quality-vs-cost figure (issue 15): the samplers diffusers ships, with the labels their users know.
const COST_SAMPLERS = [
  ['ddim', 'DDIM', true], ['ddpm', 'DDPM', true], ['euler', 'Euler', true], ['heun', 'Heun', true],
  ['dpm++2m', 'DPM++ 2M', true], ['unipc', 'UniPC', true], ['euler-ancestral', 'Euler a', false],
  ['dpm++3m', 'DPM++ 3M', false], ['dpm++2m-sde', 'DPM++ 2M SDE', false],
];
const COST_NAME = Object.fromEntries(COST_SAMPLERS.map(([k, label]) => [k, label]));
const DPM_TYPE = ['dpm++2m', 'dpm++3m', 'unipc', 'dpm++2m-sde'];
const FIRST_ORDER = ['ddim', 'euler', 'ddpm', 'euler-ancestral'];
const COST_SETTINGS = { steps: [4, 6, 10, 20, 50], count: 2000, referenceCount: 10000, repeats: 6, seed: 1 };

class PwDdim extends PwElement {
  static topic = 'diffusion';
  static fallback = {
    en: 'DDPM vs DDIM: sampling a 2-D distribution step by step (loads when visible).',
    zh: 'DDPM 与 DDIM：逐步采样二维分布（进入视口时加载）。',
  };

  static params = ['target', 'steps', 'eta'];
  static textParams = ['target'];
  static errorNames = { steps: ['steps', '步数'], eta: 'η', count: ['points', '点数'], seed: ['seed', '种子'], numInferenceSteps: ['steps', '步数'] };

  state() { return { target: this.$('#target').value, steps: this.$('#steps').value, eta: this.$('#eta').value }; }


  static styles = `
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 8px; }
figure { margin: 0; }
figcaption { font-size: 13px; color: var(--pw-muted); min-height: 2.6em; }
h4 { margin: 14px 0 4px; font-size: 14px; }
td.best { font-weight: 700; color: var(--pw-good); }
th[scope=row] { text-align: left; }
.note { font-size: 13px; color: var(--pw-muted); }
.headline { font-weight: 600; margin: 6px 0; min-height: 1.4em; }
td.floor { color: var(--pw-muted); font-style: italic; }
.panels[hidden] { display: none; }
#quality { font-variant-numeric: tabular-nums; }
#costPick { border: 1px solid var(--pw-border); border-radius: 6px; margin: 4px 0; padding: 4px 8px; }
#costPick legend { font-size: 13px; padding: 0 4px; }
#costConcl { min-height: 1.4em; }
/* The sentence's final height, reserved at the click (a shift right after input is not a layout shift), so
   that its arrival ~20 s later moves nothing below it. */
#costConcl.reserved { min-height: 310px; }
@container pw (min-width: 480px) { #costConcl.reserved { min-height: 215px; } }
@container pw (min-width: 700px) { #costConcl.reserved { min-height: 150px; } }
.tablewrap { overflow-x: auto; }
/* Reserved sizes (no layout shift when results arrive): every figure's drawn height, and the lines that are
   filled later at their final height for the widget's width (container queries; measured at 390 and 1280 px). */
.pw-sized { container: pw / inline-size; }
#left, #right { height: 300px; }
#sched, #odes { height: 240px; }
#inv, #interp { height: 260px; }
#loss { height: 160px; }
#cost { height: 300px; }
#status { min-height: 61px; }
#headline { min-height: 102px; }
#legend { min-height: 46px; }
#odeCap { min-height: 57px; }
@container pw (min-width: 480px) { #status { min-height: 41px; } #headline { min-height: 82px; } #legend { min-height: 38px; } #odeCap { min-height: 76px; } }
@container pw (min-width: 700px) { #status { min-height: 41px; } #headline { min-height: 61px; } #legend { min-height: 19px; } #odeCap { min-height: 57px; } }
`;

  start() {
    const t = (en, zh) => this.t(en, zh);
    const target = TARGETS.includes(this.getAttribute('target')) ? this.getAttribute('target') : 'grid';
    const steps = STEPS.includes(this.numberAttr('steps', 10)) ? this.numberAttr('steps', 10) : 10;
    this.html(`<div class="pw-sized">
      <div class="pw-row">
        <label>${t('Target', '目标分布')} <select id="target">
          <option value="ring">${t('ring of 8', '八个高斯环')}</option><option value="grid">${t('3×3 grid', '3×3 网格')}</option>
          <option value="spiral">${t('spiral points', '螺旋点集')}</option><option value="moons">${t('two moons', '双月')}</option>
          <option value="draw">${t('points you draw', '自己画点')}</option></select></label>
        <button id="clear" hidden>${t('Clear drawing', '清空')}</button>
        <label>${t('Model', '模型')} <select id="model"><option value="exact">${t('exact ε*', '精确 ε*')}</option>
          <option value="mlp" disabled>${t('trained MLP', '训练的 MLP')}</option></select></label>
        <label>${t('Points', '点数')} <select id="count"><option>300</option><option selected>600</option><option>2000</option></select></label>
        <label>${t('Seed', '种子')} <input id="seed" type="number" min="0" step="1" value="1" style="width:5em"></label>
      </div>
      <div class="pw-row">
        <label>${t('Steps', '步数')} <select id="steps">${STEPS.map((s) => `<option ${s === steps ? 'selected' : ''}>${s}</option>`).join('')}</select></label>
        <label>${t('Sampler', '采样器')} <select id="sampler"><option value="ddim">DDIM (η)</option><option value="ddpm">DDPM</option><option value="heun">${t('Heun (ODE)', 'Heun（ODE）')}</option></select></label>
        <label>η <input id="eta" type="range" min="0" max="1" step="0.1" value="${this.numberAttr('eta', 0)}"> <output id="etaOut" class="pw-num"></output></label>
        <label>${t('Schedule', '噪声表')} <select id="schedule"><option value="linear">linear</option><option value="scaled_linear">scaled_linear</option><option value="squaredcos_cap_v2">cosine</option></select></label>
        <label>${t('Spacing', '时间步间隔')} <select id="spacing"><option>leading</option><option>trailing</option><option>linspace</option></select></label>
      </div>
      <p class="headline" id="headline" aria-live="polite"></p>
      <div class="panels">
        <figure><canvas id="left"></canvas><figcaption id="capL"></figcaption></figure>
        <figure><canvas id="right"></canvas><figcaption id="capR"></figcaption></figure>
      </div>
      <div class="pw-row note" id="legend"></div>
      <div class="pw-row">
        <button id="play">${t('Play', '播放')}</button>
        <label>${t('Frame', '帧')} <input id="frame" type="range" min="0" max="1" value="1"></label>
        <span id="frameOut" class="pw-num"></span>
        <label><input id="showX0" type="checkbox" checked> ${t('x̂₀ predictions', 'x̂₀ 预测')}</label>
        <label><input id="showTraj" type="checkbox" checked> ${t('trajectories', '轨迹')}</label>
        <progress id="runProg" max="1" value="0" aria-label="${t('sampling progress', '采样进度')}"></progress>
      </div>
      <div class="pw-row pw-num" id="status" role="status"></div>
      <h4>${t('Sample quality vs steps and η (the DDIM paper’s Table 1, live)', '样本质量随步数与 η 的变化（DDIM 论文表 1，实时计算）')}</h4>
      <p class="note">${t('Sliced 2-Wasserstein distance (lower is better) between 2000 samples and 10 000 exact draws of the target; computed in a Worker. The σ̂ row uses σ = β (post 4 §4.3) on a uniform τ. 2000 exact draws score the “noise floor” (mean ± 2 s.d. of 4 draws): cells inside that band (grey, italic) cannot be told apart from exact samples at this sample size.',
        '2000 个样本与目标分布 10000 个精确样本之间的切片 2-Wasserstein 距离（越小越好），在 Worker 中计算。σ̂ 行取 σ = β（原文 §4.3），τ 均匀。2000 个精确样本的得分为“噪声基线”（4 次的均值 ± 2 倍标准差）：落在此带内的格子（灰色斜体）在该样本量下与精确样本无法区分。')}</p>
      <div class="pw-row"><button id="tableBtn">${t('Compute table', '计算表格')}</button><button id="tableCancel" disabled>${t('Cancel', '取消')}</button>
        <progress id="tableProg" max="1" value="0" aria-label="${t('table progress', '表格进度')}"></progress><span id="tableStatus" class="pw-num"></span></div>
      <div class="tablewrap"><table id="quality"></table></div>
      <h4>${t('Quality against cost: the samplers diffusers ships (model evaluations, NFE)', '质量与代价：diffusers 提供的采样器（模型调用次数 NFE）')}</h4>
      <p class="note">${t(`Sliced 2-Wasserstein distance (lower is better) of ${COST_SETTINGS.count} samples to ${COST_SETTINGS.referenceCount} exact draws of the target, against the number of ε-model evaluations: ${COST_SETTINGS.steps.join(', ')} steps; Heun evaluates twice per step except the last (2·steps − 1). Exact ε*, the schedule and spacing chosen above; error bars ±1 s.d. over ${COST_SETTINGS.repeats} seeds (each seed draws new samples; the reference is fixed); the dashed line is exact draws of the same size. Computed in the Worker.`,
        `${COST_SETTINGS.count} 个样本与目标分布 ${COST_SETTINGS.referenceCount} 个精确样本之间的切片 2-Wasserstein 距离（越小越好），对 ε 模型调用次数作图：${COST_SETTINGS.steps.join('、')} 步；Heun 每步调用两次，最后一步一次（2·步数 − 1）。精确 ε*，噪声表与时间步间隔取上面的设置；误差棒为 ${COST_SETTINGS.repeats} 个种子的 ±1 倍标准差（每个种子重新采样，参照样本固定）；虚线是同样大小的精确样本。在 Worker 中计算。`)}</p>
      <fieldset id="costPick"><legend>${t('Samplers', '采样器')}</legend><div class="pw-row">
        ${COST_SAMPLERS.map(([k, label, on]) => `<label><input type="checkbox" value="${k}" ${on ? 'checked' : ''}> ${label}</label>`).join('')}
        <label><input id="costKarras" type="checkbox"> ${t('Karras sigmas', 'Karras σ')}</label></div></fieldset>
      <div class="pw-row"><button id="costBtn">${t('Compute quality vs cost', '计算质量与代价')}</button><button id="costCancel" disabled>${t('Cancel', '取消')}</button>
        <progress id="costProg" max="1" value="0" aria-label="${t('quality vs cost progress', '质量与代价的计算进度')}"></progress><span id="costStatus" class="pw-num"></span></div>
      <canvas id="cost" role="img" aria-label="${t('sample quality against model evaluations per sampler', '各采样器的样本质量随模型调用次数的变化')}"></canvas>
      <p class="headline" id="costConcl" aria-live="polite"></p>
      <h4>${t('DDIM inversion and interpolation (σ = 0, post 4 §4.5)', 'DDIM 反演与插值（σ = 0，原文 §4.5）')}</h4>
      <p class="note">${t('Exact target samples x₀ are mapped by the deterministic DDIM ODE to noise and back; noises on the path z₁cos(λπ/2) + z₂sin(λπ/2) are mapped to data.',
        '目标分布的精确样本 x₀ 经确定性的 DDIM ODE 映射到噪声再映射回来；路径 z₁cos(λπ/2) + z₂sin(λπ/2) 上的噪声映射到数据空间。')}</p>
      <div class="pw-row"><button id="invBtn">${t('Run inversion and interpolation', '运行反演与插值')}</button><span id="invStatus" class="pw-num"></span></div>
      <div class="panels" id="invPanels" hidden>
        <figure><canvas id="inv"></canvas><figcaption>${t('Inversion: x₀ (grey) → x_T (blue) → back (orange).', '反演：x₀（灰）→ x_T（蓝）→ 映射回来（橙）。')}</figcaption></figure>
        <figure><canvas id="interp"></canvas><figcaption>${t('Interpolation: slerp paths between two noises, mapped to data (ends in blue).', '插值：两个噪声之间的球面路径映射到数据空间（端点为蓝色）。')}</figcaption></figure>
      </div>
      <h4>${t('The worked schedule and Su’s bounded-time ODEs (post 4 §4.6)', '示例噪声表与苏剑林的有界时间 ODE（原文 §4.6）')}</h4>
      <p class="note">${t('ᾱ_t = Π_{k≤t}√(1 − 0.02k/T) (T = 1000) lies below the bound e^{−0.005t(t+1)/T}, which lies below the approximation e^{−5t²/T²}. With it, s = t/T gives dx/ds = 10s(ε/√(1−e^{−10s²}) − x) and s = t²/T² gives dx/ds = 5(ε/√(1−e^{−10s}) − x), both on s ∈ [0, 1].',
        'ᾱ_t = Π_{k≤t}√(1 − 0.02k/T)（T = 1000）低于上界 e^{−0.005t(t+1)/T}，后者又低于近似 e^{−5t²/T²}。由此 s = t/T 给出 dx/ds = 10s(ε/√(1−e^{−10s²}) − x)，s = t²/T² 给出 dx/ds = 5(ε/√(1−e^{−10s}) − x)，时间都在 [0, 1] 内。')}</p>
      <div class="panels">
        <figure><canvas id="sched"></canvas><figcaption id="schedCap"></figcaption></figure>
        <figure><canvas id="odes"></canvas><figcaption id="odeCap"></figcaption></figure>
      </div>
      <h4>${t('Train a tiny MLP ε-model (2→128→128→2, Adam, in wasm)', '训练一个小 MLP ε 模型（2→128→128→2，Adam，wasm 中运行）')}</h4>
      <div class="pw-row"><label>${t('Iterations', '迭代次数')} <select id="iters"><option>1000</option><option selected>3000</option><option>6000</option></select></label>
        <button id="trainBtn">${t('Train in Worker', '在 Worker 中训练')}</button><button id="trainCancel" disabled>${t('Cancel', '取消')}</button>
        <progress id="trainProg" max="1" value="0" aria-label="${t('training progress', '训练进度')}"></progress><span id="trainStatus" class="pw-num"></span>
        <button id="export" disabled>${t('Export weights', '导出权重')}</button></div>
      <canvas id="loss"></canvas>
    </div>`);
    this.$('#target').value = target;
    // The panels read their background back (getImageData) every frame.
    for (const id of ['#left', '#right']) this.$(id).getContext('2d', { willReadFrequently: true });
    this.drawn = [];
    this.mlp = null;
    this.frame = 0;
    this.result = null;
    const rerun = () => this.run();
    for (const id of ['#target', '#model', '#count', '#seed', '#steps', '#sampler', '#schedule', '#spacing']) this.$(id).addEventListener('change', rerun);
    this.$('#eta').addEventListener('input', () => { this.$('#etaOut').textContent = Number(this.$('#eta').value).toFixed(1); });
    this.$('#eta').addEventListener('change', rerun);
    // η belongs to the DDIM family; DDPM is η = 1 by construction and Heun integrates the σ = 0 ODE.
    this.$('#sampler').addEventListener('change', () => { this.$('#eta').disabled = this.$('#sampler').value !== 'ddim'; });
    this.$('#target').addEventListener('change', () => { this.$('#clear').hidden = this.$('#target').value !== 'draw'; this.mlpStale(); });
    this.$('#clear').addEventListener('click', () => { this.drawn = []; this.run(); });
    this.$('#frame').addEventListener('input', () => { this.stopPlay(); this.frame = Number(this.$('#frame').value); this.render(); });
    this.$('#showX0').addEventListener('change', () => this.render());
    this.$('#showTraj').addEventListener('change', () => this.render());
    this.$('#play').addEventListener('click', () => (this.playing ? this.stopPlay() : this.play()));
    this.$('#left').addEventListener('pointerdown', (e) => this.addPoint(e));
    this.$('#tableBtn').addEventListener('click', () => this.table());
    this.$('#trainBtn').addEventListener('click', () => this.train());
    this.$('#export').addEventListener('click', () => this.exportWeights());
    this.$('#invBtn').addEventListener('click', () => this.inversion());
    this.$('#etaOut').textContent = Number(this.$('#eta').value).toFixed(1);
    linePlot(this.$('#loss'), { series: [{ x: [], y: [] }], xmin: 0, xmax: 3000, ymin: 0, ymax: 1, height: 160,
      xlabel: this.t('iteration', '迭代'), ylabel: 'loss' });
    this.$('#costBtn').addEventListener('click', () => this.cost());
    this.drawCost(null);
    this.run();
    this.schedulePlot();
  }

  pause() { this.stopPlay(); }

  /** A later target, steps or eta goes into its control (invalid values fall back like at start) and the panels rerun. */
  paramChanged(name) {
    if (name === 'target') {
      const v = this.getAttribute('target');
      this.$('#target').value = TARGETS.includes(v) ? v : 'grid';
      this.$('#clear').hidden = this.$('#target').value !== 'draw';
      this.mlpStale();
    } else if (name === 'steps') {
      const v = this.numberAttr('steps', 10);
      this.$('#steps').value = String(STEPS.includes(v) ? v : 10);
    } else {
      this.$('#eta').value = String(this.numberAttr('eta', 0));
      this.$('#etaOut').textContent = Number(this.$('#eta').value).toFixed(1);
    }
    this.run();
  }

  /** The module Worker, started on the first heavy request (a page of widgets then loads the wasm once). */
  get worker() {
    this._worker ??= this.pw.worker();
    return this._worker;
  }

  /**
   * Runs a task in the Worker, except small panel runs before the Worker exists (at most 600 points × 20
   * steps of a mixture with ≤ 16 components: ~10 ms of wasm), which run here, so that a widget nobody
   * touches starts no Worker and the page loads the wasm once.
   */
  async runTask(name, args, opts) {
    const a = args[0];
    const small = name === 'diffusionPanels' ? a.runs.every((r) => r.count * r.steps <= 600 * 20)
      : name === 'diffusionSeedCompare' ? a.runs.length * a.seeds * a.count * a.steps <= 12 * 600 * 20
        : name === 'diffusionOdeCompare' && a.count * a.steps.reduce((x, y) => x + y, 0) <= 1000 * 100;
    if (!this._worker && small && a.model.kind === 'mixture' && a.model.weights.length <= 16) {
      const it = tasks[name](this.pw, ...args);
      for (;;) {
        const step = await it.next();
        if (step.done) return step.value;
        opts.onProgress?.(step.value);
      }
    }
    return this.worker.run(name, args, opts);
  }

  // ---- model and run specs (plain data for the Worker) ----------------------------------------------------

  targetSpec() {
    const name = this.$('#target').value;
    if (name !== 'draw') return this.pw.diffusionPreset(name);
    return { kind: 'points', points: Float64Array.from(this.drawn), dim: 2 };
  }

  modelSpec() {
    if (this.$('#model').value === 'mlp' && this.mlp) return { kind: 'mlp', ...this.mlp.shape, weights: this.mlp.weights };
    return this.targetSpec();
  }

  scheduler() {
    return { betaSchedule: this.$('#schedule').value, timestepSpacing: this.$('#spacing').value, clipSample: false };
  }

  mlpStale() {
    this.mlp = null;
    this.$('#model').value = 'exact';
    this.$('#model').options[1].disabled = true;
    this.$('#export').disabled = true;
  }

  // ---- sampling: the chosen sampler beside its counterpart, from the same seed (same x_T) -------------------

  async run() {
    const status = this.$('#status');
    if (this.$('#target').value === 'draw' && this.drawn.length < 4) {
      this.result = null;
      status.textContent = this.t('Click in the first panel to add at least two points.', '在第一个面板中点击，至少添加两个点。');
      this.render();
      return;
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const sampler = this.$('#sampler').value;
    const eta = sampler === 'ddim' ? Number(this.$('#eta').value) : 0;
    const base = { scheduler: this.scheduler(), steps: Number(this.$('#steps').value), count: Number(this.$('#count').value),
      seed: Math.max(0, Math.floor(Number(this.$('#seed').value) || 0)) };
    const other = sampler === 'ddpm' ? { sampler: 'ddim', eta: 0 } : { sampler: 'ddpm', eta: 0 };
    this.runs = [{ sampler, eta }, other];
    status.textContent = this.t('sampling…', '正在采样……');
    try {
      const args = { model: this.modelSpec(), target: this.targetSpec(), runs: this.runs.map((x) => ({ ...base, ...x })), seed: 3 };
      this.panelArgs = args;
      const r = await this.runTask('diffusionPanels', [args],
      { signal: controller.signal, onProgress: (p) => { this.$('#runProg').value = p.done / p.total; } });
      if (controller.signal.aborted) return;
      this.result = r;
      this.resultId = (this.resultId ?? 0) + 1;
      this.count = base.count;
      const last = r.runs[0].frames.length - 1;
      this.$('#frame').max = String(last);
      this.frame = last;
      this.$('#frame').value = String(last);
      status.textContent = this.runs.map((x, k) => `${this.label(x)}: SW₂ ${this.t('to the target', '到目标')} = ${r.runs[k].sw.toFixed(4)}`).join('   ·   ');
      this.render(0);
      setTimeout(() => this.render(1), 0);
      await this.seedCompare(base, controller);
    } catch (err) {
      if (err.name !== 'AbortError') { this.showError(status, err); status.classList.add('pw-error'); }
    }
  }

  /** The headline: the panels' two samplers over 6 seeds, mean ± 2 s.e. of SW₂ (post 4 §4.5: fewer steps favour small σ). */
  async seedCompare(base, controller) {
    const t = (en, zh) => this.t(en, zh);
    const head = this.$('#headline');
    this.removeAttribute('data-compare');
    head.textContent = t('error bars over 6 seeds…', '正在计算 6 个种子的误差棒……');
    const seeds = 6;
    const r = await this.runTask('diffusionSeedCompare', [{ model: this.modelSpec(), target: this.targetSpec(), runs: this.runs,
      scheduler: base.scheduler, steps: base.steps, count: base.count, seeds, seed: 1 }], { signal: controller.signal });
    if (controller.signal.aborted) return;
    this.compare = r;
    const [a, b] = r.runs;
    const txt = (k) => `${this.label(this.runs[k])} ${r.runs[k].mean.toFixed(3)} ± ${(2 * r.runs[k].sem).toFixed(3)}`;
    const sep = Math.abs(a.mean - b.mean) > 2 * Math.hypot(a.sem, b.sem);
    const winner = a.mean < b.mean ? 0 : 1;
    head.textContent = t(
      `${base.steps} steps, ${seeds} seeds (SW₂ to the target, mean ± 2 s.e., lower is better): ${txt(0)} vs ${txt(1)}. ${sep ? `${this.label(this.runs[winner])} is better, beyond the error bars.` : 'The difference is within the error bars.'}`,
      `${base.steps} 步、${seeds} 个种子（到目标的 SW₂，均值 ± 2 倍标准误，越小越好）：${txt(0)}，${txt(1)}。${sep ? `${this.label(this.runs[winner])} 更好，超出误差范围。` : '差别在误差范围之内。'}`);
    this.setAttribute('data-compare', 'done');
  }

  /** §4.6: the worked schedule against its approximation and bound, and Su's two ODEs against DDIM. */
  async schedulePlot() {
    const t = (en, zh) => this.t(en, zh);
    const c = this.pw.suScheduleCompare(1000);
    const ts = Array.from({ length: 101 }, (_, k) => 10 * k);
    // The three curves coincide to the eye on a log axis: plot each against the exact one instead (ratios ≥ 1).
    linePlot(this.$('#sched'), {
      series: [
        { x: ts, y: ts.map((k) => c.bound[k] / c.exact[k]), label: t('bound / exact', '上界 / 精确'), dash: [6, 4] },
        { x: ts, y: ts.map((k) => c.approx[k] / c.exact[k]), label: t('e^{−5t²/T²} / exact', 'e^{−5t²/T²} / 精确') },
        { x: [0, 1000], y: [1, 1], color: '#9aa3b2' },
      ],
      xlabel: 't', ylabel: t('ratio to exact ᾱ_t', '与精确 ᾱ_t 之比'), height: 240,
    });
    const at = (k) => `t = ${k}: ${c.exact[k].toPrecision(6)} < ${c.bound[k].toPrecision(6)} < ${c.approx[k].toPrecision(6)}`;
    this.$('#schedCap').textContent = `${t('exact < bound < approximation', '精确 < 上界 < 近似')} · ${at(100)} · ${at(500)} · ${at(1000)}`;
    try {
      const r = await this.runTask('diffusionOdeCompare', [{ model: this.targetSpec(), target: this.targetSpec(), steps: [5, 10, 20, 50], count: 1000, seed: 1 }], {});
      const line = (y, label, color) => [{ x: r.steps, y, label, color }, { x: r.steps, y, points: true, color }];
      linePlot(this.$('#odes'), {
        series: [
          ...line(r.ddim, 'DDIM', PALETTE[0]),
          ...line(r.linear, 's = t/T', PALETTE[1]),
          ...line(r.quadratic, 's = t²/T²', PALETTE[2]),
          { x: [4, 64], y: [r.floor, r.floor], label: t('exact draws', '精确样本'), dash: [4, 4], color: PALETTE[3] },
        ],
        logX: true, logY: true, xmin: 4, xmax: 64, ymin: 0.5 * Math.min(r.floor, ...r.linear), ymax: 2 * Math.max(...r.ddim, ...r.quadratic),
        xlabel: t('steps (Heun for s: 2 ε per step)', '步数（s 用 Heun：每步 2 次 ε）'), ylabel: 'SW₂', height: 240,
      });
      this.$('#odeCap').textContent = t(
        `SW₂ of 1000 samples to the target, exact ε*: at 10 steps DDIM ${r.ddim[1].toFixed(3)}, s = t/T ${r.linear[1].toFixed(3)}, s = t²/T² ${r.quadratic[1].toFixed(3)}; exact draws ${r.floor.toFixed(3)}.`,
        `1000 个样本到目标的 SW₂（精确 ε*）：10 步时 DDIM ${r.ddim[1].toFixed(3)}，s = t/T ${r.linear[1].toFixed(3)}，s = t²/T² ${r.quadratic[1].toFixed(3)}；精确样本 ${r.floor.toFixed(3)}。`);
      this.setAttribute('data-odes', 'done');
    } catch (err) {
      this.showError(this.$('#odeCap'), err);
    }
  }

  label(x) {
    if (x.sampler === 'ddpm') return 'DDPM';
    if (x.sampler === 'heun') return this.t('Heun (σ = 0 ODE)', 'Heun（σ = 0 的 ODE）');
    return x.eta === 0 ? 'DDIM (η = 0)' : `DDIM (η = ${x.eta.toFixed(1)})`;
  }

  play() {
    if (!this.result) return;
    if (this.reducedMotion) { this.frame = this.result.runs[0].frames.length - 1; this.render(); return; }
    this.playing = true;
    this.$('#play').textContent = this.t('Pause', '暂停');
    const last = this.result.runs[0].frames.length - 1;
    if (this.frame >= last) this.frame = 0;
    let t0 = null;
    const f0 = this.frame;
    const tick = (now) => {
      if (!this.playing) return;
      t0 ??= now;
      this.frame = Math.min(last, f0 + Math.floor((now - t0) / (2500 / last)));
      this.$('#frame').value = String(this.frame);
      this.render();
      if (this.frame < last) this.raf = requestAnimationFrame(tick);
      else this.stopPlay();
    };
    this.raf = requestAnimationFrame(tick);
  }

  stopPlay() {
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.$('#play').textContent = this.t('Play', '播放');
  }

  addPoint(e) {
    if (this.$('#target').value !== 'draw' || !this.frameL) return;
    const rect = e.target.getBoundingClientRect();
    const f = this.frameL;
    const x = f.fromX(e.clientX - rect.left);
    const y = EXTENT - ((e.clientY - rect.top - f.T) / (f.h - f.T - f.B)) * 2 * EXTENT;
    if (Math.abs(x) > EXTENT || Math.abs(y) > EXTENT) return;
    this.drawn.push(x, y);
    this.mlpStale();
    clearTimeout(this.drawTimer);
    this.drawTimer = setTimeout(() => this.run(), 250);
    this.render();
  }

  // ---- drawing -------------------------------------------------------------------------------------------

  /** The plots, then both panels in full (new colours or size, or an SVG export recording one of them). */
  redraw() {
    super.redraw();
    this.bg = null;
    this.render();
  }

  /** Draws both panels, or only panel `only` (0 | 1): a fresh result is drawn one panel per task. */
  render(only) {
    const r = this.result;
    const colors = { target: cssColor(this, '--pw-muted', '#888'), x: cssColor(this, '--pw-accent', '#2f6fde'), x0: cssColor(this, '--pw-accent2', '#d9622b') };
    // Axes from plot.js; the thousands of points are drawn as one path per layer (fast enough to animate).
    this.bg ??= [null, null];
    const draw = (canvas, k) => {
      // The axes and the target layer change only with the data or the size: drawn once, then restored per frame.
      const key = `${canvas.clientWidth}|${r ? r.runs.length : 0}|${this.resultId}|${this.drawn.length}`;
      let frame, ctx;
      const fresh = isCapturing(canvas) || this.bg[k]?.key !== key;  // an SVG export draws every layer (share.js)
      if (!fresh) {
        ({ frame } = this.bg[k]);
        ctx = canvas.getContext('2d');
        ctx.putImageData(this.bg[k].image, 0, 0);
      } else {
        frame = linePlot(canvas, { series: [{ x: [], y: [] }], xmin: -EXTENT, xmax: EXTENT, ymin: -EXTENT, ymax: EXTENT, height: 300, xlabel: 'x₁', ylabel: 'x₂' });
        ctx = context2d(canvas);
      }
      ctx.save();
      ctx.beginPath();
      ctx.rect(frame.L, frame.T, frame.w - frame.L - frame.R, frame.h - frame.T - frame.B);
      ctx.clip();
      const scatter = (xy, color, size, alpha = 1) => {
        ctx.globalAlpha = alpha;
        ctx.fillStyle = color;
        ctx.beginPath();
        for (let i = 0; i + 1 < xy.length; i += 2) ctx.rect(frame.toX(xy[i]) - size / 2, frame.toY(xy[i + 1]) - size / 2, size, size);
        ctx.fill();
        ctx.globalAlpha = 1;
      };
      if (fresh) {
        if (r) scatter(r.reference.subarray(0, 3000), colors.target, 2, 0.5);
        if (!isCapturing(canvas)) this.bg[k] = { key, frame, image: ctx.getImageData(0, 0, canvas.width, canvas.height) };
      }
      if (r) {
        const run = r.runs[k], n = this.count, block = 2 * n, f = this.frame;
        if (this.$('#showTraj').checked) {
          ctx.strokeStyle = colors.x;
          ctx.globalAlpha = 0.35;
          ctx.lineWidth = 1;
          ctx.beginPath();
          for (let i = 0; i < Math.min(n, 25); i++) {
            for (let g = 0; g <= f; g++) {
              const px = frame.toX(run.xs[g * block + 2 * i]), py = frame.toY(run.xs[g * block + 2 * i + 1]);
              if (g === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
            }
          }
          ctx.stroke();
          ctx.globalAlpha = 1;
        }
        if (this.$('#showX0').checked && f < run.frames.length - 1) scatter(run.x0s.subarray(f * block, (f + 1) * block), colors.x0, 2.5, 0.8);
        scatter(run.xs.subarray(f * block, (f + 1) * block), colors.x, 3);
      } else if (this.drawn.length) {
        scatter(this.drawn, colors.x, 6);
      }
      ctx.restore();
      return frame;
    };
    if (only !== 1) this.frameL = draw(this.$('#left'), 0);
    if (only !== 0) draw(this.$('#right'), 1);
    const key = (c, text) => `<span style="display:inline-block;width:10px;height:10px;background:${c};margin:0 4px 0 10px"></span>${text}`;
    this.$('#legend').innerHTML = key(colors.target, this.t('target', '目标')) + key(colors.x, 'x_t') + key(colors.x0, this.t('x̂₀ predicted at this step', '本步预测的 x̂₀'));
    if (r) {
      const run = r.runs[0], f = this.frame, last = run.frames.length - 1;
      const step = run.frames[f], ab = run.alphaBar[f];
      this.$('#frameOut').textContent = `${this.t('step', '第')} ${step}/${run.frames[last]} · ᾱ = ${fmt(ab)}`;
      this.runs.forEach((x, k) => {
        this.$(k === 0 ? '#capL' : '#capR').textContent = `${this.label(x)}${k === 1 ? this.t(' — same noise x_T', ' —— 相同的初始噪声 x_T') : ''} · SW₂ = ${r.runs[k].sw.toFixed(4)}`;
      });
    }
  }

  // ---- the quality table -----------------------------------------------------------------------------------

  async table() {
    if (this.$('#target').value === 'draw' && this.drawn.length < 4) return;
    const btn = this.$('#tableBtn'), cancel = this.$('#tableCancel'), prog = this.$('#tableProg'), status = this.$('#tableStatus');
    const controller = new AbortController();
    btn.disabled = true;
    cancel.disabled = false;
    cancel.onclick = () => controller.abort();
    const sw = new Float64Array(TABLE_STEPS.length * TABLE_ETAS.length).fill(NaN);
    const hat = new Float64Array(TABLE_STEPS.length).fill(NaN);
    this.drawTable(sw, null, hat);
    status.textContent = '';
    try {
      const res = await this.worker.run('diffusionQualityTable', [{ model: this.modelSpec(), target: this.targetSpec(), scheduler: this.scheduler(),
        steps: TABLE_STEPS, etas: TABLE_ETAS, count: 2000, referenceCount: 10000, seed: 1, sigmaHat: true }], {
        signal: controller.signal,
        onProgress: (p) => {
          prog.value = p.done / p.total;
          if (p.cell) { sw[p.cell.j * TABLE_STEPS.length + p.cell.i] = p.cell.sw; this.drawTable(sw, null); }
          if (p.hat) { hat[p.hat.i] = p.hat.sw; this.drawTable(sw, null, hat); }
        },
      });
      this.drawTable(res.sw, res.floorStats, res.swHat);
      this.setAttribute('data-table', 'done');
      status.textContent = this.t(`done · exact-sample floor ${res.floorStats.mean.toFixed(4)} ± ${(2 * res.floorStats.sd).toFixed(4)}`, `完成 · 精确样本基线 ${res.floorStats.mean.toFixed(4)} ± ${(2 * res.floorStats.sd).toFixed(4)}`);
    } catch (err) {
      if (err.name === 'AbortError') status.textContent = this.t('cancelled', '已取消'); else this.showError(status, err);
    } finally {
      btn.disabled = false;
      cancel.disabled = true;
    }
  }

  /** `floor` = { mean, sd } of exact draws: cells below mean + 2 sd are inside the noise band (grey). */
  drawTable(sw, floor, hat) {
    const S = TABLE_STEPS.length;
    const best = TABLE_STEPS.map((_, i) => {
      let b = -1;
      TABLE_ETAS.forEach((_, j) => { const v = sw[j * S + i]; if (Number.isFinite(v) && (b < 0 || v < sw[b * S + i])) b = j; });
      return b;
    });
    const band = floor ? floor.mean + 2 * floor.sd : -Infinity;
    const cell = (v, cls) => `<td class="${v <= band ? 'floor' : cls}">${Number.isFinite(v) ? v.toFixed(4) : '…'}</td>`;
    const head = `<tr><th scope="col">η \\ ${this.t('steps', '步数')}</th>${TABLE_STEPS.map((s) => `<th scope="col">${s}</th>`).join('')}</tr>`;
    const rows = TABLE_ETAS.map((eta, j) => `<tr><th scope="row">${eta.toFixed(1)}</th>${TABLE_STEPS.map((_, i) => cell(sw[j * S + i], best[i] === j ? 'best' : '')).join('')}</tr>`).join('');
    const hatRow = hat ? `<tr><th scope="row">σ̂</th>${TABLE_STEPS.map((_, i) => cell(hat[i], '')).join('')}</tr>` : '';
    const foot = !floor ? '' : `<tr><th scope="row">${this.t('exact', '精确')}</th><td colspan="${S}" style="text-align:left">${floor.mean.toFixed(4)} ± ${(2 * floor.sd).toFixed(4)} ${this.t('(exact samples of the same size: the noise floor, mean ± 2 s.d.)', '（同样大小的精确样本：噪声基线，均值 ± 2 倍标准差）')}</td></tr>`;
    this.$('#quality').innerHTML = head + rows + hatRow + foot;
    this.labelCells(this.$('#quality'));
  }

  // ---- quality against cost (issue 15): the samplers diffusers ships, by model evaluations ------------------

  /** Started by its button (off the first view's path): diffusionSamplerCost in the Worker, drawn cell by cell. */
  async cost() {
    if (this.$('#target').value === 'draw' && this.drawn.length < 4) return;
    const t = (en, zh) => this.t(en, zh);
    const samplers = [...this.$('#costPick').querySelectorAll('input[value]')].filter((c) => c.checked).map((c) => c.value);
    if (!samplers.length) { this.$('#costStatus').textContent = t('pick at least one sampler', '请至少选择一个采样器'); return; }
    this.$('#costConcl').classList.add('reserved');
    this.costJob?.abort();
    const job = (this.costJob = new AbortController());
    const btn = this.$('#costBtn'), cancel = this.$('#costCancel'), prog = this.$('#costProg'), status = this.$('#costStatus');
    btn.disabled = true;
    cancel.disabled = false;
    cancel.onclick = () => job.abort();
    this.removeAttribute('data-cost');
    const { steps } = COST_SETTINGS;
    const cells = samplers.length * steps.length;
    const partial = { samplers, steps, nfe: new Float64Array(cells).fill(NaN), mean: new Float64Array(cells).fill(NaN), sd: new Float64Array(cells).fill(NaN), floor: NaN };
    this.drawCost(partial);
    this.$('#costConcl').textContent = t('computing…', '计算中……');
    status.textContent = '';
    // clipSample is a DDIM/DDPM-only key (sampleDiffusion does not clip unless asked): the shared config leaves it out.
    const { betaSchedule, timestepSpacing } = this.scheduler();
    const args = { model: this.targetSpec(), target: this.targetSpec(), scheduler: { betaSchedule, timestepSpacing }, samplers, ...COST_SETTINGS };
    if (this.$('#costKarras').checked) args.useKarrasSigmas = true;
    this.costArgs = args;
    try {
      const res = await this.worker.run('diffusionSamplerCost', [args], {
        signal: job.signal,
        onProgress: (p) => {
          prog.value = p.done / p.total;
          status.textContent = `${p.done}/${p.total}`;
          const c = p.cell.i * steps.length + p.cell.k;
          partial.nfe[c] = p.cell.nfe; partial.mean[c] = p.cell.mean; partial.sd[c] = p.cell.sd;
          this.drawCost(partial);
        },
      });
      if (this.costJob !== job) return;
      this.costResult = res;
      this.drawCost(res);
      this.$('#costConcl').textContent = this.costConclusion(res);
      status.textContent = t(`done · exact draws ${res.floor.toFixed(4)}`, `完成 · 精确样本 ${res.floor.toFixed(4)}`);
      this.setAttribute('data-cost', 'done');
    } catch (err) {
      if (this.costJob !== job) return;
      if (err.name === 'AbortError') status.textContent = t('cancelled', '已取消'); else this.showError(status, err);
      this.$('#costConcl').textContent = '';
    } finally {
      if (this.costJob === job) { btn.disabled = false; cancel.disabled = true; }
    }
  }

  /** The figure: SW₂ against NFE per sampler, ±1 s.d. over seeds; an empty frame of the same size before any result. */
  drawCost(r) {
    const t = (en, zh) => this.t(en, zh);
    const S = COST_SETTINGS.steps.length;
    const maxNfe = 2 * COST_SETTINGS.steps[S - 1];
    const base = { logX: true, xmin: COST_SETTINGS.steps[0] * 0.85, xmax: maxNfe * 1.15, height: 300, ylabel: 'SW₂',
      xlabel: t('model evaluations (NFE)', '模型调用次数（NFE）') };
    const series = [];
    const ys = [];
    if (r) {
      r.samplers.forEach((name, i) => {
        const at = (a) => Array.from(a.subarray(i * S, (i + 1) * S));
        const color = PALETTE[COST_SAMPLERS.findIndex(([k]) => k === name) % PALETTE.length];
        const x = at(r.nfe), y = at(r.mean), err = at(r.sd);
        // DDIM's line is drawn wide: Euler's, drawn on top, coincides with it (see costConclusion).
        series.push({ x, y, color, width: name === 'ddim' ? 5 : 1.5 }, { x, y, err, points: true, color, label: COST_NAME[name] });
        y.forEach((v, k) => { if (Number.isFinite(v)) ys.push(v - err[k], v + err[k]); });
      });
      if (Number.isFinite(r.floor)) {
        series.push({ x: [base.xmin, base.xmax], y: [r.floor, r.floor], dash: [4, 4], color: cssColor(this, '--pw-muted', '#888'), label: t('exact draws', '精确样本') });
        ys.push(r.floor);
      }
    }
    const pos = ys.filter((v) => v > 0);
    if (!pos.length) {
      linePlot(this.$('#cost'), { ...base, series: [{ x: [], y: [] }], ymin: 0.01, ymax: 1, logY: true });
      return;
    }
    linePlot(this.$('#cost'), { ...base, series, logY: true, ymin: 0.8 * Math.min(...pos), ymax: 1.5 * Math.max(...pos) });
  }

  /**
   * One sentence, from the computed numbers only: the best DPM-Solver-type sampler against the best first-order
   * one at the fewest evaluations (separated when their ±1 s.d. bars do not overlap), how many evaluations DDIM
   * needs to do as well, and from which step count every curve is inside the others' bars (no difference there).
   */
  costConclusion(r) {
    const t = (en, zh) => this.t(en, zh);
    const S = r.steps.length;
    const cell = (name, k) => { const i = r.samplers.indexOf(name); return i < 0 ? null : { name, k, nfe: r.nfe[i * S + k], mean: r.mean[i * S + k], sd: r.sd[i * S + k] }; };
    const best = (names, k) => names.map((n) => cell(n, k)).filter(Boolean).sort((a, b) => a.mean - b.mean)[0] ?? null;
    const txt = (c) => `${COST_NAME[c.name]} ${c.mean.toFixed(3)} ± ${c.sd.toFixed(3)}`;
    const apart = (a, b) => a.mean + a.sd < b.mean - b.sd || b.mean + b.sd < a.mean - a.sd;
    // Every selected sampler inside every other's bars at step index k.
    const together = (k) => {
      const cs = r.samplers.map((n) => cell(n, k));
      return Math.max(...cs.map((c) => c.mean - c.sd)) <= Math.min(...cs.map((c) => c.mean + c.sd));
    };
    let from = S;
    while (from > 0 && together(from - 1)) from--;
    const tail = from === 0
      ? t(' At these settings every curve is inside the others’ error bars at every step count.', ' 在这些设置下，各步数处所有曲线都在彼此的误差棒之内。')
      : from < S
        ? t(` From ${r.steps[from]} steps on (${r.steps[from]} evaluations, Heun ${2 * r.steps[from] - 1}) all curves are inside each other’s error bars: there the sampler no longer matters.`,
          ` 从 ${r.steps[from]} 步起（${r.steps[from]} 次调用，Heun ${2 * r.steps[from] - 1} 次），所有曲线都在彼此的误差棒之内：此时采样器已无关紧要。`)
        : t(` Even at ${r.steps[S - 1]} steps the curves are not all inside each other’s error bars.`, ` 即使 ${r.steps[S - 1]} 步，各曲线也并非都在彼此的误差棒之内。`);
    // DDIM (σ = 0) is Euler's method on the probability-flow ODE in σ = √(1−ᾱ)/√ᾱ: on the same timesteps the two coincide.
    const same = r.samplers.includes('ddim') && r.samplers.includes('euler')
      && r.steps.every((_, k) => Math.abs(cell('ddim', k).mean - cell('euler', k).mean) <= 1e-5 * cell('ddim', k).mean);
    const twins = same ? t(' Euler’s curve is DDIM’s (equal to 10⁻⁵, float32 rounding): on the same timesteps DDIM (σ = 0) is Euler’s method on the probability-flow ODE.', ' Euler 的曲线与 DDIM 重合（相差不到 10⁻⁵，float32 舍入）：在相同时间步上，DDIM（σ = 0）就是概率流 ODE 的 Euler 法。') : '';
    const dpm = best(DPM_TYPE, 0), first = best(FIRST_ORDER, 0);
    if (!dpm || !first) return t('Select a DPM-Solver-type sampler (DPM++, UniPC) and a first-order one (DDIM, Euler, DDPM) to compare them.', '请同时选择 DPM-Solver 类采样器（DPM++、UniPC）与一阶采样器（DDIM、Euler、DDPM）进行比较。') + tail;
    if (!apart(dpm, first) || dpm.mean > first.mean) {
      return t(`At ${dpm.nfe} evaluations ${txt(dpm)} and ${txt(first)} are not told apart by these error bars (SW₂, mean ± 1 s.d.).`,
        `${dpm.nfe} 次调用时 ${txt(dpm)} 与 ${txt(first)} 在误差棒内无法区分（SW₂，均值 ± 1 倍标准差）。`) + tail + twins;
    }
    let catchUp = '';
    const d0 = r.samplers.includes('ddim') ? 'ddim' : first.name;
    let k = 1;
    while (k < S && cell(d0, k).mean > dpm.mean) k++;
    catchUp = k < S
      ? t(`; ${COST_NAME[d0]} needs ${cell(d0, k).nfe} to do as well`, `；${COST_NAME[d0]} 要 ${cell(d0, k).nfe} 次才能达到`)
      : t(`; ${COST_NAME[d0]} does not do as well even with ${cell(d0, S - 1).nfe}`, `；${COST_NAME[d0]} 即使 ${cell(d0, S - 1).nfe} 次也达不到`);
    // The first step count at which a sampler's bar reaches the exact draws' level (mean − s.d. ≤ floor).
    const reach = (name) => { for (let j = 0; j < S; j++) { const c = cell(name, j); if (c.mean - c.sd <= r.floor) return c; } return null; };
    const fast = DPM_TYPE.filter((n) => r.samplers.includes(n)).map(reach).filter(Boolean).sort((a, b) => a.nfe - b.nfe)[0];
    const slow = reach(d0);
    const floorTxt = fast && (!slow || slow.nfe > fast.nfe)
      ? t(` ${COST_NAME[fast.name]} reaches the level of exact draws at ${fast.nfe} evaluations, ${COST_NAME[d0]} ${slow ? `only at ${slow.nfe}` : `not within ${cell(d0, S - 1).nfe}`}.`,
        ` ${COST_NAME[fast.name]} 在 ${fast.nfe} 次调用时达到精确样本的水平，${COST_NAME[d0]} ${slow ? `要到 ${slow.nfe} 次` : `${cell(d0, S - 1).nfe} 次内未达到`}。`)
      : '';
    return t(`Why DPM-Solver-type samplers became the default: with ${dpm.nfe} model evaluations ${txt(dpm)} against ${txt(first)} (SW₂, mean ± 1 s.d., lower is better)${catchUp}.`,
      `DPM-Solver 类采样器成为默认的原因：${dpm.nfe} 次模型调用时 ${txt(dpm)}，而 ${txt(first)}（SW₂，均值 ± 1 倍标准差，越小越好）${catchUp}。`) + floorTxt + tail + twins;
  }

  // ---- inversion and interpolation ---------------------------------------------------------------------

  async inversion() {
    if (this.$('#target').value === 'draw' && this.drawn.length < 4) return;
    const status = this.$('#invStatus'), btn = this.$('#invBtn');
    btn.disabled = true;
    this.$('#invPanels').hidden = false;
    status.textContent = this.t('running in the Worker…', '正在 Worker 中运行……');
    try {
      const r = await this.worker.run('diffusionInversionDemo', [{ model: this.modelSpec(), target: this.targetSpec(), scheduler: this.scheduler(),
        steps: Number(this.$('#steps').value), count: 300, pairs: 6, lambdas: 40, seed: 1 }]);
      const colors = { target: cssColor(this, '--pw-muted', '#888'), x: cssColor(this, '--pw-accent', '#2f6fde'), x0: cssColor(this, '--pw-accent2', '#d9622b') };
      const frameFor = (canvas) => {
        const f = linePlot(canvas, { series: [{ x: [], y: [] }], xmin: -EXTENT, xmax: EXTENT, ymin: -EXTENT, ymax: EXTENT, height: 260, xlabel: 'x₁', ylabel: 'x₂' });
        const ctx = canvas.getContext('2d');
        ctx.save();
        ctx.beginPath();
        ctx.rect(f.L, f.T, f.w - f.L - f.R, f.h - f.T - f.B);
        ctx.clip();
        const dots = (xy, color, size) => {
          ctx.fillStyle = color;
          ctx.beginPath();
          for (let i = 0; i + 1 < xy.length; i += 2) ctx.rect(f.toX(xy[i]) - size / 2, f.toY(xy[i + 1]) - size / 2, size, size);
          ctx.fill();
        };
        return { f, ctx, dots };
      };
      const a = frameFor(this.$('#inv'));
      a.dots(r.x0, colors.target, 5);
      a.dots(r.xT, colors.x, 2.5);
      a.dots(r.xr, colors.x0, 2.5);
      a.ctx.restore();
      const b = frameFor(this.$('#interp'));
      b.ctx.lineWidth = 1.5;
      for (let p = 0; p < r.pairs; p++) {
        b.ctx.strokeStyle = colors.x0;
        b.ctx.beginPath();
        for (let k = 0; k <= r.lambdas; k++) {
          const o = (k * r.pairs + p) * 2;
          const px = b.f.toX(r.paths[o]), py = b.f.toY(r.paths[o + 1]);
          if (k === 0) b.ctx.moveTo(px, py); else b.ctx.lineTo(px, py);
        }
        b.ctx.stroke();
      }
      b.dots(r.paths.subarray(0, 2 * r.pairs), colors.x, 6);
      b.dots(r.paths.subarray(2 * r.pairs * r.lambdas), colors.x, 6);
      b.ctx.restore();
      status.textContent = `SW₂(${this.t('reconstruction', '重建')}, x₀) = ${r.sw.toExponential(2)}`;
    } catch (err) {
      this.showError(status, err);
    } finally {
      btn.disabled = false;
    }
  }

  // ---- MLP training ---------------------------------------------------------------------------------------

  async train() {
    if (this.$('#target').value === 'draw' && this.drawn.length < 4) return;
    const btn = this.$('#trainBtn'), cancel = this.$('#trainCancel'), prog = this.$('#trainProg'), status = this.$('#trainStatus');
    const controller = new AbortController();
    btn.disabled = true;
    cancel.disabled = false;
    cancel.onclick = () => controller.abort();
    const iterations = Number(this.$('#iters').value);
    const losses = [];
    let drawnAt = 0;
    const plot = (force) => {
      const now = performance.now();
      if (!force && now - drawnAt < 250) return;  // a few redraws per second are enough
      drawnAt = now;
      linePlot(this.$('#loss'), { series: [{ x: losses.map((p) => p.done), y: losses.map((p) => p.loss), label: this.t('training loss (per chunk)', '训练损失（每段）') }],
        xmin: 0, xmax: iterations, ymin: 0, height: 160, xlabel: this.t('iteration', '迭代'), ylabel: 'loss' });
    };
    try {
      const res = await this.worker.run('diffusionTrainMlp', [{ target: this.targetSpec(), scheduler: this.scheduler(), iterations, chunk: 50,
        batch: 256, lr: 2e-3, seed: 1 }], {
        signal: controller.signal,
        onProgress: (p) => {
          prog.value = p.done / p.total;
          losses.push(p);
          status.textContent = `${p.done}/${p.total} · loss ${p.loss.toFixed(4)}`;
          plot(p.done === p.total);
        },
      });
      this.mlp = { weights: res.weights, shape: res.shape };
      this.$('#model').options[1].disabled = false;
      this.$('#model').value = 'mlp';
      this.$('#export').disabled = false;
      status.textContent = this.t(`trained · final loss ${res.losses[res.losses.length - 1].toFixed(4)}`, `训练完成 · 最终损失 ${res.losses[res.losses.length - 1].toFixed(4)}`);
      this.run();
    } catch (err) {
      if (err.name === 'AbortError') status.textContent = this.t('cancelled', '已取消'); else this.showError(status, err);
    } finally {
      btn.disabled = false;
      cancel.disabled = true;
    }
  }

  exportWeights() {
    if (!this.mlp) return;
    const blob = new Blob([JSON.stringify({ ...this.mlp.shape, weights: Array.from(this.mlp.weights) })], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'pw-ddim-mlp.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
}

customElements.define('pw-ddim', PwDdim);
