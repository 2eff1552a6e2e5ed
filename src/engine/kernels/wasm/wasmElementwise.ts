import { decodeBase64 } from './decodeBase64';
import type { WasmApi, WasmMemory } from './wasmApi';
import { WasmArena } from './wasmArena';
import { ScratchBlock } from './scratchBlock';
import { wasmBinaries } from './wasmBinaries';
import type { WasmGemmVariant } from './wasmGemm';

/**
 * Which build of elementwise.wat: plain SIMD128, or relaxed SIMD whose multiply-adds (tanh's) are
 * fused. The engine pairs it with the GEMM variant of the same name.
 */
export type WasmElementwiseVariant = WasmGemmVariant;

/** elementwise.wat's exports. */
export interface ElementwiseExports {
  readonly tanh: TanhExport;
  readonly tanhBackward: TanhBackwardExport;
  readonly momentum: MomentumExport;
  /** Plain SGD in place, bit for bit JavaScript's float64 arithmetic: w, g (byte offsets), n, lr. */
  readonly sgd: SgdExport;
  /** Adam in place, bit for bit optim/adam.ts's loop: w, g, m, v, n, β1, 1−β1, β2, 1−β2, c1, c2, lr, ε. */
  readonly adam: (...args: number[]) => void;
  readonly im2col: Im2colExport;
  readonly mul: MulExport;
  readonly add: MulExport;
  readonly bernoulli: BernoulliExport;
  readonly lstmForward: LstmForwardExport;
  readonly lstmBackward: LstmBackwardExport;
  /** dst[j] += Σ rows of src (in row order), byte offsets: src, srcStride, rows, n, dst. */
  readonly colSum: (src: number, srcStride: number, rows: number, n: number, dst: number) => void;
}

/**
 * One LSTM step's elementwise forward (elementwise.wat): byte offsets of sF, sI, sC, sO (the gate
 * products [rows, hidden]), bF, bI, bC, bO ([hidden]), cPrev, then the outputs f, i, g, o, c, tc, h.
 */
export type LstmForwardExport = (...args: number[]) => void;
/**
 * Its backward: dH, dCNext, f, i, g, o, cPrev, tc, then the outputs dsF, dsI, dsC, dsO, dCPrev, the
 * bias gradients dbF, dbI, dbC, dbO, rows, hidden and bias (≠ 0: add into the bias gradients).
 */
export type LstmBackwardExport = (...args: number[]) => void;

export type TanhExport = (x: number, y: number, n: number) => void;
export type MulExport = (a: number, b: number, out: number, n: number) => void;
/** MT19937 binomial(1, p) draws into float32 out (elementwise.wat); returns the generator's new position. */
export type BernoulliExport = (
  mt: number,
  pos: number,
  out: number,
  n: number,
  qn: number,
  pxAfterOne: number,
  flip: number,
  one: number,
) => number;
export type TanhBackwardExport = (dy: number, y: number, dx: number, n: number) => void;
/** im2col of one example (x, cols byte offsets; geometry as kernels/im2col.ts). */
export type Im2colExport = (
  x: number,
  cols: number,
  cIn: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  oh: number,
  ow: number,
  sh: number,
  sw: number,
  padTop: number,
  padLeft: number,
) => void;
export type SgdExport = (w: number, g: number, n: number, lr: number) => void;
export type MomentumExport = (
  w: number,
  g: number,
  v: number,
  n: number,
  mu: number,
  gScale: number,
  wScale: number,
) => void;

/**
 * The elementwise kernels of elementwise.wat on an arena: tanh (operands copied through a
 * scratch block unless they live in the arena; Math.tanh costs far more than the copies) and the
 * momentum update, which runs only in place, on parameters, gradients and velocities that all
 * live in the arena.
 */
export class WasmElementwise {
  private readonly scratch: ScratchBlock;

  private constructor(
    readonly variant: WasmElementwiseVariant,
    readonly arena: WasmArena,
    readonly tanhRun: TanhExport,
    readonly momentumRun: MomentumExport,
    readonly tanhBackwardRun: TanhBackwardExport,
    readonly im2colRun: Im2colExport,
    readonly mulRun: MulExport,
    readonly bernoulliRun: BernoulliExport,
    readonly lstmForwardRun: LstmForwardExport,
    readonly lstmBackwardRun: LstmBackwardExport,
    readonly addRun: MulExport,
    readonly colSumRun: ElementwiseExports['colSum'],
    readonly sgdRun: SgdExport,
    readonly adamRun: ElementwiseExports['adam'],
  ) {
    this.scratch = new ScratchBlock(arena);
  }

