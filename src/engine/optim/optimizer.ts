import { assertValue } from '../errors';
import { residentData } from '../kernels/residentTensor';
import type { Param } from '../ops/operation';
import type { TensorData } from '../tensor/tensor';

export type DecayType = 'none' | 'linear' | 'exponential';
/** When lr changes: at the end of each epoch (the book), or before every batch (smooth, for short runs). */
export type DecayEvery = 'epoch' | 'step';

export interface OptimizerArgs {
  /** Learning rate at epoch 1. */
  lr: number;
  /** Learning rate at the last epoch; used only with a decay type. */
  finalLr?: number;
  decay?: DecayType;
  /** Default 'epoch'. */
  decayEvery?: DecayEvery;
  /**
   * Clip every gradient element to [−clip, clip] in place before the update (the chapter 6
   * RNNOptimizer's `np.clip(deriv, −2, 2, out=deriv)`, so clip = 2 for E6.1–E6.5). Default: no
   * clipping. Elementwise, not by norm: that is what the book does.
   */
  clip?: number;
}

/**
 * The book's Optimizer with learning-rate decay applied per epoch: the Trainer calls
 * `setupDecay(epochs)` before training and `decayLr()` at the end of every epoch (the break of
 * an early stop skips it), so epoch k (1-based) runs at lr₀·d^(k−1) (exponential) or
 * lr₀ − (k−1)·Δ (linear) and the last epoch runs at exactly `finalLr`. As in the book, nothing
 * decays when `finalLr` is 0 (E4.8–E4.14).
 *
 * Per-parameter state (velocities, squared sums) is kept in a map keyed by parameter, so the
 * optimizer never needs a back-pointer to the network.
 */
export abstract class Optimizer {
  abstract readonly name: string;
  lr: number;
  readonly initialLr: number;
  readonly finalLr: number;
  readonly decay: DecayType;
  readonly decayEvery: DecayEvery;
  readonly clip: number | undefined;
  private decayPerEpoch = 0;
  private totalSteps = 0;
  protected readonly state = new Map<Param, TensorData[]>();

  constructor(args: OptimizerArgs) {
    assertValue(
      Number.isFinite(args.lr) && args.lr > 0,
      () => `optimizer: lr must be a positive finite number, got ${args.lr}`,
    );
    const finalLr = args.finalLr ?? 0;
    assertValue(
      Number.isFinite(finalLr) && finalLr >= 0,
      () => `optimizer: finalLr must be a finite number >= 0, got ${finalLr}`,
    );
    this.lr = args.lr;
    this.initialLr = args.lr;
    this.finalLr = finalLr;
    this.decay = args.decay ?? 'none';
    this.decayEvery = args.decayEvery ?? 'epoch';
    this.clip = args.clip;
    assertValue(
      args.clip === undefined || (Number.isFinite(args.clip) && args.clip > 0),
      () => `optimizer: clip must be a positive finite number, got ${args.clip}`,
    );
    assertValue(
      !(this.decay === 'exponential' && this.finalLr === 0 && args.finalLr !== undefined),
      () => 'optimizer: exponential decay needs finalLr > 0',
    );
  }

  /**
   * Computes the decay for a run of `epochs` epochs of `batchesPerEpoch` batches and resets lr to
   * its start value. Per-step decay goes from lr at the first batch to finalLr at the last one:
   * linear lr₀ + (lr₁ − lr₀)·t, exponential lr₀·(lr₁/lr₀)^t, t = step / (steps − 1).
   */
  setupDecay(epochs: number, batchesPerEpoch = 1): void {
    this.lr = this.initialLr;
    this.totalSteps = epochs * batchesPerEpoch;
    if (this.decayEvery === 'step' || this.decay === 'none' || this.finalLr === 0 || epochs <= 1) {
      this.decayPerEpoch = 0;
      return;
    }
    this.decayPerEpoch =
      this.decay === 'exponential'
        ? Math.pow(this.finalLr / this.initialLr, 1 / (epochs - 1))
        : (this.initialLr - this.finalLr) / (epochs - 1);
  }

  /** Per-step decay: sets lr for the 0-based global step about to run (the Trainer calls it before every batch). */
  beforeStep(step: number): void {
    if (this.decayEvery !== 'step' || this.decay === 'none' || this.finalLr === 0 || this.totalSteps <= 1) return;
    const t = Math.min(1, step / (this.totalSteps - 1));
    this.lr =
      this.decay === 'exponential'
        ? this.initialLr * Math.pow(this.finalLr / this.initialLr, t)
        : this.initialLr + (this.finalLr - this.initialLr) * t;
  }

  /** Called at the end of each epoch (per-epoch decay only). */
  decayLr(): void {
    if (this.decay === 'none' || this.finalLr === 0 || this.decayPerEpoch === 0) return;
    if (this.decay === 'exponential') this.lr *= this.decayPerEpoch;
    else this.lr -= this.decayPerEpoch;
  }

  /** Sets lr as it would be at the start of 1-based `epoch` (used when resuming a run). */
  fastForward(epochsDone: number): void {
    for (let i = 0; i < epochsDone; i++) this.decayLr();
  }

  step(params: readonly Param[]): void {
    const c = this.clip;
    for (const p of params) {
      if (c !== undefined) clipInPlace(p.grad.data, c);
      this.update(p);
    }
  }

  /** Forgets per-parameter state (a new run). */
  resetState(): void {
    this.state.clear();
  }

  /** Per-parameter state buffers in parameter order, for run records and resume. */
  exportState(params: readonly Param[]): TensorData[][] {
    return params.map((p) => this.state.get(p) ?? []);
  }

  importState(params: readonly Param[], state: readonly (readonly TensorData[])[]): void {
    params.forEach((p, i) => {
      // Copied into resident storage, so a resumed run's updates stay on the in-place kernels.
      if (state[i] && state[i].length > 0) {
        this.state.set(
          p,
          state[i].map((a) => {
            const r = residentData(a.length, a);
            r.set(a);
            return r;
          }),
        );
      }
    });
  }

  protected slots(p: Param, count: number): TensorData[] {
    let s = this.state.get(p);
    if (!s) {
      s = [];
      // Resident like the parameter, so float32 updates run on the WebAssembly kernels in place.
      for (let i = 0; i < count; i++) s.push(residentData(p.value.size, p.value.data));
      this.state.set(p, s);
    }
    return s;
  }

  protected abstract update(p: Param): void;
}

function clipInPlace(g: TensorData, c: number): void {
  for (let i = 0; i < g.length; i++) {
    const v = g[i];
    if (v > c) g[i] = c;
    else if (v < -c) g[i] = -c;
  }
}
