import type { ProbeInput, ProbeRequest } from '../src/protocol/probeRequest';
import type { LayerFrameMessage, ProbeSource, RunSummary, TelemetryFrameMessage } from '../src/protocol/telemetry';
import { el, formatNumber, formatShape } from './dom';
import { heatmapTiles } from './heatmap';
import { greyCanvas, saliencyCanvas } from './greyImage';
import { buildProbeInputs, classCount } from './probeInputs';
import { className } from './className';
import { t } from '../src/l10n/catalog';

/** The last stroke latencies kept for the E2E's median (ms). */
const KEPT_LATENCIES = 50;

/**
 * The Probe tab, a workbench: choose the probe (a test row by index, at random or of a class, a
 * drawing, slider values — buildProbeInputs) and see, on the run's current weights, the input and
 * what drives the chosen class (saliency over the input; per feature map, activation × gradient),
 * the output (class probabilities, regression values, or an autoencoder's reconstruction beside
 * its input) and every layer's activation. Requests go to the worker between batches
 * (probeRequest.ts); the frames that answer carry the request's id, so the tab measures the time
 * from a stroke's end to its probabilities drawn (`#probe-view[data-stroke-latencies]`).
 */
export class ProbeTab {
  private run: RunSummary | null = null;
  private nextId = 1;
  private target: number | undefined;
  private last: ProbeInput | undefined;
  /** Requests sent and not answered yet: id → time sent (ms), and whether it ended a stroke. */
  private readonly pending = new Map<number, { at: number; wall: number; final: boolean; arrived?: number }>();
  private readonly latencies: number[] = [];
  private readonly splits: string[] = [];
  private readonly inputs = el('div', { id: 'probe-inputs' });
  private readonly message = el('p', { id: 'probe-message', class: 'message' });
  private readonly output = el('div', { id: 'probe-output' });

  constructor(
    private readonly root: HTMLElement,
    private readonly sendRequest: (r: ProbeRequest) => void,
  ) {
    root.replaceChildren(this.inputs, this.message, this.output);
  }

  setRun(run: RunSummary | null): void {
    // The inputs stay (a drawing, slider positions) while what they depend on stays.
    const key = (r: RunSummary | null) =>
      r && JSON.stringify([r.modelPath, r.task, r.testRows, r.image, r.features, r.layers.at(-1)?.outputShape]);
    const same = key(run) === key(this.run);
    this.run = run;
    if (same) return;
    this.target = undefined;
    this.inputs.replaceChildren(
      ...(run && run.task !== 'sequence'
        ? [
            buildProbeInputs(
              run,
              (input, final) => this.send(input, final),
              (cls) => {
                this.target = cls;
                if (this.last) this.send(this.last, false);
              },
            ),
          ]
        : []),
    );
  }

  /** A frame or a probe answer arrived (before it is drawn): when it answers a request, the request's transport time is noted. */
  arrived(source: ProbeSource | undefined): void {
    const id = source?.id;
    const sent = id !== undefined ? this.pending.get(id) : undefined;
    if (sent) sent.arrived ??= Date.now();
  }

  /** The Evaluation tab's gallery and confusion matrix: probe test row `row`. */
  probeRow(row: number): void {
    this.send({ kind: 'row', row }, true);
  }

  showMessage(text: string): void {
    this.message.textContent = text;
  }

  /** A drawing's intermediate state held back while the previous one is being answered. */
  private deferred: ProbeInput | undefined;

  private send(input: ProbeInput, final: boolean): void {
    // While drawing, one request at a time (each answer is a frame the host and this view must
    // carry and draw): a newer state waits for the answer; a stroke's end always goes at once.
    const now = performance.now();
    const busy = [...this.pending.values()].some((p) => now - p.at < 1000);
    if (!final && busy) {
      this.deferred = input;
      return;
    }
    this.deferred = undefined;
    const id = this.nextId++;
    this.last = input;
    this.message.textContent = '';
    this.pending.set(id, { at: performance.now(), wall: Date.now(), final });
    // Requests the worker superseded never answer: forget all but the newest few.
    for (const k of this.pending.keys()) if (k < id - 64) this.pending.delete(k);
    this.sendRequest({ ...input, id, ...(this.target !== undefined ? { target: this.target } : {}) });
  }

  render(frame: TelemetryFrameMessage | null): void {
    const started = performance.now();
    this.draw(frame);
    this.root.dataset.renderMs = (performance.now() - started).toFixed(1);
    this.measure(frame?.probeSource);
  }

