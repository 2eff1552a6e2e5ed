import { assertShape } from '../errors';
import { gemm } from '../kernels/gemm';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { makeParam, OpContext, Operation, opTensor, Param } from './operation';

/**
 * WeightMultiply: y = x·W.
 * Shape: x [batch, in] · W [in, out] → y [batch, out].
 * Gradients: dx = dy·Wᵀ [batch, in]; dW += xᵀ·dy [in, out].
 * Products go through kernels/gemm.ts: WebAssembly SIMD for float32, reference kernels for float64.
 */
export class WeightMultiply extends Operation {
  readonly name = 'WeightMultiply';
  readonly equation = 'y = x·W\n∂L/∂x = ∂L/∂y·Wᵀ\n∂L/∂W = xᵀ·∂L/∂y';
  readonly w: Param;

  /** `paramName` names the parameter ('W'; a recurrent cell's 'W_f', 'W_xr', ...). */
  constructor(w: Tensor, paramName = 'W') {
    super();
    assertShape(w.rank === 2, () => `WeightMultiply: W must be rank 2 [in, out], got ${formatShape(w.shape)}`);
    this.w = makeParam(paramName, w);
    this.params.push(this.w);
  }

  protected override checkInput(x: Tensor): void {
    assertShape(
      x.rank === 2 && x.shape[1] === this.w.value.shape[0],
      () =>
        `WeightMultiply: input must be [batch, ${this.w.value.shape[0]}] to multiply W ${formatShape(this.w.value.shape)}, got ${formatShape(x.shape)}`,
    );
  }

  protected output(x: Tensor, ctx: OpContext): Tensor {
    const [b, k] = x.shape;
    const n = this.w.value.shape[1];
    // In a training step x (a step tensor or the Trainer's batch buffer) and y live in the arena,
    // where the product reads and writes them in place.
    const y = opTensor(ctx, [b, n], x.dtype);
    gemm('NN', x.data, this.w.value.data, y.data, b, k, n);
    return y;
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const [b, n] = dy.shape;
    const k = this.w.value.shape[0];
    const dx = opTensor(ctx, [b, k], dy.dtype);
    gemm('NT', dy.data, this.w.value.data, dx.data, b, n, k);
    return dx;
  }

  protected override paramGrads(dy: Tensor, ctx: OpContext): void {
    const [b, k] = ctx.x.shape;
    const n = dy.shape[1];
    gemm('TN', ctx.x.data, dy.data, this.w.grad.data, k, b, n, true);
  }
}
