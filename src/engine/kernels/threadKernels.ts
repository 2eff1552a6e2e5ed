import type { ConvExports } from './wasm/wasmConv';
import type { ElementwiseExports } from './wasm/wasmElementwise';
import type { GemmExport, GemmPackedExport } from './wasm/wasmGemm';

/*
 * What a kernel thread works with (kernels/parallelTasks.ts, gemmBatchTask.ts): its handle on the
 * shared memory and its own instances of the WebAssembly modules, and the signature of a task.
 */

/** One thread's handle on the shared memory and its own instances of the WebAssembly modules. */
export interface ThreadKernels {
  /** A Float32Array over the whole memory (refreshed after the memory grows). */
  f32(): Float32Array;
  /**
   * gemm.wat's export, by variant: 0 SIMD128, 1 relaxed SIMD, and at GEMM_F64 gemm64.wat's
   * (float64; null where the runtime lacks it).
   */
  readonly gemm: readonly (GemmExport | null)[];
  /** gemm.wat's gemmPacked by the same float32 variant index (products on a B packed beforehand). */
  readonly gemmPacked: readonly (GemmPackedExport | null)[];
  /** conv.wat's exports, by the same variant index (null where unavailable). */
  readonly conv: readonly (ConvExports | null)[];
  /** elementwise.wat's exports, by the same variants. */
  readonly elementwise: readonly (ElementwiseExports | null)[];
  /** This thread's GEMM workspace (byte offset). */
  readonly workspace: number;
}

export type RangeTask = (t: ThreadKernels, args: ArrayLike<number>, from: number, to: number, part: number) => void;

export function gemmOf(t: ThreadKernels, variant: number): GemmExport {
  const g = t.gemm[variant];
  if (!g) throw new Error(`kernel thread: GEMM variant ${variant} is not available on this thread`);
  return g;
}

export function convOf(t: ThreadKernels, variant: number): ConvExports {
  const c = t.conv[variant];
  if (!c) throw new Error(`kernel thread: conv variant ${variant} is not available on this thread`);
  return c;
}

export function elementwiseOf(t: ThreadKernels, variant: number): ElementwiseExports {
  const e = t.elementwise[variant];
  if (!e) throw new Error(`kernel thread: elementwise variant ${variant} is not available on this thread`);
  return e;
}
