/**
 * The subset of JSON Schema (draft-07) the model-file schema uses. The same objects are checked
 * by schemaCheck.ts (with source positions) and written to schemas/glassbox-model.schema.json
 * for the editor's `jsonValidation`, so the two can never disagree.
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

/** Every `type` value an alternative accepts (its `const` or `enum`), for discriminated unions. */
export function discriminatorValues(s: JsonSchema): string[] {
  const t = s.properties?.type;
  if (!t) return [];
  if (t.const !== undefined) return [t.const];
  return (t.enum ?? []).filter((v): v is string => typeof v === 'string');
}
