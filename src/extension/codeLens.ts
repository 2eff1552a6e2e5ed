import * as vscode from 'vscode';
import { hasErrors } from '../modelFile/validate';
import { CommandId } from './commandIds';
import { ModelDocuments } from './modelDocuments';
import type { RunStore } from './runStore';

/** "▶ Train · N parameters" above the model (or "■ Stop" while it trains) and "Open panel". */
export class ModelCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly docs: ModelDocuments,
    private readonly storeOf: (path: string) => RunStore | undefined,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const result = this.docs.get(doc);
    const root = result.source.root;
    const line = root ? doc.positionAt(root.offset).line : 0;
    const range = new vscode.Range(line, 0, line, 0);
    const store = this.storeOf(doc.uri.fsPath);
    const running =
      store &&
      (store.state === 'running' ||
        store.state === 'starting' ||
        store.state === 'paused' ||
        store.state === 'stopping');
    const params = result.summary?.totalParameters;
    const lenses: vscode.CodeLens[] = [];
    if (running) {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(debug-stop) Stop training',
          command: CommandId.stopTraining,
          arguments: [doc.uri],
        }),
      );
    } else {
      const title = hasErrors(result.problems)
        ? '$(error) Fix the model file to train'
        : `$(play) Train${params !== undefined ? ` · ${params.toLocaleString('en-US')} parameters` : ''}`;
      lenses.push(new vscode.CodeLens(range, { title, command: CommandId.trainModel, arguments: [doc.uri] }));
    }
    lenses.push(
      new vscode.CodeLens(range, {
        title: '$(graph-line) Open panel',
        command: CommandId.openPanel,
        arguments: [doc.uri],
      }),
    );
    return lenses;
  }
}
