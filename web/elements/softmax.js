// <pw-softmax logits="1 0.5 0.2 -0.3 -1" temperature="1">: softmax of draggable logits (post 8).
import { PwElement } from './base.js';
import { barChart } from './plot.js';

class PwSoftmax extends PwElement {
  static fallback = { en: 'Softmax and its alternatives: interactive bars (loads when visible).', zh: 'Softmax 及其替代品：交互图（进入视口时加载）。' };

  start(pw) {
    this.logits = this.numbersAttr('logits', [1, 0.5, 0.2, -0.3, -1]);
    this.temperature = this.numberAttr('temperature', 1);
    this.html(`<div>
      <div class="pw-row"><label>${this.t('logits', 'logits')} <input id="logits" size="30"></label>
        <label>τ <input id="tau" type="number" step="0.1" min="0.05" value="${this.temperature}"></label></div>
      <canvas id="bars"></canvas>
      <div class="pw-row pw-num" id="out"></div></div>`);
    this.$('#logits').value = this.logits.join(' ');
    this.$('#logits').addEventListener('change', (e) => { this.logits = e.target.value.trim().split(/[\s,]+/).map(Number); this.render(); });
    this.$('#tau').addEventListener('input', (e) => { this.temperature = Number(e.target.value); this.render(); });
    this.render();
  }

  render() {
    const out = this.$('#out');
    try {
      const p = this.pw.softmax(this.logits, { temperature: this.temperature });
      barChart(this.$('#bars'), { values: p, ymax: 1, labels: this.logits.map((_, i) => `x${i + 1}`) });
      out.textContent = `p = [${Array.from(p, (v) => v.toFixed(6)).join(', ')}]`;
      out.classList.remove('pw-error');
    } catch (err) {
      out.textContent = err.message;
      out.classList.add('pw-error');
    }
  }
}

customElements.define('pw-softmax', PwSoftmax);
