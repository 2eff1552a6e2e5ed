import { ArenaCopy } from '../kernels/arenaWorkspace';
import { kernelArena } from '../kernels/kernelBackend';
import { tanhBackwardKernel, tanhKernel } from '../kernels/tanhKernel';
import type { Profile } from '../profile';
import { Tensor } from '../tensor/tensor';
import { ForwardMode, mapUnary, OpContext, Operation } from './operation';

/*
 * Elementwise activations. Shape: any → same shape. Each backward is dx = dy ⊙ f'(x), written
 * from the saved output where that is cheaper (sigmoid, tanh).
 */

/** Linear (identity): y = x; dx = dy. */
export class Linear extends Operation {
  readonly name = 'Linear';
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
  protected output(x: Tensor): Tensor {
    return mapUnary(x, (v) => 1 / (1 + Math.exp(-v)));
  }
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const dx = Tensor.zeros(dy.shape, dy.dtype);
    const y = ctx.y.data, d = dy.data, o = dx.data;
    for (let i = 0; i < o.length; i++) o[i] = d[i] * y[i] * (1 - y[i]);
    return dx;
  }
}

/** Tanh: y = tanh(x); dx = dy ⊙ (1−y²). The forward runs on kernels/tanhKernel.ts. */
export class Tanh extends Operation {
  readonly name = 'Tanh';
  /** In training on the WebAssembly kernels y is computed in the arena, where backward reads it. */
  private readonly yCopy = new ArenaCopy(this);
  private readonly dxCopy = new ArenaCopy(this);
  protected output(x: Tensor, ctx: OpContext, mode: ForwardMode): Tensor {
    const y = Tensor.zeros(x.shape, x.dtype);
    const kept = mode.training ? this.yCopy.take(x.data, x.size, kernelArena()) : null;
    if (kept) {
      tanhKernel(x.data, kept.view);
      y.data.set(kept.view);
      ctx.saved = new Tensor(x.shape, kept.view);
      ctx.scale = kept.generation;
      const { generation } = kept;
      kernelArena()?.mirror(y.data as Float32Array, kept.view, () => this.yCopy.current(generation));
    } else {
      tanhKernel(x.data, y.data);
    }
    return y;
  }
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const dx = Tensor.zeros(dy.shape, dy.dtype);
    const y = ctx.saved && this.yCopy.current(ctx.scale) ? ctx.saved.data : ctx.y.data;
    const arena = kernelArena();
    const kept = this.dxCopy.take(dx.data, dx.size, arena);
    if (kept && arena) {
      tanhBackwardKernel(dy.data, y, kept.view);
      dx.data.set(kept.view);
      const { generation } = kept;
      arena.mirror(dx.data as Float32Array, kept.view, () => this.dxCopy.current(generation));
    } else {
      tanhBackwardKernel(dy.data, y, dx.data);
    }
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
  constructor(private readonly identityBackward = false) {
    super();
  }
  static forProfile(profile: Profile): ReLU {
    return new ReLU(profile.reluIdentityBackward);
  }
  protected output(x: Tensor): Tensor {
    return mapUnary(x, (v) => (v > 0 ? v : 0));
  }
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    if (this.identityBackward) return dy.clone();
    const dx = Tensor.zeros(dy.shape, dy.dtype);
    const x = ctx.x.data, d = dy.data, o = dx.data;
    for (let i = 0; i < o.length; i++) o[i] = x[i] > 0 ? d[i] : 0;
    return dx;
  }
}

/** Leaky ReLU: y = x for x > 0, αx otherwise (the book's chapter 1 uses α = 0.2). */
export class LeakyReLU extends Operation {
  readonly name = 'LeakyReLU';
  constructor(readonly alpha = 0.01) {
    super();
  }
  protected output(x: Tensor): Tensor {
    const a = this.alpha;
    return mapUnary(x, (v) => (v > 0 ? v : a * v));
  }
  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const dx = Tensor.zeros(dy.shape, dy.dtype);
    const x = ctx.x.data, d = dy.data, o = dx.data, a = this.alpha;
    for (let i = 0; i < o.length; i++) o[i] = x[i] > 0 ? d[i] : a * d[i];
    return dx;
  }
}

