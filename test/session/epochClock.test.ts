import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochEnd, Evaluation, TrainerState, TrainingObserver } from '../../src/engine';
import { EpochClock, type EpochTimes } from '../../src/session/epochClock';

/** A clock the test moves by hand, in milliseconds. */
function manualClock() {
  let ms = 1000;
  return { now: () => ms, pass: (d: number) => (ms += d) };
}

const epochEnd = (epoch: number): EpochEnd => ({ epoch, meanTrainLoss: 1, lr: 0.1 });
const evaluation = (epoch: number, batch?: number): Evaluation => ({
  epoch,
  batch,
  loss: 1,
  metrics: {},
  improved: true,
});
const state = {} as TrainerState;

describe('EpochClock: an epoch’s training seconds, without evaluations, samples, checkpoints and pauses', () => {
  it('splits two rounds with a sample, an evaluation, a checkpoint and a pause each', () => {
    const c = manualClock();
    const clock = new EpochClock(c.now);
    const epochs: EpochTimes[] = [];
    const evals: number[] = [];
    const o: TrainingObserver = clock.observer({
      epochEnd: (_e, times) => epochs.push(times),
      evaluation: (_e, s) => evals.push(s),
      epochComplete: () => c.pass(300), // writing the checkpoint
    });
    c.pass(5000); // loading data before the fit starts
    o.onFitStart?.({ epochs: 2, startEpoch: 0, batchesPerEpoch: 2, network: undefined as never });
    for (const epoch of [1, 2]) {
      c.pass(100);
      o.onBatchEnd?.({ interlude: true } as never);
      c.pass(70); // a sample after the batch
      o.onSample?.({ iteration: epoch, epoch, seedText: 'a', temperature: 1, text: 'b' });
      c.pass(100);
      o.onBatchEnd?.({ interlude: true } as never);
      c.pass(20); // a mid-epoch evaluation
      o.onEvaluation?.(evaluation(epoch, 1));
      c.pass(100);
      clock.exclude(1000);
      c.pass(1000); // paused
      o.onBatchEnd?.({} as never);
      o.onEpochEnd?.(epochEnd(epoch));
      c.pass(400); // the round's evaluation
      o.onEvaluation?.(evaluation(epoch));
      o.onEpochComplete?.(state);
    }
    assert.deepEqual(
      epochs.map((e) => e.trainSeconds),
      [0.3, 0.3],
    );
    assert.deepEqual(
      epochs.map((e) => e.sampleSeconds),
      [0.07, 0.07],
    );
    assert.deepEqual(evals, [0.02, 0.4, 0.02, 0.4]);
    // Since the run started: 5 s of loading, round 1 (1.39 s), its evaluation and checkpoint (0.7 s), round 2.
    assert.deepEqual(
      epochs.map((e) => e.seconds),
      [6.39, 8.48],
    );
  });

  it('reads its clock only around what is not training, not once a batch (a CPU-time read is a system call)', () => {
    let reads = 0;
    const clock = new EpochClock(() => ++reads);
    const epochs: EpochTimes[] = [];
    const o = clock.observer({
      epochEnd: (_e, times) => epochs.push(times),
      evaluation: () => {},
      epochComplete: () => {},
    });
    o.onFitStart?.({ epochs: 1, startEpoch: 0, batchesPerEpoch: 1000, network: undefined as never });
    const before = reads;
    for (let b = 0; b < 1000; b++) o.onBatchEnd?.({ batch: b } as never);
    assert.equal(reads - before, 0, 'plain batches read the clock');
    o.onBatchEnd?.({ batch: 1000, interlude: true } as never);
    assert.equal(reads - before, 1);
    o.onEpochEnd?.(epochEnd(1));
    assert.equal(epochs.length, 1);
  });
});
