/*
 * The Compare Runs panel: the chosen runs' loss curves overlaid in one chart and a chosen test
 * metric in another, a smoothing slider for both, PNG/SVG/CSV export of each, and the table of the
 * configuration settings that differ. Every run label, path and value is untrusted text: it is set
 * with textContent only (`el`).
 */
import './l10n';
import { t } from '../src/l10n/catalog';
import type { CompareMessage } from '../src/protocol/compareProtocol';
import { CompareChart } from './compareChart';
import { exportButtons, smoothingSlider } from './chartTools';
import { el } from './dom';
import { getState, post, setState } from './vscodeApi';

interface SavedState {
  weight: number;
  metric?: string;
  /** The compared runs' folders: after a window reload the host re-reads them (comparePanel.ts). */
  folders?: string[];
}
const saved = getState<SavedState>() ?? { weight: 0.6 };
let weight = Number.isFinite(saved.weight) ? saved.weight : 0.6;
let metric = saved.metric;
let current: CompareMessage | undefined;
const save = (): void => setState<SavedState>({ weight, metric, folders: current?.runs.map((r) => r.folder) });

const lossCanvas = el('canvas', { id: 'compare-loss', 'aria-label': t('loss of the compared runs') });
const metricCanvas = el('canvas', { id: 'compare-metric', 'aria-label': t('test metric of the compared runs') });
const metricSelect = el('select', { id: 'compare-metric-select', 'aria-label': t('Metric') });
const notes = el('p', { id: 'compare-notes', class: 'message' });
const runsList = el('ul', { id: 'compare-runs', class: 'compare-runs' });
const diffTable = el('table', { id: 'compare-diff', class: 'grid' });
const diffNone = el('p', { id: 'compare-diff-none', class: 'muted' }, t('The runs have the same configuration.'));
const metricSection = el('div', { class: 'compare-chart' });
const lossChart = new CompareChart(lossCanvas);
const metricChart = new CompareChart(metricCanvas);
const fileName = (what: string) => `compare-${what}`;

document.body.append(
  el(
    'div',
    { class: 'toolbar' },
    el('h1', {}, t('Compare runs')),
    el('span', { class: 'spacer' }),
    smoothingSlider('compare-smoothing', weight, (w) => {
      weight = w;
      save();
      draw();
    }),
  ),
  notes,
  runsList,
  el(
    'section',
    { class: 'charts compare-charts' },
    el(
      'div',
      { class: 'compare-chart' },
      el(
        'div',
        { class: 'chart-head' },
        el('h2', {}, t('Loss')),
        exportButtons(lossChart, () => fileName('loss'), 'export-loss'),
      ),
      el('div', { class: 'chart-box' }, lossCanvas),
    ),
    metricSection,
  ),
  el('h2', {}, t('Settings that differ')),
  diffNone,
  diffTable,
);
metricSection.append(
  el(
    'div',
    { class: 'chart-head' },
    el('h2', {}, t('Test metric')),
    metricSelect,
    exportButtons(metricChart, () => fileName(metric ?? 'metric'), 'export-metric'),
  ),
  el('div', { class: 'chart-box' }, metricCanvas),
);
metricSelect.addEventListener('change', () => {
  metric = metricSelect.value;
  save();
  draw();
});

function draw(): void {
  if (!current) return;
  lossChart.show(current.runs, { kind: 'loss' }, weight);
  if (metric) metricChart.show(current.runs, { kind: 'metric', metric }, weight);
}

function showComparison(msg: CompareMessage): void {
  current = msg;
  notes.textContent = msg.notes.join(' ');
  notes.hidden = msg.notes.length === 0;
  runsList.replaceChildren(
    ...msg.runs.map((r) => el('li', { title: r.folder }, el('strong', {}, r.label), ` — ${r.modelFile} (${r.status})`)),
  );
  const names = [...new Set(msg.runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  metricSelect.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
  if (!metric || !names.includes(metric)) metric = names.includes('accuracy') ? 'accuracy' : names[0];
  if (metric) metricSelect.value = metric;
  metricSection.hidden = names.length === 0;
  diffTable.replaceChildren(
    el('tr', {}, el('th', {}, t('Setting')), ...msg.runs.map((r) => el('th', { title: r.folder }, r.label))),
    ...msg.differences.map((d) =>
      el('tr', {}, el('td', {}, el('code', {}, d.path)), ...d.values.map((v) => el('td', {}, v))),
    ),
  );
  diffTable.dataset.rows = String(msg.differences.length);
  diffTable.hidden = msg.differences.length === 0;
  diffNone.hidden = msg.differences.length > 0;
  save();
  draw();
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as CompareMessage | undefined;
  if (m?.type === 'compare' && Array.isArray(m.runs) && Array.isArray(m.differences)) showComparison(m);
});
post({ type: 'ready', topics: [] });
