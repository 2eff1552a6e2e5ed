import { join } from 'node:path';
import { Dataset, DType, oneHot, RandomState, Tensor } from '../engine';
import { DataError } from './dataError';
import type { DataIssue, DataShape, DataSpec } from './dataSpec';
import { FileAccess, maxDataBytes, readDataFile } from './fileAccess';
import { decodeImage, ImageProblem, isImageName, maxImageFileBytes } from './imageDecode';
import { writeResized } from './imageResize';
import { t } from '../l10n';

/*
 * A folder of images with one subfolder per class (Keras' image_dataset_from_directory): the
 * classes are the subfolder names, sorted; each class's PNG and JPEG files, sorted by name, are
 * its examples. The editor only lists the folders (probeImageFolder); decoding happens where the
 * data is loaded: the CLI and the training worker (loadImageFolder).
 */

export type ImageFolderSpec = Extract<DataSpec, { type: 'imageFolder' }>;

/** What the folder holds: class names sorted, each class's image file names sorted. */
export interface ImageFolderListing {
  readonly classes: readonly string[];
  readonly images: readonly (readonly string[])[];
  /** Entries not read, relative to the folder: other files in class folders, nested folders, images at the top. */
  readonly ignored: readonly string[];
}

/** Bad images named in one error, at most; the rest are counted. */
const MAX_REPORTED = 20;
const MAX_IGNORED_NAMED = 3;

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const hidden = (name: string): boolean => name.startsWith('.');

/**
 * Listings by folder, kept while the folder's and its class folders' stamps are unchanged: the
 * editor validates on every pause in typing, and listing 15,000 files took 22–55 ms there; the
 * stamps take one stat per folder.
 */
const listings = new Map<string, { stamps: string[]; listing: ImageFolderListing }>();
const MAX_LISTINGS = 16;

function stampsOf(folder: string, classes: readonly string[], files: FileAccess): string[] | undefined {
  const stamps = [folder, ...classes.map((c) => join(folder, c))].map((f) => files.folderStamp?.(f));
  return stamps.every((s) => s !== undefined) ? (stamps as string[]) : undefined;
}

/** Lists the folder's class subfolders and their images; throws DataError when it is no readable folder. */
export function listImageFolder(folder: string, files: FileAccess): ImageFolderListing {
  const refused = files.refuse?.(folder);
  if (refused) throw new DataError(folder, {}, refused, 'dataUnreadable');
  const cached = listings.get(folder);
  if (cached && stampsOf(folder, cached.listing.classes, files)?.join('|') === cached.stamps.join('|'))
    return cached.listing;
  const listing = listFolders(folder, files);
  const stamps = stampsOf(folder, listing.classes, files);
  listings.delete(folder);
  if (stamps) listings.set(folder, { stamps, listing });
  if (listings.size > MAX_LISTINGS) listings.delete(listings.keys().next().value as string);
  return listing;
}

function listFolders(folder: string, files: FileAccess): ImageFolderListing {
  const entries = files.list?.(folder);
  if (!entries) {
    if (files.size(folder) !== undefined)
      throw new DataError(
        folder,
        {},
        t('is a file, not a folder: an imageFolder path names a folder with one subfolder of images per class'),
        'dataFormat',
      );
    throw new DataError(
      folder,
      {},
      t(
        'folder not found (expected a folder with one subfolder of images per class; paths are relative to the model file)',
      ),
      'dataMissing',
    );
  }
  const ignored: string[] = [];
  const classes: string[] = [];
  const images: string[][] = [];
  for (const e of [...entries].sort((a, b) => byCodeUnit(a.name, b.name))) {
    if (hidden(e.name)) continue;
    if (e.kind !== 'folder') {
      if (isImageName(e.name)) ignored.push(e.name);
      continue;
    }
    const inside = files.list?.(join(folder, e.name)) ?? [];
    const names: string[] = [];
    for (const f of [...inside].sort((a, b) => byCodeUnit(a.name, b.name))) {
      if (hidden(f.name)) continue;
      if (f.kind === 'file' && isImageName(f.name)) names.push(f.name);
      else ignored.push(`${e.name}/${f.name}${f.kind === 'folder' ? '/' : ''}`);
    }
    classes.push(e.name);
    images.push(names);
  }
  return { classes, images, ignored };
}

