import * as vscode from 'vscode';
import type { Problem } from '../modelFile/problem';
import { isModelFile, ModelDocuments } from './modelDocuments';

/**
 * Validation problems → the Problems panel, on the exact ranges, debounced while typing. Each
 * problem once: VS Code's JSON language service reports plain syntax errors itself (the editor's
 * schema, schemas/glassbox-model.completion.schema.json, has no validation keywords, so it reports
 * nothing else), so those are left out here; Train still refuses a file that has one.
 */
export class ModelDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('glassbox');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly docs: ModelDocuments,
    private readonly delayMs = 300,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.refresh(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.docs.forget(d);
      }),
      // A large text file was scanned in the background: its problems and shapes are known now.
      this.docs.onDidChange(() => {
        for (const d of vscode.workspace.textDocuments) this.refresh(d);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.refresh(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isModelFile(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => this.refresh(doc), this.delayMs),
    );
  }

  /** Validates now and returns the problems (Train uses it to refuse invalid files). */
  refresh(doc: vscode.TextDocument): Problem[] {
    if (!isModelFile(doc)) return [];
    const problems = this.docs.get(doc).problems;
    this.collection.set(doc.uri, problems.filter((p) => !p.jsonSyntax).map(toDiagnostic));
    return problems;
  }

  /** Validates once the background scans are done, and returns the problems (Train refuses on errors). */
  async settled(doc: vscode.TextDocument): Promise<Problem[]> {
    if (!isModelFile(doc)) return [];
    await this.docs.settled(doc);
    return this.refresh(doc);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function toDiagnostic(p: Problem): vscode.Diagnostic {
  const range = new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character);
  const severity =
    p.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : p.severity === 'warning'
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Information;
  const d = new vscode.Diagnostic(range, p.message, severity);
  d.source = 'glassbox';
  d.code = p.code;
  return d;
}
