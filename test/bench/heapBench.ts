import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { kernelArena, kernelBackendName } from '../../src/engine/kernels/kernelBackend';
import { Dense } from '../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../src/engine/optim/sgdMomentum';
import type { Dataset } from '../../src/engine/train/dataset';
import { Trainer } from '../../src/engine/train/trainer';
import { W1 } from './mlpBench';

/** Memory after one epoch, after a full garbage collection. */
export interface HeapSample {
  readonly epoch: number;
  readonly heapUsedMiB: number;
  /** ArrayBuffer backing stores outside the JS heap (typed arrays), and the arena's high-water mark. */
  readonly arrayBuffersMiB: number;
  readonly arenaReservedMiB: number;
  readonly epochSeconds: number;
}

const MiB = 1 << 20;

/**
 * W1 for `epochs` epochs in one fit, sampling memory after each epoch behind a forced full GC: a
 * flat series means no steady-state growth (per-batch temporaries are collected, the arena does
 * not grow after the first epoch).
 */
export function runHeapBench(data: Dataset, epochs: number): { backend: string; samples: HeapSample[] } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const net = new NeuralNetwork({
    layers: [new Dense({ units: W1.hidden, activation: 'tanh', init: 'glorot' }), new Dense({ units: W1.classes, init: 'glorot' })],
    loss: new SoftmaxCrossEntropy(),
    seed: W1.seed,
  });
  const samples: HeapSample[] = [];
  let t0 = performance.now();
  const trainer = new Trainer(net, new SGDMomentum({ lr: W1.lr, momentum: W1.momentum }), [{
    onEpochEnd: (e) => {
      const seconds = (performance.now() - t0) / 1000;
      gc();
      const m = process.memoryUsage();
      samples.push({ epoch: e.epoch, heapUsedMiB: m.heapUsed / MiB, arrayBuffersMiB: m.arrayBuffers / MiB, arenaReservedMiB: (kernelArena()?.reservedBytes ?? 0) / MiB, epochSeconds: seconds });
      t0 = performance.now();
    },
  }]);
  trainer.fit(data, { epochs, batchSize: W1.batch, evalEvery: epochs + 1, earlyStopping: false, seed: W1.seed });
  return { backend: kernelBackendName(), samples };
}
