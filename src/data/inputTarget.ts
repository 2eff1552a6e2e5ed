import { argmaxRows, Dataset, sizeOf } from '../engine';
import type { DataShape, DataSpec } from './dataSpec';
import { t } from '../l10n';

/** True when the data section says `target: 'input'` (an autoencoder learns to reproduce its input). */
export function targetsInput(spec: DataSpec): boolean {
  return 'target' in spec && spec.target === 'input';
}

/** The shape of a dataset whose targets are its inputs, flattened: one output per input value. */
export function reconstructionShape(shape: DataShape): DataShape {
  return {
    ...shape,
    outputs: sizeOf(shape.inputShape),
    task: 'reconstruction',
    description: t('{0}; target: the input ({1} values)', shape.description, sizeOf(shape.inputShape)),
  };
}

/**
 * The dataset with each target replaced by its input, viewed as [rows, features] (losses and
 * metrics compare [rows, outputs] tensors, so the model's last layer flattens its output). The
 * targets share the inputs' memory: no copy of the images is made.
 */
export function reconstructionDataset(d: Dataset): Dataset {
  const flat = (x: Dataset['xTrain']) => x.reshape([x.shape[0], x.size / x.shape[0]]);
  return { xTrain: d.xTrain, yTrain: flat(d.xTrain), xTest: d.xTest, yTest: flat(d.xTest) };
}

/** Class index of each test row, from one-hot targets (to colour a latent projection by digit). */
export function testLabelsOf(d: Dataset, shape: DataShape): Int32Array | undefined {
  return shape.task === 'classification' ? argmaxRows(d.yTest) : undefined;
}
