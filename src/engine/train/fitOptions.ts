import type { RandomStateSnapshot } from '../random/randomState';
import type { TensorData } from '../tensor/tensor';
import type { MetricName } from './metrics';

/*
 * What a fit is asked to do and what it needs to continue: shared by the Trainer, its schedules
 * and the observers, so none of them imports another for a type.
 */
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
   * counts iterations per round and `epochs` is not used (see textSchedule.ts).
   */
  text?: TextFitOptions;
}

/** How a character model trains (FitOptions.text); see textSchedule.ts. */
export interface TextFitOptions {
  /** Batches to train in all (the book's `num_iterations`). */
  iterations: number;
  /**
   * Characters between the starts of consecutive rows of a batch: 1 is the book's overlapping
   * windows (E6.1–E6.5), sequenceLength gives disjoint rows. Default: sequenceLength.
   */
  rowStride?: number;
  /** Generate a sample every this many iterations (and after the last one). 0: never. Default 100. */
  sampleEvery?: number;
  /** Characters per sample. Default 200 (the book). */
  sampleLength?: number;
  /** Text fed in before sampling. Default: the training character at the batch pointer (the book). */
  sampleSeedText?: string;
  /** Softmax temperature of the samples. Default 1. */
  sampleTemperature?: number;
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
