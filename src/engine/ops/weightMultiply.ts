import { assertShape } from '../errors';
import { ArenaCopy } from '../kernels/arenaWorkspace';
import { gemm } from '../kernels/gemm';
import { kernelArena } from '../kernels/kernelBackend';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { ForwardMode, makeParam, OpContext, Operation, opTensor, Param } from './operation';

/** In training on the WebAssembly kernels, x's copy in the arena and its generation (ArenaCopy). */
interface WeightMultiplyContext extends OpContext {
  xArena?: Float32Array;
  xGeneration?: number;
}

/**
 * WeightMultiply: y = x·W.
 * Shape: x [batch, in] · W [in, out] → y [batch, out].
 * Gradients: dx = dy·Wᵀ [batch, in]; dW += xᵀ·dy [in, out].
 * Products go through kernels/gemm.ts: WebAssembly SIMD for float32, reference kernels for float64.
 */
export class WeightMultiply extends Operation {
  readonly name = 'WeightMultiply';
  readonly w: Param;
  /** x copied into the arena once per training forward: both products that read x use it in place. */
  private readonly xCopy = new ArenaCopy(this);

  /** `paramName` names the parameter ('W'; a recurrent cell's 'W_f', 'W_xr', ...). */
  constructor(w: Tensor, paramName = 'W') {
    super();
    assertShape(w.rank === 2, () => `WeightMultiply: W must be rank 2 [in, out], got ${formatShape(w.shape)}`);
    this.w = makeParam(paramName, w);
    this.params.push(this.w);
  }

  protected override checkInput(x: Tensor): void {
    assertShape(x.rank === 2 && x.shape[1] === this.w.value.shape[0], () =>
      `WeightMultiply: input must be [batch, ${this.w.value.shape[0]}] to multiply W ${formatShape(this.w.value.shape)}, got ${formatShape(x.shape)}`);
  }

  protected output(x: Tensor, ctx: OpContext, mode: ForwardMode): Tensor {
    const [b, k] = x.shape;
    const n = this.w.value.shape[1];
    const y = opTensor(ctx, [b, n], x.dtype);
    const arena = mode.training ? kernelArena() : null;
    // An input already in the arena (a step tensor, a batch buffer) is read in place.
    const kept = arena && !arena.resident(x.data as Float32Array) ? this.xCopy.take(x.data, x.size, arena) : null;
    if (kept) {
      kept.view.set(x.data);
      const c = ctx as WeightMultiplyContext;
      c.xArena = kept.view;
      c.xGeneration = kept.generation;
    }
    gemm('NN', kept?.view ?? x.data, this.w.value.data, y.data, b, k, n);
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
    const c = ctx as WeightMultiplyContext;
    const x = c.xArena && this.xCopy.current(c.xGeneration) ? c.xArena : ctx.x.data;
    gemm('TN', x, dy.data, this.w.grad.data, k, b, n, true);
  }
}
