import { Dataset, DType, gatherRows, oneHot, standardize, Tensor, trainTestSplit, ValueError } from '../engine';
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
 */
export function csvDataset(table: CsvTable, spec: CsvSpec, dtype: DType): { dataset: Dataset; shape: DataShape } {
  const { features, targets, issues } = csvColumns(table.header, spec);
  if (issues.length) throw new DataError(table.file, { line: 1 }, issues[0].message);
  const n = table.rowCount;
  const columns = (idx: number[]) => {
    const t = Tensor.zeros([n, idx.length], 'float64');
    idx.forEach((c, j) => numericColumn(table, c).forEach((v, i) => (t.data[i * idx.length + j] = v)));
    return t;
  };
  const x = columns(features);
  let y = columns(targets);
  if (spec.classes !== undefined) {
    const classes = spec.classes;
    const labels = y.data;
    labels.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= classes) {
        throw new DataError(
          table.file,
          { line: table.lines[i] },
          t("expected a class label 0..{0} in column '{1}', got {2}", classes - 1, table.header[targets[0]], v),
        );
      }
    });
    y = oneHot(labels, classes, 'float64');
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
  let xTrain: Tensor, xTest: Tensor;
  if (spec.scale === 'none') {
    xTrain = gatherRows(x, split.train);
    xTest = gatherRows(x, split.test);
  } else if (spec.scaleBeforeSplit) {
    const s = standardize(x).x;
    xTrain = gatherRows(s, split.train);
    xTest = gatherRows(s, split.test);
  } else {
    const fit = standardize(gatherRows(x, split.train));
    xTrain = fit.x;
    xTest = standardize(gatherRows(x, split.test), fit).x;
  }
  const dataset: Dataset = {
    xTrain: xTrain.astype(dtype),
    yTrain: gatherRows(y, split.train, dtype),
    xTest: xTest.astype(dtype),
    yTest: gatherRows(y, split.test, dtype),
  };
  return { dataset, shape: csvShape(spec, features.length, targets.length, n) };
}
