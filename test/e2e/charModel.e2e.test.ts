// End-to-end test of a chapter-6 character model in real VS Code: "Glassbox: Train Model" on
// examples/char-lstm (an LSTM on the shipped public-domain poems) trains it in the extension's
// worker; the training panel's Samples section shows each generated sample as it arrives, newest
// first, exactly the texts the run record's samples.json keeps, and after a window reload the
// samples come back from the record.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openFile, openWorkspace, runCommand, startSession, type E2ESession } from './harness';
import { example, makeWorkspace, repoRoot, runRecords, trainingPanel, waitForPanelState } from './glassboxSupport';

// 120 iterations with a sample every 40: three samples of 100 characters, in seconds.
const MODEL = example('char-lstm.nn.json')
  .replace(/"iterations": \d+/, '"iterations": 120')
  .replace(/"sampleEvery": \d+/, '"sampleEvery": 40')
  .replace(/"sampleLength": \d+/, '"sampleLength": 100');
const SEED = /"sampleSeedText": "([^"]*)"/.exec(MODEL)?.[1] ?? '';

let s: E2ESession;
let ws: string;

before(
  async () => {
    assert.ok(MODEL.includes('"iterations": 120') && SEED, 'examples/char-lstm.nn.json changed: update this test');
    ws = makeWorkspace({ 'char-lstm.nn.json': MODEL });
    mkdirSync(join(ws, 'datasets'), { recursive: true });
    cpSync(join(repoRoot, 'datasets', 'poems.txt'), join(ws, 'datasets', 'poems.txt'));
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/** The samples the panel shows, newest first: caption and text (seed + continuation). */
async function panelSamples(panel: Frame): Promise<{ caption: string; text: string }[]> {
  return panel.locator('#samples figure.sample').evaluateAll((figs) =>
    figs.map((f) => ({
      caption: f.querySelector('figcaption')?.textContent ?? '',
      text: f.querySelector('pre')?.textContent ?? '',
    })),
  );
}

function checkSamples(
  shown: { caption: string; text: string }[],
  recorded: { iteration: number; text: string }[],
): void {
  assert.deepEqual(
    shown.map((x) => x.caption.replace(/ · temperature .*/, '')),
    recorded.map((r) => `iteration ${r.iteration}`).reverse(),
  );
  assert.deepEqual(
    shown.map((x) => x.text),
    recorded.map((r) => SEED + r.text).reverse(),
    'the panel shows the recorded samples, seed first',
  );
}

test(
  'training a character LSTM shows its samples in the panel as they arrive, the same as samples.json, also after a reload',
  { timeout: 240_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'char-lstm.nn.json');
      await runCommand(s.page, 'Glassbox: Train Model');
      let panel = await trainingPanel(s.page, 'char-lstm', 90_000);
      await panel.locator('#samples-section:not([hidden]) figure.sample').first().waitFor({ timeout: 120_000 });
      await waitForPanelState(panel, 'finished', 150_000);
      const [record] = runRecords(s.server.workspaceDir, 'char-lstm').slice(-1);
      assert.ok(record, 'no run record');
      const recorded = (
        JSON.parse(readFileSync(join(record.folder, 'samples.json'), 'utf8')) as {
          samples: { iteration: number; text: string }[];
        }
      ).samples;
      assert.deepEqual(
        recorded.map((r) => r.iteration),
        [40, 80, 120],
      );
      assert.ok(
        recorded.every((r) => r.text.length === 100),
        'samples of the requested length',
      );
      const shown = await panelSamples(panel);
      t.diagnostic(`newest sample: ${JSON.stringify(shown[0]?.text)}`);
      checkSamples(shown, recorded);

      await openWorkspace(s.page, s.server.workspaceUrl());
      await openFile(s.page, 'char-lstm.nn.json');
      await runCommand(s.page, 'Glassbox: Open Training Panel');
      panel = await trainingPanel(s.page, 'char-lstm', 90_000);
      await panel.locator('#samples-section:not([hidden]) figure.sample').first().waitFor({ timeout: 30_000 });
      checkSamples(await panelSamples(panel), recorded);
    }),
);