/**
 * A stratified seeded split: each class with n ≥ 2 images gives ceil(testFraction·n) of them to
 * the test set, but never all (a class of one image is only trained on). One RandomState(seed)
 * draws each class's permutation in class order, then shuffles the train and the test set, so
 * test row 0 is not always class 0. Indices are into the images listed class after class.
 */
export function imageFolderSplit(
  counts: readonly number[],
  testFraction: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const rng = new RandomState(seed);
  const train: number[] = [],
    test: number[] = [];
  let base = 0;
  for (const n of counts) {
    const perm = rng.permutation(n);
    const nTest = n < 2 ? 0 : Math.min(n - 1, Math.ceil(testFraction * n));
    for (let i = 0; i < n; i++) (i < nTest ? test : train).push(base + perm[i]);
    base += n;
  }
  const shuffled = (a: number[]) => Int32Array.from(rng.permutation(a.length), (i) => a[i]);
  return { train: shuffled(train), test: shuffled(test) };
}

function inputShapeOf(spec: ImageFolderSpec): number[] {
  const [c, h, w] = spec.imageShape;
  return spec.layout === 'image' ? [c, h, w] : [c * h * w];
}

function shapeOf(spec: ImageFolderSpec, listing: ImageFolderListing, trainRows: number, testRows: number): DataShape {
  const names = listing.classes;
  const shown = names.length > 6 ? [...names.slice(0, 5), '…'] : names;
  return {
    inputShape: inputShapeOf(spec),
    outputs: names.length,
    task: 'classification',
    trainRows,
    testRows,
    classNames: names,
    description: t(
      'image folder {0}: {1} classes ({2}), images [{3}], {4} train / {5} test',
      spec.path,
      names.length,
      shown.join(', '),
      spec.imageShape.join(', '),
      trainRows,
      testRows,
    ),
  };
}

/** Bytes the dataset's tensors take: every image's values and its one-hot row. */
function datasetBytes(spec: ImageFolderSpec, images: number, classes: number, dtype: DType): number {
  const values = spec.imageShape.reduce((a, b) => a * b, 1) + classes;
  return images * values * (dtype === 'float64' ? 8 : 4);
}

const mib = (n: number): string => (n / 2 ** 20).toFixed(1);

/** Problems with the folder's layout (located at `path` or `imageShape`), and the shape when there are no errors. */
function checkListing(
  spec: ImageFolderSpec,
  listing: ImageFolderListing,
  dtype: DType,
): { shape?: DataShape; issues: DataIssue[] } {
  const issues: DataIssue[] = [];
  const at = (path: DataIssue['path'], message: string, code: DataIssue['code'] = 'dataFormat'): void => {
    issues.push({ path, severity: 'error', code, message });
  };
  if (spec.imageShape[0] !== 1 && spec.imageShape[0] !== 3)
    at(['imageShape', 0], t('{0} channels: an image is read as 1 channel (greyscale) or 3 (RGB)', spec.imageShape[0]));
  const { classes, images } = listing;
  if (classes.length < 2)
    at(
      ['path'],
      classes.length === 0
        ? t('{0} has no subfolders: put the images of each class in a subfolder named after the class', spec.path)
        : t(
            "{0} has one class folder ('{1}'): a classifier needs at least 2, one subfolder of images per class",
            spec.path,
            classes[0],
          ),
    );
  const empty = classes.filter((_, i) => images[i].length === 0);
  if (empty.length)
    at(
      ['path'],
      t(
        "class folder '{0}' holds no PNG or JPEG images (files ending .png, .jpg or .jpeg){1}",
        empty[0],
        empty.length > 1 ? t(', nor do {0} other class folders', empty.length - 1) : '',
      ),
    );
  const total = images.reduce((n, l) => n + l.length, 0);
  const split = imageFolderSplit(
    images.map((l) => l.length),
    spec.testFraction,
    spec.splitSeed,
  );
  if (!issues.length && split.test.length === 0)
    at(['testFraction'], t('{0} images leave none for testing: each class needs at least 2 images', total));
  const bytes = datasetBytes(spec, total, classes.length, dtype);
  if (bytes > maxDataBytes())
    at(
      ['path'],
      t(
        '{0} images of [{1}] take {2} MiB as {3}, more than the {4} MiB this machine can load safely; use a smaller imageShape or fewer images (the limit is set by GLASSBOX_MAX_DATA_BYTES)',
        total,
        spec.imageShape.join(', '),
        mib(bytes),
        dtype,
        mib(maxDataBytes()),
      ),
      'dataTooLarge',
    );
  if (listing.ignored.length)
    issues.push({
      path: ['path'],
      severity: 'warning',
      code: 'dataFormat',
      message: t(
        listing.ignored.length === 1
          ? '{0} entry is not read (only .png, .jpg and .jpeg files directly inside a class folder are): {1}'
          : '{0} entries are not read (only .png, .jpg and .jpeg files directly inside a class folder are): {1}',
        listing.ignored.length,
        listing.ignored.slice(0, MAX_IGNORED_NAMED).join(', ') +
          (listing.ignored.length > MAX_IGNORED_NAMED ? ', …' : ''),
      ),
    });
  if (issues.some((i) => i.severity === 'error')) return { issues };
  return { shape: shapeOf(spec, listing, split.train.length, split.test.length), issues };
}

