import { Raster } from './canvas';
import { divergingIn, IMAGE_PALETTES, type ImagePalette } from './palette';
import { pngDataUri } from './png';

/**
 * Sparkline of a positive series (gradient norms) on a log scale, so vanishing and exploding
 * gradients both stay visible. Non-finite values are drawn as magenta ticks at the top.
 */
export function sparkline(
  values: readonly number[],
  width = 160,
  height = 36,
  palette: ImagePalette = IMAGE_PALETTES.dark,
): string {
  const r = new Raster(width, height);
  const LINE = palette.line;
  // Two pixels thick: a one-pixel line was hard to see at the hover's size.
  const line = (x0: number, y0: number, x1: number, y1: number) => {
    r.line(x0, y0, x1, y1, LINE);
    r.line(x0, y0 + 1, x1, y1 + 1, LINE);
  };
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  if (finite.length > 0) {
    // A loop, not Math.min(...logs): a spread of a long series overflows the stack.
    let lo = Infinity,
      hi = -Infinity;
    for (const v of finite) {
      const l = Math.log10(v);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
    if (hi - lo < 1e-9) {
      lo -= 0.5;
      hi += 0.5;
    }
    let prev: [number, number] | null = null;
    values.forEach((v, i) => {
      const x = values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 1);
      if (!(Number.isFinite(v) && v > 0)) {
        r.line(x, 0, x, 4, palette.nonFinite);
        prev = null;
        return;
      }
      const y = height - 2 - ((Math.log10(v) - lo) / (hi - lo)) * (height - 4);
      // One sample (a short run's only frame) is a level: a flat line, not a lone pixel.
      if (values.length === 1) line(0, y, width - 1, y);
      else if (prev) line(prev[0], prev[1], x, y);
      else line(x, y, x, y);
      prev = [x, y];
    });
  }
  return pngDataUri(width, height, r.pixels);
}

/** Bars of a histogram's counts (height ∝ √count so small tails stay visible). */
export function histogramImage(
  counts: ArrayLike<number>,
  width = 160,
  height = 36,
  palette: ImagePalette = IMAGE_PALETTES.dark,
): string {
  const r = new Raster(width, height);
  let max = 0;
  for (let i = 0; i < counts.length; i++) max = Math.max(max, counts[i]);
  const bw = width / Math.max(1, counts.length);
  for (let i = 0; i < counts.length; i++) {
    const h = max > 0 ? Math.sqrt(counts[i] / max) * (height - 1) : 0;
    if (h > 0) r.rect(i * bw, height - h, Math.max(1, bw - 1), h, palette.bar);
  }
  return pngDataUri(width, height, r.pixels);
}

/** A montage of feature maps [c, h, w]: up to `maxTiles` tiles in a grid, diverging colours (zero: the theme's background). */
export function montage(
  values: ArrayLike<number>,
  shape: readonly number[],
  maxTiles = 16,
  pixel = 2,
  palette: ImagePalette = IMAGE_PALETTES.dark,
): string {
  const [c, h, w] = shape;
  const n = Math.min(c, maxTiles);
  const cols = Math.min(n, 8);
  const rows = Math.ceil(n / cols);
  const gap = 2;
  const r = new Raster(cols * (w * pixel + gap), rows * (h * pixel + gap));
  let scale = 0;
  for (let i = 0; i < n * h * w; i++) if (Number.isFinite(values[i])) scale = Math.max(scale, Math.abs(values[i]));
  scale ||= 1;
  for (let t = 0; t < n; t++) {
    const ox = (t % cols) * (w * pixel + gap),
      oy = Math.floor(t / cols) * (h * pixel + gap);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        r.rect(
          ox + x * pixel,
          oy + y * pixel,
          pixel,
          pixel,
          divergingIn(palette, values[t * h * w + y * w + x] / scale),
        );
  }
  return pngDataUri(r.width, r.height, r.pixels);
}
