// <pw-mixers n="32" d="16" input="blocks" kinds="attention,synthesizer-random,…">: the token mixers of
// post 2 side by side as n×n mixing matrices, their outputs, what breaks when n changes, and cost vs n
// (FLOPs counted by wasm; times measured live in wasm in the Worker). Every number comes from this.pw.
import { PwElement } from './base.js';
import { heatmap, linePlot, PALETTE } from './plot.js';

const KINDS = ['attention', 'synthesizer-random', 'synthesizer-dense', 'mixer', 'mixer-linear', 'external', 'fnet',
  'gmlp', 'amlp', 'resmlp'];
const DEFAULT_KINDS = ['attention', 'synthesizer-random', 'mixer', 'external', 'fnet', 'gmlp'];
const NAMES = {
  attention: ['Self-attention', '自注意力', 'attn'],
  'synthesizer-random': ['Synthesizer (random)', 'Synthesizer（随机）', 'synth-R'],
  'synthesizer-dense': ['Synthesizer (dense)', 'Synthesizer（Dense）', 'synth-D'],
  mixer: ['MLP-Mixer token MLP', 'MLP-Mixer 的 token MLP', 'mixer'],
  'mixer-linear': ['Mixer read as A = B', 'Mixer 即 A = B', 'mixer-lin'],
  external: ['External Attention', 'External Attention', 'external'],
  fnet: ['FNet', 'FNet', 'fnet'],
  gmlp: ['gMLP spatial gating', 'gMLP 空间门控', 'gmlp'],
  amlp: ['aMLP', 'aMLP', 'amlp'],
  resmlp: ['ResMLP', 'ResMLP', 'resmlp'],
};
const DEFINITIONS = {
  attention: ['input-dependent attention A', '随输入变化的注意力矩阵 A'],
  defined: ['the matrix the formula applies along tokens', '公式中沿 token 方向作用的矩阵'],
  exact: ['exact: the map is linear/affine in X', '精确：映射关于 X 线性/仿射'],
  jacobian: ['Jacobian-based, analytic at this X', '基于雅可比，在此 X 处解析计算'],
};
const sci = (v) => (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(4));
const int = (v) => Math.round(v).toLocaleString('en-US');

class PwMixers extends PwElement {
  static topic = 'mixers';
  static fallback = {
    en: 'Token mixers (attention, Synthesizer, MLP-Mixer, External Attention, FNet, gMLP, ResMLP) as n×n matrices (loads when visible).',
    zh: '各种 token 混合器（注意力、Synthesizer、MLP-Mixer、External Attention、FNet、gMLP、ResMLP）的 n×n 矩阵（进入视口时加载）。',
  };

  static params = ['n', 'd', 'input', 'kinds'];
  static textParams = ['input', 'kinds'];
  static errorNames = { n: ['tokens n', 'token 数 n'], d: ['channels d', '通道 d'], seed: ['seed', '种子'] };

  state() {
    const { n, d, input } = this.settings();
    return { n, d, input, kinds: this.selected().join(',') };
  }


  static styles = `
    fieldset { border: 1px solid var(--pw-border); border-radius: 6px; padding: 4px 8px; margin: 4px 0; }
    legend { color: var(--pw-muted); padding: 0 4px; }
    fieldset label { margin-right: 10px; white-space: nowrap; }
    input[type=number] { width: 5.5em; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 10px; margin-top: 8px; }
    .card { background: var(--pw-panel); border: 1px solid var(--pw-border); border-radius: 6px; padding: 8px; min-width: 0; }
    .card h4 { margin: 0 0 2px; font-size: 14px; }
    .card .def { color: var(--pw-muted); font-size: 12px; min-height: 2.6em; }
    .card .stats { font-size: 12px; line-height: 1.5; overflow-wrap: anywhere; }
    .card .err { color: var(--pw-bad); font-size: 12px; overflow-wrap: anywhere; }
    .maps { display: grid; grid-template-columns: 3fr 2fr; gap: 6px; align-items: end; }
    .cap { font-size: 11px; color: var(--pw-muted); }
    .tag { display: inline-block; font-size: 11px; padding: 0 5px; border-radius: 8px; border: 1px solid var(--pw-border); margin-left: 4px; }
    .tag.dep { color: var(--pw-accent2); border-color: var(--pw-accent2); }
    .tag.fix { color: var(--pw-accent); border-color: var(--pw-accent); }
    h3 { font-size: 15px; margin: 14px 0 4px; }
    .plots { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
    @media (max-width: 700px) { .plots { grid-template-columns: 1fr; } }
    table { font-size: 12px; margin-top: 6px; }
  `;

