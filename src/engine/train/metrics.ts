import type { Tensor } from '../tensor/tensor';

/** Mean absolute error over all elements. */
export function mae(prediction: Tensor, target: Tensor): number {
  const p = prediction.data,
    y = target.data;
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - y[i]);
  return s / p.length;
}

/** Mean squared error over all elements (PyTorch's MSELoss; an autoencoder's reconstruction error). */
export function mse(prediction: Tensor, target: Tensor): number {
  const p = prediction.data,
    y = target.data;
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) * (p[i] - y[i]);
  return s / p.length;
}

/** Root mean squared error over all elements. */
export function rmse(prediction: Tensor, target: Tensor): number {
  const p = prediction.data,
    y = target.data;
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) * (p[i] - y[i]);
  return Math.sqrt(s / p.length);
}

/** Index of the largest value in each row of a [rows, cols] tensor (first one on ties, as NumPy). */
export function argmaxRows(t: Tensor): Int32Array {
  const [rows, cols] = t.shape;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bv = t.data[r * cols];
    for (let j = 1; j < cols; j++) {
      const v = t.data[r * cols + j];
      if (v > bv) {
        bv = v;
        best = j;
      }
    }
    out[r] = best;
  }
  return out;
}

/** Fraction (0–1) of rows whose argmax prediction equals the argmax of the one-hot target. */
export function accuracy(prediction: Tensor, target: Tensor): number {
  const a = argmaxRows(prediction),
    b = argmaxRows(target);
  let hit = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) hit++;
  return a.length === 0 ? 0 : hit / a.length;
}

export type MetricName = 'mae' | 'mse' | 'rmse' | 'accuracy';

/** The metrics a task reports: accuracy for one-hot classification, MAE and RMSE otherwise. */
export function defaultMetrics(target: Tensor): MetricName[] {
  return target.rank === 2 && target.shape[1] > 1 ? ['accuracy'] : ['mae', 'rmse'];
}

export function computeMetrics(
  names: readonly MetricName[],
  prediction: Tensor,
  target: Tensor,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names)
    out[n] =
      n === 'mae'
        ? mae(prediction, target)
        : n === 'mse'
          ? mse(prediction, target)
          : n === 'rmse'
            ? rmse(prediction, target)
            : accuracy(prediction, target);
  return out;
}
