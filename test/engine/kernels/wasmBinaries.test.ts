import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', '..');

describe('wasmBinaries.ts', () => {
  it('is what scripts/buildWasm.mjs assembles from the .wat sources today (the committed file is not stale)', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'buildWasm.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
