// End-to-end test of the chapter-7 autoencoder in real VS Code: "Glassbox: Train Model" on
// examples/mnist-autoencoder trains it in the extension's worker, which writes latent.json (PCA
// of the encoding layer on test rows); the training panel's Latent tab then draws those points,
// one colour per digit, with a legend — the same points the run record holds — and after a
// window reload the tab comes back from the record.
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
  repoRoot,
  runRecords,
  trainingPanel,
  waitForPanelState,
} from './glassboxSupport';

let s: E2ESession;
let ws: string;

before(
  async () => {
    ws = makeWorkspace({ 'mnist-autoencoder.nn.json': example('mnist-autoencoder.nn.json') });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/** Opens the Latent tab and checks it draws the record's points: count, legend, a painted canvas. */
async function checkLatentTab(panel: Frame, rows: number, classes: number): Promise<void> {
  await panel.locator('#tab-btn-latent:not([hidden])').waitFor({ timeout: 30_000 });
  await panel.locator('#tab-btn-latent').click();
  await panel.locator(`#latent-canvas[data-points="${rows}"]`).waitFor({ state: 'attached', timeout: 10_000 });
  assert.match(
    await panel.locator('#latent-info').innerText(),
    new RegExp(
      `encoding \\(16 values\\) on ${rows.toLocaleString('en-US')} test rows, PCA \\(\\d+\\.\\d% \\+ \\d+\\.\\d% of the variance\\)`,
    ),
  );
  assert.equal(await panel.locator('#latent-legend .legend-item').count(), classes, 'one legend entry per digit');
  const [painted] = await canvasesPainted(panel, '#latent-canvas');
  // Points of ten colours (blended where they overlap) on a transparent background.
  assert.ok(painted.opaque > 0 && painted.colours >= 10, `latent canvas: ${JSON.stringify(painted)}`);
}

test(
  'training the autoencoder writes latent.json and the Latent tab draws its points by digit, also after a reload',
  { timeout: 240_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'mnist-autoencoder.nn.json');
      await runCommand(s.page, 'Glassbox: Train Model');
      let panel = await trainingPanel(s.page, 'mnist-autoencoder', 90_000);
      await waitForPanelState(panel, 'finished', 150_000);
      const [record] = runRecords(s.server.workspaceDir, 'mnist-autoencoder').slice(-1);
      assert.ok(record, 'no run record');
      const latent = JSON.parse(readFileSync(join(record.folder, 'latent.json'), 'utf8')) as {
        rows: number;
        points: unknown[];
        labels: number[];
      };
      assert.equal(latent.points.length, latent.rows);
      const classes = new Set(latent.labels).size;
      t.diagnostic(`latent.json: ${latent.rows} rows, ${classes} classes`);
      await checkLatentTab(panel, latent.rows, classes);

      await openWorkspace(s.page, s.server.workspaceUrl());
      await openFile(s.page, 'mnist-autoencoder.nn.json');
      await runCommand(s.page, 'Glassbox: Open Training Panel');
      panel = await trainingPanel(s.page, 'mnist-autoencoder', 90_000);
      await checkLatentTab(panel, latent.rows, classes);
    }),
);
