import { assertShape } from '../errors';
import { softmaxCrossEntropySum } from './softmaxCrossEntropy';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { Loss, LossContext } from './loss';

export interface SequenceSoftmaxCrossEntropyArgs {
  /**
   * 'categorical' (default): per (batch, t), −Σ y·log softmax(x), with logsumexp.
   * 'book' (the chapter 6 notebook's SoftmaxCrossEntropy): softmax clipped to [eps, 1 − eps],
   * then Σ over the vocabulary of [−y log p − (1 − y) log(1 − p)].
   */
  form?: 'categorical' | 'book';
  /**
   * 'mean' (default): averaged over the batch × T positions, gradient (p − y)/(batch·T), so the
   * loss and step size do not grow with the batch or the sequence length.
   * 'sum' (the book, E6.1–E6.5): summed over batch and time, gradient p − y.
   */
  reduction?: 'mean' | 'sum';
  /** Clipping for the book form. Default 1e-9. */
  eps?: number;
}

/**
 * Softmax cross-entropy over the last axis of a sequence of logits: a character model's loss.
 * Shape: logits, one-hot targets [batch, T, V] → scalar. Gradient (p − y) per position, divided
 * by batch·T for 'mean' (p is the clipped softmax in the book form, as the book's gradient).
 */
export class SequenceSoftmaxCrossEntropy extends Loss {
  readonly name = 'SequenceSoftmaxCrossEntropy';
  readonly form: 'categorical' | 'book';
  readonly reduction: 'mean' | 'sum';
  readonly eps: number;

  constructor(args: SequenceSoftmaxCrossEntropyArgs = {}) {
    super();
    this.form = args.form ?? 'categorical';
    this.reduction = args.reduction ?? 'mean';
    this.eps = args.eps ?? 1e-9;
  }

  protected override checkRank(prediction: Tensor): void {
    assertShape(
      prediction.rank === 3,
      () => `${this.name}: prediction must be rank 3 [batch, T, vocabulary], got ${formatShape(prediction.shape)}`,
    );
  }

  /** Positions the loss is averaged over: batch·T for 'mean', 1 for 'sum'. */
  private divisor(prediction: Tensor): number {
    return this.reduction === 'mean' ? prediction.shape[0] * prediction.shape[1] : 1;
  }

  protected compute(prediction: Tensor, target: Tensor): { loss: number; ctx: LossContext } {
    const v = prediction.shape[2];
    const p = Tensor.zeros(prediction.shape, prediction.dtype);
    const s = softmaxCrossEntropySum(prediction, target, p, prediction.size / v, v, this.form, this.eps);
    return { loss: s / this.divisor(prediction), ctx: { prediction, target, saved: p } };
  }

  protected gradient(ctx: LossContext): Tensor {
    const p = ctx.saved as Tensor;
    const k = 1 / this.divisor(p);
    const g = Tensor.zeros(p.shape, p.dtype);
    const pd = p.data,
      y = ctx.target.data,
      gd = g.data;
    for (let i = 0; i < gd.length; i++) gd[i] = (pd[i] - y[i]) * k;
    return g;
  }
}
