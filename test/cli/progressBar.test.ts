import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, renderProgress } from '../../src/cli/progressBar';

describe('the CLI progress line', () => {
  const base = {
    epoch: 3,
    epochs: 50,
    batch: 500,
    batchesPerEpoch: 1000,
    loss: 0.34211,
    examplesPerSecond: 1234.4,
    etaSeconds: 133,
  };

  it('shows epoch and batch for an epoch-based model', () => {
    assert.equal(
      renderProgress(base, 10),
      'epoch 3/50 [#####-----] batch 500/1000  loss 0.3421  1,234 ex/s  ETA 2m13s',
    );
  });

  it('shows iterations, not epochs, for a text model (its rounds are not epochs to the user)', () => {
    assert.equal(
      renderProgress({ ...base, iteration: { done: 150, total: 600 } }, 8),
      'iteration 150/600 [##------]  loss 0.3421  1,234 ex/s  ETA 2m13s',
    );
  });

  it('formats durations', () => {
    assert.deepEqual(
      [formatDuration(45), formatDuration(187), formatDuration(3720), formatDuration(NaN)],
      ['45s', '3m07s', '1h02m', '--'],
    );
  });
});
