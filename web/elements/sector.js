// <pw-sector n="4" theta-deg="180">: n random points in a disc and the sector of angle θ that holds
// them all (post 5). Every probability, point and angle shown comes from wasm (pw.sector*); the
// widget only converts degrees to radians and draws. Monte Carlo runs in the Worker.
import { PwElement } from './base.js';
import { linePlot, setupCanvas, cssColor, fmt } from './plot.js';

const TURN = 2 * Math.PI;      // the library's full turn (θ = Math.PI is exactly a semicircle)
const CURVE_POINTS = 481;
const MC_POINTS = 24;

class PwSector extends PwElement {
  static topic = 'sector';
  static fallback = {
    en: 'n random points in a disc: the probability that one sector of angle θ holds them all (loads when visible).',
    zh: '圆内随机 n 点落在同一个圆心角为 θ 的扇形内的概率（进入视口时加载）。',
  };

  static params = ['n', 'theta-deg'];
  static errorNames = { n: ['n (points)', 'n（点数）'], theta: 'θ', num: ['θ numerator', 'θ 的分子'], den: ['θ denominator', 'θ 的分母'] };

  state() { return { n: this.n, 'theta-deg': +this.deg.toFixed(6) }; }


  static styles = `
    .grid { display: grid; grid-template-columns: minmax(220px, 320px) 1fr; gap: 12px; align-items: start; }
    /* one column on phones: the probability and its curve first, then the disc */
    @media (max-width: 720px) { .grid { grid-template-columns: 1fr; } .grid > div:last-child { order: -1; } }
    #disc { max-width: 320px; }
    .out { margin: 4px 0; line-height: 1.6; }
    .out b { font-weight: 600; }
    input[type=number] { width: 6.5em; }
    #rad { width: 10em; }
    input[type=range] { width: 150px; }
    .frac { word-break: break-all; }
  `;

  start(pw) {
    this.n = this.keep?.n ?? Math.min(10000, Math.max(1, Math.round(this.numberAttr('n', 4))));
    this.deg = this.keep?.deg ?? Math.min(360, Math.max(1e-3, this.numberAttr('theta-deg', 180)));
    this.seed = 1;
    this.tally = { covered: 0, drawn: 0 };
    const t = (en, zh) => this.t(en, zh);
    this.html(`<div>
      <div class="pw-row">
        <label>n <input id="nlog" type="range" min="0" max="4" step="0.001" aria-label="${t('number of points n (log scale)', '点数 n（对数刻度）')}"></label>
        <label>${t('points n', '点数 n')} <input id="n" type="number" min="1" max="10000" step="1"></label>
        <label>θ <input id="deg-range" type="range" min="0.5" max="360" step="0.5" aria-label="${t('sector angle θ in degrees', '扇形圆心角 θ（度）')}"></label>
        <label>${t('θ (degrees)', 'θ（度）')} <input id="deg" type="number" min="0.001" max="360" step="any"></label>
        <label>${t('θ (radians)', 'θ（弧度）')} <input id="rad" type="number" min="0.0001" max="6.283185307179586" step="any"></label>
      </div>
      <div class="pw-row">
        <button id="resample">${t('Re-sample points', '重新采样')}</button>
        <button id="animate" aria-pressed="false">${t('Animate', '动画')}</button>
        <button id="ducks">${t('Four ducks (n = 4, θ = 180°)', '四鸭共半圆（n = 4，θ = 180°）')}</button>
        <button id="mc">${t('Run Monte Carlo', '运行蒙特卡洛')}</button>
        <progress id="progress" max="1" value="0" aria-label="${t('Monte Carlo progress', '蒙特卡洛进度')}"></progress>
      </div>
      <div class="grid">
        <div>
          <canvas id="disc" role="img" aria-label="${t('the disc, its points and the covering sector', '圆盘、随机点与覆盖扇形')}"></canvas>
          <div class="out pw-num" id="cover"></div>
          <canvas id="gap" role="img" aria-label="${t('distribution of the largest arc', '最大弧长的分布')}"></canvas>
        </div>
        <div>
          <div class="out pw-num" id="out"></div>
          <canvas id="curve" role="img" aria-label="${t('P_n(θ) against θ', 'P_n(θ) 随 θ 的曲线')}"></canvas>
          <canvas id="tail" role="img" aria-label="${t('1 − P_n(θ) on a log scale', '1 − P_n(θ)（对数坐标）')}"></canvas>
        </div>
      </div>
      <div class="out pw-muted" id="note"></div></div>`);
    this.$('#nlog').addEventListener('input', (e) => this.setN(Math.round(10 ** Number(e.target.value)), 'nlog'));
    this.$('#n').addEventListener('change', (e) => this.setN(Math.round(Number(e.target.value)), 'n'));
    this.$('#deg-range').addEventListener('input', (e) => this.setDeg(Number(e.target.value), 'deg-range'));
    this.$('#deg').addEventListener('change', (e) => this.setDeg(Number(e.target.value), 'deg'));
    this.$('#rad').addEventListener('change', (e) => this.setDeg((Number(e.target.value) / TURN) * 360, 'rad'));
    this.$('#resample').addEventListener('click', () => { this.seed++; this.renderDisc(); });
    this.$('#animate').addEventListener('click', () => this.toggleAnimation());
    this.$('#ducks').addEventListener('click', () => { this.setN(4); this.setDeg(180); });
    this.$('#mc').addEventListener('click', () => this.runMonteCarlo());
    this.syncControls();
    this.renderAll();
    this.runMonteCarlo();
  }

