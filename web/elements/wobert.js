// <pw-wobert words="20000">: character BERT tokens vs WoBERT word tokens for typed or pasted Chinese text,
// colour-coded with ids and lengths, and the speed-up the cost model a·L·d² + b·L²·d predicts (post 1).
// The dictionary (1.9 MB gzip) is loaded and the tokenizer built in the Worker, once, on first use.
import { PwElement } from './base.js';
import { linePlot, cssColor } from './plot.js';

const SAMPLE = '提速不掉点：基于词颗粒度的中文WoBERT。当前，大部分中文预训练模型都是以字为基本单位的，'
  + '也就是说中文语句会被拆分为一个个字。以词为单位的模型，序列更短，因此速度更快。';
// bert-base-uncased's vocab.txt, packaged gzip-compressed (110 KB; scripts/assets-wobert-bert.mjs); fetched on request only
const BERT_BASE_UNCASED = new URL('../assets/wobert-bert/bert-base-uncased-vocab.txt.gz', import.meta.url);
const SHOW = 300;  // token chips drawn per row (the counts always cover the whole text)
const POST = { L: [128, 256, 512], S: [1.16, 1.22, 1.28] };  // post 1 §1.4
// The post's reported results (kexue.fm/archives/7758 §实验效果; POSTS.md §1.4): shown as its data, never computed here.
const POST_CLUE = { head: ['', 'IFLYTEK', 'TNEWS'], rows: [['BERT', '60.31%', '56.94%'], ['WoBERT', '61.15%', '57.05%']] };
const POST_GEN_HEAD = ['', 'beam', 'Rouge-L', 'Rouge-1', 'Rouge-2', 'BLEU'];
const POST_CSL = [['BERT', 1, 63.81, 65.45, 54.91, 45.52], ['WoBERT', 1, 66.38, 68.22, 57.83, 47.76],
  ['BERT', 2, 64.44, 66.09, 55.75, 46.39], ['WoBERT', 2, 66.65, 68.68, 58.5, 48.4],
  ['BERT', 3, 64.75, 66.34, 56.06, 46.7], ['WoBERT', 3, 66.83, 68.81, 58.67, 48.6]];
const POST_LCSTS = [['BERT', 1, 27.99, 29.57, 18.04, 11.72], ['WoBERT', 1, 31.51, 32.9, 21.13, 13.74],
  ['BERT', 2, 29.2, 30.7, 19.17, 12.64], ['WoBERT', 2, 31.91, 33.35, 21.55, 14.13],
  ['BERT', 3, 29.45, 30.95, 19.5, 12.93], ['WoBERT', 3, 32.19, 33.72, 21.81, 14.29]];

const STYLES = `
textarea { width: 100%; font: 15px/1.5 system-ui, sans-serif; color: inherit; background: var(--pw-panel);
  border: 1px solid var(--pw-border); border-radius: 4px; padding: 6px; resize: vertical; }
textarea:focus-visible { outline: 2px solid var(--pw-accent); }
h3 { font-size: 14px; margin: 10px 0 4px; }
/* fixed heights, so that the first result does not move what follows (no layout shift) */
.toks { display: flex; flex-wrap: wrap; align-content: flex-start; gap: 3px; height: 190px; overflow: auto; padding: 2px; }
#status { flex: 1 1 14em; min-height: 2.9em; }
h3 { min-height: 1.45em; }
#plot { height: 200px; }
.tok { display: inline-flex; flex-direction: column; align-items: center; border-radius: 4px; padding: 1px 4px;
  border: 1px solid var(--pw-border); background: var(--pw-panel); line-height: 1.2; }
.tok b { font-weight: 500; font-size: 15px; white-space: pre; }
.tok i { font-style: normal; font-size: 10px; color: var(--pw-muted); font-family: ui-monospace, monospace; }
.k-word { background: color-mix(in srgb, var(--pw-accent) 22%, var(--pw-bg)); border-color: var(--pw-accent); }
.k-piece { background: color-mix(in srgb, var(--pw-accent2) 22%, var(--pw-bg)); border-color: var(--pw-accent2); }
.k-unknown { background: color-mix(in srgb, var(--pw-bad) 18%, var(--pw-bg)); border-color: var(--pw-bad); }
.k-special { border-style: dashed; color: var(--pw-muted); }
.legend { display: flex; gap: 10px; flex-wrap: wrap; font-size: 12px; }
.legend .tok { flex-direction: row; }
.cols { display: grid; grid-template-columns: minmax(260px, 1fr) minmax(260px, 1fr); gap: 12px; align-items: start; }
@media (max-width: 640px) {
  .cols { grid-template-columns: 1fr; }
  /* two lines for every row and heading, before and after the first result (no layout shift) */
  #stats { width: 100%; table-layout: fixed; }
  #stats th { width: 55%; }
  #stats th, #stats td { height: 2.9em; vertical-align: middle; }
  h3 { min-height: 2.9em; }
}
th { text-align: left; font-weight: 500; }
#flop { font-size: 13px; margin: 8px 0 4px; }
.vocab-pick { display: block; font-size: 13px; min-width: 0; max-width: 100%; }
.vocab-pick input { display: block; max-width: 100%; margin-top: 2px; }
#vocab-packaged { max-width: 100%; white-space: normal; text-align: left; font: inherit; font-size: 12px; }
details.post { font-size: 12px; margin: 4px 0; }
details.post summary { cursor: pointer; font-size: 13px; }
details.post table { border-collapse: collapse; margin: 4px 12px 8px 0; display: inline-table; vertical-align: top; }
details.post td, details.post th { padding: 1px 6px; text-align: right; }
details.post caption { text-align: left; font-weight: 500; }
`;

