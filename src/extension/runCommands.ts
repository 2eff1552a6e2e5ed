import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRunRecord } from '../runs/runRecord';
import { renameRun, DISPLAY_NAME_MAX } from '../runs/runRename';
import { displayNameOf, runDescription, runLabel } from '../runs/runGroups';
import { compareRuns } from '../runs/runComparison';
import { runBundle } from '../runs/runBundle';
import { CommandId } from './commandIds';
import { ComparePanel } from './comparePanel';
import { safeFileName } from './chartExport';
import { RunsView, type RunsNode } from './runsView';
import { t } from '../l10n';

export interface RunCommandDeps {
  readonly extensionUri: vscode.Uri;
  readonly view: RunsView;
  readonly treeView: vscode.TreeView<RunsNode>;
  /** Shows the run in its model file's training panel, restored from the record. */
  openRun(folder: string, modelFile: string): void;
  /** Continues the run from its checkpoint (Resume Training for this folder). */
  resumeRun(folder: string, modelFile: string): Promise<void>;
  log: vscode.LogOutputChannel;
}

/** The run folders a command is about: its arguments (tree rows, paths, Uris), else the view's selection. */
function foldersOf(arg: unknown, selected: unknown, tree: vscode.TreeView<RunsNode>): string[] {
  const one = (a: unknown): string[] => {
    if (a instanceof vscode.Uri) return [a.fsPath];
    if (typeof a === 'string') return [a.startsWith('file:') ? vscode.Uri.parse(a).fsPath : a];
    if (Array.isArray(a)) return a.flatMap(one);
    const n = a as RunsNode | undefined;
    if (n?.kind === 'run') return [n.run.folder];
    return [];
  };
  const picked = Array.isArray(selected) && selected.length ? one(selected) : one(arg);
  const folders = picked.length ? picked : one([...tree.selection]);
  return [...new Set(folders)];
}

/** The model file a run folder's record names ('' when the record cannot be read). */
function modelFileOf(folder: string): string {
  try {
    return readRunRecord(folder).info.modelFile;
  } catch {
    return '';
  }
}

