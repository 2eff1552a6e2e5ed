import * as vscode from 'vscode';
import { parseFromWebview, ToWebview } from '../protocol/webviewProtocol';
import { CommandId } from './commandIds';
import { FEATURE_MAPS_BODY, LOSS_VIEW_BODY } from './panelMarkup';
import type { RunStore } from './runStore';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * A side-panel webview view (Loss or Feature Maps) that follows the model file the user is
 * working on: whenever the active store changes it re-subscribes and sends a snapshot.
 */
export class FollowingView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private store: RunStore | undefined;
  private subscription: vscode.Disposable | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly viewId: string,
    private readonly script: 'lossView' | 'featureMapsView',
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    const body = this.script === 'lossView' ? LOSS_VIEW_BODY : FEATURE_MAPS_BODY;
    view.webview.html = webviewHtml(
      view.webview,
      this.extensionUri,
      this.script,
      this.script === 'lossView' ? 'Loss' : 'Feature Maps',
      body,
    );
    this.disposables.push(
      view.onDidChangeVisibility(() => view.visible && this.sendSnapshot()),
      view.onDidDispose(() => (this.view = undefined)),
      view.webview.onDidReceiveMessage((raw) => {
        const msg = parseFromWebview(raw);
        if (!msg) return this.log.warn(`${this.viewId}: ignored a message of unknown shape`);
        if (msg.type === 'ready') this.sendSnapshot();
        else if ((msg.type === 'selectLayer' || msg.type === 'revealLayer') && this.store) {
          void vscode.commands.executeCommand(
            CommandId.selectLayer,
            vscode.Uri.file(this.store.modelPath),
            msg.index,
            msg.type === 'revealLayer',
          );
        }
      }),
    );
  }

  /** Shows the given model file's run (or nothing). */
  follow(store: RunStore | undefined): void {
    if (store === this.store) return;
    this.subscription?.dispose();
    this.store = store;
    this.subscription = store?.subscribe((msg) => this.post(msg));
    this.sendSnapshot();
  }

  get followed(): RunStore | undefined {
    return this.store;
  }

  private sendSnapshot(): void {
    if (this.store) this.post(this.store.snapshot());
  }

  private post(msg: ToWebview): void {
    if (this.view?.visible && this.uses(msg)) void this.view.webview.postMessage(msg);
  }

  /** Only what the view draws: frames (10 a second) for Feature Maps, loss points for Loss. */
  private uses(msg: ToWebview): boolean {
    if (this.script === 'lossView') return msg.type !== 'frame' && msg.type !== 'selectLayer';
    return msg.type !== 'trainPoints' && msg.type !== 'evalPoint';
  }

  dispose(): void {
    this.subscription?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