  private draw(frame: TelemetryFrameMessage | null): void {
    const run = this.run;
    if (!frame?.probeInput || !frame.probeInputShape) {
      this.output.replaceChildren(el('p', { class: 'muted' }, t('No probe telemetry yet.')));
      return;
    }
    const out = frame.probeOutput ?? new Float32Array(0);
    const classes = run ? classCount(run) : 0;
    const reconstruction = run?.task === 'reconstruction' && run.image;
    const row = el(
      'div',
      { class: 'probe-row' },
      this.inputBox(frame, run),
      reconstruction ? this.reconstruction(frame, run.image!) : this.outputBox(frame, out, classes > 0),
    );
    const maps = frame.layers.filter((l) => l.probeMapImportance);
    this.output.replaceChildren(
      el('p', { id: 'probe-source' }, sourceText(frame.probeSource, out, classes > 0, this.run?.classNames)),
      row,
      ...(maps.length ? [this.mapImportance(maps, frame.probeSaliencyClass)] : []),
      el('h2', {}, t('Activations layer by layer')),
      el('div', { class: 'op-chain' }, ...frame.layers.map(layerBox)),
    );
  }

  /** The time from the request to this draw, once per answered request (stroke ends kept for the E2E). */
  private measure(source: ProbeSource | undefined): void {
    const id = source?.id;
    if (id === undefined) return;
    this.output.dataset.probeId = String(id);
    const sent = this.pending.get(id);
    if (!sent) return;
    for (const k of this.pending.keys()) if (k <= id) this.pending.delete(k);
    if (this.deferred && this.pending.size === 0) this.send(this.deferred, false);
    const ms = performance.now() - sent.at;
    this.root.dataset.lastLatency = ms.toFixed(1);
    if (!sent.final) return;
    // Stroke ends: the total, and where it went (to the frame's arrival; drawing).
    this.latencies.push(ms);
    // Wall-clock legs (ms): to the host / to the worker (the wait for the batch's end) / the worker's
    // answer / to the host / to this view / drawing (from the arrival: the animation frame and the draw).
    const drawn = Date.now();
    const stamps = [source?.hostInAt, source?.takenAt, source?.builtAt, source?.hostOutAt, sent.arrived, drawn];
    let prev = sent.wall;
    const legs = stamps.map((v) => {
      if (v === undefined) return '?';
      const leg = v - prev;
      prev = v;
      return String(leg);
    });
    // …and, last, this draw's own time (the tab's DOM and canvases).
    this.splits.push([...legs, this.root.dataset.renderMs ?? '?'].join('/'));
    if (this.latencies.length > KEPT_LATENCIES) [this.latencies, this.splits].forEach((a) => a.shift());
    this.root.dataset.strokeLatencies = this.latencies.map((v) => v.toFixed(1)).join(',');
    this.root.dataset.strokeSplits = this.splits.join(',');
  }

  private inputBox(frame: TelemetryFrameMessage, run: RunSummary | null): HTMLElement {
    const shape = frame.probeInputShape!;
    const input = frame.probeInput!;
    const image = run?.image;
    const children: HTMLElement[] = [el('strong', {}, t('Input {0}', formatShape(shape)))];
    if (image) {
      const [h, w] = image;
      let lo = Infinity,
        hi = -Infinity;
      for (let i = 0; i < h * w; i++) [lo, hi] = [Math.min(lo, input[i]), Math.max(hi, input[i])];
      children.push(greyCanvas(input, h, w, lo, hi, 4, { id: 'probe-input', title: t('input') }));
      if (frame.probeSaliency)
        children.push(
          el('strong', {}, t('Saliency for class {0}', frame.probeSaliencyClass ?? '—')),
          saliencyCanvas(input, frame.probeSaliency, h, w, 4, {
            id: 'probe-saliency',
            title: t('∂score/∂input over the input: red raises the score, blue lowers it'),
          }),
        );
    } else {
      children.push(el('div', { class: 'fm-grid' }, ...heatmapTiles(input, shape, t('input'), 4, 112)));
      if (frame.probeSaliency)
        children.push(
          el('strong', {}, t('Saliency for output {0}', frame.probeSaliencyClass ?? '—')),
          el(
            'div',
            { id: 'probe-saliency-values', class: 'fm-grid' },
            ...heatmapTiles(frame.probeSaliency, shape, t('∂score/∂input'), 4, 112),
          ),
        );
    }
    return el('div', { class: 'op-box' }, ...children);
  }

