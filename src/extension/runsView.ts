import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRunRecord } from '../runs/runRecord';
import { findRuns, type ListedRun } from '../runs/runList';
import { groupLabel, groupRuns, runDescription, runLabel, type RunGroup } from '../runs/runGroups';
import { t } from '../l10n';

/** A row of the Runs view: a model file's group, or one run folder. */
export type RunsNode =
  | { readonly kind: 'group'; readonly group: RunGroup }
  | { readonly kind: 'run'; readonly run: ListedRun; readonly modelFile: string };

/** How long the view waits after the last file event before it lists the runs again. */
const REFRESH_DEBOUNCE_MS = 500;
/** How often the records of runs still running are read again (see `followRunning`). */
const RUNNING_POLL_MS = 3000;
/** Most run folders' parents watched directly (see `watchRunsFolders`). */
const MAX_FOLDER_WATCHERS = 64;

/**
 * The Runs view (Glassbox container): every run record in the workspace folders (`findRuns`:
 * run.json folders, bounded, symbolic links not followed), grouped by model file, newest first.
 * Run records are untrusted, but tree labels, descriptions and tooltips are drawn as text by VS Code.
 * It lists again when a run.json or a run folder appears, changes or goes (debounced).
 */
export class RunsView implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The run folders found (undefined: search again), and their grouping. */
  private listed: ListedRun[] | undefined;
  private groups: RunGroup[] | undefined;
  private rescan = false;
  private poll: ReturnType<typeof setTimeout> | undefined;
  private readonly folderWatchers = new Map<string, FSWatcher>();
  private readonly changedRuns = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly watchers: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.watch();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.refresh();
      }),
    );
  }

  /**
   * Watches each workspace folder (everything: a run folder deleted as a whole reports only the
   * folder, which no `run.json` pattern matches; and in code-server narrower patterns heard nothing
   * in the E2E test) and keeps only what changes the list: a run.json written (re-read that run),
   * a run.json elsewhere (search again), a listed run folder or one of its parents deleted (search
   * again). The other files a training run rewrites every second (metrics, checkpoints, their
   * temporary files) are ignored.
   */
  private watch(): void {
    for (const d of this.watchers.splice(0)) d.dispose();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**'));
      this.watchers.push(
        w,
        w.onDidCreate((u) => this.fileEvent(u.fsPath, false)),
        w.onDidChange((u) => this.fileEvent(u.fsPath, false)),
        w.onDidDelete((u) => this.fileEvent(u.fsPath, true)),
      );
    }
  }

  private fileEvent(p: string, deleted: boolean): void {
    const listed = this.listed;
    if (path.basename(p) === 'run.json') {
      const folder = path.dirname(p);
      this.refreshSoon(!deleted && listed?.some((r) => r.folder === folder) ? folder : undefined);
    } else if (deleted && listed?.some((r) => r.folder === p || r.folder.startsWith(p + path.sep))) this.refreshSoon();
    // A new run folder: its run.json follows at once, sometimes before the watcher watches the folder.
    else if (!deleted && path.dirname(p).endsWith(`${path.sep}.glassbox${path.sep}runs`)) this.refreshSoon();
  }

  /**
   * Also watches each folder that holds runs (`.glassbox/runs`) directly, without VS Code: run
   * folders added or removed there are seen even when the workspace watcher is late or misses
   * events (code-server on a loaded machine, in the E2E test, heard nothing for minutes). A folder
   * stays watched until it goes; at most `MAX_FOLDER_WATCHERS`.
   */
  private watchRunsFolders(): void {
    for (const dir of new Set(this.listed?.map((r) => path.dirname(r.folder)))) {
      if (this.folderWatchers.has(dir) || this.folderWatchers.size >= MAX_FOLDER_WATCHERS) continue;
      try {
        const w = watch(dir, (_event, name) => {
          if (name && !String(name).includes('.tmp-')) this.refreshSoon();
        });
        w.on('error', () => {
          w.close();
          this.folderWatchers.delete(dir);
        });
        this.folderWatchers.set(dir, w);
      } catch {
        // Gone already, or no watches left: the workspace watcher and Refresh remain.
      }
    }
  }

  /**
   * While a listed run is still running (in this window, a terminal or another window), its record
   * is read again every few seconds: its row's status and epochs stay right even if a file event
   * was missed (a loaded machine's watcher started late or missed a new folder's first writes).
   */
  private followRunning(): void {
    if (this.poll) clearTimeout(this.poll);
    this.poll = undefined;
    const running = this.listed?.filter((r) => 'record' in r && r.record.status === 'running') ?? [];
    if (!running.length) return;
    this.poll = setTimeout(() => {
      this.poll = undefined;
      for (const r of running) this.changedRuns.add(r.folder);
      this.refreshSoon(running[0].folder);
    }, RUNNING_POLL_MS);
  }

  /** Lists the runs again now. */
  refresh(): void {
    this.listed = undefined;
    this.groups = undefined;
    this.changed.fire(undefined);
  }

  /**
   * Lists the runs again after the file events of a burst (a checkpoint writes several files);
   * when every event was a change of a listed run's run.json (`changedRun`), only those records are read again.
   */
  refreshSoon(changedRun?: string): void {
    if (changedRun === undefined || !this.listed?.some((r) => r.folder === changedRun)) this.rescan = true;
    else this.changedRuns.add(changedRun);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const rescan = this.rescan;
      const changed = [...this.changedRuns];
      this.rescan = false;
      this.changedRuns.clear();
      if (rescan || !this.listed) return this.refresh();
      this.listed = this.listed.map((r) => (changed.includes(r.folder) ? readListed(r.folder) : r));
      this.groups = undefined;
      this.followRunning();
      this.changed.fire(undefined);
    }, REFRESH_DEBOUNCE_MS);
  }

  /** Every listed run, newest first (after `getChildren` listed them; lists them if not). */
  allRuns(): ListedRun[] {
    return this.list().flatMap((g) => g.runs);
  }

  private list(): RunGroup[] {
    if (!this.listed) {
      const started = Date.now();
      const seen = new Set<string>();
      this.listed = (vscode.workspace.workspaceFolders ?? [])
        .flatMap((f) => findRuns(f.uri.fsPath))
        .filter((r) => !seen.has(r.folder) && !!seen.add(r.folder));
      this.log.debug(`runs view: ${this.listed.length} run records found in ${Date.now() - started} ms`);
      this.watchRunsFolders();
      this.followRunning();
    }
    this.groups ??= groupRuns(this.listed);
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
    if (this.poll) clearTimeout(this.poll);
    for (const w of this.folderWatchers.values()) w.close();
    this.folderWatchers.clear();
    for (const d of [...this.disposables.splice(0), ...this.watchers.splice(0)]) d.dispose();
  }
}

/** One run folder as `findRuns` lists it: its record, or why it cannot be read. */
function readListed(folder: string): ListedRun {
  try {
    return { folder, record: readRunRecord(folder) };
  } catch (e) {
    return { folder, error: (e as Error).message };
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
