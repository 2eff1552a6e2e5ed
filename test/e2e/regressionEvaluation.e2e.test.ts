// Issue 16, "Regression models: predicted vs actual scatter and residuals": a Boston model trained
// from VS Code gets an Evaluation tab with both charts painted, one point per test row, and the MAE
// and R² its run record's regression.json holds (the numbers the CLI prints); after a window reload
// the tab comes back from the record.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openFile, openWorkspace, runCommand, startSession, type E2ESession } from './harness';
import {
  canvasesPainted,
  example,
  makeWorkspace,
  panelNumber,
  repoRoot,
  runRecords,
  trainingPanel,
  waitForPanelState,
} from './glassboxSupport';

let s: E2ESession;
let ws: string;

before(
  async () => {
    ws = makeWorkspace({ 'E3.2.nn.json': example('E3.2.nn.json') });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

interface Regression {
  rows: number;
  columns: { rows: number[]; mae: number; r2: number }[];
}

async function checkTab(panel: Frame, r: Regression): Promise<void> {
  await panel.locator('#tab-btn-evaluation:not([hidden])').waitFor({ timeout: 30_000 });
  await panel.locator('#tab-btn-evaluation').click();
  const summary = (await panel.locator('#regression-summary').textContent()) ?? '';
  assert.match(summary, new RegExp(`^${r.rows} `), summary);
  assert.ok(summary.includes(`MAE ${panelNumber(r.columns[0].mae)}`), `${summary} vs MAE ${r.columns[0].mae}`);
  assert.ok(summary.includes(`R² ${r.columns[0].r2.toFixed(3)}`), summary);
  for (const id of ['regression-scatter', 'regression-residuals']) {
    assert.equal(await panel.locator(`#${id}`).getAttribute('data-points'), String(r.rows), id);
    const [painted] = await canvasesPainted(panel, `#${id}`);
    assert.ok(painted.width > 100 && painted.colours >= 3, `${id} is not painted: ${JSON.stringify(painted)}`);
  }
}

test(
  'a Boston model: predicted-vs-actual and residual charts with every test row, the MAE and R² of regression.json, also after a reload',
  { timeout: 300_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'E3.2.nn.json');
      await runCommand(s.page, 'Glassbox: Train Model');
      let panel = await trainingPanel(s.page, 'E3.2', 90_000);
      await waitForPanelState(panel, 'finished', 120_000);
      const [rec] = runRecords(s.server.workspaceDir, 'E3.2').slice(-1);
      const r = JSON.parse(readFileSync(join(rec.folder, 'regression.json'), 'utf8')) as Regression;
      assert.equal(r.columns[0].rows.length, r.rows, 'Boston: every test row drawn');
      await checkTab(panel, r);

      await runCommand(s.page, 'View: Close All Editor Groups');
      await openWorkspace(s.page, s.server.workspaceUrl());
      await openFile(s.page, 'E3.2.nn.json');
      await runCommand(s.page, 'Glassbox: Open Training Panel');
      panel = await trainingPanel(s.page, 'E3.2', 90_000);
      await checkTab(panel, r);
    }),
);
