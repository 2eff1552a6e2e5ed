import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './packageRoot';
import { parse } from 'csv-parse/sync';
import { Dataset, gatherRows, standardize, Tensor, trainTestSplit } from '../engine';

/** The shipped copy of ../shared/datasets/boston-housing.csv (see datasets/PROVENANCE.md). */
export const BOSTON_CSV = join(packageRoot(), 'datasets', 'boston-housing.csv');

export const BOSTON_FEATURES = [
  'CRIM',
  'ZN',
  'INDUS',
  'CHAS',
  'NOX',
  'RM',
  'AGE',
  'DIS',
  'RAD',
  'TAX',
  'PTRATIO',
  'B',
  'LSTAT',
] as const;

/** Raw Boston table: x [506, 13], y [506, 1] (MEDV, $1000s). */
export function readBoston(file = BOSTON_CSV): { x: Tensor; y: Tensor } {
  const rows = parse(readFileSync(file, 'utf8'), {
    columns: false,
    from_line: 2,
    cast: true,
    skip_empty_lines: true,
  }) as unknown as number[][];
  const x = Tensor.zeros([rows.length, 13], 'float64');
  const y = Tensor.zeros([rows.length, 1], 'float64');
  rows.forEach((r, i) => {
    for (let c = 0; c < 13; c++) x.data[i * 13 + c] = r[c];
    y.data[i] = r[13];
  });
  return { x, y };
}

/**
 * The book's preparation (chapters 2, 3, 7; book-parity.md §7.1): standard-scale all 506 rows
 * *before* splitting, then `train_test_split(test_size=0.3, random_state=80718)`:
 * 354 train / 152 test rows.
 */
export function loadBostonBook(file = BOSTON_CSV): Dataset {
  const { x, y } = readBoston(file);
  const scaled = standardize(x).x;
  const { train, test } = trainTestSplit(x.shape[0], 0.3, 80718);
  return {
    xTrain: gatherRows(scaled, train),
    yTrain: gatherRows(y, train),
    xTest: gatherRows(scaled, test),
    yTest: gatherRows(y, test),
  };
}
