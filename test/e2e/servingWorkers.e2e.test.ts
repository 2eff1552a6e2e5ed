// Finished runs' workers stay to answer probes (Probe tab, typed text), at most two at once across
// model files: an in-host test (host/servingSuite.ts) trains three model files in a row in the real
// extension host and checks that the oldest serving worker ended.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { example, makeWorkspace, repoRoot } from './glassboxSupport';
import { runExtensionHostTests } from './harness';

test('at most two finished runs keep their workers to answer probes', { timeout: 420_000 }, async () => {
  const e33 = example('E3.3.nn.json');
  const ws = makeWorkspace({ 'a.nn.json': e33, 'b.nn.json': e33, 'c.nn.json': e33 });
  try {
    const r = await runExtensionHostTests({
      workspace: ws,
      extensionDir: repoRoot,
      testsModule: join(__dirname, 'host', 'servingSuite.js'),
      name: 'host serving',
      timeout: 400_000,
    });
    const lines = r.console.filter((l) => l.includes('[host-test]')).join('\n');
    assert.equal(r.exitCode, 0, `in-host tests failed; artifacts: ${r.artifactsDir}\n${lines}`);
    assert.match(lines, /serving: 1 passed, 0 failed/);
  } finally {
    rmSync(dirname(ws), { recursive: true, force: true });
  }
});