  /** Null when the runtime has no WebAssembly or shared memory, or cannot validate the variant. */
  static create(
    arena: WasmArena | null = WasmArena.create(),
    variant: WasmElementwiseVariant = 'simd128',
  ): WasmElementwise | null {
    if (!arena) return null;
    const e = instantiateElementwise(arena.api, arena.memory, variant);
    return (
      e &&
      new WasmElementwise(
        variant,
        arena,
        e.tanh,
        e.momentum,
        e.tanhBackward,
        e.im2col,
        e.mul,
        e.bernoulli,
        e.lstmForward,
        e.lstmBackward,
        e.add,
        e.colSum,
        e.sgd,
        e.adam,
      )
    );
  }

  /**
   * y[i] = tanh(x[i]) for i < min(x.length, y.length); y may be x. `run` replaces the export once
   * the operands are placed (kernels/parallel.ts splits the range across threads).
   */
  tanh(x: Float32Array, y: Float32Array, run: TanhExport = this.tanhRun): void {
    const n = Math.min(x.length, y.length);
    const arena = this.arena;
    const xR = arena.resident(x),
      yIn = arena.owns(y);
    const xIn = xR !== null;
    if (xR && yIn) {
      run(xR.byteOffset, y.byteOffset, n);
      return;
    }
    const at = this.scratch.reserve(n * 4);
    const xOff = xR ? xR.byteOffset : at;
    if (!xIn) this.scratch.view.set(x.subarray(0, n), at >> 2);
    const yOff = yIn ? y.byteOffset : at;
    run(xOff, yOff, n);
    if (!yIn) y.set(this.scratch.view.subarray(at >> 2, (at >> 2) + n));
  }

  /** dx[i] = dy[i]·(1 − y[i]²) for i < dx.length (dy, y at least as long); dx may be dy. */
  tanhBackward(
    dy: Float32Array,
    y: Float32Array,
    dx: Float32Array,
    run: TanhBackwardExport = this.tanhBackwardRun,
  ): void {
    const n = dx.length;
    const arena = this.arena;
    const dyR = arena.resident(dy),
      yR = arena.resident(y),
      dxIn = arena.owns(dx);
    const dyIn = dyR !== null,
      yIn = yR !== null;
    const need = (dyIn ? 0 : n * 4) + (yIn ? 0 : n * 4);
    const at = this.scratch.reserve(Math.max(need, dxIn ? 0 : n * 4));
    const v = this.scratch.view;
    let top = at;
    const place = (x: Float32Array, resident: Float32Array | null): number => {
      if (resident) return resident.byteOffset;
      const off = top;
      v.set(x.subarray(0, n), off >> 2);
      top += n * 4;
      return off;
    };
    const dyOff = place(dy, dyR),
      yOff = place(y, yR);
    const dxOff = dxIn ? dx.byteOffset : at; // over dy's (or y's) copy: the kernel reads each element before writing it
    run(dyOff, yOff, dxOff, n);
    if (!dxIn) dx.set(v.subarray(dxOff >> 2, (dxOff >> 2) + n));
  }

  /**
   * v ← μ·v + gScale·g; w ← w − wScale·v over all of w, in place. Returns false (and does
   * nothing) unless w, g and v all live in the arena and have w's length.
   */
  momentum(w: Float32Array, g: Float32Array, v: Float32Array, mu: number, gScale: number, wScale: number): boolean {
    const arena = this.arena;
    if (!arena.owns(w) || !arena.owns(g) || !arena.owns(v) || g.length !== w.length || v.length !== w.length)
      return false;
    this.momentumRun(w.byteOffset, g.byteOffset, v.byteOffset, w.length, mu, gScale, wScale);
    return true;
  }

  /**
   * w ← w − lr·g over all of w, in place, with the same bits as the optimizer's JavaScript loop.
   * Returns false (and does nothing) unless w and g live in the arena and have the same length.
   */
  sgd(w: Float32Array, g: Float32Array, lr: number): boolean {
    if (!this.arena.owns(w) || !this.arena.owns(g) || g.length !== w.length) return false;
    this.sgdRun(w.byteOffset, g.byteOffset, w.length, lr);
    return true;
  }

