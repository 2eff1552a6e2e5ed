// End-to-end tests of the Feature Maps side view (issue 6) on a real CNN: while examples/mnist-cnn
// trains, the view shows the probe digit's activations in the selected conv layer as one painted,
// non-uniform tile per channel, its gradients and its filters; choosing another conv layer in the
// view shows that layer's channels; the conv layer's hover shows the same maps as a montage. The
// run is stopped once the tests have seen what they need (they wait on what the view shows, so
// they do not depend on how far a faster or slower machine gets).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { findWebviewFrame, hoverToken, openFile, runCommand, startSession, type E2ESession } from './harness';
import {
  canvasesPainted,
  contrast,
  example,
  hoverImages,
  makeWorkspace,
  type Painted,
  pollUntil,
  repoRoot,
  trainingPanel,
  variant,
} from './glassboxSupport';

// 20 epochs: minutes of training on any machine, so the view is seen updating while it trains;
// the last test stops the run.
const CNN = variant(example('mnist-cnn.nn.json'), 20);
/** The conv layers of the model file, in order: their layer index and filter count. */
const CONVS = [...CNN.matchAll(/\{ "type": "(\w+)"[^\n]*/g)].flatMap((m, index) => {
  const filters = /"filters": (\d+)/.exec(m[0]);
  return m[1] === 'conv2d' && filters ? [{ index, filters: Number(filters[1]) }] : [];
});

let s: E2ESession;
let ws: string;
let view: Frame;
let panel: Frame;

before(
  async () => {
    assert.deepEqual(
      CONVS,
      [
        { index: 0, filters: 8 },
        { index: 2, filters: 16 },
      ],
      'examples/mnist-cnn.nn.json changed: update this test',
    );
    ws = makeWorkspace({ 'mnist-cnn.nn.json': CNN });
    // A dark theme: heatmaps and hover images must not be glaring white blocks in it (issue 12, item 7).
    s = await startSession({
      workspace: ws,
      extensionDirs: [repoRoot],
      settings: { 'workbench.colorTheme': 'Dark Modern' },
    });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/** Tiles of one grid of the view, each checked painted (every pixel opaque) and of `size`. */
async function tiles(grid: string, size: [number, number]): Promise<Painted[]> {
  const all = await canvasesPainted(view, `#${grid} canvas`);
  all.forEach((p, i) => {
    assert.deepEqual([p.width, p.height], size, `${grid} tile ${i}: size`);
    assert.equal(p.opaque, p.width * p.height, `${grid} tile ${i} is not fully painted: ${JSON.stringify(p)}`);
  });
  return all;
}

/** The step of the frame the view shows ("conv2d1 [8, 28, 28] at step 42. …"). */
async function viewStep(): Promise<number> {
  const m = / at step (\d+)\./.exec(await view.locator('#fm-info').innerText());
  return m ? Number(m[1]) : NaN;
}

test(
  'training mnist-cnn shows one painted, non-uniform feature-map tile per channel of the first conv layer',
  { timeout: 150_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'mnist-cnn.nn.json');
      await runCommand(s.page, 'Glassbox: Focus on Feature Maps View');
      view = await findWebviewFrame(s.page, '#fm-grid', 60_000);
      await view.locator('#fm-info:has-text("Train a model")').waitFor({ timeout: 30_000 });
      assert.equal(await view.locator('#fm-grid canvas').count(), 0, 'tiles before any training');
      // Before the first result, the panel's charts say what they will show (issue 12, item 7).
      await openFile(s.page, 'mnist-cnn.nn.json');
      await runCommand(s.page, 'Glassbox: Open Training Panel');
      const empty = await findWebviewFrame(s.page, '#metric-chart', 60_000);
      assert.match(await empty.locator('.chart-empty.until-points').innerText(), /loss appear/);
      // Back to the model file's editor (the panel opened beside it, in the second group).
      await s.page.keyboard.press('Control+1');
      await s.page.locator('.tab.active', { hasText: 'mnist-cnn.nn.json' }).first().waitFor({ timeout: 10_000 });
      await runCommand(s.page, 'Glassbox: Train Model');
      panel = await trainingPanel(s.page, 'mnist-cnn', 90_000);
      await panel.locator('body[data-points]:not([data-points="0"])').waitFor({ state: 'attached', timeout: 90_000 });
      assert.equal(
        await panel.locator('.chart-empty.until-points').isVisible(),
        false,
        'the caption stays over the curve',
      );

      // The selected layer is the first one: conv 8 3×3, padding "same" → [8, 28, 28].
      const conv = CONVS[0];
      await view.locator(`body[data-tiles="${conv.filters}"]`).waitFor({ state: 'attached', timeout: 120_000 });
      assert.equal(await view.locator('#layer-select').inputValue(), String(conv.index));
      assert.match(await view.locator('#fm-info').innerText(), /\[8, 28, 28\] at step \d+/);
      // It follows the training: a later frame replaces the first one seen.
      const first = await viewStep();
      const later = await pollUntil('the view never showed a later frame', viewStep, (n) => n > first, 60_000);
      t.diagnostic(`frames at steps ${first} then ${later}`);
      await view.locator(`body[data-tiles="${conv.filters}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(await view.locator('#fm-grid .fm-tile').count(), conv.filters, 'one tile per channel');
      const maps = await tiles('fm-grid', [28, 28]);
      assert.equal(maps.length, conv.filters);
      t.diagnostic(
        `${await view.locator('#fm-info').innerText()} | panel: ${await panel.locator('#progress').innerText()}; activation tiles, distinct colours: ${maps.map((p) => p.colours).join(' ')}`,
      );
      // A ReLU map of a digit: the background is one colour, the strokes' responses others.
      maps.forEach((p, i) => assert.ok(p.colours >= 2, `channel ${i}'s map is one colour: ${JSON.stringify(p)}`));
      // In a dark theme zero is the background, not white: the maps were glaring white blocks.
      assert.ok(await view.locator('body.vscode-dark').count(), 'the session should start in a dark theme');
      const bright = maps.reduce((n, p) => n + p.bright, 0) / maps.reduce((n, p) => n + p.opaque, 0);
      t.diagnostic(`near-white pixels in the activation maps: ${(100 * bright).toFixed(1)}%`);
      assert.ok(bright < 0.05, `${(100 * bright).toFixed(1)}% of the activation maps' pixels are near white`);
      assert.equal(new Set(maps.map((p) => p.hash)).size, conv.filters, 'two channels show the same picture');

      // Its gradient ∂L/∂output per channel, and the 8 filters (3×3) with their gradients.
      const grads = await tiles('fm-grad', [28, 28]);
      assert.equal(grads.length, conv.filters);
      assert.ok(
        grads.filter((p) => p.colours >= 2).length >= conv.filters / 2,
        `the gradient maps are blank: ${JSON.stringify(grads)}`,
      );
      assert.equal(await view.locator('#fm-filters-section').isVisible(), true, 'a conv layer shows its filters');
      const filters = await tiles('fm-filters', [3, 3]);
      assert.equal(filters.length, conv.filters);
      assert.ok(
        filters.every((p) => p.colours >= 2),
        `a filter is one colour: ${JSON.stringify(filters)}`,
      );
      assert.equal((await tiles('fm-filter-grads', [3, 3])).length, conv.filters);
    }),
);

test("the training panel's Network tab draws the CNN's operations as non-blank heatmaps", { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await panel.locator('.tab-btn[data-tab="network"]').click();
    await panel.locator('body[data-tab="network"]').waitFor({ state: 'attached', timeout: 10_000 });
    // conv → max-pool → conv → max-pool → flatten → dense: one row per layer, each op a box.
    const graph = panel.locator('#network-graph');
    await graph
      .locator(`.op-layer[data-layer="${CONVS.length + 3}"] .op-box canvas`)
      .first()
      .waitFor({ timeout: 60_000 });
    // One consistent reading of the whole graph (it is redrawn twice a second while training).
    const boxes = await graph.locator('.op-box').evaluateAll((els) =>
      els.map((box) => ({
        name: box.querySelector('strong')?.textContent ?? '',
        grids: Array.from(box.querySelectorAll(':scope > .fm-grid')).map((grid) =>
          Array.from(grid.querySelectorAll('canvas')).map((el) => {
            const c = el as HTMLCanvasElement;
            const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            const seen = new Set<number>();
            let opaque = 0;
            for (let i = 0; i < data.length; i += 4) {
              if (data[i + 3] === 255) opaque++;
              seen.add(((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0);
            }
            return { cells: c.width * c.height, opaque, colours: seen.size };
          }),
        ),
      })),
    );
    t.diagnostic(
      boxes
        .map(
          (b) => `${b.name}: ${b.grids.map((g) => g.map((c) => `${c.cells}px/${c.colours}c`).join(',')).join(' | ')}`,
        )
        .join('; '),
    );
    assert.ok(
      boxes.some((b) => b.name === 'Conv2d') && boxes.some((b) => b.name === 'MaxPool2d'),
      `the graph has no conv or pooling op: ${boxes.map((b) => b.name).join(', ')}`,
    );
    for (const [k, b] of boxes.entries()) {
      const [values, grads] = b.grids;
      assert.ok(values?.length, `op ${k} (${b.name}) shows no value heatmap`);
      assert.ok(grads?.length, `op ${k} (${b.name}) shows no gradient heatmap`);
      for (const c of [...values, ...grads])
        assert.equal(c.opaque, c.cells, `op ${k} (${b.name}): a heatmap is not fully painted`);
      assert.ok(
        values.some((c) => c.colours >= 2),
        `op ${k} (${b.name}): every value heatmap is one colour`,
      );
      assert.ok(
        grads.some((c) => c.colours >= 2),
        `op ${k} (${b.name}): every gradient heatmap is one colour`,
      );
    }
    await panel.locator('.tab-btn[data-tab="training"]').click();
  }),
);

test('choosing the second conv layer in the view shows one tile per its channels', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    const conv = CONVS[1];
    await view.locator('#layer-select').selectOption(String(conv.index));
    await view.locator(`body[data-tiles="${conv.filters}"]`).waitFor({ state: 'attached', timeout: 30_000 });
    // conv 16 3×3 "same" after a 2×2 max-pool: [16, 14, 14].
    assert.match(await view.locator('#fm-info').innerText(), /\[16, 14, 14\] at step \d+/);
    const maps = await tiles('fm-grid', [14, 14]);
    assert.equal(maps.length, conv.filters);
    t.diagnostic(
      `${await view.locator('#fm-info').innerText()} | panel: ${await panel.locator('#progress').innerText()}; activation tiles, distinct colours: ${maps.map((p) => p.colours).join(' ')}`,
    );
    assert.ok(
      maps.filter((p) => p.colours >= 2).length >= conv.filters - 2,
      `most of the 16 maps are one colour: ${JSON.stringify(maps)}`,
    );
    assert.equal((await tiles('fm-filters', [3, 3])).length, conv.filters);
    // Back to the first layer (the host echoes the choice, as the panel and hover follow it).
    await view.locator('#layer-select').selectOption(String(CONVS[0].index));
    await view.locator(`body[data-tiles="${CONVS[0].filters}"]`).waitFor({ state: 'attached', timeout: 30_000 });
  }),
);

test(
  'the Layers tab draws each distribution at its laid-out size (labels are not stretched)',
  { timeout: 120_000 },
  (t) =>
    s.run(t.name, async () => {
      await panel.locator('.tab-btn[data-tab="layers"]').click();
      await panel.locator('#layers-list canvas').first().waitFor({ timeout: 60_000 });
      const sizes = await panel.locator('#layers-list canvas').evaluateAll((els) =>
        els.map((c) => {
          const canvas = c as HTMLCanvasElement;
          return [
            canvas.width,
            Math.round(canvas.clientWidth * devicePixelRatio),
            canvas.height,
            Math.round(canvas.clientHeight * devicePixelRatio),
          ];
        }),
      );
      t.diagnostic(`canvas bitmap vs box (device px): ${JSON.stringify(sizes.slice(0, 3))}`);
      for (const [w, cw, h, ch] of sizes) {
        assert.ok(Math.abs(w - cw) <= 1 && Math.abs(h - ch) <= 1, `a ${w}×${h} canvas is shown at ${cw}×${ch}`);
      }
      await panel.locator('.tab-btn[data-tab="training"]').click();
    }),
);

test('hovering the conv layer shows its feature maps as a montage', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    // The model file is the active editor of the first group (Quick Open is not needed, and its
    // list is slow to settle while the webviews redraw).
    await s.page.keyboard.press('Control+1');
    await s.page.locator('.tab.active', { hasText: 'mnist-cnn.nn.json' }).first().waitFor({ timeout: 10_000 });
    const expect = /Layer 1:[\s\S]*Feature maps of the probe sample/;
    const t0 = Date.now();
    await hoverToken(s.page, '"filters": 8', expect, 60_000);
    const t1 = Date.now();
    const images = await hoverImages(s.page, expect);
    const t2 = Date.now();
    const montage = images.find((i) => i.alt === 'feature maps');
    assert.ok(montage, `no feature-map montage in the hover: ${JSON.stringify(images)}`);
    assert.ok(montage.src.startsWith('data:image/png;base64,'));
    // 8 tiles of 28×28 at 2 pixels per value with 2-pixel gaps, in one row (src/images/charts.ts montage).
    assert.deepEqual([montage.width, montage.height], [8 * (28 * 2 + 2), 28 * 2 + 2]);
    assert.ok(montage.colours >= 3, `the montage is blank: ${JSON.stringify(montage)}`);
    // Above the hover's fold, not white in the dark theme; the sparkline stands out on the hover.
    assert.ok(montage.inView, 'the feature-map montage is below the fold of the hover');
    assert.ok(montage.bright < 0.05 * montage.opaque, `the montage is glaring: ${JSON.stringify(montage)}`);
    const spark = images.find((i) => i.alt === 'gradient norm sparkline');
    assert.ok(spark && spark.ink.length === 3 && spark.background.length === 3, JSON.stringify(spark));
    const ratio = contrast(spark.ink, spark.background);
    t.diagnostic(`sparkline ${spark.ink} on ${spark.background}: contrast ${ratio.toFixed(2)}`);
    assert.ok(ratio >= 3, `the sparkline's contrast with the hover is ${ratio.toFixed(2)}:1`);
    await s.page.keyboard.press('Escape');

    // Done: stop the run if it is still going, and wait for it to end.
    if (await panel.locator('body[data-state="running"]').count()) await panel.locator('#btn-stop').click();
    await panel
      .locator('body[data-state="stopped"], body[data-state="finished"], body[data-state="earlyStopped"]')
      .waitFor({ state: 'attached', timeout: 30_000 });
    t.diagnostic(
      `hover shown after ${t1 - t0} ms, its images read in ${t2 - t1} ms, the run ended ${Date.now() - t2} ms later`,
    );

    // The run's evaluation: a confusion matrix whose trace / total is the accuracy the panel reports,
    // and the most confidently wrong test digits drawn (issue 16).
    await panel.locator('#tab-btn-evaluation:not([hidden])').click({ timeout: 30_000 });
    const table = panel.locator('table#confusion');
    await table.waitFor({ timeout: 10_000 });
    const total = Number(await table.getAttribute('data-total'));
    const trace = Number(await table.getAttribute('data-trace'));
    const message = await panel.locator('#message').textContent();
    const accuracy = /accuracy (\d+\.\d+)%/.exec(message ?? '');
    assert.ok(accuracy, `no accuracy in the panel's message: ${message}`);
    assert.equal(((100 * trace) / total).toFixed(2), accuracy[1]);
    assert.equal(await table.locator('tr').count(), 12, 'a header, ten classes and the precision row');
    const wrong = await canvasesPainted(panel, '#wrong-gallery canvas');
    t.diagnostic(`confusion matrix: ${trace} of ${total} right; ${wrong.length} mistakes drawn`);
    assert.ok(wrong.length > 0 && wrong.every((p) => p.colours >= 2), 'the mistakes are drawn as digits');
  }),
);
