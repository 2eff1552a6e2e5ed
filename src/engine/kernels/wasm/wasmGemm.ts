import type { MatmulLayout } from '../matmulLayout';
import { decodeBase64 } from './decodeBase64';
import { getWebAssembly, WasmApi, WasmMemory } from './wasmApi';
import { gemmWasmBinaries } from './gemmWasmBinaries';

/** Which build of gemm.wat: plain SIMD128, or relaxed SIMD whose multiply-adds are fused (FMA). */
export type WasmGemmVariant = 'simd128' | 'relaxedSimd';

type GemmExport = (
  m: number, k: number, n: number,
  a: number, rsA: number, csA: number,
  b: number, rsB: number, csB: number,
  c: number, accumulate: number, ws: number,
) => void;

const PAGE = 65536;
const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * Float32 matrix products on the WebAssembly GEMM of gemm.wat (NN, NT, TN, with accumulate).
 *
 * Memory: the module's linear memory holds the kernel's packing workspace at offset 0, then the
 * operands. Operands are copied in (C only when accumulating) and C copied out, each a memcpy;
 * the benchmark (test/bench) reports that copy as a share of the product's time. An operand that
 * is already a view of this instance's memory (see `allocateResident`) is used in place.
 */
export class WasmGemm {
  private view: Float32Array;
  private readonly heapStart: number;

  private constructor(
    readonly variant: WasmGemmVariant,
    private readonly memory: WasmMemory,
    private readonly run: GemmExport,
    workspaceBytes: number,
  ) {
    this.heapStart = align16(workspaceBytes);
    this.view = new Float32Array(memory.buffer);
  }

  /** Compiles and instantiates a variant (on `wasm`, default the global one); null when there is none or it cannot validate the variant. */
  static create(variant: WasmGemmVariant, wasm: WasmApi | null | undefined = getWebAssembly()): WasmGemm | null {
    if (!wasm) return null;
    const bytes = decodeBase64(gemmWasmBinaries[variant]);
    if (!wasm.validate(bytes)) return null;
    const exports = new wasm.Instance(new wasm.Module(bytes), {}).exports;
    const workspace = (exports.workspaceBytes as () => number)();
    return new WasmGemm(variant, exports.memory as WasmMemory, exports.gemm as GemmExport, workspace);
  }

  /**
   * C (+)= op(A)·op(B) for one layout; shapes as in kernels/matmul.ts. Overwrites C unless
   * `accumulate`.
   */
  gemm(layout: MatmulLayout, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, accumulate = false): void {
    // kernels/gemm.ts reports this as a ShapeError; this guard keeps direct callers from reading
    // stale memory (the lint boundary keeps this folder from importing the engine's errors).
    if (a.length < m * k || b.length < k * n || c.length < m * n) {
      throw new RangeError(`WasmGemm ${layout}: operands of ${a.length}, ${b.length}, ${c.length} elements are too small for m=${m}, k=${k}, n=${n}`);
    }
    if (m === 0 || n === 0) return;
    if (k === 0) {
      if (!accumulate) c.fill(0, 0, m * n);
      return;
    }
    let top = this.heapStart;
    const aRes = this.residentOffset(a), bRes = this.residentOffset(b), cRes = this.residentOffset(c);
    if (aRes >= 0) top = Math.max(top, aRes + m * k * 4);
    if (bRes >= 0) top = Math.max(top, bRes + k * n * 4);
    if (cRes >= 0) top = Math.max(top, cRes + m * n * 4);
    const aOff = aRes >= 0 ? aRes : top;
    if (aRes < 0) top = align16(top + m * k * 4);
    const bOff = bRes >= 0 ? bRes : top;
    if (bRes < 0) top = align16(top + k * n * 4);
    const cOff = cRes >= 0 ? cRes : top;
    if (cRes < 0) top += m * n * 4;
    this.ensure(top);
    const v = this.view;
    if (aRes < 0) v.set(a.subarray(0, m * k), aOff >> 2);
    if (bRes < 0) v.set(b.subarray(0, k * n), bOff >> 2);
    if (cRes < 0 && accumulate) v.set(c.subarray(0, m * n), cOff >> 2);
    const [rsA, csA] = layout === 'TN' ? [1, m] : [k, 1];
    const [rsB, csB] = layout === 'NT' ? [1, k] : [n, 1];
    this.run(m, k, n, aOff, rsA, csA, bOff, rsB, csB, cOff, accumulate ? 1 : 0, 0);
    if (cRes < 0) c.set(v.subarray(cOff >> 2, (cOff >> 2) + m * n));
  }

  /**
   * Float32 buffers that live inside this instance's memory, so products on them skip the
   * copies. Growing the memory later (a larger product) detaches them, so take them once, sized
   * for the largest product, as a benchmark does.
   */
  allocateResident(lengths: readonly number[]): Float32Array[] {
    const offsets: number[] = [];
    let top = this.heapStart;
    for (const len of lengths) {
      offsets.push(top);
      top = align16(top + len * 4);
    }
    this.ensure(top);
    return lengths.map((len, i) => new Float32Array(this.memory.buffer, offsets[i], len));
  }

  /** Byte offset of `x` in this instance's memory, or −1 when it lives elsewhere. */
  private residentOffset(x: Float32Array): number {
    return x.buffer === this.memory.buffer ? x.byteOffset : -1;
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
  }
}
