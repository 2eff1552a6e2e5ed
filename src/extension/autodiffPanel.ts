import * as vscode from 'vscode';
import { t } from '../l10n';
import { E6_6_EXPRESSION } from '../engine/autodiff/expressionGraph';
import { ExpressionError } from '../engine/autodiff/parseExpression';
import { parseFromAutodiffView, type AutodiffGraphMessage } from '../protocol/autodiffProtocol';
import { autodiffMessage } from './autodiffMessage';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * "Glassbox: Run an Autodiff Expression…" (chapter 6): the expression comes from the argument, the
 * active editor's selection, or an input box prefilled with E6.6; its graph and recorded backward
 * pass are drawn in one "Glassbox: autodiff" panel (webview/autodiffPanel.ts), reused by later runs.
 */
export async function runAutodiffExpression(extensionUri: vscode.Uri, arg?: unknown): Promise<void> {
  let text = typeof arg === 'string' ? arg : undefined;
  if (text === undefined) {
    const editor = vscode.window.activeTextEditor;
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
    text = selected.trim() !== '' ? selected : await askForExpression();
  }
  if (text === undefined) return;
  let msg: AutodiffGraphMessage;
  try {
    msg = autodiffMessage(text);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    void vscode.window.showErrorMessage(t('Glassbox: the autodiff expression is not valid: {0}', e.message));
    return;
  }
  AutodiffPanel.show(extensionUri, msg);
}

function askForExpression(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: t('Glassbox: Run an Autodiff Expression'),
    prompt: t(
      "Statements separated by ';': name = a number, [1, 2] or [[1, 2], [3, 4]] makes a variable; + - * / @ (matrix product), sigmoid, tanh, relu, exp, log, sum, mean. The last one is the output.",
    ),
    value: E6_6_EXPRESSION,
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        autodiffMessage(v);
        return undefined;
      } catch (e) {
        if (e instanceof ExpressionError) return e.message;
        throw e;
      }
    },
  });
}

/**
 * A panel VS Code restores after a reload: its webview saved the expression (vscode.setState), which
 * is untrusted text from storage, so it is parsed again exactly as typed input is; if it no longer
 * parses (or was not saved), the panel is closed rather than left blank.
 */
export function reviveAutodiffPanel(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown): void {
  const expression = (state as { expression?: unknown } | undefined)?.expression;
  let msg: AutodiffGraphMessage | undefined;
  try {
    if (typeof expression === 'string') msg = autodiffMessage(expression);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
  }
  if (!msg || AutodiffPanel.current) return panel.dispose();
  panel.webview.options = webviewOptions(extensionUri);
  AutodiffPanel.current = new AutodiffPanel(panel, extensionUri, msg);
}

export const AUTODIFF_VIEW_TYPE = 'glassbox.autodiffPanel';

/** The one autodiff panel: shows the latest expression's graph; its script asks for it with `ready`. */
class AutodiffPanel {
  static current: AutodiffPanel | undefined;

  static show(extensionUri: vscode.Uri, msg: AutodiffGraphMessage): void {
    const existing = AutodiffPanel.current;
    if (existing) {
      existing.msg = msg;
      existing.panel.reveal(undefined, true);
      void existing.panel.webview.postMessage(msg);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      AUTODIFF_VIEW_TYPE,
      'Glassbox: autodiff',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    AutodiffPanel.current = new AutodiffPanel(panel, extensionUri, msg);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private msg: AutodiffGraphMessage,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'glassbox.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'autodiffPanel', 'Glassbox: autodiff');
    // The script says `ready` when it loads, and again each time the panel is shown after being hidden.
    const sub = panel.webview.onDidReceiveMessage((raw) => {
      if (parseFromAutodiffView(raw)) void panel.webview.postMessage(this.msg);
    });
    panel.onDidDispose(() => {
      sub.dispose();
      if (AutodiffPanel.current === this) AutodiffPanel.current = undefined;
    });
  }
}
