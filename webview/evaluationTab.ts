import type { EvaluationMessage } from '../src/protocol/webviewProtocol';
import { el } from './dom';
import { mix, readPalette } from './palette';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)}%`;

/**
 * The Evaluation tab (classifiers): the confusion matrix as a table whose cells are shaded by their
 * share of the true class's rows, per-class precision and recall, and a gallery of the test
 * examples the model got most confidently wrong (their images, true and predicted class).
 */
export class EvaluationTab {
  private data: EvaluationMessage | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly tabButton: HTMLButtonElement,
  ) {}

  set(e: EvaluationMessage | null): void {
    this.data = e;
    this.tabButton.hidden = !e;
    this.render();
  }

  render(): void {
    const e = this.data;
    if (!e) {
      this.root.replaceChildren(el('p', { class: 'muted' }, "The evaluation appears when a classifier's run ends."));
      return;
    }
    const p = readPalette();
    const total = e.matrix.reduce((s, r) => s + r.reduce((a, b) => a + b, 0), 0);
    const trace = e.matrix.reduce((s, r, i) => s + r[i], 0);
    const head = el(
      'tr',
      {},
      el('th', {}, 'true \\ predicted'),
      ...e.matrix.map((_, c) => el('th', {}, String(c))),
      el('th', {}, 'recall'),
    );
    const rows = e.matrix.map((row, t) => {
      const n = e.support[t] || 1;
      return el(
        'tr',
        {},
        el('th', {}, String(t)),
        ...row.map((v, c) => {
          // Shade by the share of the true class: the diagonal in the positive colour, mistakes in the negative.
          const [r, g, b] = mix(p.background, c === t ? p.positive : p.negative, Math.min(1, v / n));
          const td = el(
            'td',
            { class: 'cm-cell', title: `true ${t}, predicted ${c}: ${v} of ${e.support[t]}` },
            String(v),
          );
          td.style.background = `rgb(${r}, ${g}, ${b})`;
          return td;
        }),
        el('td', {}, pct(e.recall[t])),
      );
    });
    const precision = el(
      'tr',
      {},
      el('th', {}, 'precision'),
      ...e.precision.map((v) => el('td', {}, pct(v))),
      el('td', {}, ''),
    );
    const table = el('table', { id: 'confusion', class: 'grid confusion' }, head, ...rows, precision);
    table.dataset.total = String(total);
    table.dataset.trace = String(trace);
    const gallery = el(
      'div',
      { id: 'wrong-gallery', class: 'fm-grid' },
      ...e.wrong.map((w, i) => {
        const im = e.images?.[i];
        const children: (Node | string)[] = [];
        if (im) {
          const canvas = el('canvas', { width: String(im.width), height: String(im.height) });
          canvas.style.width = `${im.width * 2}px`;
          canvas.style.height = `${im.height * 2}px`;
          const ctx = canvas.getContext('2d');
          if (ctx) {
            const img = ctx.createImageData(im.width, im.height);
            im.pixels.forEach((v, k) => img.data.set([v, v, v, 255], k * 4));
            ctx.putImageData(img, 0, 0);
          }
          children.push(canvas);
        }
        children.push(
          el('span', {}, `test row ${w.row}: true ${w.label} → ${w.predicted} (${(100 * w.confidence).toFixed(0)}%)`),
        );
        return el('div', { class: 'fm-tile wrong' }, ...children);
      }),
    );
    this.root.replaceChildren(
      el(
        'p',
        { id: 'evaluation-summary' },
        `${total} test rows, ${trace} right: accuracy ${pct(total ? trace / total : NaN)}.`,
      ),
      table,
      el('h3', {}, 'Most confidently wrong'),
      e.wrong.length ? gallery : el('p', { class: 'muted' }, 'No mistakes on the test set.'),
    );
  }
}
