/*
 * The markup of every Glassbox webview, built in the webview (the host only serves a shell with the
 * CSP and the script). Each builder appends its view's static DOM to the body and returns its
 * elements, typed: view code reaches an element through these records, never by a string id. The
 * ids stay for the stylesheet and the E2E tests.
 */
import { CONTROL_ACTIONS, type ControlAction } from '../src/protocol/webviewProtocol';
import { el } from './dom';
import type { TabName } from './tabs';
import { msg, t } from '../src/l10n/catalog';
import { runStateText } from '../src/protocol/runStateText';

const muted = (text: string, attrs: Record<string, string> = {}) => el('p', { class: 'muted', ...attrs }, text);
/** What an empty chart will show, over it until the view holds points (glassbox.css: body[data-points]). */
const emptyChart = (text: string, until: 'points' | 'evals' = 'points') =>
  el('p', { class: `chart-empty muted until-${until}` }, text);

export interface TrainingPanelElements {
  readonly title: HTMLHeadingElement;
  readonly state: HTMLSpanElement;
  readonly buttons: Readonly<Record<ControlAction, HTMLButtonElement>>;
  readonly tabButtons: Readonly<Record<TabName, HTMLButtonElement>>;
  readonly tabPages: Readonly<Record<TabName, HTMLDivElement>>;
  readonly progressBar: HTMLProgressElement;
  readonly progress: HTMLDivElement;
  readonly lastEval: HTMLDivElement;
  readonly message: HTMLDivElement;
  readonly samplesSection: HTMLElement;
  readonly samples: HTMLDivElement;
  readonly lossChart: HTMLCanvasElement;
  readonly metricChart: HTMLCanvasElement;
  readonly config: HTMLTableElement;
  readonly layers: HTMLTableElement;
  readonly layersList: HTMLDivElement;
  readonly networkGraph: HTMLDivElement;
  readonly latentInfo: HTMLParagraphElement;
  readonly latentCanvas: HTMLCanvasElement;
  readonly latentLegend: HTMLDivElement;
  readonly probeView: HTMLDivElement;
  readonly sequenceView: HTMLDivElement;
  readonly evaluationView: HTMLDivElement;
}

// Labels marked for the catalog and translated when the panel is built (after webview/l10n.ts ran).
const TABS: readonly [TabName, string][] = [
  ['training', msg('Training')],
  ['layers', msg('Layers')],
  ['network', msg('Network')],
  ['probe', msg('Probe')],
  ['sequence', msg('Sequence')],
  ['latent', msg('Latent')],
  ['evaluation', msg('Evaluation')],
];

/** The training panel: toolbar (one button per control action), tabs and their pages. */
export function buildTrainingPanel(body: HTMLElement = document.body): TrainingPanelElements {
  const buttons = Object.fromEntries(
    CONTROL_ACTIONS.map((a) => {
      const attrs: Record<string, string> = { id: `btn-${a.action}`, title: t(a.title) };
      if ('style' in a) attrs.class = a.style;
      const b = el('button', attrs, 'icon' in a ? `${a.icon} ${t(a.label)}` : t(a.label));
      b.hidden = a.action !== 'train';
      return [a.action, b];
    }),
  ) as Record<ControlAction, HTMLButtonElement>;
  const tabButtons = Object.fromEntries(
    TABS.map(([tab, label]) => {
      const attrs: Record<string, string> = {
        role: 'tab',
        class: 'tab-btn',
        'data-tab': tab,
        'aria-selected': String(tab === 'training'),
      };
      if (tab === 'latent' || tab === 'sequence' || tab === 'evaluation') attrs.id = `tab-btn-${tab}`;
      const b = el('button', attrs, t(label));
      // Shown only for runs that have them (a latent projection; recurrent layers).
      b.hidden = tab === 'latent' || tab === 'sequence' || tab === 'evaluation';
      return [tab, b];
    }),
  ) as Record<TabName, HTMLButtonElement>;
  const page = (tab: TabName, ...children: Node[]) => {
    const p = el('div', { id: `tab-${tab}`, class: 'tab-page' }, ...children);
    p.hidden = tab !== 'training';
    return p;
  };

  const e = {
    title: el('h1', { id: 'title' }, t('No run yet')),
    state: el('span', { id: 'state', class: 'badge' }, runStateText('idle')),
    buttons,
    tabButtons,
    progressBar: el('progress', { id: 'progress-bar', max: '1', value: '0' }),
    progress: el('div', { id: 'progress', class: 'muted' }),
    lastEval: el('div', { id: 'last-eval' }),
    message: el('div', { id: 'message', class: 'message' }),
    samples: el('div', { id: 'samples', 'aria-live': 'polite' }),
    lossChart: el('canvas', { id: 'loss-chart', 'aria-label': t('training and test loss') }),
    metricChart: el('canvas', { id: 'metric-chart', 'aria-label': t('test metric per evaluation') }),
    config: el('table', { id: 'config', class: 'kv' }),
    layers: el('table', { id: 'layers', class: 'grid' }),
    layersList: el('div', { id: 'layers-list', class: 'dist-list' }),
    networkGraph: el('div', { id: 'network-graph', class: 'op-graph' }),
    latentInfo: el('p', { id: 'latent-info', class: 'muted' }),
    latentCanvas: el('canvas', {
      id: 'latent-canvas',
      'aria-label': t('latent codes of test rows projected to 2-D, coloured by class'),
    }),
    latentLegend: el('div', { id: 'latent-legend', class: 'legend' }),
    probeView: el('div', { id: 'probe-view' }),
    sequenceView: el('div', { id: 'sequence-view' }),
    evaluationView: el('div', { id: 'evaluation-view' }),
  };
  const samplesSection = el(
    'section',
    { id: 'samples-section', class: 'samples' },
    el('h2', {}, t('Samples')),
    e.samples,
  );
  samplesSection.hidden = true;
  const tabPages: Record<TabName, HTMLDivElement> = {
    training: page(
      'training',
      el('section', { class: 'status' }, e.progressBar, e.progress, e.lastEval, e.message),
      samplesSection,
      el(
        'section',
        { class: 'charts' },
        el(
          'div',
          { class: 'chart-box' },
          e.lossChart,
          emptyChart(t('The training and test loss appear here from the first trained batch.')),
        ),
        el(
          'div',
          { class: 'chart-box' },
          e.metricChart,
          emptyChart(t('The test metric appears here after the first evaluation.'), 'evals'),
        ),
      ),
      el(
        'section',
        { class: 'tables' },
        el('div', {}, el('h2', {}, t('Run')), e.config),
        el('div', {}, el('h2', {}, t('Layers')), e.layers),
      ),
    ),
    layers: page(
      'layers',
      muted(
        t(
          "Distributions over training of each layer's activations, weights and gradients: min–max (light band), mean ± std (dark band) and mean (line), sampled live. The bars are the latest histogram.",
        ),
      ),
      e.layersList,
    ),
    network: page(
      'network',
      muted(
        t(
          'The computational graph of the probe sample, operation by operation: the forward value (top) and the backward gradient ∂L/∂output (bottom) of each operation, with its derivative.',
        ),
      ),
      e.networkGraph,
    ),
    latent: page('latent', e.latentInfo, el('div', { class: 'latent-box' }, e.latentCanvas), e.latentLegend),
    probe: page(
      'probe',
      muted(
        t(
          'One example on its way through the network, on the current weights: a test row, your drawing or your values. The Feature Maps view follows it.',
        ),
      ),
      e.probeView,
    ),
    evaluation: page(
      'evaluation',
      muted(
        t(
          "How the classifier does on the test set after training: the confusion matrix (rows: the true class, columns: the predicted one), each class's precision and recall, and the test examples it got most confidently wrong.",
        ),
      ),
      e.evaluationView,
    ),
    sequence: page(
      'sequence',
      muted(
        t(
          "The recurrent layers' internals over the probe sequence (the first test window): the hidden state, the cell state and each gate at every time step, and the gradient norm ‖∂L/∂h_t‖ per step, from the probe's forward and backward.",
        ),
      ),
      e.sequenceView,
    ),
  };
  body.append(
    el(
      'header',
      { class: 'toolbar' },
      e.title,
      e.state,
      el('span', { class: 'spacer' }),
      ...CONTROL_ACTIONS.map((a) => buttons[a.action]),
    ),
    el('nav', { class: 'tabs', role: 'tablist' }, ...TABS.map(([tab]) => tabButtons[tab])),
    // The pages in the order of the old markup (the Latent page before the Probe page).
    tabPages.training,
    tabPages.layers,
    tabPages.network,
    tabPages.latent,
    tabPages.probe,
    tabPages.sequence,
    tabPages.evaluation,
  );
  return { ...e, samplesSection, tabPages };
}

