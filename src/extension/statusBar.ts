import * as vscode from 'vscode';
import { CommandId } from './commandIds';
import { progressText } from '../protocol/progressText';
import type { RunStore } from './runStore';
import { t } from '../l10n';
import { runStateText } from '../protocol/runStateText';

/** One status-bar item showing the followed model's run: epoch, loss and progress. Click opens the panel. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('glassbox.status', vscode.StatusBarAlignment.Left, 50);
  private store: RunStore | undefined;
  private subscription: vscode.Disposable | undefined;
  private lastRender = 0;
  private readonly warnings = new Map<string, number>();

  constructor() {
    this.item.name = t('Glassbox training');
  }

  follow(store: RunStore | undefined): void {
    if (store === this.store) return;
    this.subscription?.dispose();
    this.store = store;
    this.subscription = store?.subscribe((msg) => {
      // It shows the run's state and progress: telemetry frames and Probe tab answers (up to ten a
      // second while the user draws) change neither, and each redraw is a message to the workbench.
      if (msg.type !== 'state' && msg.type !== 'snapshot' && msg.type !== 'trainPoints') return;
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
    const detail = p ? progressText(p, s.run).text : runStateText(s.state);
    this.item.text = `${icon} ${name} ${detail}`;
    this.item.tooltip = `Glassbox: ${name} — ${runStateText(s.state)}${s.message ? `\n${s.message}` : ''}\n${t('Click to open the training panel.')}`;
    this.item.command = {
      title: t('Open Training Panel'),
      command: CommandId.openPanel,
      arguments: [vscode.Uri.file(s.modelPath)],
    };
    const warnings = this.warnings.get(s.modelPath) ?? 0;
    if (warnings > 0) {
      this.item.text += ` $(warning) ${warnings}`;
      this.item.tooltip += '\n' + t('The training doctor found {0} problem(s): see the Problems panel.', warnings);
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
