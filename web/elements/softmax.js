// <pw-softmax logits="1 0.5 0.2 -0.3 -1" temperature="1" alpha="1.5" k="2" p="0.9" order="2" lang="en">:
// the seven maps of post 8 (kexue.fm/archives/10145) side by side on one scale, with draggable logits.
// Every number shown comes from wasm (pw.softmaxReport / pw.loss); this file only lays out and draws.
import { PwElement } from './base.js';
import { barChart, PALETTE } from './plot.js';

const X_RANGE = 5; // the logit editor's vertical range, ±5 (wider when a typed logit lies beyond it)

/** The editor's half-range: ±5, or the next of 10, 20, 50, 100, … that holds every logit. */
function editorRange(x) {
  const m = Math.max(0, ...x.filter(Number.isFinite).map(Math.abs));
  if (m <= X_RANGE) return X_RANGE;
  for (let r = 10; ; r *= 10) for (const k of [1, 2, 5]) if (k * r >= m) return k * r;
}

/** The seven maps, in the post's order. `report` is the softmaxReport map name. */
const MAPS = [
  { id: 'softmax', report: 'softmax', en: 'Softmax', zh: 'Softmax', formula: 'p<sub>i</sub> = e<sup>x<sub>i</sub>/τ</sup> / Σ<sub>j</sub> e<sup>x<sub>j</sub>/τ</sup>', sec: '§8.1' },
  { id: 'am', report: 'am-softmax', en: 'AM-softmax (target distribution)', zh: 'AM-Softmax（目标分布）', formula: 'q = softmax(s·(x − m·e<sub>t</sub>)),  L = −log q<sub>t</sub>', sec: '§8.2' },
  { id: 'taylor', report: 'taylor', en: 'Taylor softmax', zh: 'Taylor Softmax', formula: 'p<sub>i</sub> = f<sub>k</sub>(x<sub>i</sub>) / Σ<sub>j</sub> f<sub>k</sub>(x<sub>j</sub>),  f<sub>k</sub>(x) = Σ<sub>m≤k</sub> x<sup>m</sup>/m!', sec: '§8.3' },
  { id: 'sparse', report: 'sparse', en: 'Sparse softmax', zh: 'Sparse Softmax', formula: 'p<sub>i</sub> = e<sup>x<sub>i</sub></sup> / Σ<sub>j∈Ω</sub> e<sup>x<sub>j</sub></sup> on Ω (top-k / top-p), else 0', sec: '§8.4' },
  { id: 'perturb', report: 'perturb', en: 'Perturb max', zh: 'Perturb Max', formula: 'p<sub>i</sub> = P[argmax(x + ε) = i],  ε<sub>j</sub> i.i.d.', sec: '§8.5' },
  { id: 'sparsemax', report: 'sparsemax', en: 'Sparsemax', zh: 'Sparsemax', formula: 'p = relu(x − λ),  Σp = 1', sec: '§8.6' },
  { id: 'entmax', report: 'entmax', en: 'Entmax-α', zh: 'Entmax-α', formula: 'p = relu((α−1)x − λ)<sup>1/(α−1)</sup>,  Σp = 1', sec: '§8.7' },
];

