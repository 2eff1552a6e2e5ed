import './l10n';
import type { ToWebview } from '../src/protocol/webviewProtocol';
import type { LayerFrameMessage, RunSummary, TelemetryFrameMessage } from '../src/protocol/telemetry';
import { withProbeAnswer } from '../src/protocol/probeAnswer';
import { connect } from './channel';
import { el, formatShape } from './dom';
import { heatmapTiles } from './heatmap';
import { buildFeatureMapsView } from './markup';
import { onceAFrame } from './onceAFrame';
import { t } from '../src/l10n/catalog';

/*
 * The Feature Maps side view: the probe sample's activations in the selected layer. A vector
 * (dense layer) is drawn as one row of cells; a [channels, h, w] map as one tile per channel.
 * Colour: diverging around 0 (blue negative, red positive), scaled to the layer's max |value|.
 * Redrawn at most once per animation frame, and only when what it shows changed.
 */
const ui = buildFeatureMapsView();
let run: RunSummary | null = null;
let frame: TelemetryFrameMessage | null = null;
let selected = 0;
const select = ui.layerSelect;
select.addEventListener('change', () => {
  selected = Number(select.value);
  host.send({ type: 'selectLayer', index: selected });
  draw();
});

function fillLayers(): void {
  select.replaceChildren(
    ...(run?.layers ?? []).map((l) =>
      el('option', { value: String(l.index) }, `${l.index + 1}. ${l.name} ${formatShape(l.outputShape)}`),
    ),
  );
  select.value = String(selected);
}

/** Conv filters [out, in, kh, kw] → one kh×kw tile per output channel (mean over input channels). */
function filterTiles(values: Float32Array, shape: readonly number[]): HTMLElement[] {
  const [out, inC, kh, kw] = shape;
  const k = kh * kw;
  const mean = new Float32Array(out * k);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inC; i++) for (let j = 0; j < k; j++) mean[o * k + j] += values[(o * inC + i) * k + j] / inC;
  return heatmapTiles(mean, [out, kh, kw], 'filter');
}

const draw = onceAFrame(() => {
  drawNow();
  document.body.dataset.tiles = String(ui.grid.childElementCount);
});

function drawNow(): void {
  const layer: LayerFrameMessage | undefined = frame?.layers[selected];
  const section = ui.filtersSection;
  if (!frame || !layer?.probeActivation || !layer.probeShape) {
    for (const grid of [ui.grid, ui.grad, ui.filters, ui.filterGrads]) grid.replaceChildren();
    section.hidden = true;
    ui.info.textContent = run
      ? t('Waiting for telemetry from the probe sample…')
      : t('Train a model to see the activations of a fixed probe sample.');
    return;
  }
  const shape = layer.probeShape;
  ui.info.textContent = t(
    "{0} {1} at step {2}. Colour: red > 0 > blue, scaled to each panel's max |value|; hover a cell for its value.",
    layer.name,
    formatShape(shape),
    frame.step,
  );
  ui.grid.replaceChildren(...heatmapTiles(layer.probeActivation, shape, t('channel')));
  ui.grad.replaceChildren(...(layer.probeGradient ? heatmapTiles(layer.probeGradient, shape, t('channel')) : []));
  const w = layer.weightShape;
  const isFilter = !!w && w.length === 4 && !!layer.weightValues && !!layer.weightGrads;
  section.hidden = !isFilter;
  if (isFilter && w && layer.weightValues && layer.weightGrads) {
    ui.filters.replaceChildren(...filterTiles(layer.weightValues, w));
    ui.filterGrads.replaceChildren(...filterTiles(layer.weightGrads, w));
  }
}

const host = connect(['frame', 'selection'], (msg: ToWebview) => {
  if (msg.type === 'snapshot') {
    run = msg.run;
    frame = msg.frame ?? null;
    selected = msg.selectedLayer ?? 0;
    fillLayers();
  } else if (msg.type === 'frame') frame = msg.frame;
  else if (msg.type === 'probe') {
    // A Probe tab answer: the maps of the new input on the last frame's filters.
    if (!frame) return;
    frame = withProbeAnswer(frame, msg.answer);
  } else if (msg.type === 'selectLayer') {
    if (msg.index === selected) return;
    selected = msg.index;
    select.value = String(selected);
  } else return;
  draw();
});
