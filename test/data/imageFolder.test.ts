import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argmaxRows } from '../../src/engine';
import { DataError } from '../../src/data/dataError';
import { loadData, probeData } from '../../src/data/dataSource';
import type { DataSpec } from '../../src/data/dataSpec';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { decodeImage, ImageProblem, readImageHeader } from '../../src/data/imageDecode';
import { ImageFolderSpec, imageFolderSplit, loadImageFolder } from '../../src/data/imageFolder';
import { jpegBytes, pngBytes, rgba, writeImageFolder } from '../helpers/imageFolderFixture';
import { tempDir } from '../helpers/tempDir';
import { validateModel } from '../../src/modelFile/validate';

const spec = (o: Partial<ImageFolderSpec> = {}): ImageFolderSpec => ({
  type: 'imageFolder',
  path: 'images',
  imageShape: [1, 8, 8],
  testFraction: 0.25,
  splitSeed: 1,
  scaling: 'unit',
  layout: 'image',
  ...o,
});

function dataError(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  assert.fail('expected a DataError');
}

/** A model file path in `dir` (data paths resolve from its folder). */
const modelIn = (dir: string) => join(dir, 'm.nn.json');

describe('imageFolder data source', () => {
  const dir = tempDir();
  writeImageFolder(join(dir, 'images'), 12);
  // Not images: ignored and reported as a warning; hidden files are not mentioned.
  writeFileSync(join(dir, 'images', 'dark', 'notes.txt'), 'not an image');
  writeFileSync(join(dir, 'images', 'light', '.DS_Store'), 'x');

  it('loads every image into [n, c, h, w] with sorted class names, one-hot labels and a stratified split', () => {
    const d = loadData(spec(), modelIn(dir), 'float32');
    assert.deepEqual(d.shape.classNames, ['dark', 'light', 'stripes']);
    assert.deepEqual(d.shape.inputShape, [1, 8, 8]);
    assert.equal(d.shape.outputs, 3);
    assert.equal(d.shape.task, 'classification');
    // ceil(0.25 · 12) = 3 test images per class.
    assert.deepEqual(d.dataset.xTrain.shape, [27, 1, 8, 8]);
    assert.deepEqual(d.dataset.xTest.shape, [9, 1, 8, 8]);
    assert.equal(d.shape.trainRows, 27);
    assert.equal(d.shape.testRows, 9);
    const perClass = (labels: Int32Array) => [0, 1, 2].map((c) => labels.filter((l) => l === c).length);
    assert.deepEqual(perClass(argmaxRows(d.dataset.yTest)), [3, 3, 3]);
    assert.deepEqual(perClass(argmaxRows(d.dataset.yTrain)), [9, 9, 9]);
    // The classes differ in brightness: dark ≈ 40/255, light ≈ 215/255, whatever the format and size.
    const mean = (row: number) => {
      const x = d.dataset.xTrain.data.subarray(row * 64, row * 64 + 64);
      let sum = 0;
      for (const v of x) sum += v;
      return sum / 64;
    };
    const labels = argmaxRows(d.dataset.yTrain);
    for (let r = 0; r < 27; r++) {
      if (labels[r] === 0) assert.ok(Math.abs(mean(r) - 40 / 255) < 0.06, `dark row ${r}: ${mean(r)}`);
      if (labels[r] === 1) assert.ok(Math.abs(mean(r) - 215 / 255) < 0.06, `light row ${r}: ${mean(r)}`);
    }
    // Test row 0 is not always class 0: the sets are shuffled.
    assert.notDeepEqual(Array.from(argmaxRows(d.dataset.yTest)), [0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('the split is seeded: the same seed gives the same rows, another seed others', () => {
    const a = imageFolderSplit([5, 7, 4], 0.3, 3);
    assert.deepEqual(imageFolderSplit([5, 7, 4], 0.3, 3), a);
    assert.notDeepEqual(imageFolderSplit([5, 7, 4], 0.3, 4).test, a.test);
    assert.equal(a.test.length, 2 + 3 + 2);
    assert.deepEqual(
      [...a.train, ...a.test].sort((x, y) => x - y),
      Array.from({ length: 16 }, (_, i) => i),
    );
    // A class of one image is trained on, never only tested.
    assert.ok(imageFolderSplit([1, 4], 0.5, 1).train.includes(0));
  });

  it('the editor probe lists folders without decoding and warns about files it does not read', () => {
    const p = probeData(spec({ layout: 'flat' }), modelIn(dir), nodeFileAccess);
    assert.deepEqual(p.shape?.inputShape, [64]);
    assert.equal(p.shape?.trainRows, 27);
    const warning = p.issues.find((i) => i.severity === 'warning');
    assert.ok(warning && /dark\/notes\.txt/.test(warning.message), JSON.stringify(p.issues));
    assert.ok(!/DS_Store/.test(warning.message));
    assert.deepEqual(warning.path, ['path']);
  });

  it('the editor probe sees files added to or removed from a class folder (its listing cache follows the folders)', () => {
    const d = tempDir();
    writeImageFolder(join(d, 'images'), 4);
    const rows = () => {
      const p = probeData(spec(), modelIn(d), nodeFileAccess);
      return [p.shape?.trainRows, p.shape?.testRows, p.shape?.classNames?.length];
    };
    assert.deepEqual(rows(), [9, 3, 3]);
    assert.deepEqual(rows(), [9, 3, 3]);
    writeFileSync(
      join(d, 'images', 'dark', 'extra.png'),
      pngBytes(
        2,
        2,
        rgba(2, 2, () => [0, 0, 0, 255]),
      ),
    );
    assert.deepEqual(rows(), [9, 4, 3]); // dark: 5 images, ceil(0.25 · 5) = 2 for testing
    rmSync(join(d, 'images', 'dark', 'extra.png'));
    rmSync(join(d, 'images', 'light', 'light00.png'));
    assert.deepEqual(rows(), [8, 3, 3]);
    mkdirSync(join(d, 'images', 'zebra'));
    writeFileSync(
      join(d, 'images', 'zebra', 'z1.jpg'),
      jpegBytes(
        2,
        2,
        rgba(2, 2, () => [9, 9, 9, 255]),
      ),
    );
    writeFileSync(
      join(d, 'images', 'zebra', 'z2.jpg'),
      jpegBytes(
        2,
        2,
        rgba(2, 2, () => [9, 9, 9, 255]),
      ),
    );
    assert.deepEqual(rows(), [9, 4, 4]);
  });

  it('3 channels keep colour; 1 channel is luma; alpha is composited on black; area averaging resizes', () => {
    const d = tempDir();
    mkdirSync(join(d, 'px', 'a'), { recursive: true });
    mkdirSync(join(d, 'px', 'b'), { recursive: true });
    // 4×4: left half pure red, right half white at alpha 51 (20%); resized to 2×2 each output is one 2×2 block.
    const img = rgba(4, 4, (x) => (x < 2 ? [255, 0, 0, 255] : [255, 255, 255, 51]));
    writeFileSync(join(d, 'px', 'a', '1.png'), pngBytes(4, 4, img));
    writeFileSync(join(d, 'px', 'a', '2.png'), pngBytes(4, 4, img));
    writeFileSync(join(d, 'px', 'b', '1.png'), pngBytes(4, 4, img));
    writeFileSync(join(d, 'px', 'b', '2.png'), pngBytes(4, 4, img));
    const grey = loadImageFolder(
      spec({ path: 'px', imageShape: [1, 2, 2], testFraction: 0.5 }),
      join(d, 'px'),
      nodeFileAccess,
      'float64',
    );
    const row = Array.from(grey.dataset.xTrain.data.subarray(0, 4));
    const close = (a: number[], b: number[]) =>
      assert.ok(
        a.every((v, i) => Math.abs(v - b[i]) < 1e-9),
        `${a} ≠ ${b}`,
      );
    close(row, [0.299, 0.2, 0.299, 0.2]);
    const rgb = loadImageFolder(
      spec({ path: 'px', imageShape: [3, 2, 2], testFraction: 0.5, scaling: 'minusOneToOne' }),
      join(d, 'px'),
      nodeFileAccess,
      'float64',
    );
    // [3, 2, 2] planes: R then G then B; (v − 127.5)/127.5.
    const s = (v: number) => (v - 127.5) / 127.5;
    close(Array.from(rgb.dataset.xTrain.data.subarray(0, 12)), [
      ...[255, 51, 255, 51].map(s),
      ...[0, 51, 0, 51].map(s),
      ...[0, 51, 0, 51].map(s),
    ]);
    // Enlarging repeats pixels: a 2×1 black|white image → 4×2 gives [0, 0, 1, 1] per row.
    const two = rgba(2, 1, (x) => (x === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    for (const c of ['a', 'b'])
      for (const f of ['1.png', '2.png']) writeFileSync(join(d, 'px', c, f), pngBytes(2, 1, two));
    const big = loadImageFolder(
      spec({ path: 'px', imageShape: [1, 2, 4], testFraction: 0.5 }),
      join(d, 'px'),
      nodeFileAccess,
      'float64',
    );
    close(Array.from(big.dataset.xTrain.data.subarray(0, 8)), [0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('every bad image is named with its path and what is wrong, and loading stops', () => {
    const d = tempDir();
    writeImageFolder(join(d, 'images'), 4);
    const good = pngBytes(
      8,
      8,
      rgba(8, 8, () => [9, 9, 9, 255]),
    );
    writeFileSync(join(d, 'images', 'dark', 'truncated.png'), good.subarray(0, good.length - 30));
    writeFileSync(join(d, 'images', 'light', 'garbage.jpg'), 'this is not a JPEG at all');
    const j = jpegBytes(
      8,
      8,
      rgba(8, 8, () => [200, 0, 0, 255]),
    );
    writeFileSync(join(d, 'images', 'stripes', 'cut.jpeg'), j.subarray(0, 20));
    const e = dataError(() => loadData(spec(), modelIn(d), 'float32'));
    assert.equal(e.file, join(d, 'images'));
    assert.match(e.message, /3 of 15 images cannot be used/);
    assert.match(e.message, new RegExp(`${join(d, 'images', 'dark', 'truncated.png')}: cannot decode the PNG image`));
    assert.match(
      e.message,
      new RegExp(
        `${join(d, 'images', 'light', 'garbage.jpg')}: not a PNG or JPEG image: it starts with the bytes 74 68 69 73`,
      ),
    );
    assert.match(e.message, new RegExp(`${join(d, 'images', 'stripes', 'cut.jpeg')}: truncated or damaged JPEG`));
    // The CLI's deep validation reports it at the data section's `path`.
    const p = probeData(spec(), modelIn(d), nodeFileAccess, true);
    assert.deepEqual(
      p.issues.map((i) => i.path),
      [['path']],
    );
    assert.match(p.issues[0].message, /garbage\.jpg/);
  });

  it('a huge declared size is refused from the header, before any decoder allocates', () => {
    // A valid PNG signature and IHDR declaring 20000×20000 (1.6 GB as RGBA), and nothing else.
    const head = pngBytes(1, 1, new Uint8Array([0, 0, 0, 255])).subarray(0, 33);
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    view.setUint32(16, 20000);
    view.setUint32(20, 20000);
    assert.deepEqual(readImageHeader(head), { format: 'png', width: 20000, height: 20000 });
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(
      () => decodeImage(head),
      (e: unknown) =>
        e instanceof ImageProblem && e.tooLarge && /20000×20000 pixels, more than the 16\.8 million/.test(e.message),
    );
    assert.ok(process.memoryUsage().arrayBuffers - before < 2 ** 20);
    // A JPEG frame header declaring 60000×60000.
    const sof = new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0xea, 0x60, 0xea, 0x60, 1, 1, 0x11, 0]);
    assert.throws(
      () => decodeImage(sof),
      (e: unknown) => e instanceof ImageProblem && e.tooLarge,
    );
    // In a folder it is reported with its path as too large.
    const d = tempDir();
    writeImageFolder(join(d, 'images'), 2);
    writeFileSync(join(d, 'images', 'dark', 'huge.png'), head);
    const e = dataError(() => loadData(spec({ testFraction: 0.5 }), modelIn(d), 'float32'));
    assert.match(e.message, /huge\.png: the image is 20000×20000 pixels/);
    assert.equal(e.code, 'dataTooLarge');
  });

  it('the dataset size is checked before the tensors are allocated', () => {
    const old = process.env.GLASSBOX_MAX_DATA_BYTES;
    process.env.GLASSBOX_MAX_DATA_BYTES = String(2 ** 20);
    try {
      // 36 images of [3, 256, 256] in float32 = 27 MiB > 1 MiB.
      const p = probeData(spec({ imageShape: [3, 256, 256] }), modelIn(dir), nodeFileAccess);
      const issue = p.issues.find((i) => i.code === 'dataTooLarge');
      assert.ok(issue, JSON.stringify(p.issues));
      assert.match(issue.message, /36 images of \[3, 256, 256\] take 27\.0 MiB as float32, more than the 1\.0 MiB/);
      assert.equal(
        dataError(() => loadData(spec({ imageShape: [3, 256, 256] }), modelIn(dir), 'float32')).code,
        'dataTooLarge',
      );
    } finally {
      if (old === undefined) delete process.env.GLASSBOX_MAX_DATA_BYTES;
      else process.env.GLASSBOX_MAX_DATA_BYTES = old;
    }
  });

  it("the model file's memory budget counts the images (rows × [c, h, w]) without decoding them", () => {
    const text = (imageShape: number[]) =>
      JSON.stringify({
        data: { type: 'imageFolder', path: 'images', imageShape, layout: 'flat' },
        layers: [{ type: 'dense', units: 3 }],
        loss: 'softmaxCrossEntropy',
        optimizer: { type: 'sgd', lr: 0.1 },
        training: { epochs: 1, batchSize: 4 },
      });
    // 36 images × (3·64·64 + 3) × 4 bytes = 1.69 MiB of data; the 36,867 parameters take 0.56 MiB (×4
    // copies with sgd): only with the images counted does the model exceed the 2 MiB budget.
    const budget = { memoryBytes: 2 * 2 ** 20, flopsPerSecond: 5e9 };
    const small = validateModel(text([1, 8, 8]), modelIn(dir), { files: nodeFileAccess, budget });
    assert.deepEqual(
      small.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.deepEqual(small.summary?.data.inputShape, [64]);
    const big = validateModel(text([3, 64, 64]), modelIn(dir), { files: nodeFileAccess, budget });
    const error = big.problems.find((p) => p.severity === 'error');
    assert.match(error?.message ?? '', /this model needs about .* data 0\.00 GiB/);
  });

  it('a missing folder, a file, one class, an empty class and 2 channels are issues at the right property', () => {
    const d = tempDir();
    const at = (s: DataSpec) => probeData(s, modelIn(d), nodeFileAccess).issues.filter((i) => i.severity === 'error');
    const missing = at(spec({ path: 'nowhere' }));
    assert.deepEqual(
      missing.map((i) => [i.path, i.code]),
      [[['path'], 'dataMissing']],
    );
    assert.match(missing[0].message, /folder not found/);
    writeFileSync(join(d, 'file.png'), 'x');
    assert.match(at(spec({ path: 'file.png' }))[0].message, /is a file, not a folder/);
    mkdirSync(join(d, 'one', 'cats'), { recursive: true });
    writeFileSync(
      join(d, 'one', 'cats', 'a.png'),
      pngBytes(
        2,
        2,
        rgba(2, 2, () => [1, 2, 3, 255]),
      ),
    );
    const one = at(spec({ path: 'one' }));
    assert.deepEqual(
      one.map((i) => i.path),
      [['path']],
    );
    assert.match(one[0].message, /one has one class folder \('cats'\): a classifier needs at least 2/);
    mkdirSync(join(d, 'one', 'dogs'));
    assert.match(at(spec({ path: 'one' }))[0].message, /class folder 'dogs' holds no PNG or JPEG images/);
    const channels = at(spec({ path: '.', imageShape: [2, 8, 8] }));
    assert.deepEqual(channels[0].path, ['imageShape', 0]);
  });

  it('an unreadable folder in an untrusted workspace is refused by name', () => {
    const refused = { ...nodeFileAccess, refuse: () => 'outside the workspace' };
    const p = probeData(spec(), modelIn(dir), refused);
    assert.deepEqual(
      p.issues.map((i) => [i.path, i.code, i.message]),
      [[['path'], 'dataUnreadable', `${join(dir, 'images')}: outside the workspace`]],
    );
  });
});
