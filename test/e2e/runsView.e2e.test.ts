// Issue 16, Runs and Export: the Runs view lists the workspace's run records (written by the CLI
// while the window is open: the view refreshes on its own) grouped by model file, newest first;
// two runs of different model files are compared (both curves in one chart, the differing
// settings listed); the loss chart is exported as CSV, PNG and SVG through VS Code's save dialog;
// deleting a run from the view's context menu removes its folder and its row.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import {
  countPaintedPixels,
  findWebviewFrame,
  reloadWindow,
  retry,
  reviveWebview,
  runCommand,
  startSession,
  type E2ESession,
} from './harness';
import { chartPoints, example, makeWorkspace, pollUntil, repoRoot } from './glassboxSupport';

const E33 = example('E3.3.nn.json');
// E3.3 with dropout on its first layer and fewer epochs: a second model file with different settings.
const DROPOUT = E33.replace('"name": "E3.3"', '"name": "E3.3-dropout"')
  .replace(
    '{ "type": "dense", "units": 13, "activation": "sigmoid" },',
    '{ "type": "dense", "units": 13, "activation": "sigmoid", "keepProb": 0.8 },',
  )
  .replace('"epochs": 50,', '"epochs": 30,');

let s: E2ESession;
let ws: string;
let compare: Frame;

