import { softmaxRows } from '../ops/softmax';
import { Tensor } from '../tensor/tensor';
import { Loss, LossContext } from './loss';

export interface SoftmaxCrossEntropyArgs {
  /**
   * 'categorical' (modern): L = −Σ y·log softmax(x) / batch, computed with logsumexp so it never
   * takes log(0). 'book' (E4.3–E4.14, E5.4): softmax clipped to [eps, 1−eps], then
   * L = Σ_{i,c} [−y log p − (1−y) log(1−p)] / batch, a binary-CE sum over classes.
   */
  form?: 'categorical' | 'book';
  /** Clipping for the book form. Default 1e-9. */
  eps?: number;
}

/**
 * Softmax cross-entropy on logits. Shape: logits, one-hot targets [batch, classes] → scalar.
 * Gradient in both forms: (p − y)/batch, with p the (clipped, in the book form) softmax.
 */
export class SoftmaxCrossEntropy extends Loss {
  readonly name = 'SoftmaxCrossEntropy';
  readonly form: 'categorical' | 'book';
  readonly eps: number;

  constructor(args: SoftmaxCrossEntropyArgs = {}) {
    super();
    this.form = args.form ?? 'categorical';
    this.eps = args.eps ?? 1e-9;
  }

  protected compute(prediction: Tensor, target: Tensor): { loss: number; ctx: LossContext } {
    const [rows, cols] = prediction.shape;
    const p = Tensor.zeros(prediction.shape, prediction.dtype);
    const s = softmaxCrossEntropySum(prediction, target, p, rows, cols, this.form, this.eps);
    return { loss: s / rows, ctx: { prediction, target, saved: p } };
  }

  protected gradient(ctx: LossContext): Tensor {
    const p = ctx.saved as Tensor;
    const rows = p.shape[0];
    const g = Tensor.zeros(p.shape, p.dtype);
    const pd = p.data,
      y = ctx.target.data,
      gd = g.data;
    for (let i = 0; i < gd.length; i++) gd[i] = (pd[i] - y[i]) / rows;
    return g;
  }
}

/**
 * Σ over `rows` rows of `cols` logits of the cross-entropy of one form (see SoftmaxCrossEntropyArgs),
 * not divided; fills p with the softmax (clipped to [eps, 1−eps] in the book form), which both
 * forms' gradient (p − y) uses. Shared with SequenceSoftmaxCrossEntropy ([batch·T] rows).
 */
export function softmaxCrossEntropySum(
  prediction: Tensor,
  target: Tensor,
  p: Tensor,
  rows: number,
  cols: number,
  form: 'categorical' | 'book',
  eps: number,
): number {
  softmaxRows(prediction.data, p.data, rows, cols);
  const pd = p.data,
    y = target.data,
    x = prediction.data;
  let s = 0;
  if (form === 'book') {
    const lo = eps,
      hi = 1 - eps;
    for (let i = 0; i < pd.length; i++) {
      const v = pd[i] < lo ? lo : pd[i] > hi ? hi : pd[i];
      pd[i] = v;
      s += -y[i] * Math.log(v) - (1 - y[i]) * Math.log(1 - v);
    }
    return s;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) if (x[o + j] > max) max = x[o + j];
    let z = 0;
    for (let j = 0; j < cols; j++) z += Math.exp(x[o + j] - max);
    const lse = max + Math.log(z);
    for (let j = 0; j < cols; j++) if (y[o + j] !== 0) s -= y[o + j] * (x[o + j] - lse);
  }
  return s;
}
