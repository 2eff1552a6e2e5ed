import { assertShape, assertValue } from '../errors';
import type { BiasAdd } from '../ops/biasAdd';
import { ForwardMode, OpContext, Operation, opTensor } from '../ops/operation';
import type { WeightMultiply } from '../ops/weightMultiply';
import { formatShape } from '../tensor/shape';
import { DType, Tensor } from '../tensor/tensor';
import { back, RecurrentCell } from './recurrentCell';

/**
 * Where each call's state starts. 'zero' (modern): H (and C) = 0 for every batch, the usual
 * choice for shuffled, independent sequences. 'carry' (the book, §3.12): the batch mean of the
 * previous call's final state, as a constant (no gradient flows across calls).
 */
export type RecurrentStateMode = 'zero' | 'carry';

interface RecurrentContext extends OpContext {
  /** One cell tape per time step. */
  tapes: unknown[];
  /** Contexts of the output projection's weight multiply and bias add. */
  projection: [OpContext, OpContext];
  /** ‖∂L/∂H_t‖ over the batch for each step t, set by the last backward of this call. */
  hGradNorms?: Float64Array;
}

/**
 * One call's recurrent internals over time, for telemetry (the Sequence view): each traced value
 * (H_t, C_t, the gates) for the first `steps` steps and `units` units, and ‖∂L/∂H_t‖ per step.
 */
export interface SequenceTrace {
  /** 'RNN', 'LSTM', 'GRU'. */
  readonly kind: string;
  /** Steps recorded (the call's T, capped) and the call's T. */
  readonly steps: number;
  readonly totalSteps: number;
  /** Units recorded (the hidden size, capped) and the hidden size. */
  readonly units: number;
  readonly hiddenSize: number;
  /** 'h' first, then 'c' (LSTM) and the gates; values [steps, units] row-major, batch row 0. */
  readonly series: readonly { readonly name: string; readonly values: Float32Array }[];
  /** ‖∂L/∂H_t‖ per recorded step over the call's batch (the probe has one row); NaN before a backward. */
  readonly gradNorm: Float32Array;
}

/**
 * A recurrent cell unrolled over the T steps of one call, plus the book's output projection
 * out_t = H_t·W_v + B_v (applied to all steps as one product: the same numbers as per step).
 * Shape: x [batch, T, in] → y [batch, T, out]. Backward is backpropagation through time over the
 * call's T steps. Parameters: the cell's, then W_v [hidden, out], B_v [1, out].
 *
 * The one stateful thing here is the carried state in 'carry' mode, and it is state of the
 * model, not of a call: every forward (training or not, as the book's) replaces it.
 */
export class RecurrentOperation extends Operation {
  readonly name: string;
  readonly equation: string;
  private carried: Tensor[] | null = null;

  constructor(
    readonly cell: RecurrentCell,
    readonly wv: WeightMultiply,
    readonly bv: BiasAdd,
    public stateMode: RecurrentStateMode,
  ) {
    super();
    this.name = cell.kind;
    this.equation = `${cell.equation}\nout_t = H_t·W_v + B_v  (t = 1 … T)\n∂L/∂x_t, ∂L/∂W: backpropagation through time, t = T … 1`;
    this.params.push(...cell.params, wv.w, bv.b);
  }

  /** The [1, hidden] tensors (H, C) the next call starts from in 'carry' mode, or null (zeros). */
  get carriedState(): Tensor[] | null {
    return this.carried;
  }

  set carriedState(state: Tensor[] | null) {
    if (state) {
      const n = this.cell.hiddenSize;
      assertValue(
        state.length === this.cell.stateCount &&
          state.every((s) => s.rank === 2 && s.shape[0] === 1 && s.shape[1] === n),
        () =>
          `${this.name}: a carried state is ${this.cell.stateCount} tensor(s) of shape [1, ${n}], got ${state.map((s) => formatShape(s.shape)).join(', ')}`,
      );
    }
    this.carried = state;
  }

  protected override checkInput(x: Tensor): void {
    assertShape(
      x.rank === 3 && x.shape[1] > 0 && x.shape[2] === this.cell.inputSize,
      () => `${this.name}: input must be [batch, T, ${this.cell.inputSize}] with T >= 1, got ${formatShape(x.shape)}`,
    );
  }

  protected output(x: Tensor, ctx: OpContext, mode: ForwardMode): Tensor {
    const [b, steps, f] = x.shape;
    const n = this.cell.hiddenSize;
    let state = this.initialState(b, x.dtype, ctx);
    // H of every step, [batch, T, hidden], for the projection.
    const hs = opTensor(ctx, [b, steps, n], x.dtype);
    const tapes: unknown[] = [];
    this.cell.beginSequence?.(mode);
    for (let t = 0; t < steps; t++) {
      const xt = opTensor(ctx, [b, f], x.dtype);
      for (let r = 0; r < b; r++) xt.data.set(x.data.subarray((r * steps + t) * f, (r * steps + t + 1) * f), r * f);
      const s = this.cell.step(xt, state, mode);
      tapes.push(s.tape);
      state = s.state;
      const h = state[0].data;
      for (let r = 0; r < b; r++) hs.data.set(h.subarray(r * n, (r + 1) * n), (r * steps + t) * n);
    }
    if (this.stateMode === 'carry') this.carried = state.map(batchMean);
    const m = this.wv.forward(hs.reshape([b * steps, n]), mode);
    const y = this.bv.forward(m.y, mode);
    const c = ctx as RecurrentContext;
    c.tapes = tapes;
    c.projection = [m.ctx, y.ctx];
    return y.y.reshape([b, steps, y.y.shape[1]]);
  }

