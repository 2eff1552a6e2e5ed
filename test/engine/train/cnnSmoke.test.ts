import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Conv2d } from '../../../src/engine/layers/conv2d';
import { Dense } from '../../../src/engine/layers/dense';
import { FlattenLayer } from '../../../src/engine/layers/flattenLayer';
import { MaxPool2d } from '../../../src/engine/layers/maxPool2d';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../../src/engine/optim/sgdMomentum';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { Trainer } from '../../../src/engine/train/trainer';

/**
 * Bars: 8×8 images holding one vertical (class 0) or horizontal (class 1) bar of length 4 at a
 * random place, plus noise. A dense net on raw pixels must learn every position; a conv layer
 * with max pooling only needs two edge detectors.
 */
function bars(n: number, rng: RandomState): { x: Tensor; y: Tensor } {
  const x = Tensor.zeros([n, 1, 8, 8], 'float64'),
    y = Tensor.zeros([n, 2], 'float64');
  rng.fillNormal(x.data, 0, 0.1);
  for (let i = 0; i < n; i++) {
    const cls = rng.randint(0, 2),
      a = rng.randint(0, 8),
      b = rng.randint(0, 5);
    for (let t = 0; t < 4; t++) x.data[i * 64 + (cls === 0 ? (b + t) * 8 + a : a * 8 + b + t)] += 1;
    y.data[i * 2 + cls] = 1;
  }
  return { x, y };
}

describe('CNN training smoke test', () => {
  it('Conv2d → MaxPool2d → Flatten → Dense learns horizontal vs vertical bars in under 2 s', () => {
    const rng = new RandomState(3);
    const train = bars(256, rng),
      test = bars(128, rng);
    const net = new NeuralNetwork({
      layers: [
        new Conv2d({ filters: 4, kernelSize: 3, activation: 'relu', init: 'he' }),
        new MaxPool2d({ kernelSize: 2 }),
        new FlattenLayer(),
        new Dense({ units: 2, init: 'glorot' }),
      ],
      loss: new SoftmaxCrossEntropy(),
      seed: 7,
      dtype: 'float32',
    });
    const start = performance.now();
    const result = new Trainer(net, new SGDMomentum({ lr: 0.05, momentum: 0.9 })).fit(
      { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y },
      { epochs: 8, batchSize: 16, evalEvery: 4, seed: 11, earlyStopping: false },
    );
    const ms = performance.now() - start;
    const finalLoss = result.evalLosses[result.evalLosses.length - 1];
    assert.ok(finalLoss < 0.1, `test loss ${finalLoss}`);
    assert.ok(result.metrics.accuracy > 0.97, `accuracy ${result.metrics.accuracy}`);
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
  });
});
