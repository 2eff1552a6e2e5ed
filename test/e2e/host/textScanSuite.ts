// In-host test (see ../largeTextHost.e2e.test.ts): opening and editing a model file whose data is a
// 150 MB text keeps the extension host's main thread serving its event loop — the text is scanned
// in a worker — and the deep scan's diagnostic (invalid UTF-8 near the end) still arrives.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { runHostTests } from './runner';
import { StallProbe } from './stallProbe';

/** The longest the host's main thread may be busy without serving its timers (issue 13). */
const MAX_BUSY_MS = 200;
/** Line of big.txt whose first byte is not UTF-8 (the E2E file writes it). */
const BAD_LINE = 2_600_000;

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  const uri = vscode.Uri.file(join(folder.uri.fsPath, 'examples', 'big.nn.json'));
  const ext = vscode.extensions.getExtension('glassbox.glassbox');
  assert.ok(ext, 'Glassbox is not loaded');
  await ext.activate();

  const openAndEdit = async () => {
    const probe = new StallProbe(() => 'validating');
    const t0 = Date.now();
    const editor = await vscode.window.showTextDocument(uri);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 300));
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      await editor.edit((e) => e.insert(end, ' '));
    }
    // The deep scan's error, at its line of the text, on the data path.
    const utf8 = await new Promise<vscode.Diagnostic>((resolve, reject) => {
      const find = () => vscode.languages.getDiagnostics(uri).find((d) => /is not valid UTF-8/.test(d.message));
      const timer = setTimeout(() => reject(new Error('no UTF-8 diagnostic within 120 s')), 120_000);
      const check = () => {
        const d = find();
        if (!d) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(d);
      };
      const sub = vscode.languages.onDidChangeDiagnostics(check);
      check();
    });
    const report = probe.stop();
    const worst = report.worst('busy');
    const summary =
      `big.nn.json (150 MB text): diagnostic after ${Date.now() - t0} ms: ${utf8.message.replace(/^.*big\.txt/, 'big.txt')}. ` +
      `Host main thread: ${report.totals}. Longest busy stretch ${worst[0]?.busyMs ?? 0} ms, longest raw delay ` +
      `${report.worst('late')[0]?.lateMs ?? 0} ms${report.split ? '' : ' (no schedstat: busy = raw)'}. Worst by busy: ${JSON.stringify(worst)}`;
    console.log(`[host-test] ${summary}`);
    assert.match(utf8.message, new RegExp(`big\\.txt:${BAD_LINE}:1: byte \\d+ \\(0xff\\) is not valid UTF-8`));
    assert.ok(
      (worst[0]?.busyMs ?? 0) < MAX_BUSY_MS,
      `the host's main thread was busy ${worst[0]?.busyMs} ms without serving its event loop (limit ${MAX_BUSY_MS} ms). ${summary}`,
    );
  };

  await runHostTests('large text', [
    ["opening and editing a model on a 150 MB text never keeps the host's event loop busy 200 ms", openAndEdit],
  ]);
}
