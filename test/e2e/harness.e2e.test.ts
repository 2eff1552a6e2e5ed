// Proves the E2E harness against the fixture extension in fixtures/hello-extension (plain JS):
// one code-server + chromium for the whole file, tests in order. Run: scripts/e2e/run.sh
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  countPaintedPixels,
  e2ePaths,
  findWebviewFrame,
  hoverAt,
  hoverToken,
  listFiles,
  openFile,
  readNotifications,
  readOutputChannel,
  readProblems,
  readWebviewText,
  retry,
  runCommand,
  startSession,
  waitForNotification,
  waitForWebviewMarker,
  type E2ESession,
} from './harness';

const fixtures = join(e2ePaths().repoRoot, 'test', 'e2e', 'fixtures');
const TEST = { timeout: 120_000 };
let s: E2ESession;

before(
  async () => {
    s = await startSession({
      workspace: join(fixtures, 'hello-workspace'),
      extensionDirs: [join(fixtures, 'hello-extension')],
    });
    await s.run('open greeting.hello', () => openFile(s.page, 'greeting.hello'));
  },
  { timeout: 180_000 },
);

after(() => s?.close());

test('command palette runs "Hello: Say Hi", which shows a notification', TEST, (t) =>
  s.run(t.name, async () => {
    await runCommand(s.page, 'Hello: Say Hi');
    const message = await waitForNotification(s.page, 'Hi from the Glassbox E2E fixture!');
    assert.equal(message, 'Hi from the Glassbox E2E fixture!');
    assert.ok((await readNotifications(s.page)).includes(message));
  }),
);

test('hover at a text position and over a token', TEST, (t) =>
  s.run(t.name, async () => {
    // line 2 is "greet the tensor gently": column 12 is inside "tensor"
    assert.match(await hoverAt(s.page, 2, 12, 'HelloHover'), /HelloHover: tensor at 2:12/);
    assert.match(await hoverToken(s.page, 'gently', 'HelloHover: gently'), /HelloHover: gently at 2:\d+/);
  }),
);

test('Problems panel lists the diagnostic', TEST, (t) =>
  s.run(t.name, async () => {
    const problems = await readProblems(s.page, 1);
    assert.ok(
      problems.some((p) => p.text.includes('TODO left in greeting')),
      JSON.stringify(problems),
    );
  }),
);

test('webview panel shows text and a canvas drawn from worker data', TEST, (t) =>
  s.run(t.name, async () => {
    await runCommand(s.page, 'Hello: Show Panel');
    const frame = await findWebviewFrame(s.page, '#hello-panel');
    await waitForWebviewMarker(frame, 'body[data-done="1"]');
    assert.match(await readWebviewText(frame, '#status'), /^Drew 8 bars from worker thread \d+$/);
    const painted = await countPaintedPixels(frame, '#bars');
    assert.ok(painted > 5_000, `canvas has only ${painted} painted pixels`);
  }),
);

test('Output channels (plain and log) are readable from the logs', TEST, (t) =>
  s.run(t.name, async () => {
    // Output channels are flushed to disk asynchronously: poll.
    const text = await retry('Output channel "Hello E2E" never logged the worker', async () => {
      const log = readOutputChannel(s.server.userDataDir, 'Hello E2E');
      return /worker \d+ sent 8 values/.test(log) ? log : undefined;
    });
    assert.match(text, /hello-extension activated/);
    assert.match(text, /hello\.sayHi ran/);
    await retry(
      'log channel "Hello Log" never written',
      async () =>
        /\[info\] hello-extension activated \(log channel\)/.test(
          readOutputChannel(s.server.userDataDir, 'Hello Log'),
        ) || undefined,
    );
  }),
);

test('a failing step leaves a screenshot and the logs', TEST, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-e2e-artifacts-'));
  try {
    await assert.rejects(
      s.run(t.name, () => runCommand(s.page, 'Hello: No Such Command', 2_000), dir),
      (err: Error) => err.message.includes('never appeared in the palette') && err.message.includes(dir),
    );
    for (const f of ['screenshot.png', 'error.txt', 'browser-console.log', 'code-server.log']) {
      assert.ok(existsSync(join(dir, f)), `${f} missing; got ${readdirSync(dir).join(', ')}`);
    }
    const logs = listFiles(join(dir, 'vscode-logs'));
    assert.ok(
      logs.some((f) => /exthost\d*[/\\]remoteexthost\.log$/.test(f)),
      `no extension host log in ${logs.join('\n')}`,
    );
    assert.ok(
      logs.some((f) => f.endsWith('-Hello E2E.log')),
      'no Output channel log',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
