import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, verdict } from '../../src/doctor/layerHealth';

const base = { gradNorm: 0.1, weightNorm: 5, updateRatio: 1e-3, nonFinite: 0 };
const obs = (o: Partial<typeof base & { activation: string; deadFraction: number; saturatedFraction: number }>) =>
  ({ index: 1, name: 'layer 2', step: 7, activation: 'tanh', deadFraction: 0, saturatedFraction: 0, ...base, ...o });

describe('training doctor', () => {
  it('calls a layer healthy, vanishing, exploding or NaN', () => {
    assert.equal(verdict(base), 'healthy');
    assert.equal(verdict({ ...base, gradNorm: 1e-10 }), 'vanishing');
    assert.equal(verdict({ ...base, updateRatio: 0.5 }), 'exploding');
    assert.equal(verdict({ ...base, gradNorm: 1e5 }), 'exploding');
    assert.equal(verdict({ ...base, nonFinite: 3 }), 'nan');
    assert.equal(verdict({ ...base, gradNorm: NaN }), 'nan');
  });
  it('names the first operation that produced a NaN and suggests a lower learning rate', () => {
    const [f] = diagnose([obs({ nonFinite: 10 })], { layer: 0, op: 'WeightMultiply' });
    assert.equal(f.kind, 'nan');
    assert.match(f.message, /first appeared in WeightMultiply of layer 1/);
    assert.deepEqual(f.fixes, ['lowerLearningRate']);
  });
  it('reports dead ReLUs and saturated tanh units only for those activations', () => {
    assert.deepEqual(diagnose([obs({ activation: 'relu', deadFraction: 0.7 })]).map((f) => f.kind), ['deadRelu']);
    assert.deepEqual(diagnose([obs({ activation: 'tanh', deadFraction: 0.7 })]), []);
    assert.deepEqual(diagnose([obs({ activation: 'tanh', saturatedFraction: 0.8 })]).map((f) => f.kind), ['saturated']);
  });
});
