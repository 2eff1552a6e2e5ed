import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { trustedToTrain } from './workspaceTrust';
import { ExportError, readExportSource } from '../export/exportSource';
import { exportPyTorch } from '../export/pytorchExport';
import { importPyTorch } from '../export/pytorchImport';
import { CommandId } from './commandIds';
import { t } from '../l10n';

export interface PyTorchCommandDeps {
  /** The model file a command applies to (its argument, or the active editor's file). */
  readonly targetPath: (arg?: unknown) => string | undefined;
  /** After an import: show the new run record for the model file (panel, hovers, probe). */
  readonly onImported: (modelPath: string, runFolder: string) => void;
}

/** A finished run folder with weights to export (final.gbw or best.gbw). */
const hasWeights = (folder: string) =>
  existsSync(path.join(folder, 'final.gbw')) || existsSync(path.join(folder, 'best.gbw'));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const percent = (m: Record<string, number>) =>
  m.accuracy !== undefined
    ? `accuracy ${(100 * m.accuracy).toFixed(2)}%`
    : Object.entries(m)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join(', ');

/**
 * "Glassbox: Export to PyTorch" (asks for a folder; the CLI's `glassbox export --pytorch`) and
 * "Glassbox: Import PyTorch Weights" (asks for the .npz an exported train.py wrote; the CLI's
 * `glassbox import`), both on the saved model file.
 */
export function registerPyTorchCommands(deps: PyTorchCommandDeps): vscode.Disposable[] {
  const modelPath = (arg: unknown): string | undefined => {
    const p = deps.targetPath(arg);
    if (!p) void vscode.window.showWarningMessage(t('Glassbox: open a model file (*.nn.json) first.'));
    else if (vscode.workspace.textDocuments.some((d) => d.uri.fsPath === p && d.isDirty))
      void vscode.window.showWarningMessage(
        t('Glassbox: {0} has unsaved changes; using the saved file.', path.basename(p)),
      );
    return p;
  };
  return [
    // The training panel's button adds the run folder it shows: its weights go with the export.
    vscode.commands.registerCommand(CommandId.exportPyTorch, async (arg?: unknown, runFolder?: unknown) => {
      const p = modelPath(arg);
      if (!p) return;
      const run = typeof runFolder === 'string' && hasWeights(runFolder) ? runFolder : undefined;
      // Exporting reads data and run folders and writes a Python project: a trusted workspace only.
      if (!(await trustedToTrain(t('exporting {0} to PyTorch', path.basename(p))))) return;
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        defaultUri: vscode.Uri.file(path.dirname(p)),
        openLabel: t('Export to PyTorch here'),
        title: run
          ? t('Export {0} (run {1}) to PyTorch', path.basename(p), path.basename(run))
          : t('Export {0} to PyTorch', path.basename(p)),
      });
      if (!picked?.[0]) return;
      try {
        const r = exportPyTorch(readExportSource(run ?? p), picked[0].fsPath);
        const notes = [
          ...r.differences.map((d) => t('Difference: {0}', d)),
          ...(r.noTrain ? [t('No train.py: {0}', r.noTrain)] : []),
        ];
        const open = await vscode.window.showInformationMessage(
          t('Glassbox: exported {0} to {1} ({2}).', path.basename(p), picked[0].fsPath, r.files.join(', ')),
          { detail: notes.join('\n') },
          t('Open README'),
        );
        if (open) void vscode.window.showTextDocument(vscode.Uri.file(path.join(picked[0].fsPath, 'README.md')));
      } catch (e) {
        void vscode.window.showErrorMessage(
          e instanceof ExportError
            ? t('Glassbox: cannot export to PyTorch: {0}', message(e))
            : t('Glassbox: cannot export to PyTorch: {0} (see the output channel)', message(e)),
        );
      }
    }),
    vscode.commands.registerCommand(CommandId.importPyTorch, async (arg?: unknown) => {
      const p = modelPath(arg);
      if (!p) return;
      if (!(await trustedToTrain(t('importing weights into {0}', path.basename(p))))) return;
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectMany: false,
        defaultUri: vscode.Uri.file(path.dirname(p)),
        filters: { [t('Weights from train.py (NumPy .npz)')]: ['npz'] },
        openLabel: t('Import'),
        title: t('Import PyTorch weights into {0}', path.basename(p)),
      });
      if (!picked?.[0]) return;
      try {
        const r = importPyTorch(picked[0].fsPath, p);
        deps.onImported(p, r.runFolder);
        void vscode.window.showInformationMessage(
          r.pytorch
            ? t(
                'Glassbox: imported {0} as {1}: {2} in Glassbox (PyTorch printed {3}).',
                path.basename(picked[0].fsPath),
                path.basename(r.runFolder),
                percent(r.metrics),
                percent(r.pytorch.metrics),
              )
            : t(
                'Glassbox: imported {0} as {1}: {2} in Glassbox.',
                path.basename(picked[0].fsPath),
                path.basename(r.runFolder),
                percent(r.metrics),
              ),
        );
      } catch (e) {
        void vscode.window.showErrorMessage(t('Glassbox: cannot import the weights: {0}', message(e)));
      }
    }),
  ];
}