  /**
   * One Adam step over all of w, in place (m, v its moments; c1, c2 the bias corrections), with the
   * same bits as optim/adam.ts's JavaScript loop. Returns false (and does nothing) unless all four
   * live in the arena and have w's length.
   */
  adam(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    o: { b1: number; b2: number; c1: number; c2: number; lr: number; eps: number },
  ): boolean {
    const arena = this.arena;
    // As momentum's check, without an array and a closure per parameter per step.
    const n = w.length;
    if (!arena.owns(w) || !arena.owns(g) || !arena.owns(m) || !arena.owns(v)) return false;
    if (g.length !== n || m.length !== n || v.length !== n) return false;
    const { b1, b2 } = o;
    this.adamRun(
      w.byteOffset,
      g.byteOffset,
      m.byteOffset,
      v.byteOffset,
      w.length,
      b1,
      1 - b1,
      b2,
      1 - b2,
      o.c1,
      o.c2,
      o.lr,
      o.eps,
    );
    return true;
  }

  /**
   * Draws binomial(1, p) into `out` (in the arena) with the MT19937 state `mt` at position `pos`,
   * which are updated in place (the state is copied into a scratch block and back); returns the
   * new position, or null (nothing done) when out is not in the arena. See kernels/bernoulliKernel.ts.
   */
  bernoulli(
    out: Float32Array,
    mt: Uint32Array,
    pos: number,
    qn: number,
    pxAfterOne: number,
    flip: boolean,
    one: number,
  ): number | null {
    if (!this.arena.owns(out) || mt.length !== 624) return null;
    const at = this.scratch.reserve(2 * 624 * 4); // the state, then its tempered copy (elementwise.wat)
    const words = new Uint32Array(this.arena.buffer(), at, 624);
    words.set(mt);
    const next = this.bernoulliRun(at, pos, out.byteOffset, out.length, qn, pxAfterOne, flip ? 1 : 0, one);
    mt.set(new Uint32Array(this.arena.buffer(), at, 624));
    return next;
  }

  /**
   * out = a ⊙ b over out's length, in place. Returns false (and does nothing) unless all three
   * live in the arena (step tensors do) and a and b are at least as long as out.
   */
  mul(a: Float32Array, b: Float32Array, out: Float32Array): boolean {
    return this.binary(this.mulRun, a, b, out);
  }

  /** out = a + b over out's length, in place; false (nothing done) as for `mul`. */
  add(a: Float32Array, b: Float32Array, out: Float32Array): boolean {
    return this.binary(this.addRun, a, b, out);
  }

  private binary(run: MulExport, a: Float32Array, b: Float32Array, out: Float32Array): boolean {
    const arena = this.arena;
    if (!arena.owns(a) || !arena.owns(b) || !arena.owns(out) || a.length < out.length || b.length < out.length)
      return false;
    run(a.byteOffset, b.byteOffset, out.byteOffset, out.length);
    return true;
  }
}

/**
 * Instantiates one variant of elementwise.wat on a shared memory; null when the runtime cannot
 * validate it. Helper threads (kernels/kernelThread.ts) call this on the engine's memory.
 */
export function instantiateElementwise(
  wasm: WasmApi,
  memory: WasmMemory,
  variant: WasmElementwiseVariant = 'simd128',
): ElementwiseExports | null {
  const bytes = decodeBase64(
    variant === 'relaxedSimd' ? wasmBinaries.elementwiseRelaxedSimd : wasmBinaries.elementwise,
  );
  if (!wasm.validate(bytes)) return null;
  const e = new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports;
  return {
    tanh: e.tanh as TanhExport,
    tanhBackward: e.tanhBackward as TanhBackwardExport,
    momentum: e.momentum as MomentumExport,
    sgd: e.sgd as SgdExport,
    adam: e.adam as ElementwiseExports['adam'],
    im2col: e.im2col as Im2colExport,
    mul: e.mul as MulExport,
    add: e.add as MulExport,
    bernoulli: e.bernoulli as BernoulliExport,
    lstmForward: e.lstmForward as LstmForwardExport,
    lstmBackward: e.lstmBackward as LstmBackwardExport,
    colSum: e.colSum as ElementwiseExports['colSum'],
  };
}
