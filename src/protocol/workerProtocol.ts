/*
 * Host ↔ worker messages. The worker runs the engine for one training run; the extension host
 * starts it, steers it and forwards what it reports to webviews. Every message is a readonly
 * object with a string-literal `type`; handlers switch on it with an exhaustive `never` default.
 */
import type { RunSummary, TelemetryFrameMessage } from './telemetry';

//#region host → worker
export type ToWorker =
  /** Sent once after the worker starts: what to train. */
  | {
      readonly type: 'start';
      readonly runId: string;
      /** Absolute path of the model file; data paths resolve relative to it. */
      readonly modelPath: string;
      /** The model file's text as the editor has it (it may be unsaved). */
      readonly modelText: string;
      /** Folder where run records go (`<dir>/.glassbox/runs` by default). */
      readonly runsDir: string;
      /** Telemetry frames per second (0 disables telemetry). */
      readonly telemetryHz: number;
      /** Start paused (for step-by-step training). */
      readonly paused: boolean;
      /** Precision for a model file that does not set `precision` (the `glassbox.defaultPrecision` setting). */
      readonly defaultPrecision?: 'float32' | 'float64';
      /** Threads for float32 kernels (the `glassbox.threads` setting; 0 or absent: min(2, cores)). */
      readonly threads?: number;
    }
;
// Pause, resume, step (one batch, then pause), stop and the telemetry rate are not messages: they
// travel through a shared Int32Array passed as `workerData.control` (src/worker/controlWord.ts),
// because the worker's training loop is synchronous and must see them between batches.
//#endregion

//#region worker → host
export type FromWorker =
  /** The model was built and training is about to begin. */
  | { readonly type: 'started'; readonly runId: string; readonly runDir: string; readonly summary: RunSummary }
  /** Throttled progress (a few per second) and after every batch while stepping. */
  | {
      readonly type: 'progress';
      readonly epoch: number;
      readonly batch: number;
      readonly batchesPerEpoch: number;
      readonly epochs: number;
      readonly step: number;
      /** Mean training loss of the batches since the previous progress message. */
      readonly loss: number;
      readonly lr: number;
      readonly samplesPerSecond: number;
      readonly elapsedMs: number;
    }
  /** A test-set evaluation (every `evalEvery` epochs). */
  | {
      readonly type: 'evaluation';
      readonly epoch: number;
      readonly step: number;
      readonly loss: number;
      readonly metrics: Readonly<Record<string, number>>;
      readonly improved: boolean;
    }
  | { readonly type: 'epochEnd'; readonly epoch: number; readonly step: number; readonly meanTrainLoss: number; readonly lr: number }
  | { readonly type: 'telemetry'; readonly frame: TelemetryFrameMessage }
  | { readonly type: 'paused'; readonly step: number }
  | { readonly type: 'resumed' }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  /** Training failed; `done` with reason 'failed' follows once the run record is written. */
  | { readonly type: 'error'; readonly message: string; readonly stack?: string }
  /** Several of the above, in order: the worker sends reports at most every ~50 ms. */
  | { readonly type: 'batch'; readonly messages: readonly FromWorker[] }
  | {
      readonly type: 'done';
      readonly reason: 'finished' | 'earlyStopped' | 'stopped' | 'failed';
      readonly runDir: string;
      readonly evalLosses: readonly number[];
      readonly metrics: Readonly<Record<string, number>>;
      readonly epochsRun: number;
      readonly steps: number;
    };
//#endregion

export const WORKER_MESSAGE_TYPES: readonly FromWorker['type'][] = ['started', 'progress', 'evaluation', 'epochEnd', 'telemetry', 'paused', 'resumed', 'log', 'error', 'batch', 'done'];
