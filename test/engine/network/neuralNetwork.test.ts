import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Conv2d } from '../../../src/engine/layers/conv2d';
import { Dense } from '../../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { Tensor } from '../../../src/engine/tensor/tensor';

const e54 = () =>
  new NeuralNetwork({
    layers: [new Conv2d({ filters: 16, kernelSize: 5, activation: 'tanh', flatten: true }), new Dense({ units: 10 })],
    loss: new SoftmaxCrossEntropy(),
    seed: 1,
    dtype: 'float64',
  });

describe('NeuralNetwork inference chunks', () => {
  it('sizes chunks by activation size: E5.4 (conv 16 × 28×28) gets a few hundred rows, an MLP the cap', () => {
    // Conv output 16·28·28 = 12,544 floats a row (×4 for the ops), dense 10 → 50,216 a row.
    assert.equal(e54().inferenceChunk([1, 28, 28]), Math.floor((16 * 2 ** 20) / (4 * (12544 + 10))));
    const mlp = new NeuralNetwork({
      layers: [new Dense({ units: 89, activation: 'tanh' }), new Dense({ units: 10 })],
      loss: new SoftmaxCrossEntropy(),
      seed: 1,
    });
    assert.equal(mlp.inferenceChunk([784]), 2048);
  });

  it('predicts the same in chunks as in one pass', () => {
    const net = e54();
    const n = 7;
    const x = new Tensor(
      [n, 1, 28, 28],
      Float64Array.from({ length: n * 784 }, (_, i) => Math.sin(i)),
    );
    const whole = net.predict(x, n);
    const chunked = net.predict(x, 3);
    assert.deepEqual(Array.from(chunked.data), Array.from(whole.data));
  });
});
