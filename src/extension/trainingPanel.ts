import * as vscode from 'vscode';
import { controlAction } from '../protocol/webviewProtocol';
import { CommandId } from './commandIds';
import { saveChartExport } from './chartExport';
import type { RunStore } from './runStore';
import { ViewChannel, type ViewRequest } from './viewChannel';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { t } from '../l10n';

/**
 * The training panel of one model file: a WebviewPanel beside the editor, titled with the model's
 * name. Its data goes through a ViewChannel (topics, throttling, a snapshot on `ready` and whenever
 * it becomes visible again: messages to a hidden panel are not delivered).
 */
export class TrainingPanel implements vscode.Disposable {
  static readonly viewType = 'glassbox.trainingPanel';
  private static readonly panels = new Map<string, TrainingPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: ViewChannel;
  private disposed = false;
  private readonly readyWaiters: (() => void)[] = [];

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
    log: vscode.LogOutputChannel,
  ) {
    TrainingPanel.panels.set(store.modelPath, this);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'glassbox.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'trainingPanel', titleFor(store));
    this.channel = new ViewChannel(
      {
        get visible() {
          return panel.visible;
        },
        postMessage: (msg) => panel.webview.postMessage(msg),
      },
      (request) => this.onRequest(request),
      { name: 'training panel', warn: (m) => log.warn(m) },
    );
    this.channel.follow(store);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => this.channel.visibilityChanged()),
      panel.webview.onDidReceiveMessage((raw) => {
        this.channel.receive(raw);
        if (this.ready) for (const w of this.readyWaiters.splice(0)) w();
      }),
      store.subscribe((msg) => {
        if (msg.type === 'snapshot' || msg.type === 'state') panel.title = titleFor(store);
      }),
    );
  }

  /** The webview's script runs and has asked for its topics (its `ready`): it draws what it is sent. */
  get ready(): boolean {
    return this.channel.consumes !== undefined;
  }

  /** Resolves when the panel is ready, is closed, or after `timeoutMs`, whichever is first. */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.ready || this.disposed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.readyWaiters.push(done);
    });
  }

  private onRequest(msg: ViewRequest): void {
    const uri = vscode.Uri.file(this.store.modelPath);
    switch (msg.type) {
      case 'control':
        // Export applies to the run the panel shows (its weights), the others to the model file.
        if (msg.action === 'exportPyTorch')
          void vscode.commands.executeCommand(controlAction(msg.action).command, uri, this.store.runDir);
        else void vscode.commands.executeCommand(controlAction(msg.action).command, uri);
        break;
      case 'probeText':
        void vscode.commands.executeCommand(CommandId.probeText, uri, msg.text);
        break;
      case 'probe':
        void vscode.commands.executeCommand(CommandId.probe, uri, msg.request);
        break;
      case 'selectLayer':
      case 'revealLayer':
        void vscode.commands.executeCommand(CommandId.selectLayer, uri, msg.index, msg.type === 'revealLayer');
        break;
      case 'exportChart':
        void saveChartExport(msg, vscode.workspace.getWorkspaceFolder(uri)?.uri ?? vscode.Uri.joinPath(uri, '..'));
        break;
      default: {
        const never: never = msg;
        void never;
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    TrainingPanel.panels.delete(this.store.modelPath);
    for (const w of this.readyWaiters.splice(0)) w();
    this.channel.dispose();
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
    t('model');
  return `Glassbox: ${name}`;
}
