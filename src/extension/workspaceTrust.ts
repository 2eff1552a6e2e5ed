import * as path from 'node:path';
import * as vscode from 'vscode';
import { dataFilesOf, isInside } from '../data/dataFiles';
import { confinedFileAccess, FileAccess, nodeFileAccess } from '../data/fileAccess';
import type { ModelSpec } from '../modelFile/spec';
import { t } from '../l10n';

/*
 * Workspace trust (package.json: untrustedWorkspaces "limited"). In an untrusted workspace
 * Glassbox validates model files and shows past runs, but trains nothing and reads no data file
 * outside the workspace folders. In a trusted one, a model file that reads data outside its
 * workspace folder asks first, once per folder (remembered for the workspace).
 */

const ALLOWED_KEY = 'glassbox.allowedDataFolders';

const folders = (): string[] => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);

/** The file access the editor validates with: confined to the workspace folders until trusted. */
export function editorFileAccess(): FileAccess {
  if (vscode.workspace.isTrusted) return nodeFileAccess;
  return confinedFileAccess(
    nodeFileAccess,
    (p) => folders().some((f) => isInside(f, p)),
    t('outside the workspace: Glassbox reads no data outside an untrusted workspace (trust the workspace to use it)'),
  );
}

/** Refuses (with a message offering to manage trust) when the workspace is not trusted. */
export async function trustedToTrain(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = t('Manage Workspace Trust');
  const choice = await vscode.window.showWarningMessage(
    t(
      "Glassbox: {0} needs a trusted workspace: training runs code on the model file's data and writes run records. Model files are validated in restricted mode.",
      what,
    ),
    manage,
  );
  if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/**
 * Asks before a model file reads data outside its workspace folder (once per data folder,
 * remembered in the workspace's state). True when every file may be read.
 */
export async function allowedDataAccess(state: vscode.Memento, modelPath: string, spec: ModelSpec): Promise<boolean> {
  const home = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(modelPath))?.uri.fsPath ?? path.dirname(modelPath);
  const allowed = new Set(state.get<string[]>(ALLOWED_KEY, []));
  const outside = [
    ...new Set(
      dataFilesOf(spec.data, modelPath)
        .filter((f) => !isInside(home, f))
        .map((f) => path.dirname(f)),
    ),
  ].filter((d) => ![...allowed].some((a) => isInside(a, d)));
  for (const dir of outside) {
    const allow = t('Allow');
    const choice = await vscode.window.showWarningMessage(
      t(
        'Glassbox: {0} reads data from {1}, outside its workspace folder. Allow model files of this workspace to read data there?',
        path.basename(modelPath),
        dir,
      ),
      { modal: true },
      allow,
    );
    if (choice !== allow) return false;
    allowed.add(dir);
    await state.update(ALLOWED_KEY, [...allowed]);
  }
  return true;
}

/**
 * The runs directory setting, honoured outside the workspace folder only when the user set it in
 * their own settings: a workspace's .vscode/settings.json must not make Glassbox write elsewhere.
 */
export function runsDirectorySetting(
  cfg: vscode.WorkspaceConfiguration,
  folder: string,
  warn: (message: string) => void,
): string | undefined {
  const inspected = cfg.inspect<string>('runsDirectory');
  const user = inspected?.globalValue?.trim();
  const workspace = (inspected?.workspaceFolderValue ?? inspected?.workspaceValue)?.trim();
  if (workspace) {
    const resolved = path.resolve(folder, workspace);
    if (isInside(folder, resolved)) return resolved;
    warn(
      t(
        "glassbox.runsDirectory '{0}' from the workspace settings points outside the workspace; ignored (set it in your user settings to write there)",
        workspace,
      ),
    );
  }
  return user ? path.resolve(folder, user) : undefined;
}
