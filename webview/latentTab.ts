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

/**
 * The Latent tab: the run's latent.json — a layer's outputs on test rows projected to 2-D (PCA or
 * t-SNE, book E7.6) — as a scatter plot coloured by class, with a legend. Drawn on a canvas sized
 * to the tab; redrawn on theme changes and when a new projection arrives.
 */
export class LatentTab {
  private latent: LatentMessage | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly info: HTMLElement,
    private readonly legend: HTMLElement,
    /** The tab's button, shown once there is a projection. */
    private readonly tabButton: HTMLElement,
    private theme: ThemeColors,
  ) {}

  set(latent: LatentMessage | null): void {
    this.latent = latent;
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
        'Add a "latent" section to the model file (an autoencoder\'s encoding layer, say) to see its projection here after training.',
      );
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
        : t('t-SNE (only neighbourhoods mean something; the axes do not)');
    info.textContent = t(
      '{0} ({1} values) on {2} test rows, {3}.',
      l.layer,
      l.width,
      l.rows.toLocaleString('en-US'),
      how,
    );
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
    ctx.globalAlpha = 0.75;
    l.points.forEach(([x, y], i) => {
      ctx.fillStyle = colors[(l.labels?.[i] ?? 0) % colors.length];
      ctx.beginPath();
      ctx.arc(pad + (x - x0) * sx, height - pad - (y - y0) * sy, 2.2, 0, 2 * Math.PI);
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    const classes = [...new Set(l.labels ?? [])].sort((a, b) => a - b);
    for (const c of classes) {
      // Colour through the CSSOM: the panel's content security policy forbids style attributes.
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = colors[c % colors.length];
      legend.append(el('span', { class: 'legend-item' }, swatch, String(c)));
    }
    this.canvas.dataset.points = String(l.points.length);
  }
}
