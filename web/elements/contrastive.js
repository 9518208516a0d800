// <pw-flatnce k="8" positive="10">: why small-batch InfoNCE fails in float32 (post 3, FlatNCE).
// Part 1: the margin sweep (post §3.5) live; part 2: a float32 training run, CE vs FlatNCE, in the Worker.
// Every number shown comes from wasm (pw.contrastiveMarginSweep, the 'contrastiveCompare' task).
import { PwElement } from './base.js';
import { linePlot, fmt } from './plot.js';

const sci = (v, d = 3) => (v === 0 ? '0' : Number.isFinite(v) ? v.toExponential(d) : String(v));

class PwFlatnce extends PwElement {
  static topic = 'contrastive';
  static fallback = { en: 'FlatNCE vs cross-entropy in float32: interactive figure (loads when visible).', zh: 'FlatNCE 与交叉熵的 float32 对比：交互图（进入视口时加载）。' };
  static styles = `
    input[type=number] { width: 6em; }
    .pw-table { overflow-x: auto; }
    .pw-table td, .pw-table th { white-space: nowrap; }
    /* Reserved sizes (no layout shift when the training runs finish): the figures' drawn height, the status
       line's box, and the final height of the sentences and table that arrive later, at the widget's width
       (container queries; measured at 390 and 1280 px). */
    .pw-sized { container: pw / inline-size; }
    #cos-plot, #acc-plot { height: 260px; }
    #status { display: inline-block; min-width: 7em; min-height: 1.45em; }
    #batch-wrap { min-height: 126px; }
    #train-conclusion { min-height: 142px; }
    #batch-conclusion { min-height: 162px; }
    @container pw (min-width: 480px) { #train-conclusion, #batch-conclusion { min-height: 122px; } }
    @container pw (min-width: 700px) { #train-conclusion, #batch-conclusion { min-height: 82px; } }
  `;

  static params = ['k', 'positive', 'dmax'];
  static errorNames = { k: 'K', positive: 's_t', margins: ['margin D', '间隔 D'], batch: ['batch K', '批大小 K'], tau: 'τ', lr: ['learning rate', '学习率'],
    steps: ['steps', '步数'], viewNoise: ['view noise', '视图噪声'], classes: ['classes', '类别数'], nuisanceDim: ['nuisance dims', '干扰维数'], embedDim: ['embedding dims', '嵌入维数'], seed: ['seed', '种子'] };

  state() { return { k: this.$('#k').value, positive: this.$('#pos').value, dmax: this.$('#dmax').value }; }


  /** A later k, positive or dmax goes into its control and the margin sweep reruns (the training runs are kept). */
  paramChanged(name) {
    const [id, dflt] = { k: ['#k', 8], positive: ['#pos', 10], dmax: ['#dmax', 30] }[name];
    this[name] = this.numberAttr(name, dflt);
    this.$(id).value = String(this[name]);
    this.sweep();
  }

