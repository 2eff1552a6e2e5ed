import type { EvaluationMessage, RegressionMessage } from '../src/protocol/webviewProtocol';
import { RegressionPlot } from './regressionPlot';
import { el } from './dom';
import { className } from './className';
import { mix, readPalette } from './palette';
import { t } from '../src/l10n/catalog';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)}%`;

/**
 * The Evaluation tab (classifiers): the confusion matrix as a table whose cells are shaded by their
 * share of the true class's rows, per-class precision and recall, and a gallery of the test
 * examples the model got most confidently wrong (their images, true and predicted class).
 */
export class EvaluationTab {
  private data: EvaluationMessage | null = null;
  private names: readonly string[] | undefined;
  private regression: RegressionMessage | null = null;
  private readonly regressionPlot = new RegressionPlot((row) => this.onProbe(row));

  constructor(
    private readonly root: HTMLElement,
    private readonly tabButton: HTMLButtonElement,
    /** A click on a gallery example or a matrix cell: probe that test row (the Probe tab). */
    private readonly onProbe: (row: number) => void = () => {},
  ) {}

  /** Makes `e` probe test row `row` when clicked (or Enter/Space with the keyboard). */
  private probeOnClick(e: HTMLElement, row: number): void {
    e.dataset.row = String(row);
    e.tabIndex = 0;
    e.setAttribute('role', 'button');
    e.classList.add('probe-link');
    e.addEventListener('click', () => this.onProbe(row));
    e.addEventListener('keydown', (k) => {
      if (k.key === 'Enter' || k.key === ' ') this.onProbe(row);
    });
  }

  /** The run's class names (an image folder's subfolders), shown instead of indices. */
  setClassNames(names: readonly string[] | undefined): void {
    this.names = names;
    this.render();
  }

  set(e: EvaluationMessage | null): void {
    this.data = e;
    this.tabButton.hidden = !e && !this.regression;
    this.render();
  }

  /** A regression model's predicted vs actual values: the tab draws them when there is no classifier report. */
  setRegression(r: RegressionMessage | null): void {
    this.regression = r;
    this.tabButton.hidden = !r && !this.data;
    this.render();
  }

  /** Whether there is anything to show (the panel falls back to the Training tab otherwise). */
  get hasContent(): boolean {
    return this.data !== null || this.regression !== null;
  }

  render(): void {
    const e = this.data;
    if (!e && this.regression) {
      this.regressionPlot.render(this.root, this.regression);
      return;
    }
    if (!e) {
      this.root.replaceChildren(
        el('p', { class: 'muted' }, t("The evaluation appears when a classifier's or a regression model's run ends.")),
      );
      return;
    }
    const p = readPalette();
    const total = e.matrix.reduce((s, r) => s + r.reduce((a, b) => a + b, 0), 0);
    const trace = e.matrix.reduce((s, r, i) => s + r[i], 0);
    const head = el(
      'tr',
      {},
      el('th', {}, t('true \\ predicted')),
      ...e.matrix.map((_, c) => el('th', {}, className(this.names, c))),
      el('th', {}, t('recall')),
    );
    const rows = e.matrix.map((row, truth) => {
      const n = e.support[truth] || 1;
      return el(
        'tr',
        {},
        el('th', {}, className(this.names, truth)),
        ...row.map((v, c) => {
          // Shade by the share of the true class: the diagonal in the positive colour, mistakes in the negative.
          const [r, g, b] = mix(p.background, c === truth ? p.positive : p.negative, Math.min(1, v / n));
          const td = el(
            'td',
            {
              class: 'cm-cell',
              title: t(
                'true {0}, predicted {1}: {2} of {3}',
                className(this.names, truth),
                className(this.names, c),
                v,
                e.support[truth],
              ),
            },
            String(v),
          );
          td.style.background = `rgb(${r}, ${g}, ${b})`;
          const row = e.cellRows?.[truth]?.[c];
          if (row !== undefined && row >= 0) {
            this.probeOnClick(td, row);
            td.title = t('{0} · click to probe test row {1}', td.title, row);
          }
          return td;
        }),
        el('td', {}, pct(e.recall[truth])),
      );
    });
    const precision = el(
      'tr',
      {},
      el('th', {}, t('precision')),
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
          el(
            'span',
            {},
            t(
              'test row {0}: true {1} → {2} ({3}%)',
              w.row,
              className(this.names, w.label),
              className(this.names, w.predicted),
              (100 * w.confidence).toFixed(0),
            ),
          ),
        );
        const tile = el('div', { class: 'fm-tile wrong', title: t('Probe test row {0}', w.row) }, ...children);
        this.probeOnClick(tile, w.row);
        return tile;
      }),
    );
    this.root.replaceChildren(
      el(
        'p',
        { id: 'evaluation-summary' },
        t('{0} test rows, {1} right: accuracy {2}.', total, trace, pct(total ? trace / total : NaN)),
      ),
      table,
      el('h3', {}, t('Most confidently wrong')),
      e.wrong.length ? gallery : el('p', { class: 'muted' }, t('No mistakes on the test set.')),
    );
  }
}
