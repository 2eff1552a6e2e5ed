import { gateSaturation, verdict, verdictText } from '../doctor/layerHealth';
import { histogramImage, montage, sparkline } from '../images/charts';
import { IMAGE_PALETTES, type ThemeKind } from '../images/palette';
import type { LayerRow } from '../modelFile/shapes';
import type { RunState } from '../protocol/webviewProtocol';
import type { TelemetryFrameMessage } from '../protocol/telemetry';
import { escapeMarkdown } from '../util/markdownText';
import { CommandId } from './commandIds';
import type { LayerSample } from './runStore';

function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(3) : v.toPrecision(4);
}

export interface LayerHoverInput {
  readonly index: number;
  /** The layer's name as the model file gives it (untrusted text). */
  readonly name: string;
  /** Shape inference's row; undefined when the file has problems (it cannot train). */
  readonly row: LayerRow | undefined;
  readonly history: readonly LayerSample[] | undefined;
  readonly state: RunState | undefined;
  readonly frameLayer: TelemetryFrameMessage['layers'][number] | undefined;
  /** The model file's URI, as a string, for the command links. */
  readonly modelUri: string;
  /** The colour theme's kind: the images are drawn to stand out on its hover background. */
  readonly theme?: ThemeKind;
}

/**
 * The Markdown of a layer hover (trusted for the two command links it makes itself): output
 * shape and parameter count and, once it has trained, the latest norms at step N, a sparkline
 * of the gradient norm, the gradient histogram, a health verdict, conv feature maps and, for a
 * recurrent layer, the gradient over the probe's time steps and its gates' saturation.
 * Everything from the model file is escaped (util/markdownText.ts).
 */
export function layerHoverMarkdown(h: LayerHoverInput): string {
  const { index, row, history } = h;
  const parts: string[] = [];
  parts.push(`**Layer ${index + 1}: ${escapeMarkdown(h.name)}**${row ? ` — ${escapeMarkdown(row.details)}` : ''}`);
  parts.push(
    row
      ? `Input \`[${row.inputShape.join(', ')}]\` → output \`[${row.outputShape.join(', ')}]\` · ${row.parameters.toLocaleString('en-US')} parameters`
      : 'Shapes unknown: fix the problems in this file first.',
  );
  const palette = IMAGE_PALETTES[h.theme ?? 'dark'];
  const last = history?.[history.length - 1];
  // The feature maps first, under the title: at the end they were below the hover's fold.
  const fl = h.frameLayer;
  if (last && fl?.probeActivation && fl.probeShape?.length === 3)
    parts.push(
      `Feature maps of the probe sample: ![feature maps](${montage(fl.probeActivation, fl.probeShape, 16, 2, palette)})`,
    );
  if (last && history) {
    const hasWeights = Number.isFinite(last.weightNorm) || last.nonFinite > 0;
    if (hasWeights) {
      parts.push(
        `At step ${last.step}: gradient norm ‖∂L/∂W‖ = **${fmt(last.gradNorm)}**, weight norm ‖W‖ = **${fmt(last.weightNorm)}**` +
          // The update ratio needs two samples of one run; a finished run's last sample has none.
          (Number.isFinite(last.updateRatio) ? `, update ratio ${fmt(last.updateRatio)}` : '') +
          ` (${h.state === 'running' ? 'training' : `${h.state} run`})`,
      );
      parts.push(`Health: ${verdictText(verdict(last))}`);
      parts.push(
        `Gradient norm over training (log scale): ![gradient norm sparkline](${sparkline(
          history.map((s) => s.gradNorm),
          160,
          36,
          palette,
        )})`,
      );
      const grad = h.frameLayer?.gradientHistogram;
      if (grad)
        parts.push(
          `Gradient histogram [${fmt(grad.min)}, ${fmt(grad.max)}]: ![gradient histogram](${histogramImage(grad.counts, 160, 36, palette)})`,
        );
    } else {
      parts.push(`No parameters; sampled at step ${last.step}.`);
    }
    const layer = h.frameLayer;
    const seq = layer?.sequence;
    if (seq) {
      parts.push(
        `Gradient over time ‖∂L/∂h_t‖ of the probe sequence, t = 1 … ${seq.steps} (log scale): ![gradient over time sparkline](${sparkline(Array.from(seq.gradNorm), 160, 36, palette)})`,
      );
      const gates = gateSaturation(seq);
      if (gates.length)
        parts.push(
          `Gate saturation (units pinned near 0 / near 1 over the probe): ${gates
            .map((g) => `${g.gate} ${(100 * g.pinnedLow).toFixed(0)}% / ${(100 * g.pinnedHigh).toFixed(0)}%`)
            .join(' · ')}`,
        );
    }
  } else if (row) {
    parts.push('This layer has not trained yet: run **Glassbox: Train Model** to see its gradients.');
  }
  // A file with problems cannot train: no panel or feature maps to offer.
  if (row) {
    const panel = encodeURIComponent(JSON.stringify([h.modelUri]));
    const select = encodeURIComponent(JSON.stringify([h.modelUri, index]));
    parts.push(
      `[Show in panel](command:${CommandId.openPanel}?${panel}) · [Show feature maps](command:${CommandId.selectLayer}?${select})`,
    );
  }
  return parts.join('\n\n');
}
