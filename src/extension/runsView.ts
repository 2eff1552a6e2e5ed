import * as vscode from 'vscode';
import { findRuns, type ListedRun } from '../runs/runList';
import { groupLabel, groupRuns, runDescription, runLabel, type RunGroup } from '../runs/runGroups';
import { t } from '../l10n';

/** A row of the Runs view: a model file's group, or one run folder. */
export type RunsNode =
  | { readonly kind: 'group'; readonly group: RunGroup }
  | { readonly kind: 'run'; readonly run: ListedRun; readonly modelFile: string };

/** How long the view waits after the last file event before it lists the runs again. */
const REFRESH_DEBOUNCE_MS = 500;

/**
 * The Runs view (Glassbox container): every run record in the workspace folders (`findRuns`:
 * run.json folders, bounded, symbolic links not followed), grouped by model file, newest first.
 * Run records are untrusted, but tree labels, descriptions and tooltips are drawn as text by VS Code.
 * It lists again when a run.json or a run folder appears, changes or goes (debounced).
 */
export class RunsView implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private groups: RunGroup[] | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    for (const glob of ['**/run.json', '**/.glassbox/runs/*']) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      const later = () => this.refreshSoon();
      this.disposables.push(w, w.onDidCreate(later), w.onDidDelete(later), w.onDidChange(later));
    }
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
  }

  /** Lists the runs again now. */
  refresh(): void {
    this.groups = undefined;
    this.changed.fire(undefined);
  }

  /** Lists the runs again after the file events of a burst (a checkpoint writes several files). */
  refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, REFRESH_DEBOUNCE_MS);
  }

  /** Every listed run, newest first (after `getChildren` listed them; lists them if not). */
  allRuns(): ListedRun[] {
    return this.list().flatMap((g) => g.runs);
  }

  private list(): RunGroup[] {
    if (!this.groups) {
      const seen = new Set<string>();
      const listed = (vscode.workspace.workspaceFolders ?? [])
        .flatMap((f) => findRuns(f.uri.fsPath))
        .filter((r) => !seen.has(r.folder) && !!seen.add(r.folder));
      this.groups = groupRuns(listed);
    }
    return this.groups;
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (!node) return this.list().map((group) => ({ kind: 'group', group }));
    if (node.kind === 'group')
      return node.group.runs.map((run) => ({ kind: 'run', run, modelFile: node.group.modelFile }));
    return [];
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(groupLabel(node.group), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.group.modelFile}`;
      item.description = node.group.runs.length === 1 ? t('1 run') : t('{0} runs', node.group.runs.length);
      item.tooltip = node.group.modelFile || undefined;
      item.contextValue = 'glassboxRunGroup';
      item.iconPath = new vscode.ThemeIcon('file-code');
      return item;
    }
    const r = node.run;
    if (!('record' in r)) {
      const item = new vscode.TreeItem(r.folder.split(/[\\/]/).pop() ?? r.folder);
      item.id = `run:${r.folder}`;
      item.description = t('unreadable');
      item.tooltip = `${r.folder}\n${r.error}`;
      item.contextValue = 'glassboxRunUnreadable';
      item.iconPath = new vscode.ThemeIcon('warning');
      return item;
    }
    const item = new vscode.TreeItem(runLabel(r.record));
    item.id = `run:${r.folder}`;
    item.description = runDescription(r.record);
    item.tooltip = `${r.folder}\n${r.record.info.modelFile}\n${r.record.info.startedAt}`;
    item.contextValue = `glassboxRun.${r.record.status}`;
    item.iconPath = new vscode.ThemeIcon(statusIcon(r.record.status));
    return item;
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === 'group') return undefined;
    const group = this.list().find((g) => g.modelFile === node.modelFile);
    return group ? { kind: 'group', group } : undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function statusIcon(status: string): string {
  switch (status) {
    case 'complete':
      return 'pass';
    case 'running':
      return 'sync';
    case 'failed':
    case 'diverged':
      return 'error';
    default:
      return 'debug-pause';
  }
}
