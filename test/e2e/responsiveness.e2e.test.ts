// The extension host stays responsive while a model trains: an in-host test (host/responsivenessSuite.ts)
// measures the host's event-loop delay during two real training runs started with the real command.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { example, makeWorkspace, repoRoot, variant } from './glassboxSupport';
import { runExtensionHostTests } from './harness';

test(
  "the extension host's main thread never keeps its event loop busy 50 ms while a model trains",
  { timeout: 420_000 },
  async (t) => {
    const ws = makeWorkspace({
      // Both train far longer than the suite measures (it stops them after 8 s with the Stop command).
      'mnist-short.nn.json': variant(example('mnist-mlp.nn.json'), 1000, 'mnist-short'),
      // The heaviest telemetry: conv feature maps and the probe's op graph in every frame.
      'cnn-long.nn.json': variant(example('mnist-cnn.nn.json'), 1000, 'cnn-long'),
      // 100,000 epochs of 12 small batches, an evaluation every 10; no early stopping.
      'E3.3-long.nn.json': variant(example('E3.3.nn.json'), 100000, 'E3.3-long').replace(
        '"evalEvery": 10,',
        '"evalEvery": 10, "earlyStopping": false,',
      ),
    });
    try {
      const r = await runExtensionHostTests({
        workspace: ws,
        extensionDir: repoRoot,
        testsModule: join(__dirname, 'host', 'responsivenessSuite.js'),
        name: 'host responsiveness',
        timeout: 400_000,
      });
      const lines = r.console.filter((l) => l.includes('[host-test]')).join('\n');
      for (const l of r.console.filter((x) => /\[host-test\] \S+\.nn\.json: /.test(x)))
        t.diagnostic(l.replace(/^.*\[host-test\] /, ''));
      assert.equal(r.exitCode, 0, `in-host tests failed; artifacts: ${r.artifactsDir}\n${lines}`);
      assert.match(lines, /responsiveness: 3 passed, 0 failed/);
    } finally {
      rmSync(dirname(ws), { recursive: true, force: true });
    }
  },
);
