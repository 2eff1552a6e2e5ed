import type { ClassificationReport } from './classificationReport';
import type { RegressionReport } from './regressionReport';
import type { NetworkTape, NeuralNetwork } from '../network/neuralNetwork';
import type { Tensor } from '../tensor/tensor';
import type { TrainerState } from './fitOptions';

/** Sent after every training batch. Epochs are 1-based, batches 0-based within their epoch. */
export interface BatchEnd {
  readonly epoch: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  /** Global step count since the start of this fit (1 after the first batch). */
  readonly step: number;
  readonly batchSize: number;
  /** Training-mode loss on this batch, before the optimizer step. */
  readonly loss: number;
  readonly lr: number;
  readonly network: NeuralNetwork;
  /** The forward record of this batch; parameter grads are on `network.params()` until the next batch. */
  readonly tape: NetworkTape;
  /** This batch's inputs and targets: the Trainer reuses their buffers, so they are valid until the next batch. */
  readonly input: Tensor;
  readonly target: Tensor;
  /**
   * Something other than training runs right after this batch's observers: a mid-epoch evaluation
   * or a text sample. Clocks that split training from the rest read their time here, and only
   * here: a CPU-time read per batch (a system call) cost 6% of W1's epoch.
   */
  readonly interlude?: boolean;
}

export interface Evaluation {
  readonly epoch: number;
  /** Set for mid-epoch evaluations (`evalEveryBatches`). */
  readonly batch?: number;
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** True when this evaluation beat every earlier one. */
  readonly improved: boolean;
}

export interface EpochEnd {
  readonly epoch: number;
  readonly meanTrainLoss: number;
  /** Learning rate used during this epoch. */
  readonly lr: number;
}

export interface EarlyStop {
  /** Epoch whose evaluation got worse. */
  readonly epoch: number;
  readonly bestLoss: number;
  /** Epoch count of the weights restored as the "best" model. */
  readonly restoredEpoch: number;
}

/** A generated text sample (text models: every `sampleEvery` iterations and at the end). */
export interface TextSample {
  /** 1-based iteration (batch) count of the whole run after which the sample was drawn. */
  readonly iteration: number;
  /** The round ("epoch" of `evalEvery` iterations) it belongs to, 1-based. */
  readonly epoch: number;
  /** The text fed in before sampling; `text` continues it. */
  readonly seedText: string;
  readonly temperature: number;
  readonly text: string;
}

export interface FitStart {
  readonly epochs: number;
  readonly startEpoch: number;
  readonly batchesPerEpoch: number;
  readonly network: NeuralNetwork;
}

export interface FitResult {
  /** Every evaluation loss in order (the last is the one that triggered an early stop, if any). */
  readonly evalLosses: number[];
  readonly evaluations: Evaluation[];
  /** Final metrics on the test set (see Trainer for which model they describe). */
  readonly metrics: Record<string, number>;
  readonly epochsRun: number;
  readonly steps: number;
  readonly earlyStop?: EarlyStop;
  /** True when a driver stopped the run before it finished. */
  readonly interrupted: boolean;
  readonly bestLoss: number;
  /** Classifiers (the accuracy metric): confusion matrix, per-class precision/recall, worst mistakes. */
  readonly classification?: ClassificationReport;
  /** A regression model's (no accuracy metric, at most 8 target columns) predicted vs actual on the test set. */
  readonly regression?: RegressionReport;
}

/**
 * Listens to training. The trainer calls whichever hooks are present and never knows who is
 * listening (CLI progress, worker telemetry, tests). Hooks must not mutate the network.
 */
export interface TrainingObserver {
  onFitStart?(e: FitStart): void;
  onBatchEnd?(e: BatchEnd): void;
  onEvaluation?(e: Evaluation): void;
  onEpochEnd?(e: EpochEnd): void;
  onEarlyStop?(e: EarlyStop): void;
  /**
   * After an epoch that did not end the fit (no early stop, no interrupt), once its evaluation
   * and lr decay are done: the state `FitOptions.resume` takes to continue exactly from here.
   */
  onEpochComplete?(state: TrainerState): void;
  onFitEnd?(r: FitResult): void;
  /**
   * Between the chunks of rows an evaluation on the test set runs through the network, and after
   * its last: a driver may answer a request there (the Probe tab's) instead of waiting for the
   * whole evaluation. Inference on the network only: no weight, state or random draw may change.
   */
  onInferenceChunk?(): void;
  /** Text models: a sample generated from the model as trained so far. */
  onSample?(s: TextSample): void;
}
