import { assertValue } from '../errors';
import { RandomState } from '../random/randomState';
import { DType, Tensor } from '../tensor/tensor';

/**
 * Column-wise standard scaling (x − mean)/std with the population std, as scikit-learn's
 * `StandardScaler().fit_transform`. Columns with zero variance are centred only (std taken as 1).
 * Shape: x [rows, cols] → new tensor [rows, cols]. Returns the statistics so a test set can reuse them.
 */
export function standardize(
  x: Tensor,
  stats?: { mean: Float64Array; std: Float64Array },
): { x: Tensor; mean: Float64Array; std: Float64Array } {
  const [rows, cols] = x.shape;
  let mean: Float64Array, std: Float64Array;
  if (stats) {
    mean = stats.mean;
    std = stats.std;
  } else {
    mean = new Float64Array(cols);
    std = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += x.data[r * cols + c];
    for (let c = 0; c < cols; c++) mean[c] /= rows;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) std[c] += (x.data[r * cols + c] - mean[c]) ** 2;
    for (let c = 0; c < cols; c++) std[c] = Math.sqrt(std[c] / rows) || 1;
  }
  const out = Tensor.zeros(x.shape, x.dtype);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out.data[r * cols + c] = (x.data[r * cols + c] - mean[c]) / std[c];
  return { x: out, mean, std };
}

/**
 * scikit-learn's `train_test_split(test_size=f, random_state=seed)` without stratification:
 * perm = RandomState(seed).permutation(n); test = perm[:ceil(f·n)], train = the rest, in order.
 */
export function trainTestSplit(n: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  assertValue(
    testFraction > 0 && testFraction < 1,
    () => `trainTestSplit: test fraction must be in (0, 1), got ${testFraction}`,
  );
  const nTest = Math.ceil(testFraction * n);
  assertValue(
    nTest > 0 && nTest < n,
    () => `trainTestSplit: ${n} rows cannot be split with test fraction ${testFraction}`,
  );
  const perm = new RandomState(seed).permutation(n);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
}

/** Rows of x picked by index, in that order. Shape: [rows, ...] → [indices.length, ...]. */
export function gatherRows(x: Tensor, indices: ArrayLike<number>, dtype: DType = x.dtype): Tensor {
  const rowSize = x.shape[0] === 0 ? 0 : x.size / x.shape[0];
  const out = Tensor.zeros([indices.length, ...x.shape.slice(1)], dtype);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    out.data.set(x.data.subarray(src * rowSize, (src + 1) * rowSize), i * rowSize);
  }
  return out;
}

/** One-hot encoding of integer labels. Shape: [n] → [n, classes]. */
export function oneHot(labels: ArrayLike<number>, classes: number, dtype: DType = 'float32'): Tensor {
  const out = Tensor.zeros([labels.length, classes], dtype);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    assertValue(
      Number.isInteger(l) && l >= 0 && l < classes,
      () => `oneHot: label ${l} at row ${i} is not in [0, ${classes})`,
    );
    out.data[i * classes + l] = 1;
  }
  return out;
}
