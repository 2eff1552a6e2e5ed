import { assertShape } from '../errors';
import type { TensorData } from '../tensor/tensor';
import { fastGemm, fastGemm64 } from './kernelBackend';
import { matmulNN, matmulNT, matmulTN } from './matmul';
import type { MatmulLayout } from './matmulLayout';
import { threadedGemm } from './parallel';
import { threadedGemm64 } from './parallel64';

const REFERENCE = { NN: matmulNN, NT: matmulNT, TN: matmulTN } as const;

/**
 * The matrix product every operation calls: C[m,n] (+)= op(A)·op(B) in one of the layouts of
 * kernels/matmulLayout.ts, overwriting C unless `accumulate`. float32 operands go to the fastest
 * backend available (kernels/kernelBackend.ts); float64 (gradient checks, book-exact runs) goes to
 * the float64 WebAssembly GEMM (wasm/gemm64.wat: the reference's sums to the bit) when available;
 * mixed types and the fallback use the reference kernels of kernels/matmul.ts. With kernel threads running
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
  if (a instanceof Float64Array && b instanceof Float64Array && c instanceof Float64Array) {
    const fast64 = fastGemm64();
    if (fast64) {
      fast64.gemm(layout, a, b, c, m, k, n, accumulate, threadedGemm64());
      return;
    }
  }
  REFERENCE[layout](a, b, c, m, k, n, accumulate);
}
