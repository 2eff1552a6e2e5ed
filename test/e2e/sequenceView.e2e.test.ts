// End-to-end test of the training panel's Sequence tab in real VS Code: "Glassbox: Train Model" on
// a small character LSTM and a small GRU (variants of examples/char-lstm on the shipped poems),
// then the Sequence tab: the probe window's characters along the top (a window of the poems), one
// painted, non-uniform time × unit heatmap for h_t and every gate (and c_t for the LSTM), pictures
// that change while training runs, and a gradient-over-time curve with one point per time step.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openFile, runCommand, startSession, type E2ESession } from './harness';
import {
  canvasesPainted,
  example,
  makeWorkspace,
  pollUntil,
  repoRoot,
  trainingPanel,
  waitForPanelState,
} from './glassboxSupport';

const STEPS = 32;
const HIDDEN = 24;

/** A small, long-running character model of `kind` (stopped by the test). */
function model(kind: 'lstm' | 'gru', name: string): string {
  return example('char-lstm.nn.json')
    .replace(/"name": "[^"]*"/, `"name": "${name}"`)
    .replace(/"type": "lstm", "hiddenSize": \d+/, `"type": "${kind}", "hiddenSize": ${HIDDEN}`)
    .replace(/"sequenceLength": \d+/, `"sequenceLength": ${STEPS}`)
    .replace(/"iterations": \d+/, '"iterations": 100000')
    .replace(/"sampleEvery": \d+/, '"sampleEvery": 100000');
}

const MODELS = { 'seq-lstm.nn.json': model('lstm', 'seq-lstm'), 'seq-gru.nn.json': model('gru', 'seq-gru') };

let s: E2ESession;
let ws: string;
const poems = readFileSync(join(repoRoot, 'datasets', 'poems.txt'), 'utf8');

