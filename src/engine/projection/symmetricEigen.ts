import { assertValue } from '../errors';

/** Eigenvalues (descending) and unit eigenvectors (vectors[k] goes with values[k]) of a symmetric matrix. */
export interface Eigen {
  readonly values: Float64Array;
  readonly vectors: Float64Array[];
}

/**
 * Eigen-decomposition of a symmetric d×d matrix (row-major) by cyclic Jacobi rotations: each
 * rotation zeroes one off-diagonal pair; sweeps repeat until the off-diagonal mass is ~0. Exact
 * to rounding and simple, and d is small here (a latent code's width, e.g. 28), so its O(d³)
 * per sweep costs nothing next to training. Each eigenvector's sign is fixed so its largest
 * component is positive, making results reproducible across platforms.
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): Eigen {
  assertValue(
    matrix.length === d * d,
    () => `symmetricEigen: expected ${d}×${d} = ${d * d} values, got ${matrix.length}`,
  );
  const a = Float64Array.from(matrix);
  // v holds the accumulated rotations; its columns become the eigenvectors.
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        // Rotation angle that zeroes a[p][q] (Numerical Recipes' stable form).
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p],
            akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k],
            aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p],
            vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j * d + j] - a[i * d + i]);
  const values = Float64Array.from(order, (i) => a[i * d + i]);
  const vectors = order.map((col) => {
    const e = Float64Array.from({ length: d }, (_, k) => v[k * d + col]);
    let big = 0;
    for (let k = 1; k < d; k++) if (Math.abs(e[k]) > Math.abs(e[big])) big = k;
    if (e[big] < 0) for (let k = 0; k < d; k++) e[k] = -e[k];
    return e;
  });
  return { values, vectors };
}
