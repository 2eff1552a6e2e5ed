// End-to-end tests of the panel's Probe workbench (issue 16): on mnist-cnn while it trains, a
// stroke drawn on the probe pad changes the class probabilities and paints a non-uniform saliency
// image; the time from the end of a stroke to its probabilities drawn is measured (median printed
// against issue 16's 100 ms, during and after training, with each stroke's legs); after the run, a misclassified example clicked in the Evaluation
// tab's gallery is the probe, with its true label; the autoencoder's reconstruction is drawn
// beside its input; a CSV model's slider changes its output.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openFile, runCommand, startSession, type E2ESession } from './harness';
import {
  busyMachine,
  canvasesPainted,
  example,
  makeWorkspace,
  pollUntil,
  repoRoot,
  trainingPanel,
  variant,
  waitForPanelState,
} from './glassboxSupport';

// No early stopping: the first tests probe while it trains.
const CNN = variant(example('mnist-cnn.nn.json'), 20).replace(
  '"evalEvery": 1,',
  '"evalEvery": 1, "earlyStopping": false,',
);
const AUTOENCODER = variant(example('mnist-autoencoder.nn.json'), 1);
const CSV_MODEL = JSON.stringify(
  {
    name: 'csv-probe',
    profile: 'modern',
    precision: 'float32',
    seed: 3,
    data: { type: 'csv', path: 'probe-data.csv', target: 'y' },
    layers: [
      { type: 'dense', units: 8, activation: 'tanh' },
      { type: 'dense', units: 1 },
    ],
    loss: 'meanSquaredError',
    optimizer: { type: 'adam', lr: 0.01 },
    training: { epochs: 30, batchSize: 16, evalEvery: 10 },
  },
  null,
  2,
);

/** y = 3·rooms − 2·age + noise over 240 rows. */
function csvText(): string {
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const rows = ['rooms,age,y'];
  for (let i = 0; i < 240; i++) {
    const rooms = 2 + 6 * rand(),
      age = 100 * rand();
    rows.push(`${rooms.toFixed(3)},${age.toFixed(2)},${(3 * rooms - 0.02 * age + 0.1 * rand()).toFixed(4)}`);
  }
  return rows.join('\n') + '\n';
}

let s: E2ESession;
let ws: string;
let panel: Frame;

