import type { ProbeInput } from '../src/protocol/probeRequest';
import type { RunSummary } from '../src/protocol/telemetry';
import { digitImage, type Stroke } from '../src/protocol/digitImage';
import { el, formatNumber } from './dom';
import { className } from './className';
import { t } from '../src/l10n/catalog';

/** Side of the drawing pad in canvas pixels (10× MNIST's 28), and the pen's width on it. */
const PAD = 280;
const PAD_PEN = 18;
/** While drawing, a probe at most every this many ms (the worker keeps only the newest anyway). */
const DRAW_INTERVAL_MS = 40;

/** Classes of a classifier's output (its last layer's width); 0 for other models. */
export function classCount(run: RunSummary): number {
  if (run.task !== 'classification') return 0;
  const out = run.layers.at(-1)?.outputShape ?? [];
  return out.length === 1 ? out[0] : 0;
}

/**
 * The Probe tab's inputs, rebuilt per run: pick a test row (by index, at random, of a class),
 * draw on a pad (image models: the drawing is centred and scaled as MNIST's digits, digitImage.ts),
 * or move one slider per feature (CSV models; raw values shown when the data was scaled).
 * `send(input, final)`: final marks the end of a stroke (the latency the tab reports).
 */
export function buildProbeInputs(
  run: RunSummary,
  send: (input: ProbeInput, final: boolean) => void,
  setTarget: (cls: number | undefined) => void,
): HTMLElement {
  const classes = classCount(run);
  const parts: HTMLElement[] = [picker(run, classes, send)];
  if (classes > 0) {
    const select = el('select', { id: 'probe-target', title: t('The class whose saliency is shown') });
    select.append(el('option', { value: '' }, t('the predicted class')));
    for (let c = 0; c < classes; c++) select.append(el('option', { value: String(c) }, className(run.classNames, c)));
    select.addEventListener('change', () => setTarget(select.value === '' ? undefined : Number(select.value)));
    parts.push(el('label', { class: 'probe-field' }, t('Saliency of'), select));
  }
  if (run.image && run.image[0] === run.image[1]) parts.push(drawingPad(run.image[0], send));
  else if (run.features) parts.push(sliders(run, send));
  return el('div', { class: 'probe-inputs' }, ...parts);
}

function picker(run: RunSummary, classes: number, send: (input: ProbeInput, final: boolean) => void): HTMLElement {
  const index = el('input', {
    id: 'probe-row',
    type: 'number',
    min: '0',
    max: String(Math.max(0, run.testRows - 1)),
    value: '0',
    'aria-label': t('test row'),
  });
  const go = el('button', { id: 'probe-row-go' }, t('Probe test row'));
  go.addEventListener('click', () => {
    const row = Math.floor(Number(index.value));
    if (Number.isInteger(row) && row >= 0 && row < run.testRows) send({ kind: 'row', row }, true);
  });
  index.addEventListener('keydown', (e) => e.key === 'Enter' && go.click());
  const random = el('button', { id: 'probe-random' }, t('Random test row'));
  const of = el('select', { id: 'probe-class', 'aria-label': t('class') });
  of.append(el('option', { value: '' }, t('of any class')));
  for (let c = 0; c < classes; c++)
    of.append(el('option', { value: String(c) }, t('of class {0}', className(run.classNames, c))));
  of.hidden = classes === 0;
  random.addEventListener('click', () =>
    send(of.value === '' ? { kind: 'random' } : { kind: 'random', label: Number(of.value) }, true),
  );
  return el('div', { class: 'probe-picker' }, index, go, random, of);
}

/** A pad to draw on with the mouse, a pen or a finger (pointer events); Clear empties it. */
function drawingPad(size: number, send: (input: ProbeInput, final: boolean) => void): HTMLElement {
  const pad = el('canvas', {
    id: 'probe-pad',
    width: String(PAD),
    height: String(PAD),
    'aria-label': t('drawing pad: draw a digit'),
  });
  pad.style.touchAction = 'none';
  const ctx = pad.getContext('2d');
  const strokes: [number, number][][] = [];
  let drawing = false;
  let lastSent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const paint = () => {
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, PAD, PAD);
    ctx.strokeStyle = '#fff';
    ctx.fillStyle = '#fff';
    ctx.lineWidth = PAD_PEN;
    ctx.lineCap = ctx.lineJoin = 'round';
    for (const s of strokes) {
      ctx.beginPath();
      s.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      if (s.length === 1) ctx.lineTo(s[0][0] + 0.1, s[0][1]);
      ctx.stroke();
    }
  };
  // MNIST's proportions at any square size: a 20/28 box.
  const box = Math.round((20 / 28) * size);
  const image = (): ProbeInput => ({
    kind: 'image',
    pixels: Array.from(digitImage(strokes as Stroke[], { size, box })),
  });
  const flush = (final: boolean) => {
    clearTimeout(timer);
    timer = undefined;
    lastSent = performance.now();
    send(image(), final);
  };
  const point = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    strokes.push([point(e)]);
    paint();
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    strokes[strokes.length - 1].push(point(e));
    paint();
    // The prediction follows the pen: at most every DRAW_INTERVAL_MS, the last point always sent.
    const wait = DRAW_INTERVAL_MS - (performance.now() - lastSent);
    if (wait <= 0) flush(false);
    else timer ??= setTimeout(() => flush(false), wait);
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    paint();
    flush(true);
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  const clear = el('button', { id: 'probe-clear' }, t('Clear'));
  clear.addEventListener('click', () => {
    strokes.length = 0;
    paint();
  });
  paint();
  return el(
    'div',
    { class: 'probe-draw' },
    el('strong', {}, t('Draw a digit')),
    pad,
    el(
      'span',
      { class: 'muted' },
      t('Centred and scaled as MNIST prepares its digits (20×20 box, centre of mass in the middle).'),
    ),
    clear,
  );
}

/** One slider per feature over its range in the training rows; raw column values shown when scaled. */
function sliders(run: RunSummary, send: (input: ProbeInput, final: boolean) => void): HTMLElement {
  const f = run.features!;
  const values = f.min.map((lo, i) => (lo + f.max[i]) / 2);
  const raw = (v: number, i: number) => (f.mean && f.std ? v * f.std[i] + f.mean[i] : v);
  const rows = f.names.map((name, i) => {
    const span = f.max[i] - f.min[i];
    const input = el('input', {
      type: 'range',
      class: 'probe-slider',
      'data-feature': String(i),
      min: String(f.min[i]),
      max: String(f.max[i]),
      step: String(span > 0 ? span / 200 : 1),
      value: String(values[i]),
      'aria-label': name,
    });
    const shown = el('span', { class: 'probe-value' }, formatNumber(raw(values[i], i)));
    // While dragging, the output follows (one request in flight); the value let go of always goes.
    const update = (final: boolean) => {
      values[i] = Number(input.value);
      shown.textContent = formatNumber(raw(values[i], i));
      send({ kind: 'features', values: [...values] }, final);
    };
    input.addEventListener('input', () => update(false));
    input.addEventListener('change', () => update(true));
    // The column name comes from the data file: text, never markup.
    return el('label', { class: 'probe-slider-row' }, el('span', { class: 'probe-name' }, name), input, shown);
  });
  const reset = el('button', { id: 'probe-send-values' }, t('Probe these values'));
  reset.addEventListener('click', () => send({ kind: 'features', values: [...values] }, true));
  return el(
    'div',
    { id: 'probe-sliders', class: 'probe-sliders' },
    el('strong', {}, t('Feature values (range of the training rows)')),
    ...rows,
    reset,
  );
}
