import { loadModel } from './loadModel';
import { formatSummary } from './summaryTable';
import { t } from '../l10n';

/**
 * `glassbox validate <file>`: every problem as `path:line:column: message` on stderr and exit 1,
 * or the layer/shape summary on stdout and exit 0. Data files are read in full.
 */
export function validateCommand(file: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const { result } = loadModel(file, err, true);
  if (result.spec && result.summary) out.write(formatSummary(result.spec, result.summary) + '\n');
  out.write(`${file}: ${t('ok')}\n`);
  return 0;
}

/** `glassbox summary <file>`: the table of layers, output shapes and parameters. */
export function summaryCommand(file: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const { result } = loadModel(file, err, false);
  if (result.spec && result.summary) out.write(formatSummary(result.spec, result.summary) + '\n');
  return 0;
}
