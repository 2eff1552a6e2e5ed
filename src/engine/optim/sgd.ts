import type { Param } from '../ops/operation';
import { Optimizer, OptimizerArgs } from './optimizer';

/** Plain SGD: w ← w − lr·g. */
export class SGD extends Optimizer {
  readonly name = 'SGD';
  constructor(args: OptimizerArgs) {
    super(args);
  }
  protected update(p: Param): void {
    const w = p.value.data,
      g = p.grad.data,
      lr = this.lr;
    for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
  }
}
