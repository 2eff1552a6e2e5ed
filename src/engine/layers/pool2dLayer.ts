import { Padding2d, pool2dOutputShape, Size2d, size2d, checkPadding } from '../conv/convShape';
import { assertShape, engineText } from '../errors';
import type { Operation } from '../ops/operation';
import { formatShape, Shape } from '../tensor/shape';
import { Layer } from './layer';
import { LayerDescriptor, poolPaddingArg, size2dArg, withDefaults } from './layerDescriptor';

export interface Pool2dArgs {
  /** Window size: one number for a square window, or [height, width]. */
  kernelSize: Size2d;
  /** Step between windows. Default: the kernel size (non-overlapping windows). */
  stride?: Size2d;
  /** Zero padding, smaller than the kernel on each side. Default 0. */
  padding?: Padding2d;
}

/**
 * Shared part of MaxPool2d and AvgPool2d: arguments, shape inference and the one operation.
 * Shape: Input [batch, C, H, W] → Output [batch, C, outH, outW]. No parameters.
 */
export abstract class Pool2dLayer extends Layer {
  readonly args: Pool2dArgs;

  constructor(
    readonly kind: string,
    args: Pool2dArgs,
  ) {
    super();
    this.args = withDefaults({ args: { padding: poolPaddingArg } }, { ...args });
    size2d(args.kernelSize, 'kernelSize', kind);
    if (args.stride !== undefined) size2d(args.stride, 'stride', kind);
    if (args.padding !== undefined) checkPadding(args.padding, kind);
  }

  outputShape(inputShape: Shape): Shape {
    assertShape(inputShape.length === 3, () =>
      engineText(
        '{0}: input must be an image per example [channels, height, width], got {1}',
        this.kind,
        formatShape(inputShape),
      ),
    );
    return pool2dOutputShape(inputShape, this.args.kernelSize, this.args.stride, this.args.padding ?? 0, this.kind);
  }

  protected createOperations(inputShape: Shape): Operation[] {
    this.outputShape(inputShape);
    return [this.createPool()];
  }

  protected abstract createPool(): Operation;
}

/** The descriptor of a pooling kind ('maxPool2d', 'avgPool2d'): `what` each window becomes. */
export function pool2dDescriptor(type: string, what: string, create: (a: Pool2dArgs) => Layer): LayerDescriptor {
  return {
    type,
    description: `${what} of each window, per channel. Input [channels, height, width] → [channels, outH, outW]. No parameters.`,
    required: ['kernelSize'],
    args: {
      kernelSize: size2dArg('Window size', 2),
      stride: size2dArg('Step between windows (default: the window size)', 2),
      padding: poolPaddingArg,
    },
    create: (a) => create(a as unknown as Pool2dArgs),
    parameterCount: () => 0,
    describe: (a) => `${size2d(a.kernelSize as Size2d, 'kernelSize', 'model file').join('×')} window`,
  };
}
