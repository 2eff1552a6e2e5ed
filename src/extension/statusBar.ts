import * as vscode from 'vscode';
import { CommandId } from './commandIds';
import { progressText } from '../protocol/progressText';
import type { RunStore } from './runStore';

/** One status-bar item showing the followed model's run: epoch, loss and progress. Click opens the panel. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('glassbox.status', vscode.StatusBarAlignment.Left, 50);
  private store: RunStore | undefined;
  private subscription: vscode.Disposable | undefined;
  private lastRender = 0;
  private readonly warnings = new Map<string, number>();

  constructor() {
    this.item.name = 'Glassbox training';
  }

  follow(store: RunStore | undefined): void {
    if (store === this.store) return;
    this.subscription?.dispose();
    this.store = store;
    this.subscription = store?.subscribe((msg) => {
      // Progress can arrive many times a second; the status bar needs at most ~4 redraws a second.
      const now = Date.now();
      if (msg.type === 'trainPoints' && now - this.lastRender < 250) return;
      this.lastRender = now;
      this.render();
    });
    this.render();
  }

  /** The training doctor's finding count for a model: the item turns to the warning colour. */
  setWarning(modelPath: string, count: number): void {
    this.warnings.set(modelPath, count);
    if (this.store?.modelPath === modelPath) this.render();
  }

  private render(): void {
    const s = this.store;
    if (!s || (s.state === 'idle' && !s.run)) {
      this.item.hide();
      return;
    }
    const p = s.progress;
    const name = s.run?.modelName ?? '';
    const icon =
      s.state === 'running' || s.state === 'starting' || s.state === 'stopping'
        ? '$(sync~spin)'
        : s.state === 'paused'
          ? '$(debug-pause)'
          : s.state === 'failed'
            ? '$(error)'
            : '$(pass)';
    const detail = p ? progressText(p, s.run).text : s.state;
    this.item.text = `${icon} ${name} ${detail}`;
    this.item.tooltip = `Glassbox: ${name} — ${s.state}${s.message ? `\n${s.message}` : ''}\nClick to open the training panel.`;
    this.item.command = {
      title: 'Open Training Panel',
      command: CommandId.openPanel,
      arguments: [vscode.Uri.file(s.modelPath)],
    };
    const warnings = this.warnings.get(s.modelPath) ?? 0;
    if (warnings > 0) {
      this.item.text += ` $(warning) ${warnings}`;
      this.item.tooltip += `\nThe training doctor found ${warnings} problem(s): see the Problems panel.`;
    }
    this.item.backgroundColor =
      s.state === 'failed'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : warnings > 0
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription?.dispose();
    this.item.dispose();
  }
}
