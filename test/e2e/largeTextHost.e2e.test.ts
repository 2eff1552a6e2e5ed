// The extension host stays responsive while it validates a model on a 150 MB text (issue 13): an
// in-host test (host/textScanSuite.ts) opens the model file, edits it five times and waits for the
// deep scan's diagnostic, measuring how long the host's main thread went without serving a 5 ms
// timer (busy, from /proc/thread-self/schedstat). The scan used to run on that thread.
import assert from 'node:assert/strict';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { makeWorkspace, repoRoot } from './glassboxSupport';
import { runExtensionHostTests } from './harness';

/** Kept equal to BAD_LINE in host/textScanSuite.ts. */
const BAD_LINE = 2_600_000;

test(
  "validating a model on a 150 MB text never keeps the host's event loop busy 200 ms",
  { timeout: 420_000 },
  async (t) => {
    const ws = makeWorkspace({
      'big.nn.json': JSON.stringify(
        {
          name: 'big',
          data: { type: 'text', path: 'big.txt', sequenceLength: 16 },
          layers: [{ type: 'rnn', hiddenSize: 8, name: 'recurrent' }],
          loss: 'sequenceSoftmaxCrossEntropy',
          optimizer: { type: 'adam', lr: 0.01 },
          training: { iterations: 10, batchSize: 4, evalEvery: 5 },
        },
        null,
        2,
      ),
    });
    try {
      // 150 MB of text (57-byte lines) whose line BAD_LINE starts with a byte that is not UTF-8.
      const fd = openSync(join(ws, 'examples', 'big.txt'), 'w');
      const line = Buffer.from('The quick brown fox jumps over the lazy dog. ünïcödé\n');
      const lines = Buffer.concat(Array(BAD_LINE - 1).fill(line));
      writeSync(fd, lines);
      writeSync(fd, Buffer.from([0xff]));
      writeSync(fd, lines.subarray(0, 150e6 - lines.length));
      closeSync(fd);
      const r = await runExtensionHostTests({
        workspace: ws,
        extensionDir: repoRoot,
        testsModule: join(__dirname, 'host', 'textScanSuite.js'),
        name: 'large text',
        timeout: 400_000,
      });
      const hostLines = r.console.filter((l) => l.includes('[host-test]')).join('\n');
      for (const l of r.console.filter((x) => /\[host-test\] big\.nn\.json/.test(x)))
        t.diagnostic(l.replace(/^.*\[host-test\] /, ''));
      assert.equal(r.exitCode, 0, `in-host tests failed; artifacts: ${r.artifactsDir}\n${hostLines}`);
      assert.match(hostLines, /large text: 1 passed, 0 failed/);
    } finally {
      rmSync(dirname(ws), { recursive: true, force: true });
    }
  },
);
