import { assertValue } from '../errors';
import { residentData } from '../kernels/residentTensor';
import type { NeuralNetwork } from '../network/neuralNetwork';
import type { Optimizer } from '../optim/optimizer';
import type { RandomStateSnapshot } from '../random/randomState';
import { Tensor, TensorData } from '../tensor/tensor';
import { isTextDataset } from '../text/textDataset';
import { checkDataset, Dataset } from './dataset';
import { computeMetrics, defaultMetrics, MetricName } from './metrics';
import type { BatchEnd, EarlyStop, Evaluation, FitResult, TrainingObserver } from './observer';
import { TextFitOptions, trainText } from './textTrainer';

export interface FitOptions {
  epochs: number;
  /** Rows per batch; the last batch of an epoch may be shorter. Default 32. */
  batchSize?: number;
  /** Evaluate on the test set every this many epochs. Default 10. */
  evalEvery?: number;
  /** Seed of the shared stream for shuffles (and, in the book profile, everything after). Default 1. */
  seed?: number;
  /** Stop when an evaluation is not better than the best so far. Default true (as the book). */
  earlyStopping?: boolean;
  /** Re-initialise the network before training. Default true; false continues a trained network. */
  restart?: boolean;
  /** Also evaluate every this many batches inside an epoch (the book's `conv_testing`). */
  evalEveryBatches?: number;
  /** Metrics to report; default accuracy for one-hot targets, MAE and RMSE otherwise. */
  metrics?: MetricName[];
  /** Epochs already trained (resume): training runs epochs startEpoch+1 .. epochs. */
  startEpoch?: number;
  /**
   * Continue exactly where an earlier fit left off: the state an `onEpochComplete` observer
   * received (implies startEpoch = resume.epoch; pass restart: false and restore the weights
   * and optimizer state first). Without it a resumed fit reseeds and reshuffles from scratch.
   */
  resume?: TrainerState;
  /**
   * Character models (a TextDataset): iterations, batch layout and samples. `evalEvery` then
   * counts iterations per round and `epochs` is not used (see textTrainer.ts).
   */
  text?: TextFitOptions;
}

/**
 * What, besides weights and optimizer state, a fit needs to continue bit for bit after `epoch`
 * completed epochs: the shared random stream, the compounding row order, and early stopping's
 * best loss and weights.
 */
export interface TrainerState {
  readonly epoch: number;
  readonly rng: RandomStateSnapshot;
  readonly order: Int32Array;
  readonly bestLoss: number;
  readonly best: { readonly weights: TensorData[]; readonly epoch: number } | null;
}

/**
 * The book's Trainer: per epoch, shuffle with the shared stream, train on mini-batches, and every
 * `evalEvery` epochs evaluate on the test set, stopping early when the loss stops improving.
 *
 * It runs as a generator (`steps()`), yielding after each batch, so a driver (CLI, worker) can
 * pause, single-step or stop between batches without threads; `fit()` drains it.
 *
 * Early stopping — modern: restore the weights of the best evaluation and report metrics on them.
 * Book profile (book-parity.md §6.4, every "stopped @k" row): the snapshot is taken at the start
 * of each evaluation epoch, i.e. after e epochs, and is kept as the "best" model; but the printed
 * accuracies come from the un-restored network, so the network is left as trained.
 */
export class Trainer {
  private stopRequested = false;
  private best: TensorData[] | null = null;
  private bestEpoch = 0;

  constructor(
    readonly network: NeuralNetwork,
    readonly optimizer: Optimizer,
    private readonly observers: TrainingObserver[] = [],
  ) {}

  addObserver(o: TrainingObserver): void {
    this.observers.push(o);
  }

  /** Asks the running fit to end after the current batch; the result has `interrupted: true`. */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** Weights kept as the best model by early stopping (null until an evaluation ran). */
  get bestWeights(): { weights: TensorData[]; epoch: number } | null {
    return this.best ? { weights: this.best, epoch: this.bestEpoch } : null;
  }

  fit(data: Dataset, options: FitOptions): FitResult {
    const it = this.steps(data, options);
    let r = it.next();
    while (!r.done) r = it.next();
    return r.value;
  }

