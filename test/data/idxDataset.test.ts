import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../src/data/dataError';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { IdxSpec, loadIdxDataset, probeIdx, readIdxDims, readIdxFile } from '../../src/data/idxDataset';
import { tempDir, writeFile } from '../helpers/tempDir';

/** An IDX file of unsigned bytes: magic 00 00 08 rank, big-endian dims, data. */
export function idxBytes(dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, 8, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

const dir = tempDir();
const pixels = (n: number) => Array.from({ length: n * 4 }, (_, i) => (i * 37) % 256);
writeFile(dir, 'train-images', idxBytes([6, 2, 2], pixels(6)));
writeFile(dir, 'train-labels.gz', gzipSync(idxBytes([6], [0, 1, 2, 0, 1, 2])));
writeFile(dir, 'test-images.gz', gzipSync(idxBytes([2, 2, 2], pixels(2))));
writeFile(dir, 'test-labels', idxBytes([2], [2, 1]));
const spec = (o: Partial<IdxSpec> = {}): IdxSpec => ({
  type: 'idx',
  trainImages: 'train-images',
  trainLabels: 'train-labels.gz',
  testImages: 'test-images.gz',
  testLabels: 'test-labels',
  scaling: 'unit',
  classes: 3,
  layout: 'flat',
  ...o,
});
const resolve = (p: string) => join(dir, p);

function dataError(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DataError, `expected a DataError, got ${e}`);
    return e;
  }
  assert.fail('expected a DataError');
}

describe('IDX datasets (raw and gzip)', () => {
  it('loads images as [n, h·w] scaled to [0, 1] with one-hot labels', () => {
    const { dataset, shape } = loadIdxDataset(spec(), resolve, nodeFileAccess, 'float32');
    assert.deepEqual(dataset.xTrain.shape, [6, 4]);
    assert.deepEqual(dataset.yTest.shape, [2, 3]);
    assert.equal(dataset.xTrain.data[1], Math.fround(37 / 255));
    assert.deepEqual(Array.from(dataset.yTest.data), [0, 0, 1, 0, 1, 0]);
    assert.deepEqual(shape.inputShape, [4]);
  });
  it("layout 'image' gives [n, 1, h, w]", () => {
    assert.deepEqual(
      loadIdxDataset(spec({ layout: 'image' }), resolve, nodeFileAccess, 'float32').dataset.xTest.shape,
      [2, 1, 2, 2],
    );
  });
  it('probing reads the headers only, also through gzip', () => {
    assert.deepEqual(readIdxDims(nodeFileAccess, resolve('test-images.gz')), [2, 2, 2]);
    const p = probeIdx(spec(), resolve, nodeFileAccess);
    assert.deepEqual(p.issues, []);
    assert.deepEqual([p.shape?.inputShape, p.shape?.outputs, p.shape?.trainRows], [[4], 3, 6]);
  });
  it('a truncated file names the byte where data runs out', () => {
    const f = writeFile(dir, 'short', idxBytes([3, 2, 2], pixels(3)).subarray(0, 20));
    assert.equal(
      dataError(() => readIdxFile(nodeFileAccess, f)).message,
      `${f}: byte 20: data truncated: dimensions [3, 2, 2] need 12 bytes after the header, found 4`,
    );
  });
  it('a wrong magic number is an error at byte 0', () => {
    const f = writeFile(dir, 'magic', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    assert.match(dataError(() => readIdxFile(nodeFileAccess, f)).message, /: byte 0: wrong magic number 0x01020304/);
    assert.match(dataError(() => readIdxDims(nodeFileAccess, f)).message, /: byte 0: not an IDX file/);
  });
  it('a label at or above classes names the label and its byte', () => {
    const e = dataError(() => loadIdxDataset(spec({ classes: 2 }), resolve, nodeFileAccess, 'float32'));
    assert.equal(e.message, `${resolve('train-labels.gz')}: byte 10: label 2 of example 2 is not below classes = 2`);
  });
  it('images and labels with different counts are an error naming both', () => {
    writeFile(dir, 'labels5', idxBytes([5], [0, 1, 2, 0, 1]));
    const p = probeIdx(spec({ trainLabels: 'labels5' }), resolve, nodeFileAccess);
    assert.equal(p.issues[0].path[0], 'trainLabels');
    assert.match(p.issues[0].message, /5 labels for 6 images in .*train-images: expected the same count/);
  });
  it('the header of a highly compressible valid gzip file is read (it was "not an IDX file")', () => {
    const n = 100_000;
    const raw = new Uint8Array(16 + n * 784);
    new DataView(raw.buffer).setUint32(0, 0x803);
    new DataView(raw.buffer).setUint32(4, n);
    new DataView(raw.buffer).setUint32(8, 28);
    new DataView(raw.buffer).setUint32(12, 28);
    const file = writeFile(tempDir(), 'zeros.idx.gz', gzipSync(raw, { level: 9 }));
    assert.deepEqual(readIdxDims(nodeFileAccess, file), [n, 28, 28]);
  });
  it('a gzip stream that decompresses past the size limit is refused, not inflated', () => {
    const f = writeFile(dir, 'bomb.gz', gzipSync(new Uint8Array(1 << 20)));
    process.env.GLASSBOX_MAX_DATA_BYTES = String(1 << 16);
    try {
      const e = dataError(() => readIdxFile(nodeFileAccess, f));
      assert.equal(e.code, 'dataTooLarge');
      assert.match(e.message, /bomb\.gz: decompresses to more than the 0\.1 MiB this machine can load safely/);
    } finally {
      delete process.env.GLASSBOX_MAX_DATA_BYTES;
    }
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';
describe('Fashion-MNIST from Debian dataset-fashion-mnist', () => {
  const present = existsSync(join(FASHION, 't10k-images-idx3-ubyte.gz'));
  it(
    'reads the gzip IDX files (test split)',
    { skip: present ? false : `${FASHION} is absent: apt-get install dataset-fashion-mnist to run this test` },
    () => {
      const f = {
        trainImages: 'train-images-idx3-ubyte.gz',
        trainLabels: 'train-labels-idx1-ubyte.gz',
        testImages: 't10k-images-idx3-ubyte.gz',
        testLabels: 't10k-labels-idx1-ubyte.gz',
      };
      const p = probeIdx(spec(f), (x) => join(FASHION, x), nodeFileAccess);
      assert.deepEqual(p.issues, []);
      assert.deepEqual([p.shape?.inputShape, p.shape?.trainRows, p.shape?.testRows], [[784], 60000, 10000]);
      const images = readIdxFile(nodeFileAccess, join(FASHION, f.testImages));
      assert.deepEqual(images.dims, [10000, 28, 28]);
      assert.deepEqual(
        Array.from(readIdxFile(nodeFileAccess, join(FASHION, f.testLabels)).data.subarray(0, 5)),
        [9, 2, 1, 1, 6],
      );
    },
  );
});
