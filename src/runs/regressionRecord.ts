import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RegressionReport } from '../engine';
import type { RegressionMessage } from '../protocol/webviewProtocol';
import { writeFileAtomic } from './atomicWrite';
import { t } from '../l10n';

/** regression.json: a regression model's predicted vs actual values on the test set (the Evaluation tab's scatter). */
export interface RegressionRecord extends RegressionReport {
  readonly format: 'glassbox-regression/1';
}

const MAX_POINTS = 10_000;
const MAX_COLUMNS = 8;
const MAX_FILE_BYTES = 16 * 2 ** 20;

export function regressionRecord(report: RegressionReport): RegressionRecord {
  return { format: 'glassbox-regression/1', ...report };
}

/** JSON has no NaN: an undefined R² (constant targets) is written as null and read back as NaN. */
export function writeRegressionRecord(folder: string, record: RegressionRecord): void {
  writeFileAtomic(
    join(folder, 'regression.json'),
    JSON.stringify(record, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n',
  );
}

const finite = (a: unknown, n: number): a is number[] =>
  Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));

/**
 * regression.json of a run folder, or undefined when the run wrote none (not a regression model).
 * Throws an Error naming the file when it is not a consistent glassbox-regression/1 record: it is
 * untrusted input (a run folder may come from anywhere), checked before anything draws it.
 */
export function readRegressionRecord(folder: string): RegressionRecord | undefined {
  const file = join(folder, 'regression.json');
  if (!existsSync(file)) return undefined;
  if (statSync(file).size > MAX_FILE_BYTES) throw new Error(t('{0}: larger than {1} MB', file, MAX_FILE_BYTES >> 20));
  const r = JSON.parse(readFileSync(file, 'utf8')) as RegressionRecord;
  const ok =
    r?.format === 'glassbox-regression/1' &&
    Number.isInteger(r.rows) &&
    r.rows >= 1 &&
    Array.isArray(r.columns) &&
    r.columns.length >= 1 &&
    r.columns.length <= MAX_COLUMNS &&
    r.columns.every((c) => {
      const n = Array.isArray(c?.rows) ? c.rows.length : -1;
      return (
        n >= 1 &&
        n <= MAX_POINTS &&
        c.rows.every((x) => Number.isInteger(x) && x >= 0 && x < r.rows) &&
        finite(c.actual, n) &&
        finite(c.predicted, n) &&
        finite([c.mae, c.rmse, c.meanResidual], 3) &&
        (c.r2 === null || Number.isFinite(c.r2)) &&
        Number.isInteger(c.worstRow) &&
        c.worstRow >= 0 &&
        c.worstRow < r.rows
      );
    });
  if (!ok) throw new Error(t('{0}: not a consistent glassbox-regression/1 record', file));
  return { ...r, columns: r.columns.map((c) => ({ ...c, r2: c.r2 ?? NaN })) };
}

/** The record as the webview protocol carries it: postMessage keeps NaN, but the message type says null. */
export function sendableRegression(r: RegressionRecord): RegressionMessage {
  return { rows: r.rows, columns: r.columns.map((c) => ({ ...c, r2: Number.isFinite(c.r2) ? c.r2 : null })) };
}
