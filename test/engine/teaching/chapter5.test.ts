import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chapter5 } from '../../../src/engine/teaching/chapter5';
import { conv1d, inputGrad1d, paramGrad1d } from '../../../src/engine/teaching/conv1d';
import { computeOutputObs, paramGrad } from '../../../src/engine/teaching/conv2dLoops';
import { numpySum } from '../../../src/engine/teaching/numpySum';
import { Conv2dOp } from '../../../src/engine/ops/conv2d';
import { MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { transposeChannels } from '../../../src/engine/layers/conv2d';

/**
 * Printed values of book-parity §5.5. Integer results must match exactly. Values computed from
 * Gaussians are compared to 1e-12 relative: ~3% of our Gaussians differ from NumPy's in the last
 * 1–3 ulps (randomState.ts), which moves these sums by up to ~2e-13 relative. (Fed NumPy's own
 * Gaussians, the same loops and numpySum reproduce all eight numbers bit for bit.)
 */
function close(actual: number, printed: number, what: string): void {
  assert.ok(Math.abs(actual - printed) <= 1e-12 * Math.abs(printed), `${what}: ${actual} vs printed ${printed}`);
}

describe('chapter 5 notebook, E5.1–E5.3 (seed 190220)', () => {
  const r = chapter5();

  it('E5.1: 1-D pad, sum, probes, finite differences and gradients', () => {
    assert.deepEqual(r.conv1d.padded, [0, 1, 2, 3, 4, 5, 0]);
    assert.equal(r.conv1d.sum, 39);
    assert.deepEqual(r.conv1d.probes, [4, 0]);
    assert.equal(r.conv1d.inputSumDifference, 0);
    assert.equal(r.conv1d.paramSumDifference, 10);
    assert.deepEqual(r.conv1d.inputGrad, [2, 3, 3, 3, 2]);
    assert.deepEqual(r.conv1d.paramGrad, [10, 15, 14]);
  });
  it('E5.2: 1-D batch of two', () => {
    const b = r.conv1dBatch;
    assert.deepEqual(b.padded, [
      [0, 0, 1, 2, 3, 4, 5, 6, 0],
      [0, 1, 2, 3, 4, 5, 6, 7, 0],
    ]);
    assert.deepEqual(b.output, [
      [1, 3, 6, 9, 12, 15, 11],
      [3, 6, 9, 12, 15, 18, 13],
    ]);
    assert.equal(b.sum, 133);
    assert.deepEqual([b.inputProbe, b.inputSumDifference], [[0, 2], 3]);
    assert.deepEqual(b.inputGrad, [
      [2, 3, 3, 3, 3, 3, 2],
      [2, 3, 3, 3, 3, 3, 2],
    ]);
    assert.deepEqual([b.paramProbe, b.paramSumDifference], [2, 48]);
    assert.deepEqual(b.paramGrad, [36, 49, 48]);
  });
  it('E5.3: 2-D, one channel', () => {
    const c = r.conv2d;
    assert.deepEqual(
      [c.paddedShape, c.inputProbe, c.paramProbe],
      [
        [3, 30, 30],
        [0, 6, 18],
        [0, 2],
      ],
    );
    close(c.inputFiniteDifference, -3.1843477398599163, 'input finite difference');
    close(c.inputAnalytic, -3.184347739859924, 'input gradient');
    close(c.paramFiniteDifference, 5.53349015923007, 'param finite difference');
    close(c.paramAnalytic, 5.533490159230001, 'param gradient');
  });
  it('E5.3: multi-channel batch [10, 3, 32, 32] with 16 filters of 5×5', () => {
    const m = r.multiChannel;
    assert.deepEqual(
      [m.inputProbe, m.paramProbe],
      [
        [3, 1, 2, 19],
        [0, 8, 0, 2],
      ],
    );
    close(m.inputFiniteDifference, 2.345298758707486, 'input finite difference');
    close(m.inputAnalytic, 2.3452987587074423, 'input gradient');
    close(m.paramFiniteDifference, -47.09123124155292, 'param finite difference');
    close(m.paramAnalytic, -47.0912312415532, 'param gradient');
  });
});

describe('chapter 5 loops', () => {
  it('1-D gradients with a non-trivial output gradient', () => {
    // out = conv1d([1,2,3], [1,2,3]) = [0·1+1·2+2·3, 1+4+9, 2+6+0] = [8, 14, 8]
    assert.deepEqual(conv1d([1, 2, 3], [1, 2, 3]), [8, 14, 8]);
    // dL/dinp[o] = Σ_f gPad[o + 2 − f] · param[f], gPad = [0, 1, 0, 2, 0]:
    // o = 0: 0·1 + 1·2 + 0·3 = 2; o = 1: 2·1 + 0·2 + 1·3 = 5; o = 2: 0·1 + 2·2 + 0·3 = 4
    assert.deepEqual(inputGrad1d([1, 2, 3], [1, 2, 3], [1, 0, 2]), [2, 5, 4]);
    // dL/dparam[p] = Σ_o inpPad[o + p] · g[o], inpPad = [0, 1, 2, 3, 0]
    assert.deepEqual(paramGrad1d([1, 2, 3], [1, 2, 3], [1, 0, 2]), [4, 7, 2]);
  });
  it("multi-channel loops agree with the engine's Conv2dOp (book layout [Cin, Cout, k, k] transposed)", () => {
    const rng = new RandomState(4);
    const x = Tensor.zeros([2, 3, 6, 6], 'float64'),
      w = Tensor.zeros([3, 4, 3, 3], 'float64');
    rng.fillNormal(x.data);
    rng.fillNormal(w.data);
    const xs = x.toArray() as number[][][][],
      ws = w.toArray() as number[][][][];
    const op = new Conv2dOp(transposeChannels(w), null, { padding: 'same' });
    const { y, ctx } = op.forward(x, { training: true, rng, profile: MODERN });
    const loops = xs.map((obs) => computeOutputObs(obs, ws));
    (loops.flat(3) as number[]).forEach((v, i) => assert.ok(Math.abs(v - y.data[i]) < 1e-12));
    const dy = Tensor.fill(y.shape, 1, 'float64');
    op.backward(dy, ctx);
    const bookGrad = Tensor.from(paramGrad(xs, dy.toArray() as number[][][][], ws));
    transposeChannels(bookGrad).data.forEach((v, i) => assert.ok(Math.abs(v - op.w.grad.data[i]) < 1e-12));
  });
  it("numpySum adds in NumPy's pairwise order", () => {
    // Left to right every 1 is lost against 1e16 (spacing 2). Pairwise: ((1e16+1) + (1+1)) +
    // ((1+1) + (1+1)) = 1e16 + 6, then + 1 → 1e16 + 7, which rounds to even: 1e16 + 8.
    const a = [1e16, 1, 1, 1, 1, 1, 1, 1, 1];
    assert.equal(numpySum(a), 1e16 + 8);
    assert.equal(
      a.reduce((s, v) => s + v, 0),
      1e16,
    );
    assert.equal(numpySum([0.1, 0.2, 0.3]), 0.1 + 0.2 + 0.3);
  });
});
