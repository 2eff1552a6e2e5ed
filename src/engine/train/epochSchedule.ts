import { classificationReport } from './classificationReport';
import { regressionReport } from './regressionReport';
import { assertValue } from '../errors';
import { residentData } from '../kernels/residentTensor';
import { Tensor, type TensorData } from '../tensor/tensor';
import { isTextDataset } from '../text/textDataset';
import { checkDataset, type Dataset } from './dataset';
import type { FitOptions, TrainerState } from './fitOptions';
import { computeMetrics, defaultMetrics } from './metrics';
import type { BatchEnd, EarlyStop, Evaluation, FitResult } from './observer';
import type { RegressionReport } from './regressionReport';
import type { ScheduleHost, TrainingSchedule } from './trainingSchedule';

/**
 * The book's Trainer loop for row datasets: per epoch, shuffle with the shared stream, train on
 * mini-batches, and every `evalEvery` epochs evaluate on the test set, stopping early when the
 * loss stops improving.
 *
 * Early stopping — modern: restore the weights of the best evaluation and report metrics on them.
 * Book profile (book-parity.md §6.4, every "stopped @k" row): the snapshot is taken at the start
 * of each evaluation epoch, i.e. after e epochs, and is kept as the "best" model; but the printed
 * accuracies come from the un-restored network, so the network is left as trained.
 */
export const epochSchedule: TrainingSchedule = {
  name: 'epochs',
  // Every dataset that is not a text (textSchedule comes first in the Trainer's list).
  accepts: (data): data is Dataset => !isTextDataset(data),
  run: runEpochs,
};

