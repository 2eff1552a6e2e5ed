import { AvgPool2dOp } from '../ops/avgPool2d';
import type { Operation } from '../ops/operation';
import { Pool2dArgs, Pool2dLayer, pool2dDescriptor } from './pool2dLayer';

/**
 * AvgPool2d layer: the mean of each window, per channel, padding counted as zeros
 * (ops/avgPool2d.ts). Shape: Input [batch, C, H, W] → Output [batch, C, outH, outW]. No parameters.
 */
export class AvgPool2d extends Pool2dLayer {
  static readonly descriptor = pool2dDescriptor('avgPool2d', 'Average', (a) => new AvgPool2d(a));

  constructor(args: Pool2dArgs) {
    super('AvgPool2d', args);
  }

  protected createPool(): Operation {
    return new AvgPool2dOp(this.args.kernelSize, { stride: this.args.stride, padding: this.args.padding });
  }
}
