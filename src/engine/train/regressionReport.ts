import type { Tensor } from '../tensor/tensor';

/** One target column's predictions on the test set: what a predicted-vs-actual scatter and a residual plot need. */
export interface RegressionColumn {
  /** Test rows drawn (all of them up to `maxPoints`, else evenly spaced ones), in row order. */
  readonly rows: number[];
  readonly actual: number[];
  readonly predicted: number[];
  /** Over every test row, not only the drawn ones. */
  readonly mae: number;
  readonly rmse: number;
  /** Coefficient of determination 1 − SS_res/SS_tot (NaN when the targets are constant). */
  readonly r2: number;
  /** Mean residual (predicted − actual): a bias, if far from 0. */
  readonly meanResidual: number;
  /** The test row with the largest |residual|. */
  readonly worstRow: number;
}

/** How a regression model did on the test set, per target column. */
export interface RegressionReport {
  /** Test rows. */
  readonly rows: number;
  readonly columns: RegressionColumn[];
}

/** Regression targets wider than this (an autoencoder's 784 pixels) get no report: a scatter per column says nothing. */
export const MAX_REGRESSION_COLUMNS = 8;

/**
 * From the network's outputs and the targets, both [rows, columns]. Sums run in float64 in row order,
 * so the report is deterministic. Undefined when there are more than MAX_REGRESSION_COLUMNS columns.
 */
export function regressionReport(prediction: Tensor, target: Tensor, maxPoints = 2000): RegressionReport | undefined {
  if (target.rank > 2) return undefined; // sequences ([rows, T, V]) are not regression targets
  const [rows, columns] = target.rank === 1 ? [target.shape[0], 1] : target.shape;
  if (columns > MAX_REGRESSION_COLUMNS || rows === 0 || prediction.size !== target.size) return undefined;
  const step = rows <= maxPoints ? 1 : rows / maxPoints;
  const drawn: number[] = [];
  for (let k = 0; Math.floor(k * step) < rows && drawn.length < maxPoints; k++) drawn.push(Math.floor(k * step));
  const p = prediction.data,
    y = target.data;
  const out: RegressionColumn[] = [];
  for (let c = 0; c < columns; c++) {
    let sumY = 0;
    for (let r = 0; r < rows; r++) sumY += y[r * columns + c];
    const meanY = sumY / rows;
    let abs = 0,
      sq = 0,
      tot = 0,
      res = 0,
      worst = 0,
      worstRow = 0;
    for (let r = 0; r < rows; r++) {
      const e = p[r * columns + c] - y[r * columns + c];
      abs += Math.abs(e);
      sq += e * e;
      res += e;
      tot += (y[r * columns + c] - meanY) ** 2;
      if (Math.abs(e) > worst) [worst, worstRow] = [Math.abs(e), r];
    }
    out.push({
      rows: drawn,
      actual: drawn.map((r) => y[r * columns + c]),
      predicted: drawn.map((r) => p[r * columns + c]),
      mae: abs / rows,
      rmse: Math.sqrt(sq / rows),
      r2: tot > 0 ? 1 - sq / tot : NaN,
      meanResidual: res / rows,
      worstRow,
    });
  }
  return { rows, columns: out };
}
