import { assertShape } from '../errors';
import { multiplyKernel } from '../kernels/multiplyKernel';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { BinaryContext, BinaryOperation } from './binaryOperation';
import { opTensor } from './operation';

/*
 * Elementwise two-input operations: the gates of a recurrent cell (f ⊙ C, u ⊙ (H − h̄), ...).
 * Shape: a, b of one shape → y of that shape. Nothing is broadcast.
 */

/** Shared shape check: both inputs of one shape. */
export abstract class Elementwise extends BinaryOperation {
  protected checkInputs(a: Tensor, b: Tensor): void {
    assertShape(
      a.sameShape(b),
      () =>
        `${this.name}: inputs must have one shape (nothing is broadcast), got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
}

/** Add: y = a + b; da = db = dy. */
export class Add extends Elementwise {
  readonly name = 'Add';
  readonly equation = 'y = a + b\n∂L/∂a = ∂L/∂b = ∂L/∂y';
  protected output(a: Tensor, b: Tensor, ctx: BinaryContext): Tensor {
    const y = opTensor(ctx, a.shape, a.dtype);
    const ad = a.data,
      bd = b.data,
      yd = y.data;
    for (let i = 0; i < yd.length; i++) yd[i] = ad[i] + bd[i];
    return y;
  }
  protected inputGrads(dy: Tensor): [Tensor, Tensor] {
    return [dy, dy];
  }
}

/** Subtract: y = a − b; da = dy, db = −dy. */
export class Subtract extends Elementwise {
  readonly name = 'Subtract';
  readonly equation = 'y = a − b\n∂L/∂a = ∂L/∂y\n∂L/∂b = −∂L/∂y';
  protected output(a: Tensor, b: Tensor, ctx: BinaryContext): Tensor {
    const y = opTensor(ctx, a.shape, a.dtype);
    const ad = a.data,
      bd = b.data,
      yd = y.data;
    for (let i = 0; i < yd.length; i++) yd[i] = ad[i] - bd[i];
    return y;
  }
  protected inputGrads(dy: Tensor, ctx: BinaryContext): [Tensor, Tensor] {
    const db = opTensor(ctx, dy.shape, dy.dtype);
    const d = dy.data,
      o = db.data;
    for (let i = 0; i < o.length; i++) o[i] = -d[i];
    return [dy, db];
  }
}

/** Multiply (Hadamard product): y = a ⊙ b; da = dy ⊙ b, db = dy ⊙ a. */
export class Multiply extends Elementwise {
  readonly name = 'Multiply';
  readonly equation = 'y = a ⊙ b\n∂L/∂a = ∂L/∂y ⊙ b\n∂L/∂b = ∂L/∂y ⊙ a';
  protected output(a: Tensor, b: Tensor, ctx: BinaryContext): Tensor {
    const y = opTensor(ctx, a.shape, a.dtype);
    multiplyKernel(a.data, b.data, y.data);
    return y;
  }
  protected inputGrads(dy: Tensor, ctx: BinaryContext): [Tensor, Tensor] {
    const da = opTensor(ctx, dy.shape, dy.dtype),
      db = opTensor(ctx, dy.shape, dy.dtype);
    multiplyKernel(dy.data, ctx.b.data, da.data);
    multiplyKernel(dy.data, ctx.a.data, db.data);
    return [da, db];
  }
}
