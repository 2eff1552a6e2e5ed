import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conv2dInfo, conv2dOutputShape, pool2dInfo, pool2dOutputShape } from '../../../src/engine/conv/convShape';
import { ShapeError, ValueError } from '../../../src/engine/errors';

const isShapeError = (re: RegExp) => (e: unknown) => e instanceof ShapeError && re.test((e as Error).message);
const isValueError = (re: RegExp) => (e: unknown) => e instanceof ValueError && re.test((e as Error).message);

describe('conv2d output shape', () => {
  it("'valid': 28 − 5 + 1 = 24", () =>
    assert.deepEqual(conv2dOutputShape([1, 28, 28], [16, 1, 5, 5], 1, 'valid'), [16, 24, 24]));
  it("'same' with an odd kernel and stride 1 pads k // 2 on every side (the book's padding)", () => {
    const i = conv2dInfo('Conv2d', [3, 28, 28], [4, 3, 5, 5], 1, 'same');
    assert.deepEqual([i.padTop, i.padBottom, i.padLeft, i.padRight, i.outHeight, i.outWidth], [2, 2, 2, 2, 28, 28]);
  });
  it("'same' with an even kernel puts the odd pixel at the bottom/right", () => {
    // total = (8 − 1)·1 + 4 − 8 = 3 → 1 above, 2 below
    const i = conv2dInfo('Conv2d', [1, 8, 8], [1, 1, 4, 4], 1, 'same');
    assert.deepEqual([i.padTop, i.padBottom, i.outHeight], [1, 2, 8]);
  });
  it("'same' with stride 2 gives ceil(input / 2)", () => {
    // H = 7: out 4, total (4 − 1)·2 + 3 − 7 = 2 → 1 + 1; W = 8: out 4, total 1 → 0 left, 1 right
    const i = conv2dInfo('Conv2d', [2, 7, 8], [3, 2, 3, 3], 2, 'same');
    assert.deepEqual([i.outHeight, i.outWidth, i.padTop, i.padBottom, i.padLeft, i.padRight], [4, 4, 1, 1, 0, 1]);
  });
  it('numeric padding and stride: floor((5 + 2·2 − 3) / 2) + 1 = 4', () =>
    assert.deepEqual(conv2dOutputShape([1, 5, 5], [2, 1, 3, 3], 2, 2), [2, 4, 4]));
  it('rectangular kernel with [rows, cols] padding and [sh, sw] stride', () => {
    // H: (6 + 2 − 3) / 1 + 1 = 6; W: floor((9 + 0 − 5) / 2) + 1 = 3
    assert.deepEqual(conv2dOutputShape([2, 6, 9], [4, 2, 3, 5], [1, 2], [1, 0]), [4, 6, 3]);
  });
});

describe('pooling output shape', () => {
  it('2×2 with the default stride halves 28', () => assert.deepEqual(pool2dOutputShape([3, 28, 28], 2), [3, 14, 14]));
  it('drops the incomplete last window: 3×3 stride 3 on 28 gives 9', () =>
    assert.deepEqual(pool2dOutputShape([1, 28, 28], 3), [1, 9, 9]));
  it('3×3 stride 2 padding 1 on 7 gives 4', () => assert.deepEqual(pool2dOutputShape([1, 7, 7], 3, 2, 1), [1, 4, 4]));
  it('rectangular window [2, 3] with stride [1, 2]', () =>
    assert.deepEqual(pool2dOutputShape([2, 4, 7], [2, 3], [1, 2]), [2, 3, 3]));
});

describe('shape errors name the op and the shapes', () => {
  it('kernel larger than the input', () => {
    assert.throws(
      () => conv2dOutputShape([1, 3, 4], [1, 1, 5, 5]),
      isShapeError(/^Conv2d: kernel \[5, 5\] is larger than the padded input \[3, 4\] \(input \[1, 3, 4\]/),
    );
  });
  it('kernel larger than the padded input', () => {
    assert.throws(
      () => conv2dOutputShape([1, 3, 4], [1, 1, 6, 3], 1, 1),
      isShapeError(/kernel \[6, 3\] is larger than the padded input \[5, 6\]/),
    );
  });
  it('channel mismatch between input and weights', () => {
    assert.throws(
      () => conv2dOutputShape([3, 28, 28], [16, 1, 5, 5]),
      isShapeError(/input \[3, 28, 28\] has 3 channels but the weights \[16, 1, 5, 5\] expect 1/),
    );
  });
  it('input without a channel axis', () => {
    assert.throws(
      () => conv2dOutputShape([28, 28], [1, 1, 3, 3]),
      isShapeError(/input must be \[channels, height, width\].*got \[28, 28\]/),
    );
  });
  it('weights of the wrong rank', () => {
    assert.throws(
      () => conv2dOutputShape([1, 8, 8], [1, 3, 3]),
      isShapeError(/weights must be \[outChannels, inChannels, kernelHeight, kernelWidth\].*got \[1, 3, 3\]/),
    );
  });
  it('stride 0, fractional or negative strides', () => {
    assert.throws(
      () => conv2dOutputShape([1, 8, 8], [1, 1, 3, 3], 0),
      isValueError(/Conv2d: stride must be a positive integer or \[height, width\].*got 0/),
    );
    assert.throws(() => conv2dOutputShape([1, 8, 8], [1, 1, 3, 3], 1.5), isValueError(/stride.*got 1\.5/));
    assert.throws(() => conv2dOutputShape([1, 8, 8], [1, 1, 3, 3], [1, -2]), isValueError(/stride.*got \[1,-2\]/));
  });
  it('bad padding values', () => {
    assert.throws(
      () => conv2dOutputShape([1, 8, 8], [1, 1, 3, 3], 1, -1),
      isValueError(/padding must be 'same', 'valid', a non-negative integer or \[rows, cols\], got -1/),
    );
    assert.throws(() => conv2dOutputShape([1, 8, 8], [1, 1, 3, 3], 1, 0.5), isValueError(/padding.*got 0\.5/));
    assert.throws(
      () => conv2dOutputShape([1, 8, 8], [1, 1, 3, 3], 1, 'full' as never),
      isValueError(/padding.*got "full"/),
    );
  });
  it('pool kernel 0 and padding not smaller than the kernel', () => {
    assert.throws(
      () => pool2dInfo('MaxPool2d', [1, 8, 8], 0),
      isValueError(/MaxPool2d: kernel size must be a positive integer.*got 0/),
    );
    assert.throws(
      () => pool2dInfo('MaxPool2d', [1, 8, 8], 2, 2, 2),
      isValueError(/MaxPool2d: padding \[2, 2\] must be smaller than the kernel \[2, 2\]/),
    );
  });
});
