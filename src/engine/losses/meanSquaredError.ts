import { Tensor } from '../tensor/tensor';
import { Loss, LossContext } from './loss';

export interface MeanSquaredErrorArgs {
  /** Divide each prediction row by its sum before comparing (the book's `normalize=True`). */
  normalize?: boolean;
  /**
   * 'mean' (modern): Σ(p−y)² / (batch·outputs). 'book': Σ(p−y)² / batch — summed over output
   * columns (E4.1, E4.2, and every Boston run, where there is one column and both agree).
   */
  reduction?: 'mean' | 'book';
}

/**
 * Mean squared error. Shape: prediction, target [batch, outputs] → scalar.
 * Gradient: 2(p−y)/N with N = batch·outputs (mean) or batch (book).
 * With `normalize`, q = p / Σ_row p is compared instead; the modern gradient includes the
 * normalisation's Jacobian, dL/dp_j = (g_j − Σ_i g_i q_i)/s, while the book's (E4.2) ignores it
 * and returns g = dL/dq directly.
 */
export class MeanSquaredError extends Loss {
  readonly name = 'MeanSquaredError';
  readonly normalize: boolean;
  readonly reduction: 'mean' | 'book';

  constructor(args: MeanSquaredErrorArgs = {}) {
    super();
    this.normalize = args.normalize ?? false;
    this.reduction = args.reduction ?? 'mean';
  }

  protected compute(prediction: Tensor, target: Tensor): { loss: number; ctx: LossContext } {
    const q = this.normalize ? normalizeRows(prediction) : prediction;
    const p = q.data,
      y = target.data;
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const d = p[i] - y[i];
      s += d * d;
    }
    return { loss: s / this.divisor(prediction), ctx: { prediction, target, saved: q } };
  }

  protected gradient(ctx: LossContext): Tensor {
    const q = ctx.saved ?? ctx.prediction;
    const n = this.divisor(ctx.prediction);
    const g = Tensor.zeros(q.shape, q.dtype);
    const p = q.data,
      y = ctx.target.data,
      gd = g.data;
    for (let i = 0; i < gd.length; i++) gd[i] = (2 * (p[i] - y[i])) / n;
    if (!this.normalize || this.reduction === 'book') return g;
    // Chain through q = p / s: dL/dp_j = (g_j − Σ_i g_i q_i) / s.
    const [rows, cols] = q.shape;
    const pr = ctx.prediction.data;
    const out = Tensor.zeros(q.shape, q.dtype);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let sum = 0,
        dot = 0;
      for (let j = 0; j < cols; j++) sum += pr[o + j];
      for (let j = 0; j < cols; j++) dot += gd[o + j] * p[o + j];
      for (let j = 0; j < cols; j++) out.data[o + j] = (gd[o + j] - dot) / sum;
    }
    return out;
  }

  private divisor(prediction: Tensor): number {
    return this.reduction === 'book' ? prediction.shape[0] : prediction.size;
  }
}

function normalizeRows(x: Tensor): Tensor {
  const [rows, cols] = x.shape;
  const out = Tensor.zeros(x.shape, x.dtype);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += x.data[o + j];
    for (let j = 0; j < cols; j++) out.data[o + j] = x.data[o + j] / s;
  }
  return out;
}
