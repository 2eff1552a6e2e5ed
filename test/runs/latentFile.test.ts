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
    const images = { height: 8, width: 8, levels: 16, data: Buffer.alloc(3 * 32, 0x5a).toString('base64') };
    write({ ...good, images });
    assert.deepEqual(readLatentRecord(dir)?.images, images);
  });

  it('names the file when the record is of another format, or its points or labels do not match its rows', () => {
    for (const bad of [
      { ...good, format: 'x/1' },
      { ...good, rows: 4 },
      { ...good, points: [[0, 1], [2, 3], [4]] },
      { ...good, labels: [1] },
      // Images: one packed 8×8 image (32 bytes) per row, else refused.
      { ...good, images: { height: 8, width: 8, levels: 16, data: Buffer.alloc(2 * 32).toString('base64') } },
      { ...good, images: { height: 8, width: 8, levels: 256, data: Buffer.alloc(3 * 32).toString('base64') } },
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
