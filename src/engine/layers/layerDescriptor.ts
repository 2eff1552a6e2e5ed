import type { Profile } from '../profile';
import type { Shape } from '../tensor/shape';
import { ACTIVATION_NAMES } from './activation';
import { DEFAULT_INIT_TEXT, INIT_NAMES } from './init';
import type { Layer } from './layer';

/**
 * The subset of JSON Schema (draft-07) that describes a layer's arguments and the model file. It
 * lives in the engine so each layer can declare its own arguments next to its code; the model
 * file's validator (modelFile/schemaCheck.ts) and schemas/glassbox-model.schema.json read the
 * same objects, so the two can never disagree.
 */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface JsonSchema {
  title?: string;
  description?: string;
  type?: JsonType;
  enum?: readonly (string | number)[];
  const?: string;
  default?: unknown;
  examples?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: false;
  /** Alternatives told apart by JSON type or by the value of their `type` property. */
  oneOf?: readonly JsonSchema[];
}

/** A layer's arguments as a model file writes them (validated against the descriptor's `args`). */
export type LayerArgs = Record<string, unknown>;

/**
 * Everything the rest of Glassbox knows about one layer kind, declared once next to the layer
 * (a static `descriptor` on its class): the model file's `type`, what it computes, each argument
 * (JSON schema with type, range, default, doc and example), how to create the engine layer, its
 * parameter count for an input shape (without allocating weights) and a short summary. The
 * model-file registry (modelFile/layerRegistry.ts) lists descriptors; the schema, the defaults,
 * shape inference and the summary table are derived from them. docs/architecture/layers.md.
 */
export interface LayerDescriptor {
  /** The model file's `type`, e.g. 'dense'. */
  readonly type: string;
  /** What the layer computes, with its input → output shapes (the schema's description). */
  readonly description: string;
  /** Each argument's schema, in the order editors show them; `default` is the value used when it is absent. */
  readonly args: Readonly<Record<string, JsonSchema>>;
  /** Arguments a model file must give. */
  readonly required: readonly string[];
  create(args: LayerArgs): Layer;
  /** Trainable values for this input shape (without the batch axis); never allocates weights. */
  parameterCount(inputShape: Shape, args: LayerArgs, profile: Profile): number;
  /** Short description for summaries, e.g. 'tanh, keepProb 0.8'. */
  describe(args: LayerArgs): string;
  /** The argument a shape problem points at when the input does not fit (default: the whole layer). */
  readonly shapeProperty?: string;
  /** A sequence layer ([T, features] → [T, outputSize]): the only kind a text model may stack. */
  readonly sequence?: boolean;
}

/** The declared defaults of a descriptor's arguments. */
export function argDefaults(d: Pick<LayerDescriptor, 'args'>): LayerArgs {
  const out: LayerArgs = {};
  for (const [k, s] of Object.entries(d.args)) if (s.default !== undefined) out[k] = s.default;
  return out;
}

/** `args` with every absent (or undefined) argument replaced by the descriptor's default. */
export function withDefaults<A>(d: Pick<LayerDescriptor, 'args'>, args: A): A {
  const out = argDefaults(d);
  for (const [k, v] of Object.entries(args as LayerArgs)) if (v !== undefined) out[k] = v;
  return out as A;
}

/** Number of values in tensors of these shapes (a parameter count from declared parameter shapes). */
export const shapesSize = (shapes: readonly Shape[]): number =>
  shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);

/** Joins the non-empty parts of a summary with commas. */
export const summary = (...parts: (string | false | undefined)[]): string => parts.filter(Boolean).join(', ');

// Argument schemas shared by several layer kinds.

export const activationArg = (after: string): JsonSchema => ({
  enum: ACTIVATION_NAMES,
  default: 'linear',
  description: `Activation after the ${after}.`,
  examples: ['tanh'],
});

export const alphaArg: JsonSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  default: 0.01,
  description: "Slope for x < 0; only with activation 'leakyRelu'.",
  examples: [0.01],
};

/** No `default`: an absent `init` depends on the profile and the activation (init.ts `defaultInit`). */
export const initArg = (description: string): JsonSchema => ({
  enum: INIT_NAMES,
  description: `${description} ${DEFAULT_INIT_TEXT}`,
  examples: ['glorot', 'he'],
});

export const keepProbArg = (description: string): JsonSchema => ({
  type: 'number',
  exclusiveMinimum: 0,
  maximum: 1,
  default: 1,
  description,
  examples: [0.8],
});

/** A 2-d size: one number for a square, or [height, width]. */
export const size2dArg = (what: string, example: number): JsonSchema => ({
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

const paddingPair: JsonSchema = {
  type: 'array',
  minItems: 2,
  maxItems: 2,
  items: { type: 'integer', minimum: 0, description: 'Padding along one axis.', examples: [1] },
  description: '[height, width] padding.',
  examples: [[1, 1]],
};

/** Convolution padding: 'same', 'valid', a number or [height, width]. */
export const paddingArg = (dflt: string | number): JsonSchema => ({
  description:
    "Zero padding: 'same' (keep the size, odd kernels), 'valid' (none), a number for every side, or [height, width].",
  default: dflt,
  examples: [dflt],
  oneOf: [
    { type: 'string', enum: ['same', 'valid'], description: 'Named padding.', examples: ['same'] },
    { type: 'integer', minimum: 0, description: 'Rows and columns of zeros on every side.', examples: [2] },
    paddingPair,
  ],
});

/** Pooling padding: a number or [height, width], smaller than the pool size. */
export const poolPaddingArg: JsonSchema = {
  description: 'Zero padding on each side, smaller than the pool size: a number or [height, width].',
  default: 0,
  examples: [0],
  oneOf: [{ type: 'integer', minimum: 0, description: 'Padding on every side.', examples: [0] }, paddingPair],
};
