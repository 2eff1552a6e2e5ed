import { assertShape } from '../errors';
import { formatShape, Shape, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { OpContext, Operation } from './operation';

/**
 * Reshape: [batch, ...in] → [batch, ...shape] in C order, the batch axis kept (PyTorch's
 * `view(-1, *shape)`; the autoencoder's [batch, 5488] → [batch, 7, 28, 28]). Backward reshapes
 * the gradient back. Both directions are views of the same data: nothing is copied, so no
 * opTensor storage is needed.
 */
export class Reshape extends Operation {
  readonly name = 'Reshape';
  readonly equation = 'y = reshape(x, shape)\n∂L/∂x = reshape(∂L/∂y)';

  constructor(readonly shape: Shape) {
    super();
  }

  protected override checkInput(x: Tensor): void {
    assertShape(
      x.rank >= 2 && x.size === x.shape[0] * sizeOf(this.shape),
      () =>
        `Reshape: input ${formatShape(x.shape)} has ${x.size / Math.max(1, x.shape[0])} values per example, ${formatShape(this.shape)} needs ${sizeOf(this.shape)}`,
    );
  }

  protected output(x: Tensor): Tensor {
    return x.reshape([x.shape[0], ...this.shape]);
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    return dy.reshape(ctx.x.shape);
  }
}
