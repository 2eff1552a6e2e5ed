import type { Tensor } from '../engine';

/**
 * The projected rows' inputs as small greyscale images, for the Latent tab's hover: 16 grey
 * levels (4 bits) per pixel, two pixels a byte (the first in the high nibble), each image
 * stretched from its own darkest to brightest pixel, so any input scaling draws the same.
 * 10,000 MNIST digits take 3.9 MB (5.2 MB as base64 in latent.json).
 */
export interface LatentImages {
  readonly height: number;
  readonly width: number;
  readonly levels: 16;
  /** base64 of rows × ⌈height·width / 2⌉ bytes, row i's image at byte i·⌈height·width / 2⌉. */
  readonly data: string;
}

/** Bytes per packed image. */
export const imageBytes = (height: number, width: number) => Math.ceil((height * width) / 2);

/**
 * The image shape of a test set's rows: [rows, 1, h, w] or [rows, h, w] (image layout), or
 * [rows, 784] as MNIST's flat layout (28 × 28); undefined for other inputs (tables, text).
 */
export function imageShape(shape: readonly number[]): [number, number] | undefined {
  const fits = (h: number, w: number) => h >= 8 && w >= 8 && h <= 64 && w <= 64;
  if (shape.length === 4 && shape[1] === 1 && fits(shape[2], shape[3])) return [shape[2], shape[3]];
  if (shape.length === 3 && fits(shape[1], shape[2])) return [shape[1], shape[2]];
  if (shape.length === 2 && shape[1] === 784) return [28, 28];
  return undefined;
}

/** The first `rows` test inputs packed as LatentImages, or undefined when they are not images. */
export function latentImages(xTest: Tensor, rows: number): LatentImages | undefined {
  const shape = imageShape(xTest.shape);
  if (!shape) return undefined;
  const [height, width] = shape;
  const pixels = height * width;
  const per = imageBytes(height, width);
  const out = Buffer.alloc(rows * per);
  const x = xTest.data;
  for (let r = 0; r < rows; r++) {
    let lo = Infinity,
      hi = -Infinity;
    for (let p = 0; p < pixels; p++) {
      const v = x[r * pixels + p];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const scale = hi > lo ? 15 / (hi - lo) : 0;
    for (let p = 0; p < pixels; p++) {
      const level = Math.round((x[r * pixels + p] - lo) * scale);
      out[r * per + (p >> 1)] |= p & 1 ? level : level << 4;
    }
  }
  return { height, width, levels: 16, data: out.toString('base64') };
}
