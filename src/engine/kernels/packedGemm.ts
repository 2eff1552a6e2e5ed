import { fastGemm } from './kernelBackend';
import type { StepArena } from './stepArena';
import { GEMM_KC, GEMM_NR } from './wasm/wasmGemm';

/**
 * A B [k, n] packed once into gemm.wat's panel layout (gemmPacked), for products that reuse it
 * many times: an LSTM call's gate weights, read at every step forward and backward. Slices of
 * `kcStep` rows; slice from row p0 at element p0·npad, its NR-wide panels [kc][NR] one after another.
 */
export interface PackedB {
  readonly data: Float32Array;
  readonly k: number;
  readonly n: number;
  readonly kcStep: number;
}

/** One block of a packed B: `source`'s rows and columns as seen through strides (gemm.wat's B(p, j)). */
export interface PackedBlock {
  /** The matrix the block reads (byte offset = its first element, B(0, 0) of the block). */
  readonly source: Float32Array;
  readonly rsB: number;
  readonly csB: number;
  /** Block position in the packed B: rows [p0, p0 + rows), columns [j0, j0 + cols). */
  readonly p0: number;
  readonly rows: number;
  readonly j0: number;
  readonly cols: number;
}

/**
 * Packs a B [k, n] made of blocks into step memory. Every block's columns must start on a panel
 * boundary (j0 a multiple of NR) and, unless it reaches column n, be whole panels; every block's
 * rows must be whole slices of `kcStep` (≤ KC). Null without the WebAssembly GEMM.
 */
export function packB(
  step: StepArena,
  k: number,
  n: number,
  kcStep: number,
  blocks: readonly PackedBlock[],
): PackedB | null {
  const fast = fastGemm();
  if (!fast || kcStep > GEMM_KC || kcStep < 1) return null;
  const npad = Math.ceil(n / GEMM_NR) * GEMM_NR;
  const data = step.float32(k * npad);
  for (const b of blocks) {
    if (b.j0 % GEMM_NR !== 0 || (b.j0 + b.cols !== n && b.cols % GEMM_NR !== 0) || b.p0 % kcStep !== 0)
      throw new Error('packB: a block is not aligned to panels and slices');
    for (let p = 0; p < b.rows; p += kcStep) {
      const p0 = b.p0 + p,
        kc = Math.min(kcStep, k - p0);
      // Slice p0's panels start at p0·npad; this block's first panel is j0 / NR of them.
      const dst = data.byteOffset + 4 * (p0 * npad + (b.j0 / GEMM_NR) * kc * GEMM_NR);
      fast.packB(b.source.byteOffset, b.rsB, b.csB, b.cols, p, kc, 0, b.cols, dst);
    }
  }
  return { data, k, n, kcStep };
}

/** The deepest slice ≤ KC that cuts `k` into equal whole slices (as gemm.wat cuts an unpacked k). */
export function sliceDepth(k: number): number {
  const slices = Math.ceil(k / GEMM_KC);
  return Math.ceil(k / slices);
}

/** The deepest slice ≤ KC that divides `k` exactly (slices that never straddle a block of k rows). */
export function exactSliceDepth(k: number): number {
  for (let d = Math.ceil(k / GEMM_KC); d <= k; d++) if (k % d === 0) return k / d;
  return 1;
}
