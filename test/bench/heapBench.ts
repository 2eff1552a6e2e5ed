import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { kernelArena, kernelBackendName } from '../../src/engine/kernels/kernelBackend';
import { Conv2d } from '../../src/engine/layers/conv2d';
import { Dense } from '../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../src/engine/optim/sgdMomentum';
import type { Dataset } from '../../src/engine/train/dataset';
import { Trainer } from '../../src/engine/train/trainer';
import { W2 } from './cnnBench';
import { W1 } from './mlpBench';

/** Memory after one epoch, after a full garbage collection, and the collections during the epoch. */
export interface HeapSample {
  readonly epoch: number;
  readonly heapUsedMiB: number;
  /** ArrayBuffer backing stores outside the JS heap (typed arrays), and the arena's high-water mark. */
  readonly arrayBuffersMiB: number;
  readonly arenaReservedMiB: number;
  readonly epochSeconds: number;
  /** Garbage collections V8 ran during the epoch (the forced one after it not counted), and their pause. */
  readonly gcCount: number;
  readonly gcMs: number;
}

const MiB = 1 << 20;

/**
 * W1 (or W2) for `epochs` epochs in one fit, sampling memory after each epoch behind a forced
 * full GC: a flat series means no steady-state growth (the arena does not grow after the first
 * epoch), and few collections per epoch mean little per-batch allocation (a training step's
 * tensors come from the network's step arena).
 */
export async function runHeapBench(
  data: Dataset,
  epochs: number,
  workload: 'w1' | 'w2' = 'w1',
): Promise<{ backend: string; workload: string; samples: HeapSample[] }> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const layers =
    workload === 'w1'
      ? [
          new Dense({ units: W1.hidden, activation: 'tanh', init: 'glorot' }),
          new Dense({ units: W1.classes, init: 'glorot' }),
        ]
      : [
          new Conv2d({
            filters: W2.filters,
            kernelSize: W2.kernel,
            padding: 'same',
            activation: 'tanh',
            init: 'glorot',
            flatten: true,
          }),
          new Dense({ units: W2.classes, init: 'glorot' }),
        ];
  const cfg = workload === 'w1' ? W1 : W2;
  const net = new NeuralNetwork({ layers, loss: new SoftmaxCrossEntropy(), seed: cfg.seed });
  // GC entries arrive asynchronously; they are matched to epochs by time after the fit.
  const entries: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) entries.push({ start: e.startTime, duration: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const windows: { start: number; end: number }[] = [];
  const raw: Omit<HeapSample, 'gcCount' | 'gcMs'>[] = [];
  let t0 = performance.now();
  const trainer = new Trainer(net, new SGDMomentum({ lr: cfg.lr, momentum: cfg.momentum }), [
    {
      onEpochEnd: (e) => {
        const end = performance.now();
        windows.push({ start: t0, end });
        gc();
        const m = process.memoryUsage();
        raw.push({
          epoch: e.epoch,
          heapUsedMiB: m.heapUsed / MiB,
          arrayBuffersMiB: m.arrayBuffers / MiB,
          arenaReservedMiB: (kernelArena()?.reservedBytes ?? 0) / MiB,
          epochSeconds: (end - t0) / 1000,
        });
        t0 = performance.now();
      },
    },
  ]);
  trainer.fit(data, { epochs, batchSize: cfg.batch, evalEvery: epochs + 1, earlyStopping: false, seed: cfg.seed });
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const samples = raw.map((r, i) => {
    const inside = entries.filter((g) => g.start >= windows[i].start && g.start < windows[i].end);
    return { ...r, gcCount: inside.length, gcMs: inside.reduce((sum, g) => sum + g.duration, 0) };
  });
  return { backend: kernelBackendName(), workload, samples };
}
