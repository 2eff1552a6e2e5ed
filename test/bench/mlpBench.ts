import { KernelPreference, kernelBackendName, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { Dense } from '../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../src/engine/optim/sgdMomentum';
import { RandomState } from '../../src/engine/random/randomState';
import type { Dataset } from '../../src/engine/train/dataset';
import { accuracy } from '../../src/engine/train/metrics';
import { Trainer } from '../../src/engine/train/trainer';
import { summarize, Timing } from './measure';

type Clock = { wall: number; cpu: number };
const clockStart = () => ({ t: performance.now(), c: process.cpuUsage() });
function clockStop(s: { t: number; c: NodeJS.CpuUsage }): Clock {
  const c = process.cpuUsage(s.c);
  return { wall: (performance.now() - s.t) / 1000, cpu: (c.user + c.system) / 1e6 };
}
import { useTfjs } from './tfjsBackend';

/**
 * W1, the book's MNIST MLP: 784 → Dense(89, tanh) → Dense(10), softmax cross-entropy, SGD with
 * momentum (lr 0.1, μ 0.9, PyTorch's form), Glorot-normal weights, zero biases, batch 60, one epoch
 * of 60,000 images (1000 steps of forward + backward + update), pixels scaled to [0, 1].
 */
export const W1 = { hidden: 89, classes: 10, batch: 60, lr: 0.1, momentum: 0.9, seed: 20190501 } as const;

export interface MlpResult {
  readonly contender: string;
  /** Batches timed per run; an epoch is 1000. When fewer, `epochSeconds` is scaled up and says so. */
  readonly batches: number;
  readonly seconds: Timing;
  /** Median run time for a full epoch (measured, or scaled from `batches` when `extrapolated`). */
  readonly epochSeconds: number;
  /** The same from CPU time (this process's user + system). */
  readonly epochCpuSeconds: number;
  readonly extrapolated: boolean;
  /** Per-batch training losses of the last run. */
  readonly losses: number[];
  /** Test accuracy after the last run (full epochs only). */
  readonly testAccuracy?: number;
}

/** One Glassbox epoch through the engine's Trainer, timed from its first step to its `batches`-th. */
function glassboxRun(data: Dataset, batches: number, withAccuracy: boolean): { time: Clock; losses: number[]; testAccuracy: number | undefined } {
  const net = new NeuralNetwork({
    layers: [new Dense({ units: W1.hidden, activation: 'tanh', init: 'glorot' }), new Dense({ units: W1.classes, init: 'glorot' })],
    loss: new SoftmaxCrossEntropy(),
    seed: W1.seed,
  });
  const losses: number[] = [];
  const trainer = new Trainer(net, new SGDMomentum({ lr: W1.lr, momentum: W1.momentum }));
  // evalEvery 2 with epochs 1: no evaluation inside the timed epoch; the generator is not drained,
  // so the Trainer's final test-set evaluation is not timed either.
  const steps = trainer.steps(data, { epochs: 1, batchSize: W1.batch, evalEvery: 2, earlyStopping: false, seed: W1.seed });
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

export async function glassboxMlp(name: string, preference: KernelPreference, data: Dataset, runs: number, batches: number, threads = 1): Promise<MlpResult> {
  setKernelPreference(preference);
  const used = setKernelThreads(threads);
  const label = `${name} (${kernelBackendName()}${used > 1 ? `, ${used} threads` : ''})`;
  glassboxRun(data, Math.min(batches, 50), false); // warm-up: JIT and WebAssembly tier-up
  const times: Clock[] = [];
  let last: ReturnType<typeof glassboxRun> | undefined;
  for (let r = 0; r < runs; r++) {
    last = glassboxRun(data, batches, batches === 1000);
    times.push(last.time);
  }
  setKernelPreference('auto');
  setKernelThreads(1);
  return finish(label, batches, times, last?.losses ?? [], last?.testAccuracy);
}

function finish(contender: string, batches: number, times: Clock[], losses: number[], testAccuracy?: number): MlpResult {
  const seconds = summarize(times.map((t) => t.wall), times.map((t) => t.cpu));
  const scale = 1000 / batches;
  return { contender, batches, seconds, epochSeconds: seconds.median * scale, epochCpuSeconds: seconds.cpuMedian * scale, extrapolated: batches < 1000, losses, testAccuracy };
}

/**
 * The same model and loop in TensorFlow.js: a Sequential of two dense layers trained with
 * optimizer.minimize on each batch (tfjs's fastest training path; model.fit adds callbacks and
 * promises), the loss read back every batch as Glassbox reports it.
 */
export async function tfjsMlp(backend: 'cpu' | 'wasm', data: Dataset, runs: number, batches: number): Promise<MlpResult> {
  const tf = await useTfjs(backend);
  const x = data.xTrain.data as Float32Array, y = data.yTrain.data as Float32Array;
  const features = data.xTrain.shape[1];
  const run = (count: number, withAccuracy: boolean) => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [features], units: W1.hidden, activation: 'tanh', kernelInitializer: 'glorotNormal' }),
        tf.layers.dense({ units: W1.classes, kernelInitializer: 'glorotNormal' }),
      ],
    });
    const optimizer = tf.train.momentum(W1.lr, W1.momentum);
    const perm = new RandomState(W1.seed).permutation(data.xTrain.shape[0]);
    const xb = new Float32Array(W1.batch * features), yb = new Float32Array(W1.batch * W1.classes);
    const losses: number[] = [];
    const t0 = clockStart();
    for (let b = 0; b < count; b++) {
      for (let r = 0; r < W1.batch; r++) {
        const src = perm[b * W1.batch + r];
        xb.set(x.subarray(src * features, (src + 1) * features), r * features);
        yb.set(y.subarray(src * W1.classes, (src + 1) * W1.classes), r * W1.classes);
      }
      const loss = tf.tidy(() => {
        const xs = tf.tensor2d(xb, [W1.batch, features]), ys = tf.tensor2d(yb, [W1.batch, W1.classes]);
        const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as typeof xs), true);
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
        const pred = model.predict(tf.tensor2d(data.xTest.data as Float32Array, data.xTest.shape as [number, number])) as ReturnType<typeof tf.tensor2d>;
        const labels = tf.tensor2d(data.yTest.data as Float32Array, data.yTest.shape as [number, number]);
        return tf.mean(tf.cast(tf.equal(tf.argMax(pred, 1), tf.argMax(labels, 1)), 'float32')).dataSync()[0];
      });
    }
    model.dispose();
    optimizer.dispose();
    return { time, losses, testAccuracy };
  };
  run(Math.min(batches, 20), false);
  const times: Clock[] = [];
  let last: ReturnType<typeof run> | undefined;
  for (let r = 0; r < runs; r++) {
    last = run(batches, batches === 1000);
    times.push(last.time);
  }
  return finish(`tfjs-${backend}`, batches, times, last?.losses ?? [], last?.testAccuracy);
}

/** Largest relative difference between two per-batch loss curves (the two Glassbox paths). */
export function curveDifference(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return worst;
}
