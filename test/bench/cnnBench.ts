import { kernelBackendName, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { Conv2d } from '../../src/engine/layers/conv2d';
import { Dense } from '../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../src/engine/optim/sgdMomentum';
import { RandomState } from '../../src/engine/random/randomState';
import type { Dataset } from '../../src/engine/train/dataset';
import { accuracy } from '../../src/engine/train/metrics';
import { Trainer } from '../../src/engine/train/trainer';
import { summarize } from './measure';
import type { MlpResult } from './mlpBench';
import { useTfjs } from './tfjsBackend';

/**
 * W2, a small CNN on MNIST: Conv2d(16 filters 5×5, same padding, tanh) → flatten → Dense(10),
 * softmax cross-entropy, SGD with momentum (lr 0.01, μ 0.9, PyTorch's form), Glorot-normal
 * weights (fans Cin·k·k and Cout·k·k), zero biases, batch 60, one epoch of 60,000 images (1000
 * steps), pixels in [0, 1]. Results use W1's record shape (MlpResult).
 */
export const W2 = { filters: 16, kernel: 5, classes: 10, batch: 60, lr: 0.01, momentum: 0.9, seed: 20190501 } as const;
export const W2_EPOCH_BATCHES = 1000;

type Clock = { wall: number; cpu: number };
const clockStart = () => ({ t: performance.now(), c: process.cpuUsage() });
function clockStop(s: { t: number; c: NodeJS.CpuUsage }): Clock {
  const c = process.cpuUsage(s.c);
  return { wall: (performance.now() - s.t) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** One Glassbox run of `batches` steps through the real Trainer (float32, the selected kernels). */
export function w2Run(data: Dataset, batches: number, withAccuracy: boolean): { time: Clock; losses: number[]; testAccuracy?: number } {
  const net = new NeuralNetwork({
    layers: [
      new Conv2d({ filters: W2.filters, kernelSize: W2.kernel, padding: 'same', activation: 'tanh', init: 'glorot', flatten: true }),
      new Dense({ units: W2.classes, init: 'glorot' }),
    ],
    loss: new SoftmaxCrossEntropy(),
    seed: W2.seed,
  });
  const trainer = new Trainer(net, new SGDMomentum({ lr: W2.lr, momentum: W2.momentum }));
  // As W1: no evaluation inside the timed epoch, and the final test-set evaluation is not timed.
  const steps = trainer.steps(data, { epochs: 1, batchSize: W2.batch, evalEvery: 2, earlyStopping: false, seed: W2.seed });
  const losses: number[] = [];
  const t0 = clockStart();
  for (let i = 0; i < batches; i++) {
    const r = steps.next();
    if (r.done) break;
    losses.push(r.value.loss);
  }
  const time = clockStop(t0);
  const testAccuracy = withAccuracy ? accuracy(net.predict(data.xTest), data.yTest) : undefined;
  return { time, losses, testAccuracy };
}

function finish(contender: string, batches: number, times: Clock[], losses: number[], testAccuracy?: number): MlpResult {
  const seconds = summarize(times.map((t) => t.wall), times.map((t) => t.cpu));
  const scale = W2_EPOCH_BATCHES / batches;
  return { contender, batches, seconds, epochSeconds: seconds.median * scale, epochCpuSeconds: seconds.cpuMedian * scale, extrapolated: batches < W2_EPOCH_BATCHES, losses, testAccuracy };
}

/** Glassbox on the fast kernels with `threads` threads (of those started), `runs` timed runs after a warm-up. */
export function glassboxCnn(data: Dataset, runs: number, batches: number, threads: number): MlpResult {
  setKernelPreference('auto');
  const used = setKernelThreads(threads);
  const label = `glassbox (${kernelBackendName()}${used > 1 ? `, ${used} threads` : ''})`;
  w2Run(data, 30, false); // warm-up: JIT and WebAssembly tier-up
  const times: Clock[] = [];
  let last: ReturnType<typeof w2Run> | undefined;
  for (let r = 0; r < runs; r++) {
    last = w2Run(data, batches, batches === W2_EPOCH_BATCHES);
    times.push(last.time);
  }
  setKernelThreads(1);
  return finish(label, batches, times, last?.losses ?? [], last?.testAccuracy);
}

/**
 * The same CNN in TensorFlow.js (channels-last: with one input channel an NCHW MNIST batch is
 * already NHWC), trained with optimizer.minimize per batch and the loss read back each batch.
 */
export async function tfjsCnn(backend: 'cpu' | 'wasm', data: Dataset, runs: number, batches: number): Promise<MlpResult> {
  const tf = await useTfjs(backend);
  const x = data.xTrain.data as Float32Array, y = data.yTrain.data as Float32Array;
  const [, , h, w] = data.xTrain.shape;
  const pixels = h * w;
  const run = (count: number, withAccuracy: boolean) => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [h, w, 1], filters: W2.filters, kernelSize: W2.kernel, padding: 'same', activation: 'tanh', kernelInitializer: 'glorotNormal' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: W2.classes, kernelInitializer: 'glorotNormal' }),
      ],
    });
    const optimizer = tf.train.momentum(W2.lr, W2.momentum);
    const perm = new RandomState(W2.seed).permutation(data.xTrain.shape[0]);
    const xb = new Float32Array(W2.batch * pixels), yb = new Float32Array(W2.batch * W2.classes);
    const losses: number[] = [];
    const t0 = clockStart();
    for (let b = 0; b < count; b++) {
      for (let r = 0; r < W2.batch; r++) {
        const src = perm[b * W2.batch + r];
        xb.set(x.subarray(src * pixels, (src + 1) * pixels), r * pixels);
        yb.set(y.subarray(src * W2.classes, (src + 1) * W2.classes), r * W2.classes);
      }
      const loss = tf.tidy(() => {
        const xs = tf.tensor4d(xb, [W2.batch, h, w, 1]), ys = tf.tensor2d(yb, [W2.batch, W2.classes]);
        const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as typeof ys), true);
        if (!cost) throw new Error('tfjs minimize returned no cost');
        return cost;
      });
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    }
    const time = clockStop(t0);
    let testAccuracy: number | undefined;
    if (withAccuracy) {
      testAccuracy = tf.tidy(() => {
        const n = data.xTest.shape[0];
        const pred = model.predict(tf.tensor4d(data.xTest.data as Float32Array, [n, h, w, 1])) as ReturnType<typeof tf.tensor2d>;
        const labels = tf.tensor2d(data.yTest.data as Float32Array, [n, W2.classes]);
        return tf.mean(tf.cast(tf.equal(tf.argMax(pred, 1), tf.argMax(labels, 1)), 'float32')).dataSync()[0];
      });
    }
    model.dispose();
    optimizer.dispose();
    return { time, losses, testAccuracy };
  };
  run(Math.min(batches, 5), false);
  const times: Clock[] = [];
  let last: ReturnType<typeof run> | undefined;
  for (let r = 0; r < runs; r++) {
    last = run(batches, batches === W2_EPOCH_BATCHES);
    times.push(last.time);
  }
  return finish(`tfjs-${backend}`, batches, times, last?.losses ?? [], last?.testAccuracy);
}
