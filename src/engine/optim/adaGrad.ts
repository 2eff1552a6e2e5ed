import type { Param } from '../ops/operation';
import { Optimizer, OptimizerArgs } from './optimizer';

export interface AdaGradArgs extends OptimizerArgs {
  /** Stabiliser ε. Default 1e-7 (the book's). */
  eps?: number;
  /**
   * 'book': s ← s + ε + g²; w ← w − lr·g/√s (chapter 6).
   * 'modern' (PyTorch): s ← s + g²; w ← w − lr·g/(√s + ε).
   */
  form?: 'book' | 'modern';
}

/** AdaGrad: per-coordinate learning rates shrinking with the sum of squared gradients. */
export class AdaGrad extends Optimizer {
  readonly name = 'AdaGrad';
  readonly eps: number;
  readonly form: 'book' | 'modern';
  constructor(args: AdaGradArgs) {
    super(args);
    this.eps = args.eps ?? 1e-7;
    this.form = args.form ?? 'modern';
  }
  protected update(p: Param): void {
    const [s] = this.slots(p, 1);
    const w = p.value.data,
      g = p.grad.data,
      lr = this.lr,
      eps = this.eps;
    if (this.form === 'book') {
      for (let i = 0; i < w.length; i++) {
        s[i] += eps + g[i] * g[i];
        w[i] -= (lr / Math.sqrt(s[i])) * g[i];
      }
    } else {
      for (let i = 0; i < w.length; i++) {
        s[i] += g[i] * g[i];
        w[i] -= (lr * g[i]) / (Math.sqrt(s[i]) + eps);
      }
    }
  }
}
