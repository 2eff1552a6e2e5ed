import { assertValue } from '../errors';
import { adamUpdate } from '../kernels/adamUpdate';
import type { Param } from '../ops/operation';
import type { TensorData } from '../tensor/tensor';
import { Optimizer, OptimizerArgs } from './optimizer';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/**
 * Adam (Kingma & Ba): m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
 * w ← w − lr · m̂ / (√v̂ + ε) with bias-corrected m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
 * Each parameter counts its own steps t.
 */
export class Adam extends Optimizer {
  readonly name = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private readonly steps = new Map<Param, number>();

  constructor(args: AdamArgs) {
    super(args);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.eps = args.eps ?? 1e-8;
    assertValue(
      this.beta1 >= 0 && this.beta1 < 1 && this.beta2 >= 0 && this.beta2 < 1,
      () => `Adam: betas must be in [0, 1), got ${this.beta1}, ${this.beta2}`,
    );
  }

  override resetState(): void {
    super.resetState();
    this.steps.clear();
  }

  /** m and v, plus the parameter's step count t as a one-element third slot (for exact resume). */
  override exportState(params: readonly Param[]): TensorData[][] {
    return super
      .exportState(params)
      .map((slots, i) => (slots.length ? [...slots, Float64Array.of(this.steps.get(params[i]) ?? 0)] : slots));
  }

  override importState(params: readonly Param[], state: readonly (readonly TensorData[])[]): void {
    super.importState(
      params,
      state.map((slots) => slots.slice(0, 2)),
    );
    params.forEach((p, i) => {
      if (state[i]?.length === 3) this.steps.set(p, state[i][2][0]);
    });
  }

  protected update(p: Param): void {
    const [m, v] = this.slots(p, 2);
    const t = (this.steps.get(p) ?? 0) + 1;
    this.steps.set(p, t);
    const b1 = this.beta1,
      b2 = this.beta2,
      eps = this.eps;
    const c1 = 1 - Math.pow(b1, t),
      c2 = 1 - Math.pow(b2, t);
    adamUpdate(p.value.data, p.grad.data, m, v, { b1, b2, c1, c2, lr: this.lr, eps });
  }
}
