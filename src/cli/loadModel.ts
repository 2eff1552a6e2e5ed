import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { nodeFileAccess, specialFileKind } from '../data/fileAccess';
import { MAX_MODEL_CHARS } from '../modelFile/parse';
import { formatProblem } from '../modelFile/problem';
import { hasErrors, validateModel, ValidationResult } from '../modelFile/validate';
import { t } from '../l10n';

/** Thrown for problems already reported to the user; the CLI exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The path as the user should see it: relative to the working folder when inside it. */
export function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

export interface LoadedModel {
  readonly text: string;
  readonly result: ValidationResult;
}

/** Reads and validates a model file, printing each problem as `path:line:column: message`. */
export function loadModel(file: string, err: NodeJS.WritableStream, deepData: boolean): LoadedModel {
  let text: string;
  // Refused by type before opening: a FIFO would block forever, /dev/zero would never end.
  const kind = specialFileKind(file);
  if (kind) throw new CliError(t('{0}: is {1}, expected a model file (*.nn.json)', displayPath(file), kind));
  try {
    const size = statSync(file).size;
    if (size > 4 * MAX_MODEL_CHARS)
      throw new CliError(
        t('{0}: is {1} bytes, too large for a model file', displayPath(file), size.toLocaleString('en-US')),
      );
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${displayPath(file)}: ${code === 'ENOENT' ? t('no such file') : code === 'EISDIR' ? t('is a folder, expected a model file (*.nn.json)') : (e as Error).message}`,
    );
  }
  const result = validateModel(text, file, { files: nodeFileAccess, deepData });
  for (const p of result.problems) err.write(formatProblem(displayPath(file), p) + '\n');
  if (hasErrors(result.problems)) {
    const n = result.problems.filter((p) => p.severity === 'error').length;
    throw new CliError(t(n === 1 ? '{0}: {1} error' : '{0}: {1} errors', displayPath(file), n));
  }
  return { text, result };
}
