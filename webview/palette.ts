/*
 * The heatmap palette, from the theme: zero is the editor's background and values blend towards
 * the theme's red (positive) or blue (negative), gates (0..1) towards its yellow. A fixed
 * white-centred map was a glaring white block in dark themes (issue 12, item 7), where most
 * activations and gradients are near zero.
 */
import { cssVar } from './theme';

export { cssVar };

export type Rgb = [number, number, number];

export interface Palette {
  readonly background: Rgb;
  readonly positive: Rgb;
  readonly negative: Rgb;
  readonly gate: Rgb;
  readonly line: string;
  readonly grid: string;
  readonly font: string;
}

/** Magenta: NaN or ±Inf, in every theme. */
export const NON_FINITE: Rgb = [255, 0, 255];

/** A CSS colour (a --vscode-* variable's value) as RGB, through a 1×1 canvas. */
export function toRgb(css: string, fallback: Rgb): Rgb {
  const c = document.createElement('canvas');
  c.width = c.height = 1;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) return fallback;
  ctx.fillStyle = `rgb(${fallback.join(',')})`;
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0], d[1], d[2]];
}

let cached: { key: string; palette: Palette } | undefined;

/** The current theme's palette (re-read when the body's theme class changes). */
export function readPalette(): Palette {
  const key = document.body.className;
  if (cached?.key === key) return cached.palette;
  const palette: Palette = {
    background: toRgb(cssVar('--vscode-editor-background') || '#1e1e1e', [30, 30, 30]),
    positive: toRgb(cssVar('--vscode-charts-red') || '#f14c4c', [241, 76, 76]),
    negative: toRgb(cssVar('--vscode-charts-blue') || '#3794ff', [55, 148, 255]),
    gate: toRgb(cssVar('--vscode-charts-yellow') || '#cca700', [204, 167, 0]),
    line: cssVar('--vscode-charts-orange') || '#d18616',
    grid: cssVar('--vscode-editorWidget-border') || 'rgba(128,128,128,0.35)',
    font: cssVar('--vscode-foreground') || '#cccccc',
  };
  cached = { key, palette };
  return palette;
}

export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];

/** Diverging: v in [−1, 1] from the background (0) to positive/negative; magenta for NaN/Inf. */
export function divergingColour(p: Palette, v: number): Rgb {
  if (!Number.isFinite(v)) return NON_FINITE;
  const t = Math.max(-1, Math.min(1, v));
  return t >= 0 ? mix(p.background, p.positive, t) : mix(p.background, p.negative, -t);
}

/** A gate's value in (0, 1) from the background (0) to the gate colour (1). */
export function gateColour(p: Palette, v: number): Rgb {
  if (!Number.isFinite(v)) return NON_FINITE;
  return mix(p.background, p.gate, Math.max(0, Math.min(1, v)));
}
