import { conv2dOutputShape, Padding2d, Size2d, size2d } from '../conv/convShape';
import { assertShape, assertValue, engineText } from '../errors';
import { Conv2dOp } from '../ops/conv2d';
import { Dropout } from '../ops/dropout';
import { Flatten } from '../ops/flatten';
import type { Operation } from '../ops/operation';
import { formatShape, Shape, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { Profile } from '../profile';
import { ActivationName, createActivation } from './activation';
import { defaultInit, InitName, initStd, normalTensor, pytorchBound, uniformTensor } from './init';
import { Layer, SetupContext } from './layer';
import {
  activationArg,
  alphaArg,
  initArg,
  keepProbArg,
  LayerArgs,
  LayerDescriptor,
  paddingArg,
  shapesSize,
  size2dArg,
  summary,
  withDefaults,
} from './layerDescriptor';

export interface Conv2dArgs {
  /** Number of output channels (filters). */
  filters: number;
  /** Kernel size: one number for a square kernel, or [height, width]. */
  kernelSize: Size2d;
  /** Step between windows. Default 1. */
  stride?: Size2d;
  /** Zero padding. Default 'same' (the book's k // 2 on every side for odd k). */
  padding?: Padding2d;
  /** Activation after the convolution. Default 'linear'. */
  activation?: ActivationName;
  /** Slope for x < 0 when activation is 'leakyRelu'. Default 0.01. */
  alpha?: number;
  /** Weight initialisation. Default: by profile and activation (init.ts `defaultInit`); the book's is 'standard'. */
  init?: InitName;
  /** Dropout keep probability after the activation (and flatten); 1 (default) means none. */
  keepProb?: number;
  /** Add a per-channel bias. Default true; in the book profile default false (lincoln's Conv2D has none). */
  useBias?: boolean;
  /** Flatten the output to [Cout·outH·outW] per example, as the book's `flatten=True`. Default false. */
  flatten?: boolean;
}

type FullConv2dArgs = Required<Omit<Conv2dArgs, 'useBias' | 'init'>> & {
  useBias: boolean | undefined;
  init: InitName | undefined;
};

const kernelOf = (a: LayerArgs) => size2d(a.kernelSize as Size2d, 'kernelSize', 'model file');

/**
 * Conv2d layer: y = act(conv2d(x, W) + B), then optional flatten and dropout (the book's order:
 * Conv2D_Op, activation, Flatten, Dropout).
 * Shape: Input [batch, Cin, H, W] → Output [batch, filters, outH, outW], or
 * [batch, filters·outH·outW] with `flatten`. Parameters: W [filters, Cin, kh, kw], B [filters].
 *
 * Initialisation, modern: W ~ N(0, std) with std from `init` using fanIn = Cin·kh·kw and
 * fanOut = filters·kh·kw; B = 0 ('pytorch': W and B ~ U(±1/√fanIn), init.ts). Book profile (E5.4, book-parity §3 items 1–2): no reseed (W is
 * drawn from the shared stream where it stands); 'glorot' means std = 2/(Cin + filters),
 * ignoring the kernel size ('glorotBook' means that in any profile); W is drawn in lincoln's
 * [Cin, filters, kh, kw] order and transposed; no bias unless `useBias: true` (then B = 0).
 */
export class Conv2d extends Layer {
  static readonly descriptor: LayerDescriptor = {
    type: 'conv2d',
    description:
      'Convolution over images: y = activation(conv2d(x, W) + B), then optional flatten and dropout. Input [channels, height, width] → output [filters, outH, outW] (or flattened).',
    required: ['filters', 'kernelSize'],
    args: {
      filters: { type: 'integer', minimum: 1, description: 'Number of output channels (filters).', examples: [16] },
      kernelSize: size2dArg('Kernel size', 5),
      stride: { ...size2dArg('Step between windows', 1), default: 1 },
      padding: paddingArg('same'),
      activation: activationArg('convolution'),
      alpha: alphaArg,
      init: initArg(
        "Weight initialisation, as for dense layers with in = Cin·kh·kw and out = filters·kh·kw; in the book profile 'glorot' is 2/(Cin + filters), ignoring the kernel size, as lincoln; 'pytorch' also draws the bias uniformly in ±1/√in.",
      ),
      keepProb: keepProbArg(
        'Dropout after the activation (and flatten), as the probability of KEEPING a unit; 1 means none.',
      ),
      useBias: {
        type: 'boolean',
        description: "Add a per-filter bias. Default: true, except in the book profile (lincoln's Conv2D has none).",
        examples: [true],
      },
      flatten: {
        type: 'boolean',
        default: false,
        description: "Flatten the output to a vector per example, as the book's flatten=True.",
        examples: [true],
      },
    },
    create: (a) => new Conv2d(a as unknown as Conv2dArgs),
    parameterCount: (input, a, profile) =>
      shapesSize(Conv2d.paramShapes(input, withDefaults(Conv2d.descriptor, a as unknown as FullConv2dArgs), profile)),
    describe: (a) =>
      summary(
        `${a.filters} × ${kernelOf(a).join('×')}`,
        (a.activation as string) ?? 'linear',
        !!a.flatten && 'flatten',
        a.keepProb !== undefined && a.keepProb !== 1 && `keepProb ${a.keepProb}`,
      ),
  };

  /** Shapes of W [filters, Cin, kh, kw] and, with a bias, B [filters]: what createOperations allocates. */
  static paramShapes(inputShape: Shape, args: FullConv2dArgs, profile: Profile): Shape[] {
    const [kh, kw] = size2d(args.kernelSize, 'kernelSize', 'Conv2d');
    const w: Shape = [args.filters, inputShape[0], kh, kw];
    return (args.useBias ?? !profile.bookConvInit) ? [w, [args.filters]] : [w];
  }

  readonly kind = 'Conv2d';
  readonly args: FullConv2dArgs;

  constructor(args: Conv2dArgs) {
    super();
    assertValue(Number.isInteger(args.filters) && args.filters > 0, () =>
      engineText('Conv2d: filters must be a positive integer, got {0}', args.filters),
    );
    this.args = withDefaults(Conv2d.descriptor, args) as FullConv2dArgs;
    size2d(this.args.kernelSize, 'kernelSize', 'Conv2d');
    assertValue(Number.isFinite(this.args.keepProb) && this.args.keepProb > 0 && this.args.keepProb <= 1, () =>
      engineText('Conv2d: keepProb must be in (0, 1], got {0}', this.args.keepProb),
    );
  }

  private filterShape(inChannels: number): [number, number, number, number] {
    const [kh, kw] = size2d(this.args.kernelSize, 'kernelSize', 'Conv2d');
    return [this.args.filters, inChannels, kh, kw];
  }

  outputShape(inputShape: Shape): Shape {
    assertShape(inputShape.length === 3, () =>
      engineText(
        'Conv2d: input must be an image per example [channels, height, width], got {0} (reshape flat pixels to e.g. [1, 28, 28])',
        formatShape(inputShape),
      ),
    );
    const out = conv2dOutputShape(inputShape, this.filterShape(inputShape[0]), this.args.stride, this.args.padding);
    return this.args.flatten ? [sizeOf(out)] : out;
  }

  protected createOperations(inputShape: Shape, setup: SetupContext): Operation[] {
    this.outputShape(inputShape);
    const [wShape, bShape] = Conv2d.paramShapes(inputShape, this.args, setup.profile);
    const [cOut, cIn, kh, kw] = wShape;
    const init = this.args.init ?? defaultInit(this.args.activation, setup.profile);
    const bookFans = init === 'glorotBook' || (init === 'glorot' && setup.profile.bookGlorot);
    const std = bookFans
      ? initStd('glorotBook', cIn, cOut, setup.profile)
      : initStd(init, cIn * kh * kw, cOut * kh * kw, setup.profile);
    const pytorch = init === 'pytorch';
    const bound = pytorchBound(cIn * kh * kw);
    const w = pytorch
      ? uniformTensor([cOut, cIn, kh, kw], bound, setup.rng, setup.dtype)
      : setup.profile.bookConvInit
        ? transposeChannels(normalTensor([cIn, cOut, kh, kw], std, setup.rng, setup.dtype))
        : normalTensor([cOut, cIn, kh, kw], std, setup.rng, setup.dtype);
    const b = bShape
      ? pytorch
        ? uniformTensor(bShape, bound, setup.rng, setup.dtype)
        : Tensor.zeros(bShape, setup.dtype)
      : null;
    const ops: Operation[] = [new Conv2dOp(w, b, { stride: this.args.stride, padding: this.args.padding })];
    ops.push(createActivation(this.args.activation, setup.profile, this.args.alpha));
    if (this.args.flatten) ops.push(new Flatten());
    if (this.args.keepProb < 1) ops.push(new Dropout(this.args.keepProb));
    return ops;
  }
}

/** [A, B, kh, kw] → [B, A, kh, kw]: lincoln's [Cin, Cout, k, k] weights in the engine's layout. */
export function transposeChannels(t: Tensor): Tensor {
  const [a, b, kh, kw] = t.shape;
  const out = Tensor.zeros([b, a, kh, kw], t.dtype);
  const k = kh * kw;
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++) out.data.set(t.data.subarray((i * b + j) * k, (i * b + j + 1) * k), (j * a + i) * k);
  return out;
}