  start(pw) {
    const t = this.t.bind(this);
    this.k = this.numberAttr('k', 8);
    this.positive = this.numberAttr('positive', 10);
    this.dmax = this.numberAttr('dmax', 30);
    this.html(`<div class="pw-sized">
      <h3>${t('1. The margin sweep: K scores, positive s_t, all negatives at s_t − D', '1. 间隔扫描：K 个分数，正样本 s_t，负样本都在 s_t − D')}</h3>
      <div class="pw-row">
        <label>K <input id="k" type="number" min="2" max="4096" step="1" value="${this.k}" aria-label="${t('number of scores K', '分数个数 K')}"></label>
        <label>s<sub>t</sub> <input id="pos" type="number" min="-80" max="80" step="0.5" value="${this.positive}" aria-label="${t('positive score', '正样本分数')}"></label>
        <label>${t('max margin D', '最大间隔 D')} <input id="dmax" type="range" min="5" max="40" step="1" value="${this.dmax}"> <span id="dmax-v" class="pw-num"></span></label>
      </div>
      <p class="pw-conclusion" id="sweep-conclusion" aria-live="polite"></p>
      <div class="pw-grid two">
        <canvas id="loss-plot" role="img" aria-label="${t('cross-entropy loss against margin', '交叉熵损失随间隔变化')}"></canvas>
        <canvas id="grad-plot" role="img" aria-label="${t('gradient identity error against margin', '梯度恒等式误差随间隔变化')}"></canvas>
      </div>
      <div class="pw-table"><table id="table"></table></div>
      <p class="pw-error" id="sweep-err"></p>
      <h3>${t('2. A small float32 training run: cross-entropy vs FlatNCE (Adam, in-batch negatives)', '2. 小规模 float32 训练：交叉熵 vs FlatNCE（Adam，批内负样本）')}</h3>
      <div class="pw-row">
        <label>${t('batch K', '批大小 K')} <input id="batch" type="number" min="2" max="32" step="1" value="8"></label>
        <label>τ <input id="tau" type="number" min="0.005" max="1" step="0.005" value="0.02"></label>
        <label>${t('learning rate', '学习率')} <input id="lr" type="number" min="0.0001" max="0.1" step="0.001" value="0.01"></label>
        <label>${t('steps', '步数')} <input id="steps" type="number" min="50" max="5000" step="50" value="1000"></label>
        <label>${t('view noise', '视图噪声')} <input id="noise" type="number" min="0" max="2" step="0.05" value="0.2"></label>
        <label>${t('classes', '类别数')} <input id="classes" type="number" min="2" max="512" step="1" value="32"></label>
        <label>${t('nuisance dims', '干扰维数')} <input id="ndim" type="number" min="0" max="128" step="1" value="24"></label>
        <label>${t('embedding dims', '嵌入维数')} <input id="edim" type="number" min="1" max="64" step="1" value="8"></label>
        <label>${t('float32 CE evaluation', 'float32 交叉熵算法')} <select id="eval">
          <option value="shifted">${t('framework (log-softmax)', '框架（log-softmax）')}</option>
          <option value="naive">${t('naive log Σ e^s', '朴素 log Σ e^s')}</option>
          <option value="stable">${t('stable (log1p)', '稳定（log1p）')}</option></select></label>
        <label>${t('seed', '种子')} <input id="seed" type="number" min="0" step="1" value="1"></label>
        <button id="run" type="button">${t('Run', '运行')}</button>
        <progress id="progress" max="1" value="0" aria-label="${t('training progress', '训练进度')}"></progress>
        <span id="status" class="pw-muted" aria-live="polite"></span>
      </div>
      <div class="pw-grid two">
        <canvas id="cos-plot" role="img" aria-label="${t('gradient cosine during training', '训练中的梯度余弦')}"></canvas>
        <canvas id="acc-plot" role="img" aria-label="${t('downstream accuracy during training', '训练中的下游准确率')}"></canvas>
      </div>
      <p class="pw-conclusion" id="train-conclusion" aria-live="polite"></p>
      <p class="pw-error" id="train-err"></p>
      <h3>${t('3. Across batch sizes: cross-entropy vs FlatNCE (the paper’s FlatCLR comparison, as a toy)', '3. 不同批大小：交叉熵 vs FlatNCE（论文 FlatCLR 对比的玩具版）')}</h3>
      <p class="pw-muted">${t('The run above (same settings, one seed, 500 steps) repeated at K = 4, 8, 16, 32 for each loss: downstream accuracy after 250 and 500 steps, and the float32 gradient’s mean per-anchor cosine with the exact one.',
        '用上面的设置（一个种子，500 步）在 K = 4、8、16、32 下分别训练两种损失：250 步和 500 步后的下游准确率，以及 float32 梯度与精确梯度的每锚点平均余弦。')}</p>
      <div class="pw-row"><button id="run-batch" type="button">${t('Run batch sweep', '运行批大小扫描')}</button>
        <progress id="batch-progress" max="1" value="0" aria-label="${t('batch sweep progress', '批大小扫描进度')}"></progress></div>
      <div class="pw-table" id="batch-wrap"><table id="batch-table"></table></div>
      <p class="pw-conclusion" id="batch-conclusion" aria-live="polite"></p>
    </div>`);
    for (const id of ['#k', '#pos', '#dmax']) this.$(id).addEventListener('input', () => this.sweep());
    this.$('#run').addEventListener('click', () => this.train());
    this.$('#run-batch').addEventListener('click', () => this.batchSweep());
    this.sweep();
    this.train().then(() => this.batchSweep());
  }

