import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BinaryCrossEntropy } from '../../../src/engine/losses/binaryCrossEntropy';
import { MeanSquaredError } from '../../../src/engine/losses/meanSquaredError';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { checkLoss, randn } from '../helpers/gradHelpers';

function oneHot(rows: number, classes: number, seed: number): Tensor {
  const t = Tensor.zeros([rows, classes], 'float64');
  for (let r = 0; r < rows; r++) t.data[r * classes + ((r * 7 + seed) % classes)] = 1;
  return t;
}

function probs(shape: number[], seed: number): Tensor {
  const t = randn(shape, seed);
  for (let i = 0; i < t.size; i++) t.data[i] = 0.1 + 0.8 / (1 + Math.exp(-t.data[i]));
  return t;
}

describe('loss gradient checks', () => {
  it('MSE (mean)', () => checkLoss(new MeanSquaredError(), randn([5, 3], 1), randn([5, 3], 2)));
  it('MSE (book: summed over columns, /batch)', () =>
    checkLoss(new MeanSquaredError({ reduction: 'book' }), randn([5, 3], 1), randn([5, 3], 2)));
  it('MSE normalize (modern: includes the normalisation Jacobian)', () =>
    checkLoss(new MeanSquaredError({ normalize: true }), probs([4, 3], 1), oneHot(4, 3, 0)));
  it('softmax cross-entropy (categorical)', () =>
    checkLoss(new SoftmaxCrossEntropy(), randn([5, 4], 1, 2), oneHot(5, 4, 1)));
  it('binary cross-entropy', () =>
    checkLoss(
      new BinaryCrossEntropy(),
      probs([5, 2], 3),
      Tensor.from([
        [0, 1],
        [1, 0],
        [1, 1],
        [0, 0],
        [1, 0],
      ]),
    ));
});

describe('loss values', () => {
  it('book softmax cross-entropy: [1,2,3] vs [0,0,1] (book-parity §6.4 check vector)', () => {
    const loss = new SoftmaxCrossEntropy({ form: 'book' });
    const { loss: l, ctx } = loss.forward(Tensor.from([[1, 2, 3]]), Tensor.from([[0, 0, 1]]));
    assert.ok(Math.abs(l - 0.7826281947719453) < 1e-14, String(l));
    const g = loss.backward(ctx).data;
    [0.0900306, 0.2447285, -0.334759].forEach((v, i) => assert.ok(Math.abs(g[i] - v) < 1e-7));
  });
  it('categorical cross-entropy equals −log softmax of the true class and never overflows', () => {
    const { loss } = new SoftmaxCrossEntropy().forward(Tensor.from([[1, 2, 3]]), Tensor.from([[0, 0, 1]]));
    assert.ok(Math.abs(loss - (3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))) * -1) < 1e-14);
    const big = new SoftmaxCrossEntropy().forward(Tensor.from([[1000, -1000]]), Tensor.from([[0, 1]]));
    assert.equal(big.loss, 2000);
  });
  it('MSE book divides by the batch only; mean divides by every element', () => {
    const p = Tensor.from([
        [1, 2],
        [3, 4],
      ]),
      y = Tensor.from([
        [0, 0],
        [0, 0],
      ]);
    assert.equal(new MeanSquaredError({ reduction: 'book' }).forward(p, y).loss, 30 / 2);
    assert.equal(new MeanSquaredError().forward(p, y).loss, 30 / 4);
  });
  it('refuses mismatched shapes instead of broadcasting', () => {
    assert.throws(
      () => new MeanSquaredError().forward(Tensor.zeros([4, 1], 'float64'), Tensor.zeros([4], 'float64')),
      /MeanSquaredError: prediction shape \[4, 1\] does not match target shape \[4\]/,
    );
  });
});
