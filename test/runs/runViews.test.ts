import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { findRuns } from '../../src/runs/runList';
import { groupLabel, groupRuns, runDescription, runLabel } from '../../src/runs/runGroups';
import { renameRun } from '../../src/runs/runRename';
import { compareRuns } from '../../src/runs/runComparison';
import { runBundle } from '../../src/runs/runBundle';
import { readRunRecord } from '../../src/runs/runRecord';
import { resumeFolderTarget } from '../../src/extension/resumeTarget';
import { tempDir } from '../helpers/tempDir';

/** A minimal run record as RunWriter leaves it (run.json, config.json, metrics.json, model.nn.json). */
function fakeRun(
  root: string,
  name: string,
  o: { model: string; startedAt: string; keepProb?: number; status?: string; pid?: number; epochs?: number },
): string {
  const modelFile = join(root, `${o.model}.nn.json`);
  const folder = join(root, '.glassbox', 'runs', name);
  mkdirSync(folder, { recursive: true });
  const n = o.epochs ?? 3;
  const info = {
    format: 'glassbox-run/1',
    status: o.status ?? 'complete',
    model: o.model,
    modelFile,
    pid: o.pid ?? 1,
    startedAt: o.startedAt,
    updatedAt: o.startedAt,
    epochs: n,
    epochsRun: n,
    checkpointEpoch: n,
    result: { evalLosses: [0.5], metrics: { accuracy: 0.912345 }, bestEpoch: n, bestLoss: 0.5 },
  };
  writeFileSync(join(folder, 'run.json'), JSON.stringify(info));
  const spec = {
    name: o.model,
    data: { type: 'mnist' },
    layers: [{ type: 'dense', units: 10, keepProb: o.keepProb ?? 1 }],
    optimizer: { type: 'sgd', lr: 0.1 },
    training: { epochs: n },
  };
  writeFileSync(join(folder, 'config.json'), JSON.stringify(spec));
  const epochs = Array.from({ length: n }, (_, i) => ({
    epoch: i + 1,
    meanTrainLoss: 1 / (i + 1),
    lr: 0.1,
    seconds: i,
  }));
  const evaluations = epochs.map((e) => ({
    epoch: e.epoch,
    loss: e.meanTrainLoss + 0.1,
    metrics: { accuracy: 0.8 + e.epoch / 100 },
    improved: true,
  }));
  writeFileSync(join(folder, 'metrics.json'), JSON.stringify({ epochs, evaluations }));
  writeFileSync(join(folder, 'model.nn.json'), '{}');
  return folder;
}

describe('Runs view: listing, grouping and sorting', () => {
  const root = tempDir();
  const a1 = fakeRun(root, '20261201-080000-E4.7', { model: 'E4.7', startedAt: '2026-12-01T08:00:00.000Z' });
  const b1 = fakeRun(root, '20261202-080000-E4.8', {
    model: 'E4.8',
    startedAt: '2026-12-02T08:00:00.000Z',
    keepProb: 0.8,
  });
  const a2 = fakeRun(root, '20261203-080000-E4.7', { model: 'E4.7', startedAt: '2026-12-03T08:00:00.000Z' });
  const broken = join(root, 'sub', '.glassbox', 'runs', 'broken');
  mkdirSync(broken, { recursive: true });
  writeFileSync(join(broken, 'run.json'), '{ not json');

  it('groups by model file, runs newest first, the most recently trained model first, unreadable last', () => {
    const groups = groupRuns(findRuns(root));
    assert.deepEqual(
      groups.map((g) => [groupLabel(g), g.runs.map((r) => r.folder)]),
      [
        ['E4.7.nn.json', [a2, a1]],
        ['E4.8.nn.json', [b1]],
        ['unreadable run records', [broken]],
      ],
    );
  });

  it('orders by start time, not by folder name', () => {
    const dir = tempDir();
    const late = fakeRun(dir, 'a-named-first', { model: 'm', startedAt: '2026-12-05T00:00:00.000Z' });
    const early = fakeRun(dir, 'z-named-last', { model: 'm', startedAt: '2026-12-04T00:00:00.000Z' });
    assert.deepEqual(
      groupRuns(findRuns(dir))[0].runs.map((r) => r.folder),
      [late, early],
    );
  });

  it('labels a run by model and start time, or by its display name; describes status, epochs and metrics', () => {
    const rec = readRunRecord(a1);
    assert.equal(runLabel(rec), 'E4.7 · 2026-12-01 08:00');
    assert.equal(runDescription(rec), 'complete · 3/3 epochs · accuracy 0.9123');
    renameRun(a1, '  baseline <b>\u0007 ');
    assert.equal(JSON.parse(readFileSync(join(a1, 'run.json'), 'utf8')).displayName, 'baseline <b>');
    assert.equal(runLabel(readRunRecord(a1)), 'baseline <b>');
    renameRun(a1, '');
    assert.equal(JSON.parse(readFileSync(join(a1, 'run.json'), 'utf8')).displayName, undefined);
    assert.equal(runLabel(readRunRecord(a1)), 'E4.7 · 2026-12-01 08:00');
  });

  it('a display name that is not a string is ignored; a running run cannot be renamed', () => {
    const dir = tempDir();
    const f = fakeRun(dir, 'r', { model: 'm', startedAt: '2026-12-05T00:00:00.000Z' });
    const info = JSON.parse(readFileSync(join(f, 'run.json'), 'utf8'));
    writeFileSync(join(f, 'run.json'), JSON.stringify({ ...info, displayName: { toString: 1 } }));
    assert.equal(runLabel(readRunRecord(f)), 'm · 2026-12-05 00:00');
    const live = fakeRun(dir, 'live', {
      model: 'm',
      startedAt: '2026-12-05T00:00:00.000Z',
      status: 'running',
      pid: process.pid,
    });
    assert.throws(() => renameRun(live, 'x'), /still training/);
  });
});

