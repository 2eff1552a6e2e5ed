import { decodeBase64 } from './decodeBase64';
import { WasmArena } from './wasmArena';
import { wasmBinaries } from './wasmBinaries';

type TanhExport = (x: number, y: number, n: number) => void;
type MomentumExport = (w: number, g: number, v: number, n: number, mu: number, gScale: number, wScale: number) => void;

/**
 * The elementwise kernels of elementwise.wat on an arena: tanh (operands copied through a
 * scratch block unless they live in the arena; Math.tanh costs far more than the copies) and the
 * momentum update, which runs only in place, on parameters, gradients and velocities that all
 * live in the arena.
 */
export class WasmElementwise {
  private scratch = 0;
  private scratchBytes = 0;
  private view: Float32Array;

  private constructor(
    readonly arena: WasmArena,
    private readonly tanhRun: TanhExport,
    private readonly momentumRun: MomentumExport,
  ) {
    this.view = new Float32Array(arena.buffer());
  }

  /** Null when the runtime has no WebAssembly, shared memory or SIMD128. */
  static create(arena: WasmArena | null = WasmArena.create()): WasmElementwise | null {
    if (!arena) return null;
    const wasm = arena.api;
    const bytes = decodeBase64(wasmBinaries.elementwise);
    if (!wasm.validate(bytes)) return null;
    const e = new wasm.Instance(new wasm.Module(bytes), { env: { memory: arena.memory } }).exports;
    return new WasmElementwise(arena, e.tanh as TanhExport, e.momentum as MomentumExport);
  }

  /** y[i] = tanh(x[i]) for i < min(x.length, y.length); y may be x. */
  tanh(x: Float32Array, y: Float32Array): void {
    const n = Math.min(x.length, y.length);
    const arena = this.arena;
    const xIn = arena.owns(x), yIn = arena.owns(y);
    if (xIn && yIn) {
      this.tanhRun(x.byteOffset, y.byteOffset, n);
      return;
    }
    const at = this.scratchFor(n * 4);
    const xOff = xIn ? x.byteOffset : at;
    if (!xIn) this.view.set(x.subarray(0, n), at >> 2);
    const yOff = yIn ? y.byteOffset : at;
    this.tanhRun(xOff, yOff, n);
    if (!yIn) y.set(this.view.subarray(at >> 2, (at >> 2) + n));
  }

  /**
   * v ← μ·v + gScale·g; w ← w − wScale·v over all of w, in place. Returns false (and does
   * nothing) unless w, g and v all live in the arena and have w's length.
   */
  momentum(w: Float32Array, g: Float32Array, v: Float32Array, mu: number, gScale: number, wScale: number): boolean {
    const arena = this.arena;
    if (!arena.owns(w) || !arena.owns(g) || !arena.owns(v) || g.length !== w.length || v.length !== w.length) return false;
    this.momentumRun(w.byteOffset, g.byteOffset, v.byteOffset, w.length, mu, gScale, wScale);
    return true;
  }

  private scratchFor(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes) this.arena.release(this.scratch);
      this.scratch = this.arena.allocate(bytes);
      this.scratchBytes = bytes;
    }
    if (this.view.buffer !== this.arena.memory.buffer) this.view = new Float32Array(this.arena.buffer());
    return this.scratch;
  }
}
