import type { NeuralNetwork } from '../network/neuralNetwork';
import type { Optimizer } from '../optim/optimizer';
import type { TensorData } from '../tensor/tensor';
import type { Dataset } from './dataset';
import { epochSchedule } from './epochSchedule';
import type { FitOptions } from './fitOptions';
import type { BatchEnd, FitResult, TrainingObserver } from './observer';
import { textSchedule } from './textSchedule';
import type { ScheduleHost, TrainingSchedule } from './trainingSchedule';

/** The schedules a Trainer knows, most specific first: the first that accepts the dataset runs. */
const SCHEDULES: readonly TrainingSchedule[] = [textSchedule, epochSchedule];

/**
 * Trains a network with an optimizer and reports to observers. How the data is walked is the
 * schedule's (trainingSchedule.ts): shuffled epochs of rows (epochSchedule.ts) or rounds of
 * iterations over a text (textSchedule.ts).
 *
 * It runs as a generator (`steps()`), yielding after each batch, so a driver (CLI, worker) can
 * pause, single-step or stop between batches without threads; `fit()` drains it.
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

  /** Weights kept as the best model by early stopping (null until a fit ended). */
  get bestWeights(): { weights: TensorData[]; epoch: number } | null {
    return this.best ? { weights: this.best, epoch: this.bestEpoch } : null;
  }

  fit(data: Dataset, options: FitOptions): FitResult {
    const it = this.steps(data, options);
    let r = it.next();
    while (!r.done) r = it.next();
    return r.value;
  }

  steps(data: Dataset, options: FitOptions): Generator<BatchEnd, FitResult, void> {
    const schedule = SCHEDULES.find((s) => s.accepts(data)) ?? epochSchedule;
    const host: ScheduleHost = {
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
    };
    return schedule.run(host, data, options);
  }
}
