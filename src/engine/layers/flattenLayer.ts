import type { Operation } from '../ops/operation';
import { Flatten } from '../ops/flatten';
import { sizeOf, Shape } from '../tensor/shape';
import { Layer } from './layer';

/**
 * Flatten layer: [batch, d1, d2, ...] → [batch, d1·d2·...] (C order). No parameters.
 */
export class FlattenLayer extends Layer {
  readonly kind = 'Flatten';
  outputShape(inputShape: Shape): Shape {
    return [sizeOf(inputShape)];
  }
  protected createOperations(): Operation[] {
    return [new Flatten()];
  }
}