  *steps(data: Dataset, options: FitOptions): Generator<BatchEnd, FitResult, void> {
    if (isTextDataset(data)) return yield* this.textSteps(data, options);
    checkDataset(data);
    const net = this.network;
    const epochs = options.epochs;
    const batchSize = options.batchSize ?? 32;
    const evalEvery = options.evalEvery ?? 10;
    const seed = options.seed ?? 1;
    const earlyStopping = options.earlyStopping ?? true;
    const restart = options.restart ?? true;
    const resume = options.resume;
    const startEpoch = options.startEpoch ?? resume?.epoch ?? 0;
    assertValue(
      Number.isInteger(epochs) && epochs > 0,
      () => `Trainer: epochs must be a positive integer, got ${epochs}`,
    );
    assertValue(
      Number.isInteger(batchSize) && batchSize > 0,
      () => `Trainer: batchSize must be a positive integer, got ${batchSize}`,
    );
    assertValue(
      Number.isInteger(evalEvery) && evalEvery > 0,
      () => `Trainer: evalEvery must be a positive integer, got ${evalEvery}`,
    );
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
    this.optimizer.setupDecay(epochs, batchesPerEpoch);
    if (startEpoch > 0) this.optimizer.fastForward(startEpoch);
    if (restart) {
      net.reset();
      this.optimizer.resetState();
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
    const xBuf = residentData(batchSize * xRow, xTrain.data);
    const yBuf = residentData(batchSize * yRow, yTrain.data);
    for (const o of this.observers) o.onFitStart?.({ epochs, startEpoch, batchesPerEpoch, network: net });

    const evaluations: Evaluation[] = [];
    let bestLoss = resume ? resume.bestLoss : Infinity;
    let step = 0;
    let earlyStop: EarlyStop | undefined;
    let epochsRun = startEpoch;
    let interrupted = false;
    let lastModel: TensorData[] | null = null;
    this.best = resume?.best ? resume.best.weights.map((w) => w.slice()) : null;
    if (resume?.best) this.bestEpoch = resume.best.epoch;

    const evaluate = (epoch: number, batch?: number): Evaluation => {
      const { loss, prediction } = net.evaluate(xTest, yTest);
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
      const lr = this.optimizer.lr;
      for (let b = 0; b < batchesPerEpoch; b++) {
        const start = b * batchSize;
        const rows = Math.min(batchSize, n - start);
        const xb = new Tensor(
          [rows, ...xTrain.shape.slice(1)],
          rows === batchSize ? xBuf : xBuf.subarray(0, rows * xRow),
        );
        const yb = new Tensor(
          [rows, ...yTrain.shape.slice(1)],
          rows === batchSize ? yBuf : yBuf.subarray(0, rows * yRow),
        );
        for (let r = 0; r < rows; r++) {
          const src = order[start + r];
          xb.data.set(xTrain.data.subarray(src * xRow, (src + 1) * xRow), r * xRow);
          yb.data.set(yTrain.data.subarray(src * yRow, (src + 1) * yRow), r * yRow);
        }
        const { loss, tape } = net.trainBatch(xb, yb);
        this.optimizer.beforeStep(e * batchesPerEpoch + b);
        this.optimizer.step(net.params());
        step++;
        lossSum += loss * rows;
        const ev: BatchEnd = {
          epoch,
          batch: b,
          batchesPerEpoch,
          step,
          batchSize: rows,
          loss,
          lr: this.optimizer.lr,
          network: net,
          tape,
          input: xb,
          target: yb,
        };
        for (const o of this.observers) o.onBatchEnd?.(ev);
        if (options.evalEveryBatches && b > 0 && b % options.evalEveryBatches === 0) {
          const mid = evaluate(epoch, b);
          for (const o of this.observers) o.onEvaluation?.({ ...mid, improved: false });
        }
        yield ev;
        if (this.stopRequested) {
          interrupted = true;
          epochsRun = e;
          break epochLoop;
        }
      }
      epochsRun = epoch;
      for (const o of this.observers) o.onEpochEnd?.({ epoch, meanTrainLoss: lossSum / n, lr });

      if (evalThisEpoch) {
        const ev = evaluate(epoch);
        evaluations.push(ev);
        for (const o of this.observers) o.onEvaluation?.(ev);
        if (ev.improved) {
          bestLoss = ev.loss;
          this.best = net.snapshot();
          this.bestEpoch = epoch;
        } else if (earlyStopping) {
          if (book) {
            // The book restores the model as it was after e epochs, but reports metrics on the
            // network as trained: keep the weights, remember the snapshot as "best".
            this.best = lastModel;
            this.bestEpoch = e;
          } else if (this.best) {
            net.restore(this.best);
          }
          earlyStop = { epoch, bestLoss, restoredEpoch: this.bestEpoch };
          for (const o of this.observers) o.onEarlyStop?.(earlyStop);
          break;
        }
      }
      this.optimizer.decayLr();
      if (this.observers.some((o) => o.onEpochComplete)) {
        const state: TrainerState = {
          epoch,
          rng: net.rng.getState(),
          order: order.slice(),
          bestLoss,
          best: this.best ? { weights: this.best.map((w) => w.slice()), epoch: this.bestEpoch } : null,
        };
        for (const o of this.observers) o.onEpochComplete?.(state);
      }
    }
    this.stopRequested = false;
    if (!this.best) {
      this.best = net.snapshot();
      this.bestEpoch = epochsRun;
    }
    const finalEval = net.evaluate(xTest, yTest);
    const result: FitResult = {
      evalLosses: evaluations.map((v) => v.loss),
      evaluations,
      metrics: computeMetrics(metricNames, finalEval.prediction, yTest),
      epochsRun,
      steps: step,
      earlyStop,
      interrupted,
      bestLoss,
    };
    for (const o of this.observers) o.onFitEnd?.(result);
    return result;
  }

  /** A character model: the book's RNNTrainer loop (textTrainer.ts), reporting to the same observers. */
  private textSteps(data: Parameters<typeof trainText>[1], options: FitOptions): Generator<BatchEnd, FitResult, void> {
    return trainText(
      {
        network: this.network,
        optimizer: this.optimizer,
        observers: this.observers,
        stopRequested: () => this.stopRequested,
        clearStop: () => {
          this.stopRequested = false;
        },
        keepBest: (weights, epoch) => {
          this.best = weights;
          this.bestEpoch = epoch;
        },
      },
      data,
      options,
    );
  }
}