/** Presets: each reproduces one claim of the post. */
const PRESETS = [
  { id: 'post', name: ['post\'s vector', '文中向量'], logits: [1, 0.5, 0.2, -0.3, -1], en: 'The post\'s test vector (§8.9): all seven maps compared.', zh: '文中的测试向量（§8.9）：七种映射对比。' },
  { id: 'between', name: ['entmax between', 'entmax 居中'], logits: [1, 0.5, 0.2, -0.3, -1], set: { alpha: 1.5 }, en: 'Entmax-1.5 sits between softmax and sparsemax: support 5 → 4 → 2.', zh: 'Entmax-1.5 介于 Softmax 与 Sparsemax 之间：支撑集 5 → 4 → 2。' },
  { id: 'taylor-shift', name: ['Taylor not shift-invariant', 'Taylor 非平移不变'], logits: [1, 0.5, 0.2, -0.3, -1], en: 'Press “shift +1”: only Taylor softmax changes — every other map is shift-invariant.', zh: '点击“整体 +1”：只有 Taylor Softmax 改变——它不具平移不变性。' },
  { id: 'taylor-mono', name: ['Taylor non-monotone', 'Taylor 非单调'], logits: [-3, -1, 0.5], set: { order: 2 }, en: 'Taylor k = 2 is not monotone below −1: f₂(−3) = 2.5 > f₂(−1) = 0.5, so −3 gets more mass than −1.', zh: 'k = 2 的 Taylor Softmax 在 −1 以下不单调：f₂(−3) = 2.5 > f₂(−1) = 0.5。' },
  { id: 'tie', name: ['x = [3, 1, 0] tie', 'x = [3, 1, 0] 边界'], logits: [3, 1, 0], set: { alpha: 1.5 }, en: 'x = [3, 1, 0]: entmax-1.5 has λ = z₂ exactly (a tie); the exact answer is [1, 0, 0] — the post\'s strict-inequality code fails here.', zh: 'x = [3, 1, 0]：Entmax-1.5 的 λ 恰等于 z₂（边界相等），精确结果为 [1, 0, 0]；文中严格不等号的代码在此出错。' },
  { id: 'gumbel', name: ['Gumbel = softmax', 'Gumbel = Softmax'], logits: [1, 0.5, 0.2, -0.3, -1], set: { noise: 'gumbel' }, en: 'Gumbel noise: perturb-max equals softmax (Gumbel-max trick) — compare the two rows of the table.', zh: 'Gumbel 噪声：Perturb Max 与 Softmax 相等（Gumbel-Max 技巧），对比表格中两行。' },
  { id: 'onehot', name: ['near one-hot', '接近 one-hot'], logits: [6, 0, 0, 0], en: 'Near one-hot, ½‖J‖₁ = 1 − Σp² → 0: softmax gradients vanish (do not initialise there).', zh: '接近 one-hot 时 ½‖J‖₁ = 1 − Σp² → 0：梯度消失。' },
  { id: 'margin', name: ['AM margin', 'AM 间隔'], logits: [0.8, 0.7, 0.1], set: { target: 0, margin: 0.35, scale: 30 }, en: 'AM-softmax: the target (x₁) must beat the runner-up by the margin m; with m = 0.35 it loses most of its mass.', zh: 'AM-Softmax：目标须领先次大者 m；m = 0.35 时目标失去大部分概率。' },
  { id: 'sg-slip', name: ['stop-gradient slip', '停止梯度笔误'], logits: [1, 0.5, 0.2, -0.3, -1], set: { target: 0 }, en: 'The post\'s surrogate (p − eₜ)·sg(x) has gradient Jᵀx, not p − eₜ: in the loss table its ∂/∂xₜ is positive for the target x₁, so a descent step lowers the logit it should raise. sg(p − eₜ)·x fixes it.', zh: '文中的替代损失 (p − eₜ)·sg(x) 的梯度是 Jᵀx 而非 p − eₜ：损失表中目标 x₁ 的 ∂/∂xₜ 为正，梯度下降反而压低目标 logit。改为 sg(p − eₜ)·x 即正确。' },
  { id: 'boundary', name: ['sparsemax λ = 0', 'sparsemax λ = 0'], logits: [0.5, 0.4, 0.1, 0], en: 'Sparsemax boundary tie: λ = 0 = x₄ exactly, p = [0.5, 0.4, 0.1, 0].', zh: 'Sparsemax 边界相等：λ = 0 = x₄，p = [0.5, 0.4, 0.1, 0]。' },
];