  start() {
    const t = (en, zh) => this.t(en, zh);
    const kindsAttr = (this.getAttribute('kinds') || '').split(',').map((s) => s.trim()).filter((k) => KINDS.includes(k));
    this.kinds = new Set(kindsAttr.length ? kindsAttr : DEFAULT_KINDS);
    this.n = Math.round(this.numberAttr('n', 32));
    this.d = Math.round(this.numberAttr('d', 16));
    this.html(`<div>
      <fieldset><legend>${t('Mixers', '混合器')}</legend>
        ${KINDS.map((k) => `<label><input type="checkbox" data-kind="${k}" ${this.kinds.has(k) ? 'checked' : ''}> ${t(NAMES[k][0], NAMES[k][1])}</label>`).join('')}
      </fieldset>
      <div class="pw-row">
        <label>${t('tokens n (parameters)', 'token 数 n（参数）')} <input id="n" type="number" min="2" max="128" step="1" value="${this.n}"></label>
        <label>${t('apply at n′', '作用于 n′')} <input id="napply" type="number" min="2" max="128" step="1" value="${this.n}"></label>
        <label>${t('channels d', '通道 d')} <input id="d" type="number" min="2" max="64" step="2" value="${this.d}"></label>
        <label>${t('input X', '输入 X')} <select id="input">
          <option value="blocks">${t('blocks (4 segments)', '分段（4 段）')}</option>
          <option value="random">${t('random N(0,1)', '随机 N(0,1)')}</option>
          <option value="sinusoid">${t('sinusoids', '正弦')}</option>
          <option value="ramp">${t('ramp', '斜坡')}</option></select></label>
        <label>${t('seed', '种子')} <input id="seed" type="number" min="0" max="4294967295" step="1" value="1"></label>
      </div>
      <div class="pw-muted" id="note"></div>
      <div class="cards" id="cards"></div>
      <h3>${t('Cost vs n: O(n²) vs O(n log n) vs fixed memory', '代价随 n 的变化：O(n²)、O(n log n) 与固定记忆')}</h3>
      <div class="pw-row">
        <label>${t('d for the sweep', '扫描所用 d')} <select id="cd"><option>16</option><option selected>32</option><option>64</option></select></label>
        <label>${t('up to n', 'n 最大')} <select id="cmax"><option>256</option><option selected>1024</option><option>4096</option></select></label>
        <button id="measure">${t('Measure times in this browser', '在本浏览器中测时')}</button>
        <button id="cancel" disabled>${t('Cancel', '取消')}</button>
        <progress id="progress" max="1" value="0" aria-label="${t('timing progress', '测时进度')}"></progress>
        <span class="pw-num" id="status"></span>
      </div>
      <div class="plots">
        <canvas id="flops" role="img" aria-label="${t('counted FLOPs per forward against n', '每次前向的 FLOPs 随 n 的变化')}"></canvas>
        <canvas id="times" role="img" aria-label="${t('measured forward time against n', '实测前向时间随 n 的变化')}"></canvas>
      </div>
      <div id="table"></div>
    </div>`);
    for (const box of this.root.querySelectorAll('fieldset input')) {
      box.addEventListener('change', () => {
        box.checked ? this.kinds.add(box.dataset.kind) : this.kinds.delete(box.dataset.kind);
        this.render();
      });
    }
    const nInput = this.$('#n'), napply = this.$('#napply');
    nInput.addEventListener('change', () => { napply.value = nInput.value; this.render(); });
    for (const id of ['#napply', '#d', '#input', '#seed']) this.$(id).addEventListener('change', () => this.render());
    this.$('#cd').addEventListener('change', () => this.renderCost());
    this.$('#cmax').addEventListener('change', () => this.renderCost());
    const inputAttr = this.getAttribute('input');
    if (['blocks', 'random', 'sinusoid', 'ramp'].includes(inputAttr)) this.$('#input').value = inputAttr;
    this.$('#measure').addEventListener('click', () => this.measure());
    this.$('#cancel').addEventListener('click', () => this.job?.abort());
    this.timing = null;
    this.render();
  }

