import { assertShape, assertValue } from '../errors';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** Train and test arrays: x [rows, ...features], y [rows, outputs]. */
export interface Dataset {
  readonly xTrain: Tensor;
  readonly yTrain: Tensor;
  readonly xTest: Tensor;
  readonly yTest: Tensor;
}

/** Checks row counts agree and nothing is empty; the error says which array is wrong. */
export function checkDataset(d: Dataset): void {
  assertValue(
    d.xTrain.rank >= 2 && d.xTrain.shape[0] > 0,
    () => `dataset: training inputs are empty (shape ${formatShape(d.xTrain.shape)})`,
  );
  assertValue(
    d.xTest.rank >= 2 && d.xTest.shape[0] > 0,
    () => `dataset: test inputs are empty (shape ${formatShape(d.xTest.shape)})`,
  );
  assertShape(
    d.xTrain.shape[0] === d.yTrain.shape[0],
    () => `dataset: ${d.xTrain.shape[0]} training inputs but ${d.yTrain.shape[0]} training targets`,
  );
  assertShape(
    d.xTest.shape[0] === d.yTest.shape[0],
    () => `dataset: ${d.xTest.shape[0]} test inputs but ${d.yTest.shape[0]} test targets`,
  );
  assertShape(
    d.yTrain.rank === 2 && d.yTest.rank === 2,
    () =>
      `dataset: targets must be rank 2 [rows, outputs], got ${formatShape(d.yTrain.shape)} and ${formatShape(d.yTest.shape)}`,
  );
}