  private outputBox(frame: TelemetryFrameMessage, out: Float32Array, classifier: boolean): HTMLElement {
    let top = 0;
    for (let i = 1; i < out.length; i++) if (out[i] > out[top]) top = i;
    const label = frame.probeSource?.kind === 'test' ? frame.probeSource.label : undefined;
    const bars = Array.from(out, (p, i) => {
      const fill = el('div', { class: 'prob-fill' });
      fill.style.width = `${Math.max(0, Math.min(1, classifier ? p : Math.abs(p) / maxAbs(out))) * 100}%`;
      const cls = `prob-bar${i === top && classifier ? ' top' : ''}${i === label ? ' truth' : ''}`;
      return el(
        'div',
        { class: cls },
        el('span', {}, className(this.run?.classNames, i)),
        fill,
        el('span', {}, formatNumber(p, 3)),
      );
    });
    const probs = el(
      'div',
      { id: 'probe-probs', class: 'prob-bars' },
      el(
        'strong',
        { id: 'probe-prediction' },
        classifier
          ? label !== undefined
            ? t(
                'Output (probabilities) · predicted {0} · true {1}',
                className(this.run?.classNames, top),
                className(this.run?.classNames, label),
              )
            : t('Output (probabilities) · predicted {0}', className(this.run?.classNames, top))
          : t('Output (values)'),
      ),
      ...bars,
    );
    probs.dataset.values = Array.from(out, (v) => v.toFixed(5)).join(',');
    return probs;
  }

  /** An autoencoder: its input beside its reconstruction, on one grey scale. */
  private reconstruction(frame: TelemetryFrameMessage, [h, w]: readonly [number, number]): HTMLElement {
    const input = frame.probeInput!;
    const out = frame.probeOutput ?? new Float32Array(0);
    if (out.length !== h * w) return this.outputBox(frame, out, false);
    let lo = Infinity,
      hi = -Infinity,
      se = 0;
    for (let i = 0; i < h * w; i++) {
      lo = Math.min(lo, input[i], out[i]);
      hi = Math.max(hi, input[i], out[i]);
      se += (out[i] - input[i]) ** 2;
    }
    return el(
      'div',
      { class: 'op-box' },
      el('strong', {}, t('Reconstruction · mean squared error {0}', formatNumber(se / (h * w)))),
      greyCanvas(out, h, w, lo, hi, 4, { id: 'probe-reconstruction', title: t('reconstruction') }),
    );
  }

  /** Per feature-map layer: Σ activation × gradient of each map, as signed bars. */
  private mapImportance(layers: readonly LayerFrameMessage[], cls: number | undefined): HTMLElement {
    const boxes = layers.map((l) => {
      const v = l.probeMapImportance!;
      const m = maxAbs(v);
      const bars = Array.from(v, (x, k) => {
        const fill = el('div', { class: `map-fill ${x >= 0 ? 'up' : 'down'}` });
        fill.style.width = `${(Math.abs(x) / m) * 100}%`;
        return el(
          'div',
          { class: 'map-bar', title: t('map {0}: {1}', k, formatNumber(x)) },
          el('span', {}, String(k)),
          fill,
        );
      });
      return el('div', { class: 'op-box map-importance' }, el('strong', {}, `${l.index + 1}. ${l.name}`), ...bars);
    });
    return el(
      'div',
      { id: 'probe-maps' },
      el('h2', {}, t('Which feature maps drive class {0} (activation × gradient, summed per map)', cls ?? '—')),
      el('div', { class: 'op-chain' }, ...boxes),
    );
  }
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) m = Math.max(m, Math.abs(v[i]));
  return m || 1;
}

function sourceText(
  s: ProbeSource | undefined,
  out: Float32Array,
  classifier: boolean,
  names: RunSummary['classNames'],
): string {
  if (!s) return t('The probe: test row 0 (choose another below, or draw).');
  if (s.kind === 'drawn') return t('The probe: your drawing.');
  if (s.kind === 'values') return t('The probe: your feature values.');
  if (s.label === undefined || !classifier) return t('The probe: test row {0}.', s.row);
  let top = 0;
  for (let i = 1; i < out.length; i++) if (out[i] > out[top]) top = i;
  return top === s.label
    ? t(
        'The probe: test row {0}, true class {1}, predicted {2}.',
        s.row,
        className(names, s.label),
        className(names, top),
      )
    : t(
        'The probe: test row {0}, true class {1}, predicted {2} (wrong).',
        s.row,
        className(names, s.label),
        className(names, top),
      );
}

function layerBox(l: LayerFrameMessage): HTMLElement {
  return el(
    'div',
    { class: 'op-box' },
    el('strong', {}, `${l.index + 1}. ${l.name}`),
    el('span', { class: 'muted' }, formatShape(l.probeShape ?? [])),
    el(
      'div',
      { class: 'fm-grid' },
      ...(l.probeActivation && l.probeShape ? heatmapTiles(l.probeActivation, l.probeShape, 'a', 8, 64) : []),
    ),
  );
}