const STYLES = `
.pw-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; margin-top: 8px; }
/* phones: the seven maps two by two, so the reader sees several at once while editing the logits */
@media (max-width: 560px) {
  /* and the logit editor stays in view (sticky) while the reader scrolls through the maps */
  .pw-sticky { position: sticky; top: 0; z-index: 1; background: var(--pw-bg); padding-bottom: 4px; box-shadow: 0 4px 6px -4px rgba(0, 0, 0, 0.25); }
  .pw-grid { grid-template-columns: 1fr 1fr; gap: 6px; }
  /* the compact view: the sticky editor, the claim and the seven maps first; the maps' parameters after them */
  .pw-softmax { display: flex; flex-direction: column; }
  .pw-params { order: 1; }
  .pw-table, .pw-softmax > p { order: 2; }
  .pw-panel { padding: 4px 5px; }
  .pw-panel h3 { font-size: 12px; }
  .pw-formula { font-size: 11px; }
  .pw-read { font-size: 11px; gap: 0 6px; }
  .pw-badge { font-size: 10px; padding: 0 5px; }
}
.pw-panel { border: 1px solid var(--pw-border); border-radius: 6px; padding: 6px 8px; background: var(--pw-bg); }
.pw-panel h3 { margin: 0; font-size: 13px; display: flex; justify-content: space-between; gap: 6px; }
.pw-panel h3 small { color: var(--pw-muted); font-weight: 400; }
.pw-formula { font: italic 13px/1.5 Georgia, 'Times New Roman', serif; color: var(--pw-muted); margin: 2px 0 0; min-height: 3em; }
.pw-formula sub, .pw-formula sup { font-size: 75%; line-height: 0; }
.pw-read { font-size: 12px; display: flex; flex-wrap: wrap; gap: 2px 10px; }
.pw-badge { display: inline-block; font-size: 11px; border-radius: 10px; padding: 0 7px; margin: 2px 4px 0 0; border: 1px solid currentColor; }
.pw-badge.good { color: var(--pw-good); } .pw-badge.weak { color: var(--pw-accent2); } .pw-badge.bad { color: var(--pw-bad); }
.pw-editor { border: 1px solid var(--pw-border); border-radius: 6px; padding: 0; touch-action: none; cursor: ns-resize; }
.pw-editor:focus-visible { outline: 2px solid var(--pw-accent); }
.pw-claim { background: var(--pw-panel); border-radius: 6px; padding: 6px 10px; margin: 6px 0; min-height: 1.5em; }
.pw-table { overflow-x: auto; margin-top: 10px; }
.pw-table td:first-child, .pw-table th:first-child { text-align: left; }
.pw-table caption { text-align: left; font-size: 12px; color: var(--pw-muted); }
.pw-bad { color: var(--pw-bad); }
input[type=number] { width: 5.5em; }
#logits { min-width: 16em; flex: 1; }
fieldset { border: 1px solid var(--pw-border); border-radius: 6px; padding: 2px 8px 6px; margin: 4px 0; }
legend { font-size: 12px; color: var(--pw-muted); }
`;

const fix = (v, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : '—');

class PwSoftmax extends PwElement {
  static topic = 'softmax';
  static fallback = { en: 'Softmax and its alternatives: seven maps side by side (loads when visible).', zh: 'Softmax 及其替代品：七种映射并排对比（进入视口时加载）。' };
  static styles = STYLES;
  static params = ['logits', 'temperature', 'alpha', 'k', 'p', 'order'];
  static maps = MAPS;  // for its Copy code snippet (snippets.js)
  /** The reader's names of what the core may reject (errors.js). */
  static errorNames = { x: ['logit {i}', '第 {i} 个 logit'], temperature: 'τ', alpha: 'α', k: 'k', p: 'p', order: ['Taylor order k', 'Taylor 阶数 k'], margin: 'm', scale: 's', target: ['target t', '目标 t'], grid: 'grid' };

  /** The URL-hash state (share): the logits and each map's parameter as the reader set them. */
  state() {
    const s = this.s;
    return { logits: this.logits.join(','), temperature: s.temperature, alpha: s.alpha, order: s.order, ...(s.sparseMode === 'k' ? { k: s.k } : { p: s.p }) };
  }


  readAttributes() {
    this.logits = this.numbersAttr('logits', [1, 0.5, 0.2, -0.3, -1]);
    this.s = {
      temperature: this.numberAttr('temperature', 1),
      alpha: this.numberAttr('alpha', 1.5),
      order: this.numberAttr('order', 2),
      k: this.numberAttr('k', 2),
      p: this.numberAttr('p', 0.9),
      sparseMode: this.hasAttribute('p') && !this.hasAttribute('k') ? 'p' : 'k',
      noise: 'normal', grid: 256, target: 0, margin: 0.35, scale: 30,
    };
  }

  paramChanged() {
    this.readAttributes();
    this.preset = null;
    this.build();
  }

  relabel() { this.build(); }

  redraw() { this.render(); }

  errorsLoaded() { if (this.ready) this.render(); }

  start() {
    this.readAttributes();
    this.build();
  }

