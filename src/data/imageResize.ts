import type { RgbaImage } from './imageDecode';

/*
 * An RGBA image → the declared [channels, height, width], values 0..255 (before scaling):
 * - alpha is composited on black (value·alpha/255): a transparent background reads as 0, as the
 *   background of MNIST-style white-on-black digits does; opaque images are unchanged;
 * - 1 channel is luma, 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as Pillow's convert('L'));
 *   3 channels are R, G, B;
 * - resizing is area averaging: each output pixel is the mean of the source area it covers,
 *   weighted by exact overlap (TensorFlow's 'area'), so shrinking does not alias; enlarging repeats
 *   pixels (blending at the seams). At whole-number ratios this equals PyTorch's 'area' (3e-14) and
 *   Pillow's BOX (1e-5, its float32); at other ratios those two weigh whole source pixels instead. The aspect ratio is not kept: the image is stretched to the shape, as
 *   Keras' image_dataset_from_directory does by default.
 */

/** For each output index along one axis: the first source index and the weights from there (summing to 1). */
interface AxisTaps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float64Array;
  readonly offset: Int32Array;
}

/** Output pixel i covers source [i·s, (i+1)·s), s = from/to; weights are the overlaps divided by s. */
function axisTaps(from: number, to: number): AxisTaps {
  const s = from / to;
  const first = new Int32Array(to),
    count = new Int32Array(to),
    offset = new Int32Array(to);
  const all: number[] = [];
  for (let i = 0; i < to; i++) {
    const lo = i * s,
      hi = Math.min(from, (i + 1) * s);
    const j0 = Math.floor(lo),
      j1 = Math.min(from, Math.ceil(hi));
    first[i] = j0;
    count[i] = j1 - j0;
    offset[i] = all.length;
    for (let j = j0; j < j1; j++) all.push((Math.min(hi, j + 1) - Math.max(lo, j)) / s);
  }
  return { first, count, weights: Float64Array.from(all), offset };
}

/**
 * Writes the image as [channels, height, width] into `out` at `at` (values 0..255).
 * `channels` is 1 (luma) or 3 (RGB). Memory: one [source height, width] float row buffer per channel.
 */
export function writeResized(
  img: RgbaImage,
  channels: 1 | 3,
  height: number,
  width: number,
  out: { [i: number]: number },
  at: number,
): void {
  const { data } = img;
  const sw = img.width,
    sh = img.height;
  const xs = axisTaps(sw, width),
    ys = axisTaps(sh, height);
  const value =
    channels === 1
      ? (p: number) => ((0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2]) * data[p + 3]) / 255
      : (p: number, c: number) => (data[p + c] * data[p + 3]) / 255;
  // Horizontal pass: every source row → `width` values; then vertical: `height` rows of those.
  const rows = new Float64Array(sh * width);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < sh; y++) {
      const rowStart = y * sw * 4;
      for (let x = 0; x < width; x++) {
        let sum = 0;
        const o = xs.offset[x];
        for (let k = 0; k < xs.count[x]; k++) sum += xs.weights[o + k] * value(rowStart + (xs.first[x] + k) * 4, c);
        rows[y * width + x] = sum;
      }
    }
    const plane = at + c * height * width;
    for (let y = 0; y < height; y++) {
      const o = ys.offset[y];
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = 0; k < ys.count[y]; k++) sum += ys.weights[o + k] * rows[(ys.first[y] + k) * width + x];
        out[plane + y * width + x] = sum;
      }
    }
  }
}
