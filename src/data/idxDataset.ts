import { constants, gunzipSync } from 'node:zlib';
import type { Dataset, DType } from '../engine';
import { DataError } from './dataError';
import type { DataIssue, DataShape, DataSpec } from './dataSpec';
import { checkDataFile, FileAccess, maxDataBytes, readDataFile } from './fileAccess';
import { IdxArray, IdxError, parseIdx } from './idx';
import { mnistFromIdx } from './mnist';
import { t } from '../l10n';

export type IdxSpec = Extract<DataSpec, { type: 'idx' }>;
export const IDX_FILES = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
type IdxRole = (typeof IDX_FILES)[number];

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Reads and decodes one IDX file (raw or gzip), refusing files or streams over the size limit. */
export function readIdxFile(files: FileAccess, file: string, limit = maxDataBytes()): IdxArray {
  let bytes = readDataFile(files, file, limit);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: limit });
    } catch (e) {
      const tooBig = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
      if (tooBig)
        throw new DataError(
          file,
          {},
          t('decompresses to more than the {0} MiB this machine can load safely', (limit / 2 ** 20).toFixed(1)),
          'dataTooLarge',
        );
      throw new DataError(file, { byte: 0 }, t('not a valid gzip stream ({0})', (e as Error).message));
    }
  }
  try {
    return parseIdx(bytes, file);
  } catch (e) {
    if (e instanceof IdxError) throw new DataError(file, { byte: e.offset }, e.detail);
    throw e;
  }
}

/** Dimensions from an IDX header, reading only the file's first bytes (decompressing a prefix). */
export function readIdxDims(files: FileAccess, file: string): number[] {
  checkDataFile(files, file, Infinity);
  let head: Uint8Array;
  try {
    head = files.read(file, 1 << 16);
  } catch (e) {
    throw new DataError(file, {}, t('cannot read the file ({0})', (e as Error).message), 'dataUnreadable');
  }
  if (isGzip(head)) head = gunzipHead(head, file);
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0)
    throw new DataError(
      file,
      { byte: 0 },
      t(
        'not an IDX file: expected the magic number 0x0000 then a type byte (0x00000801 for labels, 0x00000803 for images)',
      ),
    );
  if (head[2] !== 0x08)
    throw new DataError(
      file,
      { byte: 2 },
      t('unsupported element type 0x{0}: only unsigned bytes (0x08) are supported', head[2].toString(16)),
    );
  const rank = head[3];
  if (rank < 1 || rank > 4)
    throw new DataError(file, { byte: 3 }, t('unsupported number of dimensions {0} (expected 1 to 4)', rank));
  if (head.length < 4 + 4 * rank)
    throw new DataError(
      file,
      { byte: head.length },
      t('header truncated: {0} dimensions need {1} bytes', rank, 4 + 4 * rank),
    );
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
}

/**
 * The first decompressed bytes of a gzip stream, enough for an IDX header. Deflate expands at most
 * 1032:1, so a short compressed prefix is inflated with a matching output bound; a longer one is
 * tried only if it did not yield the header (a gzip header can carry a file name). Inflating all
 * 64 KiB under a 1 MiB bound refused highly compressible valid files as "not an IDX file".
 */
function gunzipHead(compressed: Uint8Array, file: string): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  for (const n of [512, 8192, compressed.length]) {
    try {
      out = gunzipSync(compressed.subarray(0, n), {
        finishFlush: constants.Z_SYNC_FLUSH,
        maxOutputLength: 1032 * n + 1024,
      });
    } catch (e) {
      // A prefix may end inside the gzip header: try a longer one; a corrupt stream fails at the full length.
      if (n === compressed.length)
        throw new DataError(file, { byte: 0 }, t('not a valid gzip stream ({0})', (e as Error).message));
      continue;
    }
    if (out.length >= 4 + 4 * 4 || n >= compressed.length) return out;
  }
  return out;
}

function checkPair(images: number[], labels: number[], files: { images: string; labels: string }): void {
  if (images.length < 2)
    throw new DataError(
      files.images,
      { byte: 3 },
      t('images need at least 2 dimensions [count, ...pixels], got {0}', images.length),
    );
  if (images[0] === 0) throw new DataError(files.images, { byte: 4 }, t('the file holds no images (count 0)'));
  if (labels.length !== 1)
    throw new DataError(files.labels, { byte: 3 }, t('labels need 1 dimension [count], got {0}', labels.length));
  if (images[0] !== labels[0])
    throw new DataError(
      files.labels,
      { byte: 4 },
      t('{0} labels for {1} images in {2}: expected the same count', labels[0], images[0], files.images),
    );
}