before(
  async () => {
    for (const [file, text] of Object.entries(MODELS))
      assert.ok(
        text.includes(`"hiddenSize": ${HIDDEN}`) && text.includes(`"sequenceLength": ${STEPS}`),
        `examples/char-lstm.nn.json changed: update this test (${file})`,
      );
    ws = makeWorkspace(MODELS);
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

/** The heatmaps' series names, sizes and pixel hashes, and the gradient curve's point count. */
async function sequencePictures(panel: Frame) {
  const names = await panel.locator('#seq-maps canvas.seq-map').evaluateAll((cs) => cs.map((c) => c.dataset.series));
  const painted = await canvasesPainted(panel, '#seq-maps canvas.seq-map');
  const grad = panel.locator('#seq-grad');
  return {
    names,
    painted,
    hashes: painted.map((p) => p.hash).join(' '),
    points: Number(await grad.getAttribute('data-points')),
    steps: Number(await grad.getAttribute('data-steps')),
  };
}

/** The probe text as the tab shows it, with the visible marks for space and newline turned back. */
async function probeText(panel: Frame): Promise<string> {
  const cells = await panel.locator('#seq-text .seq-char').allInnerTexts();
  return cells.map((c) => (c === '␣' ? ' ' : c === '↵' ? '\n' : c)).join('');
}

async function checkSequenceTab(
  t: { diagnostic(m: string): void },
  file: string,
  name: string,
  series: string[],
): Promise<void> {
  await openFile(s.page, file);
  await runCommand(s.page, 'Glassbox: Train Model');
  const panel = await trainingPanel(s.page, name, 120_000);
  await waitForPanelState(panel, 'running', 120_000);
  await panel.locator('#tab-btn-sequence:not([hidden])').click({ timeout: 30_000 });
  await panel.locator('body[data-tab="sequence"]').waitFor({ state: 'attached', timeout: 10_000 });
  const first = await pollUntil(
    'the Sequence tab draws every series',
    () => sequencePictures(panel),
    (p) => p.names.length === series.length,
    90_000,
  );
  assert.deepEqual(first.names, series, 'one heatmap for h_t, c_t (LSTM) and every gate');
  for (const [i, p] of first.painted.entries()) {
    assert.deepEqual([p.width, p.height], [STEPS, HIDDEN], `${series[i]}: time × unit`);
    assert.equal(p.opaque, STEPS * HIDDEN, `${series[i]}: every cell painted`);
    assert.ok(p.colours > 8, `${series[i]}: non-uniform (${p.colours} colours)`);
  }
  assert.equal(first.steps, STEPS);
  assert.equal(first.points, STEPS, 'the gradient-over-time curve has one point per time step');
  const text = await probeText(panel);
  t.diagnostic(`${name}: probe text ${JSON.stringify(text)}`);
  assert.equal(text.length, STEPS);
  assert.ok(poems.includes(text), 'the probe text is a window of the poems');
  // A character's hover: its h_t and the three most probable next characters.
  const hover = (await panel.locator('#seq-text .seq-char').nth(3).getAttribute('title')) ?? '';
  t.diagnostic(`${name}: hover ${JSON.stringify(hover)}`);
  const probs = [...hover.matchAll(/'[^']+' (\d+)%/g)].map((m) => Number(m[1]));
  assert.match(hover, /^t = 3 .*· next: /);
  assert.equal(probs.length, 3, hover);
  assert.ok(probs[0] >= probs[1] && probs[1] >= probs[2] && probs[0] + probs[1] + probs[2] <= 101, hover);

  // While training runs the pictures change (new frames at the telemetry rate).
  const later = await pollUntil(
    'the heatmaps change while training runs',
    () => sequencePictures(panel),
    (p) => p.names.length === series.length && p.hashes !== first.hashes,
    90_000,
  );
  assert.equal(await panel.locator('body').getAttribute('data-state'), 'running');
  assert.equal(later.points, STEPS);
  const changed = later.painted.filter((p, i) => p.hash !== first.painted[i].hash).length;
  t.diagnostic(`${name}: ${changed} of ${series.length} heatmaps changed`);
  assert.ok(changed >= 2, `only ${changed} heatmap(s) changed`);

  // The unit picker colours the text by one unit's h_t.
  const colours = () =>
    panel.locator('#seq-text .seq-char').evaluateAll((cs) => cs.map((c) => (c as HTMLElement).style.background));
  await panel.locator('#seq-unit').selectOption('5');
  await pollUntil(
    'the text is coloured by unit 5',
    () => panel.locator('#seq-text').getAttribute('data-unit'),
    (u) => u === '5',
    10_000,
  );
  assert.ok(new Set(await colours()).size > 1, 'the text is coloured by the unit, not uniformly');

  // A typed probe text: the model reads it (all but its last character, each predicting the next)
  // and every picture is redrawn for it, during training and after the run has stopped.
  const typeProbe = async (text: string) => {
    await panel.locator('#seq-probe-input').fill(text);
    await panel.locator('#seq-probe-input').press('Enter');
  };
  const typed = poems.slice(200, 221); // 21 characters: 20 steps
  await typeProbe(typed);
  await pollUntil(
    'the typed text is drawn',
    () => probeText(panel),
    (x) => x === typed.slice(0, -1),
    30_000,
  );
  const mine = await pollUntil(
    'the heatmaps are redrawn for the typed text',
    () => sequencePictures(panel),
    (p) => p.painted.length === series.length && p.painted.every((x) => x.width === typed.length - 1),
    30_000,
  );
  assert.equal(mine.points, typed.length - 1, 'one gradient point per step of the typed text');
  t.diagnostic(`${name}: typed probe ${JSON.stringify(typed)} drawn while training`);

  await panel.locator('#btn-stop').click();
  await panel
    .locator('body[data-state="stopped"], body[data-state="finished"]')
    .waitFor({ state: 'attached', timeout: 60_000 });

  // After the run: another text, on the final weights; a character the model never saw is refused.
  const after = poems.slice(400, 411);
  await typeProbe(after);
  await pollUntil(
    'a typed text is drawn after the run',
    () => probeText(panel),
    (x) => x === after.slice(0, -1),
    30_000,
  );
  await typeProbe('ab\u2603cd');
  await panel.locator('#seq-probe-message:has-text("does not know")').waitFor({ timeout: 30_000 });
}

test(
  'an LSTM character model: the Sequence tab paints h_t, c_t and every gate, live, and the gradient over time',
  { timeout: 360_000 },
  (t) =>
    s.run(t.name, () =>
      checkSequenceTab(t, 'seq-lstm.nn.json', 'seq-lstm', ['h', 'c', 'input', 'forget', 'output', 'candidate']),
    ),
);

test(
  'a GRU character model: the Sequence tab paints h_t and every gate, live, and the gradient over time',
  { timeout: 360_000 },
  (t) => s.run(t.name, () => checkSequenceTab(t, 'seq-gru.nn.json', 'seq-gru', ['h', 'reset', 'update', 'candidate'])),
);
