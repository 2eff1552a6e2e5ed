import type {
  HistogramMessage,
  LayerFrameMessage,
  StatsMessage,
  TelemetryFrameMessage,
} from '../src/protocol/telemetry';
import type { LayerStatsSample } from '../src/protocol/layerHistory';
import { el, formatNumber } from './dom';
import { readTheme } from './theme';

/** Samples kept per series in the webview (older ones are thinned 2:1). */
const MAX_SAMPLES = 400;

interface Sample {
  readonly step: number;
  readonly s: StatsMessage;
}

type Series = 'activation' | 'weight' | 'gradient';
const SERIES: readonly Series[] = ['activation', 'weight', 'gradient'];

/**
 * The Layers tab: for every layer, distributions over time of its activations, weights and
 * gradients (min–max band, mean ± std band, mean line) and the latest histogram, like
 * TensorBoard's distributions but live. Drawn only while the tab is visible.
 */
export class LayersTab {
  private readonly history = new Map<string, Sample[]>();
  private latest: TelemetryFrameMessage | null = null;

  constructor(private readonly root: HTMLElement) {}

  /** Starts over from a snapshot's history (per layer, oldest first). */
  reset(history: readonly (readonly LayerStatsSample[])[] = []): void {
    this.history.clear();
    this.latest = null;
    this.root.replaceChildren();
    history.forEach((samples, index) => {
      for (const kind of SERIES) {
        const list = samples.flatMap((x) => (x[kind] ? [{ step: x.step, s: x[kind] as StatsMessage }] : []));
        if (list.length) this.history.set(`${index}/${kind}`, list);
      }
    });
  }

  /**
   * Adds a frame, after the summaries of the frames the host coalesced away (`earlier`, per layer,
   * oldest first), skipping samples already in the history from the snapshot.
   */
  add(frame: TelemetryFrameMessage, earlier: readonly (readonly LayerStatsSample[])[] = []): void {
    this.latest = frame;
    earlier.forEach((samples, index) => {
      for (const x of samples) for (const kind of SERIES) this.push(index, kind, x.step, x[kind]);
    });
    for (const l of frame.layers) for (const kind of SERIES) this.push(l.index, kind, frame.step, stat(l, kind));
  }

  private push(index: number, kind: Series, step: number, s: StatsMessage | undefined): void {
    if (!s) return;
    const key = `${index}/${kind}`;
    const h = this.history.get(key) ?? [];
    if (h.length && h[h.length - 1].step >= step) return;
    h.push({ step, s });
    if (h.length > MAX_SAMPLES)
      this.history.set(
        key,
        h.filter((_, i) => i % 2 === 1),
      );
    else this.history.set(key, h);
  }

  render(): void {
    const f = this.latest;
    if (!f) {
      this.root.replaceChildren(
        el('p', { class: 'muted' }, 'No telemetry yet: train the model (telemetry rate > 0 in settings).'),
      );
      return;
    }
    const t = readTheme();
    // Canvases are drawn once they are laid out, at their box's size in device pixels: a fixed
    // 320×90 canvas stretched to a full-width row stretched its labels (issue 12, item 7).
    const draws: (() => void)[] = [];
    this.root.replaceChildren(
      ...f.layers.map((l) => {
        const cells = SERIES.filter((k) => stat(l, k)).map((kind) => {
          const canvas = el('canvas', { width: '320', height: '90' });
          const hist = histogramOf(l, kind);
          const s = stat(l, kind) as StatsMessage;
          const samples = this.history.get(`${l.index}/${kind}`) ?? [];
          draws.push(() => {
            fitToBox(canvas);
            drawDistribution(canvas, samples, hist, t.train, t.test, t.foreground);
          });
          const nan = s.nanCount + s.infCount > 0 ? ` · ${s.nanCount} NaN, ${s.infCount} Inf` : '';
          return el(
            'div',
            { class: 'dist-cell' },
            el(
              'div',
              {},
              `${kind} · mean ${formatNumber(s.mean)} · std ${formatNumber(s.std)} · ‖·‖ ${formatNumber(s.norm)}${nan}`,
            ),
            canvas,
          );
        });
        const extra = l.weight ? ` · update ratio ${formatNumber(l.updateRatio)}` : '';
        return el(
          'div',
          { class: 'dist-layer' },
          el(
            'h3',
            {},
            `${l.index + 1}. ${l.name} (${l.kind})${extra} · ${(100 * l.deadFraction).toFixed(0)}% dead units`,
          ),
          el('div', { class: 'dist-row' }, ...cells),
        );
      }),
    );
    for (const d of draws) d();
  }
}

