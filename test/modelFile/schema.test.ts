import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonSchema } from '../../src/modelFile/schema/jsonSchema';
import { MODEL_SCHEMA, renderSchemaJson } from '../../src/modelFile/schema/modelSchema';
import { validateModel } from '../../src/modelFile/validate';
import { REPO } from '../helpers/tempDir';

/** Every property schema reachable from the root, with its path. */
function properties(s: JsonSchema, path: string, out: [string, JsonSchema][] = []): [string, JsonSchema][] {
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    out.push([`${path}.${k}`, p]);
    properties(p, `${path}.${k}`, out);
  }
  s.oneOf?.forEach((a, i) => properties(a, `${path}|${a.title ?? i}`, out));
  if (s.items) properties(s.items, `${path}[]`, out);
  return out;
}

describe('model-file schema', () => {
  it('the shipped schemas/glassbox-model.schema.json is the one the validator uses (run npm run schema)', () => {
    assert.equal(readFileSync(join(REPO, 'schemas', 'glassbox-model.schema.json'), 'utf8'), renderSchemaJson());
  });
  it('every property has a description and an example', () => {
    const missing = properties(MODEL_SCHEMA, '')
      .filter(([, p]) => !p.description || !p.examples?.length)
      .map(([k]) => k);
    assert.deepEqual(missing, []);
  });
  it('every example value of a property passes that property in a full model file', () => {
    // Each top-level example, substituted into a valid file, gives no schema problem.
    // The layer is named as the latent section's example names its layer.
    const base = {
      data: 'boston',
      layers: [{ type: 'dense', units: 1, name: 'encoding' }],
      loss: 'meanSquaredError',
      optimizer: { type: 'sgd', lr: 0.1 },
      training: { epochs: 1 },
    };
    for (const [k, p] of Object.entries(MODEL_SCHEMA.properties ?? {})) {
      for (const ex of p.examples ?? []) {
        const text = JSON.stringify({ ...base, [k]: ex });
        const schemaProblems = validateModel(text, 'x.nn.json').problems.filter((x) => x.severity === 'error');
        assert.deepEqual(schemaProblems, [], `${k}: ${JSON.stringify(ex)}`);
      }
    }
  });
  it('defaults in the schema are what the spec gets', () => {
    const r = validateModel(
      JSON.stringify({
        data: 'mnist-sample',
        layers: [{ type: 'dense', units: 10, activation: 'linear' }],
        loss: 'softmaxCrossEntropy',
        optimizer: { type: 'sgdMomentum', lr: 0.1 },
        training: { epochs: 10 },
      }),
      'd.nn.json',
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.spec, {
      name: 'd',
      profile: 'modern',
      precision: 'float32',
      seed: 1,
      data: {
        type: 'mnist-sample',
        testFraction: 0.2,
        splitSeed: 1,
        layout: 'flat',
        scaling: 'unit',
        target: 'labels',
      },
      layers: [
        {
          type: 'dense',
          args: { units: 10, activation: 'linear', alpha: 0.01, keepProb: 1, useBias: true }, // no init: by profile and activation
        },
      ],
      loss: { type: 'softmaxCrossEntropy' },
      optimizer: { type: 'sgdMomentum', lr: 0.1, momentum: 0.9 },
      training: { seed: 1, epochs: 10, batchSize: 32, evalEvery: 10, earlyStopping: true },
    });
  });
});
