import { Chart, ScatterController } from 'chart.js';
import type { RegressionMessage } from '../src/protocol/webviewProtocol';
import { el, formatNumber } from './dom';
import { readTheme, themedAxis } from './theme';
import { t } from '../src/l10n/catalog';

Chart.register(ScatterController);

type XY = { x: number; y: number; row?: number };

/**
 * The Evaluation tab of a regression model: predicted against actual (points on the diagonal are
 * right) and the residuals (predicted − actual) against actual (a slope or a curve is a bias the
 * model missed), one target column at a time, with MAE, RMSE and R² over all test rows.
 * Charts are made anew on each render and the previous ones destroyed, so nothing accumulates.
 */
export class RegressionPlot {
  private charts: Chart<'scatter', XY[]>[] = [];

  /** `onProbe`: a click on a point probes its test row (the Probe tab). */
  constructor(private readonly onProbe: (row: number) => void = () => {}) {}
  private column = 0;

  render(root: HTMLElement, r: RegressionMessage): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.column = Math.min(this.column, r.columns.length - 1);
    const col = r.columns[this.column];
    const picker =
      r.columns.length > 1
        ? el(
            'select',
            { id: 'regression-column' },
            ...r.columns.map((_, i) => {
              const o = el('option', { value: String(i) }, t('output {0}', i + 1));
              o.selected = i === this.column;
              return o;
            }),
          )
        : null;
    picker?.addEventListener('change', () => {
      this.column = Number(picker.value);
      this.render(root, r);
    });
    const scatter = el('canvas', { id: 'regression-scatter' });
    const residuals = el('canvas', { id: 'regression-residuals' });
    const box = (c: HTMLCanvasElement) => el('div', { class: 'chart-box' }, c);
    root.replaceChildren(
      el(
        'p',
        { id: 'regression-summary' },
        t(
          '{0} test rows: MAE {1}, RMSE {2}, R² {3}, mean residual {4}; the worst is test row {5}.',
          r.rows,
          formatNumber(col.mae),
          formatNumber(col.rmse),
          col.r2 === null ? '—' : col.r2.toFixed(3),
          formatNumber(col.meanResidual),
          col.worstRow,
        ),
      ),
      ...(picker ? [picker] : []),
      el('h3', {}, t('Predicted against actual')),
      box(scatter),
      el('h3', {}, t('Residual (predicted − actual) against actual')),
      box(residuals),
    );
    const points = (y: (i: number) => number): XY[] => col.actual.map((a, i) => ({ x: a, y: y(i), row: col.rows[i] }));
    const lo = Math.min(...col.actual, ...col.predicted);
    const hi = Math.max(...col.actual, ...col.predicted);
    const xs = [Math.min(...col.actual), Math.max(...col.actual)];
    this.charts.push(
      this.chart(
        scatter,
        t('predicted'),
        points((i) => col.predicted[i]),
        [
          { x: lo, y: lo },
          { x: hi, y: hi },
        ],
      ),
      this.chart(
        residuals,
        t('residual'),
        points((i) => col.predicted[i] - col.actual[i]),
        [
          { x: xs[0], y: 0 },
          { x: xs[1], y: 0 },
        ],
      ),
    );
    scatter.dataset.points = residuals.dataset.points = String(col.actual.length);
  }

  /** Points and a reference line (the diagonal, or zero residual). */
  private chart(canvas: HTMLCanvasElement, yTitle: string, data: XY[], line: XY[]): Chart<'scatter', XY[]> {
    const theme = readTheme();
    return new Chart(canvas, {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: t('test rows'),
            data,
            backgroundColor: theme.train,
            borderColor: theme.train,
            pointRadius: 2.5,
            parsing: false,
          },
          {
            label: t('exact'),
            data: line,
            type: 'line' as never,
            borderColor: theme.test,
            backgroundColor: theme.test,
            borderWidth: 1.5,
            pointRadius: 0,
            parsing: false,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        onClick: (_e, hits) => {
          const row = data[hits.find((h) => h.datasetIndex === 0)?.index ?? -1]?.row;
          if (row !== undefined) this.onProbe(row);
        },
        plugins: {
          legend: { labels: { color: theme.foreground, boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const p = ctx.raw as XY;
                return p.row === undefined
                  ? ''
                  : t('test row {0}: actual {1}, {2}', p.row, formatNumber(p.x), formatNumber(p.y));
              },
            },
          },
        },
        scales: { x: themedAxis(theme, t('actual')), y: themedAxis(theme, yTitle) },
      },
    });
  }
}
