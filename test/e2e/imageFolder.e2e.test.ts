// End-to-end test of the imageFolder data source (issue 16, "your own images") in real VS Code: a
// workspace holds a generated folder of PNG and JPEG images in three class subfolders. "Glassbox:
// Train Model" trains a small CNN on it in the extension's worker: the panel finishes, its Run
// table, confusion matrix and probe name the classes, and the run record's accuracy beats chance.
// A model file naming one class's folder gets its diagnostic on the `path` line; a folder with a
// corrupt PNG is refused when training starts: the panel fails with a message naming the file.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { findWebviewFrame, openFile, readProblems, runCommand, startSession, type E2ESession } from './harness';
import { makeWorkspace, repoRoot, runRecords, trainingPanel, waitForPanelState } from './glassboxSupport';
import { pngBytes, writeImageFolder } from '../helpers/imageFolderFixture';

let s: E2ESession;
let ws: string;

const model = (name: string, path: string, epochs = 12): string =>
  JSON.stringify(
    {
      name,
      profile: 'modern',
      precision: 'float32',
      seed: 1,
      data: { type: 'imageFolder', path, imageShape: [1, 8, 8], testFraction: 0.25, layout: 'image' },
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
      loss: 'softmaxCrossEntropy',
      optimizer: { type: 'adam', lr: 0.01 },
      training: { epochs, batchSize: 8, evalEvery: epochs },
    },
    null,
    2,
  );
/** 1-based line of the data section's `path` in `model(…)`'s text. */
const PATH_LINE = 8;

before(
  async () => {
    ws = makeWorkspace({
      'shapes.nn.json': model('shapes', 'shapes'),
      'one-class.nn.json': model('one-class', 'shapes/dark'),
      'broken.nn.json': model('broken', 'broken'),
    });
    writeImageFolder(join(ws, 'examples', 'shapes'), 12);
    writeImageFolder(join(ws, 'examples', 'broken'), 3);
    // A PNG cut short after its header: listing cannot tell, decoding in the worker does.
    const png = pngBytes(6, 6, new Uint8Array(6 * 6 * 4).fill(255));
    writeFileSync(join(ws, 'examples', 'broken', 'light', 'cut.png'), png.subarray(0, 45));
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

test(
  'Train Model on an image folder: the panel finishes, lists the classes, and beats chance',
  { timeout: 180_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'shapes.nn.json');
      await runCommand(s.page, 'Glassbox: Train Model');
      const panel = await trainingPanel(s.page, 'shapes', 90_000);
      await waitForPanelState(panel, 'finished', 120_000);
      const config = await panel.locator('#config').innerText();
      assert.match(config, /classes\s+dark, light, stripes/, config);
      assert.match(config, /27 train \/ 9 test/, config);
      // The Evaluation tab's confusion matrix and the Probe tab name the classes, not their indices.
      await panel.locator('#tab-btn-evaluation').click();
      const heads = await panel.locator('#confusion tr').first().locator('th').allInnerTexts();
      assert.deepEqual(heads.slice(1, 4), ['dark', 'light', 'stripes'], JSON.stringify(heads));
      await panel.locator('.tab-btn[data-tab="probe"]').click();
      const prediction = panel.locator('#probe-prediction');
      await prediction.waitFor({ timeout: 30_000 });
      assert.match(await prediction.innerText(), /predicted (dark|light|stripes)/);
      // A random test row is probed with its true class (the default row 0 has none to show).
      await panel.locator('#probe-random').click();
      const source = panel.locator('#probe-source:has-text("true class")');
      await source.waitFor({ timeout: 30_000 });
      assert.match(await source.innerText(), /true class (dark|light|stripes), predicted (dark|light|stripes)/);
      const records = runRecords(s.server.workspaceDir, 'shapes');
      assert.equal(records.length, 1);
      assert.equal(records[0].run.status, 'complete', JSON.stringify(records[0].run));
      const summary = JSON.parse(readFileSync(join(records[0].folder, 'summary.json'), 'utf8')) as {
        classNames: string[];
      };
      assert.deepEqual(summary.classNames, ['dark', 'light', 'stripes']);
      const accuracy = (records[0].run.result as { metrics: Record<string, number> }).metrics.accuracy;
      t.diagnostic(`test accuracy ${accuracy}`);
      assert.ok(accuracy > 0.6, `accuracy ${accuracy} (chance 1/3)`);
    }),
);

test(
  'one class folder is a diagnostic on the path line; a corrupt image is named when training starts',
  { timeout: 120_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'one-class.nn.json');
      const problems = await readProblems(s.page, 1, 30_000, (p) => /has no subfolders/.test(p.text));
      const one = problems.find((p) => /shapes\/dark has no subfolders/.test(p.text));
      assert.ok(one, JSON.stringify(problems));
      assert.match(one.text, new RegExp(`\\[Ln ${PATH_LINE}, Col \\d+\\]`));

      await openFile(s.page, 'broken.nn.json');
      await runCommand(s.page, 'Glassbox: Train Model');
      // The data never loaded, so the panel has no run summary (no title): find it by its state.
      const panel = await findWebviewFrame(s.page, 'body[data-state="failed"]', 90_000);
      const message = await panel.locator('#message.error').innerText();
      assert.match(message, /1 of 10 images cannot be used/, message);
      assert.match(message, /broken\/light\/cut\.png: cannot decode the PNG image/, message);
    }),
);