  paramChanged(name) {
    if (name === 'n') this.setN(Math.round(this.numberAttr('n', this.n)));
    else this.setDeg(this.numberAttr('theta-deg', this.deg));
  }

  /** A new language keeps the reader's n and θ. */
  relabel() {
    this.keep = { n: this.n, deg: this.deg };
    this.rebuild();
    this.keep = null;
  }

  redraw() { this.renderDisc(false); this.renderPlots(); }

  get theta() { return (this.deg / 360) * TURN; }

  // The fields always show the value in use: a typed 0 becomes 1, 100000 becomes 10000, 2.5 becomes 3.
  setN(n, from) {
    if (!Number.isFinite(n)) { this.syncControls(); return; }
    this.n = Math.min(10000, Math.max(1, n));
    const typed = from === 'n' ? Number(this.$('#n').value) : this.n;
    this.syncControls(typed === this.n ? from : undefined);
    this.tally = { covered: 0, drawn: 0 };
    this.renderAll();
    this.runMonteCarlo();
  }

  setDeg(deg, from) {
    if (!Number.isFinite(deg)) { this.syncControls(); return; }
    const lo = this.window().lo;
    this.deg = Math.min(360, Math.max(1e-3, deg));
    this.syncControls(this.deg === deg ? from : undefined);
    this.tally = { covered: 0, drawn: 0 };
    if (this.window().lo !== lo) {  // θ left the plotted window: the window follows it
      this.renderAll();
      this.runMonteCarlo();
      return;
    }
    this.renderNumbers();
    this.renderDisc();
    this.renderPlots();
  }

  syncControls(from) {
    if (from !== 'nlog') this.$('#nlog').value = String(Math.log10(this.n));
    if (from !== 'n') this.$('#n').value = String(this.n);
    if (from !== 'deg-range') this.$('#deg-range').value = String(this.deg);
    if (from !== 'deg') this.$('#deg').value = String(+this.deg.toFixed(6));
    if (from !== 'rad') this.$('#rad').value = String(+this.theta.toFixed(10));
  }

  // The plotted window: P_n changes where 2π − θ is comparable to the largest arc, so the figures
  // span θ ∈ [360°(1 − f), 360°] with f = min(1, 4 E[G]) (E[G] = H_n/n from wasm): all of (0°, 360°]
  // for small n, a zoom on the transition for large n; widened to keep the reader's θ in view.
  window() {
    const fGap = Math.min(1, 4 * this.pw.sectorLargestGapMean(this.n));
    let lo = 360 * (1 - fGap);
    if (this.deg < lo) lo = Math.max(0, this.deg - 0.08 * (360 - this.deg));
    return { f: 1 - lo / 360, lo, fGap };
  }

