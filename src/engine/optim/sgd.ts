import { sgdUpdate } from '../kernels/sgdUpdate';
import type { Param } from '../ops/operation';
import { Optimizer, OptimizerArgs } from './optimizer';

/** Plain SGD: w ← w − lr·g. */
export class SGD extends Optimizer {
  readonly name = 'SGD';
  constructor(args: OptimizerArgs) {
    super(args);
  }
  protected update(p: Param): void {
    sgdUpdate(p.value.data, p.grad.data, this.lr);
  }
}
