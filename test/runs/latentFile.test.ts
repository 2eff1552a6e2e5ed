import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLatentRecord } from '../../src/runs/latentFile';

describe("readLatentRecord (the Latent tab's source)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-latent-'));
  const write = (x: unknown) => writeFileSync(join(dir, 'latent.json'), JSON.stringify(x));
  const good = {
    format: 'glassbox-latent/1',
    layer: 'encoding',
    layerIndex: 1,
    width: 16,
    method: 'pca',
    rows: 3,
    points: [
      [0, 1],
      [2, 3],
      [4, 5],
    ],
    labels: [7, 2, 1],
    explainedVariance: [0.4, 0.2],
    seconds: 0.1,
  };

  it('returns undefined for a run without latent.json, and the record when it is well formed', () => {
    assert.equal(readLatentRecord(dir), undefined);
    write(good);
    assert.deepEqual(readLatentRecord(dir)?.labels, [7, 2, 1]);
  });

  it('names the file when the record is of another format, or its points or labels do not match its rows', () => {
    for (const bad of [
      { ...good, format: 'x/1' },
      { ...good, rows: 4 },
      { ...good, points: [[0, 1], [2, 3], [4]] },
      { ...good, labels: [1] },
      {
        ...good,
        points: [
          [0, 1],
          [2, null],
          [4, 5],
        ],
      },
    ]) {
      write(bad);
      assert.throws(
        () => readLatentRecord(dir),
        (e: Error) => e.message.includes(join(dir, 'latent.json')),
      );
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