  renderAll() {
    const { f } = this.window();
    const thetas = new Float64Array(CURVE_POINTS);
    for (let i = 0; i < CURVE_POINTS; i++) thetas[i] = (1 - f + ((i + 1) / CURVE_POINTS) * f) * TURN;
    this.grid = thetas;
    this.curve = this.pw.sectorCurve(this.n, thetas);
    const lo = (1 - f) * TURN;
    const inWindow = Array.from(this.pw.sectorBreakpoints(this.n, { maxCount: 10000 })).filter((b) => b >= lo);
    this.breaks = inWindow.length <= 24 ? inWindow : [];  // denser than that they would fill the plot
    this.mc = null;
    this.renderNumbers();
    this.renderDisc();
    this.renderPlots();
  }

  // Degrees as an exact fraction of the turn when they have at most 3 decimals: deg/360 = num/den.
  exactFraction() {
    const scaled = Math.round(this.deg * 1000);
    if (Math.abs(scaled - this.deg * 1000) > 1e-6 || this.n > 2000) return null;
    try {
      return this.pw.sectorProbabilityExact(this.n, scaled, 360000);
    } catch {
      return null;
    }
  }

  renderNumbers() {
    const out = this.$('#out');
    try {
      const s = this.pw.sectorEvaluate(this.n, this.theta);
      const f = this.exactFraction();
      const short = (str) => (str.length > 60 ? `${str.slice(0, 28)}…${str.slice(-28)} (${str.length} ${this.t('digits', '位')})` : str);
      out.innerHTML = `<div>P<sub>${this.n}</sub>(${fmt(this.deg)}°) = <b id="p">${s.probability.toPrecision(15)}</b></div>
        <div>1 − P = <b id="q">${s.complement.toPrecision(15)}</b> <span class="pw-muted" id="method" title="${this.t('how the library computed these two numbers', '程序库计算这两个数所用的方法')}">(${this.methodText(s.method)})</span></div>
        ${f ? `<div class="frac">${this.t('exact', '精确值')}: <b id="exact">${short(f.numerator)}/${short(f.denominator)}</b></div>` : ''}
        <div>${this.t('Wendel (θ = 180°)', 'Wendel（θ = 180°）')}: n/2<sup>n−1</sup> = <span id="wendel">${this.pw.sectorWendel(this.n).toPrecision(6)}</span>;
          ${this.t('mean largest arc', '最大弧均值')} H<sub>n</sub>/n = <span id="gapmean">${(this.pw.sectorLargestGapMean(this.n) * 360).toPrecision(6)}°</span></div>`;
      out.classList.remove('pw-error');
    } catch (err) {
      this.showError(out, err);
      out.classList.add('pw-error');
    }
  }

