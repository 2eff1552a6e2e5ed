import type { NeuralNetwork } from '../network/neuralNetwork';
import type { Optimizer } from '../optim/optimizer';
import type { TensorData } from '../tensor/tensor';
import type { Dataset } from './dataset';
import type { FitOptions } from './fitOptions';
import type { BatchEnd, FitResult, TrainingObserver } from './observer';

/** What a schedule needs from the Trainer that runs it. */
export interface ScheduleHost {
  readonly network: NeuralNetwork;
  readonly optimizer: Optimizer;
  readonly observers: readonly TrainingObserver[];
  /** True once a driver asked the fit to end after the current batch. */
  stopRequested(): boolean;
  clearStop(): void;
  /** The weights the fit keeps as its best model (the Trainer's `bestWeights`). */
  keepBest(weights: TensorData[], epoch: number): void;
}

/**
 * How a fit walks its data: which batches in which order, when to evaluate, checkpoint and stop.
 * The Trainer picks the first schedule that accepts the dataset (epochSchedule.ts: shuffled
 * epochs of rows; textSchedule.ts: rounds of iterations over a text). Both report to the same
 * observers and yield after every batch, so every driver (CLI, worker, tests) steps either alike.
 */
export interface TrainingSchedule<D extends Dataset = Dataset> {
  readonly name: string;
  accepts(data: Dataset): data is D;
  run(host: ScheduleHost, data: D, options: FitOptions): Generator<BatchEnd, FitResult, void>;
}
