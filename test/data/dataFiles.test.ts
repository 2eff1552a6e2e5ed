import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFilesOf, isInside } from '../../src/data/dataFiles';
import { confinedFileAccess, nodeFileAccess } from '../../src/data/fileAccess';
import { validateModel } from '../../src/modelFile/validate';
import { tempDir, writeFile } from '../helpers/tempDir';

describe('what a model file reads, and confining it', () => {
  it('lists the user files of each data source, resolved against the model file', () => {
    assert.deepEqual(dataFilesOf({ type: 'boston' }, '/w/m.nn.json'), []);
    assert.deepEqual(
      dataFilesOf(
        { type: 'text', path: '../corpus.txt', sequenceLength: 8, validationFraction: 0.1 },
        '/w/a/m.nn.json',
      ),
      ['/w/corpus.txt'],
    );
  });

  it('isInside has no ../ escape', () => {
    assert.equal(isInside('/w', '/w/a/b.csv'), true);
    assert.equal(isInside('/w', '/w'), true);
    assert.equal(isInside('/w', '/w/../etc/passwd'), false);
    assert.equal(isInside('/w', '/wx/file'), false);
  });

  it('a confined file access refuses a data file outside the allowed folder before reading it', () => {
    const dir = tempDir();
    const inside = join(dir, 'ws');
    const model = writeFile(
      dir,
      'm.nn.json',
      JSON.stringify({
        data: { type: 'text', path: '/etc/hostname', sequenceLength: 2 },
        layers: [{ type: 'rnn', hiddenSize: 4 }],
        loss: 'sequenceSoftmaxCrossEntropy',
        optimizer: { type: 'sgd', lr: 0.1 },
        training: { iterations: 2, evalEvery: 1 },
      }),
    );
    const files = confinedFileAccess(nodeFileAccess, (p) => isInside(inside, p), 'outside the workspace');
    const r = validateModel(readFileSync(model, 'utf8'), model, {
      files,
    });
    const m = r.problems.map((p) => p.message);
    assert.ok(
      m.some((x) => x.includes('/etc/hostname') && x.includes('outside the workspace')),
      m.join('\n'),
    );
  });
});
