import { Chart } from 'chart.js';
import type { EvalPoint } from '../src/protocol/webviewProtocol';
import { pushBounded } from './boundedSeries';
import { onceAFrame } from './onceAFrame';
import { readTheme, ThemeColors, themedAxis } from './theme';
import { t } from '../src/l10n/catalog';
import type { ChartData } from '../src/protocol/chartData';

/** Most evaluations drawn; older ones are thinned 2:1 past it (a fast model evaluates thousands of times). */
const MAX_POINTS = 2000;

/** The test metric (accuracy in %, or MAE) per evaluation. Registration happens in lossChart.ts. */
export class MetricChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  private metric: string | null = null;
  /** Points arrived while the chart was hidden: `refresh` draws them. */
  private stale = false;
  /** Redraws once per animation frame however many points arrive in it, not while hidden (lossChart.ts). */
  private readonly schedule = onceAFrame(() => {
    if (this.canvas.offsetParent === null) {
      this.stale = true;
      return;
    }
    this.chart.update('none');
  });

  /** The chart is shown again: draws what arrived while it was hidden. */
  refresh(): void {
    if (this.stale) {
      this.stale = false;
      this.schedule();
    }
  }

  constructor(readonly canvas: HTMLCanvasElement) {
    const theme = readTheme();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: t('test metric'),
            data: [],
            borderColor: theme.metric,
            backgroundColor: theme.metric,
            borderWidth: 2,
            pointRadius: 3,
            parsing: false,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { color: theme.foreground, boxWidth: 12 } } },
        scales: {
          x: { ...themedAxis(theme, t('epoch')), ticks: { color: theme.foreground, precision: 0 } },
          y: themedAxis(theme, ''),
        },
      },
    });
  }

  reset(points: readonly EvalPoint[]): void {
    this.chart.data.datasets[0].data = [];
    this.metric = null;
    for (const p of points) this.add(p, false);
    this.chart.update('none');
  }

  add(p: EvalPoint, redraw = true): void {
    this.metric ??= 'accuracy' in p.metrics ? 'accuracy' : (Object.keys(p.metrics)[0] ?? null);
    if (!this.metric) return;
    const v = p.metrics[this.metric];
    const y = this.metric === 'accuracy' ? 100 * v : v;
    this.chart.data.datasets[0].label =
      this.metric === 'accuracy' ? t('test accuracy (%)') : t('test {0}', this.metric);
    pushBounded(this.chart.data.datasets[0].data, MAX_POINTS, { x: p.epoch, y });
    if (redraw) this.schedule();
  }

  /** The metric per evaluation, for export. */
  chartData(): ChartData {
    const d = this.chart.data.datasets[0];
    return {
      title: String(d.label),
      xLabel: t('epoch'),
      yLabel: String(d.label),
      series: [
        { label: String(d.label), color: String(d.borderColor), points: d.data.map((p) => ({ x: p.x, y: p.y })) },
      ],
    };
  }

  applyTheme(theme: ThemeColors = readTheme()): void {
    const d = this.chart.data.datasets[0];
    d.borderColor = d.backgroundColor = theme.metric;
    const scales = this.chart.options.scales as Record<
      string,
      { ticks: { color: string }; grid: { color: string }; title?: { color: string } }
    >;
    for (const s of Object.values(scales)) {
      s.ticks.color = theme.foreground;
      s.grid.color = theme.grid;
      if (s.title) s.title.color = theme.foreground;
    }
    const legend = this.chart.options.plugins?.legend;
    if (legend?.labels) legend.labels.color = theme.foreground;
    this.chart.update('none');
  }
}
