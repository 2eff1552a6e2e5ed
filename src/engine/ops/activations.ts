import { tanhBackwardKernel, tanhKernel } from '../kernels/tanhKernel';
import type { Profile } from '../profile';
import { Tensor } from '../tensor/tensor';
import { mapUnary, OpContext, Operation, opTensor } from './operation';

/*
 * Elementwise activations. Shape: any → same shape. Each backward is dx = dy ⊙ f'(x), written
 * from the saved output where that is cheaper (sigmoid, tanh).
 */

/** Linear (identity): y = x; dx = dy. */
export class Linear extends Operation {
  readonly name = 'Linear';
  readonly equation = 'y = x\n∂L/∂x = ∂L/∂y';
  protected output(x: Tensor): Tensor {
    return x;
  }
  protected inputGrad(dy: Tensor): Tensor {
    return dy;
  }
}

/** Sigmoid: y = 1/(1+e^−x); dx = dy ⊙ y(1−y). */
export class Sigmoid extends Operation {
  readonly name = 'Sigmoid';
  readonly equation = 'y = σ(x)\n∂L/∂x = ∂L/∂y ⊙ y(1−y)';
  protected output(x: Tensor, ctx: OpContext): Tensor {
    return mapUnary(x, (v) => 1 / (1 + Math.exp(-v)), ctx);
  }
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const dx = opTensor(ctx, dy.shape, dy.dtype);
    const y = ctx.y.data,
      d = dy.data,
      o = dx.data;
    for (let i = 0; i < o.length; i++) o[i] = d[i] * y[i] * (1 - y[i]);
    return dx;
  }
}

/**
 * Tanh: y = tanh(x); dx = dy ⊙ (1−y²). Both run on kernels/tanhKernel.ts; in a training step on
 * the WebAssembly kernels x, y, dy and dx all live in the step arena, so the kernels work in place.
 */
export class Tanh extends Operation {
  readonly name = 'Tanh';
  readonly equation = 'y = tanh(x)\n∂L/∂x = ∂L/∂y ⊙ (1−y²)';
  protected output(x: Tensor, ctx: OpContext): Tensor {
    const y = opTensor(ctx, x.shape, x.dtype);
    tanhKernel(x.data, y.data);
    return y;
  }
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const dx = opTensor(ctx, dy.shape, dy.dtype);
    tanhBackwardKernel(dy.data, ctx.y.data, dx.data);
    return dx;
  }
}

/**
 * ReLU: y = max(0, x); dx = dy where x > 0, else 0.
 * Book profile quirk (E4.4 only): the book's backward masks on `output >= 0`, which is always
 * true, so its gradient passes through unchanged; `identityBackward` reproduces that.
 */
export class ReLU extends Operation {
  readonly name = 'ReLU';
  readonly equation = 'y = max(0, x)\n∂L/∂x = ∂L/∂y ⊙ [x > 0]';
  constructor(private readonly identityBackward = false) {
    super();
  }
  static forProfile(profile: Profile): ReLU {
    return new ReLU(profile.reluIdentityBackward);
  }
  protected output(x: Tensor, ctx: OpContext): Tensor {
    return mapUnary(x, (v) => (v > 0 ? v : 0), ctx);
  }
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    if (this.identityBackward) return dy.clone();
    const dx = opTensor(ctx, dy.shape, dy.dtype);
    const x = ctx.x.data,
      d = dy.data,
      o = dx.data;
    for (let i = 0; i < o.length; i++) o[i] = x[i] > 0 ? d[i] : 0;
    return dx;
  }
}

/** Leaky ReLU: y = x for x > 0, αx otherwise (the book's chapter 1 uses α = 0.2). */
export class LeakyReLU extends Operation {
  readonly name = 'LeakyReLU';
  readonly equation = 'y = x if x > 0 else αx\n∂L/∂x = ∂L/∂y ⊙ (1 or α)';
  constructor(readonly alpha = 0.01) {
    super();
  }
  protected output(x: Tensor, ctx: OpContext): Tensor {
    const a = this.alpha;
    return mapUnary(x, (v) => (v > 0 ? v : a * v), ctx);
  }
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const dx = opTensor(ctx, dy.shape, dy.dtype);
    const x = ctx.x.data,
      d = dy.data,
      o = dx.data,
      a = this.alpha;
    for (let i = 0; i < o.length; i++) o[i] = x[i] > 0 ? d[i] : a * d[i];
    return dx;
  }
}
