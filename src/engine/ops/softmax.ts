import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import { Tensor, TensorData } from '../tensor/tensor';
import { OpContext, Operation, opTensor } from './operation';

/**
 * Row-wise softmax of `rows × n` values starting at offset 0, written into `out`. Subtracting the
 * row maximum (the logsumexp trick) keeps exp from overflowing.
 */
export function softmaxRows(x: TensorData, out: TensorData, rows: number, n: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (x[o + j] > max) max = x[o + j];
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(x[o + j] - max);
      out[o + j] = e;
      sum += e;
    }
    for (let j = 0; j < n; j++) out[o + j] /= sum;
  }
}

/**
 * Softmax over the last axis.
 * Shape: [batch, n] → [batch, n]. Backward: dx = y ⊙ (dy − Σ_j dy_j y_j), row by row.
 */
export class Softmax extends Operation {
  readonly name = 'Softmax';
  readonly equation = 'y = softmax(x)\n∂L/∂x = y ⊙ (∂L/∂y − Σ ∂L/∂y ⊙ y)';

  protected override checkInput(x: Tensor): void {
    assertShape(x.rank === 2, () => `Softmax: input must be rank 2 [batch, classes], got ${formatShape(x.shape)}`);
  }

  protected output(x: Tensor, ctx: OpContext): Tensor {
    const y = opTensor(ctx, x.shape, x.dtype);
    softmaxRows(x.data, y.data, x.shape[0], x.shape[1]);
    return y;
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const [rows, n] = dy.shape;
    const dx = opTensor(ctx, dy.shape, dy.dtype);
    const y = ctx.y.data,
      d = dy.data,
      o = dx.data;
    for (let i = 0; i < rows; i++) {
      const r = i * n;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += d[r + j] * y[r + j];
      for (let j = 0; j < n; j++) o[r + j] = y[r + j] * (d[r + j] - dot);
    }
    return dx;
  }
}
