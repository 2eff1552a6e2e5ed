import { Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { pushBounded } from './boundedSeries';
import { onceAFrame } from './onceAFrame';
import type { EvalPoint, LossPoint } from '../src/protocol/webviewProtocol';
import { readTheme, ThemeColors, themedAxis } from './theme';
import { t } from '../src/l10n/catalog';
import type { ChartData } from '../src/protocol/chartData';
import { smoothPoints } from '../src/protocol/smoothing';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Decimation);

/** Most training points kept in the chart; older ones are thinned 2:1 when the cap is reached. */
const MAX_POINTS = 4000;
/** Most test points (one per evaluation, as the metric chart). */
const MAX_TEST_POINTS = 2000;

type XY = { x: number; y: number };

/**
 * Train loss per step (line) and test loss per evaluation (points), drawn at most once per
 * animation frame. Memory stays bounded however long the run.
 */
export class LossChart {
  private readonly chart: Chart<'line', XY[]>;
  private readonly train: XY[] = [];
  private readonly test: XY[] = [];
  /** The smoothing slider's EMA weight (0: the raw values are drawn). */
  private weight = 0;
  /** Points arrived while the chart was hidden: `refresh` draws them. */
  private stale = false;
  /**
   * Redraws once per animation frame however many points arrive in it, and not while the chart
   * is hidden (another tab of the panel: its updates would take the webview's time from the tab
   * shown, e.g. the Probe tab's answers).
   */
  private readonly schedule = onceAFrame(() => {
    if (this.canvas.offsetParent === null) {
      this.stale = true;
      return;
    }
    const [train, test] = this.chart.data.datasets;
    train.data = this.weight > 0 ? smoothPoints(this.train, this.weight) : this.train;
    test.data = this.weight > 0 ? smoothPoints(this.test, this.weight) : this.test;
    this.chart.update('none');
  });

  constructor(
    readonly canvas: HTMLCanvasElement,
    options: { showLegend: boolean; testLabel?: string } = { showLegend: true },
  ) {
    const theme = readTheme();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: t('train loss'),
            data: this.train,
            borderColor: theme.train,
            backgroundColor: theme.train,
            borderWidth: 1.5,
            pointRadius: 0,
            parsing: false,
            normalized: true,
            // Drawn under the test series (Chart.js draws the first dataset on top by default):
            // the train line used to cover the test points (issue 12, item 7).
            order: 1,
          },
          {
            label: options.testLabel ?? t('test loss'),
            data: this.test,
            borderColor: theme.test,
            backgroundColor: theme.test,
            borderWidth: 2.5,
            pointRadius: 4,
            // A ring in the background colour sets each evaluation apart from the train line.
            pointBorderColor: theme.background,
            pointBorderWidth: 1.5,
            order: 0,
            parsing: false,
            normalized: true,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          legend: { display: options.showLegend, labels: { color: theme.foreground, boxWidth: 12 } },
          decimation: { enabled: true, algorithm: 'lttb', samples: 500 },
          tooltip: { enabled: true },
        },
        scales: {
          x: themedAxis(theme, t('step')),
          y: themedAxis(theme, t('loss')),
        },
      },
    });
  }

  reset(train: readonly LossPoint[], test: readonly EvalPoint[]): void {
    this.train.length = 0;
    this.test.length = 0;
    this.addTrain(train);
    pushBounded(this.test, MAX_TEST_POINTS, ...test.map((p) => ({ x: p.step, y: p.loss })));
    this.schedule();
  }

  /** The chart is shown again: draws what arrived while it was hidden. */
  refresh(): void {
    if (this.stale) {
      this.stale = false;
      this.schedule();
    }
  }

  addTrain(points: readonly LossPoint[]): void {
    pushBounded(
      this.train,
      MAX_POINTS,
      ...points.filter((p) => Number.isFinite(p.loss)).map((p) => ({ x: p.step, y: p.loss })),
    );
    this.schedule();
  }

  addTest(p: EvalPoint): void {
    pushBounded(this.test, MAX_TEST_POINTS, { x: p.step, y: p.loss });
    this.schedule();
  }

  /** Smooths both curves (TensorBoard's debiased EMA) with this weight; 0 draws the raw values. */
  setSmoothing(weight: number): void {
    this.weight = weight;
    this.schedule();
  }

  /** The curves as drawn (smoothed when the slider is on, the raw values beside them): for export. */
  chartData(): ChartData {
    const [a, b] = this.chart.data.datasets;
    const smoothed = this.weight > 0;
    const series = (label: string, color: unknown, pts: XY[], markers: boolean) => ({
      label,
      color: String(color),
      markers,
      points: smoothed ? smoothPoints(pts, this.weight) : pts.map((p) => ({ x: p.x, y: p.y })),
      ...(smoothed ? { raw: pts.map((p) => p.y) } : {}),
    });
    return {
      title: t('Loss'),
      xLabel: t('step'),
      yLabel: t('loss'),
      series: [
        series(String(a.label), a.borderColor, this.train, false),
        series(String(b.label), b.borderColor, this.test, true),
      ],
    };
  }

  /** Number of test-loss points (evaluations) drawn. */
  get testCount(): number {
    return this.test.length;
  }

  /** Number of points drawn (tests read it). */
  get pointCount(): number {
    return this.train.length + this.test.length;
  }

  applyTheme(theme: ThemeColors = readTheme()): void {
    const [a, b] = this.chart.data.datasets;
    a.borderColor = a.backgroundColor = theme.train;
    b.borderColor = b.backgroundColor = theme.test;
    (b as { pointBorderColor?: string }).pointBorderColor = theme.background;
    const scales = this.chart.options.scales as Record<
      string,
      { ticks: { color: string }; grid: { color: string }; title: { color: string } }
    >;
    for (const s of Object.values(scales)) {
      s.ticks.color = theme.foreground;
      s.grid.color = theme.grid;
      s.title.color = theme.foreground;
    }
    const legend = this.chart.options.plugins?.legend;
    if (legend?.labels) legend.labels.color = theme.foreground;
    this.chart.update('none');
  }
}
