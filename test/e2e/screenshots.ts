// Takes the README's screenshots inside a real VS Code (code-server + Debian chromium, the E2E
// harness): the training panel, its Network tab and the Feature Maps view while examples/mnist-cnn
// trains. Not a test. Run after `bash scripts/e2e/setup.sh` and `npm run build`:
//   node out/test/e2e/screenshots.js            → docs/images/*.png
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findWebviewFrame, openFile, runCommand, startSession } from './harness';
import { example, makeWorkspace, repoRoot, trainingPanel, variant } from './glassboxSupport';

async function main(): Promise<void> {
  // 20 epochs without early stopping: it is still training when the pictures are taken.
  const ws = makeWorkspace({
    'mnist-cnn.nn.json': variant(example('mnist-cnn.nn.json'), 20).replace(
      '"evalEvery": 1,',
      '"evalEvery": 1, "earlyStopping": false,',
    ),
  });
  const s = await startSession({
    workspace: ws,
    extensionDirs: [repoRoot],
    settings: { 'workbench.colorTheme': 'Dark Modern' },
  });
  const out = (name: string) => join(repoRoot, 'docs', 'images', name);
  try {
    await s.page.setViewportSize({ width: 1500, height: 900 });
    await openFile(s.page, 'mnist-cnn.nn.json');
    await runCommand(s.page, 'Glassbox: Focus on Feature Maps View');
    const view = await findWebviewFrame(s.page, '#fm-grid', 60_000);
    await openFile(s.page, 'mnist-cnn.nn.json');
    await runCommand(s.page, 'Glassbox: Train Model');
    const panel = await trainingPanel(s.page, 'mnist-cnn', 90_000);
    await view.locator('body[data-tiles="8"]').waitFor({ state: 'attached', timeout: 120_000 });
    // Let the curves grow for a while (two evaluations: epochs 1 and 2).
    await panel.locator('#last-eval:has-text("epoch 2")').waitFor({ timeout: 240_000 });
    const hideToasts = () => runCommand(s.page, 'Notifications: Hide Notifications').catch(() => undefined);
    await hideToasts();
    await s.page.screenshot({ path: out('vscode-training.png') });
    await panel.locator('.tab-btn[data-tab="network"]').click();
    await panel.locator('#network-graph .op-box canvas').first().waitFor({ timeout: 30_000 });
    await s.page.waitForTimeout(1_500);
    await hideToasts();
    await s.page.screenshot({ path: out('vscode-network-tab.png') });
    await runCommand(s.page, 'Glassbox: Stop Training');
    console.log(`wrote ${out('vscode-training.png')} and ${out('vscode-network-tab.png')}`);
  } finally {
    await s.close();
    rmSync(dirname(ws), { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
