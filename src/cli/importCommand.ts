import { DataError } from '../data/dataError';
import { ExportError } from '../export/exportSource';
import { importPyTorch } from '../export/pytorchImport';
import { CliError, displayPath } from './loadModel';
import { t } from '../l10n';

const fmt = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => (k === 'accuracy' ? t('accuracy {0}%', (100 * v).toFixed(2)) : `${k} ${v.toFixed(4)}`))
    .join('  ');

/**
 * `glassbox import <weights.npz> --into <file.nn.json | run folder>`: weights trained by an
 * exported train.py become a Glassbox run record (src/export/pytorchImport.ts). Prints Glassbox's
 * evaluation of them beside what PyTorch printed, and with --json one `{"event":"import",…}` line.
 */
export function importCommand(
  weights: string | undefined,
  into: string | undefined,
  json: boolean,
  out: NodeJS.WritableStream,
): number {
  if (!weights) throw new CliError(t('import: expected a weights file (.npz) written by an exported train.py'), 2);
  if (!into) throw new CliError(t('import: expected --into <model file | run folder>'), 2);
  try {
    const r = importPyTorch(weights, into);
    if (json) out.write(JSON.stringify({ event: 'import', ...r, runFolder: displayPath(r.runFolder) }) + '\n');
    else {
      out.write(t('imported {0} → {1}', displayPath(weights), displayPath(r.runFolder)) + '\n');
      out.write(t('Glassbox, test set: loss {0}  {1}', r.loss.toFixed(4), fmt(r.metrics)) + '\n');
      if (r.pytorch)
        out.write(t('PyTorch printed:    loss {0}  {1}', r.pytorch.loss.toFixed(4), fmt(r.pytorch.metrics)) + '\n');
    }
    return 0;
  } catch (e) {
    if (e instanceof ExportError) throw new CliError(`import: ${e.message}`);
    if (e instanceof DataError) throw new CliError(t('import: data: {0}', e.message));
    throw e;
  }
}
