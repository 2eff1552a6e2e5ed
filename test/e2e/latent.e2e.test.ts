// End-to-end test of the chapter-7 autoencoder in real VS Code: "Glassbox: Train Model" on
// examples/mnist-autoencoder trains it in the extension's worker. While a 200-epoch copy trains
// (stopped once checked), the Latent tab already draws quick projections of the first test rows
// (marked live) and shows a hovered point's image; at the end of a complete run the
// worker writes latent.json (PCA of the encoding layer on test rows) and the tab draws those
// points, one colour per digit, with a legend — the same points the run record holds. Hovering
// a point shows its digit's image and label; after a window reload the tab comes back from the record.
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
  variant,
  waitForPanelState,
} from './glassboxSupport';

let s: E2ESession;
let ws: string;

before(
  async () => {
    // The live check trains a 200-epoch copy and stops it once seen: the 2-epoch file takes
    // about 6 s on an idle machine, sometimes less than the panel takes to open.
    const text = example('mnist-autoencoder.nn.json');
    ws = makeWorkspace({
      'mnist-autoencoder.nn.json': text,
      'autoencoder-long.nn.json': variant(text, 200, 'autoencoder-long'),
    });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/**
 * Hovers a painted pixel of the Latent canvas (a point is drawn there) and returns the tooltip's
 * label, its row and how many distinct grey levels its image has. During training the map is
 * redrawn every few seconds (hiding the tooltip, moving the points), so the spots are read again
 * and the tooltip is read in one step in the page.
 */
async function hoverAPoint(panel: Frame): Promise<{ label: string; greys: number; row: number }> {
  for (let pass = 0; pass < 5; pass++) {
    // CSS-pixel positions of painted pixels, from the canvas's backing store (device pixels).
    const spots = await panel.locator('#latent-canvas').evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d');
      if (!ctx) return [];
      const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
      const r = c.width / c.clientWidth;
      const out: { x: number; y: number }[] = [];
      for (let y = 2; y < height && out.length < 40; y += 23)
        for (let x = 2; x < width && out.length < 40; x += 7)
          if (data[4 * (y * width + x) + 3] > 128) out.push({ x: x / r, y: y / r });
      return out;
    });
    assert.ok(spots.length > 0, 'no painted point on the latent canvas');
    for (const position of spots) {
      await panel.locator('#latent-canvas').hover({ position });
      const read = await panel.evaluate(() => {
        const tip = document.getElementById('latent-tip');
        const img = document.getElementById('latent-tip-image') as HTMLCanvasElement | null;
        if (!tip || tip.hidden || !img) return null;
        const d = img.getContext('2d')?.getImageData(0, 0, img.width, img.height).data ?? new Uint8ClampedArray();
        const levels = new Set<number>();
        for (let i = 0; i < d.length; i += 4) levels.add(d[i]);
        return {
          label: document.getElementById('latent-tip-label')?.textContent ?? '',
          greys: img.hidden || img.width === 0 ? 0 : levels.size,
          row: Number(tip.dataset.row),
        };
      });
      if (read) return read;
    }
  }
  throw new Error('no tooltip over any painted spot in five passes');
}

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
  { timeout: 420_000 },
  (t) =>
    s.run(t.name, async () => {
      // During training: live projections of the first rows, with their images on hover.
      await openFile(s.page, 'autoencoder-long.nn.json');
      await runCommand(s.page, 'Glassbox: Train Model');
      const long = await trainingPanel(s.page, 'autoencoder-long', 90_000);
      await long.locator('#tab-btn-latent:not([hidden])').waitFor({ timeout: 120_000 });
      await long.locator('#tab-btn-latent').click();
      await long.locator('#latent-canvas[data-live="true"]').waitFor({ state: 'attached', timeout: 10_000 });
      const livePoints = Number(await long.locator('#latent-canvas').getAttribute('data-points'));
      assert.ok(livePoints > 0 && livePoints <= 500, `live points ${livePoints}`);
      assert.match(await long.locator('#latent-info').innerText(), /Training: after step \d+/);
      const liveHover = await hoverAPoint(long);
      assert.match(liveHover.label, /^label \d, test row \d+$/);
      assert.ok(liveHover.greys >= 4, `the live tooltip image has ${liveHover.greys} grey levels`);
      const stateThen = await long.locator('body').getAttribute('data-state');
      t.diagnostic(`live: ${livePoints} points, hover '${liveHover.label}', panel '${stateThen}'`);
      assert.ok(
        stateThen === 'running' || stateThen === 'paused',
        `the panel was '${stateThen}' after the live checks`,
      );
      await runCommand(s.page, 'Glassbox: Stop Training');
      await waitForPanelState(long, 'stopped', 60_000);
      // Its editor and panel closed, so the window restored after the reload below holds one of each.
      await runCommand(s.page, 'View: Close All Editor Groups');

      // A complete run: latent.json and the tab drawn from it.
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
      assert.equal(await panel.locator('#latent-canvas').getAttribute('data-live'), 'false');
      const hovered = await hoverAPoint(panel);
      t.diagnostic(`hover: '${hovered.label}', ${hovered.greys} grey levels`);
      // The label is the record's label of that row; the image a digit (many grey levels, not a flat square).
      assert.equal(hovered.label, `label ${latent.labels[hovered.row]}, test row ${hovered.row}`);
      assert.ok(hovered.greys >= 4, `the tooltip image has ${hovered.greys} grey levels`);

      // A reloaded window with nothing restored (the model file could come back in both editor
      // groups); the panel is opened again from the record.
      await runCommand(s.page, 'View: Close All Editor Groups');
      await openWorkspace(s.page, s.server.workspaceUrl());
      await openFile(s.page, 'mnist-autoencoder.nn.json');
      await runCommand(s.page, 'Glassbox: Open Training Panel');
      panel = await trainingPanel(s.page, 'mnist-autoencoder', 90_000);
      await checkLatentTab(panel, latent.rows, classes);
    }),
);