  build() {
    const t = (en, zh) => this.t(en, zh);
    this.root.querySelector('.pw-softmax')?.remove();
    this.html(`<div class="pw-softmax">
      <div class="pw-sticky"><div class="pw-row">
        <label for="logits">${t('logits x', 'logits x')}</label><input id="logits" aria-describedby="hint">
        <button id="shift" type="button">${t('shift +1', '整体 +1')}</button>
        <label>${t('preset', '预设')} <select id="preset"><option value="" hidden>${t('(your own)', '（自定义）')}</option>${PRESETS.map((p) => `<option value="${p.id}">${t(...p.name)}</option>`).join('')}</select></label>
      </div>
      <canvas id="editor" class="pw-editor" tabindex="0" role="application"
        aria-label="${t('Logit bars: drag a bar, or use ←/→ to pick a logit and ↑/↓ to change it by 0.1', 'logit 柱：拖动柱子，或用 ←/→ 选择、↑/↓ 以 0.1 调整')}"></canvas>
      <div id="hint" class="pw-muted" style="font-size:12px"></div></div>
      <div class="pw-row pw-params">
        <fieldset><legend>softmax</legend><label>τ <input id="temperature" type="number" min="0.05" step="0.05"></label></fieldset>
        <fieldset><legend>AM-softmax</legend>
          <label>${t('target t', '目标 t')} <select id="target"></select></label>
          <label>m <input id="margin" type="number" min="0" step="0.05"></label>
          <label>s <input id="scale" type="number" min="1" step="1"></label></fieldset>
        <fieldset><legend>Taylor</legend><label>${t('order k', '阶数 k')} <select id="order">${[2, 4, 6, 8, 10].map((k) => `<option>${k}</option>`).join('')}</select></label></fieldset>
        <fieldset><legend>sparse</legend>
          <label><select id="sparseMode" aria-label="${t('support rule', '支撑集规则')}"><option value="k">top-k</option><option value="p">top-p</option></select></label>
          <label>k <input id="k" type="number" min="1" step="1"></label>
          <label>p <input id="p" type="number" min="0.01" max="1" step="0.05"></label></fieldset>
        <fieldset><legend>perturb</legend><label>${t('noise', '噪声')} <select id="noise"><option value="gumbel">Gumbel</option><option value="normal">${t('normal', '正态')}</option></select></label></fieldset>
        <fieldset><legend>entmax</legend><label>α <input id="alpha" type="number" min="1" step="0.05"></label></fieldset>
      </div>
      <div id="claim" class="pw-claim" aria-live="polite"></div>
      <div id="error" class="pw-error" role="alert"></div>
      <div class="pw-grid">${MAPS.map((m, i) => `<section class="pw-panel" data-map="${m.id}">
          <h3><span><span style="color:${PALETTE[i % PALETTE.length]}">■</span> ${t(m.en, m.zh)}</span><small>${m.sec}</small></h3>
          <div class="pw-formula">${m.formula}<span class="extra"></span></div>
          <canvas class="bars" role="img" aria-label="${t(m.en, m.zh)}"></canvas>
          <div class="pw-read pw-num"></div><div class="badges"></div></section>`).join('')}</div>
      <div class="pw-table"><table id="table"></table></div>
      <div class="pw-table"><table id="losses"></table></div>
      <p class="pw-muted" style="font-size:12px">${t(
        'Bars share one scale [0, 1]. Readouts: support #{pᵢ > 0}, entropy H in nats, ½‖J‖₁ (Jacobian from wasm; equals 1 − Σp² for softmax only). Badges are measured live: the map is re-evaluated at x − 2.5 and x + 4 (shift-invariance) and the outputs are compared exactly, in the order of the logits (monotone: larger logit ⇒ larger output; weak: some different logits get equal outputs, e.g. two zeros; or no). A logit beyond the editor’s range widens it. AM-softmax is a loss: shown is the distribution inside it, softmax(s(x − m·eₜ)), and its loss −log qₜ. Perturb-max uses a 256-node tanh-sinh inverse-CDF quadrature (error < 1e-13).',
        '所有柱状图共用 [0, 1] 纵轴。读数：支撑集大小、熵 H（nats）、½‖J‖₁（由 wasm 计算雅可比；仅对 Softmax 等于 1 − Σp²）。徽章为实时测量：在 x − 2.5 与 x + 4 处重新计算以检验平移不变性，并按 logits 顺序精确比较输出检验单调性（严格：logit 越大输出越大；弱：不同 logit 得到相同输出，如两个 0；否）。AM-Softmax 本质是损失：图中为其内部分布 softmax(s(x − m·eₜ)) 及损失 −log qₜ。Perturb Max 使用 256 节点 tanh-sinh 逆 CDF 求积（误差 < 1e-13）。')}</p>
    </div>`);
    this.wire();
    this.syncControls();
    this.render();
  }

