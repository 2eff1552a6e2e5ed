// In-extension-host integration tests (vscode API, no UI), run by runExtensionHostTests in the
// real Node extension host of code-server. One server + browser per runExtensionHostTests call.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2ePaths, runExtensionHostTests } from './harness';

const fixtures = join(e2ePaths().repoRoot, 'test', 'e2e', 'fixtures');
const options = (suite: string) => ({
  workspace: join(fixtures, 'hello-workspace'),
  extensionDir: join(fixtures, 'hello-extension'),
  testsModule: join(__dirname, 'host', `${suite}.js`),
  name: `host ${suite}`,
});
const hostLines = (lines: string[]) => lines.filter((l) => l.includes('[host-test]')).join('\n');

test('in-host tests of the fixture extension pass', { timeout: 180_000 }, async () => {
  const r = await runExtensionHostTests(options('helloSuite'));
  assert.equal(r.exitCode, 0, `in-host tests failed; artifacts: ${r.artifactsDir}\n${hostLines(r.console)}`);
  assert.match(hostLines(r.console), /hello-extension: 4 passed, 0 failed/);
});

test('a failing in-host assertion gives a non-zero exit code and artifacts', { timeout: 180_000 }, async () => {
  const artifactsDir = mkdtempSync(join(tmpdir(), 'glassbox-e2e-artifacts-'));
  try {
    const r = await runExtensionHostTests({ ...options('failingSuite'), artifactsDir });
    assert.notEqual(r.exitCode, 0);
    assert.match(hostLines(r.console), /✖ deliberately failing › one plus one/);
    assert.ok(existsSync(join(artifactsDir, 'screenshot.png')) && existsSync(join(artifactsDir, 'vscode-logs')));
  } finally {
    rmSync(artifactsDir, { recursive: true, force: true });
  }
});
