import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glassbox } from './cliProcess';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';

// File-system failures while writing a run record (issue 13): a clear message naming the problem,
// never "internal error" with a stack trace, and the record marked failed when it was started.
describe('disk errors', () => {
  it('a file in the way of the runs folder is a clear message (was an internal error)', () => {
    const dir = tempDir();
    const model = writeFile(dir, 'm.nn.json', bostonModel());
    writeFileSync(join(dir, '.glassbox'), 'not a folder');
    const r = glassbox(['train', model]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /cannot read or write the run record: a part of the path is a file, not a folder .*\[ENOTDIR\]/,
    );
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });

  // A real full disk: a 300 KiB tmpfs (needs root and mount; skipped with a message otherwise).
  const mountPoint = mkdtempSync(join(tmpdir(), 'glassbox-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', mountPoint]).status === 0;
  after(() => {
    if (mounted) spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });
  it(
    'a full disk mid-run: ENOSPC in words, exit 1, run.json marked failed',
    { skip: !mounted && 'cannot mount a tmpfs here' },
    () => {
      const model = join(mountPoint, 'm.nn.json');
      writeFileSync(model, bostonModel({ training: { epochs: 200, batchSize: 32, evalEvery: 1 } }));
      writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(260_000));
      const r = glassbox(['train', model]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /no space left on the device .*\[ENOSPC\]/);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      const runs = join(mountPoint, '.glassbox', 'runs');
      const info = JSON.parse(readFileSync(join(runs, readdirSync(runs)[0], 'run.json'), 'utf8')) as { status: string };
      assert.equal(info.status, 'failed');
    },
  );
});
