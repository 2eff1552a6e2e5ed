import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hoverToken, openFile, pickInOpenQuickInput, runCommand, startSession, type E2ESession } from './harness';
import { example, makeWorkspace, repoRoot, trainingPanel, waitForPanelState } from './glassboxSupport';

/*
 * Issue 12, localisation: code-server started with `--locale zh-cn` shows Glassbox in Simplified
 * Chinese: the palette's command titles (package.nls.zh-cn.json), the training panel (the bundle
 * the host sends to the webview) and a layer hover (the extension host's catalog). Saves the
 * README's two Chinese screenshots (docs/images/vscode-zh-panel.png, vscode-zh-hover.png).
 */
const LANGUAGE_PACKS = {
  'zh-cn': {
    hash: 'glassbox-e2e-zh-cn',
    label: '中文(简体)',
    extensions: [{ extensionIdentifier: { id: 'glassbox-e2e.zh-cn-language-pack' }, version: '0.0.1' }],
    translations: { vscode: join(repoRoot, 'test', 'e2e', 'fixtures', 'zh-cn-language-pack', 'main.i18n.json') },
  },
};

let s: E2ESession;
let ws: string;
const shot = (name: string) => join(repoRoot, 'docs', 'images', name);

before(
  async () => {
    ws = makeWorkspace({ 'mnist-mlp.nn.json': example('mnist-mlp.nn.json') });
    s = await startSession({
      workspace: ws,
      extensionDirs: [repoRoot],
      extraArgs: ['--locale', 'zh-cn'],
      // Without a language pack for zh-cn the server settles on English whatever --locale says, and
      // the real pack cannot be downloaded offline: the fixture declares zh-cn with no translations
      // of VS Code's own UI (which stays English), listed where the server looks for language packs.
      userDataFiles: { 'languagepacks.json': JSON.stringify(LANGUAGE_PACKS) },
      settings: { 'workbench.colorTheme': 'Dark Modern' },
    });
    await s.page.setViewportSize({ width: 1280, height: 760 });
    await openFile(s.page, 'mnist-mlp.nn.json');
  },
  { timeout: 180_000 },
);
after(() => {
  s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

test('the training panel speaks Chinese: tabs, buttons, state, progress and evaluation', { timeout: 240_000 }, (t) =>
  s.run(t.name, async () => {
    // The palette lists the command by its Chinese title (package.nls.zh-cn.json).
    await runCommand(s.page, 'Glassbox: 训练模型');
    const panel = await trainingPanel(s.page, 'mnist-mlp', 90_000);
    await waitForPanelState(panel, 'finished', 180_000);
    const text = (selector: string) => panel.locator(selector).first().innerText();
    assert.equal(await text('#state'), '已完成');
    assert.equal(await text('.tab-btn[data-tab="training"]'), '训练');
    assert.equal(await text('.tab-btn[data-tab="layers"]'), '层');
    assert.equal(await text('.tab-btn[data-tab="network"]'), '网络');
    assert.match(await text('#btn-train'), /训练/);
    assert.match(await text('#progress'), /^第 \d+\/8 轮 · 批量 \d+\/\d+ · 损失 /);
    assert.match(await text('#last-eval'), /^测试损失 [\d.]+ · 准确率 [\d.]+%（第 8 轮）$/);
    assert.match(await text('#config'), /数据集/);
    assert.match(await text('#layers'), /输出形状/);
    await runCommand(s.page, 'Notifications: Clear All Notifications').catch(() => undefined);
    await s.page.waitForTimeout(500);
    await s.page.screenshot({ path: shot('vscode-zh-panel.png') });
  }),
);

test('a layer hover speaks Chinese after training', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'mnist-mlp.nn.json');
    const hover = await hoverToken(s.page, '"units": 64', /第 1 层/);
    assert.match(hover, /第 1 层：dense1/);
    assert.match(hover, /输入 \[784\] → 输出 \[64\] · 50,240 个参数/);
    assert.match(hover, /第 \d+ 步：梯度范数 ‖∂L\/∂W‖ = [\d.e+-]+，权重范数 ‖W‖ = [\d.e+-]+/);
    assert.match(hover, /健康状况：/);
    assert.match(hover, /在面板中显示/);
    await s.page.waitForTimeout(500);
    await s.page.screenshot({ path: shot('vscode-zh-hover.png') });
  }),
);

test('the walkthrough speaks Chinese: its title, chapter steps and buttons', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await s.page.keyboard.press('Escape');
    await runCommand(s.page, 'Welcome: Open Walkthrough...');
    await pickInOpenQuickInput(s.page, '在 Glassbox 中学《深度学习：从零开始》');
    const page = s.page.locator('.gettingStartedContainer');
    await page.getByText('第 7 章：自编码器及其潜在空间').first().waitFor({ timeout: 30_000 });
    for (let n = 1; n <= 7; n++)
      assert.ok(await page.getByText(new RegExp(`^第 ${n} 章：`)).count(), `no chapter ${n}`);
    await page.getByText('第 5 章：卷积与特征图').first().click();
    await page.getByRole('button', { name: '训练它' }).filter({ visible: true }).first().waitFor({ timeout: 15_000 });
  }),
);
