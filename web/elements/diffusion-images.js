// <pw-images steps="10" eta="0">: post 4 on real images (issue 16). 8×8 handwritten digits emerging from noise
// under the shipped ε-model, η and steps live, the x̂₀ predictions along the way, the DDIM paper's η × steps
// table on a classifier-feature Fréchet distance, slerp between two noises and DDIM inversion of a real digit.
// Every number comes from wasm in the module Worker (tasks in bindings/js/diffusion-images.js; the table on
// the Worker pool); this element only draws what comes back.
import { PwElement } from './base.js';
import { barChart, cssColor, fmt, setupCanvas } from './plot.js';

const STEPS = [5, 10, 20, 50, 100];
const TABLE = { steps: [5, 10, 20, 50, 100], etas: [0, 0.5, 1], count: 400, seed: 1 };
const COMPARE_COUNT = 400;
// No x̂₀ clipping (clip_sample): with it the deterministic sampler drifts at many steps, as its ε̂ no longer matches
// the clipped x̂₀. The pixels are clamped to [−1, 1] where they are shown and scored, as diffusers' pipelines do.
const SCHED = { clipSample: false };
// Every sampler the library has; η belongs to DDIM.
const SAMPLERS = [['ddim', 'DDIM (η)'], ['ddpm', 'DDPM'], ['heun', 'Heun (ODE)'], ['euler', 'Euler'], ['euler-ancestral', 'Euler a'],
  ['dpm++2m', 'DPM++ 2M'], ['unipc', 'UniPC']];
const SAMPLER_NAME = Object.fromEntries(SAMPLERS);

/** Draws n 8×8 images (values in [−1, 1], row-major) in a grid of `cols` columns; ink = foreground colour. */
function drawImages(canvas, data, n, cols, { gap = 2, maxCell = 56 } = {}) {
  const host = canvas.getRootNode().host ?? canvas;
  const { cell, wCss, hCss } = gridSize(canvas.clientWidth || 300, n, cols, gap, maxCell);
  const { ctx, w: css } = setupCanvas(canvas, hCss);
  ctx.clearRect(0, 0, css, hCss);
  const bg = parse(cssColor(host, '--pw-bg', '#ffffff')), fg = parse(cssColor(host, '--pw-fg', '#000000'));
  const tile = document.createElement('canvas');
  tile.width = 8; tile.height = 8;
  const tctx = tile.getContext('2d');
  const img = tctx.createImageData(8, 8);
  ctx.imageSmoothingEnabled = false;
  const x0 = Math.floor((css - wCss) / 2);
  for (let k = 0; k < n; k++) {
    for (let p = 0; p < 64; p++) {
      // display only: pixel value in [−1, 1] → ink share in [0, 1]
      const a = Math.min(1, Math.max(0, (data[k * 64 + p] + 1) / 2));
      for (let c = 0; c < 3; c++) img.data[4 * p + c] = Math.round(bg[c] + a * (fg[c] - bg[c]));
      img.data[4 * p + 3] = 255;
    }
    tctx.putImageData(img, 0, 0);
    ctx.drawImage(tile, x0 + (k % cols) * (cell + gap), Math.floor(k / cols) * (cell + gap), cell, cell);
  }
  canvas.setAttribute('data-images', String(n));
}

/** Cell size and drawn size (CSS px) of n images in `cols` columns in a canvas `css` px wide. */
function gridSize(css, n, cols, gap, maxCell) {
  const cell = Math.max(8, Math.min(maxCell, Math.floor((css - gap * (cols - 1)) / cols)));
  const rows = Math.ceil(n / cols);
  return { cell, wCss: cols * cell + (cols - 1) * gap, hCss: rows * cell + (rows - 1) * gap };
}

// The image panels: [canvas id, images, columns, gap, largest cell]. Their heights are set before any result
// arrives (reserve()), so nothing below them moves when the images come.
const PANELS = { grid: [64, 8, 2, 44], traj: [64, 8, 2, 28], slerp: [9, 9, 2, 48], inv: [3, 3, 12, 64] };

