import { assertValue } from '../errors';
import { RecurrentLayer } from '../layers/recurrentLayer';
import type { NeuralNetwork } from '../network/neuralNetwork';
import type { TensorData } from '../tensor/tensor';
import { CharBatches } from '../text/charBatches';
import { sampleText } from '../text/sampleText';
import { isTextDataset, type TextDataset } from '../text/textDataset';
import { characterMetrics } from './characterMetrics';
import type { Dataset } from './dataset';
import type { FitOptions, TrainerState } from './fitOptions';
import type { BatchEnd, Evaluation, FitResult } from './observer';
import type { ScheduleHost, TrainingSchedule } from './trainingSchedule';

/** Runs `f` with every recurrent layer starting from zeros and leaves every layer's state as it was. */
function withZeroState<T>(network: NeuralNetwork, f: () => T): T {
  const layers = network.layers.filter((l): l is RecurrentLayer => l instanceof RecurrentLayer && l.isBuilt);
  const modes = layers.map((l) => l.stateMode);
  return network.keepingState(() => {
    try {
      for (const l of layers) l.stateMode = 'zero';
      return f();
    } finally {
      layers.forEach((l, i) => (l.stateMode = modes[i]));
    }
  });
}

/**
 * The text schedule: trains a character model on a TextDataset, as the book's RNNTrainer (book-parity.md §6.7):
 * batches are drawn in order from the training text with a moving pointer (CharBatches: row r
 * of a batch is the window at pointer + r·rowStride, the targets the same window one character
 * later; the pointer advances batch·rowStride and wraps to 0 near the end), one optimizer step
 * per batch, for `iterations` batches. Nothing is shuffled, so the only random draws after
 * initialisation are the samples' (from the network's stream, which checkpoints save).
 *
 * For reporting, evaluation and checkpoints the iterations are grouped in rounds of `evalEvery`
 * (the Trainer's "epochs"; the last may be shorter): after each round the mean training loss
 * (onEpochEnd), the loss and per-character metrics on the held-out tail (onEvaluation, every
 * recurrent layer starting from zeros, carried state untouched), and a resumable state
 * (onEpochComplete, the batch pointer as `order[0]`). There is no early stopping (the book has
 * none); the best evaluation's weights are kept as the best model. A sample (onSample) follows
 * every `sampleEvery`-th iteration and the last one.
 */
