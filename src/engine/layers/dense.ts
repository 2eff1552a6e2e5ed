import { assertShape, assertValue } from '../errors';
import { BiasAdd } from '../ops/biasAdd';
import { Dropout } from '../ops/dropout';
import type { Operation } from '../ops/operation';
import { WeightMultiply } from '../ops/weightMultiply';
import { formatShape, Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { ActivationName, createActivation } from './activation';
import { InitName, initStd, normalTensor, pytorchBound, uniformTensor } from './init';
import { Layer, SetupContext } from './layer';

export interface DenseArgs {
  /** Number of output units (neurons). */
  units: number;
  /** Activation after the affine map. Default 'linear'. */
  activation?: ActivationName;
  /** Slope for x < 0 when activation is 'leakyRelu'. Default 0.01. */
  alpha?: number;
  /** Weight initialisation. Default 'standard' (N(0,1)), as the book. */
  init?: InitName;
  /** Dropout keep probability after the activation; 1 (default) means no dropout. */
  keepProb?: number;
  /** Add a bias. Default true. */
  useBias?: boolean;
}

/**
 * Dense (fully connected) layer: y = act(x·W + B), optionally followed by dropout.
 * Shape: Input [batch, in] → Output [batch, units]. Parameters: W [in, units], B [1, units].
 *
 * Initialisation: W ~ N(0, std) with std from `init` (layers/init.ts). Modern profile: B = 0.
 * Book profile (E3.1–E3.3, E4.x): the shared RNG is reseeded with the network seed right before
 * drawing — every Dense layer with the same seed, lazily at the first forward (the Trainer
 * triggers that after epoch 1's permutation) — and B is drawn after W with the same std.
 */
export class Dense extends Layer {
  readonly kind = 'Dense';
  readonly args: Required<DenseArgs>;

  constructor(args: DenseArgs) {
    super();
    assertValue(
      Number.isInteger(args.units) && args.units > 0,
      () => `Dense: units must be a positive integer, got ${args.units}`,
    );
    this.args = {
      units: args.units,
      activation: args.activation ?? 'linear',
      alpha: args.alpha ?? 0.01,
      init: args.init ?? 'standard',
      keepProb: args.keepProb ?? 1,
      useBias: args.useBias ?? true,
    };
    assertValue(
      Number.isFinite(this.args.keepProb) && this.args.keepProb > 0 && this.args.keepProb <= 1,
      () => `Dense: keepProb must be in (0, 1], got ${this.args.keepProb}`,
    );
  }

  outputShape(inputShape: Shape): Shape {
    assertShape(
      inputShape.length === 1,
      () =>
        `Dense: input must be a vector per example [features], got ${formatShape(inputShape)} (add a flatten layer first)`,
    );
    return [this.args.units];
  }

  protected createOperations(inputShape: Shape, setup: SetupContext): Operation[] {
    this.outputShape(inputShape);
    const fanIn = inputShape[0];
    const units = this.args.units;
    const std = initStd(this.args.init, fanIn, units, setup.profile);
    if (setup.profile.lazyReseedInit) setup.rng.seed(setup.seed);
    const pytorch = this.args.init === 'pytorch';
    const w = pytorch
      ? uniformTensor([fanIn, units], pytorchBound(fanIn), setup.rng, setup.dtype)
      : normalTensor([fanIn, units], std, setup.rng, setup.dtype);
    const ops: Operation[] = [new WeightMultiply(w)];
    if (this.args.useBias) {
      const b = pytorch
        ? uniformTensor([1, units], pytorchBound(fanIn), setup.rng, setup.dtype)
        : setup.profile.lazyReseedInit
          ? normalTensor([1, units], std, setup.rng, setup.dtype)
          : Tensor.zeros([1, units], setup.dtype);
      ops.push(new BiasAdd(b));
    }
    ops.push(createActivation(this.args.activation, setup.profile, this.args.alpha));
    if (this.args.keepProb < 1) ops.push(new Dropout(this.args.keepProb));
    return ops;
  }
}
