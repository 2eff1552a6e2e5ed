import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFileAccess } from '../data/fileAccess';
import type { ModelSpec } from '../modelFile/spec';
import { formatProblem } from '../modelFile/problem';
import type { ModelSource } from '../modelFile/spec';
import { hasErrors, validateModel } from '../modelFile/validate';
import { readRunRecord } from '../runs/runRecord';
import { t } from '../l10n';

/** Something the exporter cannot do faithfully; the message names the property and its line. */
export class ExportError extends Error {}

/** What an export starts from: a validated model (and its source, for line numbers), and weights when a run gave them. */
export interface ExportSource {
  readonly spec: ModelSpec;
  /** The model file the data paths resolve against (a run's original model file). */
  readonly modelFile: string;
  /** Path shown in messages. */
  readonly shownFile: string;
  readonly source: ModelSource;
  /** The run's weights file (final.gbw, else best.gbw), when exporting a run folder. */
  readonly weightsFile?: string;
  /** The run folder, when exporting one. */
  readonly runFolder?: string;
}

/** A model file (validated) or a run folder (its config.json, model.nn.json and final weights). */
export function readExportSource(path: string): ExportSource {
  if (existsSync(path) && statSync(path).isDirectory()) {
    const rec = readRunRecord(path);
    const final = join(path, 'final.gbw');
    const best = join(path, 'best.gbw');
    const weightsFile = existsSync(final) ? final : existsSync(best) ? best : undefined;
    if (!weightsFile) throw new ExportError(t('{0}: the run has no final.gbw or best.gbw (did it finish?)', path));
    const v = validateModel(rec.sourceText, rec.info.modelFile, { files: nodeFileAccess });
    return {
      spec: rec.spec,
      modelFile: rec.info.modelFile,
      shownFile: join(path, 'model.nn.json'),
      source: v.source,
      weightsFile,
      runFolder: path,
    };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ExportError(
      `${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? t('no such file') : (e as Error).message}`,
    );
  }
  const v = validateModel(text, path, { files: nodeFileAccess });
  if (hasErrors(v.problems) || !v.spec) {
    const errors = v.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(path, p));
    throw new ExportError(t('{0}: the model file has errors; fix them first:\n{1}', path, errors.join('\n')));
  }
  return { spec: v.spec, modelFile: path, shownFile: path, source: v.source };
}
