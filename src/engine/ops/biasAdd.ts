import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { makeParam, OpContext, Operation, opTensor, Param } from './operation';

/**
 * BiasAdd: y = x + B, B broadcast over the batch (the only broadcast the engine does, and it is
 * explicit in the op's contract).
 * Shape: x [batch, n] + B [1, n] → y [batch, n]. Gradients: dx = dy; dB += Σ_batch dy.
 */
export class BiasAdd extends Operation {
  readonly name = 'BiasAdd';
  readonly equation = 'y = x + b\n∂L/∂x = ∂L/∂y\n∂L/∂b = Σ ∂L/∂y';
  readonly b: Param;

  /** `paramName` names the parameter ('B'; a recurrent cell's 'B_f', 'B_r', ...). */
  constructor(b: Tensor, paramName = 'B') {
    super();
    assertShape(b.rank === 2 && b.shape[0] === 1, () => `BiasAdd: B must be [1, n], got ${formatShape(b.shape)}`);
    this.b = makeParam(paramName, b);
    this.params.push(this.b);
  }

  protected override checkInput(x: Tensor): void {
    assertShape(
      x.rank === 2 && x.shape[1] === this.b.value.shape[1],
      () =>
        `BiasAdd: input must be [batch, ${this.b.value.shape[1]}] to add B ${formatShape(this.b.value.shape)}, got ${formatShape(x.shape)}`,
    );
  }

  protected output(x: Tensor, ctx: OpContext): Tensor {
    const [rows, n] = x.shape;
    const y = opTensor(ctx, x.shape, x.dtype);
    const xd = x.data,
      yd = y.data,
      bd = this.b.value.data;
    for (let i = 0; i < rows; i++) {
      const o = i * n;
      for (let j = 0; j < n; j++) yd[o + j] = xd[o + j] + bd[j];
    }
    return y;
  }

  protected inputGrad(dy: Tensor): Tensor {
    // dx = dy exactly: shared, as Linear and Add do (no operation writes to a gradient it is given).
    return dy;
  }

  protected override paramGrads(dy: Tensor): void {
    const [rows, n] = dy.shape;
    const g = this.b.grad.data,
      d = dy.data;
    for (let i = 0; i < rows; i++) {
      const o = i * n;
      for (let j = 0; j < n; j++) g[j] += d[o + j];
    }
  }
}
