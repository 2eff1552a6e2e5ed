/*
 * A hand-drawn digit as MNIST prepares its digits (LeCun et al.: "the images were size normalized
 * to fit in a 20×20 pixel box while preserving their aspect ratio … and centered in a 28×28 image
 * by computing the center of mass of the pixels, and translating the image so as to position this
 * point at the center of the 28×28 field"). The strokes are kept as polylines and rasterised once
 * at the final scale, so the pen is MNIST's thickness (PEN_WIDTH pixels of the 28×28 image)
 * however large the user drew, with anti-aliased edges (4×4 samples a pixel).
 * Pure code: the panel's Probe tab draws with it, unit tests check it.
 */

/** A stroke: points [x, y] in any drawing unit (y down), in the order drawn. */
export type Stroke = readonly (readonly [number, number])[];

/** Pen width in output pixels: MNIST strokes are 2–3 pixels wide. */
export const PEN_WIDTH = 2.6;
const SUB = 4;

export interface DigitImageOptions {
  /** Output side (28). */
  readonly size?: number;
  /** Side of the box the inked digit is scaled to fit (20). */
  readonly box?: number;
  readonly penWidth?: number;
}

/**
 * The strokes as a size×size grey image (row-major, 0 = background, 1 = ink): the inked digit
 * (strokes and pen) scaled to fit `box`×`box` keeping its aspect ratio, its centre of mass moved
 * to the image's centre. No strokes: all zeros.
 */
export function digitImage(strokes: readonly Stroke[], opts: DigitImageOptions = {}): Float32Array {
  const size = opts.size ?? 28;
  const box = opts.box ?? 20;
  const pen = opts.penWidth ?? PEN_WIDTH;
  const pts = strokes.flat();
  if (pts.length === 0) return new Float32Array(size * size);
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of pts) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  // The ink's extent is the points' extent plus the pen: that is what fits the box.
  const extent = Math.max(x1 - x0, y1 - y0);
  const scale = extent > 0 ? Math.max(0, box - pen) / extent : 1;
  const place = (dx: number, dy: number) =>
    strokes.map((s) => s.map(([x, y]): [number, number] => [(x - x0) * scale + dx, (y - y0) * scale + dy]));
  // First the bounding box centred, then moved so the centre of mass is the image's centre.
  const bx = (size - (x1 - x0) * scale) / 2;
  const by = (size - (y1 - y0) * scale) / 2;
  const first = rasterise(place(bx, by), size, pen);
  const [cx, cy] = centreOfMass(first, size);
  if (!Number.isFinite(cx)) return first;
  return rasterise(place(bx + size / 2 - cx, by + size / 2 - cy), size, pen);
}

/** Centre of mass [x, y] of a size×size image, pixel i's centre at i + 0.5 (NaN for a blank image). */
export function centreOfMass(img: ArrayLike<number>, size: number): [number, number] {
  let m = 0,
    sx = 0,
    sy = 0;
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      const v = img[r * size + c];
      m += v;
      sx += v * (c + 0.5);
      sy += v * (r + 0.5);
    }
  return [sx / m, sy / m];
}

/** Polylines of width `pen` (output pixels) as coverage in [0, 1]: SUB×SUB samples per pixel. */
function rasterise(strokes: readonly Stroke[], size: number, pen: number): Float32Array {
  const n = size * SUB;
  const ink = new Uint8Array(n * n);
  const r = (pen / 2) * SUB;
  for (const s of strokes) {
    const p = s.map(([x, y]) => [x * SUB, y * SUB] as const);
    for (let i = 0; i < p.length; i++) {
      const [ax, ay] = p[i];
      const [bx, by] = p[Math.min(i + 1, p.length - 1)];
      const lo = (v: number) => Math.max(0, Math.floor(v - r));
      const hi = (v: number) => Math.min(n - 1, Math.ceil(v + r));
      const dx = bx - ax,
        dy = by - ay;
      const len2 = dx * dx + dy * dy;
      for (let yy = lo(Math.min(ay, by)); yy <= hi(Math.max(ay, by)); yy++)
        for (let xx = lo(Math.min(ax, bx)); xx <= hi(Math.max(ax, bx)); xx++) {
          // Distance from the sample's centre to the segment a–b.
          const px = xx + 0.5 - ax,
            py = yy + 0.5 - ay;
          const u = len2 > 0 ? Math.max(0, Math.min(1, (px * dx + py * dy) / len2)) : 0;
          const ex = px - u * dx,
            ey = py - u * dy;
          if (ex * ex + ey * ey <= r * r) ink[yy * n + xx] = 1;
        }
    }
  }
  const out = new Float32Array(size * size);
  for (let yy = 0; yy < n; yy++)
    for (let xx = 0; xx < n; xx++)
      if (ink[yy * n + xx]) out[Math.floor(yy / SUB) * size + Math.floor(xx / SUB)] += 1 / (SUB * SUB);
  return out;
}
