import { assertShape } from '../errors';
import { gemm } from '../kernels/gemm';
import { type GemmProduct, gemmMany } from '../kernels/gemmMany';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { type ForwardMode, makeParam, OpContext, Operation, opTensor, Param } from './operation';

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

  /**
   * `forward` of several WeightMultiplies on one input (an LSTM step's four gates, each
   * [in + hidden, hidden]): the same outputs and contexts, the products run as one batch
   * (kernels/gemmMany.ts), shared out among the kernel threads.
   */
  static forwardAll(ops: readonly WeightMultiply[], x: Tensor, mode: ForwardMode): { y: Tensor; ctx: OpContext }[] {
    const [b, k] = x.shape;
    const products: GemmProduct[] = [];
    const out = ops.map((op) => {
      op.checkInput(x);
      const ctx: OpContext = { x, y: x };
      if (mode.training && mode.step) ctx.step = mode.step;
      const n = op.w.value.shape[1];
      ctx.y = opTensor(ctx, [b, n], x.dtype);
      products.push({ layout: 'NN', a: x.data, b: op.w.value.data, c: ctx.y.data, m: b, k, n });
      return { y: ctx.y, ctx };
    });
    gemmMany(products);
    return out;
  }

  /**
   * `backward` (or, without `withParams`, `backwardInput`) of each op for its dy, as one batch of
   * products: dx_i = dy_i·W_iᵀ and dW_i += x_iᵀ·dy_i. Returns the dx's in order.
   */
  static backwardAll(
    ops: readonly WeightMultiply[],
    dys: readonly Tensor[],
    ctxs: readonly OpContext[],
    withParams: boolean,
  ): Tensor[] {
    const products: GemmProduct[] = [];
    const dxs = ops.map((op, i) => {
      const dy = dys[i],
        ctx = ctxs[i];
      assertShape(
        dy.sameShape(ctx.y),
        () =>
          `${op.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`,
      );
      const [b, n] = dy.shape;
      const k = op.w.value.shape[0];
      const dx = opTensor(ctx, [b, k], dy.dtype);
      products.push({ layout: 'NT', a: dy.data, b: op.w.value.data, c: dx.data, m: b, k: n, n: k });
      if (withParams)
        products.push({ layout: 'TN', a: ctx.x.data, b: dy.data, c: op.w.grad.data, m: k, k: b, n, accumulate: true });
      return dx;
    });
    gemmMany(products);
    return dxs;
  }
}
