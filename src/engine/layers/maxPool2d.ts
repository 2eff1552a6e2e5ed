import { MaxPool2dOp } from '../ops/maxPool2d';
import type { Operation } from '../ops/operation';
import { Pool2dArgs, Pool2dLayer, pool2dDescriptor } from './pool2dLayer';

/**
 * MaxPool2d layer: the maximum of each window, per channel (ops/maxPool2d.ts).
 * Shape: Input [batch, C, H, W] → Output [batch, C, outH, outW]. No parameters.
 */
export class MaxPool2d extends Pool2dLayer {
  static readonly descriptor = pool2dDescriptor('maxPool2d', 'Maximum', (a) => new MaxPool2d(a));

  constructor(args: Pool2dArgs) {
    super('MaxPool2d', args);
  }

  protected createPool(): Operation {
    return new MaxPool2dOp(this.args.kernelSize, { stride: this.args.stride, padding: this.args.padding });
  }
}
