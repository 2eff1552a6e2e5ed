import * as vscode from 'vscode';
import { verdict, verdictText } from '../doctor/layerHealth';
import { histogramImage, montage, sparkline } from '../images/charts';
import { CommandId } from './commandIds';
import { ModelDocuments } from './modelDocuments';
import type { RunStore } from './runStore';

function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(3) : v.toPrecision(4);
}

/**
 * Hover on a layer entry of a model file: its output shape and parameter count (from shape
 * inference) and, once it has trained, the latest weight and gradient norms at step N, a
 * sparkline of the gradient norm over training, the gradient histogram, a health verdict, and for
 * conv layers a montage of the probe sample's feature maps. Works after the run too.
 */
export class LayerHover implements vscode.HoverProvider {
  constructor(
    private readonly docs: ModelDocuments,
    private readonly storeOf: (path: string) => RunStore | undefined,
  ) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const index = this.docs.layerAt(doc, pos);
    if (index === undefined) return undefined;
    const result = this.docs.get(doc);
    const row = result.summary?.layers[index];
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [CommandId.openPanel, CommandId.selectLayer] };
    const name = row?.name ?? result.spec?.layers[index]?.name ?? `layer ${index + 1}`;
    md.appendMarkdown(`**Layer ${index + 1}: ${name}**${row ? ` — ${row.details}` : ''}\n\n`);
    if (row) {
      md.appendMarkdown(
        `Input \`[${row.inputShape.join(', ')}]\` → output \`[${row.outputShape.join(', ')}]\` · ${row.parameters.toLocaleString('en-US')} parameters\n\n`,
      );
    } else {
      md.appendMarkdown('Shapes unknown: fix the problems in this file first.\n\n');
    }
    const store = this.storeOf(doc.uri.fsPath);
    const history = store?.layerHistory[index];
    const last = history?.[history.length - 1];
    if (last && history) {
      const hasWeights = Number.isFinite(last.weightNorm) || last.nonFinite > 0;
      if (hasWeights) {
        md.appendMarkdown(
          `At step ${last.step}: gradient norm ‖∂L/∂W‖ = **${fmt(last.gradNorm)}**, weight norm ‖W‖ = **${fmt(last.weightNorm)}**, update ratio ${fmt(last.updateRatio)}`,
        );
        md.appendMarkdown(` (${store?.state === 'running' ? 'training' : `${store?.state} run`})\n\n`);
        md.appendMarkdown(`Health: ${verdictText(verdict(last))}\n\n`);
        md.appendMarkdown(
          `Gradient norm over training (log scale): ![gradient norm sparkline](${sparkline(history.map((h) => h.gradNorm))})\n\n`,
        );
        const grad = store?.frame?.layers[index]?.gradientHistogram;
        if (grad)
          md.appendMarkdown(
            `Gradient histogram [${fmt(grad.min)}, ${fmt(grad.max)}]: ![gradient histogram](${histogramImage(grad.counts)})\n\n`,
          );
      } else {
        md.appendMarkdown(`No parameters; sampled at step ${last.step}.\n\n`);
      }
      const layer = store?.frame?.layers[index];
      if (layer?.probeActivation && layer.probeShape?.length === 3) {
        md.appendMarkdown(
          `Feature maps of the probe sample: ![feature maps](${montage(layer.probeActivation, layer.probeShape)})\n\n`,
        );
      }
    } else {
      md.appendMarkdown('This layer has not trained yet: run **Glassbox: Train Model** to see its gradients.\n\n');
    }
    const args = encodeURIComponent(JSON.stringify([doc.uri.toString(), index]));
    md.appendMarkdown(
      `[Show in panel](command:${CommandId.openPanel}?${encodeURIComponent(JSON.stringify([doc.uri.toString()]))}) · [Show feature maps](command:${CommandId.selectLayer}?${args})`,
    );
    return new vscode.Hover(md, this.docs.layerRange(doc, index));
  }
}
