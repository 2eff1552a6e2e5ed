import type { Operation } from '../ops/operation';
import { Flatten } from '../ops/flatten';
import { sizeOf, Shape } from '../tensor/shape';
import { Layer } from './layer';
import type { LayerDescriptor } from './layerDescriptor';

/**
 * Flatten layer: [batch, d1, d2, ...] → [batch, d1·d2·...] (C order). No parameters.
 */
export class FlattenLayer extends Layer {
  static readonly descriptor: LayerDescriptor = {
    type: 'flatten',
    description: 'Reshapes each example to a vector in C order, e.g. [1, 28, 28] → [784]. No parameters.',
    required: [],
    args: {},
    create: () => new FlattenLayer(),
    parameterCount: () => 0,
    describe: () => '',
  };

  readonly kind = 'Flatten';
  outputShape(inputShape: Shape): Shape {
    return [sizeOf(inputShape)];
  }
  protected createOperations(): Operation[] {
    return [new Flatten()];
  }
}
