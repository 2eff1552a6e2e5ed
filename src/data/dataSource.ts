import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Dataset, DType } from '../engine';
import { builtinMissing, builtinShape, loadBuiltin } from './builtins';
import { csvColumns, csvDataset, csvShape, CsvSpec } from './csvDataset';
import { CSV_CHUNK, csvExtent, parseCsvChunks, parseCsvTable } from './csvTable';
import { DataError } from './dataError';
import type { DataIssue, DataShape, DataSpec } from './dataSpec';
import { checkDataFile, FileAccess, maxTextBytes, nodeFileAccess } from './fileAccess';
import { IDX_FILES, loadIdxDataset, probeIdx } from './idxDataset';
import { loadImageFolder, probeImageFolder } from './imageFolder';
import { reconstructionDataset, reconstructionShape, targetsInput, testLabelsOf } from './inputTarget';
import { loadTextData, probeText } from './textData';
import { t } from '../l10n';

/** Data paths in a model file are relative to the model file's folder. */
export function dataPathResolver(modelFile: string): (p: string) => string {
  const dir = dirname(modelFile);
  return (p) => (isAbsolute(p) ? p : resolvePath(dir, p));
}

const PROBE_BYTES = 1 << 16;

/** Where in the `data` section a DataError about `file` belongs. */
function issueFor(spec: DataSpec, resolve: (p: string) => string, e: DataError): DataIssue {
  let path: (string | number)[] = [];
  if (spec.type === 'csv' || spec.type === 'text' || spec.type === 'imageFolder') path = ['path'];
  if (spec.type === 'idx') path = [IDX_FILES.find((r) => resolve(spec[r]) === e.file) ?? 'trainImages'];
  return { path, severity: 'error', code: e.code, message: e.message };
}

function probeCsv(spec: CsvSpec, file: string, files: FileAccess): { shape?: DataShape; issues: DataIssue[] } {
  const size = checkDataFile(files, file, maxTextBytes());
  let bytes: Uint8Array;
  try {
    bytes = files.read(file, PROBE_BYTES);
  } catch (e) {
    throw new DataError(file, {}, t('cannot read the file ({0})', (e as Error).message), 'dataUnreadable');
  }
  const text = new TextDecoder().decode(bytes);
  if (size <= PROBE_BYTES) {
    const table = parseCsvTable(text, file, spec.delimiter);
    const cols = csvColumns(table.header, spec);
    if (cols.issues.length) return { issues: cols.issues };
    return { shape: csvDataset(table, spec, 'float64').shape, issues: [] };
  }
  const first =
    (
      parse(text, {
        delimiter: spec.delimiter,
        bom: true,
        skip_empty_lines: true,
        to: 1,
        relax_column_count: true,
        relax_quotes: true,
      }) as string[][]
    )[0] ?? [];
  const header = first.map((c) => c.trim());
  const cols = csvColumns(header, spec);
  if (cols.issues.length) return { issues: cols.issues };
  return { shape: csvShape(spec, cols.features.length, cols.targets.length), issues: [] };
}

/**
 * What shape inference needs, cheaply: built-ins are known, CSV headers and IDX headers are read
 * from the files' first bytes. With `deep`, user files are loaded in full so every problem in
 * them (ragged rows, bad cells, truncated data) is found now rather than when training starts.
 */
function probeSource(
  spec: DataSpec,
  modelFile: string,
  files: FileAccess,
  deep: boolean,
): { shape?: DataShape; issues: DataIssue[] } {
  const resolve = dataPathResolver(modelFile);
  try {
    if (spec.type === 'boston' || spec.type === 'mnist' || spec.type === 'mnist-sample') {
      const missing = builtinMissing(spec);
      return missing
        ? { issues: [{ path: [], severity: 'error', code: 'dataMissing', message: missing }] }
        : { shape: builtinShape(spec), issues: [] };
    }
    if (spec.type === 'text') return probeText(spec, resolve(spec.path), files);
    if (spec.type === 'imageFolder') {
      const listed = probeImageFolder(spec, resolve(spec.path), files);
      return deep && listed.shape
        ? { shape: loadSource(spec, modelFile, 'float32', files).shape, issues: listed.issues }
        : listed;
    }
    if (deep) return { shape: loadSource(spec, modelFile, 'float32', files).shape, issues: [] };
    return spec.type === 'csv' ? probeCsv(spec, resolve(spec.path), files) : probeIdx(spec, resolve, files);
  } catch (e) {
    if (e instanceof DataError) return { issues: [issueFor(spec, resolve, e)] };
    throw e;
  }
}

