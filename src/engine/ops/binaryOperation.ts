import { assertShape } from '../errors';
import type { StepArena } from '../kernels/stepArena';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { ForwardMode } from './operation';

/** What one application of a two-input operation saved for its backward pass. */
export interface BinaryContext {
  a: Tensor;
  b: Tensor;
  y: Tensor;
  /** The step arena of the training forward that made this context (its backward allocates there too). */
  step?: StepArena;
}

/**
 * An Operation with two inputs and no parameters (concatenation, elementwise sum and product):
 * the joins of a recurrent cell's graph. Like Operation, definitions are shared and each call
 * gets its own context, so one instance can run at every time step.
 */
export abstract class BinaryOperation {
  abstract readonly name: string;
  /** Forward and backward formulas, one a line (as Operation.equation). */
  abstract readonly equation: string;

  forward(a: Tensor, b: Tensor, mode: ForwardMode): { y: Tensor; ctx: BinaryContext } {
    assertShape(a.dtype === b.dtype, () => `${this.name}: inputs must have one dtype, got ${a.dtype} and ${b.dtype}`);
    this.checkInputs(a, b);
    const ctx: BinaryContext = { a, b, y: a };
    if (mode.training && mode.step) ctx.step = mode.step;
    ctx.y = this.output(a, b, ctx);
    return { y: ctx.y, ctx };
  }

  /** Returns [dL/da, dL/db]. They may be `dy` itself (sums): callers must not write into them. */
  backward(dy: Tensor, ctx: BinaryContext): [Tensor, Tensor] {
    assertShape(
      dy.sameShape(ctx.y),
      () =>
        `${this.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`,
    );
    return this.inputGrads(dy, ctx);
  }

  /** Throws a ShapeError if the two inputs cannot be combined. */
  protected abstract checkInputs(a: Tensor, b: Tensor): void;
  protected abstract output(a: Tensor, b: Tensor, ctx: BinaryContext): Tensor;
  protected abstract inputGrads(dy: Tensor, ctx: BinaryContext): [Tensor, Tensor];
}
