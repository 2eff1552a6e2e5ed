import { discriminatorValues, type JsonSchema } from './jsonSchema';
import { MODEL_SCHEMA } from './modelSchema';

/**
 * The editor's schema (package.json `jsonValidation`): the model schema with every validation
 * keyword taken out, so that VS Code's JSON language service offers completion and hovers but
 * never reports a problem of its own. Glassbox's validator (validate.ts) owns the problems, each
 * reported once, on the smallest range that names it. What is kept or translated:
 * - `description`, `title`, `default`, `examples`;
 * - an `enum` or `const` becomes `examples` (value suggestions, no "Value is not accepted");
 * - a union told apart by `type` becomes `if`/`then` per kind: the JSON language service applies
 *   `then` (its properties, hovers and suggestions) only for the kind written, and never reports a
 *   failed `if`; alternatives told apart by JSON type (a number or an array) become `anyOf`, which
 *   cannot fail once they have no validation keywords;
 * - a list of layers gets one `defaultSnippets` entry per layer kind (a new layer object).
 * Dropped: `type`, `required`, `additionalProperties`, ranges and lengths.
 */
type Out = Record<string, unknown>;

export function completionSchema(s: JsonSchema): Out {
  const out: Out = {};
  if (s.title !== undefined) out.title = s.title;
  if (s.description !== undefined) out.description = s.description;
  if (s.default !== undefined) out.default = s.default;
  const values = s.enum ?? (s.const !== undefined ? [s.const] : undefined);
  if (values) out.examples = [...values];
  else if (s.examples !== undefined) out.examples = s.examples;
  if (s.items) out.items = completionSchema(s.items);
  const properties: Record<string, Out> = {};
  for (const [k, p] of Object.entries(s.properties ?? {})) properties[k] = completionSchema(p);
  if (s.oneOf) {
    const kinds = s.oneOf.filter((a) => discriminatorValues(a).length > 0);
    const others = s.oneOf.filter((a) => discriminatorValues(a).length === 0);
    if (others.length) out.anyOf = others.map(completionSchema);
    if (kinds.length) {
      const names = kinds.flatMap(discriminatorValues);
      properties.type ??= { description: `The kind: ${names.map((n) => `'${n}'`).join(', ')}.`, examples: names };
      out.allOf = kinds.map((a) => ({
        if: { type: 'object', properties: { type: { enum: discriminatorValues(a) } }, required: ['type'] },
        then: completionSchema(a),
      }));
    }
  }
  if (Object.keys(properties).length) out.properties = properties;
  return out;
}

/** One snippet per layer kind: `type` and each required argument with its first example. */
function layerSnippets(items: JsonSchema): Out[] {
  return (items.oneOf ?? []).map((k) => {
    const [type] = discriminatorValues(k);
    const body: Out = { type };
    for (const r of k.required ?? []) if (r !== 'type') body[r] = k.properties?.[r]?.examples?.[0] ?? '';
    return { label: type, description: k.description?.split(/(?<=\.) /)[0] ?? '', body };
  });
}

export const COMPLETION_SCHEMA: Out = (() => {
  const out = completionSchema(MODEL_SCHEMA);
  const layers = MODEL_SCHEMA.properties?.layers?.items;
  const outLayers = (out.properties as Record<string, Out>).layers;
  if (layers) (outLayers.items as Out).defaultSnippets = layerSnippets(layers);
  return {
    $schema: MODEL_SCHEMA.$schema,
    $id: `${MODEL_SCHEMA.$id}:completion`,
    ...out,
  };
})();

/** The shipped schemas/glassbox-model.completion.schema.json (a test checks the file matches). */
export function renderCompletionSchemaJson(): string {
  return JSON.stringify(COMPLETION_SCHEMA, null, 2) + '\n';
}
