import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { BOOK_EXPERIMENTS } from '../parity/bookExperimentReport';
import { CommandId } from './commandIds';
import { CHAPTER_EXAMPLES, prepareExample } from './walkthroughFiles';
import { currentLocale, t } from '../l10n';

/**
 * The Getting Started walkthrough (package.json `contributes.walkthroughs`, one step per book
 * chapter) and "Glassbox: Run Book Experiment…". A step's buttons open the chapter's example,
 * copied into `glassbox-book/` of the first workspace folder (or of the extension's global
 * storage when no folder is open) so that its runs can be written beside it, and train it.
 */
export function registerWalkthrough(context: vscode.ExtensionContext): vscode.Disposable[] {
  const bookDir = () => {
    const ws = vscode.workspace.workspaceFolders?.[0];
    return ws && ws.uri.scheme === 'file'
      ? path.join(ws.uri.fsPath, 'glassbox-book')
      : path.join(context.globalStorageUri.fsPath, 'glassbox-book');
  };
  const openExample = async (chapter: unknown): Promise<vscode.Uri | undefined> => {
    const name = CHAPTER_EXAMPLES[Number(chapter)];
    if (!name) {
      void vscode.window.showWarningMessage(t('Glassbox: chapter {0} has no example model file.', String(chapter)));
      return undefined;
    }
    const uri = vscode.Uri.file(prepareExample(context.extensionUri.fsPath, name, bookDir()));
    await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.One });
    return uri;
  };

  const output = vscode.window.createOutputChannel(t('Glassbox Book Experiments'));
  const runExperiment = async (arg?: unknown): Promise<void> => {
    let id = typeof arg === 'string' ? arg : undefined;
    if (!id) {
      const pick = await vscode.window.showQuickPick(
        BOOK_EXPERIMENTS.map((e) => ({ label: e.id, description: t('chapter {0}', e.chapter), detail: t(e.title) })),
        {
          title: t('Glassbox: Run Book Experiment'),
          placeHolder: t('A code-only experiment of the book, run beside its printed numbers'),
        },
      );
      id = pick?.label;
    }
    if (!id) return;
    if (!BOOK_EXPERIMENTS.some((e) => e.id === id))
      return void vscode.window.showWarningMessage(t("Glassbox: no book experiment '{0}'.", id));
    const script = path.join(context.extensionUri.fsPath, 'dist', 'bookExperimentWorker.js');
    const reply = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: t('Glassbox: running {0}', id) },
      () =>
        new Promise<{ text?: string; error?: string }>((resolve) => {
          const worker = new Worker(script, { workerData: { id, locale: currentLocale() }, name: `glassbox-${id}` });
          worker.once('message', (m: { text?: string; error?: string }) => resolve(m));
          worker.once('error', (e) => resolve({ error: e.message }));
          worker.once('exit', (code) => resolve({ error: t("the experiment's worker exited with code {0}", code) }));
        }),
    );
    output.appendLine(reply.text ?? t('{0} failed: {1}', id, reply.error ?? ''));
    output.show(true);
  };

  return [
    output,
    vscode.commands.registerCommand(CommandId.walkthroughOpenExample, (chapter: unknown) => openExample(chapter)),
    vscode.commands.registerCommand(CommandId.walkthroughTrainExample, async (chapter: unknown) => {
      const uri = await openExample(chapter);
      if (uri) await vscode.commands.executeCommand(CommandId.trainModel, uri);
    }),
    vscode.commands.registerCommand(CommandId.runBookExperiment, (id?: unknown) => runExperiment(id)),
  ];
}
