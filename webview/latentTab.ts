import type { LatentMessage } from '../src/protocol/telemetry';
import { el } from './dom';
import type { ThemeColors } from './theme';
import { t } from '../src/l10n/catalog';

/** One colour per class (digit), from VS Code's chart palette first, then fixed hues. */
function palette(theme: ThemeColors): string[] {
  const css = (name: string, fallback: string) =>
    getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  return [
    css('--vscode-charts-blue', '#3794ff'),
    css('--vscode-charts-orange', '#d18616'),
    css('--vscode-charts-green', '#89d185'),
    css('--vscode-charts-red', '#f14c4c'),
    css('--vscode-charts-purple', '#b180d7'),
    css('--vscode-charts-yellow', '#cca700'),
    '#17becf',
    '#e377c2',
    '#8c564b',
    theme.foreground,
  ];
}

/** How close (CSS pixels) the pointer must be to a point for its tooltip. */
const HOVER_RADIUS = 8;
/** The tooltip's image is drawn at this many screen pixels per image pixel. */
const TIP_SCALE = 3;

/**
 * The Latent tab: a layer's outputs on test rows projected to 2-D (PCA or t-SNE, book E7.6) as a
 * scatter plot coloured by class, with a legend. During training it shows the quick projections
 * the run sends every few seconds (liveLatent.ts), then latent.json's. Hovering a point shows its
 * label and, for image data, the input image (from the message's packed 4-bit images). Drawn on a
 * canvas sized to the tab; redrawn on theme changes and when a new projection arrives.
 */