function parse(color) {
  const m = /rgba?\((\d+)[, ]+(\d+)[, ]+(\d+)/.exec(color);
  if (m) return [+m[1], +m[2], +m[3]];
  const h = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (h) return [0, 2, 4].map((i) => parseInt(h[1].slice(i, i + 2), 16));
  return [128, 128, 128];
}

class PwImages extends PwElement {
  static topic = 'diffusion';
  static fallback = {
    en: 'DDIM vs DDPM on real 8×8 handwritten digits (loads when visible).',
    zh: 'DDIM 与 DDPM 在真实 8×8 手写数字上的对比（进入视口时加载）。',
  };

  static params = ['steps', 'eta'];

  static styles = `
.pw-sized { container: pw / inline-size; }
.cols { display: grid; grid-template-columns: 1fr; gap: 10px; }
@container pw (min-width: 700px) { .cols { grid-template-columns: 3fr 2fr; } }
figure { margin: 0; }
figcaption { font-size: 13px; color: var(--pw-muted); min-height: 2.6em; }
h4 { margin: 14px 0 4px; font-size: 14px; }
.headline { font-weight: 600; margin: 6px 0; }
.note { font-size: 13px; color: var(--pw-muted); }
td.best { font-weight: 700; color: var(--pw-good); }
th[scope=row] { text-align: left; }
td.floor { color: var(--pw-muted); font-style: italic; }
td { white-space: nowrap; }
.tablewrap { overflow-x: auto; min-height: 150px; }
#hist { height: 150px; }
/* text that arrives with the results, at its final height (measured at 390 and 1280 px) */
#headline { min-height: 5.8em; }
#trajCap { min-height: 4.4em; }
#invCap { min-height: 4.4em; }
#gridCap { min-height: 2.9em; }
@container pw (min-width: 480px) { #headline { min-height: 4.4em; } #trajCap { min-height: 2.9em; } #invCap { min-height: 2.9em; } }
@container pw (min-width: 800px) { #headline { min-height: 2.9em; } #trajCap { min-height: 1.45em; } #invCap { min-height: 2.9em; } }
`;

  start() {
    const t = (en, zh) => this.t(en, zh);
    const steps = STEPS.includes(this.numberAttr('steps', 10)) ? this.numberAttr('steps', 10) : 10;
    const eta = Math.min(1, Math.max(0, this.numberAttr('eta', 0)));
    this.html(`<div class="pw-sized">
      <div class="pw-row">
        <label>${t('Sampler', '采样器')} <select id="sampler">${SAMPLERS.map(([v, label]) => `<option value="${v}">${label}</option>`).join('')}</select></label>
        <label>η <input id="eta" type="range" min="0" max="1" step="0.1" value="${eta}"> <output id="etaOut" class="pw-num">${eta.toFixed(1)}</output></label>
        <label>${t('Steps', '步数')} <select id="steps">${STEPS.map((s) => `<option ${s === steps ? 'selected' : ''}>${s}</option>`).join('')}</select></label>
        <label>${t('Seed', '种子')} <input id="seed" type="number" min="0" step="1" value="1" style="width:5em"></label>
        <progress id="prog" max="1" value="0" aria-label="${t('sampling progress', '采样进度')}"></progress>
      </div>
      <p class="headline" id="headline" aria-live="polite"></p>
      <div class="cols">
        <figure><canvas id="grid" role="img" aria-label="${t('64 generated digits', '64 个生成的数字')}"></canvas><figcaption id="gridCap"></figcaption></figure>
        <figure><canvas id="hist"></canvas><figcaption>${t('Classes the classifier sees in these 64 samples.', '分类器在这 64 个样本中识别出的类别。')}</figcaption></figure>
      </div>
      <h4>${t('x̂₀ predictions along the trajectory (8 samples; columns: steps)', '轨迹上的 x̂₀ 预测（8 个样本；列为步数）')}</h4>
      <canvas id="traj" role="img" aria-label="${t('predicted clean images along the sampling steps', '采样各步预测的干净图像')}"></canvas>
      <p class="note" id="trajCap"></p>
      <h4>${t('Sample quality vs steps and η (the DDIM paper’s Table 1 on digits, live)', '样本质量随步数与 η 的变化（DDIM 论文表 1，数字数据，实时计算）')}</h4>
      <p class="note">${t(`Fréchet distance (lower is better) between ${TABLE.count} samples and the 359 held-out real digits, in the 32-dim feature space of a small classifier trained on the training digits (FID-like); H is the entropy of the predicted classes (log 10 ≈ 2.30 when all ten digits are equally common). Computed in Workers. As in the DDIM paper’s Table 1, η = 0 wins at few steps and the rows come together as the steps grow. Pixels are clamped to [−1, 1] as shown (diffusers’ pipelines clamp their output too); x̂₀ clipping is off, because with it the deterministic sampler drifts at many steps (its ε̂ no longer matches the clipped x̂₀).`,
        `${TABLE.count} 个样本与 359 个留出的真实数字之间的 Fréchet 距离（越小越好），在一个用训练集训练的小分类器的 32 维特征空间中计算（类 FID）；H 为预测类别分布的熵（十个数字均匀时为 log 10 ≈ 2.30）。在 Worker 中计算。与 DDIM 论文表 1 一致：步数少时 η = 0 胜出，步数增加时各行逐渐汇合。像素按显示方式截断到 [−1, 1]（diffusers 的 pipeline 也对输出截断）；x̂₀ 截断（clip_sample）关闭，因为开启后确定性采样在多步时会漂移（其 ε̂ 与截断后的 x̂₀ 不再一致）。`)}</p>
      <div class="pw-row"><button id="tableBtn">${t('Recompute table', '重新计算表格')}</button>
        <progress id="tableProg" max="1" value="0" aria-label="${t('table progress', '表格进度')}"></progress><span id="tableStatus" class="pw-num"></span></div>
      <div class="tablewrap"><table id="table"></table></div>
      <h4>${t('Slerp between two noises, each mapped by DDIM (η = 0)', '两个噪声之间的球面插值，各自经 DDIM（η = 0）映射')}</h4>
      <div class="pw-row"><button id="slerpBtn">${t('New pair of noises', '换一对噪声')}</button></div>
      <canvas id="slerp" role="img" aria-label="${t('images along a slerp path between two noises', '两个噪声之间球面插值路径上的图像')}"></canvas>
      <h4>${t('DDIM inversion of a real digit and back (σ = 0, post 4 §4.5)', 'DDIM 反演一个真实数字再映射回来（σ = 0，原文 §4.5）')}</h4>
      <div class="pw-row"><label>${t('Held-out digit #', '留出数字编号')} <input id="invIndex" type="number" min="0" max="358" step="1" value="0" style="width:5em"></label>
        <button id="invBtn">${t('Invert', '反演')}</button></div>
      <canvas id="inv" role="img" aria-label="${t('a real digit, its inverted noise, and the reconstruction', '真实数字、反演得到的噪声与重建')}"></canvas>
      <p class="note pw-num" id="invCap"></p>
    </div>`);
    this.$('#eta').addEventListener('input', () => { this.$('#etaOut').textContent = Number(this.$('#eta').value).toFixed(1); this.schedule(); });
    for (const id of ['#sampler', '#steps', '#seed']) this.$(id).addEventListener('change', () => this.schedule());
    this.$('#tableBtn').addEventListener('click', () => this.runTable());
    this.$('#slerpBtn').addEventListener('click', () => { this.slerpSeed = (this.slerpSeed ?? 1) + 2; this.runSlerp(); });
    this.$('#invBtn').addEventListener('click', () => this.runInversion());
    this.reserve();
    this.renderTable0();
    this.runGrid();
    this.runTable();
    this.runSlerp();
    this.runInversion();
  }

  paramChanged(name, value) {
    if (name === 'steps' && STEPS.includes(Number(value))) this.$('#steps').value = String(Number(value));
    if (name === 'eta' && Number.isFinite(Number(value))) { this.$('#eta').value = String(value); this.$('#etaOut').textContent = Number(this.$('#eta').value).toFixed(1); }
    this.runGrid().then(() => this.dispatchEvent(new CustomEvent('change', { detail: { attribute: name, value } })));
  }

  get worker() {
    this._worker ??= this.pw.worker();
    return this._worker;
  }

  settings() {
    const sampler = this.$('#sampler').value;
    const eta = sampler === 'ddim' ? Number(this.$('#eta').value) : 0;
    this.$('#eta').disabled = sampler !== 'ddim';
    return { sampler, eta, scheduler: ['ddim', 'ddpm', 'heun'].includes(sampler) ? SCHED : {}, steps: Number(this.$('#steps').value),
      seed: Math.max(0, Math.floor(Number(this.$('#seed').value) || 0)) };
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runGrid(), 120);
  }

  async runGrid() {
    this.gridCtl?.abort();
    const ctl = (this.gridCtl = new AbortController());
    const s = this.settings();
    const t = (en, zh) => this.t(en, zh);
    const prog = this.$('#prog');
    try {
      const grid = await this.worker.run('imagesGrid', [{ ...s, count: 64, trajCount: 8, frames: Math.min(8, s.steps) }],
        { signal: ctl.signal, onProgress: (p) => { prog.value = p.done / p.total; } });
      // the headline: η = 0 against η = 1 at these steps, on more samples than the grid
      const cmp = await this.worker.run('imagesQualityTable', [{ steps: [s.steps], etas: [0, 1], count: COMPARE_COUNT, seed: s.seed, scheduler: SCHED }], { signal: ctl.signal });
      prog.value = 1;
      this.grid = { ...grid, s, cmp };
      this.redraw();
      this.setAttribute('data-grid', 'done');
      const [f0, f1] = cmp.fid;
      const better = f0 < f1;
      this.$('#headline').textContent = t(
        `At ${s.steps} steps, DDIM with η = 0 scores FID ${fmt(f0)} against ${fmt(f1)} for η = 1 (DDPM-like noise), on ${COMPARE_COUNT} samples each: ${better ? 'the deterministic sampler is better with few steps' : 'here the stochastic sampler is not worse'} (real digits score ${fmt(cmp.floor)}).`,
        `${s.steps} 步时，η = 0 的 DDIM 的 FID 为 ${fmt(f0)}，η = 1（类 DDPM 噪声）为 ${fmt(f1)}，各 ${COMPARE_COUNT} 个样本：${better ? '步数少时确定性采样更好' : '此时随机采样并不更差'}（真实数字的得分为 ${fmt(cmp.floor)}）。`);
      const q = grid.quality;
      this.$('#gridCap').textContent = t(
        `64 samples, ${s.sampler === 'ddim' ? `DDIM η = ${s.eta.toFixed(1)}` : SAMPLER_NAME[s.sampler]}, ${s.steps} steps, seed ${s.seed}: class entropy H = ${fmt(q.entropy)}, mean confidence ${fmt(q.confidence)}.`,
        `64 个样本，${s.sampler === 'ddim' ? `DDIM η = ${s.eta.toFixed(1)}` : SAMPLER_NAME[s.sampler]}，${s.steps} 步，种子 ${s.seed}：类别熵 H = ${fmt(q.entropy)}，平均置信度 ${fmt(q.confidence)}。`);
      this.$('#trajCap').textContent = t(
        `Rows: the first 8 samples; columns: x̂₀ = (x_t − √(1−ᾱ_t) ε̂)/√ᾱ_t after steps ${[...grid.x0.steps].join(', ')} of ${s.steps}.`,
        `行：前 8 个样本；列：第 ${[...grid.x0.steps].join('、')} 步（共 ${s.steps} 步）的 x̂₀ = (x_t − √(1−ᾱ_t) ε̂)/√ᾱ_t。`);
    } catch (e) {
      if (e?.name !== 'AbortError') this.$('#headline').textContent = String(e?.message ?? e);
    }
  }

  /** The table's rows with '…' before the first run, at their final height. */
  renderTable0() {
    const n = TABLE.steps.length * TABLE.etas.length;
    this.table = { steps: TABLE.steps, etas: TABLE.etas, fid: new Float64Array(n).fill(NaN), entropy: new Float64Array(n).fill(NaN), floor: NaN };
    this.renderTable();
  }

  async runTable() {
    this.tableCtl?.abort();
    const ctl = (this.tableCtl = new AbortController());
    const prog = this.$('#tableProg'), status = this.$('#tableStatus');
    const n = TABLE.steps.length * TABLE.etas.length;
    this.table = { steps: TABLE.steps, etas: TABLE.etas, fid: new Float64Array(n).fill(NaN), entropy: new Float64Array(n).fill(NaN), floor: NaN };
    this.renderTable();
    this.pool ??= this.pw.workerPool();
    try {
      const r = await this.pool.run('imagesQualityTable', [{ ...TABLE, scheduler: SCHED }], {
        signal: ctl.signal,
        onProgress: (p) => {
          prog.value = p.done / p.total;
          status.textContent = `${p.done}/${p.total}`;
          if (p.cell) {
            this.table.fid[p.cell.j * TABLE.steps.length + p.cell.i] = p.cell.fid;
            this.table.entropy[p.cell.j * TABLE.steps.length + p.cell.i] = p.cell.entropy;
            this.renderTable();
          }
        },
      });
      this.table = r;
      prog.value = 1;
      status.textContent = this.t('done', '完成');
      this.renderTable();
      this.setAttribute('data-table', 'done');
    } catch (e) {
      if (e?.name !== 'AbortError') status.textContent = String(e?.message ?? e);
    }
  }

  renderTable() {
    const { steps, etas, fid, entropy, floor } = this.table;
    const t = (en, zh) => this.t(en, zh);
    const best = steps.map((_, i) => {
      let b = -1;
      etas.forEach((_, j) => { const v = fid[j * steps.length + i]; if (Number.isFinite(v) && (b < 0 || v < fid[b * steps.length + i])) b = j; });
      return b;
    });
    const head = `<tr><th scope="col">η</th>${steps.map((s) => `<th scope="col">${s} ${t('steps', '步')}</th>`).join('')}</tr>`;
    const rows = etas.map((e, j) => `<tr><th scope="row">η = ${e}</th>${steps.map((_, i) => {
      const v = fid[j * steps.length + i], h = entropy[j * steps.length + i];
      return `<td class="${best[i] === j ? 'best' : ''}" data-fid="${v}">${Number.isFinite(v) ? `${fmt(v)} <span class="pw-muted">H ${fmt(h)}</span>` : '…'}</td>`;
    }).join('')}</tr>`).join('');
    const fl = `<tr><th scope="row">${t('real digits', '真实数字')}</th><td class="floor" colspan="${steps.length}">${Number.isFinite(floor) ? fmt(floor) : '…'}</td></tr>`;
    this.$('#table').innerHTML = head + rows + fl;
    this.labelCells(this.$('#table'));
  }

  async runSlerp() {
    try {
      const seed = this.slerpSeed ?? 1;
      this.slerp = await this.worker.run('imagesSlerp', [{ steps: 20, seed, seed2: seed + 1, lambdas: 8, scheduler: SCHED }]);
      this.redraw();
      this.setAttribute('data-slerp', 'done');
    } catch (e) {
      if (e?.name !== 'AbortError') console.error(e);
    }
  }

  async runInversion() {
    const index = Math.max(0, Math.floor(Number(this.$('#invIndex').value) || 0));
    try {
      this.inv = await this.worker.run('imagesInversion', [{ index, steps: 50 }]);
      this.redraw();
      this.setAttribute('data-inversion', 'done');
      this.$('#invCap').textContent = this.t(
        `Held-out digit #${this.inv.index} (a ${this.inv.label}) → x_T by the DDIM ODE (50 steps) → back: root-mean-square pixel error ${fmt(this.inv.rms)} (pixels span [−1, 1]).`,
        `留出数字 #${this.inv.index}（${this.inv.label}）→ 经 DDIM ODE（50 步）得到 x_T → 映射回来：像素均方根误差 ${fmt(this.inv.rms)}（像素范围 [−1, 1]）。`);
    } catch (e) {
      if (e?.name !== 'AbortError') this.$('#invCap').textContent = String(e?.message ?? e);
    }
  }

  /** Sets each image panel's final height for the current width (the trajectory: 8 rows of up to 8 frames). */
  reserve() {
    for (const [id, [n, cols, gap, maxCell]] of Object.entries(PANELS)) {
      const c = this.$(`#${id}`);
      c.style.height = `${gridSize(c.clientWidth || 300, n, cols, gap, maxCell).hCss}px`;
    }
  }

  redraw() {
    this.reserve();
    if (this.grid) {
      drawImages(this.$('#grid'), this.grid.samples, 64, 8, { maxCell: PANELS.grid[3] });
      barChart(this.$('#hist'), { values: this.grid.quality.histogram, labels: Array.from({ length: 10 }, (_, k) => String(k)), height: 150, ymin: 0 });
      const x0 = this.grid.x0, F = x0.steps.length;
      // reorder frame-major (frame, image) into rows of images: row r, column f
      const n = 8, tiles = new Float32Array(n * F * 64);
      for (let r = 0; r < n; r++) for (let f = 0; f < F; f++) tiles.set(x0.frames.subarray((f * n + r) * 64, (f * n + r + 1) * 64), (r * F + f) * 64);
      drawImages(this.$('#traj'), tiles, n * F, F, { maxCell: PANELS.traj[3] });
    }
    if (this.slerp) drawImages(this.$('#slerp'), this.slerp.images, this.slerp.lambdas + 1, this.slerp.lambdas + 1, { maxCell: PANELS.slerp[3] });
    if (this.inv) {
      const three = new Float32Array(3 * 64);
      three.set(this.inv.x0, 0); three.set(this.inv.xT, 64); three.set(this.inv.xr, 128);
      drawImages(this.$('#inv'), three, 3, 3, { maxCell: PANELS.inv[3], gap: PANELS.inv[2] });
    }
  }
}

customElements.define('pw-images', PwImages);
