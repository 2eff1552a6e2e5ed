import { resolve } from 'node:path';
import { DataError } from '../data/dataError';
import { ExportError, readExportSource } from '../export/exportSource';
import { exportPyTorch } from '../export/pytorchExport';
import { CliError, displayPath } from './loadModel';
import { t } from '../l10n';

/**
 * `glassbox export <file.nn.json | run folder> --pytorch <out dir>`: writes the PyTorch project
 * (src/export/pytorchExport.ts) and says what it wrote, what differs and how to run it.
 */
export function exportCommand(
  source: string | undefined,
  outDir: string | undefined,
  out: NodeJS.WritableStream,
): number {
  if (!source) throw new CliError(t('export: expected a model file (*.nn.json) or a run folder'), 2);
  if (!outDir) throw new CliError(t('export: expected --pytorch <output folder>'), 2);
  try {
    const r = exportPyTorch(readExportSource(source), outDir);
    out.write(
      t('exported {0} to {1}: {2}', displayPath(source), displayPath(resolve(outDir)), r.files.join(', ')) + '\n',
    );
    out.write(t('weights: {0}', r.weightsFrom) + '\n');
    for (const d of r.differences) out.write(t('difference: {0}', d) + '\n');
    if (r.noTrain) out.write(t('no train.py: {0}', r.noTrain) + '\n');
    out.write(
      t(
        'run: {0}',
        `cd ${displayPath(resolve(outDir))} && python3 verify.py${r.noTrain ? '' : ' && python3 train.py'}`,
      ) + '\n',
    );
    return 0;
  } catch (e) {
    if (e instanceof ExportError) throw new CliError(`export: ${e.message}`);
    if (e instanceof DataError) throw new CliError(t('export: data: {0}', e.message));
    throw e;
  }
}
