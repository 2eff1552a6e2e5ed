import type { EpochEnd, Evaluation, TrainerState, TrainingObserver } from '../engine';

/** What metrics.json keeps of an epoch's (text: a round's) time, in seconds. */
export interface EpochTimes {
  /** Since this run (not the one it resumed) started, at the end of the epoch's last batch. */
  readonly seconds: number;
  /**
   * Training alone: the epoch's batches with everything that runs per batch (the trainer's
   * gathering, observers, progress, telemetry frames, the run record's bookkeeping), without
   * evaluations, text samples, checkpoints and pauses, which are timed apart.
   */
  readonly trainSeconds: number;
  /** Text models: generating the samples drawn during this round (0 for none). */
  readonly sampleSeconds: number;
}

/**
 * Splits a run's wall time into training, evaluation, sampling and checkpoints, from the
 * trainer's hooks alone (its schedules call them in a fixed order): an epoch's training runs
 * from the end of the previous epoch's bookkeeping (or the fit's start) to `onEpochEnd`; an
 * evaluation from `onEpochEnd` (mid-epoch: the batch before it, marked `interlude`) to
 * `onEvaluation`; a sample from the batch before it (`interlude`) to `onSample`. Register it before other observers, so that per-batch work
 * of later observers counts as training. `now` is in milliseconds.
 */
export class EpochClock {
  private readonly started: number;
  private epochStart: number;
  private lastMark: number;
  private excluded = 0;
  private sampled = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.started = this.epochStart = this.lastMark = now();
  }

  /** Time a front end held the run (the worker's pause): not training. */
  exclude(ms: number): void {
    this.excluded += ms;
  }

  /**
   * The observer that moves the clock: `epochEnd` and `evaluation` receive the figures to record,
   * `epochComplete` (checkpoints) runs before the next epoch's clock starts.
   */
  observer(hooks: {
    epochEnd(e: EpochEnd, times: EpochTimes): void;
    evaluation(e: Evaluation, seconds: number): void;
    epochComplete(state: TrainerState): void;
  }): TrainingObserver {
    return {
      onFitStart: () => this.restart(),
      // Only where an evaluation or a sample follows: the CPU clock's read is a system call.
      onBatchEnd: (e) => {
        if (e.interlude) this.lastMark = this.now();
      },
      onSample: () => {
        const ms = this.now() - this.lastMark;
        this.sampled += ms;
        this.excluded += ms;
        this.lastMark = this.now();
      },
      onEpochEnd: (e) => {
        const t = this.now();
        hooks.epochEnd(e, {
          seconds: (t - this.started) / 1000,
          trainSeconds: Math.max(0, t - this.epochStart - this.excluded) / 1000,
          sampleSeconds: this.sampled / 1000,
        });
        this.lastMark = t;
      },
      onEvaluation: (e) => {
        const t = this.now();
        const ms = t - this.lastMark;
        // A mid-epoch evaluation is not the epoch's training either.
        if (e.batch !== undefined) this.excluded += ms;
        hooks.evaluation(e, ms / 1000);
        this.lastMark = t;
      },
      onEpochComplete: (state) => {
        hooks.epochComplete(state);
        this.restart();
      },
    };
  }

  private restart(): void {
    this.epochStart = this.lastMark = this.now();
    this.excluded = 0;
    this.sampled = 0;
  }
}
