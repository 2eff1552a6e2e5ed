import * as vscode from 'vscode';
import { parseExportChart, savedFolders, type CompareMessage } from '../protocol/compareProtocol';
import { compareRuns } from '../runs/runComparison';
import { saveChartExport } from './chartExport';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { t } from '../l10n';

/**
 * The one Compare Runs panel (webview/compareRuns.ts): the latest comparison's curves and the
 * settings that differ. Its script says `ready` when it loads (again after being hidden) and gets
 * the comparison; it sends `exportChart` when a chart's PNG/SVG/CSV button is pressed.
 */
export class ComparePanel {
  static readonly viewType = 'glassbox.comparePanel';
  private static current: ComparePanel | undefined;

  static show(extensionUri: vscode.Uri, msg: CompareMessage, exportFolder: vscode.Uri | undefined): void {
    const existing = ComparePanel.current;
    if (existing) {
      existing.msg = msg;
      existing.exportFolder = exportFolder;
      existing.panel.reveal(undefined, false);
      void existing.panel.webview.postMessage(msg);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      ComparePanel.viewType,
      t('Glassbox: compare runs'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(extensionUri),
    );
    ComparePanel.current = new ComparePanel(panel, extensionUri, msg, exportFolder);
  }

  /**
   * After a window reload: the webview's saved state names the compared folders (untrusted: checked
   * to be a few strings), and the comparison is read again from their records, as Compare Runs does.
   */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown): void {
    const folders = savedFolders(state);
    if (!folders) return panel.dispose();
    ComparePanel.current?.panel.dispose();
    const ws = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folders[0]))?.uri;
    ComparePanel.current = new ComparePanel(panel, extensionUri, compareRuns(folders), ws);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private msg: CompareMessage,
    private exportFolder: vscode.Uri | undefined,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'glassbox.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'compareRuns', t('Glassbox: compare runs'));
    const sub = panel.webview.onDidReceiveMessage((raw: unknown) => {
      if ((raw as { type?: unknown } | null)?.type === 'ready') void panel.webview.postMessage(this.msg);
      const exported = parseExportChart(raw);
      if (exported) void saveChartExport(exported, this.exportFolder);
    });
    panel.onDidDispose(() => {
      sub.dispose();
      if (ComparePanel.current === this) ComparePanel.current = undefined;
    });
  }
}
