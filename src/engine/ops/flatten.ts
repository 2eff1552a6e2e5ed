import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { OpContext, Operation } from './operation';

/**
 * Flatten: [batch, d1, d2, ...] → [batch, d1·d2·...] in C order (channel-major for NCHW
 * feature maps, as the book's `reshape(B, -1)`). Backward reshapes back. No copy either way.
 */
export class Flatten extends Operation {
  readonly name = 'Flatten';
  readonly equation = 'y = reshape(x)\n∂L/∂x = reshape(∂L/∂y)';

  protected override checkInput(x: Tensor): void {
    assertShape(
      x.rank >= 2,
      () => `Flatten: input must have a batch axis and at least one more, got ${formatShape(x.shape)}`,
    );
  }

  protected output(x: Tensor): Tensor {
    return x.reshape([x.shape[0], x.size / Math.max(1, x.shape[0])]);
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    return dy.reshape(ctx.x.shape);
  }
}