  // Controls are clamped to their min/max (typing can exceed them): the heat maps run on the main thread.
  settings() {
    const num = (id) => {
      const el = this.$(id), lo = Number(el.min), hi = Number(el.max);
      let v = Math.round(Number(el.value));
      if (!Number.isFinite(v)) v = lo;
      v = Math.min(hi, Math.max(lo, v));
      el.value = String(v);
      return v;
    };
    return { n: num('#n'), n2: num('#napply'), d: num('#d'), seed: num('#seed'), input: this.$('#input').value };
  }

  selected() { return KINDS.filter((k) => this.kinds.has(k)); }

  errorsLoaded() { if (this.ready) this.render(); }

  render() {
    const t = (en, zh) => this.t(en, zh);
    const { n, n2, d, seed, input } = this.settings();
    const cards = this.$('#cards');
    cards.textContent = '';
    const note = this.$('#note');
    let x, xb;
    try {
      x = this.pw.mixerInput(input, n2, d, { seed });
      xb = this.pw.mixerInput('random', n2, d, { seed: seed + 1 });
    } catch (err) {
      this.showError(note, err);
      note.className = 'pw-error';
      return;
    }
    note.className = 'pw-muted';
    note.textContent = n2 === n
      ? t(`Parameters built for n = ${n}; each mixer runs on X (${n}×${d}). Heat maps: rows = output token i, columns = input token j. Each map has its own colour scale, shown by its colour bar: a map with both signs is red > 0, white = 0, blue < 0 (symmetric about 0); a map of one sign goes white → blue from its minimum to its maximum. X′ is a second, random input, to test whether M depends on X.`,
        `参数按 n = ${n} 构建；各混合器作用于 X（${n}×${d}）。热图：行 = 输出 token i，列 = 输入 token j。每张图有各自的色标（见其色条）：有正有负时红 > 0、白 = 0、蓝 < 0（关于 0 对称）；只有一种符号时从最小值到最大值由白变蓝。X′ 是另一个随机输入，用来检验 M 是否依赖输入。`)
      : t(`Parameters built for n = ${n}, applied to X with n′ = ${n2} tokens: the mixers with an n×n parameter cannot (post 2: "no elegant handling of variable length").`,
        `参数按 n = ${n} 构建，却作用于 n′ = ${n2} 个 token 的 X：带 n×n 参数的混合器无法处理（原文：“无法优雅地处理变长输入”）。`);

    // the input itself
    const inCard = this.card(cards, 'input', t('Input X', '输入 X'), t(`${input}, seed ${seed}; n′ × d = ${n2} × ${d}`, `${input}，种子 ${seed}；n′ × d = ${n2} × ${d}`));
    const r0 = heatmap(inCard.querySelector('.mix'), x, n2, d, { height: 150 });
    inCard.querySelector('.mixcap').textContent = `X: ${t('range', '范围')} [${sci(r0.lo)}, ${sci(r0.hi)}]`;
    inCard.querySelector('.maps').lastElementChild.remove();

    for (const kind of this.selected()) {
      let m;
      const card = this.card(cards, kind, t(NAMES[kind][0], NAMES[kind][1]), '');
      try {
        m = new this.pw.TokenMixer(kind, { n, d, seed });
        const tags = card.querySelector('h4');
        if (m.fixedN) tags.insertAdjacentHTML('beforeend', `<span class="tag fix" title="${t('has an n×n parameter', '含 n×n 参数')}">${t('fixed n', '固定 n')}</span>`);
        const M = m.mixingMatrix(x, n2);
        const { output, flops } = m.forwardWithFlops(x, n2);
        const dep = m.inputDependence(x, xb, n2);
        if (M.inputDependent) tags.insertAdjacentHTML('beforeend', `<span class="tag dep">${t('depends on X', '依赖输入')}</span>`);
        card.querySelector('.def').textContent = `${t(DEFINITIONS[M.definition][0], DEFINITIONS[M.definition][1])}: ${M.formula}`;
        const rm = heatmap(card.querySelector('.mix'), M.matrix, n2, n2, { height: 150 });
        const ro = heatmap(card.querySelector('.out'), output, n2, m.outDim, { height: 150 });
        card.querySelector('.mixcap').textContent = `M (${n2}×${n2}) [${sci(rm.lo)}, ${sci(rm.hi)}]`;
        card.querySelector('.outcap').textContent = `O (${n2}×${m.outDim}) [${sci(ro.lo)}, ${sci(ro.hi)}]`;
        const cost = this.pw.mixerCost(kind, n2, d, { seed });
        const lines = [
          `<span data-stat="dep">max|M(X) − M(X′)| = ${sci(dep.maxAbs)}</span>`,
          `<span data-stat="flops">FLOPs ${int(flops)}</span> · ${t('params', '参数')} ${int(m.parameterCount)} · ${cost.order}`,
        ];
        if (kind === 'fnet') {
          const c = this.pw.fnetCheck(x, n2, d);
          lines.push(`<span data-stat="fft">${t('FFT vs DFT', 'FFT 对比 DFT')}: ‖err‖ = ${sci(c.frobenius)} ≤ ${sci(c.bound)}</span>`);
        }
        if (kind === 'gmlp') lines.push(t('W ≈ 0, b = 1 at init: O ≈ Z₁ (identity on the first half)', '初始化 W ≈ 0、b = 1：O ≈ Z₁（对前一半通道是恒等映射）'));
        card.querySelector('.stats').innerHTML = lines.join('<br>');
      } catch (err) {
        card.querySelector('.maps').remove();
        const e = card.querySelector('.err');
        // said for a reader (the library's message stays in the tooltip)
        e.textContent = m?.fixedN && n2 !== n
          ? t(`Cannot run on n′ = ${n2} tokens: this mixer has an n×n parameter, built for n = ${n}.`, `无法作用于 n′ = ${n2} 个 token：此混合器含 n×n 参数，按 n = ${n} 构建。`)
          : this.say(err);
        e.title = `${err.name}: ${err.message}`;
      } finally {
        m?.dispose();
      }
    }
    this.renderCost();
  }

