import { checkPadding, Padding2d, pool2dInfo, Size2d, size2d, Window2dInfo } from '../conv/convShape';
import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Operation } from './operation';

export interface Pool2dAttrs {
  /** Step between windows, one number or [height, width]. Default: the kernel size. */
  stride?: Size2d;
  /** Zero padding, smaller than the kernel on each side (see Padding2d). Default 0. */
  padding?: Padding2d;
}

/**
 * Shared part of the pooling operations: attributes, validation and geometry. Pooling acts on
 * each channel independently; it has no parameters.
 * Shape: x [batch, C, H, W] → y [batch, C, outH, outW] (conv/convShape.ts `pool2dInfo`).
 */
export abstract class Pool2dOp extends Operation {
  readonly kernel: Size2d;
  readonly stride: Size2d;
  readonly padding: Padding2d;

  constructor(
    readonly name: string,
    kernel: Size2d,
    attrs: Pool2dAttrs = {},
  ) {
    super();
    this.kernel = kernel;
    this.stride = attrs.stride ?? kernel;
    this.padding = attrs.padding ?? 0;
    // Validate at construction: a bad value fails where it was written, not at the first batch.
    size2d(this.kernel, 'kernel size', name);
    size2d(this.stride, 'stride', name);
    checkPadding(this.padding, name);
  }

  /** Geometry for an input [batch, C, H, W]; throws a ShapeError naming the shapes. */
  info(xShape: readonly number[]): Window2dInfo {
    assertShape(
      xShape.length === 4,
      () =>
        `${this.name}: input must be rank 4 [batch, channels, height, width], got rank ${xShape.length} ${formatShape(xShape)}`,
    );
    return pool2dInfo(this.name, xShape.slice(1), this.kernel, this.stride, this.padding);
  }

  protected override checkInput(x: Tensor): void {
    this.info(x.shape);
  }
}