  sweep() {
    const t = this.t.bind(this);
    const err = this.$('#sweep-err');
    const k = Number(this.$('#k').value), pos = Number(this.$('#pos').value), dmax = Number(this.$('#dmax').value);
    this.$('#dmax-v').textContent = String(dmax);
    try {
      const margins = Array.from({ length: dmax * 8 + 1 }, (_, i) => i / 8);
      const s = this.pw.contrastiveMarginSweep(k, pos, margins);
      const zero = s.margin.findIndex((_, i) => s.ce32Shifted[i] === 0 && s.grad32Shifted[i] === 0);
      const vlines = zero >= 0 ? [{ x: s.margin[zero] }] : [];  // explained in the conclusion below
      // The collapse depends on the order of the float32 sum: the positive summed first (as above) or last.
      const ord = this.pw.contrastiveMarginOrder(k, pos, margins);
      const zeroLast = ord.margin.findIndex((_, i) => ord.ce32Last[i] === 0);
      this.order = { zero: zero >= 0 ? s.margin[zero] : null, zeroLast: zeroLast >= 0 ? ord.margin[zeroLast] : null };
      if (zeroLast >= 0) vlines.push({ x: ord.margin[zeroLast], label: t('positive last', '正样本后加') });
      linePlot(this.$('#loss-plot'), {
        series: [
          { x: s.margin, y: s.ce64, label: 'f64', width: 5, color: '#9aa3b2' },
          { x: s.margin, y: s.ce32Stable, label: t('f32 log1p', 'f32 log1p'), width: 2 },
          { x: s.margin, y: s.ce32Naive, label: t('f32 naive', 'f32 朴素'), width: 2 },
          { x: s.margin, y: s.ce32Shifted, label: t('f32 framework', 'f32 框架'), dash: [5, 3], width: 2 },
          { x: ord.margin, y: ord.ce32Last, label: t('f32 fw., positive last', 'f32 框架，正样本后加'), dash: [2, 2], width: 2 },
        ],
        logY: true, xlabel: t('margin D = s_t − s_i', '间隔 D = s_t − s_i'), ylabel: t('CE loss (log scale)', '交叉熵损失（对数坐标）'), height: 260, vlines,
      });
      linePlot(this.$('#grad-plot'), {
        series: [
          { x: s.margin, y: s.identity32, label: t('f32 framework CE', 'f32 框架交叉熵') },
          { x: s.margin, y: s.identity32Stable, label: t('f32 log1p CE', 'f32 log1p 交叉熵') },
        ],
        logY: true, ymin: 1e-9, ymax: 1e3, xlabel: t('margin D', '间隔 D'),
        ylabel: t('rel. error of ∇CE vs ξ/(1+ξ)·∇FlatNCE', '∇CE 相对 ξ/(1+ξ)·∇FlatNCE 的误差'), height: 260, vlines,
      });
      // The post's four rows, for the reader's K and s_t.
      const tab = this.pw.contrastiveMarginSweep(k, pos, [10, 15, 17, 20]);
      const head = ['D', 'ξ', t('CE f64', 'CE f64'), t('CE f32 naive', 'CE f32 朴素'), t('CE f32 framework', 'CE f32 框架'),
        '∂CE/∂s_t f32', t('exact ∂CE/∂s_t', '精确 ∂CE/∂s_t'), 'FlatNCE f32'];
      this.$('#table').innerHTML = `<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${
        Array.from(tab.margin, (d, i) => `<tr><td>${d}</td><td>${sci(tab.xi[i], 2)}</td><td>${sci(tab.ce64[i])}</td><td>${sci(tab.ce32Naive[i])}</td>
          <td>${sci(tab.ce32Shifted[i])}</td><td>${sci(tab.grad32Shifted[i])}</td><td>${sci(tab.grad64[i])}</td><td>${tab.flat32[i].toFixed(4)}</td></tr>`).join('')}</tbody>`;
      this.labelCells(this.$('#table'));
      this.$('#sweep-conclusion').textContent = zero >= 0
        ? t(`With K = ${k} and s_t = ${pos}, float32 cross-entropy (loss and ∂/∂s_t) is exactly 0 from D = ${s.margin[zero]} on when the positive’s term is summed first (vertical line; ξ = ${sci(s.xi[zero], 2)}), while FlatNCE there is still ${fmt(s.flat32[zero])} with ∂/∂s_t = −1. The threshold depends on the summation order: with the positive summed last the negatives add up first, and CE becomes exactly 0 only from D = ${this.order.zeroLast ?? `> ${dmax}`}.`,
          `K = ${k}、s_t = ${pos} 时，若正样本的项先加，从 D = ${s.margin[zero]}（ξ = ${sci(s.xi[zero], 2)}）起（竖线）float32 交叉熵的损失和 ∂/∂s_t 恰好为 0，而 FlatNCE 仍为 ${fmt(s.flat32[zero])}，∂/∂s_t = −1。阈值取决于求和顺序：正样本最后加时负样本先累加，交叉熵直到 D = ${this.order.zeroLast ?? `> ${dmax}`} 才为 0。`)
        : t(`With K = ${k} and s_t = ${pos}, float32 cross-entropy stays nonzero up to D = ${dmax} (ξ ≥ ${sci(s.xi[s.xi.length - 1], 2)}); widen the margin to see it collapse.`,
          `K = ${k}、s_t = ${pos} 时，直到 D = ${dmax}（ξ ≥ ${sci(s.xi[s.xi.length - 1], 2)}）float32 交叉熵都不为 0；加大间隔可看到它归零。`);
      err.textContent = '';
    } catch (e) {
      this.showError(err, e);
    }
  }

