import type { TensorData } from '../tensor/tensor';

/**
 * Reference matrix products on row-major typed arrays, in the three layouts backprop needs.
 * These are the correct-first kernels; faster kernels must agree with them.
 *
 *   matmulNN: C[m,n] (+)= A[m,k] · B[k,n]      forward  (X·W)
 *   matmulNT: C[m,n] (+)= A[m,k] · B[n,k]ᵀ     input gradient (dY·Wᵀ)
 *   matmulTN: C[m,n] (+)= A[k,m]ᵀ · B[k,n]     parameter gradient (Xᵀ·dY)
 *
 * With `accumulate` the product is added to C (used to accumulate parameter gradients across
 * time steps); otherwise C is overwritten.
 */
export function matmulNN(
  a: TensorData,
  b: TensorData,
  c: TensorData,
  m: number,
  k: number,
  n: number,
  accumulate = false,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aRow + p];
      if (av === 0) continue;
      const bRow = p * n;
      for (let j = 0; j < n; j++) c[cRow + j] += av * b[bRow + j];
    }
  }
}

export function matmulNT(
  a: TensorData,
  b: TensorData,
  c: TensorData,
  m: number,
  k: number,
  n: number,
  accumulate = false,
): void {
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    const cRow = i * n;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
      c[cRow + j] = accumulate ? c[cRow + j] + s : s;
    }
  }
}

export function matmulTN(
  a: TensorData,
  b: TensorData,
  c: TensorData,
  m: number,
  k: number,
  n: number,
  accumulate = false,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const aRow = p * m;
    const bRow = p * n;
    for (let i = 0; i < m; i++) {
      const av = a[aRow + i];
      if (av === 0) continue;
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j] += av * b[bRow + j];
    }
  }
}
