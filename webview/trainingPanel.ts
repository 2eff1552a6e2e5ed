import type { EvalPoint, OpCursor, ProgressInfo, RunState, ToWebview } from '../src/protocol/webviewProtocol';
import type { RunSummary } from '../src/protocol/telemetry';
import { byId, el, formatNumber, formatShape } from './dom';
import { LossChart } from './lossChart';
import { MetricChart } from './metricChart';
import { onThemeChange, readTheme } from './theme';
import { getState, post, setState as saveState } from './vscodeApi';
import { LayersTab } from './layersTab';
import { renderNetwork } from './networkTab';
import { renderProbe } from './probeTab';
import { LatentTab } from './latentTab';
import { SamplesView } from './samplesView';
import { setupTabs, TabName } from './tabs';
import type { TelemetryFrameMessage } from '../src/protocol/telemetry';

/*
 * The training panel: status, controls, loss and metric curves, the run's configuration and its
 * layers. Everything is drawn from host messages; on load it asks for a snapshot (`ready`).
 */
const loss = new LossChart(byId<HTMLCanvasElement>('loss-chart'));
const metric = new MetricChart(byId<HTMLCanvasElement>('metric-chart'));
let state: RunState = 'idle';

onThemeChange((t) => {
  loss.applyTheme(t);
  metric.applyTheme(t);
  latentTab.applyTheme(t);
});

for (const action of ['train', 'pause', 'resume', 'step', 'stop', 'stepOp', 'resumeRun'] as const) {
  byId(`btn-${action}`).addEventListener('click', () => post({ type: 'control', action }));
}

byId('btn-stepOp').addEventListener('click', () => showTab('network'));

function setState(s: RunState, message?: string): void {
  state = s;
  const badge = byId('state');
  badge.textContent = s;
  badge.className = `badge state-${s}`;
  byId('message').textContent = message ?? '';
  byId('message').className = s === 'failed' ? 'message error' : 'message';
  const running = s === 'running' || s === 'starting';
  const toggle = (id: string, show: boolean) => byId(id).toggleAttribute('hidden', !show);
  toggle('btn-train', !running && s !== 'paused');
  toggle('btn-pause', running);
  toggle('btn-resume', s === 'paused');
  toggle('btn-step', s === 'paused');
  toggle('btn-stepOp', s === 'paused');
  toggle('btn-stop', running || s === 'paused');
  // A stopped or failed run (or a killed one, restored as such) may continue from its checkpoint.
  toggle('btn-resumeRun', s === 'stopped' || s === 'failed');
  document.body.dataset.state = s;
}

function setProgress(p: ProgressInfo | null): void {
  if (!p) {
    byId('progress').textContent = '';
    return;
  }
  const frac = ((p.epoch - 1) * p.batchesPerEpoch + p.batch + 1) / (p.epochs * p.batchesPerEpoch);
  byId<HTMLProgressElement>('progress-bar').value = Math.min(1, frac);
  byId('progress').textContent =
    `epoch ${p.epoch}/${p.epochs} · batch ${p.batch + 1}/${p.batchesPerEpoch} · loss ${formatNumber(p.loss)} · ${Math.round(p.samplesPerSecond)} samples/s · ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

function setLastEval(last: EvalPoint | undefined): void {
  const text = last
    ? `test loss ${formatNumber(last.loss)}${Object.entries(last.metrics)
        .map(([k, v]) => ` · ${k} ${k === 'accuracy' ? (100 * v).toFixed(2) + '%' : formatNumber(v)}`)
        .join('')} (epoch ${last.epoch})`
    : '';
  byId('last-eval').textContent = text;
}

function showRun(run: RunSummary | null): void {
  byId('title').textContent = run ? run.modelName : 'No run yet';
  const cfg = byId('config');
  cfg.replaceChildren();
  if (!run) return;
  const rows: [string, string][] = [
    ['dataset', `${run.dataset} (${run.trainRows} train / ${run.testRows} test)`],
    ['loss', run.loss],
    ['optimizer', run.optimizer],
    ['epochs · batch · eval every', `${run.epochs} · ${run.batchSize} · ${run.evalEvery}`],
    ['profile · precision', `${run.profile} · ${run.precision}`],
    ['parameters', run.parameters.toLocaleString('en-US')],
  ];
  for (const [k, v] of rows) cfg.append(el('tr', {}, el('th', {}, k), el('td', {}, v)));
  const layers = byId('layers');
  layers.replaceChildren(
    el('tr', {}, el('th', {}, '#'), el('th', {}, 'layer'), el('th', {}, 'output shape'), el('th', {}, 'parameters')),
  );
  layers.append(
    el('tr', {}, el('td', {}, ''), el('td', {}, 'input'), el('td', {}, formatShape(run.inputShape)), el('td', {}, '')),
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
    row.addEventListener('click', () => post({ type: 'revealLayer', index: l.index }));
    layers.append(row);
  }
}

let currentRun: RunSummary | null = null;
let lastFrame: TelemetryFrameMessage | null = null;
let modelPath = '';
let selectedLayer = 0;
let opCursor: OpCursor | null = null;
const layersTab = new LayersTab(byId('layers-list'));
const samples = new SamplesView();
const latentTab = new LatentTab(byId<HTMLCanvasElement>('latent-canvas'), readTheme());
let tab: TabName = getState<{ tab?: TabName }>()?.tab ?? 'training';
let drawPending = false,
  lastDraw = 0;

/** Redraws the visible telemetry tab at most twice a second (frames arrive up to 20/s). */
function drawTab(force = false): void {
  if (tab === 'training' || drawPending) return;
  const wait = force ? 0 : Math.max(0, 500 - (Date.now() - lastDraw));
  drawPending = true;
  setTimeout(
    () =>
      requestAnimationFrame(() => {
        drawPending = false;
        lastDraw = Date.now();
        if (tab === 'layers') layersTab.render();
        else if (tab === 'network')
          renderNetwork(byId('network-graph'), currentRun, lastFrame, { layer: selectedLayer }, opCursor);
        else if (tab === 'probe') renderProbe(byId('probe-view'), currentRun, lastFrame);
        else if (tab === 'latent') latentTab.render();
      }),
    wait,
  );
}

const showTab = setupTabs(tab, (t) => {
  tab = t;
  saveState({ modelPath, tab });
  drawTab(true);
});

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'snapshot':
      modelPath = msg.modelPath;
      saveState({ modelPath, tab });
      currentRun = msg.run;
      selectedLayer = msg.selectedLayer;
      opCursor = msg.opCursor;
      layersTab.reset(msg.statsHistory);
      lastFrame = msg.frame;
      if (msg.frame) layersTab.add(msg.frame);
      drawTab(true);
      showRun(msg.run);
      setState(msg.state, msg.message);
      loss.reset(msg.train, msg.evals);
      metric.reset(msg.evals);
      setLastEval(msg.evals.at(-1));
      setProgress(msg.progress);
      samples.reset(msg.samples ?? []);
      latentTab.set(msg.latent ?? null);
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
      lastFrame = msg.frame;
      layersTab.add(msg.frame);
      drawTab();
      break;
    case 'selectLayer':
      selectedLayer = msg.index;
      drawTab(true);
      break;
    case 'opCursor':
      opCursor = msg.cursor;
      drawTab(true);
      break;
    default: {
      const never: never = msg;
      void never;
    }
  }
  document.body.dataset.points = String(loss.pointCount);
});

setState(state);
post({ type: 'ready' });