  async train() {
    const t = this.t.bind(this);
    const err = this.$('#train-err'), status = this.$('#status'), progress = this.$('#progress');
    this.abort?.abort();
    const ctl = (this.abort = new AbortController());
    const num = (id) => Number(this.$(id).value);
    const config = { batch: num('#batch'), tau: num('#tau'), lr: num('#lr'), viewNoise: num('#noise'), classes: num('#classes'),
      nuisanceDim: num('#ndim'), embedDim: num('#edim'), evaluation: this.$('#eval').value, seed: num('#seed') };
    const steps = num('#steps');
    err.textContent = '';
    progress.value = 0;
    status.textContent = t('training…', '训练中…');
    this.setAttribute('data-train', 'running');
    try {
      this.worker ??= this.pw.worker();
      const r = await this.worker.run('contrastiveCompare', [config, { steps, evalEvery: Math.max(10, Math.round(steps / 20)) }], {
        signal: ctl.signal,
        onProgress: (p) => { progress.value = (p.done + (p.phase === 'flatnce' ? p.total : 0)) / (2 * p.total); },
      });
      this.render(r, config);
      status.textContent = '';
      this.setAttribute('data-train', 'done');
    } catch (e) {
      if (e.name === 'AbortError') return;
      status.textContent = '';
      this.showError(err, e);
      this.setAttribute('data-train', 'error');
    }
  }

