// In-host tests of the fixture extension: they use the vscode API directly, in the real extension
// host. Loaded by runExtensionHostTests as an extensionTestsPath module (see ../hostApi.e2e.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { runHostTests } from './runner';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('glassbox-e2e.hello-extension');
  assert.ok(ext, 'fixture extension not loaded');
  await ext.activate(); // otherwise its commands may not be registered yet
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder.uri.fsPath, 'greeting.hello')));

  await runHostTests('hello-extension', [
    [
      'commands are registered',
      async () => {
        const all = await vscode.commands.getCommands(true);
        assert.ok(all.includes('hello.sayHi') && all.includes('hello.showPanel'));
      },
    ],
    [
      'hover provider answers at 2:12',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          new vscode.Position(1, 11),
        );
        const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
        assert.match(text, /HelloHover.*tensor/);
      },
    ],
    [
      'TODO is a warning diagnostic',
      () => {
        const diags = vscode.languages.getDiagnostics(doc.uri);
        assert.deepEqual(
          diags.map((d) => [d.message, d.severity, d.range.start.line]),
          [['TODO left in greeting', vscode.DiagnosticSeverity.Warning, 2]],
        );
      },
    ],
    [
      'the extension host is Node with worker_threads',
      async () => {
        assert.equal(process.versions.electron, undefined);
        const worker = new Worker('require("node:worker_threads").parentPort.postMessage(6 * 7)', { eval: true });
        const answer = await new Promise((done, fail) => worker.once('message', done).once('error', fail));
        await worker.terminate();
        assert.equal(answer, 42);
      },
    ],
  ]);
}
