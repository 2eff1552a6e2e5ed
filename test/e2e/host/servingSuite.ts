// In-host test: a finished run's worker stays to answer probes, but at most MAX_SERVING_WORKERS of
// them across model files (each holds its model and data in the extension host's process): training
// three model files one after another leaves the last two serving and ends the first one's worker.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { runHostTests } from './runner';

/** The part of Glassbox's activate() result the test uses (src/extension/extension.ts, GlassboxApi). */
interface GlassboxApi {
  controllerFor(modelPath: string): { readonly onDidEnd: vscode.Event<string>; readonly probing: boolean } | undefined;
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<GlassboxApi>('glassbox.glassbox');
  assert.ok(ext, 'Glassbox is not loaded');
  const api = await ext.activate();
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  const pathOf = (file: string) => join(folder.uri.fsPath, 'examples', file);

  const train = async (file: string) => {
    const p = pathOf(file);
    await vscode.commands.executeCommand('glassbox.trainModel', vscode.Uri.file(p));
    const controller = api.controllerFor(p);
    assert.ok(controller, `the command started no run of ${file}`);
    const state = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${file} did not end within 120 s`)), 120_000);
      controller.onDidEnd((s) => {
        clearTimeout(timer);
        resolve(s);
      });
    });
    assert.ok(state === 'finished' || state === 'earlyStopped', `${file} ended ${state}`);
  };
  /** Whether the model file's worker still answers probes, once a terminating worker has exited. */
  const serving = async (file: string, expect: boolean) => {
    const deadline = Date.now() + 15_000;
    while (api.controllerFor(pathOf(file))?.probing !== expect && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    return api.controllerFor(pathOf(file))?.probing;
  };

  await runHostTests('serving', [
    [
      'after three runs of three model files, the last two workers answer probes and the first has ended',
      async () => {
        await train('a.nn.json');
        assert.equal(await serving('a.nn.json', true), true, 'a finished run serves probes');
        await train('b.nn.json');
        assert.equal(await serving('a.nn.json', true), true, 'two serving workers are allowed');
        await train('c.nn.json');
        assert.equal(await serving('a.nn.json', false), false, 'the oldest serving worker did not end');
        assert.equal(await serving('b.nn.json', true), true);
        assert.equal(await serving('c.nn.json', true), true);
      },
    ],
  ]);
}