before(
  async () => {
    assert.match(DROPOUT, /"keepProb": 0\.8/);
    assert.match(DROPOUT, /"epochs": 30/);
    ws = makeWorkspace({ 'E3.3.nn.json': E33, 'E3.3-dropout.nn.json': DROPOUT });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

const examples = () => join(s.server.workspaceDir, 'examples');
const runsDir = () => join(examples(), '.glassbox', 'runs');
/** `glassbox train` of a workspace file, as a user would from a terminal beside the window. */
const cliTrain = (file: string) =>
  execFileSync(process.execPath, [join(repoRoot, 'bin', 'glassbox.js'), 'train', join(examples(), file), '--json'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
/** An E3.3 run's folder: `<stamp>-E3.3`, or `<stamp>-E3.3-2` when two runs started in the same second. */
const isE33 = (folder: string) => /-E3\.3(-\d+)?$/.test(folder);
const startedAt = (folder: string) =>
  (JSON.parse(readFileSync(join(runsDir(), folder, 'run.json'), 'utf8')) as { startedAt: string }).startedAt;

/** The Runs view's rows (groups at aria-level 1, runs at 2). */
function rows(level?: 1 | 2): Locator {
  const pane = s.page.locator('.pane', { has: s.page.locator('.pane-header', { hasText: /^\s*Runs/ }) });
  return pane.locator(level ? `.monaco-list-row[aria-level="${level}"]` : '.monaco-list-row');
}
const rowTexts = async (level: 1 | 2) => (await rows(level).allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());

/** Answers VS Code's own save dialog (shown in the browser) with `path`. */
async function answerSaveDialog(path: string): Promise<void> {
  const input = s.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  // The dialog fills in its default path a moment after it shows: type over it only then.
  await pollUntil(
    'the save dialog showed no default path',
    () => input.inputValue(),
    (v) => /\.\w+$/.test(v),
    10_000,
  );
  await input.fill(path);
  await retry(
    `the save dialog did not accept ${path}`,
    async () => {
      if (!(await input.isVisible())) return true;
      await s.page.keyboard.press('Enter');
      await s.page.waitForTimeout(700);
      return (await input.isVisible()) ? undefined : true;
    },
    { timeout: 20_000 },
  );
}

/** Clicks a button in the modal dialog that contains `text`, waiting for it. */
async function answerModal(text: RegExp, button: string, timeout = 20_000): Promise<void> {
  const dialog = s.page.locator('.monaco-dialog-box').filter({ hasText: text });
  await dialog.waitFor({ timeout });
  await dialog.locator('.dialog-buttons a.monaco-button, .dialog-buttons button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
}

test(
  'the Runs view lists runs written while the window is open, grouped by model file and newest first',
  { timeout: 400_000 },
  (t) =>
    s.run(t.name, async () => {
      await runCommand(s.page, 'Glassbox: Focus on Runs View');
      // The view has answered (no runs: its welcome text); give its file watchers time to start.
      await s.page
        .locator('.pane-body .welcome-view-content', { hasText: 'No run records in this workspace yet' })
        .waitFor({ timeout: 30_000 });
      // A damaged record appears (as unreadable) and goes again: the view's file watchers are live
      // (on this shared machine VS Code's watcher has taken tens of seconds to start).
      const damaged = join(runsDir(), 'damaged');
      mkdirSync(damaged, { recursive: true });
      writeFileSync(join(damaged, 'run.json'), '{ not json');
      await pollUntil(
        'the Runs view did not list the damaged record',
        () => rowTexts(2),
        (r) => r.length === 1,
        120_000,
      );
      assert.match((await rowTexts(1))[0], /^unreadable run records/);
      assert.match((await rowTexts(2))[0], /^damaged\s*unreadable$/);
      rmSync(damaged, { recursive: true });
      await pollUntil(
        'the Runs view still lists the damaged record',
        () => rowTexts(2),
        (r) => r.length === 0,
        30_000,
      );
      cliTrain('E3.3.nn.json');
      cliTrain('E3.3-dropout.nn.json');
      cliTrain('E3.3.nn.json');
      const folders = readdirSync(runsDir()).sort();
      assert.equal(folders.length, 3, folders.join(', '));
      // Listed as they appear; each run's final run.json (status complete) refreshes its row too.
      await pollUntil(
        'the Runs view did not list the 3 complete runs',
        () => rowTexts(2),
        (r) => r.length === 3 && r.every((x) => x.includes('complete')),
        120_000,
      );
      const groups = await rowTexts(1);
      t.diagnostic(JSON.stringify(groups));
      // The model trained last comes first; each group counts its runs.
      assert.match(groups[0], /^E3\.3\.nn\.json\s*2 runs$/);
      assert.match(groups[1], /^E3\.3-dropout\.nn\.json\s*1 run$/);
      const runs = await rowTexts(2);
      t.diagnostic(JSON.stringify(runs));
      const e33 = folders.filter((f) => isE33(f)).sort((a, b) => startedAt(b).localeCompare(startedAt(a)));
      const time = (f: string) => startedAt(f).replace('T', ' ').slice(0, 16);
      assert.ok(runs[0].startsWith(`E3.3 · ${time(e33[0])}`), runs[0]);
      assert.ok(runs[1].startsWith(`E3.3 · ${time(e33[1])}`), runs[1]);
      assert.ok(startedAt(e33[0]) > startedAt(e33[1]));
      assert.match(runs[2], /^E3\.3-dropout · [\d-]+ [\d:]+\s*complete · 30\/30 epochs · mae [\d.]+ · rmse [\d.]+$/);
      assert.match(runs[0], /\s*complete · 50\/50 epochs · mae [\d.]+ · rmse [\d.]+$/);
    }),
);

test(
  'two runs of different model files compared: both curves in one chart, the differing settings listed',
  { timeout: 180_000 },
  (t) =>
    s.run(t.name, async () => {
      await rows(2).nth(0).click(); // the newest E3.3 run
      await rows(2)
        .nth(2)
        .click({ modifiers: ['Control'] }); // the E3.3-dropout run
      await runCommand(s.page, 'Glassbox: Compare Runs');
      compare = await findWebviewFrame(s.page, '#compare-loss[data-series="4"]', 60_000);
      const labels = JSON.parse(
        (await compare.locator('#compare-loss').getAttribute('data-labels')) ?? '[]',
      ) as string[];
      t.diagnostic(JSON.stringify(labels));
      assert.equal(labels.length, 4);
      assert.equal(labels.filter((l) => /^E3\.3 · .* — train loss$/.test(l)).length, 1);
      assert.equal(labels.filter((l) => /^E3\.3-dropout · .* — test loss$/.test(l)).length, 1);
      // 50 + 5 points of E3.3 (epochs, evaluations), 30 + 3 of E3.3-dropout.
      assert.equal(await compare.locator('#compare-loss').getAttribute('data-points'), String(50 + 5 + 30 + 3));
      assert.ok((await countPaintedPixels(compare, '#compare-loss')) > 2000, 'the loss chart is not painted');
      const diff = await compare.locator('#compare-diff').innerText();
      t.diagnostic(diff);
      // Oldest run first: E3.3-dropout was trained before the newest E3.3.
      assert.match(diff, /layers\[0\]\.args\.keepProb\s+0\.8\s+1/);
      assert.match(diff, /training\.epochs\s+30\s+50/);
      assert.match(diff, /name\s+"E3\.3-dropout"\s+"E3\.3"/);
      assert.ok(!/optimizer/.test(diff), 'a setting that does not differ is listed');
      assert.ok(await compare.locator('#compare-metric').getAttribute('data-series'), 'no metric chart');
    }),
);

test(
  'the loss chart exported as CSV (one row per point), PNG and SVG through the save dialog',
  { timeout: 180_000 },
  (t) =>
    s.run(t.name, async () => {
      const points = Number(await compare.locator('#compare-loss').getAttribute('data-points'));
      const csvFile = join(s.server.workspaceDir, 'loss.csv');
      await compare.locator('#export-loss-csv').click();
      await answerSaveDialog(csvFile);
      await pollUntil('loss.csv was not written', async () => existsSync(csvFile), Boolean, 20_000);
      const lines = readFileSync(csvFile, 'utf8').trimEnd().split('\r\n');
      t.diagnostic(lines.slice(0, 3).join(' | '));
      assert.equal(lines[0], '"series","epoch","loss","raw"'); // smoothed (0.6 by default): raw values beside
      assert.equal(lines.length - 1, points);
      const series = new Set(lines.slice(1).map((l) => l.slice(0, l.indexOf('",') + 1)));
      assert.equal(series.size, 4);

      const pngFile = join(s.server.workspaceDir, 'loss.png');
      await compare.locator('#export-loss-png').click();
      await answerSaveDialog(pngFile);
      await pollUntil(
        'loss.png was not written',
        async () => existsSync(pngFile) && statSync(pngFile).size > 0,
        Boolean,
        20_000,
      );
      const png = readFileSync(pngFile);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      t.diagnostic(`PNG ${png.length} bytes, ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);
      assert.ok(png.length > 5000, `PNG of ${png.length} bytes`);
      assert.ok(png.readUInt32BE(16) > 200 && png.readUInt32BE(20) > 100);

      const svgFile = join(s.server.workspaceDir, 'loss.svg');
      await compare.locator('#export-loss-svg').click();
      await answerSaveDialog(svgFile);
      await pollUntil('loss.svg was not written', async () => existsSync(svgFile), Boolean, 20_000);
      const svg = readFileSync(svgFile, 'utf8');
      assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg /);
      assert.equal((svg.match(/<path d="M[^"]*" fill="none" stroke="[^"]+" stroke-width="1.5"/g) ?? []).length, 4);
      assert.match(svg, /E3\.3-dropout · .* — test loss<\/text>/);
    }),
);

test(
  'the Compare panel comes back after a window reload, read again from the runs it compared',
  { timeout: 240_000 },
  (t) =>
    s.run(t.name, async () => {
      // Smoothing moved, so the restored panel shows the user's setting, not the default.
      await compare.locator('#compare-smoothing').fill('0.3');
      // The window comes back with the Glassbox side bar (the Runs view) shown, not the explorer.
      await reloadWindow(s.page, { explorer: false });
      compare = await reviveWebview(s.page, 'Glassbox: compare runs', '#compare-loss[data-series="4"]', 120_000);
      assert.equal(await compare.locator('#compare-loss').getAttribute('data-points'), String(50 + 5 + 30 + 3));
      assert.ok((await countPaintedPixels(compare, '#compare-loss')) > 2000, 'the restored loss chart is not painted');
      assert.match(await compare.locator('#compare-diff').innerText(), /training\.epochs\s+30\s+50/);
      assert.equal(await compare.locator('#compare-smoothing').inputValue(), '0.3');
      t.diagnostic('restored with both runs, their settings and the smoothing');
    }),
);

test('deleting a run from the Runs view removes its folder and its row', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    const before = readdirSync(runsDir()).sort();
    const oldest = before.filter((f) => isE33(f)).sort((a, b) => startedAt(a).localeCompare(startedAt(b)))[0];
    await runCommand(s.page, 'Glassbox: Focus on Runs View');
    const row = rows(2).nth(1); // the older E3.3 run
    assert.ok((await row.innerText()).includes(startedAt(oldest).replace('T', ' ').slice(0, 16)));
    await row.click(); // the only selected run: Delete acts on the selection
    const item = s.page.locator('.context-view .action-item', { hasText: /^Delete Run$/ }).first();
    const confirm = s.page.locator('.monaco-dialog-box').filter({ hasText: /Delete the run/ });
    // A menu item clicked just as the menu opens can be ignored: try until the confirmation shows.
    await retry(
      'Delete Run did not ask for confirmation',
      async () => {
        if (!(await item.isVisible())) await row.click({ button: 'right' });
        await item.hover({ timeout: 3000 });
        await item.click({ timeout: 3000 });
        const shown = await confirm.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        );
        return shown ? true : undefined;
      },
      { timeout: 30_000 },
    );
    await answerModal(/Delete the run .*\? Its folder goes to the trash\./, 'Move to Trash');
    // A server without a trash asks before deleting for good.
    const permanently = s.page.locator('.monaco-dialog-box').filter({ hasText: /cannot be moved to the trash/ });
    if (
      await permanently.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      )
    ) {
      t.diagnostic(await permanently.innerText());
      await answerModal(/cannot be moved to the trash/, 'Delete Permanently');
    }
    await pollUntil(
      'the run folder is still there',
      async () => existsSync(join(runsDir(), oldest)),
      (v) => !v,
      20_000,
    );
    assert.deepEqual(
      readdirSync(runsDir()).sort(),
      before.filter((f) => f !== oldest),
    );
    await pollUntil(
      'the Runs view still lists the deleted run',
      () => rowTexts(2),
      (r) => r.length === 2,
      20_000,
    );
    assert.match((await rowTexts(1))[0], /^E3\.3\.nn\.json\s*1 run$/);
  }),
);

test(
  'Open Run shows the record in the training panel, whose loss chart has the smoothing slider and exports its points as CSV',
  { timeout: 120_000 },
  (t) =>
    s.run(t.name, async () => {
      await runCommand(s.page, 'Glassbox: Focus on Runs View');
      const row = rows(2)
        .filter({ hasText: /^\s*E3\.3-dropout/ })
        .first();
      await row.click();
      const item = s.page.locator('.context-view .action-item', { hasText: /^Open Run$/ }).first();
      const panelFrame = () => findWebviewFrame(s.page, 'h1#title:text-is("E3.3-dropout")', 3000);
      const panel = await retry(
        'Open Run did not open the panel',
        async () => {
          if (!(await item.isVisible())) await row.click({ button: 'right' });
          await item.hover({ timeout: 3000 });
          await item.click({ timeout: 3000 });
          return panelFrame().catch(() => undefined);
        },
        { timeout: 60_000 },
      );
      await panel.locator('body[data-state="finished"]').waitFor({ timeout: 30_000 });
      // 30 epochs' training loss and 3 evaluations, from the record.
      await pollUntil(
        'the panel did not draw the record',
        () => chartPoints(panel),
        (n) => n === 33,
        20_000,
      );
      const slider = panel.locator('#loss-smoothing');
      assert.equal(await slider.getAttribute('type'), 'range');
      await slider.fill('0.9');
      const csvFile = join(s.server.workspaceDir, 'panel-loss.csv');
      await panel.locator('#export-loss-csv').click();
      await answerSaveDialog(csvFile);
      await pollUntil('panel-loss.csv was not written', async () => existsSync(csvFile), Boolean, 20_000);
      const lines = readFileSync(csvFile, 'utf8').trimEnd().split('\r\n');
      t.diagnostic(lines.slice(0, 3).join(' | '));
      assert.equal(lines[0], '"series","step","loss","raw"');
      assert.equal(lines.length - 1, 33);
      // Smoothed at 0.9: the second training point lies between the first two raw values.
      const [, second] = lines.slice(1, 3).map((l) => l.split(',').slice(-2).map(Number));
      const firstRaw = Number(lines[1].split(',').pop());
      assert.ok(second[0] < firstRaw && second[0] > second[1], lines.slice(1, 3).join(' | '));
    }),
);
