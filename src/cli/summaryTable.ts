import { formatShape } from '../engine';
import type { ModelSummary } from '../modelFile/validate';
import type { ModelSpec } from '../modelFile/spec';
import { t } from '../l10n';

/** Terminal columns of a string: CJK characters and full-width forms take two (Chinese headers). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return w;
}

/** Columns padded to their widest cell, two spaces apart; the last column right-aligned unless `rightLast` is false. */
export function table(rows: string[][], rightLast = true): string[] {
  const widths = rows[0].map((_, c) => rows.reduce((w, r) => Math.max(w, displayWidth(r[c] ?? '')), 0));
  const pad = (cell: string, width: number) => ' '.repeat(Math.max(0, width - displayWidth(cell)));
  return rows.map((r) =>
    r
      .map((cell = '', c) =>
        rightLast && c >= r.length - 1 ? pad(cell, widths[c]) + cell : cell + pad(cell, widths[c]),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** The layer table `summary` and `validate` print: layer, kind, output shape, parameters. */
export function formatSummary(spec: ModelSpec, s: ModelSummary): string {
  const rows = [['#', t('layer'), t('type'), t('details'), t('output shape'), t('parameters')]];
  rows.push(['', t('input'), '', '', formatShape(s.data.inputShape), '']);
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
  const rule = '-'.repeat(lines.reduce((w, l) => Math.max(w, displayWidth(l)), 0));
  const opt = spec.optimizer;
  return [
    t('model {0} ({1} profile, {2})', spec.name, spec.profile, spec.precision) +
      (spec.quirks ? t(' · quirks {0}', JSON.stringify(spec.quirks)) : ''),
    t('data  {0}', s.data.description),
    lines[0],
    rule,
    ...lines.slice(1),
    rule,
    t('total parameters: {0}', s.totalParameters.toLocaleString('en-US')),
    t(
      'loss {0}; optimizer {1}; {2}',
      spec.loss.type,
      `${opt.type} lr ${opt.lr}${opt.decay ? ` → ${opt.decay.finalLr} (${opt.decay.type})` : ''}`,
      spec.data.type === 'text'
        ? t(
            '{0} iterations, batch {1}, evaluate every {2} iterations, sample every {3}',
            spec.training.iterations ?? 0,
            spec.training.batchSize,
            spec.training.evalEvery,
            spec.training.sampleEvery ?? 0,
          )
        : t(
            '{0} epochs, batch {1}, evaluate every {2}',
            spec.training.epochs,
            spec.training.batchSize,
            spec.training.evalEvery,
          ),
    ) + (opt.clip !== undefined ? t(', clip {0}', opt.clip) : ''),
  ].join('\n');
}