before(
  async () => {
    ws = makeWorkspace({
      'mnist-cnn.nn.json': CNN,
      'mnist-autoencoder.nn.json': AUTOENCODER,
      'csv-probe.nn.json': CSV_MODEL,
    });
    writeFileSync(join(ws, 'examples', 'probe-data.csv'), csvText());
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

const probs = async (f: Frame) => (await f.locator('#probe-probs').getAttribute('data-values')) ?? '';
const latencies = async (f: Frame) =>
  ((await f.locator('#probe-view').getAttribute('data-stroke-latencies')) ?? '').split(',').filter(Boolean).map(Number);

/** Draws a polyline on the probe pad with the mouse (points in 0…1 of the pad), pointer down to up. */
async function stroke(f: Frame, points: [number, number][]): Promise<void> {
  const box = await f.locator('#probe-pad').boundingBox();
  assert.ok(box, 'the drawing pad is not on screen');
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await s.page.mouse.move(...at(points[0]));
  await s.page.mouse.down();
  for (const p of points.slice(1)) await s.page.mouse.move(...at(p), { steps: 4 });
  await s.page.mouse.up();
}

/** Draws `n` strokes (a digit-like shape each, then cleared), returning each stroke's latency in ms. */
async function measureStrokes(f: Frame, n: number): Promise<number[]> {
  const shapes: [number, number][][] = [
    [
      [0.5, 0.15],
      [0.52, 0.85],
    ],
    [
      [0.25, 0.2],
      [0.75, 0.2],
      [0.45, 0.85],
    ],
    [
      [0.3, 0.3],
      [0.5, 0.15],
      [0.7, 0.3],
      [0.3, 0.85],
      [0.75, 0.85],
    ],
  ];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await f.locator('#probe-clear').click();
    const before = (await latencies(f)).length;
    await stroke(f, shapes[i % shapes.length]);
    const all = await pollUntil(
      'no answer to the stroke',
      () => latencies(f),
      (l) => l.length > before,
      20_000,
    );
    out.push(all.at(-1)!);
  }
  // Where the time went per stroke (ms): to the host / to the worker (the wait for the batch) / the
  // worker's answer / to the host / to the webview / drawing (of which the tab's render).
  const splits = await f.locator('#probe-view').getAttribute('data-stroke-splits');
  console.log(
    `  legs (to host/to worker/answer/to host/to view/draw/render, ms): ${splits?.split(',').slice(-n).join(' ')}`,
  );
  return out;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

test(
  'mnist-cnn while training: a stroke on the probe pad changes the probabilities and paints a non-uniform saliency; latency measured',
  { timeout: 240_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'mnist-cnn.nn.json');
      await runCommand(s.page, 'Glassbox: Train Model');
      panel = await trainingPanel(s.page, 'mnist-cnn', 90_000);
      await panel.locator('body[data-points]:not([data-points="0"])').waitFor({ state: 'attached', timeout: 90_000 });
      await panel.locator('.tab-btn[data-tab="probe"]').click();
      await panel.locator('#probe-pad').waitFor({ timeout: 30_000 });
      const before = await pollUntil(
        'no probe probabilities',
        () => probs(panel),
        (v) => v.length > 0,
        60_000,
      );
      await stroke(panel, [
        [0.5, 0.15],
        [0.52, 0.85],
      ]);
      await panel.locator('#probe-source:has-text("your drawing")').waitFor({ timeout: 20_000 });
      const after = await probs(panel);
      assert.notEqual(after, before, 'the probabilities did not change');
      const p = after.split(',').map(Number);
      assert.equal(p.length, 10);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-3, `not probabilities: ${after}`);
      // The drawn input as the worker saw it: MNIST-centred, in a 28×28 picture.
      const [input] = await canvasesPainted(panel, '#probe-input');
      assert.deepEqual([input.width, input.height], [28, 28]);
      assert.ok(input.colours >= 3, `the drawn input is blank: ${JSON.stringify(input)}`);
      const [saliency] = await canvasesPainted(panel, '#probe-saliency');
      assert.equal(saliency.opaque, 28 * 28, 'the saliency image is not fully painted');
      assert.ok(saliency.colours >= 10, `the saliency image is (nearly) uniform: ${JSON.stringify(saliency)}`);
      assert.ok((await panel.locator('#probe-maps .map-bar').count()) >= 8 + 16, 'a bar per feature map');
      // Choosing a class shows its saliency.
      await panel.locator('#probe-target').selectOption('3');
      await panel.locator('#probe-view strong:has-text("Saliency for class 3")').waitFor({ timeout: 20_000 });

      const busy = busyMachine();
      const during = await measureStrokes(panel, 15);
      const mid = median(during);
      const msg = `probe latency on mnist-cnn while training (stroke end → probabilities drawn): median ${mid.toFixed(1)} ms over ${during.length} strokes (${during.map((v) => v.toFixed(0)).join(', ')} ms), load average ${loadavg()[0].toFixed(1)}; issue 16's target 100 ms ${mid <= 100 ? 'met' : 'NOT met'}`;
      t.diagnostic(msg);
      console.log(msg);
      assert.equal(await panel.locator('body[data-state="running"]').count(), 1, 'still training');
      // Medians of 78-90 ms were measured at load 3-8 on this shared 2-core machine (315-354 ms
      // before answers became the probe part alone, taken between evaluation chunks, ahead of held
      // frames, with the worker resting between batches while the user draws): a bound against
      // regressions, when no other jobs load the machine.
      if (busy) t.diagnostic(`not asserted: other jobs were running (${busy})`);
      else assert.ok(mid <= 150, msg);
    }),
);

