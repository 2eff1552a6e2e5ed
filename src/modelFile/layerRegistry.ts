import {
  ACTIVATION_NAMES,
  AvgPool2d,
  Conv2d,
  Conv2dArgs,
  Dense,
  DenseArgs,
  FlattenLayer,
  INIT_NAMES,
  Layer,
  MaxPool2d,
  Pool2dArgs,
  Profile,
  ReshapeLayer,
  Shape,
  size2d,
  sizeOf,
} from '../engine';
import { RECURRENT_KINDS } from './recurrentKinds';
import type { JsonSchema } from './schema/jsonSchema';

/**
 * Every layer kind a model file may use. Adding a kind (e.g. conv2d from the CNN work) is one
 * entry here: its schema (what the file may say), how to create the engine layer, and its
 * parameter count for an input shape (so validation never allocates weights).
 */
export interface LayerKind {
  readonly type: string;
  readonly schema: JsonSchema;
  create(args: Record<string, unknown>): Layer;
  parameterCount(inputShape: Shape, outputShape: Shape, args: Record<string, unknown>, profile: Profile): number;
  /** Short description for summaries, e.g. 'tanh, keepProb 0.8'. */
  describe(args: Record<string, unknown>): string;
  /** The property a shape problem points at when the input does not fit (default: the whole layer). */
  readonly shapeProperty?: string;
}

const nameProperty: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: 'Display name shown in summaries, hovers and panels. Default: the kind and position, e.g. dense2.',
  examples: ['hidden1'],
};

const dense: LayerKind = {
  type: 'dense',
  schema: {
    title: 'dense layer',
    description:
      'Fully connected layer: y = activation(x·W + B), then optional dropout. Input [features] → output [units].',
    type: 'object',
    required: ['type', 'units'],
    additionalProperties: false,
    properties: {
      type: { const: 'dense', description: 'Layer kind.', examples: ['dense'] },
      name: nameProperty,
      units: { type: 'integer', minimum: 1, description: 'Number of output units (neurons).', examples: [89] },
      activation: {
        enum: ACTIVATION_NAMES,
        default: 'linear',
        description: 'Activation after the affine map.',
        examples: ['tanh'],
      },
      alpha: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 0.01,
        description: "Slope for x < 0; only with activation 'leakyRelu'.",
        examples: [0.01],
      },
      init: {
        enum: INIT_NAMES,
        default: 'standard',
        description:
          "Weight initialisation: 'standard' N(0,1) as the book; 'glorot' (std √(2/(in+out)), or 2/(in+out) in the book profile); 'he' √(2/in); 'glorotBook' always 2/(in+out); 'pytorch' PyTorch's default, W and B uniform in ±1/√in (chapter 7).",
        examples: ['glorot'],
      },
      keepProb: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 1,
        description:
          "Dropout after the activation, given as the probability of KEEPING each unit (the book's convention): 0.8 drops 20% of units in training; 1 means no dropout.",
        examples: [0.8],
      },
      useBias: { type: 'boolean', default: true, description: 'Add a bias B after x·W.', examples: [true] },
    },
  },
  create: (a) => new Dense(a as unknown as DenseArgs),
  parameterCount: (input, output, a) => sizeOf(input) * output[0] + (a.useBias === false ? 0 : output[0]),
  describe: (a) =>
    [
      a.activation ?? 'linear',
      a.keepProb !== undefined && a.keepProb !== 1 ? `keepProb ${a.keepProb}` : '',
      a.init && a.init !== 'standard' ? `init ${a.init}` : '',
    ]
      .filter(Boolean)
      .join(', '),
};

const flatten: LayerKind = {
  type: 'flatten',
  schema: {
    title: 'flatten layer',
    description: 'Reshapes each example to a vector in C order, e.g. [1, 28, 28] → [784]. No parameters.',
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: {
      type: { const: 'flatten', description: 'Layer kind.', examples: ['flatten'] },
      name: nameProperty,
    },
  },
  create: () => new FlattenLayer(),
  parameterCount: () => 0,
  describe: () => '',
};

const reshape: LayerKind = {
  type: 'reshape',
  schema: {
    title: 'reshape layer',
    description:
      "Views each example's values in a new shape, C order, keeping the batch axis (PyTorch's view(-1, ...)): e.g. a dense layer's [5488] → [7, 28, 28] for convolutions. The element counts must match. No parameters.",
    type: 'object',
    required: ['type', 'shape'],
    additionalProperties: false,
    properties: {
      type: { const: 'reshape', description: 'Layer kind.', examples: ['reshape'] },
      name: nameProperty,
      shape: {
        type: 'array',
        minItems: 1,
        maxItems: 4,
        items: { type: 'integer', minimum: 1, description: 'Size along one axis.', examples: [28] },
        description:
          'Output shape of one example, without the batch axis: [channels, height, width] for convolution layers.',
        examples: [[7, 28, 28]],
      },
    },
  },
  create: (a) => new ReshapeLayer({ shape: a.shape as number[] }),
  parameterCount: () => 0,
  describe: (a) => `→ [${(a.shape as number[]).join(', ')}]`,
  shapeProperty: 'shape',
};

