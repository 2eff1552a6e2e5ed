import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../src/engine/random/randomState';

/** Gaussians may differ from NumPy's by a few ulps (Math.log rounding); see randomState.ts. */
function assertCloseUlps(actual: number[], expected: number[], ulps = 4): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    const tol = ulps * Number.EPSILON * Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(a - expected[i]) <= tol, `index ${i}: ${a} vs NumPy ${expected[i]}`);
  });
}

describe('RandomState (NumPy legacy MT19937) test vectors, book-parity.md §4.2', () => {
  it('seed(1); randn(4)', () => {
    const r = new RandomState(1);
    assertCloseUlps(
      [r.gauss(), r.gauss(), r.gauss(), r.gauss()],
      [1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705],
    );
  });
  it('seed(1); rand(3) is bit-exact', () => {
    const r = new RandomState(1);
    assert.deepEqual(
      [r.double(), r.double(), r.double()],
      [0.417022004702574, 0.7203244934421581, 0.00011437481734488664],
    );
  });
  it('seed(1); permutation(10)', () => {
    assert.deepEqual(Array.from(new RandomState(1).permutation(10)), [2, 9, 6, 4, 0, 3, 1, 7, 8, 5]);
  });
  it('seed(20190501); randn(3)', () => {
    const r = new RandomState(20190501);
    assertCloseUlps([r.gauss(), r.gauss(), r.gauss()], [0.7225866251125405, -0.5951819764073379, -0.2679313226299394]);
  });
  it('seed(1); binomial(1, 0.8, 20)', () => {
    const r = new RandomState(1);
    const out = new Float64Array(20);
    r.fillBernoulli(out, 0.8);
    assert.deepEqual(Array.from(out), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
  });
  it('seed(1); binomial(1, 0.3, 20) takes the p <= 0.5 branch', () => {
    const r = new RandomState(1);
    const out = Array.from({ length: 20 }, () => r.binomial(1, 0.3));
    assert.deepEqual(out, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
  it('fillBernoulli is binomial(1, p) per element: same values, same stream consumed, for every branch of p', () => {
    for (const p of [0, 1e-9, 0.2, 0.3, 0.5, 0.5000001, 0.8, 0.999999, 1]) {
      const a = new RandomState(7),
        b = new RandomState(7);
      const fast = new Float64Array(5000);
      a.fillBernoulli(fast, p);
      const slow = Array.from({ length: 5000 }, () => b.binomial(1, p));
      assert.deepEqual(Array.from(fast), slow, `p = ${p}`);
      assert.equal(a.double(), b.double(), `p = ${p}: the generators continue in step`);
    }
  });
  it("fillBernoulli writes `one` for a kept element (inverted dropout's 1/p in the mask itself)", () => {
    const a = new RandomState(3),
      b = new RandomState(3);
    const scaled = new Float32Array(100),
      plain = new Float32Array(100);
    a.fillBernoulli(scaled, 0.8, 1 / 0.8);
    b.fillBernoulli(plain, 0.8);
    assert.deepEqual(
      Array.from(scaled),
      Array.from(plain, (v) => Math.fround(v * (1 / 0.8))),
    );
  });
  it('seed(1); 8 × randint(0, 10)', () => {
    const r = new RandomState(1);
    assert.deepEqual(
      Array.from({ length: 8 }, () => r.randint(0, 10)),
      [5, 8, 9, 5, 0, 0, 1, 7],
    );
  });
  it('seed(1); 8 × choice(range(4), p=[.1,.2,.3,.4])', () => {
    const r = new RandomState(1);
    assert.deepEqual(
      Array.from({ length: 8 }, () => r.choice([0.1, 0.2, 0.3, 0.4])),
      [2, 3, 0, 2, 1, 0, 1, 2],
    );
  });
  it('keeps the cached Gaussian across rand(): seed(1); randn(); rand(); randn(); randn()', () => {
    const r = new RandomState(1);
    const g1 = r.gauss();
    const u = r.double();
    const g2 = r.gauss();
    const g3 = r.gauss();
    assertCloseUlps([g1, g2, g3], [1.6243453636632417, -0.6117564136500754, -0.8021728386486427]);
    assert.equal(u, 0.00011437481734488664);
  });
  it('E1.1: seed(190203); randn(1,3); randn(3,1)', () => {
    const r = new RandomState(190203);
    const v = Array.from({ length: 6 }, () => r.gauss());
    assertCloseUlps(
      v,
      [
        0.4723112111687236, 0.6151427089551101, -1.7262271543679046, 0.9281967620586, -0.6075488808149324,
        -1.2213605218872623,
      ],
    );
  });
  it('Boston split: RandomState(80718).permutation(506)[:10]', () => {
    assert.deepEqual(
      Array.from(new RandomState(80718).permutation(506).subarray(0, 10)),
      [203, 379, 451, 438, 11, 45, 443, 77, 299, 214],
    );
  });
  it('E5.1: seed(190220); randint(0,5); randint(0,3)', () => {
    const r = new RandomState(190220);
    assert.deepEqual([r.randint(0, 5), r.randint(0, 3)], [4, 0]);
  });
  it('seed(20190420); randint(0,10,(4,4)) draws element by element', () => {
    const r = new RandomState(20190420);
    assert.deepEqual(
      Array.from({ length: 16 }, () => r.randint(0, 10)),
      [5, 1, 0, 6, 3, 5, 5, 6, 9, 0, 3, 2, 4, 7, 0, 7],
    );
  });
  it('seed() clears the cached Gaussian', () => {
    const r = new RandomState(1);
    r.gauss();
    r.seed(1);
    assertCloseUlps([r.gauss()], [1.6243453636632417]);
  });
  it('rejects seeds NumPy rejects', () => {
    assert.throws(() => new RandomState(-1), /seed must be an integer/);
    assert.throws(() => new RandomState(2 ** 32), /seed must be an integer/);
    assert.throws(() => new RandomState(1.5), /seed must be an integer/);
  });
});
