import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../src/protocol/telemetry';
import { pngBytes, writeImageFolder } from '../helpers/imageFolderFixture';
import { tempDir, writeFile } from '../helpers/tempDir';
import { glassbox } from './cliProcess';

/** A small CNN on [1, 8, 8] images of three classes. */
export function imageFolderModel(path = 'shapes'): string {
  return JSON.stringify(
    {
      name: 'shapes',
      profile: 'modern',
      precision: 'float32',
      seed: 1,
      data: { type: 'imageFolder', path, imageShape: [1, 8, 8], testFraction: 0.25, layout: 'image' },
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
      loss: 'softmaxCrossEntropy',
      optimizer: { type: 'adam', lr: 0.01 },
      training: { epochs: 12, batchSize: 8, evalEvery: 12 },
    },
    null,
    2,
  );
}

interface Event {
  event: string;
  metrics: Record<string, number>;
  run: string;
}

describe('glassbox train on an image folder', () => {
  it('trains a tiny CNN on PNG and JPEG files of three classes to better than chance; the summary names the classes', () => {
    const dir = tempDir();
    writeImageFolder(join(dir, 'shapes'), 12);
    const file = writeFile(dir, 'shapes.nn.json', imageFolderModel());
    const r = glassbox(['train', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Event);
    const evals = lines.filter((l) => l.event === 'evaluation');
    const accuracy = evals[evals.length - 1].metrics.accuracy;
    // Chance is 1/3 on the 9 test images; the classes differ in brightness and stripes.
    assert.ok(accuracy >= 0.8, `test accuracy ${accuracy}`);
    const done = lines[lines.length - 1];
    assert.equal(done.event, 'done');
    const summary = JSON.parse(readFileSync(join(done.run, 'summary.json'), 'utf8')) as RunSummary;
    assert.deepEqual(summary.classNames, ['dark', 'light', 'stripes']);
    assert.deepEqual([summary.trainRows, summary.testRows], [27, 9]);
    // PyTorch export: the model, weights and verify.py on the prepared test images, but no train.py.
    const out = join(dir, 'py');
    const e = glassbox(['export', file, '--pytorch', out]);
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stdout, /no train\.py: the data is an image folder/);
    assert.ok(existsSync(join(out, 'verify_inputs.npy')) && existsSync(join(out, 'model.py')));
    assert.ok(!existsSync(join(out, 'train.py')));
  });

  it('validate names a corrupt image with its path, and a folder of one class at the path line', () => {
    const dir = tempDir();
    writeImageFolder(join(dir, 'shapes'), 3);
    writeFileSync(join(dir, 'shapes', 'light', 'broken.png'), pngBytes(4, 4, new Uint8Array(64)).subarray(0, 40));
    const file = writeFile(dir, 'shapes.nn.json', imageFolderModel());
    const r = glassbox(['validate', file]);
    assert.equal(r.code, 1);
    const broken = join(dir, 'shapes', 'light', 'broken.png');
    // The path value is on line 8 of the file, column 13 (1-based).
    assert.ok(
      r.stderr.includes(
        `${file}:8:13: ${join(dir, 'shapes')}: 1 of 10 images cannot be used; fix or remove them:\n${broken}: cannot decode the PNG image`,
      ),
      r.stderr,
    );
    const one = writeFile(dir, 'one.nn.json', imageFolderModel('shapes/dark'));
    const r1 = glassbox(['validate', one]);
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, /one\.nn\.json:8:13: shapes\/dark has no subfolders/);
  });
});
