import { modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import { diagnose, Finding, gateSaturation, gradientOverTime } from '../doctor/layerHealth';
import { isModelFile, ModelDocuments } from './modelDocuments';
import type { RunStore } from './runStore';

const SOURCE = 'glassbox doctor';

/**
 * The training doctor: watches each run's telemetry and puts what is going wrong (NaN/Inf named
 * with the operation that produced it, exploding or vanishing gradients, dead ReLUs, saturated
 * tanh/sigmoid) in the Problems panel on the layer's line, with quick fixes. Re-evaluated at most
 * once a second per run, always on its latest frame; findings stay after the run so the user can act on them.
 */
export class TrainingDoctor implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('glassbox-doctor');
  private readonly last = new Map<string, number>();
  private readonly findingsByFile = new Map<string, Finding[]>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the model path whenever its findings change (the status bar colours itself). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly docs: ModelDocuments) {}

  watch(store: RunStore): vscode.Disposable {
    // Throttled on both edges: a frame within a second of the last evaluation is judged when that
    // second is up, so the latest frame (the run's final weights) is always judged — a run that
    // ends within a second of its first frame must not keep the findings of its first steps.
    let pending: NodeJS.Timeout | undefined;
    const evaluate = () => {
      pending = undefined;
      this.last.set(store.modelPath, Date.now());
      void this.update(store);
    };
    const sub = store.subscribe((msg) => {
      if (msg.type === 'snapshot' && !msg.run) {
        clearTimeout(pending);
        pending = undefined;
        this.clear(store.modelPath);
      }
      // A frame, or a snapshot carrying one (a run restored from its record after a reload).
      if (msg.type !== 'frame' && !(msg.type === 'snapshot' && msg.frame)) return;
      const wait = 1000 - (Date.now() - (this.last.get(store.modelPath) ?? 0));
      if (wait <= 0) evaluate();
      else pending ??= setTimeout(evaluate, wait);
    });
    return { dispose: () => (clearTimeout(pending), sub.dispose()) };
  }

  findings(modelPath: string): readonly Finding[] {
    return this.findingsByFile.get(modelPath) ?? [];
  }

  private clear(modelPath: string): void {
    this.findingsByFile.delete(modelPath);
    this.collection.delete(vscode.Uri.file(modelPath));
    this.changed.fire(modelPath);
  }

  private async update(store: RunStore): Promise<void> {
    if (!store.frame) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(store.modelPath));
    const frame = store.frame; // the latest, read after the wait (null if a new run has begun since)
    if (!frame) return;
    const spec = this.docs.get(doc).spec;
    const observations = frame.layers.map((l) => {
      const h = store.layerHistory[l.index];
      const s = h?.[h.length - 1];
      const args = spec?.layers[l.index]?.args as { activation?: string } | undefined;
      return {
        index: l.index,
        name: `layer ${l.index + 1} (${l.name})`,
        activation: args?.activation,
        step: frame.step,
        gradNorm: l.gradient?.norm ?? 1,
        weightNorm: l.weight?.norm ?? 1,
        updateRatio: l.updateRatio,
        nonFinite: s?.nonFinite ?? 0,
        deadFraction: l.deadFraction,
        saturatedFraction: l.saturatedFraction,
        gates: l.sequence && gateSaturation(l.sequence),
        overTime: l.sequence && gradientOverTime(l.sequence.gradNorm),
      };
    });
    // Parameter-free layers (flatten, pooling) have no gradient norm of their own to judge.
    const findings = diagnose(
      observations.filter((o, i) => frame.layers[i].weight || o.nonFinite > 0),
      frame.firstNonFinite,
    );
    this.findingsByFile.set(store.modelPath, findings);
    this.collection.set(
      doc.uri,
      findings.map((f) => {
        const range = this.docs.layerRange(doc, f.layer) ?? new vscode.Range(0, 0, 0, 0);
        const d = new vscode.Diagnostic(
          new vscode.Range(range.start, doc.lineAt(range.start.line).range.end),
          f.message,
          f.severity === 'error'
            ? vscode.DiagnosticSeverity.Error
            : f.severity === 'warning'
              ? vscode.DiagnosticSeverity.Warning
              : vscode.DiagnosticSeverity.Information,
        );
        d.source = SOURCE;
        d.code = f.kind;
        return d;
      }),
    );
    this.changed.fire(store.modelPath);
  }

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    ctx: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (!isModelFile(doc)) return [];
    const actions: vscode.CodeAction[] = [];
    const findings = this.findingsByFile.get(doc.uri.fsPath) ?? [];
    for (const d of ctx.diagnostics.filter((x) => x.source === SOURCE)) {
      const f = findings.find(
        (x) => x.kind === d.code && this.docs.layerRange(doc, x.layer)?.start.line === d.range.start.line,
      );
      for (const fix of f?.fixes ?? []) {
        const a = this.fixAction(doc, fix, f as Finding);
        if (a) {
          a.diagnostics = [d];
          actions.push(a);
        }
      }
    }
    return actions;
  }

  private fixAction(
    doc: vscode.TextDocument,
    fix: Finding['fixes'][number],
    f: Finding,
  ): vscode.CodeAction | undefined {
    const spec = this.docs.get(doc).spec;
    if (!spec) return undefined;
    const text = doc.getText();
    const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
    let title: string, edits;
    if (fix === 'lowerLearningRate') {
      const lr = spec.optimizer.lr / 10;
      title = `Lower the learning rate to ${lr}`;
      edits = modify(text, ['optimizer', 'lr'], lr, fmt);
    } else if (fix === 'addClip') {
      if (spec.optimizer.clip !== undefined) return undefined;
      title = 'Clip the gradients to [−5, 5] (optimizer "clip")';
      edits = modify(text, ['optimizer', 'clip'], 5, fmt);
    } else if (fix === 'addDecay') {
      if (spec.optimizer.decay) return undefined;
      title = 'Decay the learning rate exponentially to a tenth';
      edits = modify(text, ['optimizer', 'decay'], { type: 'exponential', finalLr: spec.optimizer.lr / 10 }, fmt);
    } else {
      const act = (spec.layers[f.layer]?.args as { activation?: string } | undefined)?.activation;
      const init = act === 'relu' || act === 'leakyRelu' ? 'he' : 'glorot';
      title = `Initialise layer ${f.layer + 1} with '${init}'`;
      edits = modify(text, ['layers', f.layer, 'init'], init, fmt);
    }
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    for (const e of edits)
      action.edit.replace(
        doc.uri,
        new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)),
        e.content,
      );
    return action;
  }

  dispose(): void {
    this.collection.dispose();
    this.changed.dispose();
  }
}