export interface LossViewElements {
  readonly title: HTMLSpanElement;
  readonly state: HTMLSpanElement;
  readonly lastEval: HTMLDivElement;
  readonly lossChart: HTMLCanvasElement;
}

/** The Loss side view. */
export function buildLossView(body: HTMLElement = document.body): LossViewElements {
  const e = {
    title: el('span', { id: 'title', class: 'muted' }, t('Open a model file (*.nn.json)')),
    state: el('span', { id: 'state', class: 'badge' }, runStateText('idle')),
    lastEval: el('div', { id: 'last-eval', class: 'muted' }),
    lossChart: el('canvas', { id: 'loss-chart', 'aria-label': t('training and test loss') }),
  };
  body.append(
    el('div', { class: 'view-head' }, e.title, ' ', e.state),
    e.lastEval,
    el(
      'div',
      { class: 'chart-box small' },
      e.lossChart,
      emptyChart(t('The loss of the followed model file appears here while it trains.')),
    ),
  );
  return e;
}

export interface FeatureMapsElements {
  readonly layerSelect: HTMLSelectElement;
  readonly info: HTMLDivElement;
  readonly grid: HTMLDivElement;
  readonly grad: HTMLDivElement;
  readonly filtersSection: HTMLElement;
  readonly filters: HTMLDivElement;
  readonly filterGrads: HTMLDivElement;
}

/** The Feature Maps side view. */
export function buildFeatureMapsView(body: HTMLElement = document.body): FeatureMapsElements {
  const e = {
    layerSelect: el('select', { id: 'layer-select' }),
    info: el(
      'div',
      { id: 'fm-info', class: 'muted' },
      t('Train a model to see the activations of a fixed probe sample.'),
    ),
    grid: el('div', { id: 'fm-grid', class: 'fm-grid' }),
    grad: el('div', { id: 'fm-grad', class: 'fm-grid' }),
    filters: el('div', { id: 'fm-filters', class: 'fm-grid' }),
    filterGrads: el('div', { id: 'fm-filter-grads', class: 'fm-grid' }),
  };
  const filtersSection = el(
    'section',
    { id: 'fm-filters-section' },
    el('h2', {}, t('Filters')),
    e.filters,
    el('h2', {}, t('Filter gradients')),
    e.filterGrads,
  );
  filtersSection.hidden = true;
  body.append(
    el('div', { class: 'view-head' }, el('label', { for: 'layer-select' }, t('Layer')), ' ', e.layerSelect),
    e.info,
    el('h2', {}, t('Activations')),
    e.grid,
    el('h2', {}, t('Gradient ∂L/∂output')),
    e.grad,
    filtersSection,
  );
  return { ...e, filtersSection };
}
