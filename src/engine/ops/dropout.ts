import { bernoulliKernel } from '../kernels/bernoulliKernel';
import { multiplyKernel } from '../kernels/multiplyKernel';
import { assertValue } from '../errors';
import { Tensor } from '../tensor/tensor';
import { ForwardMode, OpContext, Operation, opTensor } from './operation';

/**
 * Dropout with keep probability p (the book's `dropout=0.8` means keep 80%).
 * Shape: any → same shape. A new mask is drawn from the network's RNG on every training forward,
 * one `binomial(1, p)` per element in C order, as the book's `np.random.binomial` does.
 *
 * Modern (inverted dropout): training y = x ⊙ mask / p; inference y = x.
 * Book profile quirk (E4.12, E4.13, E5.4): training y = x ⊙ mask with no rescaling, and
 * inference y = x · p.
 * Backward uses the saved mask (with the same 1/p factor in modern mode).
 */
export class Dropout extends Operation {
  readonly name = 'Dropout';
  readonly equation = 'y = x ⊙ mask\n∂L/∂x = ∂L/∂y ⊙ mask';

  constructor(readonly keepProb: number) {
    super();
    assertValue(
      Number.isFinite(keepProb) && keepProb > 0 && keepProb <= 1,
      () => `Dropout: keep probability must be in (0, 1], got ${keepProb}`,
    );
  }

  protected output(x: Tensor, ctx: OpContext, mode: ForwardMode): Tensor {
    const p = this.keepProb;
    const book = mode.profile.keepProbDropout;
    const y = opTensor(ctx, x.shape, x.dtype);
    const xd = x.data,
      yd = y.data;
    if (!mode.training) {
      const scale = book ? p : 1;
      for (let i = 0; i < xd.length; i++) yd[i] = xd[i] * scale;
      ctx.scale = scale;
      return y;
    }
    // Keep mask: 1 (book: keep-probability dropout) or 1/p (inverted dropout) where kept, else 0.
    const mask = opTensor(ctx, x.shape, x.dtype);
    bernoulliKernel(mode.rng, mask.data, p, book ? 1 : 1 / p);
    multiplyKernel(xd, mask.data, yd);
    ctx.saved = mask;
    return y;
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const dx = opTensor(ctx, dy.shape, dy.dtype);
    const d = dy.data,
      o = dx.data;
    if (ctx.saved === undefined) {
      // Backward after an inference forward: the op acted as a constant scale.
      const s = ctx.scale ?? 1;
      for (let i = 0; i < o.length; i++) o[i] = d[i] * s;
      return dx;
    }
    multiplyKernel(d, ctx.saved.data, o);
    return dx;
  }
}
