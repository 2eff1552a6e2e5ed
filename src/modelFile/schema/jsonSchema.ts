/**
 * The subset of JSON Schema (draft-07) the model-file schema uses, declared in the engine
 * (layers/layerDescriptor.ts) so each layer declares its own arguments. The same objects are
 * checked by schemaCheck.ts (with source positions) and written to
 * schemas/glassbox-model.schema.json for the editor's `jsonValidation`, so the two can never disagree.
 */
import type { JsonSchema } from '../../engine';
export type { JsonSchema, JsonType } from '../../engine';

/** Every `type` value an alternative accepts (its `const` or `enum`), for discriminated unions. */
export function discriminatorValues(s: JsonSchema): string[] {
  const t = s.properties?.type;
  if (!t) return [];
  if (t.const !== undefined) return [t.const];
  return (t.enum ?? []).filter((v): v is string => typeof v === 'string');
}
