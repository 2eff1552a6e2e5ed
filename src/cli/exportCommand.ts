import { resolve } from 'node:path';
import { DataError } from '../data/dataError';
import { ExportError, readExportSource } from '../export/exportSource';
import { exportPyTorch } from '../export/pytorchExport';
import { CliError, displayPath } from './loadModel';

/**
 * `glassbox export <file.nn.json | run folder> --pytorch <out dir>`: writes the PyTorch project
 * (src/export/pytorchExport.ts) and says what it wrote, what differs and how to run it.
 */
export function exportCommand(
  source: string | undefined,
  outDir: string | undefined,
  out: NodeJS.WritableStream,
): number {
  if (!source) throw new CliError('export: expected a model file (*.nn.json) or a run folder', 2);
  if (!outDir) throw new CliError('export: expected --pytorch <output folder>', 2);
  try {
    const r = exportPyTorch(readExportSource(source), outDir);
    out.write(`exported ${displayPath(source)} to ${displayPath(resolve(outDir))}: ${r.files.join(', ')}\n`);
    out.write(`weights: ${r.weightsFrom}\n`);
    for (const d of r.differences) out.write(`difference: ${d}\n`);
    if (r.noTrain) out.write(`no train.py: ${r.noTrain}\n`);
    out.write(
      `run: cd ${displayPath(resolve(outDir))} && python3 verify.py${r.noTrain ? '' : ' && python3 train.py'}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ExportError) throw new CliError(`export: ${e.message}`);
    if (e instanceof DataError) throw new CliError(`export: data: ${e.message}`);
    throw e;
  }
}
