import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LatentRecord } from '../../src/runs/latentRecord';
import { REPO, tempDir } from '../helpers/tempDir';
import { glassbox } from './cliProcess';

/** The fields this test reads from `train --json` events (each event has some of them). */
interface Event {
  event: string;
  meanTrainLoss: number;
  loss: number;
  metrics: Record<string, number>;
  run: string;
  layer: string;
  method: string;
  rows: number;
  width: number;
  file: string;
}

describe('glassbox train: the quick autoencoder example', () => {
  it('trains examples/mnist-autoencoder.nn.json: the reconstruction loss falls and latent.json holds 2,000 labelled 2-D points', () => {
    const dir = tempDir();
    const file = join(dir, 'mnist-autoencoder.nn.json');
    copyFileSync(join(REPO, 'examples', 'mnist-autoencoder.nn.json'), file);
    const r = glassbox(['train', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Event);
    const epochs = lines.filter((l) => l.event === 'epoch');
    const evals = lines.filter((l) => l.event === 'evaluation');
    assert.equal(epochs.length, 2);
    assert.ok(epochs[1].meanTrainLoss < epochs[0].meanTrainLoss, `train loss ${epochs.map((e) => e.meanTrainLoss)}`);
    // Predicting the mean test digit for every digit scores about 0.27 on these [−1, 1] pixels.
    assert.ok(evals[1].loss < 0.2 && evals[1].loss < evals[0].loss, `test loss ${evals.map((e) => e.loss)}`);
    assert.deepEqual(Object.keys(evals[1].metrics), ['mse', 'mae']);

    const latent = lines.find((l) => l.event === 'latent');
    assert.ok(latent, 'a latent event before done');
    assert.deepEqual(
      [latent.layer, latent.method, latent.rows, latent.width, latent.file],
      ['encoding', 'pca', 2000, 16, 'latent.json'],
    );
    const done = lines[lines.length - 1];
    assert.equal(done.event, 'done');
    const record = JSON.parse(readFileSync(join(done.run, 'latent.json'), 'utf8')) as LatentRecord;
    assert.equal(record.format, 'glassbox-latent/1');
    assert.equal(record.points.length, 2000);
    assert.ok(record.points.every((p) => p.length === 2 && p.every(Number.isFinite)));
    assert.equal(record.labels?.length, 2000);
    assert.deepEqual([...new Set(record.labels)].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [a, b] = record.explainedVariance ?? [0, 0];
    assert.ok(a >= b && b > 0 && a + b <= 1, `explained variance ${a}, ${b}`);
    assert.ok(existsSync(join(done.run, 'final.gbw')));
  });
});
