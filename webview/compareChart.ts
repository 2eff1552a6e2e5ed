import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { t } from '../src/l10n/catalog';
import type { ChartData, ChartSeries } from '../src/protocol/chartData';
import type { ComparedRun, Curve } from '../src/protocol/compareProtocol';
import { smoothSeries } from '../src/protocol/smoothing';
import type { ExportableChart } from './chartTools';
import { cssVar, readTheme, themedAxis } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** One colour per run (the theme's chart colours first); runs past the list reuse it. */
export function runColors(): string[] {
  return [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-red', '#f14c4c'),
    cssVar('--vscode-charts-yellow', '#cca700'),
    '#17becf',
    '#e377c2',
    '#8c564b',
    '#7f7f7f',
    '#bcbd22',
    '#1f77b4',
  ];
}

/** What a compare chart shows: the loss (train and test per run) or one test metric. */
export type CompareChartMode = { readonly kind: 'loss' } | { readonly kind: 'metric'; readonly metric: string };

/**
 * The runs' curves overlaid in one chart.js chart, each run in its colour, one legend entry per
 * curve: in loss mode the training loss (line) and the test loss (dashed, with points) per run.
 * Every curve is smoothed with the same weight; the raw values stay for the CSV.
 */
export class CompareChart implements ExportableChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  private series: ChartSeries[] = [];
  private title = '';
  private yLabel = '';

  constructor(readonly canvas: HTMLCanvasElement) {
    const theme = readTheme();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          legend: {
            labels: {
              color: theme.foreground,
              boxWidth: 12,
              // One entry per curve: the faint raw copies behind smoothed curves have none.
              filter: (item, data) =>
                !(data.datasets[item.datasetIndex ?? 0] as { rawShadow?: boolean } | undefined)?.rawShadow,
            },
          },
          tooltip: { enabled: true },
        },
        scales: {
          x: themedAxis(theme, t('epoch')),
          y: { ...themedAxis(theme, ''), title: { display: true, text: '', color: theme.foreground } },
        },
      },
    });
  }

  show(runs: readonly ComparedRun[], mode: CompareChartMode, weight: number): void {
    const colors = runColors();
    const curve = (label: string, c: Curve, color: string, test: boolean): ChartSeries => {
      const raw = c.map((p) => p.y);
      const ys = smoothSeries(raw, weight);
      return {
        label,
        color,
        dashed: test,
        points: c.map((p, i) => ({ x: p.x, y: ys[i] })),
        ...(weight > 0 ? { raw } : {}),
      };
    };
    const scale = (name: string) => (name === 'accuracy' ? 100 : 1);
    this.series = runs.flatMap((r, i) => {
      const color = colors[i % colors.length];
      if (mode.kind === 'loss')
        return [
          curve(t('{0} — train loss', r.label), r.train, color, false),
          curve(t('{0} — test loss', r.label), r.test, color, true),
        ];
      const c = r.metrics[mode.metric];
      if (!c) return [];
      const k = scale(mode.metric);
      return [curve(`${r.label} — ${mode.metric}`, k === 1 ? c : c.map((p) => ({ x: p.x, y: k * p.y })), color, true)];
    });
    this.yLabel =
      mode.kind === 'loss'
        ? t('loss')
        : mode.metric === 'accuracy'
          ? t('test accuracy (%)')
          : t('test {0}', mode.metric);
    this.title = mode.kind === 'loss' ? t('Loss') : this.yLabel;
    this.chart.data.datasets = this.series.flatMap((s) => {
      const line = {
        label: s.label,
        data: s.points.map((p) => ({ x: p.x, y: p.y })),
        borderColor: s.color,
        backgroundColor: s.color,
        borderWidth: s.dashed ? 2 : 1.5,
        borderDash: s.dashed ? [6, 4] : [],
        pointRadius: s.dashed && s.points.length <= 200 ? 2.5 : 0,
        parsing: false as const,
      };
      // As TensorBoard: the raw values stay visible, faint, behind the smoothed curve (no legend entry).
      const faint = s.raw ? translucent(s.color) : undefined;
      if (!s.raw || !faint) return [line];
      const raw = s.raw;
      return [
        line,
        {
          ...line,
          label: t('{0} (raw)', s.label),
          rawShadow: true,
          data: s.points.map((p, i) => ({ x: p.x, y: raw[i] })),
          borderColor: faint,
          backgroundColor: faint,
          borderWidth: 1,
          borderDash: [],
          pointRadius: 0,
          order: 1,
        },
      ];
    });
    const y = this.chart.options.scales?.y as { title: { text: string } };
    y.title.text = this.yLabel;
    this.chart.update('none');
    this.canvas.dataset.series = String(this.series.length);
    this.canvas.dataset.points = String(this.series.reduce((n, s) => n + s.points.length, 0));
    this.canvas.dataset.labels = JSON.stringify(this.series.map((s) => s.label));
  }

  chartData(): ChartData {
    return { title: this.title, xLabel: t('epoch'), yLabel: this.yLabel, series: this.series };
  }
}

/** `#rrggbb` at a third of its opacity; undefined for other colour forms (then no raw curve is drawn). */
function translucent(color: string): string | undefined {
  return /^#[0-9a-fA-F]{6}$/.test(color.trim()) ? `${color.trim()}55` : undefined;
}
