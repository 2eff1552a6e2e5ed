import type { MatmulLayout } from '../matmulLayout';
import { decodeBase64 } from './decodeBase64';
import { trivialGemm } from './gemmOperands';
import type { WasmApi, WasmMemory } from './wasmApi';
import { WasmArena } from './wasmArena';
import { ScratchBlock } from './scratchBlock';
import { wasmBinaries } from './wasmBinaries';

/** Which build of gemm.wat: plain SIMD128, or relaxed SIMD whose multiply-adds are fused (FMA). */
export type WasmGemmVariant = 'simd128' | 'relaxedSimd';

/** gemm.wat's export: C (+)= A·B on byte offsets, operands addressed through element strides. */
export type GemmExport = (
  m: number,
  k: number,
  n: number,
  a: number,
  rsA: number,
  csA: number,
  b: number,
  rsB: number,
  csB: number,
  c: number,
  accumulate: number,
  ws: number,
) => void;

/** gemm.wat's packB: B rows [p0, p0+kc) × columns [j0, j0+nc) into NR-wide panels [kc][NR] at dst. */
export type PackBExport = (
  b: number,
  rsB: number,
  csB: number,
  n: number,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
  dst: number,
) => void;

/** gemm.wat's gemmPacked: C[:, panels q0..q1) (+)= A·B on a B packed beforehand (see gemm.wat). */
export type GemmPackedExport = (
  m: number,
  k: number,
  n: number,
  a: number,
  rsA: number,
  csA: number,
  pb: number,
  kcStep: number,
  c: number,
  ldc: number,
  accumulate: number,
  ws: number,
  q0: number,
  q1: number,
) => void;

/** gemm.wat's register tile width (NR) and deepest k slice (KC): the packed-B layout's units. */
export const GEMM_NR = 8;
export const GEMM_KC = 400;

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * Float32 matrix products on the WebAssembly GEMM of gemm.wat (NN, NT, TN, with accumulate).
 *
 * Operands that live in the arena (parameters, gradients: see WasmArena) are used in place.
 * Others are copied into a scratch block of the arena (C only when accumulating) and C is copied
 * back: a memcpy each, which test/bench measures against the resident case.
 */
export class WasmGemm {
  private readonly scratch: ScratchBlock;

  private constructor(
    readonly variant: WasmGemmVariant,
    readonly arena: WasmArena,
    /** The module's gemm export, for callers that address the arena themselves (kernels/parallel.ts). */
    readonly run: GemmExport,
    /** Byte offset of this instance's workspace in the arena (the calling thread's). */
    readonly workspace: number,
    /** Size of a workspace (every thread running this module needs its own). */
    readonly workspaceBytes: number,
    /** The module's packB and gemmPacked exports (products on a B packed once, kernels/packedGemm.ts). */
    readonly packB: PackBExport,
    readonly gemmPacked: GemmPackedExport,
  ) {
    this.scratch = new ScratchBlock(arena);
  }

  /**
   * Compiles and instantiates a variant on an arena (by default a new one of its own); null when
   * the runtime has no WebAssembly, no shared memory, or cannot validate the variant.
   */
  static create(variant: WasmGemmVariant, arena: WasmArena | null = WasmArena.create()): WasmGemm | null {
    if (!arena) return null;
    const wasm = arena.api;
    const module = instantiateGemm(wasm, variant, arena.memory);
    if (!module) return null;
    const workspace = arena.allocate(module.workspaceBytes);
    return new WasmGemm(variant, arena, module.gemm, workspace, module.workspaceBytes, module.packB, module.gemmPacked);
  }

  /**
   * C (+)= op(A)·op(B) for one layout; shapes as in kernels/matmul.ts. Overwrites C unless
   * `accumulate`. `run` replaces the module's export for the product itself (kernels/parallel.ts
   * passes one that splits the rows of C across threads), after the operands are placed.
   */
  gemm(
    layout: MatmulLayout,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    k: number,
    n: number,
    accumulate = false,
    run: GemmExport = this.run,
  ): void {
    if (trivialGemm('WasmGemm', layout, a, b, c, m, k, n, accumulate)) return;
    const arena = this.arena;
    // Inputs in the arena (parameters, step tensors, batch buffers) are read in place.
    const aR = arena.resident(a),
      bR = arena.resident(b);
    const aIn = aR !== null,
      bIn = bR !== null,
      cIn = arena.owns(c);
    const need = (aIn ? 0 : align16(m * k * 4)) + (bIn ? 0 : align16(k * n * 4)) + (cIn ? 0 : align16(m * n * 4));
    let top = this.scratch.reserve(need);
    const v = this.scratch.view;
    const place = (x: Float32Array, resident: Float32Array | null, len: number, copy: boolean): number => {
      if (resident) return resident.byteOffset;
      const at = top;
      if (copy) v.set(x.subarray(0, len), at >> 2);
      top = align16(top + len * 4);
      return at;
    };
    const aOff = place(a, aR, m * k, true);
    const bOff = place(b, bR, k * n, true);
    const cOff = place(c, cIn ? c : null, m * n, accumulate);
    const [rsA, csA] = layout === 'TN' ? [1, m] : [k, 1];
    const [rsB, csB] = layout === 'NT' ? [1, k] : [n, 1];
    run(m, k, n, aOff, rsA, csA, bOff, rsB, csB, cOff, accumulate ? 1 : 0, this.workspace);
    if (!cIn) c.set(v.subarray(cOff >> 2, (cOff >> 2) + m * n));
  }

  /** Element strides [rsA, csA, rsB, csB] of one layout's operands (see gemm.wat). */
  static strides(layout: MatmulLayout, m: number, k: number, n: number): [number, number, number, number] {
    return [layout === 'TN' ? 1 : k, layout === 'TN' ? m : 1, layout === 'NT' ? 1 : n, layout === 'NT' ? k : 1];
  }

  /** Float32 buffers in the arena (zero-filled), so products on them skip the copies. */
  allocateResident(lengths: readonly number[]): Float32Array[] {
    return lengths.map((len) => this.arena.float32(len));
  }
}

/**
 * Compiles and instantiates one variant of gemm.wat on a shared memory; null when the runtime
 * cannot validate it. Helper threads (kernels/parallel.ts) call this on the engine's memory.
 */
export function instantiateGemm(
  wasm: WasmApi,
  variant: WasmGemmVariant,
  memory: WasmMemory,
): { gemm: GemmExport; packB: PackBExport; gemmPacked: GemmPackedExport; workspaceBytes: number } | null {
  const bytes = decodeBase64(variant === 'relaxedSimd' ? wasmBinaries.gemmRelaxedSimd : wasmBinaries.gemmSimd128);
  if (!wasm.validate(bytes)) return null;
  const exports = new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports;
  return {
    gemm: exports.gemm as GemmExport,
    packB: exports.packB as PackBExport,
    gemmPacked: exports.gemmPacked as GemmPackedExport,
    workspaceBytes: (exports.workspaceBytes as () => number)(),
  };
}