function stat(l: LayerFrameMessage, kind: Series): StatsMessage | undefined {
  return kind === 'activation' ? l.activation : kind === 'weight' ? l.weight : l.gradient;
}

function histogramOf(l: LayerFrameMessage, kind: Series): HistogramMessage | undefined {
  return kind === 'activation' ? l.activationHistogram : kind === 'weight' ? l.weightHistogram : l.gradientHistogram;
}

/** Sizes a canvas's bitmap to its laid-out box in device pixels; its 2-D context then draws in CSS pixels. */
function fitToBox(canvas: HTMLCanvasElement): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth || 320)),
    h = Math.max(1, Math.round(canvas.clientHeight || 90));
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  canvas.getContext('2d')?.setTransform(dpr, 0, 0, dpr, 0, 0);
}

/** Left 75%: bands over time; right 25%: the latest histogram, sideways, sharing the y axis. */
function drawDistribution(
  canvas: HTMLCanvasElement,
  samples: readonly Sample[],
  hist: HistogramMessage | undefined,
  band: string,
  bars: string,
  fg: string,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx || samples.length === 0) return;
  // In CSS pixels (fitToBox scaled the context by the device pixel ratio).
  const dpr = window.devicePixelRatio || 1;
  const W = canvas.width / dpr,
    H = canvas.height / dpr,
    plotW = W * 0.75;
  let lo = Infinity,
    hi = -Infinity;
  for (const { s } of samples) {
    if (Number.isFinite(s.min)) lo = Math.min(lo, s.min);
    if (Number.isFinite(s.max)) hi = Math.max(hi, s.max);
  }
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const y = (v: number) => H - 2 - ((v - lo) / (hi - lo)) * (H - 4);
  // A single sample is drawn as a full-width band rather than an invisible sliver.
  const pts = samples.length === 1 ? [samples[0], samples[0]] : samples;
  samples = pts;
  const x = (i: number) => (i / (pts.length - 1)) * plotW;
  const fillBand = (top: (s: StatsMessage) => number, bottom: (s: StatsMessage) => number, alpha: number) => {
    ctx.globalAlpha = alpha;
    ctx.fillStyle = band;
    ctx.beginPath();
    samples.forEach((p, i) => (i ? ctx.lineTo(x(i), y(top(p.s))) : ctx.moveTo(x(i), y(top(p.s)))));
    for (let i = samples.length - 1; i >= 0; i--) ctx.lineTo(x(i), y(bottom(samples[i].s)));
    ctx.closePath();
    ctx.fill();
  };
  fillBand(
    (s) => s.max,
    (s) => s.min,
    0.2,
  );
  fillBand(
    (s) => Math.min(s.max, s.mean + s.std),
    (s) => Math.max(s.min, s.mean - s.std),
    0.45,
  );
  ctx.globalAlpha = 1;
  ctx.strokeStyle = band;
  ctx.beginPath();
  samples.forEach((p, i) => (i ? ctx.lineTo(x(i), y(p.s.mean)) : ctx.moveTo(x(i), y(p.s.mean))));
  ctx.stroke();
  if (hist && Number.isFinite(hist.min) && Number.isFinite(hist.max)) {
    let max = 0;
    for (const c of hist.counts) max = Math.max(max, c);
    const n = hist.counts.length,
      binH = (hist.max - hist.min) / n;
    ctx.fillStyle = bars;
    for (let b = 0; b < n; b++) {
      const len = max ? (hist.counts[b] / max) * (W - plotW - 4) : 0;
      const top = y(hist.min + (b + 1) * binH),
        bottom = y(hist.min + b * binH);
      ctx.fillRect(plotW + 4, top, len, Math.max(1, bottom - top));
    }
  }
  ctx.fillStyle = fg;
  ctx.font = '10px sans-serif';
  ctx.fillText(formatNumber(hi), 2, 10);
  ctx.fillText(formatNumber(lo), 2, H - 3);
}
