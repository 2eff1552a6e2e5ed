import type { Profile } from '../profile';
import type { RandomState } from '../random/randomState';
import { ForwardMode, OpContext, Operation, Param } from '../ops/operation';
import type { Shape } from '../tensor/shape';
import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import { DType, Tensor, TensorData } from '../tensor/tensor';

/** What a layer needs to create its parameters. */
export interface SetupContext {
  readonly rng: RandomState;
  readonly profile: Profile;
  readonly dtype: DType;
  /** The network seed: book-profile Dense layers reseed the shared RNG with it. */
  readonly seed: number;
}

/**
 * One tensor of a layer's state: a value that is part of the model but not trained by the
 * optimizer (a recurrent layer's carried state, batch norm's running mean and variance). `name`
 * is unique within the layer and distinct from its parameters' names (files name it
 * `<layer>.<name>`).
 */
export interface StateTensor {
  readonly name: string;
  readonly value: Tensor;
}

/** The record of one layer call: its input, output and each operation's context, in order. */
export interface LayerTape {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly ops: readonly OpContext[];
}

/**
 * The book's Layer: a chain of Operations built on first use from the input's shape. Per-call
 * state lives in the returned tape, never on the layer, so a layer may run several times in
 * one graph (recurrent cells) and telemetry can read activations without the layer storing them.
 */
export abstract class Layer {
  /** Kind name shown in errors and summaries, e.g. 'Dense'. */
  abstract readonly kind: string;
  /** Display name, e.g. 'dense1' (set by the network or the model file). */
  name = '';
  protected operations: Operation[] = [];
  private built = false;

  get isBuilt(): boolean {
    return this.built;
  }

  /** Operations in forward order (read-only view for telemetry and the computational-graph view). */
  get ops(): readonly Operation[] {
    return this.operations;
  }

  /** Output shape for an input shape (without the batch axis), or a ShapeError. */
  abstract outputShape(inputShape: Shape): Shape;

  /** Creates parameters and operations for this input shape (without the batch axis). */
  build(inputShape: Shape, setup: SetupContext): void {
    this.operations = this.createOperations(inputShape, setup);
    this.built = true;
  }

  /** Marks the layer for re-initialisation on its next forward (the book's `first = True`). */
  reset(): void {
    this.built = false;
  }

  protected abstract createOperations(inputShape: Shape, setup: SetupContext): Operation[];

  forward(x: Tensor, mode: ForwardMode): { y: Tensor; tape: LayerTape } {
    const ctxs: OpContext[] = [];
    let h = x;
    for (const op of this.operations) {
      const r = op.forward(h, mode);
      ctxs.push(r.ctx);
      h = r.y;
    }
    return { y: h, tape: { x, y: h, ops: ctxs } };
  }

  backward(dy: Tensor, tape: LayerTape): Tensor {
    let g = dy;
    for (let i = this.operations.length - 1; i >= 0; i--) g = this.operations[i].backward(g, tape.ops[i]);
    return g;
  }

  /** dL/dx without touching parameter gradients. */
  backwardInput(dy: Tensor, tape: LayerTape): Tensor {
    let g = dy;
    for (let i = this.operations.length - 1; i >= 0; i--) g = this.operations[i].backwardInput(g, tape.ops[i]);
    return g;
  }

  /** Backward for parameter gradients only (the network's first layer: dL/dx is never used). */
  backwardParamsOnly(dy: Tensor, tape: LayerTape): void {
    let g = dy;
    let first = 0;
    while (first < this.operations.length && this.operations[first].params.length === 0) first++;
    for (let i = this.operations.length - 1; i > first; i--) g = this.operations[i].backward(g, tape.ops[i]);
    if (first < this.operations.length) this.operations[first].backwardParamsOnly(g, tape.ops[first]);
  }

  params(): Param[] {
    const out: Param[] = [];
    for (const op of this.operations) out.push(...op.params);
    return out;
  }

  /**
   * The layer's state as copies (holding them across calls is safe), in a fixed order; empty for
   * layers without state and before the layer is built. NeuralNetwork's snapshot/restore (the
   * best model), checkpoints, weights files, telemetry's probe and text sampling use it.
   */
  state(): StateTensor[] {
    return [];
  }

  /** Replaces the state with `values` (as `state()` returns them, same order and sizes; copied in). */
  loadState(values: readonly TensorData[]): void {
    assertShape(values.length === 0, () => `${this.kind}: has no state, got ${values.length} tensor(s)`);
  }

  /** A copy of `data` as a tensor of `like`'s shape and dtype (for loadState), checking its size. */
  protected stateFrom(data: TensorData, like: { readonly shape: Shape; readonly dtype: DType }, name: string): Tensor {
    const t = Tensor.zeros(like.shape, like.dtype);
    assertShape(
      data.length === t.size,
      () =>
        `${this.kind} ${this.name}: state '${name}' ${formatShape(like.shape)} needs ${t.size} values, got ${data.length}`,
    );
    t.data.set(data);
    return t;
  }

  parameterCount(): number {
    let n = 0;
    for (const p of this.params()) n += p.value.size;
    return n;
  }
}
