import type { ToWebview } from '../src/protocol/webviewProtocol';
import type { LayerFrameMessage, RunSummary, TelemetryFrameMessage } from '../src/protocol/telemetry';
import { byId, el, formatNumber, formatShape } from './dom';
import { post } from './vscodeApi';

/*
 * The Feature Maps side view: the probe sample's activations in the selected layer. A vector
 * (dense layer) is drawn as one row of cells; a [channels, h, w] map as one tile per channel.
 * Colour: diverging around 0 (blue negative, red positive), scaled to the layer's max |value|.
 */
let run: RunSummary | null = null;
let frame: TelemetryFrameMessage | null = null;
let selected = 0;
const select = byId<HTMLSelectElement>('layer-select');
select.addEventListener('change', () => {
  selected = Number(select.value);
  post({ type: 'selectLayer', index: selected });
  draw();
});

function fillLayers(): void {
  select.replaceChildren(...(run?.layers ?? []).map((l) => el('option', { value: String(l.index) }, `${l.index + 1}. ${l.name} ${formatShape(l.outputShape)}`)));
  select.value = String(selected);
}

/** Diverging colormap: v in [−1, 1] → RGB. */
function color(v: number): [number, number, number] {
  if (!Number.isFinite(v)) return [255, 0, 255];
  const t = Math.max(-1, Math.min(1, v));
  return t >= 0 ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))] : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
}

/** One h×w canvas of `count` values (a shorter last row stays transparent). */
function tile(values: Float32Array, offset: number, h: number, w: number, scale: number, pixel: number, label: string, count = h * w): HTMLElement {
  const canvas = el('canvas', { width: String(w), height: String(h), title: label });
  canvas.style.width = `${w * pixel}px`;
  canvas.style.height = `${h * pixel}px`;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(w, h);
    for (let i = 0; i < count; i++) {
      const [r, g, b] = color(values[offset + i] / scale);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }
  canvas.addEventListener('mousemove', (e) => {
    const x = Math.floor(e.offsetX / pixel), y = Math.floor(e.offsetY / pixel);
    const i = y * w + x;
    canvas.title = i < count ? `${label} (${y}, ${x}) = ${formatNumber(values[offset + i])}` : label;
  });
  return el('div', { class: 'fm-tile' }, canvas, el('span', {}, label));
}

/** Tiles for a [c, h, w] map (one per channel) or a vector (one strip); scale = max |value|. */
function tiles(values: Float32Array, shape: readonly number[], what: string): HTMLElement[] {
  let scale = 0;
  for (const v of values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  scale ||= 1;
  if (shape.length === 3) {
    const [c, h, w] = shape;
    const pixel = Math.max(1, Math.floor(96 / Math.max(h, w)));
    return Array.from({ length: c }, (_, ch) => tile(values, ch * h * w, h, w, scale, pixel, `${what} ${ch}`));
  }
  const n = values.length;
  const cols = Math.min(n, 32);
  return [tile(values, 0, Math.ceil(n / cols), cols, scale, 8, `${n} units`, n)];
}

/** Conv filters [out, in, kh, kw] → one kh×kw tile per output channel (mean over input channels). */
function filterTiles(values: Float32Array, shape: readonly number[]): HTMLElement[] {
  const [out, inC, kh, kw] = shape;
  const k = kh * kw;
  const mean = new Float32Array(out * k);
  for (let o = 0; o < out; o++) for (let i = 0; i < inC; i++) for (let j = 0; j < k; j++) mean[o * k + j] += values[(o * inC + i) * k + j] / inC;
  return tiles(mean, [out, kh, kw], 'filter');
}

function draw(): void {
  const layer: LayerFrameMessage | undefined = frame?.layers[selected];
  const section = byId('fm-filters-section');
  if (!frame || !layer?.probeActivation || !layer.probeShape) {
    for (const id of ['fm-grid', 'fm-grad', 'fm-filters', 'fm-filter-grads']) byId(id).replaceChildren();
    section.hidden = true;
    byId('fm-info').textContent = run ? 'Waiting for telemetry from the probe sample…' : 'Train a model to see the activations of a fixed probe sample.';
    return;
  }
  const shape = layer.probeShape;
  byId('fm-info').textContent = `${layer.name} ${formatShape(shape)} at step ${frame.step}. Colour: red > 0 > blue, scaled to each panel's max |value|; hover a cell for its value.`;
  byId('fm-grid').replaceChildren(...tiles(layer.probeActivation, shape, 'channel'));
  byId('fm-grad').replaceChildren(...(layer.probeGradient ? tiles(layer.probeGradient, shape, 'channel') : []));
  const w = layer.weightShape;
  const isFilter = !!w && w.length === 4 && !!layer.weightValues && !!layer.weightGrads;
  section.hidden = !isFilter;
  if (isFilter && w && layer.weightValues && layer.weightGrads) {
    byId('fm-filters').replaceChildren(...filterTiles(layer.weightValues, w));
    byId('fm-filter-grads').replaceChildren(...filterTiles(layer.weightGrads, w));
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  if (msg.type === 'snapshot') {
    run = msg.run;
    frame = msg.frame;
    selected = msg.selectedLayer;
    fillLayers();
  } else if (msg.type === 'frame') frame = msg.frame;
  else if (msg.type === 'selectLayer') {
    selected = msg.index;
    select.value = String(selected);
  } else return;
  draw();
  document.body.dataset.tiles = String(byId('fm-grid').childElementCount);
});
post({ type: 'ready' });
