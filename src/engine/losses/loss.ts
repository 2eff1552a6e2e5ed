import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** What a loss call saved for its backward pass. */
export interface LossContext {
  readonly prediction: Tensor;
  readonly target: Tensor;
  /** Intermediate (softmax probabilities, normalised prediction...). */
  readonly saved?: Tensor;
}

/**
 * The book's Loss: `forward(prediction, target)` checks both shapes match (nothing is broadcast)
 * and returns the scalar loss; `backward` returns dL/dprediction of the prediction's shape.
 */
export abstract class Loss {
  abstract readonly name: string;

  forward(prediction: Tensor, target: Tensor): { loss: number; ctx: LossContext } {
    assertShape(
      prediction.sameShape(target),
      () =>
        `${this.name}: prediction shape ${formatShape(prediction.shape)} does not match target shape ${formatShape(target.shape)}`,
    );
    this.checkRank(prediction);
    return this.compute(prediction, target);
  }

  /** Per-example losses take [batch, outputs]; a sequence loss overrides this for [batch, T, outputs]. */
  protected checkRank(prediction: Tensor): void {
    assertShape(
      prediction.rank === 2,
      () => `${this.name}: prediction must be rank 2 [batch, outputs], got ${formatShape(prediction.shape)}`,
    );
  }

  backward(ctx: LossContext): Tensor {
    const g = this.gradient(ctx);
    assertShape(
      g.sameShape(ctx.prediction),
      () =>
        `${this.name}.backward: gradient shape ${formatShape(g.shape)} != prediction shape ${formatShape(ctx.prediction.shape)}`,
    );
    return g;
  }

  protected abstract compute(prediction: Tensor, target: Tensor): { loss: number; ctx: LossContext };
  protected abstract gradient(ctx: LossContext): Tensor;
}
