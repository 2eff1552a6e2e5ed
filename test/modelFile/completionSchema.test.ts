import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAYER_KINDS } from '../../src/modelFile/layerRegistry';
import { COMPLETION_SCHEMA, renderCompletionSchemaJson } from '../../src/modelFile/schema/completionSchema';
import { REPO } from '../helpers/tempDir';

/*
 * Issue 12, item 4: VS Code's JSON language service must not report the model file's problems a
 * second time. The editor's schema keeps what completion and hovers need and no keyword the JSON
 * language service validates with, except inside `if` (a failed `if` is never reported).
 */
const VALIDATION = [
  'type',
  'enum',
  'const',
  'required',
  'additionalProperties',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'minItems',
  'maxItems',
  'oneOf',
  'not',
  'pattern',
];
type Node = Record<string, unknown>;

/** Validation keywords anywhere in a schema outside `if` conditions, with their paths. */
function validationKeywords(s: Node, path: string, out: string[] = []): string[] {
  for (const k of VALIDATION) if (k in s) out.push(`${path}:${k}`);
  for (const [k, p] of Object.entries((s.properties ?? {}) as Record<string, Node>))
    validationKeywords(p, `${path}.${k}`, out);
  if (s.items) validationKeywords(s.items as Node, `${path}[]`, out);
  for (const key of ['anyOf', 'allOf'])
    ((s[key] ?? []) as Node[]).forEach((a, i) => validationKeywords(a, `${path}/${key}${i}`, out));
  if (s.then) validationKeywords(s.then as Node, `${path}/then`, out);
  return out;
}

const layerItems = () => (COMPLETION_SCHEMA.properties as Record<string, Node>).layers.items as Node;

describe('the editor (completion) schema', () => {
  it('is the shipped schemas/glassbox-model.completion.schema.json (run npm run schema), named by jsonValidation', () => {
    assert.equal(
      readFileSync(join(REPO, 'schemas', 'glassbox-model.completion.schema.json'), 'utf8'),
      renderCompletionSchemaJson(),
    );
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.jsonValidation, [
      { fileMatch: '*.nn.json', url: './schemas/glassbox-model.completion.schema.json' },
    ]);
  });

  it('has no validation keyword outside `if` conditions', () => {
    assert.deepEqual(validationKeywords(COMPLETION_SCHEMA, ''), []);
  });

  it("offers each layer kind's own arguments only for that kind, and every enum value as a suggestion", () => {
    const branches = layerItems().allOf as { if: Node; then: Node }[];
    assert.equal(branches.length, LAYER_KINDS.length);
    const dense = branches.find((b) => JSON.stringify(b.if).includes('"dense"'));
    assert.ok(dense);
    assert.deepEqual(dense.if, { type: 'object', properties: { type: { enum: ['dense'] } }, required: ['type'] });
    const props = dense.then.properties as Record<string, Node>;
    for (const k of ['units', 'activation', 'init', 'keepProb']) assert.ok(props[k]?.description, `dense has no ${k}`);
    assert.ok(!('filters' in props), 'a conv2d argument offered for dense');
    assert.deepEqual(props.activation.examples, ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax']);
    const type = (layerItems().properties as Record<string, Node>).type;
    assert.deepEqual(
      type.examples,
      LAYER_KINDS.map((k) => k.type),
    );
  });

  it('has a snippet per layer kind with its required arguments', () => {
    const snippets = layerItems().defaultSnippets as { label: string; body: Node }[];
    assert.equal(snippets.length, LAYER_KINDS.length);
    const dense = snippets.find((s) => s.label === 'dense');
    assert.deepEqual(dense?.body, { type: 'dense', units: 89 });
  });
});
