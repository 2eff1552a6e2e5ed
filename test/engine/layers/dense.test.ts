import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dense } from '../../../src/engine/layers/dense';
import { FlattenLayer } from '../../../src/engine/layers/flattenLayer';
import { initStd } from '../../../src/engine/layers/init';
import { BOOK, MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { ValueError } from '../../../src/engine/errors';
import { checkLayer, fixedMode, randn } from '../helpers/gradHelpers';

function built(layer: Dense | FlattenLayer, inputShape: number[], profile = MODERN) {
  layer.build(inputShape, { rng: new RandomState(5), profile, dtype: 'float64', seed: 5 });
  return layer;
}

describe('Dense gradient checks', () => {
  for (const activation of ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax'] as const) {
    it(`Dense(4, ${activation})`, () => {
      const x = randn([3, 5], 1);
      for (let i = 0; i < x.size; i++) if (Math.abs(x.data[i]) < 0.05) x.data[i] = 0.2;
      checkLayer(built(new Dense({ units: 4, activation, init: 'glorot' }), [5]), x, fixedMode(false), { atol: 1e-5 });
    });
  }
  it('Dense with dropout in training mode (fixed mask)', () => {
    checkLayer(
      built(new Dense({ units: 4, activation: 'tanh', keepProb: 0.6 }), [5]),
      randn([3, 5], 1),
      fixedMode(true, 11),
    );
  });
  it('Flatten layer', () => checkLayer(built(new FlattenLayer(), [2, 3]), randn([4, 2, 3], 1)));
});

describe('Dense initialisation', () => {
  it('glorot std is √(2/(in+out)) in the modern profile and 2/(in+out) in the book profile', () => {
    assert.equal(initStd('glorot', 784, 89, MODERN), Math.sqrt(2 / 873));
    assert.equal(initStd('glorot', 784, 89, BOOK).toFixed(7), '0.0022910');
    assert.equal(initStd('glorotBook', 89, 10, MODERN).toFixed(7), '0.0202020');
    assert.equal(initStd('he', 50, 10, MODERN), Math.sqrt(2 / 50));
  });
  it('book profile reseeds with the network seed and draws W then B (book-parity §3.1)', () => {
    const rng = new RandomState(999);
    const d = new Dense({ units: 1 });
    d.build([3], { rng, profile: BOOK, dtype: 'float64', seed: 20190501 });
    const ref = new RandomState(20190501);
    const expected = [ref.gauss(), ref.gauss(), ref.gauss(), ref.gauss()];
    const [w, b] = d.params();
    assert.deepEqual([...w.value.data, ...b.value.data], expected);
  });
  it('modern profile starts biases at zero', () => {
    const d = built(new Dense({ units: 3, init: 'he' }), [4]);
    assert.deepEqual(Array.from(d.params()[1].value.data), [0, 0, 0]);
  });
  it('rejects non-positive units and bad keep probabilities with a clear error', () => {
    assert.throws(
      () => new Dense({ units: 0 }),
      (e: unknown) => e instanceof ValueError && /units must be a positive integer, got 0/.test((e as Error).message),
    );
    assert.throws(() => new Dense({ units: 3, keepProb: 1.5 }), /keepProb must be in \(0, 1\], got 1.5/);
    assert.throws(() => new Dense({ units: 3, keepProb: NaN }), /keepProb/);
  });
  it('says to flatten first when given an image', () => {
    assert.throws(
      () => new Dense({ units: 3 }).outputShape([1, 28, 28]),
      /Dense: input must be a vector.*\[1, 28, 28\].*flatten/,
    );
  });
});
