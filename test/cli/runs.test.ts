import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeFile } from '../helpers/tempDir';
import { glassbox } from './cliProcess';

describe('glassbox runs and compare', () => {
  const dir = tempDir();
  const e33 = readFileSync(join('examples', 'E3.3.nn.json'), 'utf8').replace(/"epochs": \d+/, '"epochs": 10');
  const a = writeFile(dir, 'plain.nn.json', e33.replace(/"name": "[^"]*"/, '"name": "plain"'));
  const b = writeFile(
    dir,
    'faster.nn.json',
    e33.replace(/"name": "[^"]*"/, '"name": "faster"').replace('"lr": 0.01', '"lr": 0.05'),
  );
  const runsOf = () =>
    readdirSync(join(dir, '.glassbox', 'runs'))
      .sort()
      .map((f) => join(dir, '.glassbox', 'runs', f));

  it('lists every run under a folder, grouped by model file, with status, epochs and final results', () => {
    for (const f of [a, b]) assert.equal(glassbox(['train', f]).code, 0);
    const r = glassbox(['runs', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /plain\.nn\.json\n/);
    assert.match(r.stdout, /faster\.nn\.json\n/);
    assert.equal((r.stdout.match(/ complete +10\/10 +test loss \d/g) ?? []).length, 2, r.stdout);
    assert.match(r.stdout, /\n2 runs\n$/);
    const empty = glassbox(['runs', tempDir()]);
    assert.match(empty.stdout, /^no run records under /);
  });

  it('compares runs: the settings that differ and the final results side by side', () => {
    const [r1, r2] = runsOf();
    const r = glassbox(['compare', r1, r2]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const row = (name: string) => lines.find((l) => l.startsWith(name)) ?? '';
    assert.match(row('name'), /^name +(plain|faster) +(plain|faster)$/);
    assert.match(row('optimizer.lr'), /^optimizer\.lr +0\.0[15] +0\.0[15]$/);
    assert.equal(row('layers'), '', 'a setting both share is listed');
    assert.match(row('test loss'), /^test loss +\d+\.\d+ +\d+\.\d+$/);
    assert.match(row('epochs run'), /^epochs run +10\/10 +10\/10$/);
    assert.equal(glassbox(['compare', r1]).code, 2);
    const bad = glassbox(['compare', r1, dir]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a run record/);
  });
});
