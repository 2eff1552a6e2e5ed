import { KernelPreference, kernelBackendName, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { Dense } from '../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../src/engine/optim/sgdMomentum';
import type { Dataset } from '../../src/engine/train/dataset';
import { type MlpResult, type RunResult, timedRuns, tfjsRun, trainerRun } from './benchRuns';
import { useTfjs } from './tfjsBackend';

export type { MlpResult } from './benchRuns';

/**
 * W1, the book's MNIST MLP: 784 → Dense(89, tanh) → Dense(10), softmax cross-entropy, SGD with
 * momentum (lr 0.1, μ 0.9, PyTorch's form), Glorot-normal weights, zero biases, batch 60, one epoch
 * of 60,000 images (1000 steps of forward + backward + update), pixels scaled to [0, 1].
 */
export const W1 = { hidden: 89, classes: 10, batch: 60, lr: 0.1, momentum: 0.9, seed: 20190501 } as const;

/** One Glassbox epoch through the engine's Trainer, timed from its first step to its `batches`-th. */
function glassboxRun(data: Dataset, batches: number, withAccuracy: boolean): RunResult {
  const net = new NeuralNetwork({
    layers: [
      new Dense({ units: W1.hidden, activation: 'tanh', init: 'glorot' }),
      new Dense({ units: W1.classes, init: 'glorot' }),
    ],
    loss: new SoftmaxCrossEntropy(),
    seed: W1.seed,
  });
  return trainerRun(net, new SGDMomentum({ lr: W1.lr, momentum: W1.momentum }), data, W1, batches, withAccuracy);
}

export async function glassboxMlp(
  name: string,
  preference: KernelPreference,
  data: Dataset,
  runs: number,
  batches: number,
  threads = 1,
): Promise<MlpResult> {
  setKernelPreference(preference);
  const used = setKernelThreads(threads);
  const label = `${name} (${kernelBackendName()}${used > 1 ? `, ${used} threads` : ''})`;
  const result = timedRuns(label, (n, acc) => glassboxRun(data, n, acc), runs, batches, 50);
  setKernelPreference('auto');
  setKernelThreads(1);
  return result;
}

/**
 * The same model and loop in TensorFlow.js: a Sequential of two dense layers trained with
 * optimizer.minimize on each batch, the loss read back every batch (benchRuns.ts, tfjsRun).
 */
export async function tfjsMlp(
  backend: 'cpu' | 'wasm',
  data: Dataset,
  runs: number,
  batches: number,
): Promise<MlpResult> {
  const tf = await useTfjs(backend);
  const features = data.xTrain.shape[1];
  const model = () =>
    tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [features],
          units: W1.hidden,
          activation: 'tanh',
          kernelInitializer: 'glorotNormal',
        }),
        tf.layers.dense({ units: W1.classes, kernelInitializer: 'glorotNormal' }),
      ],
    });
  return timedRuns(`tfjs-${backend}`, tfjsRun(tf, data, model, [features], W1), runs, batches, 20);
}

/** Largest relative difference between two per-batch loss curves (the two Glassbox paths). */
export function curveDifference(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return worst;
}
