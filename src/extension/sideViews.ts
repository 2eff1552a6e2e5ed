import * as vscode from 'vscode';
import { CommandId } from './commandIds';
import type { RunStore } from './runStore';
import { ViewChannel, type ViewRequest } from './viewChannel';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { t } from '../l10n';

/**
 * A side-panel webview view (Loss or Feature Maps) that follows the model file the user is
 * working on: its ViewChannel follows the active store (a snapshot of the view's topics each time).
 */
export class FollowingView implements vscode.WebviewViewProvider, vscode.Disposable {
  private store: RunStore | undefined;
  private channel: ViewChannel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly viewId: string,
    private readonly script: 'lossView' | 'featureMapsView',
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(
      view.webview,
      this.extensionUri,
      this.script,
      this.script === 'lossView' ? t('Loss') : t('Feature Maps'),
    );
    this.channel?.dispose();
    const channel = new ViewChannel(
      {
        get visible() {
          return view.visible;
        },
        postMessage: (msg) => view.webview.postMessage(msg),
      },
      (request) => this.onRequest(request),
      { name: this.viewId, warn: (m) => this.log.warn(m) },
    );
    this.channel = channel;
    channel.follow(this.store);
    this.disposables.push(
      view.onDidChangeVisibility(() => channel.visibilityChanged()),
      view.onDidDispose(() => {
        channel.dispose();
        if (this.channel === channel) this.channel = undefined;
      }),
      view.webview.onDidReceiveMessage((raw) => channel.receive(raw)),
    );
  }

  private onRequest(msg: ViewRequest): void {
    if ((msg.type === 'selectLayer' || msg.type === 'revealLayer') && this.store)
      void vscode.commands.executeCommand(
        CommandId.selectLayer,
        vscode.Uri.file(this.store.modelPath),
        msg.index,
        msg.type === 'revealLayer',
      );
    else this.log.warn(`${this.viewId}: ignored a '${msg.type}' request`);
  }

  /** Shows the given model file's run (or nothing). */
  follow(store: RunStore | undefined): void {
    if (store === this.store) return;
    this.store = store;
    this.channel?.follow(store);
  }

  get followed(): RunStore | undefined {
    return this.store;
  }

  dispose(): void {
    this.channel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