/** The Runs view's commands: open, rename, delete, resume, reveal, compare, export as zip, refresh. */
export function registerRunCommands(d: RunCommandDeps): vscode.Disposable[] {
  const first = (arg: unknown, selected: unknown): string | undefined => foldersOf(arg, selected, d.treeView)[0];
  const say = (m: string) => void vscode.window.showInformationMessage(t('Glassbox: {0}', m));

  const open = (arg?: unknown, selected?: unknown) => {
    const folder = first(arg, undefined) ?? first(undefined, selected);
    if (!folder) return say(t('select a run in the Runs view first.'));
    try {
      d.openRun(folder, readRunRecord(folder).info.modelFile);
    } catch (e) {
      void vscode.window.showErrorMessage(
        t('Glassbox: cannot open {0}: {1}', path.basename(folder), (e as Error).message),
      );
    }
  };

  const rename = async (arg?: unknown, typed?: unknown) => {
    const folder = first(arg, undefined);
    if (!folder) return say(t('select a run in the Runs view first.'));
    let current = '';
    try {
      current = displayNameOf(readRunRecord(folder).info) ?? '';
    } catch {
      // An unreadable record: renameRun says why below.
    }
    const name =
      typeof typed === 'string'
        ? typed
        : await vscode.window.showInputBox({
            title: t('Glassbox: rename run'),
            prompt: t('A name for {0} (empty: back to the model name and start time)', path.basename(folder)),
            value: current,
            validateInput: (v) =>
              v.length > DISPLAY_NAME_MAX ? t('At most {0} characters.', DISPLAY_NAME_MAX) : undefined,
          });
    if (name === undefined) return;
    try {
      renameRun(folder, name);
      d.view.refresh();
    } catch (e) {
      void vscode.window.showErrorMessage(
        t('Glassbox: cannot rename {0}: {1}', path.basename(folder), (e as Error).message),
      );
    }
  };

  const remove = async (arg?: unknown, selected?: unknown) => {
    const folders = foldersOf(arg, selected, d.treeView);
    if (!folders.length) return say(t('select a run in the Runs view first.'));
    const running = folders.filter((f) => {
      try {
        return readRunRecord(f).status === 'running';
      } catch {
        return false;
      }
    });
    if (running.length) return say(t('{0} is still training: stop it before deleting it.', path.basename(running[0])));
    const names = folders.map((f) => path.basename(f));
    const trash = t('Move to Trash');
    const choice = await vscode.window.showWarningMessage(
      folders.length === 1
        ? t('Delete the run {0}? Its folder goes to the trash.', names[0])
        : t('Delete {0} runs ({1})? Their folders go to the trash.', folders.length, names.join(', ')),
      { modal: true },
      trash,
    );
    if (choice !== trash) return;
    for (const f of folders) {
      const uri = vscode.Uri.file(f);
      try {
        await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: true });
      } catch (e) {
        // A remote or browser host may have no trash: ask before deleting for good.
        d.log.warn(`could not move ${f} to the trash: ${(e as Error).message}`);
        const permanently = t('Delete Permanently');
        const again = await vscode.window.showWarningMessage(
          t('{0} cannot be moved to the trash ({1}). Delete it permanently?', path.basename(f), (e as Error).message),
          { modal: true },
          permanently,
        );
        if (again !== permanently) continue;
        await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
      }
    }
    d.view.refresh();
  };

  const resume = async (arg?: unknown) => {
    const folder = first(arg, undefined);
    if (!folder) return say(t('select a run in the Runs view first.'));
    const modelFile = modelFileOf(folder);
    if (!modelFile) return say(t('cannot resume {0}: its record cannot be read.', path.basename(folder)));
    await d.resumeRun(folder, modelFile);
  };

  const reveal = async (arg?: unknown) => {
    const folder = first(arg, undefined);
    if (!folder) return say(t('select a run in the Runs view first.'));
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
  };

  const compare = async (arg?: unknown, selected?: unknown) => {
    let folders = foldersOf(arg, selected, d.treeView);
    if (folders.length < 2) {
      const items = d.view.allRuns().flatMap((r) =>
        'record' in r
          ? [
              {
                label: runLabel(r.record),
                description: runDescription(r.record),
                detail: r.record.info.modelFile,
                folder: r.folder,
                picked: folders.includes(r.folder),
              },
            ]
          : [],
      );
      if (items.length < 2) return say(t('comparing needs two runs; train a model twice (or two models) first.'));
      const picked = await vscode.window.showQuickPick(items, {
        canPickMany: true,
        title: t('Glassbox: compare runs'),
        placeHolder: t('Pick two or more runs to compare'),
      });
      if (!picked) return;
      folders = picked.map((p) => p.folder);
      if (folders.length < 2) return say(t('pick at least two runs to compare.'));
    }
    const msg = compareRuns(folders);
    if (msg.runs.length < 2)
      return void vscode.window.showErrorMessage(t('Glassbox: cannot compare: {0}', msg.notes.join(' ')));
    const ws = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folders[0]))?.uri;
    ComparePanel.show(d.extensionUri, msg, ws);
  };

  const exportBundle = async (arg?: unknown, target?: unknown) => {
    const folder = first(arg, undefined);
    if (!folder) return say(t('select a run in the Runs view first.'));
    const ws = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder))?.uri;
    const name = `${safeFileName(path.basename(folder), 'run')}.zip`;
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            defaultUri: ws ? vscode.Uri.joinPath(ws, name) : undefined,
            filters: { Zip: ['zip'] },
            title: t('Glassbox: export the run as a zip bundle'),
          });
    if (!uri) return;
    try {
      await vscode.workspace.fs.writeFile(uri, await runBundle(folder));
      say(t('saved {0}', uri.fsPath));
    } catch (e) {
      void vscode.window.showErrorMessage(t('Glassbox: could not save {0}: {1}', uri.fsPath, (e as Error).message));
    }
  };

  return [
    vscode.commands.registerCommand(CommandId.runsRefresh, () => d.view.refresh()),
    vscode.commands.registerCommand(CommandId.runsOpen, open),
    vscode.commands.registerCommand(CommandId.runsRename, rename),
    vscode.commands.registerCommand(CommandId.runsDelete, remove),
    vscode.commands.registerCommand(CommandId.runsResume, resume),
    vscode.commands.registerCommand(CommandId.runsReveal, reveal),
    vscode.commands.registerCommand(CommandId.compareRuns, compare),
    vscode.commands.registerCommand(CommandId.runsExportBundle, exportBundle),
  ];
}

/**
 * The Runs view (every run record in the workspace) with its tree and commands; file events missed
 * while it was hidden show up when it is shown again.
 */
export function registerRunsView(d: Omit<RunCommandDeps, 'view' | 'treeView'>): {
  view: RunsView;
  disposables: vscode.Disposable[];
} {
  const view = new RunsView(d.log);
  const treeView = vscode.window.createTreeView<RunsNode>('glassbox.runsView', {
    treeDataProvider: view,
    canSelectMany: true,
    showCollapseAll: true,
  });
  return {
    view,
    disposables: [
      view,
      treeView,
      treeView.onDidChangeVisibility((e) => e.visible && view.refreshSoon()),
      ...registerRunCommands({ ...d, view, treeView }),
    ],
  };
}
