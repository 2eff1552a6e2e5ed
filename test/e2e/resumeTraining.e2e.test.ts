// "Glassbox: Resume Training" in code-server: a model trained from the palette is stopped mid-run,
// resumed from the palette, and ends with exactly the evaluation losses of an uninterrupted CLI
// run of the same file (the worker continues from the record's checkpoint, as `--resume` does).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { openFile, runCommand, startSession, waitForNotification, type E2ESession } from './harness';
import {
  example,
  makeWorkspace,
  pollUntil,
  repoRoot,
  runRecords,
  trainingPanel,
  trainWithCli,
  waitForPanelState,
  type CliDone,
} from './glassboxSupport';

// E3.3 for 2000 epochs without early stopping (~10 s of training): the resumed run has most of
// the run still to train, through many evaluations.
const LONG = example('E3.3.nn.json')
  .replace(
    '"epochs": 50, "batchSize": 32, "evalEvery": 10,',
    '"epochs": 2000, "batchSize": 32, "evalEvery": 100, "earlyStopping": false,',
  )
  .replace('"name": "E3.3"', '"name": "E3.3-long"');

let s: E2ESession;
let ws: string;
let cli: CliDone;

before(
  async () => {
    assert.match(LONG, /"epochs": 2000/, 'could not make the 2000-epoch variant of E3.3');
    ws = makeWorkspace({ 'E3.3-long.nn.json': LONG });
    cli = trainWithCli('E3.3-long.nn.json', LONG);
    assert.equal(cli.evalLosses.length, 20);
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

test(
  'Start from the palette, stop after epoch 1, "Glassbox: Resume Training" (then the panel\'s "Resume run"): the run ends with the uninterrupted CLI run\'s eval losses',
  { timeout: 420_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'E3.3-long.nn.json');
      await runCommand(s.page, 'Glassbox: Resume Training');
      await waitForNotification(s.page, /nothing to resume: E3\.3-long\.nn\.json has no run record yet/);

      // Started paused (Step One Batch when idle) and stepped with the panel's Step button past the
      // first epoch, so the stop always meets a running worker after one checkpointed epoch, however
      // fast or loaded the machine (E3.3 trains an epoch of 12 batches in a few milliseconds).
      await runCommand(s.page, 'Glassbox: Step One Batch');
      const panel = await trainingPanel(s.page, 'E3.3-long', 90_000);
      await waitForPanelState(panel, 'paused', 90_000);
      const pausedAt = async () =>
        Number(/at step (\d+)/.exec(await panel.locator('#message').innerText())?.[1] ?? NaN);
      const stepTo = async (last: number) => {
        for (let step = await pausedAt(); step < last;) {
          await panel.locator('#btn-step').click();
          const before = step;
          step = await pollUntil('Step did not train a batch', pausedAt, (n) => n === before + 1, 30_000);
        }
      };
      await stepTo(15);
      await runCommand(s.page, 'Glassbox: Stop Training');
      await waitForPanelState(panel, 'stopped', 30_000);
      const records = () => Promise.resolve(runRecords(s.server.workspaceDir, 'E3.3-long'));
      const [stopped] = await records();
      assert.equal(stopped.run.status, 'interrupted');
      // 15 batches: the first epoch (12) completed and was checkpointed, the second was cut short.
      assert.equal(stopped.run.checkpointEpoch, 1);
      assert.equal(stopped.run.epochsRun, 1);
      assert.ok(await panel.locator('#btn-resumeRun').isVisible(), 'no "Resume run" button on the stopped run');

      await runCommand(s.page, 'Glassbox: Resume Training');
      await pollUntil('the resumed run never started', records, (r) => r.length === 2, 60_000);
      await waitForPanelState(panel, 'finished', 300_000);
      assert.ok(!(await panel.locator('#btn-resumeRun').isVisible()), '"Resume run" shown on a finished run');
      const [, resumed] = await records();
      assert.equal(resumed.run.status, 'complete');
      assert.equal(resumed.run.resumedFrom, stopped.folder);
      const result = resumed.run.result as { evalLosses: number[]; metrics: Record<string, number> };
      assert.deepEqual(result.evalLosses, cli.evalLosses);
      assert.deepEqual(result.metrics, cli.metrics);

      // The run is complete now: nothing left to resume.
      await runCommand(s.page, 'Glassbox: Resume Training');
      await waitForNotification(s.page, /nothing to resume: the last run of E3\.3-long\.nn\.json .* is complete/);

      // Again, stopped after two epochs, and resumed with the panel's "Resume run" button.
      await runCommand(s.page, 'Glassbox: Step One Batch');
      await waitForPanelState(panel, 'paused', 90_000);
      await stepTo(27);
      await runCommand(s.page, 'Glassbox: Stop Training');
      await waitForPanelState(panel, 'stopped', 30_000);
      const third = (await records())[2];
      assert.equal(third.run.checkpointEpoch, 2);
      await panel.locator('#btn-resumeRun').click();
      await pollUntil('the button did not resume the run', records, (r) => r.length === 4, 60_000);
      await waitForPanelState(panel, 'finished', 300_000);
      const fourth = (await records())[3];
      assert.equal(fourth.run.resumedFrom, third.folder);
      assert.deepEqual((fourth.run.result as { evalLosses: number[] }).evalLosses, cli.evalLosses);
    }),
);
