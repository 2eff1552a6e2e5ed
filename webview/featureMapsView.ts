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

function tile(values: Float32Array, offset: number, h: number, w: number, scale: number, pixel: number, label: string): HTMLElement {
  const canvas = el('canvas', { width: String(w), height: String(h), title: label });
  canvas.style.width = `${w * pixel}px`;
  canvas.style.height = `${h * pixel}px`;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(w, h);
    for (let i = 0; i < h * w; i++) {
      const [r, g, b] = color(values[offset + i] / scale);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }
  canvas.addEventListener('mousemove', (e) => {
    const x = Math.floor(e.offsetX / pixel), y = Math.floor(e.offsetY / pixel);
    canvas.title = `${label} (${y}, ${x}) = ${formatNumber(values[offset + y * w + x])}`;
  });
  return el('div', { class: 'fm-tile' }, canvas, el('span', {}, label));
}

function draw(): void {
  const grid = byId('fm-grid');
  const layer: LayerFrameMessage | undefined = frame?.layers[selected];
  if (!frame || !layer?.probeActivation || !layer.probeShape) {
    grid.replaceChildren();
    byId('fm-info').textContent = run ? 'Waiting for telemetry from the probe sample…' : 'Train a model to see the activations of a fixed probe sample.';
    return;
  }
  const values = layer.probeActivation;
  let scale = 0;
  for (const v of values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  scale ||= 1;
  const shape = layer.probeShape;
  byId('fm-info').textContent = `${layer.name} ${formatShape(shape)} at step ${frame.step} · max |a| ${formatNumber(scale)}`;
  if (shape.length === 3) {
    const [c, h, w] = shape;
    const pixel = Math.max(1, Math.floor(96 / Math.max(h, w)));
    grid.replaceChildren(...Array.from({ length: c }, (_, ch) => tile(values, ch * h * w, h, w, scale, pixel, `channel ${ch}`)));
  } else {
    const n = values.length;
    const cols = Math.min(n, 32);
    const rows = Math.ceil(n / cols);
    const padded = new Float32Array(rows * cols).fill(NaN);
    padded.set(values);
    grid.replaceChildren(tile(padded, 0, rows, cols, scale, 8, `${n} units`));
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