/** The editor's check: lists folders and counts files; decodes nothing. */
export function probeImageFolder(
  spec: ImageFolderSpec,
  folder: string,
  files: FileAccess,
): { shape?: DataShape; issues: DataIssue[] } {
  return checkListing(spec, listImageFolder(folder, files), 'float32');
}

/**
 * Decodes every image into [n, c, h, w] (or [n, c·h·w] for layout 'flat') tensors, scaled as
 * declared, with one-hot labels. The sizes are checked before anything is allocated; an image
 * that cannot be used stops loading, and the error names every bad file (up to MAX_REPORTED),
 * so none is silently left out of the data.
 */
export function loadImageFolder(
  spec: ImageFolderSpec,
  folder: string,
  files: FileAccess,
  dtype: DType,
): { dataset: Dataset; shape: DataShape } {
  const listing = listImageFolder(folder, files);
  const checked = checkListing(spec, listing, dtype);
  const error = checked.issues.find((i) => i.severity === 'error');
  if (error || !checked.shape)
    throw new DataError(
      folder,
      {},
      error?.message ?? '',
      error?.code === 'dataTooLarge' ? 'dataTooLarge' : 'dataFormat',
    );
  const shape = checked.shape;
  const paths = listing.images.flatMap((names, c) => names.map((n) => join(folder, listing.classes[c], n)));
  const labels = listing.images.flatMap((names, c) => names.map(() => c));
  const split = imageFolderSplit(
    listing.images.map((l) => l.length),
    spec.testFraction,
    spec.splitSeed,
  );
  const [channels, height, width] = spec.imageShape as [1 | 3, number, number];
  const size = channels * height * width;
  const [offset, scale] = spec.scaling === 'minusOneToOne' ? [127.5, 1 / 127.5] : [0, 1 / 255];
  const bad: { file: string; detail: string; tooLarge: boolean }[] = [];
  const fill = (rows: Int32Array): Tensor => {
    const x = Tensor.zeros([rows.length, ...shape.inputShape], dtype);
    for (let r = 0; r < rows.length; r++) {
      const file = paths[rows[r]];
      try {
        const bytes = readDataFile(files, file, maxImageFileBytes());
        writeResized(decodeImage(bytes), channels, height, width, x.data, r * size);
      } catch (e) {
        if (e instanceof DataError) bad.push({ file, detail: e.detail, tooLarge: e.code === 'dataTooLarge' });
        else if (e instanceof ImageProblem) bad.push({ file, detail: e.message, tooLarge: e.tooLarge });
        else throw e;
        continue;
      }
      for (let i = r * size; i < (r + 1) * size; i++) x.data[i] = (x.data[i] - offset) * scale;
    }
    return x;
  };
  const xTrain = fill(split.train);
  const xTest = fill(split.test);
  if (bad.length) {
    bad.sort((a, b) => byCodeUnit(a.file, b.file));
    const named = bad.slice(0, MAX_REPORTED).map((b) => `\n${b.file}: ${b.detail}`);
    const more = bad.length > MAX_REPORTED ? '\n' + t('… and {0} more', bad.length - MAX_REPORTED) : '';
    throw new DataError(
      folder,
      {},
      t('{0} of {1} images cannot be used; fix or remove them:', bad.length, paths.length) + named.join('') + more,
      bad.every((b) => b.tooLarge) ? 'dataTooLarge' : 'dataFormat',
    );
  }
  const classes = listing.classes.length;
  const pick = (rows: Int32Array) => Array.from(rows, (i) => labels[i]);
  return {
    dataset: {
      xTrain,
      yTrain: oneHot(pick(split.train), classes, dtype),
      xTest,
      yTest: oneHot(pick(split.test), classes, dtype),
    },
    shape,
  };
}