test(
  'after the run: a misclassified example from the gallery (and a matrix cell) is probed with its true label; latency measured',
  { timeout: 240_000 },
  (t) =>
    s.run(t.name, async () => {
      await panel.locator('#btn-stop').click();
      await waitForPanelState(panel, 'stopped', 120_000);
      await panel.locator('#tab-btn-evaluation:not([hidden])').click({ timeout: 60_000 });
      const tile = panel.locator('#wrong-gallery .fm-tile').first();
      await tile.waitFor({ timeout: 30_000 });
      const text = await tile.innerText();
      const m = /test row (\d+): true (\d+) → (\d+)/.exec(text);
      assert.ok(m, `gallery tile: ${text}`);
      const [, row, truth, predicted] = m;
      await tile.click();
      const source = panel.locator('#probe-source');
      await panel.locator(`#probe-source:has-text("test row ${row},")`).waitFor({ timeout: 20_000 });
      assert.match(await source.innerText(), new RegExp(`true class ${truth}, predicted ${predicted} \\(wrong\\)`));
      assert.match(await panel.locator('#probe-prediction').innerText(), new RegExp(`true ${truth}`));

      // A confusion-matrix cell probes one of its rows: true 1, predicted 1.
      await panel.locator('#tab-btn-evaluation').click();
      const cell = panel.locator('#confusion tr').nth(2).locator('td.cm-cell').nth(1);
      const cellRow = await cell.getAttribute('data-row');
      assert.ok(cellRow, 'the cell has no row to probe');
      await cell.click();
      await panel.locator(`#probe-source:has-text("test row ${cellRow}, true class 1")`).waitFor({ timeout: 20_000 });

      // The worker stayed after the run to answer the pad.
      const afterRun = await measureStrokes(panel, 15);
      const mid = median(afterRun);
      const msg = `probe latency on mnist-cnn after the run: median ${mid.toFixed(1)} ms over ${afterRun.length} strokes (${afterRun.map((v) => v.toFixed(0)).join(', ')} ms), load average ${loadavg()[0].toFixed(1)}; issue 16's target 100 ms ${mid <= 100 ? 'met' : 'NOT met'}`;
      t.diagnostic(msg);
      console.log(msg);
      // Issue 16's target is 100 ms, printed above. On this shared 2-core machine the median was
      // 61-75 ms at load 4-9 (the worker's part ~1 ms; the hops webview ↔ workbench ↔ extension
      // host take the rest), so the test asserts only a generous bound against gross regressions
      // (an answer stalled behind the view's ack or a batch).
      assert.ok(mid <= 250, msg);
    }),
);

test('mnist-autoencoder: the probe shows the reconstruction beside the input as images', { timeout: 240_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'mnist-autoencoder.nn.json');
    await runCommand(s.page, 'Glassbox: Train Model');
    const ae = await trainingPanel(s.page, 'mnist-autoencoder', 90_000);
    await waitForPanelState(ae, 'finished', 180_000);
    await ae.locator('.tab-btn[data-tab="probe"]').click();
    await ae.locator('#probe-reconstruction').waitFor({ timeout: 30_000 });
    const [input] = await canvasesPainted(ae, '#probe-input');
    const [rec] = await canvasesPainted(ae, '#probe-reconstruction');
    assert.deepEqual([rec.width, rec.height], [28, 28]);
    assert.ok(rec.colours >= 10, `the reconstruction is (nearly) uniform: ${JSON.stringify(rec)}`);
    assert.notEqual(rec.hash, input.hash, 'the reconstruction is the input itself');
    assert.equal(await ae.locator('#probe-probs').count(), 0, 'no class probabilities for an autoencoder');
    // Draw on it: the reconstruction follows.
    await stroke(ae, [
      [0.3, 0.3],
      [0.7, 0.7],
    ]);
    await ae.locator('#probe-source:has-text("your drawing")').waitFor({ timeout: 20_000 });
    const [drawn] = await canvasesPainted(ae, '#probe-reconstruction');
    assert.notEqual(drawn.hash, rec.hash);
  }),
);

test("a CSV model's slider changes its output", { timeout: 180_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'csv-probe.nn.json');
    await runCommand(s.page, 'Glassbox: Train Model');
    const csv = await trainingPanel(s.page, 'csv-probe', 90_000);
    await waitForPanelState(csv, 'finished', 120_000);
    await csv.locator('.tab-btn[data-tab="probe"]').click();
    const slider = csv.locator('.probe-slider[data-feature="0"]');
    await slider.waitFor({ timeout: 30_000 });
    assert.equal(await csv.locator('.probe-slider').count(), 2);
    assert.deepEqual(await csv.locator('.probe-name').allInnerTexts(), ['rooms', 'age']);
    await csv.locator('#probe-send-values').click();
    await csv.locator('#probe-source:has-text("your feature values")').waitFor({ timeout: 20_000 });
    const before = await probs(csv);
    // The keyboard moves the slider as a user would (an input event per step).
    await slider.focus();
    for (let i = 0; i < 40; i++) await s.page.keyboard.press('ArrowRight');
    const after = await pollUntil(
      'the output did not change',
      () => probs(csv),
      (v) => v !== before,
      20_000,
    );
    t.diagnostic(`rooms slider → output ${before} → ${after}`);
    // y grows with rooms (3 per room): more rooms, a larger output.
    assert.ok(Number(after) > Number(before), `${before} → ${after}`);
  }),
);
