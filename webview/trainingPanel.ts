import './l10n';
import { CONTROL_ACTIONS } from '../src/protocol/webviewProtocol';
import type { EvalPoint, OpCursor, ProgressInfo, RunState, ToWebview } from '../src/protocol/webviewProtocol';
import type { RunSummary } from '../src/protocol/telemetry';
import { progressText } from '../src/protocol/progressText';
import { connect } from './channel';
import { el, formatNumber, formatShape } from './dom';
import { buildTrainingPanel } from './markup';
import { onceAFrame } from './onceAFrame';
import { LossChart } from './lossChart';
import { MetricChart } from './metricChart';
import { addChartTools } from './trainingChartTools';
import { onThemeChange, readTheme } from './theme';
import { getState, setState as saveState } from './vscodeApi';
import { LayersTab } from './layersTab';
import { renderNetwork } from './networkTab';
import { ProbeTab } from './probeTab';
import { LatentTab } from './latentTab';
import { EvaluationTab } from './evaluationTab';
import { SamplesView } from './samplesView';
import { hasRecurrentLayers, SequenceTab } from './sequenceTab';
import { setupTabs, TabName } from './tabs';
import type { TelemetryFrameMessage } from '../src/protocol/telemetry';
import { withProbeAnswer } from '../src/protocol/probeAnswer';
import { t } from '../src/l10n/catalog';
import { metricText } from '../src/protocol/metricText';
import { runStateText } from '../src/protocol/runStateText';

/*
 * The training panel: status, controls, loss and metric curves, the run's configuration and its
 * layers, and the Layers, Network, Probe, Sequence and Latent tabs. Everything is drawn from host messages
 * (webview/channel.ts); the active tab redraws live, at most once per animation frame.
 */
const ui = buildTrainingPanel();
const loss = new LossChart(ui.lossChart);
const metric = new MetricChart(ui.metricChart);
addChartTools(loss, metric, () => ui.title.textContent ?? 'run');
let state: RunState = 'idle';

onThemeChange((t) => {
  loss.applyTheme(t);
  metric.applyTheme(t);
  latentTab.applyTheme(t);
  sequenceTab.applyTheme();
});

for (const { action } of CONTROL_ACTIONS)
  ui.buttons[action].addEventListener('click', () => host.send({ type: 'control', action }));

ui.buttons.stepOp.addEventListener('click', () => showTab('network'));

function setState(s: RunState, message?: string): void {
  state = s;
  ui.state.textContent = runStateText(s);
  ui.state.className = `badge state-${s}`;
  ui.message.textContent = message ?? '';
  ui.message.className = s === 'failed' ? 'message error' : 'message';
  for (const a of CONTROL_ACTIONS) ui.buttons[a.action].hidden = !(a.shownIn as readonly RunState[]).includes(s);
  document.body.dataset.state = s;
}

function setProgress(p: ProgressInfo | null): void {
  if (!p) {
    ui.progress.textContent = '';
    return;
  }
  const frac = ((p.epoch - 1) * p.batchesPerEpoch + p.batch + 1) / (p.epochs * p.batchesPerEpoch);
  ui.progressBar.value = Math.min(1, frac);
  // A text model counts iterations (its rounds are not epochs to the user): progressText says which.
  const where =
    currentRun?.dataset === 'text'
      ? progressText(p, currentRun).where
      : t('epoch {0}/{1} · batch {2}/{3}', p.epoch, p.epochs, p.batch + 1, p.batchesPerEpoch);
  ui.progress.textContent = t(
    '{0} · loss {1} · {2} samples/s · {3} s',
    where,
    formatNumber(p.loss),
    Math.round(p.samplesPerSecond),
    (p.elapsedMs / 1000).toFixed(1),
  );
}