  override backward(dy: Tensor, ctx: OpContext): Tensor {
    this.checkGradient(dy, ctx);
    return this.bptt(dy, ctx, true);
  }

  override backwardParamsOnly(dy: Tensor, ctx: OpContext): void {
    this.checkGradient(dy, ctx);
    this.bptt(dy, ctx, true, false);
  }

  /** dL/dx only (`backwardInput`): parameter gradients untouched. */
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    return this.bptt(dy, ctx, false);
  }

  private checkGradient(dy: Tensor, ctx: OpContext): void {
    assertShape(
      dy.sameShape(ctx.y),
      () =>
        `${this.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`,
    );
  }

  /**
   * Backpropagation through time: from the last step to the first, carrying dL/d(state). Without
   * `withInput` (parameter gradients only) dL/dx is not assembled and the result is null.
   */
  private bptt(dy: Tensor, ctx: OpContext, withParams: true, withInput: false): null;
  private bptt(dy: Tensor, ctx: OpContext, withParams: boolean, withInput?: true): Tensor;
  private bptt(dy: Tensor, ctx: OpContext, withParams: boolean, withInput = true): Tensor | null {
    const c = ctx as RecurrentContext;
    const [b, steps, f] = ctx.x.shape;
    const n = this.cell.hiddenSize;
    const dm = back(this.bv, dy.reshape([b * steps, dy.shape[2]]), c.projection[1], withParams);
    const dHs = back(this.wv, dm, c.projection[0], withParams).data;
    // Nothing flows into the last step's state from later ones (or across calls).
    let dState: Tensor[] = [];
    for (let k = 0; k < this.cell.stateCount; k++) dState.push(opTensor(ctx, [b, n], dy.dtype, true));
    // Telemetry's gradient over time: the norm of dL/dH_t, already computed below (b·n per step).
    const norms = (c.hGradNorms = new Float64Array(steps));
    const dx = withInput ? opTensor(ctx, ctx.x.shape, dy.dtype) : null;
    try {
      for (let t = steps - 1; t >= 0; t--) {
        // dL/dH_t = from the projection at step t + from step t+1.
        const dH = opTensor(ctx, [b, n], dy.dtype);
        const from = dState[0].data,
          o = dH.data;
        // One pass: the sum, stored, and the square of the stored value (float32 rounds the sum).
        let sq = 0;
        for (let r = 0; r < b; r++) {
          const src = (r * steps + t) * n,
            dst = r * n;
          for (let j = 0; j < n; j++) {
            o[dst + j] = from[dst + j] + dHs[src + j];
            const v = o[dst + j];
            sq += v * v;
          }
        }
        norms[t] = Math.sqrt(sq);
        const into = [dH, ...dState.slice(1)];
        if (!dx && this.cell.backStepState) {
          dState = this.cell.backStepState(into, c.tapes[t]);
          continue;
        }
        const s = this.cell.backStep(into, c.tapes[t], withParams);
        if (dx) for (let r = 0; r < b; r++) dx.data.set(s.dx.data.subarray(r * f, (r + 1) * f), (r * steps + t) * f);
        dState = s.dState;
      }
    } finally {
      this.cell.endBackward?.();
    }
    return dx;
  }

  /**
   * The internals of the call that made `ctx` (its forward's tapes, and its backward's ‖∂L/∂H_t‖),
   * for batch row 0, capped at `maxSteps` steps and `maxUnits` units. Read right after the call:
   * a training step's arena reuses the tapes' storage.
   */
  sequenceTrace(ctx: OpContext, maxSteps: number, maxUnits: number): SequenceTrace {
    const c = ctx as RecurrentContext;
    const totalSteps = c.tapes.length;
    const n = this.cell.hiddenSize;
    const steps = Math.min(totalSteps, maxSteps);
    const units = Math.min(n, maxUnits);
    const series: { name: string; values: Float32Array }[] = [];
    for (let t = 0; t < steps; t++) {
      this.cell.trace(c.tapes[t]).forEach((v, k) => {
        if (t === 0) series.push({ name: v.name, values: new Float32Array(steps * units) });
        const d = v.value.data;
        for (let j = 0; j < units; j++) series[k].values[t * units + j] = d[j];
      });
    }
    const gradNorm = new Float32Array(steps).fill(NaN);
    if (c.hGradNorms) gradNorm.set(c.hGradNorms.subarray(0, steps));
    return { kind: this.cell.kind, steps, totalSteps, units, hiddenSize: n, series, gradNorm };
  }

  /** [H] or [H, C] for a batch of `b`: zeros, or the carried state repeated over the batch. */
  private initialState(b: number, dtype: DType, ctx: OpContext): Tensor[] {
    const n = this.cell.hiddenSize;
    const out: Tensor[] = [];
    for (let k = 0; k < this.cell.stateCount; k++) {
      const s = opTensor(ctx, [b, n], dtype, true);
      const carried = this.stateMode === 'carry' ? this.carried?.[k] : undefined;
      if (carried) for (let r = 0; r < b; r++) s.data.set(carried.data, r * n);
      out.push(s);
    }
    return out;
  }
}

/** [batch, n] → [1, n]: the book's `start_H = H.mean(axis=0)`, a persistent tensor. */
function batchMean(s: Tensor): Tensor {
  const [b, n] = s.shape;
  const out = Tensor.zeros([1, n], s.dtype);
  const d = s.data,
    o = out.data;
  for (let r = 0; r < b; r++) for (let j = 0; j < n; j++) o[j] += d[r * n + j];
  for (let j = 0; j < n; j++) o[j] /= b;
  return out;
}