function shapeOf(spec: IdxSpec, imageDims: number[], trainRows: number, testRows: number): DataShape {
  const pixels = imageDims.slice(1);
  const inputShape =
    spec.layout === 'image' && pixels.length === 2 ? [1, ...pixels] : [pixels.reduce((a, b) => a * b, 1)];
  return {
    inputShape,
    outputs: spec.classes,
    task: 'classification',
    trainRows,
    testRows,
    description: t('idx images [{0}]: {1} train / {2} test', pixels.join(', '), trainRows, testRows),
  };
}

/** Shapes from the four headers, or issues located at the offending path in the model file. */
export function probeIdx(
  spec: IdxSpec,
  resolve: (p: string) => string,
  files: FileAccess,
): { shape?: DataShape; issues: DataIssue[] } {
  const issues: DataIssue[] = [];
  const dims: Partial<Record<IdxRole, number[]>> = {};
  for (const role of IDX_FILES) {
    try {
      dims[role] = readIdxDims(files, resolve(spec[role]));
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      issues.push({ path: [role], severity: 'error', code: e.code, message: e.message });
    }
  }
  if (issues.length) return { issues };
  const d = dims as Record<IdxRole, number[]>;
  try {
    checkPair(d.trainImages, d.trainLabels, { images: resolve(spec.trainImages), labels: resolve(spec.trainLabels) });
    checkPair(d.testImages, d.testLabels, { images: resolve(spec.testImages), labels: resolve(spec.testLabels) });
    if (d.trainImages.slice(1).join() !== d.testImages.slice(1).join()) {
      throw new DataError(
        resolve(spec.testImages),
        { byte: 8 },
        t(
          'test images are [{0}] but training images are [{1}]',
          d.testImages.slice(1).join(', '),
          d.trainImages.slice(1).join(', '),
        ),
      );
    }
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    const role = IDX_FILES.find((r) => resolve(spec[r]) === e.file) ?? 'trainImages';
    return { issues: [{ path: [role], severity: 'error', code: e.code, message: e.message }] };
  }
  return { shape: shapeOf(spec, d.trainImages, d.trainImages[0], d.testImages[0]), issues };
}

/** Loads all four files and checks counts, image sizes and label range (with byte offsets). */
export function loadIdxDataset(
  spec: IdxSpec,
  resolve: (p: string) => string,
  files: FileAccess,
  dtype: DType,
): { dataset: Dataset; shape: DataShape } {
  const a = Object.fromEntries(IDX_FILES.map((r) => [r, readIdxFile(files, resolve(spec[r]))])) as Record<
    IdxRole,
    IdxArray
  >;
  checkPair(a.trainImages.dims, a.trainLabels.dims, {
    images: resolve(spec.trainImages),
    labels: resolve(spec.trainLabels),
  });
  checkPair(a.testImages.dims, a.testLabels.dims, {
    images: resolve(spec.testImages),
    labels: resolve(spec.testLabels),
  });
  if (a.trainImages.dims.slice(1).join() !== a.testImages.dims.slice(1).join()) {
    throw new DataError(
      resolve(spec.testImages),
      { byte: 8 },
      t(
        'test images are [{0}] but training images are [{1}]',
        a.testImages.dims.slice(1).join(', '),
        a.trainImages.dims.slice(1).join(', '),
      ),
    );
  }
  for (const role of ['trainLabels', 'testLabels'] as const) {
    const labels = a[role].data;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] >= spec.classes)
        throw new DataError(
          resolve(spec[role]),
          { byte: 8 + i },
          t('label {0} of example {1} is not below classes = {2}', labels[i], i, spec.classes),
        );
    }
  }
  const dataset = mnistFromIdx(a.trainImages, a.trainLabels, a.testImages, a.testLabels, {
    scaling: spec.scaling,
    layout: spec.layout,
    dtype,
    classes: spec.classes,
  });
  return { dataset, shape: shapeOf(spec, a.trainImages.dims, a.trainImages.dims[0], a.testImages.dims[0]) };
}
