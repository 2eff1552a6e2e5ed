import { t } from '../l10n';

/** Where in a data file a problem is: 1-based line and column for text, a byte offset for binary. */
export interface DataLocation {
  readonly line?: number;
  readonly column?: number;
  readonly byte?: number;
}

export type DataErrorCode = 'dataMissing' | 'dataUnreadable' | 'dataTooLarge' | 'dataFormat';

/**
 * A problem in a data file. The message always names the file and, when known, the place in it
 * (`file:line:column: …` or `file: byte N: …`) and says what was expected.
 */
export class DataError extends Error {
  constructor(
    readonly file: string,
    readonly where: DataLocation,
    readonly detail: string,
    readonly code: DataErrorCode = 'dataFormat',
  ) {
    super(`${formatLocation(file, where)}: ${detail}`);
    this.name = 'DataError';
  }
}

export function formatLocation(file: string, w: DataLocation): string {
  if (w.line !== undefined) return `${file}:${w.line}${w.column !== undefined ? `:${w.column}` : ''}`;
  if (w.byte !== undefined) return `${file}: ${t('byte {0}', w.byte)}`;
  return file;
}
