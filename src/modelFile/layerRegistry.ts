import {
  AvgPool2d,
  BatchNorm,
  Conv2d,
  Dense,
  FlattenLayer,
  GRU,
  Layer,
  LayerDescriptor,
  LSTM,
  MaxPool2d,
  Profile,
  ReshapeLayer,
  RNN,
  Shape,
} from '../engine';
import type { JsonSchema } from './schema/jsonSchema';

/**
 * Every layer kind a model file may use, one engine descriptor each (the static `descriptor` of
 * the layer class, which declares its arguments, defaults, parameter count and summary). Adding
 * a kind is one line here; docs/architecture/layers.md has the whole recipe.
 */
const DESCRIPTORS: readonly LayerDescriptor[] = [
  Dense.descriptor,
  FlattenLayer.descriptor,
  ReshapeLayer.descriptor,
  Conv2d.descriptor,
  RNN.descriptor,
  LSTM.descriptor,
  GRU.descriptor,
  MaxPool2d.descriptor,
  AvgPool2d.descriptor,
  BatchNorm.descriptor,
];

/** A layer kind as the model file sees it: the descriptor plus the JSON schema assembled from it. */
export interface LayerKind {
  readonly type: string;
  readonly schema: JsonSchema;
  readonly descriptor: LayerDescriptor;
  create(args: Record<string, unknown>): Layer;
  parameterCount(inputShape: Shape, args: Record<string, unknown>, profile: Profile): number;
  describe(args: Record<string, unknown>): string;
  readonly shapeProperty?: string;
}

/** The model-file schema of one layer kind: `type` and `name`, then the descriptor's arguments. */
export function layerSchema(d: LayerDescriptor): JsonSchema {
  return {
    title: `${d.type} layer`,
    description: d.description,
    type: 'object',
    required: ['type', ...d.required],
    additionalProperties: false,
    properties: {
      type: { const: d.type, description: 'Layer kind.', examples: [d.type] },
      name: {
        type: 'string',
        minLength: 1,
        description: `Display name shown in summaries, hovers and panels. Default: the kind and position, e.g. ${d.type}2.`,
        examples: [`${d.type}1`],
      },
      ...d.args,
    },
  };
}

function kindOf(d: LayerDescriptor): LayerKind {
  return {
    type: d.type,
    schema: layerSchema(d),
    descriptor: d,
    create: d.create,
    parameterCount: d.parameterCount,
    describe: d.describe,
    ...(d.shapeProperty ? { shapeProperty: d.shapeProperty } : {}),
  };
}

export const LAYER_KINDS: readonly LayerKind[] = DESCRIPTORS.map(kindOf);

export function layerKind(type: string): LayerKind | undefined {
  return LAYER_KINDS.find((k) => k.type === type);
}

/** A sequence layer kind (rnn, lstm, gru): [T, features] → [T, outputSize], what text models stack. */
export function isRecurrentType(type: string): boolean {
  return layerKind(type)?.descriptor.sequence === true;
}
