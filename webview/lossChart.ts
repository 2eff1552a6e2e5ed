import { Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { pushBounded } from './boundedSeries';
import { onceAFrame } from './onceAFrame';
import type { EvalPoint, LossPoint } from '../src/protocol/webviewProtocol';
import { readTheme, ThemeColors } from './theme';

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
  /** Redraws once per animation frame however many points arrive in it. */
  private readonly schedule = onceAFrame(() => this.chart.update('none'));

  constructor(canvas: HTMLCanvasElement, options: { showLegend: boolean; testLabel?: string } = { showLegend: true }) {
    const t = readTheme();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: 'train loss',
            data: this.train,
            borderColor: t.train,
            backgroundColor: t.train,
            borderWidth: 1.5,
            pointRadius: 0,
            parsing: false,
            normalized: true,
            // Drawn under the test series (Chart.js draws the first dataset on top by default):
            // the train line used to cover the test points (issue 12, item 7).
            order: 1,
          },
          {
            label: options.testLabel ?? 'test loss',
            data: this.test,
            borderColor: t.test,
            backgroundColor: t.test,
            borderWidth: 2.5,
            pointRadius: 4,
            // A ring in the background colour sets each evaluation apart from the train line.
            pointBorderColor: t.background,
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
          legend: { display: options.showLegend, labels: { color: t.foreground, boxWidth: 12 } },
          decimation: { enabled: true, algorithm: 'lttb', samples: 500 },
          tooltip: { enabled: true },
        },
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: 'step', color: t.foreground },
            ticks: { color: t.foreground },
            grid: { color: t.grid },
          },
          y: {
            type: 'linear',
            title: { display: true, text: 'loss', color: t.foreground },
            ticks: { color: t.foreground },
            grid: { color: t.grid },
          },
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

  /** Number of test-loss points (evaluations) drawn. */
  get testCount(): number {
    return this.test.length;
  }

  /** Number of points drawn (tests read it). */
  get pointCount(): number {
    return this.train.length + this.test.length;
  }

  applyTheme(t: ThemeColors = readTheme()): void {
    const [a, b] = this.chart.data.datasets;
    a.borderColor = a.backgroundColor = t.train;
    b.borderColor = b.backgroundColor = t.test;
    (b as { pointBorderColor?: string }).pointBorderColor = t.background;
    const scales = this.chart.options.scales as Record<
      string,
      { ticks: { color: string }; grid: { color: string }; title: { color: string } }
    >;
    for (const s of Object.values(scales)) {
      s.ticks.color = t.foreground;
      s.grid.color = t.grid;
      s.title.color = t.foreground;
    }
    const legend = this.chart.options.plugins?.legend;
    if (legend?.labels) legend.labels.color = t.foreground;
    this.chart.update('none');
  }
}
