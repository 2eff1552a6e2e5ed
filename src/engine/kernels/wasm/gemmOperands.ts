import type { MatmulLayout } from '../matmulLayout';

/**
 * The checks and trivial cases every WebAssembly GEMM host (float32 wasmGemm.ts, float64
 * wasmGemm64.ts) runs before its kernel: operands too small for m×k, k×n, m×n throw (kernels/gemm.ts
 * reports this as a ShapeError; the guard keeps direct callers from reading stale memory, and the
 * lint boundary keeps this folder from importing the engine's errors); an empty C, or k = 0 (C = 0,
 * or unchanged when accumulating), needs no kernel. Returns true when the product is done.
 */
export function trivialGemm(
  host: string,
  layout: MatmulLayout,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: Float32Array | Float64Array,
  m: number,
  k: number,
  n: number,
  accumulate: boolean,
): boolean {
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new RangeError(
      `${host} ${layout}: operands of ${a.length}, ${b.length}, ${c.length} elements are too small for m=${m}, k=${k}, n=${n}`,
    );
  }
  if (m === 0 || n === 0) return true;
  if (k === 0) {
    if (!accumulate) c.fill(0, 0, m * n);
    return true;
  }
  return false;
}
