import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestRunFolder, restoreFromRecord } from '../../src/extension/runRestore';
import { RunStore } from '../../src/extension/runStore';

describe('restoring a run from its record', () => {
  it('reports a record of another format instead of crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-old-'));
    const run = join(dir, '20250101-000000-old');
    mkdirSync(run);
    writeFileSync(
      join(run, 'run.json'),
      JSON.stringify({ format: 'glassbox-run/0', status: 'complete', modelFile: '/m.nn.json' }),
    );
    writeFileSync(join(run, 'config.json'), '{}');
    writeFileSync(join(run, 'model.nn.json'), '{}');
    writeFileSync(join(run, 'metrics.json'), '{"epochs":[],"evaluations":[]}');
    assert.equal(latestRunFolder(dir, '/m.nn.json'), run);
    assert.throws(
      () => restoreFromRecord(new RunStore('/m.nn.json'), run),
      /unsupported run record format 'glassbox-run\/0'/,
    );
  });
  it('finds nothing for a model without runs, and skips unreadable folders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-none-'));
    mkdirSync(join(dir, 'junk'));
    writeFileSync(join(dir, 'junk', 'run.json'), '{ not json');
    assert.equal(latestRunFolder(dir, '/m.nn.json'), undefined);
    assert.equal(latestRunFolder(join(dir, 'missing'), '/m.nn.json'), undefined);
  });
});
