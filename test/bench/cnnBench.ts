import { kernelBackendName, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { Conv2d } from '../../src/engine/layers/conv2d';
import { Dense } from '../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../src/engine/optim/sgdMomentum';
import type { Dataset } from '../../src/engine/train/dataset';
import { EPOCH_BATCHES, type MlpResult, type RunResult, timedRuns, tfjsRun, trainerRun } from './benchRuns';
import { useTfjs } from './tfjsBackend';

/**
 * W2, a small CNN on MNIST: Conv2d(16 filters 5×5, same padding, tanh) → flatten → Dense(10),
 * softmax cross-entropy, SGD with momentum (lr 0.01, μ 0.9, PyTorch's form), Glorot-normal
 * weights (fans Cin·k·k and Cout·k·k), zero biases, batch 60, one epoch of 60,000 images (1000
 * steps), pixels in [0, 1]. Results use W1's record shape (MlpResult).
 */
export const W2 = { filters: 16, kernel: 5, classes: 10, batch: 60, lr: 0.01, momentum: 0.9, seed: 20190501 } as const;
export const W2_EPOCH_BATCHES = EPOCH_BATCHES;

/** One Glassbox run of `batches` steps through the real Trainer (float32, the selected kernels). */
function w2Run(data: Dataset, batches: number, withAccuracy: boolean): RunResult {
  const net = new NeuralNetwork({
    layers: [
      new Conv2d({
        filters: W2.filters,
        kernelSize: W2.kernel,
        padding: 'same',
        activation: 'tanh',
        init: 'glorot',
        flatten: true,
      }),
      new Dense({ units: W2.classes, init: 'glorot' }),
    ],
    loss: new SoftmaxCrossEntropy(),
    seed: W2.seed,
  });
  return trainerRun(net, new SGDMomentum({ lr: W2.lr, momentum: W2.momentum }), data, W2, batches, withAccuracy);
}

/** Glassbox on the fast kernels with `threads` threads (of those started), `runs` timed runs after a warm-up. */
export function glassboxCnn(data: Dataset, runs: number, batches: number, threads: number): MlpResult {
  setKernelPreference('auto');
  const used = setKernelThreads(threads);
  const label = `glassbox (${kernelBackendName()}${used > 1 ? `, ${used} threads` : ''})`;
  const result = timedRuns(label, (n, acc) => w2Run(data, n, acc), runs, batches, 30);
  setKernelThreads(1);
  return result;
}

/**
 * The same CNN in TensorFlow.js (channels-last: with one input channel an NCHW MNIST batch is
 * already NHWC), trained with optimizer.minimize per batch and the loss read back each batch.
 */
export async function tfjsCnn(
  backend: 'cpu' | 'wasm',
  data: Dataset,
  runs: number,
  batches: number,
): Promise<MlpResult> {
  const tf = await useTfjs(backend);
  const [, , h, w] = data.xTrain.shape;
  const model = () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [h, w, 1],
          filters: W2.filters,
          kernelSize: W2.kernel,
          padding: 'same',
          activation: 'tanh',
          kernelInitializer: 'glorotNormal',
        }),
        tf.layers.flatten(),
        tf.layers.dense({ units: W2.classes, kernelInitializer: 'glorotNormal' }),
      ],
    });
  return timedRuns(`tfjs-${backend}`, tfjsRun(tf, data, model, [h, w, 1], W2), runs, batches, 5);
}
