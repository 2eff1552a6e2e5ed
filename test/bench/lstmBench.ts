import { setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { LSTM } from '../../src/engine/layers/lstm';
import { SequenceSoftmaxCrossEntropy } from '../../src/engine/losses/sequenceSoftmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGD } from '../../src/engine/optim/sgd';
import { RandomState } from '../../src/engine/random/randomState';
import { Tensor } from '../../src/engine/tensor/tensor';
import { measure, Timing } from './measure';
import { useTfjs } from './tfjsBackend';

/**
 * W4, an LSTM character model: vocabulary 62, hidden 256, sequences of 25, batch 32; an LSTM over
 * one-hot characters, a dense projection to the vocabulary at every step, softmax cross-entropy
 * over all batch × time positions, SGD lr 0.01. The figure is seconds per training step (forward,
 * backward, update) on seeded random sequences: the cost does not depend on the text.
 * test/bench/pytorch_bench.py's w4 runs the same model (nn.LSTM + nn.Linear).
 */
export const W4 = { vocab: 62, hidden: 256, seq: 25, batch: 32, lr: 0.01, seed: 20190606 } as const;

export interface StepResult {
  readonly contender: string;
  readonly seconds: Timing;
  /** Median seconds per training step, by wall and by CPU time. */
  readonly stepSeconds: number;
  readonly stepCpuSeconds: number;
  /** The loss of the last step (a sanity check: ln 62 ≈ 4.13 at the start). */
  readonly loss: number;
}

/** Input one-hot [batch, seq, vocab] and next-character targets [batch, seq, vocab], seeded. */
export function w4Batch(): { x: Float32Array; y: Float32Array } {
  const { vocab, seq, batch } = W4;
  const rng = new RandomState(W4.seed);
  const x = new Float32Array(batch * seq * vocab),
    y = new Float32Array(batch * seq * vocab);
  for (let b = 0; b < batch; b++) {
    let c = rng.randint(0, vocab);
    for (let t = 0; t < seq; t++) {
      const next = rng.randint(0, vocab);
      x[(b * seq + t) * vocab + c] = 1;
      y[(b * seq + t) * vocab + next] = 1;
      c = next;
    }
  }
  return { x, y };
}

/** Times a step function: 3 warm-up steps, then at least 20 steps or 2 s (5 / 0.5 s with quick). */
export function timeSteps(contender: string, step: () => number, quick: boolean): StepResult {
  let loss = Number.NaN;
  const seconds = measure(
    () => {
      loss = step();
    },
    { warmup: 3, minRuns: quick ? 5 : 20, minSeconds: quick ? 0.5 : 2, maxRuns: 200 },
  );
  return { contender, seconds, stepSeconds: seconds.median, stepCpuSeconds: seconds.cpuMedian, loss };
}

/**
 * The W4 model in Glassbox: an LSTM layer (its output projection is the book's W_v, B_v) and the
 * sequence softmax cross-entropy (mean over batch × time, as PyTorch's CrossEntropyLoss), one
 * NeuralNetwork.trainBatch + SGD step per call, float32 on the selected kernels with `threads`.
 */
export function glassboxLstm(threads: number, quick: boolean): StepResult {
  setKernelPreference('auto');
  const used = setKernelThreads(threads);
  const { vocab, hidden, seq, batch } = W4;
  const net = new NeuralNetwork({
    layers: [new LSTM({ hiddenSize: hidden, outputSize: vocab })],
    loss: new SequenceSoftmaxCrossEntropy(),
    seed: W4.seed,
  });
  const optimizer = new SGD({ lr: W4.lr });
  const { x, y } = w4Batch();
  const xs = new Tensor([batch, seq, vocab], x),
    ys = new Tensor([batch, seq, vocab], y);
  const step = () => {
    const { loss } = net.trainBatch(xs, ys);
    optimizer.step(net.params());
    return loss;
  };
  const result = timeSteps(`glassbox${used > 1 ? ` (${used} threads)` : ''}`, step, quick);
  setKernelThreads(1);
  return result;
}

/** The W4 model in TensorFlow.js: lstm (returnSequences) → dense over the last axis, optimizer.minimize per step. */
export async function tfjsLstm(backend: 'cpu' | 'wasm', quick: boolean): Promise<StepResult> {
  const tf = await useTfjs(backend);
  const { vocab, hidden, seq, batch } = W4;
  const model = tf.sequential({
    layers: [
      tf.layers.lstm({ units: hidden, returnSequences: true, inputShape: [seq, vocab] }),
      tf.layers.dense({ units: vocab }),
    ],
  });
  const optimizer = tf.train.sgd(W4.lr);
  const { x, y } = w4Batch();
  const xs = tf.tensor3d(x, [batch, seq, vocab]),
    ys = tf.tensor2d(y, [batch * seq, vocab]);
  const step = () => {
    const cost = tf.tidy(() => {
      const c = optimizer.minimize(() => {
        const logits = (model.apply(xs) as typeof xs).reshape([batch * seq, vocab]);
        return tf.losses.softmaxCrossEntropy(ys, logits);
      }, true);
      if (!c) throw new Error('tfjs minimize returned no cost');
      return c;
    });
    const loss = cost.dataSync()[0];
    cost.dispose();
    return loss;
  };
  const result = timeSteps(`tfjs-${backend}`, step, quick);
  xs.dispose();
  ys.dispose();
  model.dispose();
  optimizer.dispose();
  return result;
}