/** The file in chunks (whole when `files` cannot chunk); read errors name the file. */
function* readChunks(files: FileAccess, file: string, chunkBytes: number): Generator<Uint8Array> {
  const unreadable = (e: unknown) =>
    new DataError(file, {}, t('cannot read the file ({0})', (e as Error).message), 'dataUnreadable');
  let source: Iterator<Uint8Array>;
  try {
    source = (files.chunks ? files.chunks(file, chunkBytes) : [files.read(file)])[Symbol.iterator]();
  } catch (e) {
    throw unreadable(e);
  }
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = source.next();
      } catch (e) {
        throw unreadable(e);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    source.return?.(); // a parse error stops early: the reader closes the file
  }
}

/** Loads the source as stored: targets are its labels or target columns. */
function loadSource(
  spec: DataSpec,
  modelFile: string,
  dtype: DType,
  files: FileAccess,
): { dataset: Dataset; shape: DataShape } {
  const resolve = dataPathResolver(modelFile);
  switch (spec.type) {
    case 'boston':
    case 'mnist':
    case 'mnist-sample': {
      const missing = builtinMissing(spec);
      if (missing) throw new DataError(spec.type, {}, missing, 'dataMissing');
      return { dataset: loadBuiltin(spec, dtype), shape: builtinShape(spec) };
    }
    case 'csv': {
      const file = resolve(spec.path);
      checkDataFile(files, file, maxTextBytes());
      // Two passes: the line breaks size the columns, then the parse fills them (no copies).
      const extent = csvExtent(readChunks(files, file, 1 << 20));
      return csvDataset(parseCsvChunks(readChunks(files, file, CSV_CHUNK), file, spec.delimiter, extent), spec, dtype);
    }
    case 'idx':
      return loadIdxDataset(spec, resolve, files, dtype);
    case 'text':
      return loadTextData(spec, resolve(spec.path), files, dtype);
    case 'imageFolder':
      return loadImageFolder(spec, resolve(spec.path), files, dtype);
  }
}

/** What shape inference needs (see probeSource); with `target: 'input'`, one output per input value. */
export function probeData(
  spec: DataSpec,
  modelFile: string,
  files: FileAccess,
  deep = false,
): { shape?: DataShape; issues: DataIssue[] } {
  const r = probeSource(spec, modelFile, files, deep);
  return r.shape && targetsInput(spec) ? { ...r, shape: reconstructionShape(r.shape) } : r;
}

/** A loaded dataset; `testLabels` are the test rows' classes when the source has labels. */
export interface LoadedData {
  readonly dataset: Dataset;
  readonly shape: DataShape;
  readonly testLabels?: Int32Array;
}

/**
 * Loads the whole dataset in the model's precision. Throws DataError for problems in files.
 * With `target: 'input'` the targets become the inputs (an autoencoder); the class labels are
 * kept as `testLabels` either way, to colour a latent projection.
 */
export function loadData(
  spec: DataSpec,
  modelFile: string,
  dtype: DType,
  files: FileAccess = nodeFileAccess,
): LoadedData {
  const { dataset, shape } = loadSource(spec, modelFile, dtype, files);
  const testLabels = testLabelsOf(dataset, shape);
  const labels = testLabels ? { testLabels } : {};
  if (!targetsInput(spec)) return { dataset, shape, ...labels };
  return { dataset: reconstructionDataset(dataset), shape: reconstructionShape(shape), ...labels };
}