  card(parent, kind, title, def) {
    const el = document.createElement('div');
    el.className = 'card';
    el.dataset.kind = kind;
    el.innerHTML = `<h4></h4><div class="def"></div>
      <div class="maps"><div><canvas class="mix" role="img"></canvas><div class="cap mixcap"></div></div>
        <div><canvas class="out" role="img"></canvas><div class="cap outcap"></div></div></div>
      <div class="stats pw-num"></div><div class="err"></div>`;
    el.querySelector('h4').textContent = title;
    el.querySelector('.def').textContent = def;
    el.querySelector('.mix').setAttribute('aria-label', `${title}: ${this.t('mixing matrix', '混合矩阵')}`);
    el.querySelector('.out').setAttribute('aria-label', `${title}: ${this.t('output', '输出')}`);
    parent.append(el);
    return el;
  }

  sweepNs() {
    const max = Number(this.$('#cmax').value), ns = [];
    for (let v = 16; v <= max; v *= 2) ns.push(v);
    return ns;
  }

  renderCost() {
    const t = (en, zh) => this.t(en, zh);
    const d = Number(this.$('#cd').value), ns = this.sweepNs(), kinds = this.selected();
    if (!kinds.length) return;
    const lg = ns.map((v) => Math.log2(v));  // axis position only
    const series = kinds.map((k) => ({
      x: lg, y: ns.map((n) => this.pw.mixerCost(k, n, d).flops), label: NAMES[k][2], color: PALETTE[KINDS.indexOf(k) % PALETTE.length],
    }));
    const xfmt = (v) => (Number.isInteger(v) ? String(2 ** v) : '');
    linePlot(this.$('#flops'), { series, logY: true, xlabel: t('n (tokens, log scale)', 'n（token 数，对数）'), ylabel: t(`FLOPs per forward (d = ${d})`, `每次前向 FLOPs（d = ${d}）`), height: 250, xfmt });
    const tm = this.timing;
    if (tm && tm.d === d) {
      const tseries = tm.kinds.filter((k) => kinds.includes(k)).map((k) => {
        const rows = tm.rows.filter((r) => r.kind === k && r.ms !== null);
        return { x: rows.map((r) => Math.log2(r.n)), y: rows.map((r) => r.ms), label: NAMES[k][2], points: true, color: PALETTE[KINDS.indexOf(k) % PALETTE.length] };
      });
      const lines = tseries.map((s) => ({ ...s, points: false, label: undefined, width: 1 }));
      linePlot(this.$('#times'), { series: [...tseries, ...lines], logY: true, xlabel: t('n (tokens, log scale)', 'n（token 数，对数）'), ylabel: t('measured ms per forward (wasm)', '实测每次前向毫秒（wasm）'), height: 250, xfmt });
    } else {
      linePlot(this.$('#times'), { series: [{ x: lg, y: ns.map(() => NaN) }], logY: true, ymin: 1e-3, ymax: 1e3, xlabel: t('n (tokens, log scale)', 'n（token 数，对数）'), ylabel: t('measured ms — press “Measure”', '实测毫秒——请点击“测时”'), height: 250, xfmt });
    }
  }

