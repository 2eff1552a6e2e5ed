import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', '..');

describe('wasmBinaries.ts and the generated files it merges (gemmBinaries.ts, convBinaries.ts, …)', () => {
  it('are what scripts/buildWasm.mjs assembles from the .wat sources today (no committed file is stale)', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'buildWasm.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
