import { el, formatNumber } from './dom';
import { divergingColour, readPalette } from './palette';

export function maxAbs(values: ArrayLike<number>, from = 0, to = values.length): number {
  let m = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(values[i])) m = Math.max(m, Math.abs(values[i]));
  return m || 1;
}

/**
 * One h×w heatmap canvas of `count` values starting at `offset` (a shorter last row stays
 * transparent), scaled by `scale`, `pixel` screen pixels per value; the cell value shows on hover.
 */
export function heatmapTile(
  values: ArrayLike<number>,
  offset: number,
  h: number,
  w: number,
  scale: number,
  pixel: number,
  label: string,
  count = h * w,
): HTMLElement {
  const canvas = el('canvas', { width: String(w), height: String(h), title: label });
  canvas.style.width = `${w * pixel}px`;
  canvas.style.height = `${h * pixel}px`;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(w, h);
    const palette = readPalette();
    for (let i = 0; i < count; i++) {
      const [r, g, b] = divergingColour(palette, values[offset + i] / scale);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }
  canvas.addEventListener('mousemove', (e) => {
    const x = Math.floor(e.offsetX / pixel),
      y = Math.floor(e.offsetY / pixel);
    const i = y * w + x;
    canvas.title = i < count ? `${label} (${y}, ${x}) = ${formatNumber(values[offset + i])}` : label;
  });
  return el('div', { class: 'fm-tile' }, canvas, el('span', {}, label));
}

/** Tiles for a [c, h, w] map (one per channel, at most `maxTiles`) or a vector (one strip). */
export function heatmapTiles(
  values: ArrayLike<number>,
  shape: readonly number[],
  what: string,
  maxTiles = 64,
  size = 96,
): HTMLElement[] {
  const scale = maxAbs(values);
  if (shape.length === 3) {
    const [c, h, w] = shape;
    const pixel = Math.max(1, Math.floor(size / Math.max(h, w)));
    return Array.from({ length: Math.min(c, maxTiles) }, (_, ch) =>
      heatmapTile(values, ch * h * w, h, w, scale, pixel, `${what} ${ch}`),
    );
  }
  const n = values.length;
  if (n === 784) return [heatmapTile(values, 0, 28, 28, scale, Math.max(1, Math.floor(size / 28)), `${what} 28×28`)];
  const cols = Math.min(n, 32);
  return [
    heatmapTile(values, 0, Math.ceil(n / cols), cols, scale, Math.max(2, Math.floor(size / 12)), `${n} values`, n),
  ];
}
