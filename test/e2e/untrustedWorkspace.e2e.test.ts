// Restricted mode (issue 13; package.json: untrustedWorkspaces "limited"): in a workspace that
// was never trusted, Glassbox still validates model files (diagnostics on the right line) and
// answers hovers with the layer shapes of data inside the workspace, but "Glassbox: Train Model"
// is refused with a message that says why (and no run folder appears), and a model file whose
// data lies outside the workspace is told so without the file being read.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  hoverToken,
  openFile,
  readProblems,
  runCommand,
  startSession,
  waitForNotification,
  type E2ESession,
} from './harness';
import { makeWorkspace, repoRoot } from './glassboxSupport';

const model = (textFile: string, hiddenSize: number) =>
  JSON.stringify(
    {
      name: 'restricted',
      data: { type: 'text', path: textFile, sequenceLength: 16 },
      layers: [{ type: 'rnn', hiddenSize, name: 'recurrent' }],
      loss: 'sequenceSoftmaxCrossEntropy',
      optimizer: { type: 'adam', lr: 0.01 },
      training: { iterations: 10, batchSize: 4, evalEvery: 5 },
    },
    null,
    2,
  );

let s: E2ESession;
let ws: string;
let outside: string;

before(
  async () => {
    // Data outside the workspace: not UTF-8, so reading it would give a different error.
    outside = mkdtempSync(join(tmpdir(), 'glassbox-e2e-outside-'));
    writeFileSync(join(outside, 'secret.txt'), Buffer.from([0xff, 0xfe, 0x41, 0x42, 0x0a]));
    ws = makeWorkspace({
      'inside.nn.json': model('small.txt', 8),
      'broken.nn.json': model('small.txt', 0),
      'outside.nn.json': model(join(outside, 'secret.txt'), 8),
    });
    writeFileSync(join(ws, 'examples', 'small.txt'), 'a small text for a small character model. '.repeat(50));
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot], untrusted: true });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
  if (outside) rmSync(outside, { recursive: true, force: true });
});

test('the workspace is in restricted mode', { timeout: 60_000 }, (t) =>
  s.run(t.name, async () => {
    // The status bar's shield item shows only in restricted mode.
    await s.page.locator('[id="status.workspaceTrust"]').first().waitFor({ timeout: 30_000 });
  }),
);

test('model files are validated: a diagnostic on the right line, and hovers with shapes', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'broken.nn.json');
    const problems = await readProblems(s.page, 1, 60_000, (p) => /hiddenSize/.test(p.text));
    const hidden = problems.find((p) => /hiddenSize/.test(p.text));
    t.diagnostic(JSON.stringify(hidden));
    assert.ok(hidden && hidden.file === 'broken.nn.json', JSON.stringify(problems));
    const line =
      model('small.txt', 0)
        .split('\n')
        .findIndex((l) => l.includes('"hiddenSize": 0')) + 1;
    assert.match(hidden.text, new RegExp(`\\[Ln ${line}, Col \\d+\\]`));
    await s.page.keyboard.press('Control+Shift+m'); // back to the editor
    await openFile(s.page, 'inside.nn.json');
    // The data inside the workspace is read: the hover has the layer's shapes.
    const text = await hoverToken(s.page, '"recurrent"', /Layer 1: recurrent.*\n?.*\[16, \d+\]/, 60_000);
    t.diagnostic(text);
  }),
);

test('Train Model is refused with a message, and nothing is trained', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'inside.nn.json');
    await runCommand(s.page, 'Glassbox: Train Model');
    const message = await waitForNotification(s.page, /training inside\.nn\.json needs a trusted workspace/);
    t.diagnostic(message);
    assert.match(message, /Model files are validated in restricted mode/);
    // Give a launch that should not happen the time to create its run folder.
    await new Promise((r) => setTimeout(r, 3000));
    const runs = join(s.server.workspaceDir, 'examples', '.glassbox');
    assert.ok(!existsSync(runs), `a run folder appeared: ${runs}`);
  }),
);

test('data outside the workspace is not read', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'outside.nn.json');
    const problems = await readProblems(s.page, 1, 60_000, (p) => /outside the workspace/.test(p.text));
    const refusal = problems.find((p) => p.file === 'outside.nn.json' && /outside the workspace/.test(p.text));
    t.diagnostic(JSON.stringify(refusal));
    assert.ok(refusal, JSON.stringify(problems));
    assert.match(refusal.text, /reads no data outside an untrusted workspace/);
    // Reading it would have said it is not UTF-8.
    assert.ok(!problems.some((p) => /not valid UTF-8/.test(p.text)), JSON.stringify(problems));
  }),
);
