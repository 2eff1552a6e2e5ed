import { assertShape, assertValue, engineText } from '../errors';
import type { Operation } from '../ops/operation';
import { Reshape } from '../ops/reshape';
import { formatShape, Shape, sizeOf } from '../tensor/shape';
import { Layer } from './layer';
import type { LayerDescriptor } from './layerDescriptor';

/**
 * Reshape layer: each example [...in] → `shape`, same values in C order, e.g. a dense layer's
 * [5488] → [7, 28, 28] feature maps for the autoencoder's decoder convolutions. No parameters.
 */
export class ReshapeLayer extends Layer {
  static readonly descriptor: LayerDescriptor = {
    type: 'reshape',
    description:
      "Views each example's values in a new shape, C order, keeping the batch axis (PyTorch's view(-1, ...)): e.g. a dense layer's [5488] → [7, 28, 28] for convolutions. The element counts must match. No parameters.",
    required: ['shape'],
    args: {
      shape: {
        type: 'array',
        minItems: 1,
        maxItems: 4,
        items: { type: 'integer', minimum: 1, description: 'Size along one axis.', examples: [28] },
        description:
          'Output shape of one example, without the batch axis: [channels, height, width] for convolution layers.',
        examples: [[7, 28, 28]],
      },
    },
    create: (a) => new ReshapeLayer({ shape: a.shape as number[] }),
    parameterCount: () => 0,
    describe: (a) => `→ [${(a.shape as number[]).join(', ')}]`,
    shapeProperty: 'shape',
  };

  readonly kind = 'Reshape';
  readonly shape: Shape;

  constructor(args: { shape: readonly number[] }) {
    super();
    assertValue(args.shape.length > 0 && args.shape.every((d) => Number.isInteger(d) && d > 0), () =>
      engineText('Reshape: shape must be a non-empty list of positive integers, got {0}', formatShape(args.shape)),
    );
    this.shape = [...args.shape];
  }

  outputShape(inputShape: Shape): Shape {
    assertShape(sizeOf(inputShape) === sizeOf(this.shape), () =>
      engineText(
        'Reshape: {0} has {1} values per example but {2} holds {3}',
        formatShape(inputShape),
        sizeOf(inputShape),
        formatShape(this.shape),
        sizeOf(this.shape),
      ),
    );
    return this.shape;
  }

  protected createOperations(): Operation[] {
    return [new Reshape(this.shape)];
  }
}