const size2dSchema = (what: string, example: number): JsonSchema => ({
  description: `${what}: one number for a square, or [height, width].`,
  examples: [example, [example, example]],
  oneOf: [
    { type: 'integer', minimum: 1, description: 'Same size in both directions.', examples: [example] },
    {
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: { type: 'integer', minimum: 1, description: 'Size along one axis.', examples: [example] },
      description: '[height, width].',
      examples: [[example, example]],
    },
  ],
});
const paddingSchema = (dflt: string | number): JsonSchema => ({
  description:
    "Zero padding: 'same' (keep the size, odd kernels), 'valid' (none), a number for every side, or [height, width].",
  default: dflt,
  examples: [dflt],
  oneOf: [
    { type: 'string', enum: ['same', 'valid'], description: 'Named padding.', examples: ['same'] },
    { type: 'integer', minimum: 0, description: 'Rows and columns of zeros on every side.', examples: [2] },
    {
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: { type: 'integer', minimum: 0, description: 'Padding along one axis.', examples: [1] },
      description: '[height, width] padding.',
      examples: [[1, 1]],
    },
  ],
});
const kernel = (a: Record<string, unknown>, key = 'kernelSize') =>
  size2d(a[key] as number | [number, number], key, 'model file');

const conv2d: LayerKind = {
  type: 'conv2d',
  schema: {
    title: 'conv2d layer',
    description:
      'Convolution over images: y = activation(conv2d(x, W) + B), then optional flatten and dropout. Input [channels, height, width] → output [filters, outH, outW] (or flattened).',
    type: 'object',
    required: ['type', 'filters', 'kernelSize'],
    additionalProperties: false,
    properties: {
      type: { const: 'conv2d', description: 'Layer kind.', examples: ['conv2d'] },
      name: nameProperty,
      filters: { type: 'integer', minimum: 1, description: 'Number of output channels (filters).', examples: [16] },
      kernelSize: size2dSchema('Kernel size', 5),
      stride: { ...size2dSchema('Step between windows', 1), default: 1 },
      padding: paddingSchema('same'),
      activation: {
        enum: ACTIVATION_NAMES,
        default: 'linear',
        description: 'Activation after the convolution.',
        examples: ['tanh'],
      },
      alpha: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 0.01,
        description: "Slope for x < 0; only with activation 'leakyRelu'.",
        examples: [0.01],
      },
      init: {
        enum: INIT_NAMES,
        default: 'standard',
        description:
          "Weight initialisation, as for dense layers with in = Cin·kh·kw and out = filters·kh·kw; in the book profile 'glorot' is 2/(Cin + filters), ignoring the kernel size, as lincoln; 'pytorch' also draws the bias uniformly in ±1/√in.",
        examples: ['glorot'],
      },
      keepProb: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 1,
        description: 'Dropout after the activation (and flatten), as the probability of KEEPING a unit; 1 means none.',
        examples: [0.8],
      },
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
  },
  create: (a) => new Conv2d(a as unknown as Conv2dArgs),
  parameterCount: (input, _output, a, profile) => {
    const [kh, kw] = kernel(a);
    const filters = a.filters as number;
    const bias = (a.useBias as boolean | undefined) ?? !profile.bookConvInit;
    return filters * input[0] * kh * kw + (bias ? filters : 0);
  },
  describe: (a) =>
    [
      `${a.filters} × ${kernel(a).join('×')}`,
      a.activation ?? 'linear',
      a.flatten ? 'flatten' : '',
      a.keepProb !== undefined && a.keepProb !== 1 ? `keepProb ${a.keepProb}` : '',
    ]
      .filter(Boolean)
      .join(', '),
};

const pool = (type: 'maxPool2d' | 'avgPool2d', what: string, create: (a: Pool2dArgs) => Layer): LayerKind => ({
  type,
  schema: {
    title: `${type} layer`,
    description: `${what} of each window, per channel. Input [channels, height, width] → [channels, outH, outW]. No parameters.`,
    type: 'object',
    required: ['type', 'kernelSize'],
    additionalProperties: false,
    properties: {
      type: { const: type, description: 'Layer kind.', examples: [type] },
      name: nameProperty,
      kernelSize: size2dSchema('Window size', 2),
      stride: { ...size2dSchema('Step between windows (default: the window size)', 2) },
      padding: {
        ...paddingSchema(0),
        description: 'Zero padding on each side, smaller than the window: a number or [height, width].',
        oneOf: [
          { type: 'integer', minimum: 0, description: 'Padding on every side.', examples: [0] },
          {
            type: 'array',
            minItems: 2,
            maxItems: 2,
            items: { type: 'integer', minimum: 0, description: 'Padding along one axis.', examples: [1] },
            description: '[height, width] padding.',
            examples: [[1, 1]],
          },
        ],
      },
    },
  },
  create: (a) => create(a as unknown as Pool2dArgs),
  parameterCount: () => 0,
  describe: (a) => `${kernel(a).join('×')} window`,
});

export const LAYER_KINDS: readonly LayerKind[] = [
  dense,
  flatten,
  reshape,
  conv2d,
  ...RECURRENT_KINDS,
  pool('maxPool2d', 'Maximum', (a) => new MaxPool2d(a)),
  pool('avgPool2d', 'Average', (a) => new AvgPool2d(a)),
];

export function layerKind(type: string): LayerKind | undefined {
  return LAYER_KINDS.find((k) => k.type === type);
}
