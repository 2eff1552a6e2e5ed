/*
 * The controls every exportable chart has: a smoothing slider (TensorBoard's debiased EMA,
 * src/protocol/smoothing.ts) and PNG / SVG / CSV export buttons. The host asks where to save
 * (`exportChart` → a save dialog); the webview only builds the file's content.
 */
import { t } from '../src/l10n/catalog';
import type { ChartData, ChartFormat } from '../src/protocol/chartData';
import { chartCsv } from '../src/protocol/chartCsv';
import { chartSvg } from '../src/protocol/chartSvg';
import { el } from './dom';
import { readTheme } from './theme';
import { post } from './vscodeApi';

/** A chart that can be exported: its canvas and its data as drawn. */
export interface ExportableChart {
  readonly canvas: HTMLCanvasElement;
  chartData(): ChartData;
}

/** Slider 0–0.99 (the EMA weight) with its value; `onChange` gets the weight. */
export function smoothingSlider(id: string, initial: number, onChange: (weight: number) => void): HTMLElement {
  const input = el('input', {
    id,
    type: 'range',
    min: '0',
    max: '0.99',
    step: '0.01',
    value: String(initial),
    'aria-label': t('Smoothing'),
  });
  const value = el('output', { for: id, class: 'smoothing-value' }, initial.toFixed(2));
  input.addEventListener('input', () => {
    const w = Number(input.value);
    value.textContent = w.toFixed(2);
    onChange(w);
  });
  return el(
    'label',
    {
      class: 'smoothing',
      title: t('Exponential moving average of each curve, debiased as TensorBoard does it (0: the raw values)'),
    },
    t('Smoothing'),
    input,
    value,
  );
}

/** PNG, SVG and CSV buttons for a chart; `name` suggests the file name. */
export function exportButtons(chart: ExportableChart, name: () => string, idPrefix: string): HTMLElement {
  const button = (format: ChartFormat, label: string, title: string) => {
    const b = el('button', { id: `${idPrefix}-${format}`, class: 'secondary small', title }, label);
    b.addEventListener('click', () =>
      post({ type: 'exportChart', format, name: name(), content: exportContent(chart, format) }),
    );
    return b;
  };
  return el(
    'span',
    { class: 'chart-export' },
    button('png', 'PNG', t('Save the chart as a PNG image')),
    button('svg', 'SVG', t('Save the chart as an SVG drawing')),
    button('csv', 'CSV', t("Save the chart's data as CSV (one row per point)")),
  );
}

/** The file's content: the canvas on the theme's background (PNG), or the chart's data as SVG/CSV. */
export function exportContent(chart: ExportableChart, format: ChartFormat): string {
  const theme = readTheme();
  if (format === 'csv') return chartCsv(chart.chartData());
  if (format === 'svg')
    return chartSvg(chart.chartData(), {
      foreground: theme.foreground,
      grid: theme.grid,
      background: theme.background,
    });
  // The chart's canvas is transparent: paint the editor's background under it.
  const c = document.createElement('canvas');
  c.width = chart.canvas.width;
  c.height = chart.canvas.height;
  const ctx = c.getContext('2d');
  if (!ctx) return chart.canvas.toDataURL('image/png');
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(chart.canvas, 0, 0);
  return c.toDataURL('image/png');
}
