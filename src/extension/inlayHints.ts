import * as vscode from 'vscode';
import { ModelDocuments } from './modelDocuments';
import type { RunStore } from './runStore';
import { t } from '../l10n';

/** After each layer entry: `→ [89] · 69,865 params`, and once it has trained `· ‖∇W‖ 1.2e-2`. */
export class LayerInlayHints implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(
    private readonly docs: ModelDocuments,
    private readonly storeOf: (path: string) => RunStore | undefined,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const summary = this.docs.get(doc).summary;
    if (!summary) return [];
    const store = this.storeOf(doc.uri.fsPath);
    const hints: vscode.InlayHint[] = [];
    for (const row of summary.layers) {
      const r = this.docs.layerRange(doc, row.index);
      if (!r || !range.contains(r.end)) continue;
      const h = store?.layerHistory[row.index];
      const last = h?.[h.length - 1];
      const grad = last && Number.isFinite(last.weightNorm) ? ` · ‖∇W‖ ${last.gradNorm.toExponential(1)}` : '';
      const hint = new vscode.InlayHint(
        r.end,
        ` → [${row.outputShape.join(', ')}] · ${t('{0} params', row.parameters.toLocaleString('en-US'))}${grad}`,
        vscode.InlayHintKind.Type,
      );
      hint.paddingLeft = true;
      hint.tooltip = last
        ? t('Gradient norm at step {0}', last.step)
        : t('Output shape and parameter count from shape inference');
      hints.push(hint);
    }
    return hints;
  }
}
