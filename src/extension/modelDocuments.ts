import * as path from 'node:path';
import * as vscode from 'vscode';
import { validateModel, ValidationResult } from '../modelFile/validate';
import { BackgroundTextScans } from '../worker/textScans';
import { editorFileAccess } from './workspaceTrust';

export function isModelFile(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && doc.uri.scheme === 'file' && /\.nn\.json$/i.test(doc.uri.fsPath);
}

/**
 * Validation results per open model file, cached by document version so the diagnostics, the
 * CodeLens and the hover share one validation per edit.
 */
export class ModelDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; result: ValidationResult }>();
  /** Large text data files are scanned in a worker: the host's thread only looks at their size. */
  private readonly scans = new BackgroundTextScans();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a background scan has ended: results that were waiting for it are stale. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.scans.onDidScan(() => {
      this.cache.clear();
      this.changed.fire();
    });
  }

  get(doc: vscode.TextDocument): ValidationResult {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.result;
    const result = validateModel(doc.getText(), doc.uri.fsPath, { files: this.scans.fileAccess(editorFileAccess()) });
    this.cache.set(key, { version: doc.version, result });
    return result;
  }

  /** The validation once the background scans it waits for are done (Train and Validate use it). */
  async settled(doc: vscode.TextDocument): Promise<ValidationResult> {
    let result = this.get(doc);
    // A scan ends, the next validation may find the file changed meanwhile: a few rounds at most.
    for (let round = 0; round < 3 && result.problems.some((p) => p.code === 'dataPending'); round++) {
      await this.scans.idle();
      result = this.get(doc);
    }
    return result;
  }

  dispose(): void {
    this.scans.dispose();
    this.changed.dispose();
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }

  /** Index of the layer whose entry contains the position, if any. */
  layerAt(doc: vscode.TextDocument, pos: vscode.Position): number | undefined {
    const { source, spec } = this.get(doc);
    const count = spec?.layers.length ?? source.node(['layers'])?.children?.length ?? 0;
    const offset = doc.offsetAt(pos);
    for (let i = 0; i < count; i++) {
      const n = source.node(['layers', i]);
      if (n && offset >= n.offset && offset <= n.offset + n.length) return i;
    }
    return undefined;
  }

  layerRange(doc: vscode.TextDocument, index: number): vscode.Range | undefined {
    const n = this.get(doc).source.node(['layers', index]);
    return n ? new vscode.Range(doc.positionAt(n.offset), doc.positionAt(n.offset + n.length)) : undefined;
  }
}

export function modelName(doc: vscode.TextDocument): string {
  return path.basename(doc.uri.fsPath).replace(/\.nn\.json$/i, '');
}
