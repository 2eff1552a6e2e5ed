import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BOOK, MODERN, RandomState } from '../../src/engine';
import { argDefaults } from '../../src/engine/layers/layerDescriptor';
import { isRecurrentType, LAYER_KINDS, layerKind } from '../../src/modelFile/layerRegistry';

/** One model-file entry per kind with the input shape it takes. */
const CASES: { type: string; args: Record<string, unknown>; input: number[] }[] = [
  { type: 'dense', args: { units: 7 }, input: [5] },
  { type: 'dense', args: { units: 3, useBias: false, init: 'pytorch' }, input: [4] },
  { type: 'flatten', args: {}, input: [2, 3, 4] },
  { type: 'reshape', args: { shape: [2, 6] }, input: [12] },
  { type: 'conv2d', args: { filters: 4, kernelSize: 3 }, input: [2, 6, 6] },
  { type: 'conv2d', args: { filters: 2, kernelSize: [3, 1], useBias: true, flatten: true }, input: [3, 5, 5] },
  { type: 'rnn', args: { hiddenSize: 5, outputSize: 3 }, input: [4, 6] },
  { type: 'lstm', args: { hiddenSize: 5, outputSize: 3 }, input: [4, 6] },
  { type: 'gru', args: { hiddenSize: 5, outputSize: 3 }, input: [4, 6] },
  { type: 'maxPool2d', args: { kernelSize: 2 }, input: [2, 4, 4] },
  { type: 'avgPool2d', args: { kernelSize: 2, stride: 1 }, input: [2, 4, 4] },
  { type: 'batchNorm', args: {}, input: [6] },
  { type: 'batchNorm', args: { momentum: 0.01, activation: 'relu' }, input: [3, 4, 4] },
];

describe('layer registry (engine descriptors)', () => {
  it('every kind has a case here', () => {
    assert.deepEqual([...new Set(CASES.map((c) => c.type))].sort(), LAYER_KINDS.map((k) => k.type).sort());
  });
  for (const profile of [MODERN, BOOK])
    it(`the descriptor's parameter count is the built layer's (${profile.name} profile), without building`, () => {
      for (const c of CASES) {
        const kind = layerKind(c.type)!;
        const layer = kind.create(c.args);
        layer.build(c.input, { rng: new RandomState(1), profile, dtype: 'float64', seed: 1 });
        assert.equal(kind.parameterCount(c.input, c.args, profile), layer.parameterCount(), JSON.stringify(c));
      }
    });
  it("the schema's defaults are the engine layer's defaults", () => {
    for (const c of CASES) {
      const kind = layerKind(c.type)!;
      const layer = kind.create(c.args) as unknown as { args?: Record<string, unknown> };
      for (const [k, v] of Object.entries(argDefaults(kind.descriptor)))
        if (!(k in c.args)) assert.deepEqual(layer.args?.[k], v, `${c.type}.${k}`);
      for (const [k, s] of Object.entries(kind.schema.properties ?? {}))
        if (k !== 'type' && k !== 'name')
          assert.equal(s, kind.descriptor.args[k], `${c.type}.${k} comes from the engine`);
    }
  });
  it('recurrent kinds are the sequence kinds', () => {
    assert.deepEqual(
      LAYER_KINDS.filter((k) => isRecurrentType(k.type)).map((k) => k.type),
      ['rnn', 'lstm', 'gru'],
    );
  });
});
