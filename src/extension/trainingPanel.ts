import * as vscode from 'vscode';
import { parseFromWebview, ToWebview } from '../protocol/webviewProtocol';
import { CommandId } from './commandIds';
import { TRAINING_PANEL_BODY } from './panelMarkup';
import type { RunStore } from './runStore';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * The training panel of one model file: a WebviewPanel beside the editor, titled with the model's
 * name. Messages to a hidden panel are not delivered, so the panel sends a full snapshot whenever
 * it becomes visible again or its script (re)loads (`ready`).
 */
export class TrainingPanel implements vscode.Disposable {
  static readonly viewType = 'glassbox.trainingPanel';
  private static readonly panels = new Map<string, TrainingPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static show(
    extensionUri: vscode.Uri,
    store: RunStore,
    log: vscode.LogOutputChannel,
    preserveFocus = true,
  ): TrainingPanel {
    const existing = TrainingPanel.panels.get(store.modelPath);
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      TrainingPanel.viewType,
      titleFor(store),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(extensionUri),
    );
    return new TrainingPanel(panel, extensionUri, store, log);
  }

  /** Re-attaches a panel restored by VS Code after a window reload. */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    store: RunStore,
    log: vscode.LogOutputChannel,
  ): TrainingPanel {
    panel.webview.options = webviewOptions(extensionUri);
    return new TrainingPanel(panel, extensionUri, store, log);
  }

  static get(modelPath: string): TrainingPanel | undefined {
    return TrainingPanel.panels.get(modelPath);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    TrainingPanel.panels.set(store.modelPath, this);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'glassbox.svg');
    panel.webview.html = webviewHtml(
      panel.webview,
      extensionUri,
      'trainingPanel',
      titleFor(store),
      TRAINING_PANEL_BODY,
    );
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => e.webviewPanel.visible && this.post(store.snapshot())),
      panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      store.subscribe((msg) => {
        if (msg.type === 'snapshot' || msg.type === 'state') panel.title = titleFor(store);
        // Telemetry frames (10 a second) are for the Feature Maps view; the panel does not draw them.
        if (panel.visible && msg.type !== 'frame') this.post(msg);
      }),
    );
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromWebview(raw);
    if (!msg) {
      this.log.warn(`training panel: ignored a message of unknown shape: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const uri = vscode.Uri.file(this.store.modelPath);
    switch (msg.type) {
      case 'ready':
        this.post(this.store.snapshot());
        break;
      case 'control': {
        const command = {
          train: CommandId.trainModel,
          pause: CommandId.togglePause,
          resume: CommandId.togglePause,
          step: CommandId.stepBatch,
          stop: CommandId.stopTraining,
          stepOp: CommandId.stepOperation,
          resumeRun: CommandId.resumeTraining,
        }[msg.action];
        void vscode.commands.executeCommand(command, uri);
        break;
      }
      case 'selectLayer':
      case 'revealLayer':
        void vscode.commands.executeCommand(CommandId.selectLayer, uri, msg.index, msg.type === 'revealLayer');
        break;
      default: {
        const never: never = msg;
        void never;
      }
    }
  }

  /** The single guarded send: never after disposal; a dropped message is made up by the next snapshot. */
  private post(msg: ToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(msg);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    TrainingPanel.panels.delete(this.store.modelPath);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function titleFor(store: RunStore): string {
  const name =
    store.run?.modelName ??
    store.modelPath
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.nn\.json$/, '') ??
    'model';
  return `Glassbox: ${name}`;
}
