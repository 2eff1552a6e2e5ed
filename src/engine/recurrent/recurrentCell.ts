import { ForwardMode, OpContext, Operation, opTensor, Param } from '../ops/operation';
import { fastElementwise } from '../kernels/kernelBackend';
import type { Tensor } from '../tensor/tensor';

/**
 * Creates one parameter's initial value. A cell calls it once per parameter in the book's draw
 * order (so a seeded book-profile run draws the stream as RNN_DLFS does); the layer decides the
 * distribution from the profile and its options. `bookStd` overrides the book profile's std (the
 * book's GRU draws B_h, W_v and B_v with std 1).
 */
export type DrawParam = (name: string, shape: readonly number[], role: 'weight' | 'bias', bookStd?: number) => Tensor;

/**
 * One time step of a recurrent network, as the book's RNNNode / LSTMNode / GRUNode without the
 * output projection (RecurrentOperation applies H·W_v + B_v to all steps at once).
 * Shape: x [batch, features], state [H] or [H, C], each [batch, hidden] → next state, same shapes.
 * Operations are shared across steps; everything a step saved is in the returned tape.
 */
export interface RecurrentCell<Tape = unknown> {
  /** 'RNN', 'LSTM', 'GRU'. */
  readonly kind: string;
  /** One step's forward formulas (RecurrentOperation adds the projection and BPTT). */
  readonly equation: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Tensors carried from step to step: 1 (H) or 2 (H, C). state[0] is always H. */
  readonly stateCount: number;
  /** Parameters in the book's draw order. */
  readonly params: Param[];
  /**
   * Called once before the `step`s of one call (RecurrentOperation's forward) with its mode: a
   * cell may prepare what all its steps share (the LSTM packs its gate weights once per training
   * call for the fused products).
   */
  beginSequence?(mode: ForwardMode): void;
  step(x: Tensor, state: readonly Tensor[], mode: ForwardMode): { state: Tensor[]; tape: Tape };
  /**
   * BPTT through one step: from dL/d(each output state) (the output projection's share of dH
   * already added) to dL/dx and dL/d(each input state). Adds parameter gradients only when
   * `withParams` (telemetry's probe backward leaves them untouched).
   */
  backStep(dState: readonly Tensor[], tape: Tape, withParams: boolean): { dx: Tensor; dState: Tensor[] };
  /**
   * backStep with parameter gradients but without dL/dx, for a layer whose input gradient nobody
   * wants (the first layer: RecurrentOperation.backwardParamsOnly); returns dL/d(each input state).
   * A cell that has it skips the input's share of the products (LSTM: the x rows of W in dZ·Wᵀ).
   */
  backStepState?(dState: readonly Tensor[], tape: Tape): Tensor[];
  /**
   * Called after the last backStep of a BPTT (also when one threw): a cell that defers work from
   * one backStep to the next (the LSTM's weight gradients) finishes it here.
   */
  endBackward?(): void;
  /**
   * What one step computed, read from its tape (no extra work): named [batch, hidden] values, 'h'
   * (H_t) first, then the cell state 'c' and the gates (LSTM input, forget, output, candidate; GRU
   * reset, update, candidate). Telemetry's Sequence view draws them over time.
   */
  trace(tape: Tape): CellTrace[];
}

/** One named value of a step: H_t, C_t or a gate's activation, [batch, hidden]. */
export interface CellTrace {
  readonly name: string;
  readonly value: Tensor;
}

/** An operation's backward with or without its parameter gradients. */
export function back(op: Operation, dy: Tensor, ctx: OpContext, withParams: boolean): Tensor {
  return withParams ? op.backward(dy, ctx) : op.backwardInput(dy, ctx);
}

/**
 * Σ of gradients arriving at one value from several uses (H feeds every gate and the next
 * state). A new tensor: the terms may be another op's output or saved tensors. Summed in order,
 * ((first + rest[0]) + rest[1]) + …; float32 step tensors on the SIMD add kernel (the same sums:
 * float32 addition through a double rounds to the same float).
 */
export function sumGrads(ctx: { readonly step?: OpContext['step'] }, first: Tensor, ...rest: Tensor[]): Tensor {
  const out = opTensor(ctx, first.shape, first.dtype);
  const o = out.data;
  const fast = fastElementwise();
  if (
    fast &&
    o instanceof Float32Array &&
    fast.arena.owns(o) &&
    rest.length > 0 &&
    [first, ...rest].every((t) => t.data instanceof Float32Array && fast.arena.owns(t.data))
  ) {
    let acc = first.data as Float32Array;
    for (const t of rest) {
      fast.add(acc, t.data as Float32Array, o);
      acc = o;
    }
    return out;
  }
  o.set(first.data);
  for (const t of rest) {
    const d = t.data;
    for (let i = 0; i < o.length; i++) o[i] += d[i];
  }
  return out;
}
