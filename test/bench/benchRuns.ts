// What the W1 (MLP) and W2 (CNN) benchmarks share: the clocks, timed runs of the Glassbox Trainer
// and of the same loop in TensorFlow.js, and the result record.
import type { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import type { Optimizer } from '../../src/engine/optim/optimizer';
import { RandomState } from '../../src/engine/random/randomState';
import type { Dataset } from '../../src/engine/train/dataset';
import { accuracy } from '../../src/engine/train/metrics';
import { Trainer } from '../../src/engine/train/trainer';
import { summarize, Timing } from './measure';
import type { Tfjs } from './tfjsBackend';

/** Batches in one epoch of 60,000 MNIST images at batch 60. */
export const EPOCH_BATCHES = 1000;

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

export type Clock = { wall: number; cpu: number };
export const clockStart = () => ({ t: performance.now(), c: process.cpuUsage() });
export function clockStop(s: { t: number; c: NodeJS.CpuUsage }): Clock {
  const c = process.cpuUsage(s.c);
  return { wall: (performance.now() - s.t) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** One timed run: its clock, per-batch losses and (full epochs) the test accuracy after it, untimed. */
export interface RunResult {
  readonly time: Clock;
  readonly losses: number[];
  readonly testAccuracy?: number;
}

/** `batches` steps of `net` through the engine's real Trainer, timed from its first step. */
export function trainerRun(
  net: NeuralNetwork,
  optimizer: Optimizer,
  data: Dataset,
  h: { batch: number; seed: number },
  batches: number,
  withAccuracy: boolean,
): RunResult {
  const trainer = new Trainer(net, optimizer);
  // evalEvery 2 with epochs 1: no evaluation inside the timed epoch; the generator is not drained,
  // so the Trainer's final test-set evaluation is not timed either.
  const steps = trainer.steps(data, {
    epochs: 1,
    batchSize: h.batch,
    evalEvery: 2,
    earlyStopping: false,
    seed: h.seed,
  });
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

/** A warm-up run of `warmup` batches (JIT, WebAssembly tier-up), then `runs` timed runs; keeps the last one's losses. */
export function timedRuns(
  contender: string,
  run: (batches: number, withAccuracy: boolean) => RunResult,
  runs: number,
  batches: number,
  warmup: number,
): MlpResult {
  run(Math.min(batches, warmup), false);
  const times: Clock[] = [];
  let last: RunResult | undefined;
  for (let r = 0; r < runs; r++) {
    last = run(batches, batches === EPOCH_BATCHES);
    times.push(last.time);
  }
  const seconds = summarize(
    times.map((t) => t.wall),
    times.map((t) => t.cpu),
  );
  const scale = EPOCH_BATCHES / batches;
  return {
    contender,
    batches,
    seconds,
    epochSeconds: seconds.median * scale,
    epochCpuSeconds: seconds.cpuMedian * scale,
    extrapolated: batches < EPOCH_BATCHES,
    losses: last?.losses ?? [],
    testAccuracy: last?.testAccuracy,
  };
}

type TfModel = ReturnType<Tfjs['sequential']>;

/**
 * The same training loop in TensorFlow.js: `model()` trained with optimizer.minimize on each batch
 * (tfjs's fastest training path; model.fit adds callbacks and promises), batches gathered in the
 * same seeded order, the loss read back every batch as Glassbox reports it. `rowShape` is one
 * example's tensor shape in tfjs's layout.
 */
export function tfjsRun(
  tf: Tfjs,
  data: Dataset,
  model: () => TfModel,
  rowShape: readonly number[],
  h: { batch: number; classes: number; lr: number; momentum: number; seed: number },
) {
  const x = data.xTrain.data as Float32Array,
    y = data.yTrain.data as Float32Array;
  const row = rowShape.reduce((a, b) => a * b, 1);
  return (count: number, withAccuracy: boolean): RunResult => {
    const m = model();
    const optimizer = tf.train.momentum(h.lr, h.momentum);
    const perm = new RandomState(h.seed).permutation(data.xTrain.shape[0]);
    const xb = new Float32Array(h.batch * row),
      yb = new Float32Array(h.batch * h.classes);
    const losses: number[] = [];
    const t0 = clockStart();
    for (let b = 0; b < count; b++) {
      for (let r = 0; r < h.batch; r++) {
        const src = perm[b * h.batch + r];
        xb.set(x.subarray(src * row, (src + 1) * row), r * row);
        yb.set(y.subarray(src * h.classes, (src + 1) * h.classes), r * h.classes);
      }
      const loss = tf.tidy(() => {
        const xs = tf.tensor(xb, [h.batch, ...rowShape]),
          ys = tf.tensor2d(yb, [h.batch, h.classes]);
        const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, m.apply(xs) as typeof ys), true);
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
        const pred = m.predict(tf.tensor(data.xTest.data as Float32Array, [n, ...rowShape])) as ReturnType<
          typeof tf.tensor2d
        >;
        const labels = tf.tensor2d(data.yTest.data as Float32Array, [n, h.classes]);
        return tf.mean(tf.cast(tf.equal(tf.argMax(pred, 1), tf.argMax(labels, 1)), 'float32')).dataSync()[0];
      });
    }
    m.dispose();
    optimizer.dispose();
    return { time, losses, testAccuracy };
  };
}