export class LatentTab {
  private latent: LatentMessage | null = null;
  /** The images, unpacked from base64 once per message: rows × ⌈h·w/2⌉ bytes. */
  private imageBytes: Uint8Array | null = null;
  /** Screen position (CSS pixels) of each point at the last render: [rows × 2]. */
  private screen = new Float32Array(0);
  private readonly tip: HTMLDivElement;
  private readonly tipImage: HTMLCanvasElement;
  private readonly tipLabel: HTMLSpanElement;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly info: HTMLElement,
    private readonly legend: HTMLElement,
    /** The tab's button, shown once there is a projection. */
    private readonly tabButton: HTMLElement,
    private theme: ThemeColors,
  ) {
    this.tipImage = el('canvas', { id: 'latent-tip-image', 'aria-label': t('the input of the hovered point') });
    this.tipLabel = el('span', { id: 'latent-tip-label' });
    this.tip = el('div', { id: 'latent-tip', class: 'latent-tip', role: 'tooltip' }, this.tipImage, this.tipLabel);
    this.tip.hidden = true;
    canvas.parentElement?.append(this.tip);
    canvas.addEventListener('mousemove', (e) => this.hover(e.offsetX, e.offsetY));
    canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
  }

  set(latent: LatentMessage | null): void {
    this.latent = latent;
    this.imageBytes = latent?.images ? decodeBase64(latent.images.data) : null;
    this.tip.hidden = true;
    this.tabButton.toggleAttribute('hidden', latent === null);
    this.render();
  }

  applyTheme(theme: ThemeColors): void {
    this.theme = theme;
    this.render();
  }

  render(): void {
    const l = this.latent;
    const { info, legend } = this;
    legend.replaceChildren();
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(200, this.canvas.clientWidth),
      height = Math.max(200, this.canvas.clientHeight);
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (!l) {
      info.textContent = t(
        'Add a "latent" section to the model file (an autoencoder\'s encoding layer, say) to see its projection here during and after training.',
      );
      this.screen = new Float32Array(0);
      return;
    }
    const how =
      l.method === 'pca'
        ? l.explainedVariance
          ? t(
              'PCA ({0}% + {1}% of the variance)',
              (100 * l.explainedVariance[0]).toFixed(1),
              (100 * l.explainedVariance[1]).toFixed(1),
            )
          : 'PCA'
        : l.algorithm === 'barnesHut'
          ? t('Barnes–Hut t-SNE (only neighbourhoods mean something; the axes do not)')
          : t('t-SNE (only neighbourhoods mean something; the axes do not)');
    const live = l.live
      ? ' ' +
        t(
          'Training: after step {0} (epoch {1}), redrawn every few seconds; all rows when the run completes.',
          l.live.step,
          l.live.epoch,
        )
      : '';
    const hover = l.images
      ? ' ' + t('Hover a point for its label and image.')
      : l.labels
        ? ' ' + t('Hover a point for its label.')
        : '';
    info.textContent =
      t('{0} ({1} values) on {2} test rows, {3}.', l.layer, l.width, l.rows.toLocaleString('en-US'), how) +
      live +
      hover;
    let x0 = Infinity,
      x1 = -Infinity,
      y0 = Infinity,
      y1 = -Infinity;
    for (const [x, y] of l.points) {
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    const pad = 12,
      sx = (width - 2 * pad) / (x1 - x0 || 1),
      sy = (height - 2 * pad) / (y1 - y0 || 1);
    const colors = palette(this.theme);
    const screen = new Float32Array(2 * l.points.length);
    ctx.globalAlpha = 0.75;
    l.points.forEach(([x, y], i) => {
      const px = pad + (x - x0) * sx,
        py = height - pad - (y - y0) * sy;
      screen[2 * i] = px;
      screen[2 * i + 1] = py;
      ctx.fillStyle = colors[(l.labels?.[i] ?? 0) % colors.length];
      ctx.beginPath();
      ctx.arc(px, py, 2.2, 0, 2 * Math.PI);
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    this.screen = screen;
    const classes = [...new Set(l.labels ?? [])].sort((a, b) => a - b);
    for (const c of classes) {
      // Colour through the CSSOM: the panel's content security policy forbids style attributes.
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = colors[c % colors.length];
      legend.append(el('span', { class: 'legend-item' }, swatch, String(c)));
    }
    this.canvas.dataset.points = String(l.points.length);
    this.canvas.dataset.live = l.live ? 'true' : 'false';
  }

  /** The point nearest the pointer (within HOVER_RADIUS): its label and image in the tooltip. */
  private hover(x: number, y: number): void {
    const l = this.latent;
    const s = this.screen;
    let best = -1,
      bestD = HOVER_RADIUS * HOVER_RADIUS;
    for (let i = 0; i < s.length / 2; i++) {
      const d = (s[2 * i] - x) ** 2 + (s[2 * i + 1] - y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    if (!l || best < 0) {
      this.tip.hidden = true;
      return;
    }
    const label = l.labels?.[best];
    this.tipLabel.textContent =
      label !== undefined ? t('label {0}, test row {1}', label, best) : t('test row {0}', best);
    this.tipImage.hidden = !this.drawImage(best);
    this.tip.dataset.row = String(best);
    this.tip.hidden = false;
    // Beside the pointer, flipped to its left or above it near the right or bottom edge.
    const box = this.canvas.getBoundingClientRect();
    const w = this.tip.offsetWidth,
      h = this.tip.offsetHeight;
    this.tip.style.left = `${x + 12 + w > box.width ? x - 12 - w : x + 12}px`;
    this.tip.style.top = `${y + 12 + h > box.height ? y - 12 - h : y + 12}px`;
  }

  /** Draws row i's image into the tooltip's canvas (grey levels 0–15 → 0–255); false when there is none. */
  private drawImage(i: number): boolean {
    const images = this.latent?.images,
      bytes = this.imageBytes;
    if (!images || !bytes) return false;
    const { height, width } = images;
    const per = Math.ceil((height * width) / 2);
    if ((i + 1) * per > bytes.length) return false;
    this.tipImage.width = width;
    this.tipImage.height = height;
    this.tipImage.style.width = `${width * TIP_SCALE}px`;
    this.tipImage.style.height = `${height * TIP_SCALE}px`;
    const ctx = this.tipImage.getContext('2d');
    if (!ctx) return false;
    const img = ctx.createImageData(width, height);
    for (let p = 0; p < height * width; p++) {
      const b = bytes[i * per + (p >> 1)];
      const v = 17 * (p & 1 ? b & 15 : b >> 4);
      img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = v;
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return true;
  }
}

function decodeBase64(data: string): Uint8Array {
  const s = atob(data);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
