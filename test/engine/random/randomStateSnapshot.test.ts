import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../src/engine/random/randomState';

describe('RandomState.getState / setState', () => {
  it('continues the stream bit for bit, including a cached Gaussian', () => {
    const a = new RandomState(20190501);
    a.permutation(50);
    a.gauss(); // leaves the pair's second value cached
    const saved = a.getState();
    const expected = [a.gauss(), a.double(), a.next32(), ...a.permutation(20)];
    const b = new RandomState(7);
    b.setState(saved);
    assert.deepEqual([b.gauss(), b.double(), b.next32(), ...b.permutation(20)], expected);
  });
  it('returns a copy that later draws do not change', () => {
    const a = new RandomState(1);
    const s = a.getState();
    const word = s.mt[5];
    for (let i = 0; i < 2000; i++) a.next32();
    assert.equal(s.mt[5], word);
    assert.equal(s.pos, 624);
  });
  it('rejects a state of the wrong size', () => {
    assert.throws(
      () => new RandomState(1).setState({ mt: new Uint32Array(3), pos: 0, cachedGauss: null }),
      /624 words/,
    );
  });
});