describe('compareRuns', () => {
  it('gives each run its curves and lists only the settings that differ (E4.7 vs E4.8: dropout)', () => {
    const root = tempDir();
    const a = fakeRun(root, 'a', { model: 'E4.7', startedAt: '2026-12-01T08:00:00.000Z' });
    const b = fakeRun(root, 'b', { model: 'E4.8', startedAt: '2026-12-02T08:00:00.000Z', keepProb: 0.8, epochs: 5 });
    const m = compareRuns([a, b, join(root, 'missing')]);
    assert.equal(m.runs.length, 2);
    assert.deepEqual(m.runs[0].train, [
      { x: 1, y: 1 },
      { x: 2, y: 0.5 },
      { x: 3, y: 1 / 3 },
    ]);
    assert.equal(m.runs[1].test.length, 5);
    assert.deepEqual(Object.keys(m.runs[1].metrics), ['accuracy']);
    assert.deepEqual(
      m.differences.map((d) => [d.path, d.values]),
      [
        ['name', ['"E4.7"', '"E4.8"']],
        ['layers[0].keepProb', ['1', '0.8']],
        ['training.epochs', ['3', '5']],
      ],
    );
    assert.equal(m.notes.length, 1);
    assert.match(m.notes[0], /^missing is left out/);
  });
});

describe('runBundle', () => {
  it('zips every file of the run under its folder name, leaving out temporary files', async () => {
    const root = tempDir();
    const f = fakeRun(root, '20261201-080000-E4.7', { model: 'E4.7', startedAt: '2026-12-01T08:00:00.000Z' });
    writeFileSync(join(f, 'final.gbw'), new Uint8Array([71, 76, 65, 83, 83, 66, 79, 88, 0, 255]));
    writeFileSync(join(f, 'run.json.tmp-1-2'), 'half');
    const files = unzipSync(await runBundle(f));
    assert.deepEqual(Object.keys(files).sort(), [
      '20261201-080000-E4.7/config.json',
      '20261201-080000-E4.7/final.gbw',
      '20261201-080000-E4.7/metrics.json',
      '20261201-080000-E4.7/model.nn.json',
      '20261201-080000-E4.7/run.json',
    ]);
    assert.equal(strFromU8(files['20261201-080000-E4.7/run.json']), readFileSync(join(f, 'run.json'), 'utf8'));
    assert.deepEqual([...files['20261201-080000-E4.7/final.gbw']], [71, 76, 65, 83, 83, 66, 79, 88, 0, 255]);
  });
});

describe("resumeFolderTarget (the Runs view's Resume)", () => {
  it('says a complete run or a run without a checkpoint has nothing to resume', () => {
    const root = tempDir();
    const done = fakeRun(root, 'done', { model: 'm', startedAt: '2026-12-01T08:00:00.000Z' });
    assert.match((resumeFolderTarget(done) as { nothing: string }).nothing, /done is complete/);
    const stopped = fakeRun(root, 'stopped', {
      model: 'm',
      startedAt: '2026-12-01T08:00:00.000Z',
      status: 'interrupted',
    });
    assert.match((resumeFolderTarget(stopped) as { nothing: string }).nothing, /stopped has no checkpoint/);
  });
});
