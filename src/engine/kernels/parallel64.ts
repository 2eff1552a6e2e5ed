import { fastGemm, fastGemm64 } from './kernelBackend';
import { kernelThreads, runTask } from './parallel';
import { GEMM_F64, Task } from './parallelTasks';
import type { GemmExport } from './wasm/wasmGemm';

/**
 * Flops below which a float64 GEMM part is not worth a thread hand-off: half the float32 bound
 * (kernels/parallel.ts), as an f64x2 product does half the flops per instruction. E4.3's forward
 * product (60×784·784×89, 8.4 MFLOP) splits in two.
 */
const GEMM64_MIN_FLOPS = 5 << 19;

/**
 * A GemmExport for WasmGemm64.gemm that splits the rows of C across the kernel threads
 * (parallelTasks.ts GemmRows with variant GEMM_F64), or undefined to run on this thread. Every
 * row is computed by the same code with the same k-slices, so the result is bit-identical for any
 * thread count. Each thread runs it in its GEMM workspace, which must be large enough for gemm64.
 */
export function threadedGemm64(): GemmExport | undefined {
  if (kernelThreads() === 1) return undefined;
  const g64 = fastGemm64(),
    g32 = fastGemm();
  if (!g64 || !g32 || g32.workspaceBytes < g64.workspaceBytes) return undefined;
  return (m, k, n, a, rsA, csA, b, rsB, csB, c, acc) => {
    const small = 2 * m * k * n < 2 * GEMM64_MIN_FLOPS;
    const grain = small ? m : Math.max(8, Math.ceil(GEMM64_MIN_FLOPS / Math.max(1, 2 * k * n)));
    runTask(Task.GemmRows, [GEMM_F64, m, k, n, a, rsA, csA, b, rsB, csB, c, acc], m, grain, 4);
  };
}
