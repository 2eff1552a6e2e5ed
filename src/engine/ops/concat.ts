import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { BinaryContext, BinaryOperation } from './binaryOperation';
import { opTensor } from './operation';

/**
 * Concat: the book's column stack `[X, H]` that feeds an RNN or LSTM cell's weight multiplies.
 * Shape: a [batch, m], b [batch, n] → y [batch, m + n]. Backward splits dy at column m:
 * da = dy[:, :m], db = dy[:, m:].
 */
export class Concat extends BinaryOperation {
  readonly name = 'Concat';
  readonly equation = 'y = [a, b] (along features)\n∂L/∂a, ∂L/∂b = the two parts of ∂L/∂y';

  protected checkInputs(a: Tensor, b: Tensor): void {
    assertShape(
      a.rank === 2 && b.rank === 2 && a.shape[0] === b.shape[0],
      () =>
        `Concat: inputs must be [batch, m] and [batch, n] with one batch size, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }

  protected output(a: Tensor, b: Tensor, ctx: BinaryContext): Tensor {
    const [rows, m] = a.shape;
    const n = b.shape[1];
    const y = opTensor(ctx, [rows, m + n], a.dtype);
    const ad = a.data,
      bd = b.data,
      yd = y.data;
    for (let r = 0; r < rows; r++) {
      yd.set(ad.subarray(r * m, (r + 1) * m), r * (m + n));
      yd.set(bd.subarray(r * n, (r + 1) * n), r * (m + n) + m);
    }
    return y;
  }

  protected inputGrads(dy: Tensor, ctx: BinaryContext): [Tensor, Tensor] {
    const [rows, m] = ctx.a.shape;
    const n = ctx.b.shape[1];
    const da = opTensor(ctx, ctx.a.shape, dy.dtype),
      db = opTensor(ctx, ctx.b.shape, dy.dtype);
    const d = dy.data;
    for (let r = 0; r < rows; r++) {
      da.data.set(d.subarray(r * (m + n), r * (m + n) + m), r * m);
      db.data.set(d.subarray(r * (m + n) + m, (r + 1) * (m + n)), r * n);
    }
    return [da, db];
  }
}
