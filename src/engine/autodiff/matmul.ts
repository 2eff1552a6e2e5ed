import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import { allocate, Tensor } from '../tensor/tensor';
import { makeNode, Var } from './var';

/**
 * Matrix product y = a·b. Shape: a [m, k], b [k, n] → y [m, n].
 * Backward: dL/da = dL/dy·bᵀ [m, k], dL/db = aᵀ·dL/dy [k, n] (the book's WeightMultiply).
 */
export function matmul(a: Var, b: Var): Var {
  assertShape(
    a.value.rank === 2 && b.value.rank === 2 && a.shape[1] === b.shape[0],
    () => `matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}`,
  );
  const [m, k] = a.shape,
    n = b.shape[1];
  const av = a.value.data,
    bv = b.value.data;
  const y = allocate(a.dtype, m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const aip = av[i * k + p];
      for (let j = 0; j < n; j++) y[i * n + j] += aip * bv[p * n + j];
    }
  return makeNode(new Tensor([m, n], y), 'matmul', [a, b], (dy) => {
    const g = dy.data;
    let da: Tensor | null = null,
      db: Tensor | null = null;
    if (a.requiresGrad) {
      const d = allocate(a.dtype, m * k);
      for (let i = 0; i < m; i++)
        for (let p = 0; p < k; p++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += g[i * n + j] * bv[p * n + j];
          d[i * k + p] = s;
        }
      da = new Tensor([m, k], d);
    }
    if (b.requiresGrad) {
      const d = allocate(b.dtype, k * n);
      for (let i = 0; i < m; i++)
        for (let p = 0; p < k; p++) {
          const aip = av[i * k + p];
          for (let j = 0; j < n; j++) d[p * n + j] += aip * g[i * n + j];
        }
      db = new Tensor([k, n], d);
    }
    return [da, db];
  });
}