function setLastEval(last: EvalPoint | undefined): void {
  const text = last
    ? t(
        'test loss {0}{1} (epoch {2})',
        formatNumber(last.loss),
        Object.entries(last.metrics)
          .map(([k, v]) => ` · ${metricText(k)} ${k === 'accuracy' ? (100 * v).toFixed(2) + '%' : formatNumber(v)}`)
          .join(''),
        last.epoch,
      )
    : '';
  ui.lastEval.textContent = text;
}

function showRun(run: RunSummary | null): void {
  ui.title.textContent = run ? run.modelName : t('No run yet');
  const cfg = ui.config;
  cfg.replaceChildren();
  if (!run) return;
  const rows: [string, string][] = [
    [t('dataset'), t('{0} ({1} train / {2} test)', run.dataset, run.trainRows, run.testRows)],
    [t('loss'), run.loss],
    [t('optimizer'), run.optimizer],
    [t('epochs · batch · eval every'), `${run.epochs} · ${run.batchSize} · ${run.evalEvery}`],
    [t('profile · precision'), `${run.profile} · ${run.precision}`],
    [t('parameters'), run.parameters.toLocaleString('en-US')],
  ];
  // Class names are folder names from the user's disk: text content only, and not too many.
  const names = run.classNames;
  if (names?.length)
    rows.splice(1, 0, [t('classes'), names.slice(0, 12).join(', ') + (names.length > 12 ? ', …' : '')]);
  for (const [k, v] of rows) cfg.append(el('tr', {}, el('th', {}, k), el('td', {}, v)));
  const layers = ui.layers;
  layers.replaceChildren(
    el(
      'tr',
      {},
      el('th', {}, '#'),
      el('th', {}, t('layer')),
      el('th', {}, t('output shape')),
      el('th', {}, t('parameters')),
    ),
  );
  layers.append(
    el(
      'tr',
      {},
      el('td', {}, ''),
      el('td', {}, t('input')),
      el('td', {}, formatShape(run.inputShape)),
      el('td', {}, ''),
    ),
  );
  for (const l of run.layers) {
    const row = el(
      'tr',
      { class: 'layer-row', 'data-index': String(l.index) },
      el('td', {}, String(l.index + 1)),
      el('td', {}, `${l.name} (${l.kind})`),
      el('td', {}, formatShape(l.outputShape)),
      el('td', {}, l.parameters.toLocaleString('en-US')),
    );
    row.addEventListener('click', () => host.send({ type: 'revealLayer', index: l.index }));
    layers.append(row);
  }
}

let currentRun: RunSummary | null = null;
let lastFrame: TelemetryFrameMessage | null = null;
let modelPath = '';
let selectedLayer = 0;
let opCursor: OpCursor | null = null;
const layersTab = new LayersTab(ui.layersList);
const samples = new SamplesView(ui.samplesSection, ui.samples);
const sequenceTab = new SequenceTab(ui.sequenceView, ui.tabButtons.sequence, (text) =>
  host.send({ type: 'probeText', text }),
);
const probeTab = new ProbeTab(ui.probeView, (request) => host.send({ type: 'probe', request }));
const evaluationTab = new EvaluationTab(ui.evaluationView, ui.tabButtons.evaluation, (row) => {
  probeTab.probeRow(row);
  showTab('probe');
});
const latentTab = new LatentTab(ui.latentCanvas, ui.latentInfo, ui.latentLegend, ui.tabButtons.latent, readTheme());
let tab: TabName = getState<{ tab?: TabName }>()?.tab ?? 'training';

/**
 * Redraws the visible tab from the latest data, once per animation frame however many messages
 * arrived in it (the host sends a frame only after this view has acknowledged drawing the last).
 * The Training tab's charts redraw themselves.
 */
const drawTab = onceAFrame(() => {
  if (tab === 'layers') layersTab.render();
  else if (tab === 'network') renderNetwork(ui.networkGraph, currentRun, lastFrame, { layer: selectedLayer }, opCursor);
  else if (tab === 'probe') probeTab.render(lastFrame);
  else if (tab === 'sequence') sequenceTab.render(lastFrame);
  else if (tab === 'latent') latentTab.render();
  else if (tab === 'evaluation') evaluationTab.render();
  else return;
  document.body.dataset.drawn = String(lastFrame?.step ?? '');
});

