import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { progressText } from '../../src/protocol/progressText';

const at = (epoch: number, batch: number, epochs: number, batchesPerEpoch: number) => ({
  epoch,
  batch,
  epochs,
  batchesPerEpoch,
  step: 0,
  loss: 1.23456,
  samplesPerSecond: 0,
  elapsedMs: 0,
});

describe('progress text (status bar, progress notification)', () => {
  it('a text model counts iterations, not epochs of rounds (issue 12: "epoch 6/6 · batch 50/50")', () => {
    // char-lstm: 300 iterations in rounds of 50; the last batch of the last round.
    const last = progressText(at(6, 49, 6, 50), { dataset: 'text' });
    assert.equal(last.text, 'iteration 300/300 · loss 1.235 · 100%');
    assert.doesNotMatch(last.text, /epoch|batch/);
    assert.equal(progressText(at(3, 9, 6, 50), { dataset: 'text' }).where, 'iteration 110/300');
  });
  it('other models count epochs; the percentage never passes 100', () => {
    assert.equal(progressText(at(2, 249, 2, 250), { dataset: 'mnist-sample' }).text, 'epoch 2/2 · loss 1.235 · 100%');
    assert.equal(progressText(at(1, 124, 2, 250), undefined).text, 'epoch 1/2 · loss 1.235 · 25%');
  });
});
