import { formatShape } from '../engine';
import type { ModelSummary } from '../modelFile/validate';
import type { ModelSpec } from '../modelFile/spec';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => rows.reduce((w, r) => Math.max(w, r[c].length), 0));
  return rows.map((r) =>
    r
      .map((cell, c) => (c >= r.length - 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

/** The layer table `summary` and `validate` print: layer, kind, output shape, parameters. */
export function formatSummary(spec: ModelSpec, s: ModelSummary): string {
  const rows = [['#', 'layer', 'type', 'details', 'output shape', 'parameters']];
  rows.push(['', 'input', '', '', formatShape(s.data.inputShape), '']);
  for (const l of s.layers)
    rows.push([
      String(l.index + 1),
      l.name,
      l.type,
      l.details,
      formatShape(l.outputShape),
      l.parameters.toLocaleString('en-US'),
    ]);
  const lines = table(rows);
  const rule = '-'.repeat(lines.reduce((w, l) => Math.max(w, l.length), 0));
  const opt = spec.optimizer;
  return [
    `model ${spec.name} (${spec.profile} profile, ${spec.precision})`,
    `data  ${s.data.description}`,
    lines[0],
    rule,
    ...lines.slice(1),
    rule,
    `total parameters: ${s.totalParameters.toLocaleString('en-US')}`,
    `loss ${spec.loss.type}; optimizer ${opt.type} lr ${opt.lr}${opt.decay ? ` → ${opt.decay.finalLr} (${opt.decay.type})` : ''}; ${spec.data.type === 'text' ? `${spec.training.iterations} iterations, batch ${spec.training.batchSize}, evaluate every ${spec.training.evalEvery} iterations, sample every ${spec.training.sampleEvery}` : `${spec.training.epochs} epochs, batch ${spec.training.batchSize}, evaluate every ${spec.training.evalEvery}`}${opt.clip !== undefined ? `, clip ${opt.clip}` : ''}`,
  ].join('\n');
}
