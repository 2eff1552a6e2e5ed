import * as vscode from 'vscode';
import type { ExportChartMessage } from '../protocol/compareProtocol';
import { t } from '../l10n';

/** A file name from untrusted text: letters, digits, `.`, `-`, `_` only. */
export function safeFileName(name: string, fallback = 'chart'): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || fallback
  );
}

const FILTERS: Record<ExportChartMessage['format'], Record<string, string[]>> = {
  png: { PNG: ['png'] },
  svg: { SVG: ['svg'] },
  csv: { CSV: ['csv'] },
};

/**
 * Saves a chart a webview exported: asks where (a save dialog starting in `folder`), then writes the
 * PNG's bytes (decoded from its data URL) or the SVG/CSV text. Says where it went.
 */
export async function saveChartExport(msg: ExportChartMessage, folder: vscode.Uri | undefined): Promise<void> {
  const file = `${safeFileName(msg.name)}.${msg.format}`;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, file) : undefined,
    filters: FILTERS[msg.format],
    title: t('Glassbox: export the chart as {0}', msg.format.toUpperCase()),
  });
  if (!target) return;
  const bytes =
    msg.format === 'png'
      ? Buffer.from(msg.content.slice(msg.content.indexOf(',') + 1), 'base64')
      : Buffer.from(msg.content, 'utf8');
  try {
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(t('Glassbox: saved {0}', target.fsPath));
  } catch (e) {
    void vscode.window.showErrorMessage(t('Glassbox: could not save {0}: {1}', target.fsPath, (e as Error).message));
  }
}