function* trainText(host: ScheduleHost, data: TextDataset, options: FitOptions): Generator<BatchEnd, FitResult, void> {
  const net = host.network;
  const opt = host.optimizer;
  const text = data.text;
  const t = options.text;
  assertValue(t !== undefined, () => 'Trainer: a text dataset needs FitOptions.text (iterations, samples)');
  const iterations = t.iterations;
  const perRound = options.evalEvery ?? 100;
  const batchSize = options.batchSize ?? 32;
  const T = text.sequenceLength;
  const V = text.vocab.size;
  const positive = (v: number) => Number.isInteger(v) && v > 0;
  assertValue(
    positive(iterations) && positive(perRound) && positive(batchSize),
    () =>
      `Trainer: iterations, evalEvery and batchSize must be positive integers, got ${iterations}, ${perRound}, ${batchSize}`,
  );
  const rounds = Math.ceil(iterations / perRound);
  const resume = options.resume;
  const startRound = options.startEpoch ?? resume?.epoch ?? 0;
  assertValue(
    Number.isInteger(startRound) && startRound >= 0 && startRound < rounds,
    () => `Trainer: the run starts after round ${startRound} of ${rounds}`,
  );
  const sampleEvery = t.sampleEvery ?? 100;
  const sampleLength = t.sampleLength ?? 200;
  const temperature = t.sampleTemperature ?? 1;
  if (t.sampleSeedText !== undefined) text.vocab.encode(t.sampleSeedText); // every character must be known

  const batches = new CharBatches(text.train, V, {
    batchSize,
    sequenceLength: T,
    rowStride: t.rowStride ?? T,
    dtype: net.dtype,
  });
  opt.setupDecay(rounds, perRound);
  if (startRound > 0) opt.fastForward(startRound);
  if (options.restart ?? true) {
    net.reset();
    opt.resetState();
    if (!net.profile.lazyReseedInit) {
      net.rng.seed(net.seed);
      net.build([T, V]);
    }
  }
  net.rng.seed(options.seed ?? 1);
  if (resume) {
    net.rng.setState(resume.rng);
    batches.start = resume.order[0] ?? 0;
  }
  for (const o of host.observers)
    o.onFitStart?.({ epochs: rounds, startEpoch: startRound, batchesPerEpoch: perRound, network: net });

  const evaluations: Evaluation[] = [];
  let bestLoss = resume ? resume.bestLoss : Infinity;
  let best: { weights: TensorData[]; epoch: number } | null = resume?.best
    ? { weights: resume.best.weights.map((w) => w.slice()), epoch: resume.best.epoch }
    : null;
  let step = 0;
  let roundsRun = startRound;
  let interrupted = false;
  let lastMetrics: Record<string, number> | undefined;

  const evaluate = (epoch: number): Evaluation => {
    const { loss, prediction } = withZeroState(net, () => net.evaluate(data.xTest, data.yTest));
    lastMetrics = characterMetrics(
      prediction,
      data.yTest.dtype === prediction.dtype ? data.yTest : data.yTest.astype(prediction.dtype),
    );
    return { epoch, loss, metrics: lastMetrics, improved: loss < bestLoss };
  };
  const sample = (iteration: number, epoch: number): void => {
    const seedText = t.sampleSeedText ?? text.vocab.chars[text.train[batches.start]];
    const s = sampleText(net, text.vocab, seedText, sampleLength, net.rng, temperature);
    for (const o of host.observers) o.onSample?.({ iteration, epoch, seedText, temperature, text: s });
  };

  roundLoop: for (let r = startRound; r < rounds; r++) {
    const epoch = r + 1;
    const inRound = Math.min(perRound, iterations - r * perRound);
    let lossSum = 0;
    const lr = opt.lr;
    for (let b = 0; b < inRound; b++) {
      const iteration = r * perRound + b + 1;
      const { x, y } = batches.next();
      const { loss, tape } = net.trainBatch(x, y);
      opt.beforeStep(iteration - 1);
      opt.step(net.params());
      step++;
      lossSum += loss;
      const sampleNow =
        sampleLength > 0 && ((sampleEvery > 0 && iteration % sampleEvery === 0) || iteration === iterations);
      const ev: BatchEnd = {
        epoch,
        batch: b,
        batchesPerEpoch: perRound,
        step,
        batchSize,
        loss,
        lr: opt.lr,
        network: net,
        tape,
        input: x,
        target: y,
        interlude: sampleNow,
      };
      for (const o of host.observers) o.onBatchEnd?.(ev);
      if (sampleNow) sample(iteration, epoch);
      yield ev;
      if (host.stopRequested()) {
        interrupted = true;
        break roundLoop;
      }
    }
    roundsRun = epoch;
    for (const o of host.observers) o.onEpochEnd?.({ epoch, meanTrainLoss: lossSum / inRound, lr });
    const ev = evaluate(epoch);
    evaluations.push(ev);
    for (const o of host.observers) o.onEvaluation?.(ev);
    if (ev.improved) {
      bestLoss = ev.loss;
      best = { weights: net.snapshot(), epoch };
    }
    opt.decayLr();
    if (host.observers.some((o) => o.onEpochComplete)) {
      const state: TrainerState = {
        epoch,
        rng: net.rng.getState(),
        order: Int32Array.of(batches.start),
        bestLoss,
        best: best ? { weights: best.weights.map((w) => w.slice()), epoch: best.epoch } : null,
      };
      for (const o of host.observers) o.onEpochComplete?.(state);
    }
  }
  host.clearStop();
  if (!best) best = { weights: net.snapshot(), epoch: roundsRun };
  host.keepBest(best.weights, best.epoch);
  // An interrupted round was not evaluated: describe the network as it stopped.
  const metrics = interrupted || !lastMetrics ? evaluate(roundsRun).metrics : lastMetrics;
  const result: FitResult = {
    evalLosses: evaluations.map((v) => v.loss),
    evaluations,
    metrics,
    epochsRun: roundsRun,
    steps: step,
    interrupted,
    bestLoss,
  };
  for (const o of host.observers) o.onFitEnd?.(result);
  return result;
}

/** Character models (a TextDataset): rounds of `evalEvery` iterations over the text (`trainText`). */
export const textSchedule: TrainingSchedule<TextDataset> = {
  name: 'text',
  accepts: (data: Dataset): data is TextDataset => isTextDataset(data),
  run: trainText,
};
