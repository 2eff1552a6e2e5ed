import type { MatmulLayout } from '../matmulLayout';
import { decodeBase64 } from './decodeBase64';
import { trivialGemm } from './gemmOperands';
import type { WasmApi, WasmMemory } from './wasmApi';
import type { WasmArena } from './wasmArena';
import type { GemmExport } from './wasmGemm';
import { wasmBinaries } from './wasmBinaries';

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * Float64 matrix products on gemm64.wat (NN, NT, TN, with accumulate): the book profile's GEMM.
 * Each element of C is the same k-ordered sum of rounded products as in the reference kernels
 * (kernels/matmul.ts), so the results are theirs to the bit (for finite operands; the reference
 * NN/TN loops skip A entries equal to 0, which differs only when B holds an infinity or NaN).
 *
 * Operands living in the arena are used in place; the others are copied into a scratch block of
 * the arena (C only when accumulating) and C is copied back.
 */
export class WasmGemm64 {
  private scratchOffset = 0;
  private scratchBytes = 0;
  private view: Float64Array;

  private constructor(
    readonly arena: WasmArena,
    /** The module's gemm export (element strides, byte offsets), for callers that split the work. */
    readonly run: GemmExport,
    /** Byte offset of this instance's workspace in the arena (the calling thread's). */
    readonly workspace: number,
    /** Size of a workspace (every thread running this module needs its own). */
    readonly workspaceBytes: number,
  ) {
    this.view = new Float64Array(arena.buffer());
  }

  /** Compiles gemm64.wat on the arena's memory; null when the runtime cannot validate it (no SIMD). */
  static create(arena: WasmArena | null): WasmGemm64 | null {
    if (!arena) return null;
    const module = instantiateGemm64(arena.api, arena.memory);
    if (!module) return null;
    return new WasmGemm64(arena, module.gemm, arena.allocate(module.workspaceBytes), module.workspaceBytes);
  }

  /**
   * C (+)= op(A)·op(B) for one layout, shapes and accumulate as in kernels/matmul.ts. `run`
   * replaces the module's export for the product itself (kernels/parallel64.ts passes one that
   * splits the rows of C across threads), after the operands are placed.
   */
  gemm(
    layout: MatmulLayout,
    a: Float64Array,
    b: Float64Array,
    c: Float64Array,
    m: number,
    k: number,
    n: number,
    accumulate = false,
    run: GemmExport = this.run,
  ): void {
    if (trivialGemm('WasmGemm64', layout, a, b, c, m, k, n, accumulate)) return;
    const arena = this.arena;
    // matmulNT adds its whole sum to C (c + Σ), where the kernel would continue the sum from C
    // ((c + a₀b₀) + a₁b₁ …): that case computes Σ into scratch and adds it here.
    const sumThenAdd = accumulate && layout === 'NT';
    const aIn = arena.owns(a),
      bIn = arena.owns(b),
      cIn = arena.owns(c) && !sumThenAdd;
    const need = (aIn ? 0 : align16(m * k * 8)) + (bIn ? 0 : align16(k * n * 8)) + (cIn ? 0 : align16(m * n * 8));
    let top = this.reserve(need);
    const v = this.view;
    const place = (x: Float64Array, resident: boolean, len: number, copy: boolean): number => {
      if (resident) return x.byteOffset;
      const at = top;
      if (copy) v.set(x.subarray(0, len), at >> 3);
      top = align16(top + len * 8);
      return at;
    };
    const aOff = place(a, aIn, m * k, true);
    const bOff = place(b, bIn, k * n, true);
    const cOff = place(c, cIn, m * n, accumulate && !sumThenAdd);
    const [rsA, csA, rsB, csB] = WasmGemm64.strides(layout, m, k, n);
    run(m, k, n, aOff, rsA, csA, bOff, rsB, csB, cOff, accumulate && !sumThenAdd ? 1 : 0, this.workspace);
    if (cIn) return;
    const at = cOff >> 3;
    if (sumThenAdd) for (let i = 0; i < m * n; i++) c[i] = c[i] + v[at + i];
    else c.set(v.subarray(at, at + m * n));
  }

  /** Element strides [rsA, csA, rsB, csB] of one layout's operands (see gemm64.wat). */
  static strides(layout: MatmulLayout, m: number, k: number, n: number): [number, number, number, number] {
    return [layout === 'TN' ? 1 : k, layout === 'TN' ? m : 1, layout === 'NT' ? 1 : n, layout === 'NT' ? k : 1];
  }

  /** Byte offset of a scratch block of at least `bytes` (grown to the largest request, then reused). */
  private reserve(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes) this.arena.release(this.scratchOffset);
      this.scratchOffset = this.arena.allocate(bytes);
      this.scratchBytes = bytes;
    }
    if (this.view.buffer !== this.arena.memory.buffer) this.view = new Float64Array(this.arena.buffer());
    return this.scratchOffset;
  }
}

/**
 * Compiles and instantiates gemm64.wat on a shared memory; null when the runtime cannot validate
 * it. Helper threads (kernels/kernelThread.ts) call this on the engine's memory.
 */
export function instantiateGemm64(
  wasm: WasmApi,
  memory: WasmMemory,
): { gemm: GemmExport; workspaceBytes: number } | null {
  const bytes = decodeBase64(wasmBinaries.gemm64);
  if (!wasm.validate(bytes)) return null;
  const exports = new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports;
  return { gemm: exports.gemm as GemmExport, workspaceBytes: (exports.workspaceBytes as () => number)() };
}
