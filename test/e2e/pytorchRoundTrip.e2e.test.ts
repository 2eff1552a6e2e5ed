// Issue 15's round trip in real VS Code: "Glassbox: Export to PyTorch" on examples/mnist-mlp
// (the folder picked in VS Code's own file dialog) writes a PyTorch project; its train.py runs
// one epoch on the MNIST sample with Debian's PyTorch (/usr/bin/python3); "Glassbox: Import
// PyTorch Weights" (trained.npz picked in the dialog) makes a run record of those weights, and
// the training panel opens on it showing the test accuracy Glassbox computes with them, which
// must be the accuracy PyTorch printed (±0.1 point). Skipped, saying why, when torch is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openFile, retry, runCommand, startSession, waitForNotification, type E2ESession } from './harness';
import { example, makeWorkspace, repoRoot, runRecords, trainingPanel } from './glassboxSupport';

const PYTHON = '/usr/bin/python3';
const torchMissing: string | false = (() => {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0
    ? false
    : `PyTorch is not importable by ${PYTHON} (apt-get install python3-torch python3-numpy): ${(r.stderr || String(r.error)).trim().split('\n').pop()}`;
})();

let s: E2ESession | undefined;
let ws: string;

before(
  async () => {
    if (torchMissing) return;
    ws = makeWorkspace({ 'mnist-mlp.nn.json': example('mnist-mlp.nn.json') });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/**
 * Answers the open file dialog (VS Code's own, in the browser) with `path`: typed into its input,
 * then Enter until the dialog closes (a folder path first navigates into the folder).
 */
async function answerFileDialog(page: Page, path: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(path);
  let tries = 0;
  await retry(
    `the file dialog did not accept ${path}`,
    async () => {
      if (!(await input.isVisible())) return true;
      // The dialog can keep saying "The path does not exist" for a folder made just before it
      // opened (seen once on the clean-clone CI, the folder listed below the message): typing the
      // path again makes it look again.
      if (++tries % 4 === 0) await input.fill(path);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(700);
      return (await input.isVisible()) ? undefined : true;
    },
    { timeout: 20_000 },
  );
}

test(
  'export to PyTorch, one epoch of train.py, import: the panel opens on the imported run with the accuracy PyTorch printed (±0.1 point)',
  { timeout: 420_000, skip: torchMissing },
  (t) =>
    (s as E2ESession).run(t.name, async () => {
      const session = s as E2ESession;
      const page = session.page;
      const out = join(session.server.workspaceDir, 'examples', 'torch-mnist-mlp');
      mkdirSync(out);
      await openFile(page, 'mnist-mlp.nn.json');
      await runCommand(page, 'Glassbox: Export to PyTorch');
      await answerFileDialog(page, `${out}/`);
      await waitForNotification(page, /exported mnist-mlp\.nn\.json to/);
      for (const f of ['model.py', 'train.py', 'verify.py', 'README.md'])
        assert.ok(existsSync(join(out, f)), `${f} was not written`);

      const train = spawnSync(PYTHON, ['train.py', '--epochs', '1', '--threads', '1'], {
        cwd: out,
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
        timeout: 240_000,
      });
      const output = (train.stdout ?? '') + (train.stderr ?? '');
      assert.equal(train.status, 0, output.slice(-3000));
      const printed = /epoch 1: test loss [0-9.]+ {2}accuracy ([0-9.]+)%/.exec(output);
      assert.ok(printed, `train.py printed no accuracy:\n${output.slice(-2000)}`);
      const torchAccuracy = Number(printed[1]);
      t.diagnostic(`PyTorch, one epoch: accuracy ${torchAccuracy}%`);
      const trained = join(out, 'trained.npz');
      assert.ok(existsSync(trained));

      const before = runRecords(session.server.workspaceDir, 'mnist-mlp').length;
      await runCommand(page, 'Glassbox: Import PyTorch Weights');
      await answerFileDialog(page, trained);
      await waitForNotification(page, /imported trained\.npz as/);
      const records = runRecords(session.server.workspaceDir, 'mnist-mlp');
      assert.equal(records.length, before + 1, 'one new run record');
      const imported = records[records.length - 1];
      assert.ok(existsSync(join(imported.folder, 'final.gbw')), `no weights in ${imported.folder}`);

      const panel = await trainingPanel(page, 'mnist-mlp', 60_000);
      const lastEval = panel.locator('#last-eval');
      const text = await retry(
        'the panel shows no accuracy',
        async () => {
          const v = await lastEval.innerText();
          return /accuracy [0-9.]+%/.test(v) ? v : undefined;
        },
        { timeout: 30_000 },
      );
      const shown = Number(/accuracy ([0-9.]+)%/.exec(text)?.[1]);
      t.diagnostic(`panel: '${text}'; PyTorch printed ${torchAccuracy}%`);
      assert.ok(Math.abs(shown - torchAccuracy) <= 0.1, `panel ${shown}%, PyTorch ${torchAccuracy}%`);
      // The run record says the same as the panel.
      const run = JSON.parse(readFileSync(join(imported.folder, 'run.json'), 'utf8')) as {
        result?: { metrics?: Record<string, number> };
      };
      const recorded = 100 * (run.result?.metrics?.accuracy ?? NaN);
      assert.ok(Math.abs(recorded - shown) < 0.006, `run.json ${recorded}%, panel ${shown}%`);

      // The panel's own "Export to PyTorch" button exports the run it shows: its weights.npz holds
      // the imported (PyTorch-trained) weights, not a fresh initialisation.
      const again = join(session.server.workspaceDir, 'examples', 'torch-again');
      mkdirSync(again);
      await panel.locator('#btn-exportPyTorch:not([hidden])').click();
      await answerFileDialog(page, `${again}/`);
      await waitForNotification(page, /exported mnist-mlp\.nn\.json to .*torch-again/);
      const compare = spawnSync(
        PYTHON,
        [
          '-c',
          'import sys, numpy as np; a, b = np.load(sys.argv[1]), np.load(sys.argv[2]); ' +
            'assert sorted(a.files) == sorted(b.files), (a.files, b.files); ' +
            'print(max(float(abs(a[k].astype("f8") - b[k].astype("f8")).max()) for k in a.files))',
          trained,
          join(again, 'weights.npz'),
        ],
        { encoding: 'utf8' },
      );
      assert.equal(compare.status, 0, compare.stderr);
      t.diagnostic(
        `panel export of the imported run: weights.npz differs from trained.npz by ${compare.stdout.trim()}`,
      );
      assert.ok(Number(compare.stdout) <= 1e-6, compare.stdout);
    }),
);
