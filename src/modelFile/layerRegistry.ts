import { ACTIVATION_NAMES, Dense, DenseArgs, FlattenLayer, INIT_NAMES, Layer, Shape, sizeOf } from '../engine';
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
  parameterCount(inputShape: Shape, outputShape: Shape, args: Record<string, unknown>): number;
  /** Short description for summaries, e.g. 'tanh, keepProb 0.8'. */
  describe(args: Record<string, unknown>): string;
}

const nameProperty: JsonSchema = {
  type: 'string', minLength: 1,
  description: 'Display name shown in summaries, hovers and panels. Default: the kind and position, e.g. dense2.',
  examples: ['hidden1'],
};

const dense: LayerKind = {
  type: 'dense',
  schema: {
    title: 'dense layer',
    description: 'Fully connected layer: y = activation(x·W + B), then optional dropout. Input [features] → output [units].',
    type: 'object',
    required: ['type', 'units'],
    additionalProperties: false,
    properties: {
      type: { const: 'dense', description: 'Layer kind.', examples: ['dense'] },
      name: nameProperty,
      units: { type: 'integer', minimum: 1, description: 'Number of output units (neurons).', examples: [89] },
      activation: { enum: ACTIVATION_NAMES, default: 'linear', description: 'Activation after the affine map.', examples: ['tanh'] },
      alpha: { type: 'number', exclusiveMinimum: 0, default: 0.01, description: "Slope for x < 0; only with activation 'leakyRelu'.", examples: [0.01] },
      init: {
        enum: INIT_NAMES, default: 'standard',
        description: "Weight initialisation: 'standard' N(0,1) as the book; 'glorot' (std √(2/(in+out)), or 2/(in+out) in the book profile); 'he' √(2/in); 'glorotBook' always 2/(in+out).",
        examples: ['glorot'],
      },
      keepProb: {
        type: 'number', exclusiveMinimum: 0, maximum: 1, default: 1,
        description: 'Dropout after the activation, given as the probability of KEEPING each unit (the book\'s convention): 0.8 drops 20% of units in training; 1 means no dropout.',
        examples: [0.8],
      },
      useBias: { type: 'boolean', default: true, description: 'Add a bias B after x·W.', examples: [true] },
    },
  },
  create: (a) => new Dense(a as unknown as DenseArgs),
  parameterCount: (input, output, a) => sizeOf(input) * output[0] + (a.useBias === false ? 0 : output[0]),
  describe: (a) => [a.activation ?? 'linear', a.keepProb !== undefined && a.keepProb !== 1 ? `keepProb ${a.keepProb}` : '', a.init && a.init !== 'standard' ? `init ${a.init}` : ''].filter(Boolean).join(', '),
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

export const LAYER_KINDS: readonly LayerKind[] = [dense, flatten];

export function layerKind(type: string): LayerKind | undefined {
  return LAYER_KINDS.find((k) => k.type === type);
}
