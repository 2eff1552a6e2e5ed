import type { JsonSchema } from './jsonSchema';

/** A seed property (an unsigned 32-bit integer) with its description and example. */
export const seed = (description: string, example: number): JsonSchema => ({
  type: 'integer',
  minimum: 0,
  maximum: 4294967295,
  description,
  examples: [example],
});

/** A `type` discriminator: one constant value, described. */
export const typeConst = (value: string, what: string): JsonSchema => ({
  const: value,
  description: what,
  examples: [value],
});
