import { Tensor } from '../tensor/tensor';
import { Loss, LossContext } from './loss';

/**
 * Binary cross-entropy on probabilities (e.g. after a sigmoid activation).
 * Shape: p, y [batch, outputs] with y in [0, 1] → scalar
 * L = −Σ [y log p + (1−y) log(1−p)] / (batch·outputs), p clipped to [eps, 1−eps] so log stays finite.
 * Gradient: (p − y) / (p(1−p)) / N, zero where p was clipped (the clip is flat there).
 */
export class BinaryCrossEntropy extends Loss {
  readonly name = 'BinaryCrossEntropy';
  constructor(readonly eps = 1e-7) {
    super();
  }

  protected compute(prediction: Tensor, target: Tensor): { loss: number; ctx: LossContext } {
    const p = prediction.data,
      y = target.data;
    const lo = this.eps,
      hi = 1 - this.eps;
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const v = p[i] < lo ? lo : p[i] > hi ? hi : p[i];
      s -= y[i] * Math.log(v) + (1 - y[i]) * Math.log(1 - v);
    }
    return { loss: s / p.length, ctx: { prediction, target } };
  }

  protected gradient(ctx: LossContext): Tensor {
    const p = ctx.prediction.data,
      y = ctx.target.data;
    const g = Tensor.zeros(ctx.prediction.shape, ctx.prediction.dtype);
    const n = p.length,
      lo = this.eps,
      hi = 1 - this.eps;
    for (let i = 0; i < n; i++) {
      const v = p[i];
      g.data[i] = v < lo || v > hi ? 0 : (v - y[i]) / (v * (1 - v)) / n;
    }
    return g;
  }
}
