import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { trustedToTrain } from './workspaceTrust';
import { ExportError, readExportSource } from '../export/exportSource';
import { exportPyTorch } from '../export/pytorchExport';
import { importPyTorch } from '../export/pytorchImport';
import { CommandId } from './commandIds';

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
    if (!p) void vscode.window.showWarningMessage('Glassbox: open a model file (*.nn.json) first.');
    else if (vscode.workspace.textDocuments.some((d) => d.uri.fsPath === p && d.isDirty))
      void vscode.window.showWarningMessage(`Glassbox: ${path.basename(p)} has unsaved changes; using the saved file.`);
    return p;
  };
  return [
    // The training panel's button adds the run folder it shows: its weights go with the export.
    vscode.commands.registerCommand(CommandId.exportPyTorch, async (arg?: unknown, runFolder?: unknown) => {
      const p = modelPath(arg);
      if (!p) return;
      const run = typeof runFolder === 'string' && hasWeights(runFolder) ? runFolder : undefined;
      // Exporting reads data and run folders and writes a Python project: a trusted workspace only.
      if (!(await trustedToTrain(`exporting ${path.basename(p)} to PyTorch`))) return;
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        defaultUri: vscode.Uri.file(path.dirname(p)),
        openLabel: 'Export to PyTorch here',
        title: `Export ${path.basename(p)}${run ? ` (run ${path.basename(run)})` : ''} to PyTorch`,
      });
      if (!picked?.[0]) return;
      try {
        const r = exportPyTorch(readExportSource(run ?? p), picked[0].fsPath);
        const notes = [
          ...r.differences.map((d) => `Difference: ${d}`),
          ...(r.noTrain ? [`No train.py: ${r.noTrain}`] : []),
        ];
        const open = await vscode.window.showInformationMessage(
          `Glassbox: exported ${path.basename(p)} to ${picked[0].fsPath} (${r.files.join(', ')}).`,
          { detail: notes.join('\n') },
          'Open README',
        );
        if (open) void vscode.window.showTextDocument(vscode.Uri.file(path.join(picked[0].fsPath, 'README.md')));
      } catch (e) {
        void vscode.window.showErrorMessage(
          `Glassbox: cannot export to PyTorch: ${message(e)}${e instanceof ExportError ? '' : ' (see the output channel)'}`,
        );
      }
    }),
    vscode.commands.registerCommand(CommandId.importPyTorch, async (arg?: unknown) => {
      const p = modelPath(arg);
      if (!p) return;
      if (!(await trustedToTrain(`importing weights into ${path.basename(p)}`))) return;
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectMany: false,
        defaultUri: vscode.Uri.file(path.dirname(p)),
        filters: { 'Weights from train.py (NumPy .npz)': ['npz'] },
        openLabel: 'Import',
        title: `Import PyTorch weights into ${path.basename(p)}`,
      });
      if (!picked?.[0]) return;
      try {
        const r = importPyTorch(picked[0].fsPath, p);
        deps.onImported(p, r.runFolder);
        void vscode.window.showInformationMessage(
          `Glassbox: imported ${path.basename(picked[0].fsPath)} as ${path.basename(r.runFolder)}: ${percent(r.metrics)} in Glassbox${r.pytorch ? ` (PyTorch printed ${percent(r.pytorch.metrics)})` : ''}.`,
        );
      } catch (e) {
        void vscode.window.showErrorMessage(`Glassbox: cannot import the weights: ${message(e)}`);
      }
    }),
  ];
}
