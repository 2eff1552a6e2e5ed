import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Linear, LeakyReLU, ReLU, Sigmoid, Tanh } from '../../../src/engine/ops/activations';
import { BiasAdd } from '../../../src/engine/ops/biasAdd';
import { Dropout } from '../../../src/engine/ops/dropout';
import { Flatten } from '../../../src/engine/ops/flatten';
import { Softmax } from '../../../src/engine/ops/softmax';
import { WeightMultiply } from '../../../src/engine/ops/weightMultiply';
import { BOOK, MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { ShapeError } from '../../../src/engine/errors';
import { checkOperation, fixedMode, randn } from '../helpers/gradHelpers';
import { gradCheck } from '../../../src/engine/gradcheck/gradCheck';

/** Inputs kept away from ReLU's kink at 0 so central differences are valid. */
function awayFromZero(t: Tensor): Tensor {
  for (let i = 0; i < t.size; i++) if (Math.abs(t.data[i]) < 0.05) t.data[i] = 0.1;
  return t;
}

describe('numeric gradient checks (float64, central differences, random upstream gradient)', () => {
  it('WeightMultiply: dx = dy·Wᵀ, dW = xᵀ·dy', () =>
    checkOperation(new WeightMultiply(randn([5, 3], 2)), randn([4, 5], 1)));
  it('BiasAdd: dB = Σ_batch dy', () => checkOperation(new BiasAdd(randn([1, 3], 2)), randn([4, 3], 1)));
  it('Linear', () => checkOperation(new Linear(), randn([4, 3], 1)));
  it('Sigmoid', () => checkOperation(new Sigmoid(), randn([4, 3], 1, 2)));
  it('Tanh', () => checkOperation(new Tanh(), randn([4, 3], 1, 2)));
  it('ReLU (modern: zero gradient where x < 0)', () => checkOperation(new ReLU(), awayFromZero(randn([6, 5], 1))));
  it('LeakyReLU', () => checkOperation(new LeakyReLU(0.2), awayFromZero(randn([6, 5], 1))));
  it('Softmax', () => checkOperation(new Softmax(), randn([4, 6], 1, 2)));
  it('Dropout in training (fixed mask), modern inverted scaling', () =>
    checkOperation(new Dropout(0.7), randn([5, 4], 1), fixedMode(true, 3)));
  it('Dropout in training, book keep-prob form', () =>
    checkOperation(new Dropout(0.7), randn([5, 4], 1), fixedMode(true, 3, BOOK)));
  it('Dropout at inference, book form (×p)', () =>
    checkOperation(new Dropout(0.7), randn([5, 4], 1), fixedMode(false, 3, BOOK)));
  it('Flatten', () => checkOperation(new Flatten(), randn([2, 3, 2, 2], 1)));
});

describe('operation behaviour', () => {
  const mode = { training: false, rng: new RandomState(1), profile: MODERN };

  it('ReLU passes gradient only where x > 0', () => {
    const op = new ReLU();
    const x = Tensor.from([[-1, 2]]);
    const { ctx } = op.forward(x, mode);
    assert.deepEqual(op.backward(Tensor.from([[1, 1]]), ctx).toArray(), [[0, 1]]);
  });
  it('book ReLU backward is the identity (book-parity §2.1, E4.4)', () => {
    const op = new ReLU(true);
    const x = Tensor.from([[-1, 2]]);
    const { ctx } = op.forward(x, mode);
    assert.deepEqual(op.backward(Tensor.from([[1, 1]]), ctx).toArray(), [[1, 1]]);
  });
  it('softmax is stable for large logits', () => {
    const { y } = new Softmax().forward(Tensor.from([[1000, 1001, 1002]]), mode);
    assert.ok(Array.from(y.data).every(Number.isFinite));
    assert.ok(Math.abs(y.data[0] + y.data[1] + y.data[2] - 1) < 1e-12);
  });
  it('modern dropout keeps the expected value; inference is the identity', () => {
    const x = Tensor.fill([200, 50], 1, 'float64');
    const train = new Dropout(0.8).forward(x, { ...mode, training: true, rng: new RandomState(3) }).y;
    let mean = 0;
    for (const v of train.data) mean += v / train.size;
    assert.ok(Math.abs(mean - 1) < 0.02, `mean ${mean}`);
    assert.deepEqual(new Dropout(0.8).forward(x, mode).y.data, x.data);
  });
  it('book dropout masks without rescaling and scales by p at inference', () => {
    const x = Tensor.fill([1, 20], 1, 'float64');
    const y = new Dropout(0.8).forward(x, { training: true, rng: new RandomState(1), profile: BOOK }).y;
    assert.deepEqual(Array.from(y.data), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
    const inf = new Dropout(0.8).forward(x, { training: false, rng: new RandomState(1), profile: BOOK }).y;
    assert.ok(Array.from(inf.data).every((v) => v === 0.8));
  });
  it('WeightMultiply names itself and both shapes on a mismatch', () => {
    const op = new WeightMultiply(Tensor.zeros([5, 3], 'float64'));
    assert.throws(
      () => op.forward(Tensor.zeros([4, 6], 'float64'), mode),
      (e: unknown) =>
        e instanceof ShapeError &&
        /WeightMultiply/.test(e.message) &&
        /\[4, 6\]/.test(e.message) &&
        /\[5, 3\]/.test(e.message),
    );
  });
  it('BiasAdd refuses to broadcast a wrong width', () => {
    assert.throws(
      () => new BiasAdd(Tensor.zeros([1, 3], 'float64')).forward(Tensor.zeros([2, 4], 'float64'), mode),
      /BiasAdd.*\[2, 4\]/,
    );
  });
  it('backward rejects an output gradient of the wrong shape', () => {
    const op = new Tanh();
    const { ctx } = op.forward(Tensor.zeros([2, 3], 'float64'), mode);
    assert.throws(() => op.backward(Tensor.zeros([3, 2], 'float64'), ctx), /Tanh\.backward.*\[3, 2\].*\[2, 3\]/);
  });
  it('the same operation can run twice with independent contexts (weight sharing)', () => {
    const op = new WeightMultiply(randn([3, 2], 2));
    const a = op.forward(randn([1, 3], 3), mode);
    const b = op.forward(randn([1, 3], 4), mode);
    op.params[0].grad.data.fill(0);
    op.backward(Tensor.fill([1, 2], 1, 'float64'), a.ctx);
    op.backward(Tensor.fill([1, 2], 1, 'float64'), b.ctx);
    // dW accumulates xaᵀ·1 + xbᵀ·1: column j of dW equals xa + xb.
    const xa = a.ctx.x.data,
      xb = b.ctx.x.data,
      g = op.params[0].grad.data;
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(g[i * 2] - (xa[i] + xb[i])) < 1e-12);
  });
});

describe('the gradient check itself', () => {
  it("fails on the book's identity ReLU backward (so it can catch a wrong derivative)", () => {
    const op = new ReLU(true);
    const x = Tensor.from([[-1, 2, -0.5, 0.7]]);
    const mode = fixedMode(false);
    const failures = gradCheck(
      { x },
      () => op.forward(x, mode()).y,
      (dy) => ({ x: op.backward(dy, op.forward(x, mode()).ctx) }),
    );
    assert.equal(failures.length, 2); // the two negative inputs
  });
});
