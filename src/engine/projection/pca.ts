import { assertValue } from '../errors';
import { symmetricEigen } from './symmetricEigen';

/** Rows projected onto their top principal components. */
export interface PcaResult {
  /** [rows × components], row-major. */
  readonly points: Float64Array;
  readonly components: number;
  /** Share of the total variance along each component (0–1), in order. */
  readonly explainedVariance: number[];
  /** Unit principal axes, each of the input's width. */
  readonly axes: Float64Array[];
}

/**
 * Principal component analysis of `rows` vectors of width `d` (row-major): centre each column,
 * form the d×d covariance, eigen-decompose it (Jacobi), and project onto the `components` axes
 * of largest variance. Suited to narrow data such as latent codes ([2000, 28] → [2000, 2]).
 */
export function pca(data: ArrayLike<number>, rows: number, d: number, components = 2): PcaResult {
  assertValue(
    rows > 0 && data.length === rows * d,
    () => `pca: expected ${rows} rows × ${d} columns, got ${data.length} values`,
  );
  assertValue(components >= 1 && components <= d, () => `pca: components must be in 1..${d}, got ${components}`);
  const mean = new Float64Array(d);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) mean[j] += data[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= rows;
  // Covariance (population, /rows: only ratios and directions are used).
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) centred[j] = data[r * d + j] - mean[j];
    for (let i = 0; i < d; i++) {
      const ci = centred[i];
      for (let j = i; j < d; j++) cov[i * d + j] += ci * centred[j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i * d + j] /= rows;
      cov[j * d + i] = cov[i * d + j];
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  const axes = vectors.slice(0, components);
  const points = new Float64Array(rows * components);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < components; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[r * d + j] - mean[j]) * axes[c][j];
      points[r * components + c] = s;
    }
  }
  return {
    points,
    components,
    explainedVariance: axes.map((_, c) => (total > 0 ? Math.max(0, values[c]) / total : 0)),
    axes,
  };
}
