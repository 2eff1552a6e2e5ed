import { Dataset, DType, oneHot, Tensor, trainTestSplit, ValueError } from '../engine';
import { didYouMean } from '../util/didYouMean';
import { DataError } from './dataError';
import type { DataIssue, DataShape, DataSpec } from './dataSpec';
import { CsvTable, numericColumn } from './csvTable';
import { t } from '../l10n';

export type CsvSpec = Extract<DataSpec, { type: 'csv' }>;

/** Column indices of the inputs and targets, or issues at the names that are not in the header. */
export function csvColumns(
  header: readonly string[],
  spec: CsvSpec,
): { features: number[]; targets: number[]; issues: DataIssue[] } {
  const issues: DataIssue[] = [];
  const targetNames = typeof spec.target === 'string' ? [spec.target] : [...spec.target];
  const find = (name: string, path: (string | number)[]): number => {
    const i = header.indexOf(name);
    if (i < 0)
      issues.push({
        path,
        severity: 'error',
        code: 'unknownColumn',
        message: t(
          "no column '{0}' in {1}.{2} Columns: {3}",
          name,
          spec.path,
          didYouMean(name, header),
          header.join(', '),
        ),
      });
    return i;
  };
  const targets = targetNames.map((n, k) => find(n, typeof spec.target === 'string' ? ['target'] : ['target', k]));
  const features = spec.features
    ? spec.features.map((n, k) => find(n, ['features', k]))
    : header.map((_, i) => i).filter((i) => !targets.includes(i));
  if (spec.classes !== undefined && targetNames.length !== 1) {
    issues.push({
      path: ['classes'],
      severity: 'error',
      code: 'dataFormat',
      message: t('classes needs exactly one target column of labels, got {0}', targetNames.length),
    });
  }
  const overlap = features.filter((i) => i >= 0 && targets.includes(i));
  if (overlap.length)
    issues.push({
      path: ['features'],
      severity: 'error',
      code: 'dataFormat',
      message: t("column '{0}' is both a feature and a target", header[overlap[0]]),
    });
  if (issues.length === 0 && features.length === 0)
    issues.push({
      path: ['target'],
      severity: 'error',
      code: 'dataFormat',
      message: t('{0} has no input columns left once the targets are taken out', spec.path),
    });
  return { features, targets, issues };
}

export function csvShape(spec: CsvSpec, nFeatures: number, nTargets: number, rows?: number): DataShape {
  const testRows = rows === undefined ? undefined : Math.ceil(spec.testFraction * rows);
  return {
    inputShape: [nFeatures],
    outputs: spec.classes ?? nTargets,
    task: spec.classes !== undefined ? 'classification' : 'regression',
    trainRows: rows === undefined || testRows === undefined ? undefined : rows - testRows,
    testRows,
    description:
      `${spec.path}: ${nFeatures === 1 ? t('{0} input column', nFeatures) : t('{0} input columns', nFeatures)}` +
      (rows === undefined ? '' : t(', {0} train / {1} test rows', rows - (testRows ?? 0), testRows ?? 0)),
  };
}

/**
 * A parsed table → a Dataset: numeric columns, seeded split (scikit-learn train_test_split
 * semantics, the engine's RNG), standard scaling fitted on the training rows (or on all rows
 * with scaleBeforeSplit, as the book prepares Boston), one-hot labels when `classes` is set.
 *
 * The split rows are gathered from the table's columns straight into the model's precision,
 * scaled on the way (the engine's `standardize` and `gatherRows` give the same values, bit for
 * bit, through a float64 matrix of all rows, its gathered copies and their scaled copies: with
 * the table, five times the data at once).
 */
export function csvDataset(table: CsvTable, spec: CsvSpec, dtype: DType): { dataset: Dataset; shape: DataShape } {
  const { features, targets, issues } = csvColumns(table.header, spec);
  if (issues.length) throw new DataError(table.file, { line: 1 }, issues[0].message);
  const n = table.rowCount;
  // Every used cell is checked first, feature columns then targets, each from its first row.
  const x = features.map((c) => numericColumn(table, c));
  const y = targets.map((c) => numericColumn(table, c));
  if (spec.classes !== undefined) {
    const classes = spec.classes;
    y[0].forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= classes) {
        throw new DataError(
          table.file,
          { line: table.lines[i] },
          t("expected a class label 0..{0} in column '{1}', got {2}", classes - 1, table.header[targets[0]], v),
        );
      }
    });
  }
  let split: { train: Int32Array; test: Int32Array };
  try {
    split = trainTestSplit(n, spec.testFraction, spec.splitSeed);
  } catch (e) {
    if (e instanceof ValueError)
      throw new DataError(
        table.file,
        { line: table.lines[n - 1] },
        t('{0} data rows are too few to hold out a test fraction of {1}', n, spec.testFraction),
      );
    throw e;
  }
  let stats: Scaling | undefined;
  if (spec.scale !== 'none')
    stats = scaling(x, spec.scaleBeforeSplit ? Int32Array.from({ length: n }, (_, i) => i) : split.train);
  const targetsOf = (rows: Int32Array) =>
    spec.classes !== undefined
      ? oneHot(gather([y[0]], rows, 'float64').data, spec.classes, dtype)
      : gather(y, rows, dtype);
  const dataset: Dataset = {
    xTrain: gather(x, split.train, dtype, stats),
    yTrain: targetsOf(split.train),
    xTest: gather(x, split.test, dtype, stats),
    yTest: targetsOf(split.test),
  };
  const columns = {
    names: features.map((c) => table.header[c]),
    ...(stats ? { mean: Array.from(stats.mean), std: Array.from(stats.std) } : {}),
  };
  return { dataset, shape: { ...csvShape(spec, features.length, targets.length, n), columns } };
}

interface Scaling {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/** The engine's `standardize` statistics of the given rows, summed in the same order (float64). */
function scaling(columns: readonly Float64Array[], rows: Int32Array): Scaling {
  const k = columns.length;
  const mean = new Float64Array(k);
  const std = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const col = columns[c];
    for (let r = 0; r < rows.length; r++) mean[c] += col[rows[r]];
    mean[c] /= rows.length;
    for (let r = 0; r < rows.length; r++) std[c] += (col[rows[r]] - mean[c]) ** 2;
    std[c] = Math.sqrt(std[c] / rows.length) || 1;
  }
  return { mean, std };
}

/** Rows of the columns as an [rows, columns] tensor, scaled in float64 then stored in `dtype`. */
function gather(columns: readonly Float64Array[], rows: Int32Array, dtype: DType, stats?: Scaling): Tensor {
  const k = columns.length;
  const out = Tensor.zeros([rows.length, k], dtype);
  for (let c = 0; c < k; c++) {
    const col = columns[c];
    if (stats) {
      const m = stats.mean[c];
      const s = stats.std[c];
      for (let r = 0; r < rows.length; r++) out.data[r * k + c] = (col[rows[r]] - m) / s;
    } else for (let r = 0; r < rows.length; r++) out.data[r * k + c] = col[rows[r]];
  }
  return out;
}