  async measure() {
    const t = (en, zh) => this.t(en, zh);
    const d = Number(this.$('#cd').value), ns = this.sweepNs(), kinds = this.selected();
    if (!kinds.length) return;
    this.job?.abort();
    const job = new AbortController();
    this.job = job;
    const progress = this.$('#progress'), status = this.$('#status');
    this.$('#measure').disabled = true;
    this.$('#cancel').disabled = false;
    progress.value = 0;
    status.textContent = t('starting the Worker…', '正在启动 Worker…');
    try {
      this.worker ??= this.pw.worker();
      const res = await this.worker.run('mixersCost', [{ kinds, ns, d, seed: 1, reps: 5, minMs: 10, maxFlops: 1e10 }], {
        signal: job.signal,
        onProgress: (p) => {
          progress.value = p.done / p.total;
          status.textContent = `${p.done}/${p.total}: ${p.kind} n=${p.n} ${p.ms === null ? t('skipped', '跳过') : `${p.ms.toFixed(3)} ms`}`;
        },
      });
      if (this.job !== job) return;
      this.timing = res;
      status.textContent = t(`done: ${res.rows.length} cases`, `完成：${res.rows.length} 个情形`);
      this.renderTable(res);
      this.renderCost();
    } catch (err) {
      if (err.name === 'AbortError') status.textContent = t('cancelled', '已取消'); else this.showError(status, err);
      if (err.name !== 'AbortError') status.classList.add('pw-error');
    } finally {
      if (this.job === job) {
        this.$('#measure').disabled = false;
        this.$('#cancel').disabled = true;
        this.job = null;
      }
    }
  }

  renderTable(res) {
    const t = (en, zh) => this.t(en, zh);
    const head = `<tr><th>${t('mixer', '混合器')}</th><th>${t('order', '阶')}</th>${res.ns.map((n) => `<th>n=${n}</th>`).join('')}</tr>`;
    const body = res.kinds.map((k) => {
      const rows = res.rows.filter((r) => r.kind === k);
      return `<tr data-kind="${k}"><td style="text-align:left">${NAMES[k][2]}</td><td>${rows[0]?.order ?? ''}</td>${rows.map((r) => `<td>${r.ms === null ? '–' : r.ms.toFixed(3)}</td>`).join('')}</tr>`;
    }).join('');
    this.$('#table').innerHTML = `<table id="timing"><caption class="cap">${t(`ms per forward in wasm (d = ${res.d}, best of 5; – = skipped, > 1e10 FLOPs)`, `wasm 中每次前向毫秒（d = ${res.d}，5 次取最优；– = 跳过，> 1e10 FLOPs）`)}</caption>${head}${body}</table>`;
    this.labelCells(this.$('#timing'));
  }

  pause() {}
  resume() {}
}

customElements.define('pw-mixers', PwMixers);
