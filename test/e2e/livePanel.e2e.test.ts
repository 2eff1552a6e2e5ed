// The training panel's tabs update live (issue 11): while examples/mnist-mlp trains (1000 epochs,
// stopped at the end), with the panel kept visible and never hidden or re-shown, the Layers tab's
// canvases show new pixels at least twice, and so do the Network tab's value heatmaps. Until the
// view channel, the panel's host dropped every telemetry frame, so these tabs moved only when the
// panel was hidden and shown again (a re-snapshot); this test counts the snapshots the panel got
// to make sure the updates it sees are live ones.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openFile, runCommand, startSession, type E2ESession } from './harness';
import {
  canvasesPainted,
  example,
  makeWorkspace,
  repoRoot,
  trainingPanel,
  variant,
  waitForPanelState,
} from './glassboxSupport';

const MLP = variant(example('mnist-mlp.nn.json'), 1000);

let s: E2ESession;
let ws: string;
let panel: Frame;

before(
  async () => {
    ws = makeWorkspace({ 'mnist-mlp.nn.json': MLP });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/** The panel's snapshot count (set by webview/trainingPanel.ts; absent before the view channel). */
async function snapshots(): Promise<string | null> {
  return panel.locator('body').getAttribute('data-snapshots');
}

/**
 * Reads `read` every 250 ms until it has returned `distinct` different pictures (the first included),
 * or `timeout` passes; the pictures in the order seen, with the time each was first seen.
 */
async function watch(
  read: () => Promise<string | undefined>,
  distinct: number,
  timeout: number,
): Promise<{ at: number; picture: string }[]> {
  const seen: { at: number; picture: string }[] = [];
  const t0 = Date.now();
  while (Date.now() - t0 < timeout && seen.length < distinct) {
    const picture = await read().catch(() => undefined);
    if (picture !== undefined && picture !== seen.at(-1)?.picture) seen.push({ at: Date.now() - t0, picture });
    await new Promise((r) => setTimeout(r, 250));
  }
  return seen;
}

/** One string for all the canvases under `selector` (their sizes and pixel hashes); undefined if none. */
async function pixels(selector: string): Promise<string | undefined> {
  const all = await canvasesPainted(panel, selector);
  return all.length ? all.map((p) => `${p.width}x${p.height}:${p.hash}`).join(' ') : undefined;
}

test('the Layers tab redraws with new data while the model trains, the panel never hidden', { timeout: 240_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'mnist-mlp.nn.json');
    const t0 = Date.now();
    await runCommand(s.page, 'Glassbox: Train Model');
    panel = await trainingPanel(s.page, 'mnist-mlp', 120_000);
    await waitForPanelState(panel, 'running', 120_000);
    t.diagnostic(`the panel showed 'running' ${Date.now() - t0} ms after Train Model`);
    await panel.locator('.tab-btn[data-tab="layers"]').click();
    await panel.locator('body[data-tab="layers"]').waitFor({ state: 'attached', timeout: 10_000 });
    const before = await snapshots();
    const seen = await watch(() => pixels('#layers-list canvas'), 3, 90_000);
    t.diagnostic(
      `Layers tab pictures at ${seen.map((x) => `${x.at} ms`).join(', ')}; snapshots ${before} → ${await snapshots()}`,
    );
    assert.ok(seen.length >= 1, 'the Layers tab never drew a canvas');
    assert.ok(seen.length >= 3, `the Layers tab's canvases changed ${seen.length - 1} time(s) in 90 s of training`);
    assert.equal(await snapshots(), before, 'the panel was sent a new snapshot: the updates were not live');
    // One distribution canvas per series of each layer (dense: activation, weight, gradient).
    assert.equal(await panel.locator('#layers-list canvas').count(), 6);
  }),
);

test("the Network tab's values change while the model trains, the panel never hidden", { timeout: 180_000 }, (t) =>
  s.run(t.name, async () => {
    await panel.locator('.tab-btn[data-tab="network"]').click();
    await panel.locator('body[data-tab="network"]').waitFor({ state: 'attached', timeout: 10_000 });
    const before = await snapshots();
    // Each operation's forward value heatmaps (the first grid of each op box) and the probe's loss line.
    // Watched until the heatmaps themselves changed twice: a new loss line alone (it changes with
    // every frame) made the watch stop early while the pictures had changed only once.
    const values = async () => {
      const heatmaps = await pixels('#network-graph .op-box > .fm-grid:first-of-type canvas');
      const loss = await panel.locator('#network-graph .op-layer:last-child strong').innerText();
      return heatmaps && `${loss} | ${heatmaps}`;
    };
    const heatmapsOnly = async () => (await values())?.split(' | ')[1];
    const pictures = await watch(heatmapsOnly, 3, 90_000);
    t.diagnostic(`Network tab heatmaps changed at ${pictures.map((x) => `${x.at} ms`).join(', ')}`);
    const seen = pictures;
    t.diagnostic(`Network tab: ${seen.length} pictures; snapshots ${before} → ${await snapshots()}`);
    assert.ok(seen.length >= 1, 'the Network tab never drew its graph');
    assert.ok(seen.length >= 3, `the Network tab's values changed ${seen.length - 1} time(s) in 90 s of training`);
    // The heatmaps themselves changed, not only the loss line.
    assert.ok(
      new Set(pictures.map((x) => x.picture)).size >= 3,
      "the Network tab's value heatmaps did not change twice",
    );
    assert.equal(await snapshots(), before, 'the panel was sent a new snapshot: the updates were not live');

    // Done: stop the run and wait for it to end.
    await panel.locator('#btn-stop').click();
    await panel
      .locator('body[data-state="stopped"], body[data-state="finished"]')
      .waitFor({ state: 'attached', timeout: 30_000 });
  }),
);
