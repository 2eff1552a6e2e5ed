// Trusted workspaces (issue 13): a model file that reads data outside its workspace folder asks
// first — Cancel trains nothing, Allow trains, and the answer is remembered for that folder — and
// a glassbox.runsDirectory from the workspace's settings that points outside the workspace is
// ignored (the run is written in the default folder, nothing outside), with a line in the log.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { openFile, readOutputChannel, runCommand, startSession, type E2ESession } from './harness';
import { makeWorkspace, pollUntil, repoRoot, runRecords } from './glassboxSupport';

const model = (textFile: string) =>
  JSON.stringify(
    {
      name: 'far',
      data: { type: 'text', path: textFile, sequenceLength: 8 },
      layers: [{ type: 'rnn', hiddenSize: 4, name: 'recurrent' }],
      loss: 'sequenceSoftmaxCrossEntropy',
      optimizer: { type: 'adam', lr: 0.01 },
      training: { iterations: 4, batchSize: 2, evalEvery: 2 },
    },
    null,
    2,
  );

let s: E2ESession;
let ws: string;
let outside: string;

before(
  async () => {
    outside = mkdtempSync(join(tmpdir(), 'glassbox-e2e-outside-'));
    mkdirSync(join(outside, 'data'));
    writeFileSync(join(outside, 'data', 'far.txt'), 'a text that lies outside the workspace folder. '.repeat(20));
    ws = makeWorkspace({ 'far.nn.json': model(join(outside, 'data', 'far.txt')) });
    mkdirSync(join(ws, '.vscode'));
    writeFileSync(
      join(ws, '.vscode', 'settings.json'),
      JSON.stringify({ 'glassbox.runsDirectory': join(outside, 'runs') }),
    );
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
  if (outside) rmSync(outside, { recursive: true, force: true });
});

/** The modal that asks about data outside the workspace folder: its text, after clicking `button`. */
async function answer(button: 'Allow' | 'Cancel'): Promise<string> {
  const dialog = s.page.locator('.monaco-dialog-box').filter({ hasText: 'outside its workspace folder' });
  await dialog.waitFor({ timeout: 30_000 });
  const text = await dialog.innerText();
  await dialog.locator('.dialog-buttons a.monaco-button, .dialog-buttons button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  return text;
}

const outsideRuns = () => (existsSync(join(outside, 'runs')) ? readdirSync(join(outside, 'runs')) : []);

test('data outside the workspace folder: Train asks first, and Cancel trains nothing', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'far.nn.json');
    await runCommand(s.page, 'Glassbox: Train Model');
    const text = await answer('Cancel');
    t.diagnostic(text);
    assert.ok(text.includes(`far.nn.json reads data from ${join(outside, 'data')}`), text);
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(runRecords(s.server.workspaceDir, 'far'), []);
    assert.deepEqual(outsideRuns(), []);
  }),
);

test(
  'Allow trains, in the workspace: the outside runsDirectory of the workspace settings is ignored',
  { timeout: 180_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'far.nn.json');
      await runCommand(s.page, 'Glassbox: Train Model');
      await answer('Allow');
      const runs = await pollUntil(
        'the run record of far complete',
        async () => runRecords(s.server.workspaceDir, 'far'),
        (rs) => rs.some((r) => r.run.status === 'complete'),
        120_000,
      );
      t.diagnostic(runs.map((r) => r.folder).join(', '));
      assert.deepEqual(outsideRuns(), [], 'nothing is written in the runsDirectory outside the workspace');
      await pollUntil(
        'the log line about the ignored runsDirectory',
        async () => readOutputChannel(s.server.userDataDir, 'Glassbox'),
        (text) => /glassbox\.runsDirectory .* points outside the workspace; ignored/.test(text),
        30_000,
      );
    }),
);

test('the answer is remembered: training again does not ask', { timeout: 180_000 }, (t) =>
  s.run(t.name, async () => {
    const before = runRecords(s.server.workspaceDir, 'far').length;
    await openFile(s.page, 'far.nn.json');
    await runCommand(s.page, 'Glassbox: Train Model');
    await pollUntil(
      'a second complete run of far',
      async () => runRecords(s.server.workspaceDir, 'far').filter((r) => r.run.status === 'complete').length,
      (n) => n > before,
      120_000,
    );
    assert.equal(await s.page.locator('.monaco-dialog-box').count(), 0, 'a dialog asked again');
  }),
);