  wire() {
    const on = (id, ev, f) => this.$(`#${id}`).addEventListener(ev, f);
    on('logits', 'change', (e) => { this.logits = e.target.value.trim().split(/[\s,]+/).filter(Boolean).map(Number); this.edited(); this.syncControls(); this.render(); });
    on('shift', 'click', () => { this.logits = this.logits.map((v) => +(v + 1).toFixed(6)); if (this.preset?.id !== 'taylor-shift') this.edited(); this.syncControls(); this.render(); });
    for (const id of ['temperature', 'alpha', 'k', 'p', 'margin', 'scale']) {
      on(id, 'input', (e) => { this.s[id] = e.target.value.trim() === '' ? NaN : Number(e.target.value); this.edited(); this.schedule(); });
    }
    for (const id of ['order', 'target']) on(id, 'change', (e) => { this.s[id] = Number(e.target.value); this.edited(); this.render(); });
    for (const id of ['sparseMode', 'noise']) on(id, 'change', (e) => { this.s[id] = e.target.value; this.edited(); this.render(); });
    on('preset', 'change', (e) => this.applyPreset(e.target.value));
    const ed = this.$('#editor');
    this.sel = 0;
    const setFrom = (e) => {
      const r = ed.getBoundingClientRect();
      if (!this.frame) return;
      if (this.drag === undefined) this.drag = this.frame.barAt(e.clientX - r.left - ed.clientLeft);
      const v = Math.max(-this.range, Math.min(this.range, this.frame.valueAt(e.clientY - r.top - ed.clientTop)));
      this.logits[this.drag] = Math.round(v * 20) / 20;
      this.sel = this.drag;
      this.edited();
      this.$('#logits').value = this.logits.join(' ');
      this.schedule();
    };
    ed.addEventListener('pointerdown', (e) => { ed.setPointerCapture(e.pointerId); this.drag = undefined; setFrom(e); });
    ed.addEventListener('pointermove', (e) => { if (this.drag !== undefined && ed.hasPointerCapture(e.pointerId)) setFrom(e); });
    ed.addEventListener('pointerup', () => { this.drag = undefined; });
    ed.addEventListener('keydown', (e) => {
      const n = this.logits.length;
      if (e.key === 'ArrowLeft') this.sel = (this.sel + n - 1) % n;
      else if (e.key === 'ArrowRight') this.sel = (this.sel + 1) % n;
      else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        const v = this.logits[this.sel] + (e.key === 'ArrowUp' ? 0.1 : -0.1);
        this.logits[this.sel] = +Math.max(-this.range, Math.min(this.range, v)).toFixed(6);
        this.$('#logits').value = this.logits.join(' ');
        this.edited();
      } else return;
      e.preventDefault();
      this.schedule();
    });
  }

  /** The reader changed the logits or a parameter: a preset's explanation no longer describes the figure. */
  edited() {
    if (!this.preset && this.customised) return;
    this.preset = null;
    this.customised = true;
    const sel = this.$('#preset');
    if (sel) sel.value = '';
    this.$('#claim').textContent = this.claimText();
  }

  claimText() {
    if (this.preset) return this.t(this.preset.en, this.preset.zh);
    if (!this.customised) return this.t(PRESETS[0].en, PRESETS[0].zh);
    return this.t('Your own logits: look at which maps turn sparse (support below n), and which badges turn red. Pick a preset to see one of the post\'s claims.',
      '你自己的 logits：留意哪些映射变得稀疏（支撑集小于 n）、哪些徽章变红。选择预设可查看原文的某个结论。');
  }

  applyPreset(id) {
    const p = PRESETS.find((q) => q.id === id);
    this.logits = p.logits.slice();
    Object.assign(this.s, { temperature: 1, alpha: 1.5, order: 2, noise: 'normal', target: 0, margin: 0.35, scale: 30 }, p.set ?? {});
    this.preset = p;
    this.customised = false;
    this.syncControls();
    this.render();
  }

  syncControls() {
    const s = this.s;
    this.$('#logits').value = this.logits.join(' ');
    for (const id of ['temperature', 'alpha', 'k', 'p', 'margin', 'scale', 'order', 'sparseMode', 'noise']) this.$(`#${id}`).value = String(s[id]);
    const tgt = this.$('#target');
    s.target = Math.min(s.target, Math.max(0, this.logits.length - 1));
    tgt.innerHTML = this.logits.map((_, i) => `<option value="${i}">x${i + 1}</option>`).join('');
    tgt.value = String(s.target);
    this.$('#claim').textContent = this.claimText();
    this.$('#preset').value = this.preset?.id ?? (this.customised ? '' : PRESETS[0].id);
  }

  /** Coalesces bursts of input (dragging, typing) into one render per animation frame. */
  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  pause() { if (this.pending) cancelAnimationFrame(this.pending); this.pending = 0; }

  /** Options for softmaxReport(map), straight from the controls (the core validates them). */
  options(m) {
    const s = this.s;
    switch (m.id) {
      case 'softmax': return { temperature: s.temperature };
      case 'am': return { target: s.target, margin: s.margin, scale: s.scale };
      case 'taylor': return { order: s.order };
      case 'sparse': return s.sparseMode === 'k' ? { k: s.k } : { p: s.p };
      case 'perturb': return { grid: s.grid };
      case 'entmax': return { alpha: s.alpha };
      default: return {};
    }
  }

  extra(m) {
    const s = this.s;
    switch (m.id) {
      case 'softmax': return `,  τ = ${s.temperature}`;
      case 'am': return `,  t = x${s.target + 1}, m = ${s.margin}, s = ${s.scale}`;
      case 'taylor': return `,  k = ${s.order}`;
      case 'sparse': return s.sparseMode === 'k' ? `,  k = ${s.k}` : `,  p = ${s.p}`;
      case 'perturb': return `,  ε ~ ${s.noise === 'gumbel' ? 'Gumbel' : 'N(0, 1)'}`;
      case 'entmax': return `,  α = ${s.alpha}`;
      default: return '';
    }
  }

  render() {
    const err = this.$('#error');
    err.textContent = '';
    const x = this.logits;
    const labels = x.map((_, i) => `x_${i + 1}`);
    this.range = editorRange(x);
    this.$('#hint').textContent = this.t(`Drag the bars (or type the logits; focus the bars and use the arrow keys). Range ±${this.range}.`,
      `拖动柱子（或直接输入 logits；聚焦后用方向键）。范围 ±${this.range}。`);
    const errors = new Map();
    // The logit editor.
    const colors = x.map((_, i) => (i === this.sel ? this.cssVar('--pw-accent2') : this.cssVar('--pw-accent')));
    const ed = this.$('#editor');
    this.frame = barChart(ed, { values: x.map((v) => (Number.isFinite(v) ? v : 0)), ymin: -this.range, ymax: this.range, labels, colors, height: 150 });
    // The seven maps.
    const rows = [];
    MAPS.forEach((m, i) => {
      const panel = this.$(`section[data-map="${m.id}"]`);
      panel.querySelector('.extra').textContent = this.extra(m);
      const read = panel.querySelector('.pw-read'), badges = panel.querySelector('.badges');
      try {
        const name = m.report === 'perturb' ? `perturb-${this.s.noise}` : m.report;
        const r = this.pw.softmaxReport(name, x, this.options(m));
        barChart(panel.querySelector('.bars'), { values: r.p, ymin: 0, ymax: 1, labels, color: PALETTE[i % PALETTE.length], height: 120 });
        const bits = [
          `${this.t('support', '支撑')} ${r.support}/${x.length}`,
          `H ${fix(r.entropy, 3)}`,
          `½‖J‖₁ ${r.halfJacobianL1 === null ? '—' : fix(r.halfJacobianL1, 4)}`,
          `1−Σp² ${fix(r.gini, 4)}`,
        ];
        if (r.threshold !== null) bits.push(`λ ${fix(r.threshold, 4)}`);
        if (m.id === 'am') bits.push(`L ${fix(this.pw.loss('am-softmax', x, this.s.target, { margin: this.s.margin, scale: this.s.scale }).value, 4)}`);
        read.innerHTML = bits.map((b) => `<span>${b}</span>`).join('');
        const monotone = r.monotone; // the core's exact pairwise comparison (softmaxReport)
        const mono = { strict: ['good', this.t('monotone ✓', '单调 ✓')], weak: ['weak', this.t('weakly monotone', '弱单调')], no: ['bad', this.t('not monotone ✗', '非单调 ✗')] }[monotone];
        badges.innerHTML = `<span class="pw-badge ${mono[0]}" data-badge="monotone" data-value="${monotone}">${mono[1]}</span>`
          + `<span class="pw-badge ${r.shiftInvariant ? 'good' : 'bad'}" data-badge="shift" data-value="${r.shiftInvariant}">${r.shiftInvariant ? this.t('shift-invariant ✓', '平移不变 ✓') : this.t('not shift-invariant ✗', '非平移不变 ✗')}</span>`
          + (r.support < x.length ? `<span class="pw-badge weak" data-badge="sparse">${this.t('sparse', '稀疏')}</span>` : '');
        rows.push(`<tr data-map="${m.id}"><th scope="row">${this.t(m.en, m.zh)}</th>${Array.from(r.p, (v, j) => `<td data-i="${j}">${v.toFixed(6)}</td>`).join('')}</tr>`);
      } catch (e) {
        read.textContent = '';
        badges.textContent = '';
        const said = this.say(e);
        if (!errors.has(said)) errors.set(said, [this.t(m.en, m.zh), e.message]);
        rows.push(`<tr data-map="${m.id}"><th scope="row">${this.t(m.en, m.zh)}</th><td colspan="${x.length}" class="pw-error"></td></tr>`);
        rows[rows.length - 1] = rows[rows.length - 1].replace('</td></tr>', `${said.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</td></tr>`);
      }
    });
    err.textContent = [...errors.keys()].join(' · ');
    err.title = [...errors.values()].map(([map, dev]) => `${map}: ${dev}`).join('\n');
    this.renderLosses(x);
    this.$('#table').innerHTML = `<thead><tr><th>${this.t('map', '映射')}</th>${x.map((v, j) => `<th>x<sub>${j + 1}</sub> = ${v}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody>`;
    this.labelCells(this.$('#table'));
  }

  /**
   * The losses of §8.1, §8.6 and §8.7 at the target t (pw.loss with each kind), and the target's gradient of the
   * two stop-gradient surrogates: the post's (p − eₜ)·sg(x) against the corrected sg(p − eₜ)·x. A descent step
   * moves xₜ against the sign of ∂/∂xₜ, so a positive entry lowers the target's logit: "wrong way".
   */
  renderLosses(x) {
    const t = this.s.target, eps = 1e-3;
    const cell = (f) => { try { return f(); } catch { return '—'; } };
    const grad = (map, o, kind) => cell(() => {
      const g = this.pw.loss(map, x, t, { ...o, kind }).grad[t];
      return `<span class="${g > 0 ? 'pw-bad' : ''}">${fix(g, 4)}${g > 0 ? ` ${this.t('wrong way', '方向反了')}` : ''}</span>`;
    });
    const rows = MAPS.filter((m) => ['softmax', 'taylor', 'sparse', 'sparsemax', 'entmax'].includes(m.report)).map((m) => {
      const o = this.options(m);
      const value = (kind) => cell(() => fix(this.pw.loss(m.report, x, t, { ...o, kind, epsilon: eps }).value, 4));
      return `<tr data-map="${m.id}"><th scope="row">${this.t(m.en, m.zh)}</th><td>${m.report === 'taylor' ? '—' : value('map')}</td>`
        + `<td>${value('neg-p')}</td><td>${value('log-eps')}</td><td>${grad(m.report, o, 'surrogate')}</td><td data-kind="surrogate-post">${grad(m.report, o, 'surrogate-post')}</td></tr>`;
    });
    this.$('#losses').innerHTML = `<caption>${this.t(`Losses at the target t = x${t + 1} (pick t in the AM-softmax box)`, `目标 t = x${t + 1} 处的各种损失（在 AM-Softmax 框中选择 t）`)}</caption>`
      + `<thead><tr><th>${this.t('map', '映射')}</th><th>${this.t('its own loss', '自身损失')}</th><th>−p<sub>t</sub></th><th>−log((p<sub>t</sub>+ε)/(1+nε)), ε = ${eps}</th>`
      + `<th>∂/∂x<sub>t</sub> sg(p − e<sub>t</sub>)·x</th><th>∂/∂x<sub>t</sub> ${this.t('post', '原文')}: (p − e<sub>t</sub>)·sg(x)</th></tr></thead><tbody>${rows.join('')}</tbody>`;
    this.labelCells(this.$('#losses'));
  }

  cssVar(name) { return getComputedStyle(this).getPropertyValue(name).trim() || '#2f6fde'; }
}

customElements.define('pw-softmax', PwSoftmax);