  /** What each evaluation route of sectorEvaluate means (post 5, §5.1). */
  methodText(method) {
    const T = {
      one: ['θ ≥ 360°(1 − 1/n): P = 1 exactly', 'θ ≥ 360°(1 − 1/n)：P 恰为 1'],
      closed: ['closed form for θ ≤ 180°: P = n(θ/360°)^{n−1}', 'θ ≤ 180° 的闭式：P = n(θ/360°)^{n−1}'],
      left: ['left sum: inclusion–exclusion over k = 1, 2, … arcs, P = Σ (−1)^{k−1} C(n,k)(1 − k(1 − θ/360°))^{n−1}', '左侧和：对 k = 1, 2, … 段弧容斥'],
      right: ['right sum: 1 − P summed directly from the other end, so it stays exact when tiny', '右侧和：从另一端直接求 1 − P，极小时依然精确'],
      saddle: ['saddle-point value of 1 − P (both sums would cancel too much)', '1 − P 的鞍点近似（两种和都抵消过多）'],
    }[method];
    return T ? this.t(...T).replace(/\^\{([^}]*)\}/g, '<sup>$1</sup>') : method;
  }

  renderDisc(count = true) {
    const canvas = this.$('#disc');
    const size = Math.min(320, canvas.clientWidth || 320);
    const { ctx, w, h } = setupCanvas(canvas, size);
    const cx = w / 2, cy = h / 2, R = Math.min(w, h) / 2 - 8;
    const fg = cssColor(this, '--pw-fg', '#222'), muted = cssColor(this, '--pw-muted', '#777');
    const accent = cssColor(this, '--pw-accent', '#2f6fde'), accent2 = cssColor(this, '--pw-accent2', '#d9622b');
    const pts = this.pw.sectorSamplePoints(this.n, { seed: this.seed });
    const cover = this.pw.sectorCoveringSector(pts);
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = muted; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.arc(cx, cy, R, 0, TURN); ctx.stroke();
    const fits = cover.angle <= this.theta;
    const wedge = (start, angle, fill, stroke) => {
      // canvas y points down: polar angle a is drawn at -a
      ctx.beginPath(); ctx.moveTo(cx, cy); ctx.arc(cx, cy, R, -start, -(start + angle), true); ctx.closePath();
      if (fill) { ctx.fillStyle = fill; ctx.fill(); }
      if (stroke) { ctx.strokeStyle = stroke; ctx.lineWidth = 1.5; ctx.stroke(); }
    };
    if (fits) {
      ctx.globalAlpha = 0.22;
      wedge(cover.start - (this.theta - cover.angle) / 2, this.theta, accent, null);
      ctx.globalAlpha = 1;
    }
    if (this.n > 1) {
      ctx.globalAlpha = 0.12; wedge(cover.start, cover.angle, accent2, null); ctx.globalAlpha = 1;
      ctx.setLineDash([4, 3]); wedge(cover.start, cover.angle, null, accent2); ctx.setLineDash([]);
    }
    ctx.fillStyle = fg;
    const r = this.n > 2000 ? 1 : this.n > 200 ? 1.6 : 3.2;
    for (let i = 0; i < pts.length; i += 2) {
      ctx.beginPath(); ctx.arc(cx + pts[i] * R, cy - pts[i + 1] * R, r, 0, TURN); ctx.fill();
    }
    if (count) {
      this.tally.drawn++;
      if (fits) this.tally.covered++;
    }
    this.$('#cover').innerHTML = `${this.t('smallest covering sector', '最小覆盖扇形')}: <b id="cover-deg">${((cover.angle / TURN) * 360).toFixed(2)}°</b><br>
      ${fits ? this.t(`a ${fmt(this.deg)}° sector holds all points`, `${fmt(this.deg)}° 扇形可覆盖全部点`)
        : this.t(`no ${fmt(this.deg)}° sector holds them all`, `没有 ${fmt(this.deg)}° 扇形能覆盖全部点`)}<br>
      <span class="pw-muted">${this.t('samples drawn', '已采样')}: ${this.tally.drawn}, ${this.t('covered', '被覆盖')}: ${this.tally.covered}</span>`;
  }

  renderPlots() {
    const deg = Array.from(this.grid, (th) => (th / TURN) * 360);
    const vlines = this.breaks.map((b) => ({ x: (b / TURN) * 360 }));
    if (this.deg >= this.window().lo) vlines.push({ x: this.deg, label: 'θ', color: cssColor(this, '--pw-accent2', '#d9622b') });
    const series = [{ x: deg, y: this.curve.probability, label: this.t(`exact P_${this.n}(θ)`, `精确 P_${this.n}(θ)`) }];
    if (this.mc) {
      series.push({
        x: this.mc.map((r) => (r.theta / TURN) * 360), y: this.mc.map((r) => r.estimate), err: this.mc.map((r) => 2 * r.stderr),
        points: true, label: this.t('Monte Carlo ± 2 s.e.', '蒙特卡洛 ± 2 标准误'),
      });
    }
    linePlot(this.$('#curve'), { series, xlabel: this.breaks.length ? this.t('θ (degrees); dashed: breakpoints 360°(1 − 1/k)', 'θ（度）；虚线：分段点 360°(1 − 1/k)') : this.t('θ (degrees); breakpoints 360°(1 − 1/k) too dense to draw here', 'θ（度）；分段点 360°(1 − 1/k) 过密，未画出'),
      ylabel: 'P', xmin: this.window().lo, xmax: 360, ymin: 0, ymax: 1, vlines, height: 230 });
    const q = Array.from(this.curve.complement, (v) => (v > 0 ? v : NaN));
    linePlot(this.$('#tail'), { series: [{ x: deg, y: q, label: this.t('1 − P (log scale)', '1 − P（对数坐标）') }],
      xlabel: this.t('θ (degrees)', 'θ（度）'), ylabel: '1 − P', xmin: this.window().lo, xmax: 360, logY: true, vlines, height: 200 });
    // The largest of the n arcs, G (§5.1 (a)): its distribution function and its mean H_n / n.
    const gmax = this.window().fGap;
    const gs = Array.from({ length: 181 }, (_, i) => (i / 180) * gmax);
    const cdf = gs.map((g) => this.pw.sectorLargestGap(this.n, g).atMost);
    const mean = this.pw.sectorLargestGapMean(this.n) * 360;
    linePlot(this.$('#gap'), {
      series: [{ x: gs.map((g) => g * 360), y: cdf, label: this.t('P(largest arc ≤ g)', 'P(最大弧 ≤ g)'), color: cssColor(this, '--pw-good', '#1f8a4c') }],
      xlabel: this.t('g, largest arc (degrees)', 'g，最大弧（度）'), ylabel: 'CDF', xmin: 0, xmax: gmax * 360, ymin: 0, ymax: 1, height: 170,
      vlines: [{ x: mean, label: 'E[G]' }],
    });
    this.$('#note').textContent = this.t(
      `P is a polynomial in θ on each piece between breakpoints and exactly 1 from ${fmt(360 * (1 - 1 / this.n))}° on; 1 − P is computed directly, so the log plot stays exact far below 1e-16.`,
      `P 在相邻分段点之间是 θ 的多项式，从 ${fmt(360 * (1 - 1 / this.n))}° 起恰为 1；1 − P 直接计算，所以对数图在远小于 1e-16 处依然精确。`);
  }

  async runMonteCarlo() {
    this.job?.abort();
    const job = new AbortController();
    this.job = job;
    const { f } = this.window();
    const thetas = Array.from({ length: MC_POINTS }, (_, i) => (1 - f + ((i + 0.5) / MC_POINTS) * f) * TURN);
    const trials = Math.max(200, Math.min(20000, Math.round(2e6 / this.n)));
    const progress = this.$('#progress');
    progress.value = 0;
    this.removeAttribute('data-mc');
    try {
      this.worker ??= this.pw.worker();
      const res = await this.worker.run('sectorMonteCarloCurve', [this.n, thetas, { trials, seed: 2024 }], {
        signal: job.signal,
        onProgress: (p) => { progress.value = p.done / p.total; },
      });
      if (this.job !== job) return;
      this.mc = res;
      this.renderPlots();
      this.setAttribute('data-mc', 'done');
    } catch (err) {
      if (err?.name !== 'AbortError') console.error(err);
    }
  }

  toggleAnimation() {
    const b = this.$('#animate');
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      b.setAttribute('aria-pressed', 'false');
      return;
    }
    b.setAttribute('aria-pressed', 'true');
    this.timer = setInterval(() => { this.seed++; this.renderDisc(); }, this.reducedMotion ? 1500 : 500);
  }

  pause() { if (this.timer) { clearInterval(this.timer); this.timer = null; this.$('#animate')?.setAttribute('aria-pressed', 'false'); } }
}

customElements.define('pw-sector', PwSector);