class PwWobert extends PwElement {
  static topic = 'wobert';
  static fallback = { en: 'WoBERT: character vs word tokens for Chinese text (loads when visible).', zh: 'WoBERT：字与词的分词对比（进入视口时加载）。' };
  static styles = STYLES;
  static params = ['words', 'text'];
  static textParams = ['text'];
  static errorNames = { words: ['dictionary words', '词典词数'], text: ['text', '文本'], length: ['input length L', '输入长度 L'], ratio: ['length ratio r', '长度比 r'] };

  /** The URL-hash state: the vocabulary size, and the text when it is short enough for a link. */
  state() {
    const text = this.$('#text').value;
    return { words: this.words, ...(text.length <= 500 ? { text } : {}) };
  }

  start(pw) {
    this.words = this.numberAttr('words', 20000);
    this.html(`<div>
      <label for="text" style="display:block">${this.t('Chinese text (type or paste)', '中文文本（可输入或粘贴）')}</label>
      <textarea id="text" rows="3" aria-describedby="status"></textarea>
      <div class="pw-row">
        <label>${this.t('dictionary words in the vocabulary', '词表中加入的词数')}
          <select id="words">${[0, 5000, 20000, 50000].map((n) => `<option value="${n}"${n === this.words ? ' selected' : ''}>${n}</option>`).join('')}</select></label>
        <progress id="prog" max="1" value="0" aria-label="${this.t('progress', '进度')}"></progress>
        <span id="status" class="pw-muted" role="status"></span>
      </div>
      <div class="cols">
        <table id="stats" aria-label="${this.t('lengths and speed-up', '长度与加速')}"><tbody></tbody></table>
        <div><canvas id="plot" role="img" aria-label="${this.t('speed-up against length', '加速比与长度')}"></canvas></div>
      </div>
      <p id="flop" role="note"></p>
      <details class="post" id="post-results">
        <summary>${this.t('The post\'s reported results (its data, not computed here)', '原文报告的结果（原文数据，并非本页计算）')}</summary>
        ${this.postTables()}
      </details>
      <div class="legend" aria-label="${this.t('legend', '图例')}">
        <span class="tok k-word"><b>${this.t('word', '词')}</b></span>
        <span class="tok"><b>${this.t('character', '字')}</b></span>
        <span class="tok k-piece"><b>WordPiece</b></span>
        <span class="tok k-unknown"><b>[UNK]</b></span>
        <span class="tok k-special"><b>[CLS]/[SEP]</b></span>
        <span class="pw-muted">${this.t('small number = token id', '小字 = token id')}</span>
      </div>
      <h3 id="h-chars"></h3><div id="chars" class="toks" aria-labelledby="h-chars"></div>
      <h3 id="h-words"></h3><div id="wobert" class="toks" aria-labelledby="h-words"></div>
      <div class="pw-row"><label class="vocab-pick">${this.t('Use a real BERT vocab.txt (e.g. bert-base-chinese\'s; read in this page, never uploaded):', '使用真实的 BERT vocab.txt（如 bert-base-chinese 的；只在本页读取，不上传）：')}
        <input type="file" id="vocab-file" accept=".txt,text/plain"></label>
        <button type="button" id="vocab-packaged">${this.t('or the packaged bert-base-uncased (English: most Chinese characters are [UNK] in it)', '或使用随包的 bert-base-uncased（英文词表：其中大多数汉字为 [UNK]）')}</button>
        <span id="vocab-status" class="pw-muted" role="status"></span></div>
      <div id="real" hidden>
        <h3 id="h-real-bert"></h3><div id="real-bert" class="toks" aria-labelledby="h-real-bert"></div>
        <h3 id="h-real-wobert"></h3><div id="real-wobert" class="toks" aria-labelledby="h-real-wobert"></div>
      </div>
      <p class="pw-muted" style="font-size:12px">${this.t(
        'Segmenter: jieba precise mode without HMM (identical to jieba on 31,696 fortunes-zh lines). Vocabulary: a synthetic BERT-style base (specials, ASCII, ## pieces, punctuation, the dictionary\'s CJK characters) + the N most frequent jieba words; not the released WoBERT vocab.txt. Cost model per layer: 24·L·d² + 4·L²·d FLOPs, d = 768.',
        '分词：jieba 精确模式、关闭 HMM（在 31,696 行 fortunes-zh 上与 jieba 完全一致）。词表：合成的 BERT 式基础词表（特殊符号、ASCII、## 片段、标点、词典中的汉字）+ 最高频的 N 个 jieba 词；并非官方 WoBERT vocab.txt。每层计算量模型：24·L·d² + 4·L²·d，d = 768。')}</p>
    </div>`);
    this.statsRows(Array.from({ length: 7 }, () => '…'), 0);
    this.flopNote(NaN, [NaN, NaN, NaN]);  // the same sentences with '–' until the first result: no layout shift
    const ta = this.$('#text');
    ta.value = this.getAttribute('text') ?? SAMPLE;
    let timer = 0;
    ta.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => this.run(), 250); });
    this.$('#words').addEventListener('change', (e) => { this.words = Number(e.target.value); this.run(); });
    this.$('#vocab-file').addEventListener('change', async (e) => {
      const file = e.target.files?.[0];
      if (!file) return;
      try {
        this.realVocab = await this.pw.loadBertVocab(file);
        this.realName = file.name;
        this.run();
      } catch (err) {
        this.$('#vocab-status').textContent = err.message;
      }
    });
    this.$('#vocab-packaged').addEventListener('click', async () => {
      try {
        this.$('#vocab-status').textContent = this.t('loading bert-base-uncased…', '正在加载 bert-base-uncased…');
        this.realVocab = await this.pw.loadBertVocab(BERT_BASE_UNCASED);
        this.realName = 'bert-base-uncased vocab.txt';
        this.run();
      } catch (err) {
        this.$('#vocab-status').textContent = err.message;
      }
    });
    for (const t of this.root.querySelectorAll('#post-results table')) this.labelCells(t);
    this.run();
  }

  /** BERT vs WoBERT with the reader's vocab.txt (Worker task wobertRealVocab): the tokens and ids of that vocabulary. */
  async runReal(signal) {
    const status = this.$('#vocab-status');
    status.textContent = this.t('tokenizing with your vocab.txt…', '正在用你的 vocab.txt 分词…');
    const r = await this.proxy.run('wobertRealVocab', [this.realVocab, this.$('#text').value, { words: this.words }], { signal });
    if (signal.aborted) return;
    this.$('#real').hidden = false;
    status.textContent = this.t(`${this.realName}: ${r.vocabSize} tokens; WoBERT: ${r.baseSize} after train.py's simplification + ${r.wobertVocabSize - r.baseSize} jieba words`,
      `${this.realName}：${r.vocabSize} 个 token；WoBERT：按 train.py 精简后 ${r.baseSize} + ${r.wobertVocabSize - r.baseSize} 个 jieba 词`);
    this.$('#h-real-bert').textContent = this.t(`BERT, your vocab.txt: ${r.bert.ids.length} tokens with [CLS]/[SEP]`, `BERT（你的 vocab.txt）：${r.bert.ids.length} 个 token（含 [CLS]/[SEP]）`);
    this.$('#h-real-wobert').textContent = this.t(`WoBERT on it: ${r.wobert.ids.length} tokens with [CLS]/[SEP]`, `基于它的 WoBERT：${r.wobert.ids.length} 个 token（含 [CLS]/[SEP]）`);
    this.chips(this.$('#real-bert'), r.bert);
    this.chips(this.$('#real-wobert'), r.wobert);
  }

  async run() {
    this.abort?.abort();
    const ctl = (this.abort = new AbortController());
    const status = this.$('#status');
    const prog = this.$('#prog');
    this.setAttribute('data-busy', '');
    try {
      this.proxy ??= this.pw.worker();
      const r = await this.proxy.run('wobertCompare', [this.$('#text').value, { words: this.words }], {
        signal: ctl.signal,
        onProgress: (p) => {
          prog.value = p.done;
          status.textContent = { dictionary: this.t('loading the jieba dictionary…', '正在加载 jieba 词典…'),
            vocabulary: this.t('building the prefix dictionary and vocabulary…', '正在构建前缀词典与词表…'),
            tokenize: this.t('tokenizing…', '分词中…') }[p.stage] ?? '';
        },
      });
      if (ctl.signal.aborted) return;
      prog.value = 1;
      status.textContent = this.t(`vocabulary ${r.vocabSize} = ${r.baseVocabSize} base + ${r.vocabSize - r.baseVocabSize} words`,
        `词表 ${r.vocabSize} = 基础 ${r.baseVocabSize} + 词 ${r.vocabSize - r.baseVocabSize}`);
      status.classList.remove('pw-error');
      this.render(r);
      if (this.realVocab) await this.runReal(ctl.signal);
      if (ctl.signal.aborted) return;
      this.removeAttribute('data-busy');
      this.setAttribute('data-done', String(Number(this.getAttribute('data-done') ?? 0) + 1));
    } catch (err) {
      if (err?.name === 'AbortError') return;
      this.showError(status, err);
      status.classList.add('pw-error');
      this.removeAttribute('data-busy');
    }
  }

  chips(el, enc) {
    const n = enc.ids.length;
    const parts = [];
    for (let i = 0; i < Math.min(n, SHOW); i++) {
      const k = enc.kinds[i];
      const text = enc.tokens[i].replace(/\n/g, '⏎').replace(/\t/g, '⇥');
      const esc = text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
      parts.push(`<span class="tok k-${k}" title="${k} · id ${enc.ids[i]} · [${enc.start[i]}, ${enc.end[i]})"><b>${esc}</b><i>${enc.ids[i]}</i></span>`);
    }
    if (n > SHOW) parts.push(`<span class="pw-muted">… ${this.t(`${n - SHOW} more`, `另有 ${n - SHOW} 个`)}</span>`);
    el.innerHTML = parts.join('');
  }

  render(r) {
    const s = r.stats;
    this.last = r;
    this.$('#h-chars').textContent = this.t(`Character BERT: ${s.charTokens} tokens (+ [CLS]/[SEP])`, `字级 BERT：${s.charTokens} 个 token（另加 [CLS]/[SEP]）`);
    this.$('#h-words').textContent = this.t(`WoBERT: ${s.wobertTokens} tokens (+ [CLS]/[SEP])`, `WoBERT：${s.wobertTokens} 个 token（另加 [CLS]/[SEP]）`);
    this.chips(this.$('#chars'), r.chars);
    this.chips(this.$('#wobert'), r.wobert);
    const at = POST.L.map((L) => this.pw.wobertSpeedup(L, s.ratio));
    const f = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '–');
    this.statsRows([
      s.codePoints,
      `${s.charTokens} / ${s.wobertTokens}`,
      `${f(s.charTokensPerChar)} / ${f(s.wobertTokensPerChar)}`,
      f(s.ratio, 4),
      `${f(s.speedup)}×`,
      at.map((v) => `${f(v, 2)}×`).join(' / '),
      POST.S.map((v) => `${v.toFixed(2)}×`).join(' / '),
    ], s.charTokens + 2);
    this.flopNote(s.ratio, at);
    this.plot();
  }

  /** The post's tables as static HTML: its data, labelled so. */
  postTables() {
    const table = (caption, head, rows) => `<table><caption>${caption}</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>`
      + `<tbody>${rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${v}</th>` : `<td>${v}</td>`)).join('')}</tr>`).join('')}</tbody></table>`;
    return table(this.t('CLUE classification (accuracy)', 'CLUE 文本分类（准确率）'), POST_CLUE.head, POST_CLUE.rows)
      + table(this.t('CSL title generation (UniLM)', 'CSL 标题生成（UniLM）'), POST_GEN_HEAD, POST_CSL)
      + table(this.t('LCSTS summarisation (UniLM)', 'LCSTS 摘要（UniLM）'), POST_GEN_HEAD, POST_LCSTS)
      + `<p>${this.t('Speed vs BERT at 128 / 256 / 512 characters: 1.16× / 1.22× / 1.28×. NER on People\'s Daily: about 3% lower than BERT (the post blames sparser word-level training data, not segmentation errors).',
        '相对 BERT 的速度（128 / 256 / 512 字）：1.16× / 1.22× / 1.28×。人民日报 NER：比 BERT 低约 3%（原文归因于词级训练样本更稀疏，而非分词错误）。')}</p>`;
  }

  /**
   * Why a FLOP model cannot give the post's speed-ups: its prediction at this text's r, and the fit of the same
   * model form to the post's three points (both from wasm: wobertSpeedup, wobertFitSpeedup).
   */
  flopNote(r, at) {
    const post = this.pw.wobertFitSpeedup(POST.L, POST.S);
    // the FLOP model's own κ = b/(a·d), recovered by the same fit from its exact values at the post's r
    const flop = this.pw.wobertFitSpeedup(POST.L, POST.L.map((L) => this.pw.wobertSpeedup(L, post.ratio)));
    const num = (key, v, digits) => `<span class="pw-num" data-flop="${key}">${Number.isFinite(v) ? (digits < 0 ? v.toExponential(-digits) : v.toFixed(digits)) : '–'}</span>`;
    const n = { r: num('r', r, 3), s128: num('s128', at[0], 3), s512: num('s512', at[2], 3), fitR: num('fit-r', post.ratio, 3),
      fitK: num('fit-kappa', post.kappa, -1), flopK: num('flop-kappa', flop.kappa, -1), rms: num('rms', post.rms, 3) };
    this.$('#flop').innerHTML = this.t(
      `A FLOP model cannot produce the post's speed-ups: at r = ${n.r} it predicts ${n.s128}× at 128 and ${n.s512}× at 512 characters (attention's L² term is small next to the d² projections at d = 768), while the post measured 1.16× → 1.28×. `
      + `Fitting S(L) = (1+κL)/(r(1+κrL)) to the post's three points needs r = ${n.fitR} and κ = ${n.fitK}, against κ = ${n.flopK} from FLOPs: the measured gain grows with L as if the L² part cost about ten times its FLOP share (memory-bound attention), and the fit still misses by ${n.rms} rms.`,
      `FLOP 模型给不出原文的加速：在 r = ${n.r} 时，它预测 128 字 ${n.s128}×、512 字 ${n.s512}×（d = 768 时注意力的 L² 项远小于 d² 的投影），而原文实测 1.16× → 1.28×。`
      + `用 S(L) = (1+κL)/(r(1+κrL)) 拟合原文三个点需要 r = ${n.fitR}、κ = ${n.fitK}，而 FLOP 给出 κ = ${n.flopK}：实测加速随 L 增长，仿佛 L² 部分（访存受限的注意力）的代价约为其 FLOP 份额的十倍，且拟合仍有 ${n.rms} 的均方根误差。`);
  }

  /** The table of lengths and speed-ups (placeholders '…' before the first result, same rows and height). */
  statsRows(values, L) {
    const rows = [
      [this.t('characters (code points)', '字符数（码位）')],
      [this.t('tokens: BERT / WoBERT', 'token 数：BERT / WoBERT')],
      [this.t('tokens per character', '每字符 token 数')],
      [this.t('length ratio r (with [CLS]/[SEP])', '长度比 r（含 [CLS]/[SEP]）')],
      [this.t(`est. speed-up at L = ${L || '…'}`, `估计加速（L = ${L || '…'}）`)],
      [this.t('model at L = 128 / 256 / 512', '模型 L = 128 / 256 / 512')],
      [this.t('post (measured)', '原文实测')],
    ];
    const tb = this.$('#stats tbody');
    tb.innerHTML = rows.map(([k], i) => `<tr><th scope="row">${k}</th><td class="pw-num" data-stat="${i}"></td></tr>`).join('');
    rows.forEach((_, i) => { tb.querySelector(`[data-stat="${i}"]`).textContent = String(values[i]); });
  }

  plot() {
    const s = this.last?.stats;
    if (!s) return;
    const xs = [];
    for (let L = 16; L <= 1024; L += 16) xs.push(L);
    const model = xs.map((L) => this.pw.wobertSpeedup(L, s.ratio));
    const ys = [...model, ...POST.S].filter(Number.isFinite);
    linePlot(this.$('#plot'), {
      height: 200,
      xlabel: this.t('input length L (characters)', '输入长度 L（字）'),
      ylabel: this.t('speed-up ×', '加速比 ×'),
      xmin: 0, xmax: 1024,
      ymin: Math.min(1, ...ys) - 0.02, ymax: Math.max(...ys) + 0.05,
      series: [
        { x: xs, y: model, color: cssColor(this, '--pw-accent'), label: this.t(`model, r = ${s.ratio.toFixed(3)}`, `模型，r = ${s.ratio.toFixed(3)}`) },
        { x: POST.L, y: POST.S, color: cssColor(this, '--pw-accent2'), points: true, label: this.t('post (measured)', '原文实测') },
      ],
    });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.abort?.abort();
  }
}

customElements.define('pw-wobert', PwWobert);
