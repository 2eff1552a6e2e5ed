import { exportButtons, smoothingSlider } from './chartTools';
import { el } from './dom';
import type { LossChart } from './lossChart';
import type { MetricChart } from './metricChart';
import { getState, setState } from './vscodeApi';

/**
 * The training panel's chart controls, put above its loss and metric charts: the loss chart's
 * smoothing slider (kept in the webview's state across reloads) and PNG/SVG/CSV export of both.
 * `title` names the exported files after the run shown.
 */
export function addChartTools(loss: LossChart, metric: MetricChart, title: () => string): void {
  const saved = getState<Record<string, unknown>>() ?? {};
  const initial = typeof saved.smoothing === 'number' ? saved.smoothing : 0;
  loss.setSmoothing(initial);
  const name = (what: string) => `${title().replace(/^Glassbox:\s*/, '')}-${what}`;
  // The chart's box keeps its size (chart.js watches it): it moves into a wrapper under the controls.
  const head = (chart: LossChart | MetricChart, ...extra: HTMLElement[]) => {
    const box = chart.canvas.parentElement;
    if (!box) return;
    const wrap = el('div', { class: 'chart-with-tools' });
    box.replaceWith(wrap);
    wrap.append(el('div', { class: 'chart-head' }, ...extra), box);
  };
  head(
    loss,
    smoothingSlider('loss-smoothing', initial, (w) => {
      loss.setSmoothing(w);
      setState({ ...(getState<Record<string, unknown>>() ?? {}), smoothing: w });
    }),
    exportButtons(loss, () => name('loss'), 'export-loss'),
  );
  head(
    metric,
    exportButtons(metric, () => name('metric'), 'export-metric'),
  );
}
