import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { oneHot } from '../../../src/engine/data/preprocess';
import { KernelPreference, kernelBackendName, setKernelPreference } from '../../../src/engine/kernels/kernelBackend';
import { Dense } from '../../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../../src/engine/optim/sgdMomentum';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import type { Dataset } from '../../../src/engine/train/dataset';
import { Trainer } from '../../../src/engine/train/trainer';

setFlagsFromString('--experimental-wasm-relaxed-simd');

/** 10 classes from a random linear teacher on 100 Gaussian features: learnable, not trivial. */
function teacherData(rows: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const features = 100,
    classes = 10;
  const w = new Float64Array(features * classes);
  rng.fillNormal(w);
  const make = (n: number) => {
    const x = Tensor.zeros([n, features]);
    rng.fillNormal(x.data);
    const labels = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      let best = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = 0;
        for (let f = 0; f < features; f++) s += x.data[r * features + f] * w[f * classes + c];
        if (s > best) [best, labels[r]] = [s, c];
      }
    }
    return { x, y: oneHot(labels, classes) };
  };
  const train = make(rows),
    test = make(rows / 5);
  return { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
}

/** The W1 model shape at a smaller input: Dense(89, tanh) → Dense(10), softmax CE, SGD momentum. */
function lossCurve(preference: KernelPreference, data: Dataset): number[] {
  setKernelPreference(preference);
  const net = new NeuralNetwork({
    layers: [new Dense({ units: 89, activation: 'tanh', init: 'glorot' }), new Dense({ units: 10, init: 'glorot' })],
    loss: new SoftmaxCrossEntropy(),
    seed: 20190501,
  });
  const losses: number[] = [];
  new Trainer(net, new SGDMomentum({ lr: 0.1, momentum: 0.9 }), [{ onBatchEnd: (e) => void losses.push(e.loss) }]).fit(
    data,
    { epochs: 3, batchSize: 60, evalEvery: 3, earlyStopping: false, seed: 7 },
  );
  return losses;
}

after(() => setKernelPreference('auto'));

describe('float32 training on the WebAssembly kernels', () => {
  it("follows the reference kernels' loss curve, batch by batch, for 3 epochs of the W1 model", (t) => {
    const data = teacherData(1200, 11);
    const reference = lossCurve('reference', data);
    for (const fast of ['wasm-simd128', 'wasm-relaxed-simd'] as const) {
      const curve = lossCurve(fast, data);
      let worst = 0;
      assert.equal(kernelBackendName(), fast);
      assert.equal(curve.length, reference.length);
      for (let i = 0; i < curve.length; i++) {
        const rel = Math.abs(curve[i] - reference[i]) / reference[i];
        worst = Math.max(worst, rel);
        assert.ok(rel < 1e-5, `${fast}: batch ${i} loss ${curve[i]} vs reference ${reference[i]} (relative ${rel})`);
      }
      t.diagnostic(`${fast}: largest relative loss difference ${worst.toExponential(2)} over ${curve.length} batches`);
    }
    assert.ok(reference[reference.length - 1] < reference[0] / 2, 'the model learns (loss at least halves)');
  });
});
