import { assertShape } from '../errors';
import type { TensorData } from '../tensor/tensor';
import { fastGemm } from './kernelBackend';
import { matmulNN, matmulNT, matmulTN } from './matmul';
import type { MatmulLayout } from './matmulLayout';
import { threadedGemm } from './parallel';

const REFERENCE = { NN: matmulNN, NT: matmulNT, TN: matmulTN } as const;

/**
 * The matrix product every operation calls: C[m,n] (+)= op(A)·op(B) in one of the layouts of
 * kernels/matmulLayout.ts, overwriting C unless `accumulate`. float32 operands go to the fastest
 * backend available (kernels/kernelBackend.ts); float64 (gradient checks, book-exact runs) and
 * mixed types use the reference kernels of kernels/matmul.ts. With kernel threads running
 * (kernels/parallel.ts), a big float32 product is split by rows of C across them.
 */
export function gemm(
  layout: MatmulLayout,
  a: TensorData,
  b: TensorData,
  c: TensorData,
  m: number,
  k: number,
  n: number,
  accumulate = false,
): void {
  assertShape(
    a.length >= m * k && b.length >= k * n && c.length >= m * n,
    () =>
      `gemm ${layout}: operands of ${a.length}, ${b.length}, ${c.length} elements are too small for m=${m}, k=${k}, n=${n}`,
  );
  if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
    const fast = fastGemm();
    if (fast) {
      fast.gemm(layout, a, b, c, m, k, n, accumulate, threadedGemm());
      return;
    }
  }
  REFERENCE[layout](a, b, c, m, k, n, accumulate);
}
