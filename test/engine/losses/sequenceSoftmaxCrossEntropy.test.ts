import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceSoftmaxCrossEntropy } from '../../../src/engine/losses/sequenceSoftmaxCrossEntropy';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { checkLoss, randn } from '../helpers/gradHelpers';

/** One-hot targets [batch, T, v] with a different class at each position. */
function oneHot3(batch: number, steps: number, v: number): Tensor {
  const t = Tensor.zeros([batch, steps, v], 'float64');
  for (let r = 0; r < batch * steps; r++) t.data[r * v + ((r * 3 + 1) % v)] = 1;
  return t;
}

describe('SequenceSoftmaxCrossEntropy gradient checks ([batch 2, T 3, V 5])', () => {
  it('categorical, mean over batch × T (default)', () =>
    checkLoss(new SequenceSoftmaxCrossEntropy(), randn([2, 3, 5], 1, 2), oneHot3(2, 3, 5)));
  it('categorical, summed', () =>
    checkLoss(new SequenceSoftmaxCrossEntropy({ reduction: 'sum' }), randn([2, 3, 5], 1, 2), oneHot3(2, 3, 5)));
});

describe('SequenceSoftmaxCrossEntropy values', () => {
  it('mean equals the per-example loss over the batch·T rows; sum is batch·T times it', () => {
    const x = randn([2, 3, 5], 4, 2),
      y = oneHot3(2, 3, 5);
    const rows = new SoftmaxCrossEntropy().forward(x.reshape([6, 5]), y.reshape([6, 5])).loss;
    const mean = new SequenceSoftmaxCrossEntropy().forward(x, y).loss;
    const sum = new SequenceSoftmaxCrossEntropy({ reduction: 'sum' }).forward(x, y).loss;
    assert.ok(Math.abs(mean - rows) < 1e-12 && Math.abs(sum - 6 * rows) < 1e-11, `${mean} ${rows} ${sum}`);
  });
  it('book form (RNN_DLFS): clipped binary-CE over the vocabulary, summed over positions, gradient p − y', () => {
    // Two positions of logits [1, 2, 3], target class 2: each is the book's 0.7826281947719453.
    const loss = new SequenceSoftmaxCrossEntropy({ form: 'book', reduction: 'sum' });
    const { loss: l, ctx } = loss.forward(
      Tensor.from([
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
      ]),
      Tensor.from([
        [
          [0, 0, 1],
          [0, 0, 1],
        ],
      ]),
    );
    assert.ok(Math.abs(l - 2 * 0.7826281947719453) < 1e-14, String(l));
    const g = loss.backward(ctx).data;
    [0.0900306, 0.2447285, -0.334759, 0.0900306, 0.2447285, -0.334759].forEach((v, i) =>
      assert.ok(Math.abs(g[i] - v) < 1e-7, `${i}: ${g[i]}`),
    );
  });
  it('refuses a prediction that is not [batch, T, V]', () => {
    assert.throws(
      () => new SequenceSoftmaxCrossEntropy().forward(Tensor.zeros([2, 5], 'float64'), Tensor.zeros([2, 5], 'float64')),
      /SequenceSoftmaxCrossEntropy: prediction must be rank 3/,
    );
  });
});
