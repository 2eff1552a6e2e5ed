import { el } from './dom';
import { divergingColour, readPalette } from './palette';

/** An h×w canvas drawn `pixel` screen pixels per value, unsmoothed, and its 2-D context (null if none). */
function pixelCanvas(
  h: number,
  w: number,
  pixel: number,
  attrs: Record<string, string>,
): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D | null } {
  const canvas = el('canvas', { width: String(w), height: String(h), ...attrs });
  canvas.style.width = `${w * pixel}px`;
  canvas.style.height = `${h * pixel}px`;
  canvas.style.imageRendering = 'pixelated';
  return { canvas, ctx: canvas.getContext('2d') };
}

/**
 * An h×w canvas of grey values mapped from [lo, hi] to black…white (as MNIST is shown: ink
 * white on black), `pixel` screen pixels per value.
 */
export function greyCanvas(
  values: ArrayLike<number>,
  h: number,
  w: number,
  lo: number,
  hi: number,
  pixel: number,
  attrs: Record<string, string> = {},
): HTMLCanvasElement {
  const { canvas, ctx } = pixelCanvas(h, w, pixel, attrs);
  if (!ctx) return canvas;
  const img = ctx.createImageData(w, h);
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < h * w; i++) {
    const v = Math.round(255 * Math.max(0, Math.min(1, (values[i] - lo) / span))) || 0;
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

/**
 * The saliency drawn over the input: the input in grey, tinted towards the theme's red where the
 * gradient is positive (more ink there raises the score) and its blue where negative, in
 * proportion to |gradient| / max |gradient|.
 */
export function saliencyCanvas(
  input: ArrayLike<number>,
  grad: ArrayLike<number>,
  h: number,
  w: number,
  pixel: number,
  attrs: Record<string, string> = {},
): HTMLCanvasElement {
  const { canvas, ctx } = pixelCanvas(h, w, pixel, attrs);
  if (!ctx) return canvas;
  let lo = Infinity,
    hi = -Infinity,
    g = 0;
  for (let i = 0; i < h * w; i++) {
    lo = Math.min(lo, input[i]);
    hi = Math.max(hi, input[i]);
    if (Number.isFinite(grad[i])) g = Math.max(g, Math.abs(grad[i]));
  }
  const span = hi > lo ? hi - lo : 1;
  const p = readPalette();
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    // The input dimmed to 40% so the tint reads over white ink as over black background.
    const grey = Math.round(100 * ((input[i] - lo) / span)) || 0;
    const base: [number, number, number] = [grey, grey, grey];
    const s = g > 0 ? grad[i] / g : 0;
    img.data.set([...divergingColour({ ...p, background: base }, Math.max(-1, Math.min(1, 1.5 * s))), 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}
