import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resumeTarget } from '../../src/extension/resumeTarget';
import type { ModelSpec } from '../../src/modelFile/spec';
import { validateModel } from '../../src/modelFile/validate';
import { RunWriter } from '../../src/runs/runRecord';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';

/** Sets run.json's fields as a finished, stopped or killed run would have left them. */
function setInfo(folder: string, fields: Record<string, unknown>): void {
  const file = join(folder, 'run.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...fields }));
}

describe('Resume Training: which run it continues', () => {
  const dir = tempDir();
  const text = bostonModel();
  const modelPath = writeFile(dir, 'tiny.nn.json', text);
  const spec = validateModel(text, modelPath).spec as ModelSpec;
  const runsDir = join(dir, 'runs');
  const record = (at: string) => RunWriter.create(modelPath, spec, text, { runsDir, now: new Date(at) }).folder;

  it('says so when the model has no run record', () => {
    assert.match(
      (resumeTarget(runsDir, modelPath) as { nothing: string }).nothing,
      /nothing to resume: tiny\.nn\.json has no run record yet/,
    );
  });

  it('continues the last run when it was stopped, killed or failed, and not when it is complete or still running', () => {
    const first = record('2026-01-01T00:00:00Z');
    setInfo(first, { status: 'interrupted', checkpointEpoch: 2 });
    // Two trained epochs without their checkpoint cannot be continued (a restart would claim them).
    assert.match((resumeTarget(runsDir, modelPath) as { nothing: string }).nothing, /checkpoint\.gbw is missing/);
    writeFileSync(join(first, 'checkpoint.gbw'), 'a checkpoint (resumeTarget only plans; it does not read it)');
    assert.deepEqual(resumeTarget(runsDir, modelPath), { folder: first });
    setInfo(first, { status: 'running', pid: 2 ** 22 + 12345 }); // no such process: killed
    assert.deepEqual(resumeTarget(runsDir, modelPath), { folder: first });
    setInfo(first, { status: 'failed' });
    assert.deepEqual(resumeTarget(runsDir, modelPath), { folder: first });

    // A newer record of this process, still running: refused, as the CLI refuses it.
    const second = record('2026-01-02T00:00:00Z');
    assert.match((resumeTarget(runsDir, modelPath) as { nothing: string }).nothing, /still running/);
    // Complete: an older stopped run behind it is not picked up.
    setInfo(second, { status: 'complete', checkpointEpoch: 5, epochsRun: 5 });
    assert.match(
      (resumeTarget(runsDir, modelPath) as { nothing: string }).nothing,
      /the last run of tiny\.nn\.json \(\d{8}-\d{6}-tiny\) is complete/,
    );
  });
});
