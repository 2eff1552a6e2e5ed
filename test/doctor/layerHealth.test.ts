import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, verdict } from '../../src/doctor/layerHealth';

const base = { gradNorm: 0.1, weightNorm: 5, updateRatio: 1e-3, nonFinite: 0 };
const obs = (
  o: Partial<
    typeof base & { index: number; name: string; activation: string; deadFraction: number; saturatedFraction: number }
  >,
) => ({ index: 1, name: 'layer 2', step: 7, activation: 'tanh', deadFraction: 0, saturatedFraction: 0, ...base, ...o });

describe('training doctor', () => {
  it('calls a layer healthy, vanishing, exploding or NaN', () => {
    assert.equal(verdict(base), 'healthy');
    assert.equal(verdict({ ...base, gradNorm: 1e-10 }), 'vanishing');
    assert.equal(verdict({ ...base, updateRatio: 0.5 }), 'exploding');
    assert.equal(verdict({ ...base, gradNorm: 1e5 }), 'exploding');
    assert.equal(verdict({ ...base, nonFinite: 3 }), 'nan');
    assert.equal(verdict({ ...base, gradNorm: NaN }), 'nan');
  });
  it('puts one NaN error, with the operation and a lower-learning-rate fix, on the layer where it first appeared', () => {
    const [f] = diagnose([obs({ nonFinite: 10 })], { layer: 1, op: 'WeightMultiply' });
    assert.equal(f.kind, 'nan');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /They first appeared here, in WeightMultiply/);
    assert.deepEqual(f.fixes, ['lowerLearningRate']);
  });
  it('marks layers a NaN flowed into as information that names its origin, not as errors of their own', () => {
    const found = diagnose(
      [
        obs({ index: 0, name: 'layer 1', nonFinite: 3 }),
        obs({ index: 1, name: 'layer 2', nonFinite: 10 }),
        obs({ index: 2, name: 'layer 3', gradNorm: NaN }),
      ],
      { layer: 0, op: 'WeightMultiply' },
    );
    assert.deepEqual(
      found.map((f) => [f.layer, f.severity]),
      [
        [0, 'error'],
        [1, 'information'],
        [2, 'information'],
      ],
    );
    assert.match(
      found[2].message,
      /layer 3: NaN or Inf values at step 7, carried from layer 1, where they first appeared \(in WeightMultiply\)/,
    );
    assert.deepEqual(found[1].fixes, []);
  });
  it('calls every NaN layer an error when the origin is unknown', () => {
    assert.deepEqual(
      diagnose([obs({ index: 0, nonFinite: 1 }), obs({ index: 1, nonFinite: 1 })]).map((f) => f.severity),
      ['error', 'error'],
    );
  });
  it('reports dead ReLUs and saturated tanh units only for those activations', () => {
    assert.deepEqual(
      diagnose([obs({ activation: 'relu', deadFraction: 0.7 })]).map((f) => f.kind),
      ['deadRelu'],
    );
    assert.deepEqual(diagnose([obs({ activation: 'tanh', deadFraction: 0.7 })]), []);
    assert.deepEqual(
      diagnose([obs({ activation: 'tanh', saturatedFraction: 0.8 })]).map((f) => f.kind),
      ['saturated'],
    );
  });
});