  /** Section 3: the 'contrastiveBatchSweep' Worker task (post 3 §3.4). */
  async batchSweep() {
    const t = this.t.bind(this);
    this.batchCtl?.abort();
    const ctl = (this.batchCtl = new AbortController());
    const num = (id) => Number(this.$(id).value);
    const config = { tau: num('#tau'), lr: num('#lr'), viewNoise: num('#noise'), classes: num('#classes'),
      nuisanceDim: num('#ndim'), embedDim: num('#edim'), evaluation: this.$('#eval').value, seed: num('#seed') };
    const batches = [4, 8, 16, 32];
    const prog = this.$('#batch-progress');
    this.setAttribute('data-batch', 'running');
    const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '…');
    const draw = (rows) => {
      const get = (b, loss) => rows.find((r) => r.batch === b && r.loss === loss);
      const head = ['K', t('CE acc. @250', 'CE 准确率 @250'), t('FlatNCE acc. @250', 'FlatNCE 准确率 @250'), t('CE acc. @500', 'CE 准确率 @500'),
        t('FlatNCE acc. @500', 'FlatNCE 准确率 @500'), t('CE grad. cos', 'CE 梯度余弦'), t('FlatNCE grad. cos', 'FlatNCE 梯度余弦'), t('CE ξ < 2⁻²⁴', 'CE ξ < 2⁻²⁴')];
      const acc = (r, k) => (r ? pct(r.accuracy[k]) : '…');
      const cos = (r) => (r ? r.anchorCosine.toFixed(4) : '…');
      this.$('#batch-table').innerHTML = `<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${batches.map((b) => {
        const c = get(b, 'ce'), f = get(b, 'flatnce');
        return `<tr><td>${b}</td><td>${acc(c, 1)}</td><td>${acc(f, 1)}</td><td>${acc(c, 2)}</td><td>${acc(f, 2)}</td><td>${cos(c)}</td><td>${cos(f)}</td><td>${c ? pct(c.underflow) : '…'}</td></tr>`;
      }).join('')}</tbody>`;
      this.labelCells(this.$('#batch-table'));
    };
    draw([]);
    try {
      this.worker ??= this.pw.worker();
      const rows = [];
      const r = await this.worker.run('contrastiveBatchSweep', [config, { batches, steps: 500, evalEvery: 250 }], {
        signal: ctl.signal, onProgress: (p) => { prog.value = p.done / p.total; rows.push(p.row); draw(rows); },
      });
      draw(r.rows);
      const c4 = r.rows.find((x) => x.batch === 4 && x.loss === 'ce'), f4 = r.rows.find((x) => x.batch === 4 && x.loss === 'flatnce');
      const c32 = r.rows.find((x) => x.batch === 32 && x.loss === 'ce');
      this.$('#batch-conclusion').textContent = t(
        `At K = 4 the float32 CE gradient has cosine ${c4.anchorCosine.toFixed(3)} with the exact one (${c32.anchorCosine.toFixed(4)} at K = 32) and CE reaches ${pct(c4.accuracy[1])} after 250 steps, FlatNCE ${pct(f4.accuracy[1])}: the smaller the batch, the more anchors lose their CE gradient to rounding, while FlatNCE is the same at every K. One seed; a toy, not the paper’s CIFAR numbers.`,
        `K = 4 时 float32 CE 梯度与精确梯度的余弦为 ${c4.anchorCosine.toFixed(3)}（K = 32 时 ${c32.anchorCosine.toFixed(4)}），250 步后 CE 准确率 ${pct(c4.accuracy[1])}，FlatNCE ${pct(f4.accuracy[1])}：批越小，越多锚点的 CE 梯度被舍入吞掉，而 FlatNCE 在各个 K 下都一样。单个种子；这是玩具模型，不是论文的 CIFAR 数据。`);
      this.setAttribute('data-batch', 'done');
    } catch (e) {
      if (e.name === 'AbortError') return;
      this.showError(this.$('#batch-conclusion'), e);
      this.setAttribute('data-batch', 'error');
    }
  }

  render(r, config) {
    const t = this.t.bind(this);
    const { ce, flatnce: fl } = r;
    linePlot(this.$('#cos-plot'), {
      series: [
        { x: ce.step, y: ce.anchorCosine, label: t('CE cos(∇f32, ∇f64)', 'CE cos(∇f32, ∇f64)'), width: 1.5 },
        { x: fl.step, y: fl.anchorCosine, label: 'FlatNCE', width: 1.5 },
        { x: ce.step, y: ce.underflow, label: t('CE: ξ < 2⁻²⁴', 'CE：ξ < 2⁻²⁴'), dash: [4, 3], width: 1 },
      ],
      ymin: 0, ymax: 1.3, xlabel: t('training step', '训练步'), ylabel: t('per-anchor gradient cosine / fraction', '每锚点梯度余弦 / 比例'), height: 260,
    });
    linePlot(this.$('#acc-plot'), {
      series: [
        { x: ce.accuracyStep, y: ce.accuracy, label: t('CE', '交叉熵') },
        { x: fl.accuracyStep, y: fl.accuracy, label: 'FlatNCE' },
      ],
      ymin: 0, ymax: 1, xlabel: t('training step', '训练步'), ylabel: t('nearest-centroid accuracy', '最近质心准确率'), height: 260,
    });
    const pct = (v) => `${(100 * v).toFixed(1)}%`;
    const cs = ce.summary, fs = fl.summary, last = (a) => a[a.length - 1];
    this.$('#train-conclusion').textContent = t(
      `Second half of your run (τ = ${config.tau}, K = ${config.batch}): ${pct(cs.underflow)} of CE's anchors had ξ < 2⁻²⁴, and the float32 CE gradient's per-anchor cosine with the exact one averaged ${cs.anchorCosine.toFixed(3)} against ${fs.anchorCosine.toFixed(4)} for FlatNCE; final downstream accuracy: CE ${pct(last(ce.accuracy))}, FlatNCE ${pct(last(fl.accuracy))}.`,
      `你这次运行的后半段（τ = ${config.tau}，K = ${config.batch}）：${pct(cs.underflow)} 的 CE 锚点 ξ < 2⁻²⁴，float32 CE 梯度与精确梯度的每锚点余弦平均为 ${cs.anchorCosine.toFixed(3)}，FlatNCE 为 ${fs.anchorCosine.toFixed(4)}；最终下游准确率：CE ${pct(last(ce.accuracy))}，FlatNCE ${pct(last(fl.accuracy))}。`);
    this.$('#train-conclusion').dataset.ceCos = String(cs.anchorCosine);
    this.$('#train-conclusion').dataset.flatCos = String(fs.anchorCosine);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.abort?.abort();
    this.batchCtl?.abort();
    this.worker?.terminate();
    this.worker = null;
  }
}

customElements.define('pw-flatnce', PwFlatnce);
