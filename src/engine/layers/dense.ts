import { assertShape, assertValue, engineText } from '../errors';
import { BiasAdd } from '../ops/biasAdd';
import { Dropout } from '../ops/dropout';
import type { Operation } from '../ops/operation';
import { WeightMultiply } from '../ops/weightMultiply';
import { formatShape, Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { ActivationName, createActivation } from './activation';
import { defaultInit, InitName, initStd, normalTensor, pytorchBound, uniformTensor } from './init';
import { Layer, SetupContext } from './layer';
import {
  activationArg,
  alphaArg,
  initArg,
  keepProbArg,
  LayerDescriptor,
  shapesSize,
  summary,
  withDefaults,
} from './layerDescriptor';

export interface DenseArgs {
  /** Number of output units (neurons). */
  units: number;
  /** Activation after the affine map. Default 'linear'. */
  activation?: ActivationName;
  /** Slope for x < 0 when activation is 'leakyRelu'. Default 0.01. */
  alpha?: number;
  /** Weight initialisation. Default: by profile and activation (init.ts `defaultInit`). */
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
type FullDenseArgs = Required<Omit<DenseArgs, 'init'>> & Pick<DenseArgs, 'init'>;

export class Dense extends Layer {
  static readonly descriptor: LayerDescriptor = {
    type: 'dense',
    description:
      'Fully connected layer: y = activation(x·W + B), then optional dropout. Input [features] → output [units].',
    required: ['units'],
    args: {
      units: { type: 'integer', minimum: 1, description: 'Number of output units (neurons).', examples: [89] },
      activation: activationArg('affine map'),
      alpha: alphaArg,
      init: initArg(
        "Weight initialisation: 'standard' N(0,1); 'glorot' (std √(2/(in+out)), or 2/(in+out) in the book profile); 'he' √(2/in); 'glorotBook' always 2/(in+out); 'pytorch' PyTorch's default, W and B uniform in ±1/√in (chapter 7).",
      ),
      keepProb: keepProbArg(
        "Dropout after the activation, given as the probability of KEEPING each unit (the book's convention): 0.8 drops 20% of units in training; 1 means no dropout.",
      ),
      useBias: { type: 'boolean', default: true, description: 'Add a bias B after x·W.', examples: [true] },
    },
    create: (a) => new Dense(a as unknown as DenseArgs),
    parameterCount: (input, a) =>
      shapesSize(Dense.paramShapes(input, withDefaults(Dense.descriptor, a as unknown as FullDenseArgs))),
    describe: (a) =>
      summary(
        (a.activation as string) ?? 'linear',
        a.keepProb !== undefined && a.keepProb !== 1 && `keepProb ${a.keepProb}`,
        // Any explicit init, 'standard' too: without one the default depends on the profile (init.ts).
        typeof a.init === 'string' && `init ${a.init}`,
      ),
  };

  /** Shapes of W [in, units] and, with a bias, B [1, units]: what createOperations allocates. */
  static paramShapes(inputShape: Shape, args: FullDenseArgs): Shape[] {
    const w: Shape = [inputShape[0], args.units];
    return args.useBias ? [w, [1, args.units]] : [w];
  }

  readonly kind = 'Dense';
  readonly args: FullDenseArgs;

  constructor(args: DenseArgs) {
    super();
    assertValue(Number.isInteger(args.units) && args.units > 0, () =>
      engineText('Dense: units must be a positive integer, got {0}', args.units),
    );
    this.args = withDefaults(Dense.descriptor, args) as FullDenseArgs;
    assertValue(Number.isFinite(this.args.keepProb) && this.args.keepProb > 0 && this.args.keepProb <= 1, () =>
      engineText('Dense: keepProb must be in (0, 1], got {0}', this.args.keepProb),
    );
  }

  outputShape(inputShape: Shape): Shape {
    assertShape(inputShape.length === 1, () =>
      engineText(
        'Dense: input must be a vector per example [features], got {0} (add a flatten layer first)',
        formatShape(inputShape),
      ),
    );
    return [this.args.units];
  }

  protected createOperations(inputShape: Shape, setup: SetupContext): Operation[] {
    this.outputShape(inputShape);
    const [wShape, bShape] = Dense.paramShapes(inputShape, this.args);
    const [fanIn, units] = wShape;
    const init = this.args.init ?? defaultInit(this.args.activation, setup.profile);
    const std = initStd(init, fanIn, units, setup.profile);
    if (setup.profile.lazyReseedInit) setup.rng.seed(setup.seed);
    const pytorch = init === 'pytorch';
    const w = pytorch
      ? uniformTensor(wShape, pytorchBound(fanIn), setup.rng, setup.dtype)
      : normalTensor(wShape, std, setup.rng, setup.dtype);
    const ops: Operation[] = [new WeightMultiply(w)];
    if (bShape) {
      const b = pytorch
        ? uniformTensor(bShape, pytorchBound(fanIn), setup.rng, setup.dtype)
        : setup.profile.lazyReseedInit
          ? normalTensor(bShape, std, setup.rng, setup.dtype)
          : Tensor.zeros(bShape, setup.dtype);
      ops.push(new BiasAdd(b));
    }
    ops.push(createActivation(this.args.activation, setup.profile, this.args.alpha));
    if (this.args.keepProb < 1) ops.push(new Dropout(this.args.keepProb));
    return ops;
  }
}
