import { momentumUpdate } from '../kernels/momentumUpdate';
import { assertValue } from '../errors';
import type { Param } from '../ops/operation';
import { Optimizer, OptimizerArgs } from './optimizer';

export interface SGDMomentumArgs extends OptimizerArgs {
  /** Momentum μ. Default 0.9. */
  momentum?: number;
  /**
   * 'book' (E4.6–E4.14, E5.4): v ← μv + lr·g; w ← w − v (lr inside the velocity).
   * 'modern' (PyTorch): v ← μv + g; w ← w − lr·v. The two agree while lr is constant.
   */
  form?: 'book' | 'modern';
}

/** SGD with momentum. Velocities start at zero on the first step. */
export class SGDMomentum extends Optimizer {
  readonly name = 'SGDMomentum';
  readonly momentum: number;
  readonly form: 'book' | 'modern';
  constructor(args: SGDMomentumArgs) {
    super(args);
    this.momentum = args.momentum ?? 0.9;
    this.form = args.form ?? 'modern';
    assertValue(
      Number.isFinite(this.momentum) && this.momentum >= 0 && this.momentum < 1,
      () => `SGDMomentum: momentum must be in [0, 1), got ${this.momentum}`,
    );
  }
  protected update(p: Param): void {
    const [v] = this.slots(p, 1);
    const book = this.form === 'book';
    momentumUpdate(p.value.data, p.grad.data, v, this.momentum, book ? this.lr : 1, book ? 1 : this.lr);
  }
}