const showTab = setupTabs(ui.tabButtons, ui.tabPages, tab, (t) => {
  tab = t;
  // The charts skip their redraws while hidden.
  if (t === 'training') {
    loss.refresh();
    metric.refresh();
  }
  saveState({ ...getState<object>(), modelPath, tab });
  drawTab();
});

function onMessage(msg: ToWebview): void {
  switch (msg.type) {
    case 'snapshot':
      // Counted for the E2E tests: live updates must not depend on re-snapshots.
      document.body.dataset.snapshots = String(Number(document.body.dataset.snapshots ?? 0) + 1);
      modelPath = msg.modelPath;
      saveState({ ...getState<object>(), modelPath, tab });
      currentRun = msg.run;
      selectedLayer = msg.selectedLayer ?? 0;
      opCursor = msg.opCursor ?? null;
      layersTab.reset(msg.statsHistory);
      lastFrame = msg.frame ?? null;
      if (lastFrame) layersTab.add(lastFrame);
      drawTab();
      showRun(msg.run);
      sequenceTab.setRun(msg.run);
      probeTab.setRun(msg.run);
      evaluationTab.setClassNames(msg.run?.classNames);
      // A remembered Sequence tab of an earlier, recurrent run: this run has no such tab.
      if (tab === 'sequence' && msg.run && !hasRecurrentLayers(msg.run)) showTab('training');
      setState(msg.state, msg.message);
      loss.reset(msg.train ?? [], msg.evals ?? []);
      metric.reset(msg.evals ?? []);
      setLastEval(msg.evals?.at(-1));
      setProgress(msg.progress ?? null);
      samples.reset(msg.samples ?? []);
      latentTab.set(msg.latent ?? null);
      evaluationTab.setRegression(msg.regression ?? null);
      evaluationTab.set(msg.evaluation ?? null);
      // A remembered Evaluation tab of an earlier run: this one has no evaluation (yet).
      if (tab === 'evaluation' && !evaluationTab.hasContent) showTab('training');
      break;
    case 'latent':
      latentTab.set(msg.latent);
      break;
    case 'sample':
      samples.add(msg.sample);
      break;
    case 'trainPoints':
      loss.addTrain(msg.points);
      setProgress(msg.progress);
      break;
    case 'evalPoint':
      loss.addTest(msg.point);
      metric.add(msg.point);
      setLastEval(msg.point);
      break;
    case 'state':
      setState(msg.state, msg.message);
      break;
    case 'frame':
      probeTab.arrived(msg.frame.probeSource);
      lastFrame = msg.frame;
      layersTab.add(msg.frame, msg.earlier);
      drawTab();
      break;
    case 'probe':
      // The probe part only (a Probe tab answer): the Layers tab's statistics stay the last frame's.
      probeTab.arrived(msg.answer.probeSource);
      if (lastFrame) lastFrame = withProbeAnswer(lastFrame, msg.answer);
      drawTab();
      break;
    case 'selectLayer':
      selectedLayer = msg.index;
      drawTab();
      break;
    case 'opCursor':
      opCursor = msg.cursor;
      drawTab();
      break;
    case 'evaluation':
      evaluationTab.set(msg.evaluation);
      break;
    case 'regression':
      evaluationTab.setRegression(msg.regression);
      break;
    case 'probeMessage':
      sequenceTab.showProbeMessage(msg.message);
      probeTab.showMessage(msg.message);
      break;
    default: {
      const never: never = msg;
      void never;
    }
  }
  document.body.dataset.points = String(loss.pointCount);
  document.body.dataset.evals = String(loss.testCount);
}

setState(state);
const host = connect(
  ['progress', 'evals', 'frame', 'layerStats', 'samples', 'latent', 'evaluation', 'selection', 'opCursor', 'sequence'],
  onMessage,
);
