import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { oneHot } from '../../../src/engine/data/preprocess';
import {
  fastGemm64,
  kernelArena,
  KernelPreference,
  kernelBackend64Name,
  setKernelPreference,
} from '../../../src/engine/kernels/kernelBackend';
import { setKernelThreads, stopKernelThreads } from '../../../src/engine/kernels/parallel';
import { Conv2d } from '../../../src/engine/layers/conv2d';
import { Dense } from '../../../src/engine/layers/dense';
import type { Layer } from '../../../src/engine/layers/layer';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../../src/engine/optim/sgdMomentum';
import { BOOK } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import type { Dataset } from '../../../src/engine/train/dataset';
import { Trainer } from '../../../src/engine/train/trainer';
import { enableKernelThreads } from '../../../src/util/kernelThreads';

/** Random float64 inputs of `shape` per row with random labels of 10 classes. */
function randomData(rows: number, shape: number[], seed: number): Dataset {
  const rng = new RandomState(seed);
  const make = (n: number) => {
    const x = Tensor.zeros([n, ...shape], 'float64');
    rng.fillNormal(x.data);
    const labels = Int32Array.from({ length: n }, () => rng.randint(0, 10));
    return { x, y: oneHot(labels, 10).astype('float64') };
  };
  const train = make(rows),
    test = make(rows / 5);
  return { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
}

/** Every batch loss and the final weights of a book-profile float64 network trained for two epochs. */
function train(layers: () => Layer[], data: Dataset): { losses: number[]; weights: number[][] } {
  const net = new NeuralNetwork({
    layers: layers(),
    loss: new SoftmaxCrossEntropy(),
    seed: 20190402,
    profile: BOOK,
    dtype: 'float64',
  });
  const losses: number[] = [];
  new Trainer(net, new SGDMomentum({ lr: 0.1, momentum: 0.9, form: 'book' }), [
    { onBatchEnd: (e) => void losses.push(e.loss) },
  ]).fit(data, { epochs: 2, batchSize: 60, evalEvery: 2, earlyStopping: false, seed: 7 });
  return { losses, weights: net.params().map((p) => Array.from(p.value.data)) };
}

const MODELS: Record<string, { layers: () => Layer[]; data: Dataset }> = {
  // E4.3's shape: 784 → 89 sigmoid → 10 (its 60×784·784×89 products split across two threads).
  mlp: {
    layers: () => [new Dense({ units: 89, activation: 'sigmoid' }), new Dense({ units: 10 })],
    data: randomData(240, [784], 1),
  },
  // Two convolutions (forward, the book's patch-order weight gradient, an input gradient) and dropout.
  cnn: {
    layers: () => [
      new Conv2d({ filters: 4, kernelSize: 3, activation: 'tanh' }),
      new Conv2d({ filters: 3, kernelSize: 3, activation: 'tanh', keepProb: 0.8, flatten: true }),
      new Dense({ units: 10 }),
    ],
    data: randomData(120, [1, 10, 10], 2),
  },
};

const hasWasm = (() => {
  setKernelPreference('auto');
  return kernelArena() !== null && fastGemm64() !== null;
})();

describe(
  'book-profile float64 training on the WebAssembly GEMM',
  { skip: hasWasm ? false : 'this runtime has no WebAssembly backend' },
  () => {
    before(() => assert.equal(enableKernelThreads(2), 2));
    after(() => {
      stopKernelThreads();
      setKernelPreference('auto');
    });

    for (const [name, model] of Object.entries(MODELS))
      it(`${name}: the same losses and weights, to the bit, as the reference kernels, on 1 and 2 threads`, () => {
        const run = (preference: KernelPreference, threads: number) => {
          setKernelPreference(preference);
          setKernelThreads(threads);
          return train(model.layers, model.data);
        };
        const reference = run('reference', 1);
        assert.equal(kernelBackend64Name(), 'reference');
        assert.ok(reference.losses.length > 0 && reference.losses.every(Number.isFinite));
        for (const threads of [1, 2]) {
          const wasm = run('auto', threads);
          assert.equal(kernelBackend64Name(), 'wasm-simd128');
          assert.deepEqual(wasm.losses, reference.losses, `${name} losses on ${threads} thread(s)`);
          assert.deepEqual(wasm.weights, reference.weights, `${name} weights on ${threads} thread(s)`);
        }
      });
  },
);