function* runEpochs(host: ScheduleHost, data: Dataset, options: FitOptions): Generator<BatchEnd, FitResult, void> {
  checkDataset(data);
  const net = host.network;
  const opt = host.optimizer;
  const epochs = options.epochs;
  const batchSize = options.batchSize ?? 32;
  const evalEvery = options.evalEvery ?? 10;
  const seed = options.seed ?? 1;
  const earlyStopping = options.earlyStopping ?? true;
  const restart = options.restart ?? true;
  const resume = options.resume;
  const startEpoch = options.startEpoch ?? resume?.epoch ?? 0;
  const positive = (name: string, v: number) =>
    assertValue(Number.isInteger(v) && v > 0, () => `Trainer: ${name} must be a positive integer, got ${v}`);
  positive('epochs', epochs);
  positive('batchSize', batchSize);
  positive('evalEvery', evalEvery);
  assertValue(
    Number.isInteger(startEpoch) && startEpoch >= 0 && startEpoch < epochs,
    () => `Trainer: startEpoch must be in [0, ${epochs}), got ${startEpoch}`,
  );
  assertValue(
    !resume || (resume.epoch === startEpoch && resume.order.length === data.xTrain.shape[0]),
    () =>
      `Trainer: resume state is for epoch ${resume?.epoch} and ${resume?.order.length} rows, fit starts at ${startEpoch} with ${data.xTrain.shape[0]} rows`,
  );
  const dtype = net.dtype;
  const xTrain = data.xTrain.dtype === dtype ? data.xTrain : data.xTrain.astype(dtype);
  const yTrain = data.yTrain.dtype === dtype ? data.yTrain : data.yTrain.astype(dtype);
  const xTest = data.xTest.dtype === dtype ? data.xTest : data.xTest.astype(dtype);
  const yTest = data.yTest.dtype === dtype ? data.yTest : data.yTest.astype(dtype);
  const metricNames = options.metrics ?? defaultMetrics(yTest);
  const book = net.profile.bookEarlyStopping;

  const batchesPerEpoch = Math.ceil(xTrain.shape[0] / batchSize);
  opt.setupDecay(epochs, batchesPerEpoch);
  if (startEpoch > 0) opt.fastForward(startEpoch);
  if (restart) {
    net.reset();
    opt.resetState();
    if (!net.profile.lazyReseedInit) {
      net.rng.seed(net.seed);
      net.build(xTrain.shape.slice(1));
    }
  }
  net.rng.seed(seed);

  const n = xTrain.shape[0];
  const xRow = xTrain.size / n;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (resume) {
    net.rng.setState(resume.rng);
    order.set(resume.order);
  }
  const yRow = yTrain.size / n;
  // One pair of batch buffers for the whole fit (no allocation per batch); on the WebAssembly
  // backend they live in the kernel arena, so the first layer's products read them in place.
  // A batch never holds more rows than there are: batchSize 1e8 allocated 1e8 rows.
  const bufferRows = Math.min(batchSize, n);
  const xBuf = residentData(bufferRows * xRow, xTrain.data);
  const yBuf = residentData(bufferRows * yRow, yTrain.data);
  for (const o of host.observers) o.onFitStart?.({ epochs, startEpoch, batchesPerEpoch, network: net });

  const evaluations: Evaluation[] = [];
  let bestLoss = resume ? resume.bestLoss : Infinity;
  let step = 0;
  let earlyStop: EarlyStop | undefined;
  let epochsRun = startEpoch;
  let interrupted = false;
  let lastModel: TensorData[] | null = null;
  let best: TensorData[] | null = resume?.best ? resume.best.weights.map((w) => w.slice()) : null;
  let bestEpoch = resume?.best ? resume.best.epoch : 0;

  // Observers may answer requests between an evaluation's chunks (the Probe tab's, while training).
  const afterChunk = (): void => {
    for (const o of host.observers) o.onInferenceChunk?.();
  };
  const evaluate = (epoch: number, batch?: number): Evaluation => {
    const { loss, prediction } = net.evaluate(xTest, yTest, afterChunk);
    const metrics = computeMetrics(metricNames, prediction, yTest);
    return { epoch, batch, loss, metrics, improved: loss < bestLoss };
  };

  epochLoop: for (let e = startEpoch; e < epochs; e++) {
    const epoch = e + 1;
    const evalThisEpoch = epoch % evalEvery === 0;
    if (evalThisEpoch && book && net.isBuilt) lastModel = net.snapshot();
    // The book reassigns X_train = X_train[perm] every epoch, so permutations compound; keep
    // the running order rather than permuting the original rows (needed for E3.x parity).
    const perm = net.rng.permutation(n);
    const prev = order.slice();
    for (let i = 0; i < n; i++) order[i] = prev[perm[i]];
    let lossSum = 0;
    const lr = opt.lr;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const start = b * batchSize;
      const rows = Math.min(batchSize, n - start);
      const xb = new Tensor(
        [rows, ...xTrain.shape.slice(1)],
        rows === bufferRows ? xBuf : xBuf.subarray(0, rows * xRow),
      );
      const yb = new Tensor(
        [rows, ...yTrain.shape.slice(1)],
        rows === bufferRows ? yBuf : yBuf.subarray(0, rows * yRow),
      );
      for (let r = 0; r < rows; r++) {
        const src = order[start + r];
        xb.data.set(xTrain.data.subarray(src * xRow, (src + 1) * xRow), r * xRow);
        yb.data.set(yTrain.data.subarray(src * yRow, (src + 1) * yRow), r * yRow);
      }
      const { loss, tape } = net.trainBatch(xb, yb);
      opt.beforeStep(e * batchesPerEpoch + b);
      opt.step(net.params());
      step++;
      lossSum += loss * rows;
      const midEvaluation = !!options.evalEveryBatches && b > 0 && b % options.evalEveryBatches === 0;
      const ev: BatchEnd = {
        epoch,
        batch: b,
        batchesPerEpoch,
        step,
        batchSize: rows,
        loss,
        lr: opt.lr,
        network: net,
        tape,
        input: xb,
        target: yb,
        interlude: midEvaluation,
      };
      for (const o of host.observers) o.onBatchEnd?.(ev);
      if (midEvaluation) {
        const mid = evaluate(epoch, b);
        for (const o of host.observers) o.onEvaluation?.({ ...mid, improved: false });
      }
      yield ev;
      if (host.stopRequested()) {
        interrupted = true;
        epochsRun = e;
        break epochLoop;
      }
    }
    epochsRun = epoch;
    for (const o of host.observers) o.onEpochEnd?.({ epoch, meanTrainLoss: lossSum / n, lr });

    if (evalThisEpoch) {
      const ev = evaluate(epoch);
      evaluations.push(ev);
      for (const o of host.observers) o.onEvaluation?.(ev);
      if (ev.improved) {
        bestLoss = ev.loss;
        best = net.snapshot();
        bestEpoch = epoch;
      } else if (earlyStopping) {
        if (book) {
          // The book restores the model as it was after e epochs, but reports metrics on the
          // network as trained: keep the weights, remember the snapshot as "best".
          best = lastModel;
          bestEpoch = e;
        } else if (best) {
          net.restore(best);
        }
        earlyStop = { epoch, bestLoss, restoredEpoch: bestEpoch };
        for (const o of host.observers) o.onEarlyStop?.(earlyStop);
        break;
      }
    }
    opt.decayLr();
    if (host.observers.some((o) => o.onEpochComplete)) {
      const state: TrainerState = {
        epoch,
        rng: net.rng.getState(),
        order: order.slice(),
        bestLoss,
        best: best ? { weights: best.map((w) => w.slice()), epoch: bestEpoch } : null,
      };
      for (const o of host.observers) o.onEpochComplete?.(state);
    }
  }
  host.clearStop();
  if (!best) {
    best = net.snapshot();
    bestEpoch = epochsRun;
  }
  host.keepBest(best, bestEpoch);
  const finalEval = net.evaluate(xTest, yTest, afterChunk);
  const result: FitResult = {
    evalLosses: evaluations.map((v) => v.loss),
    evaluations,
    metrics: computeMetrics(metricNames, finalEval.prediction, yTest),
    ...(metricNames.includes('accuracy')
      ? { classification: classificationReport(finalEval.prediction, yTest) }
      : regressionOf(finalEval.prediction, yTest)),
    epochsRun,
    steps: step,
    earlyStop,
    interrupted,
    bestLoss,
  };
  for (const o of host.observers) o.onFitEnd?.(result);
  return result;
}

/** The regression report as a FitResult field, absent for wide targets (autoencoders). */
function regressionOf(prediction: Tensor, yTest: Tensor): { regression?: RegressionReport } {
  const regression = regressionReport(prediction, yTest);
  return regression ? { regression } : {};
}
