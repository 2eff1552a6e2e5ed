import { assertShape, assertValue, engineText } from '../errors';
import { formatShape, Shape } from '../tensor/shape';

/** A size per spatial axis: one number for both, or [height, width]. */
export type Size2d = number | readonly [number, number];

/**
 * Zero padding of the two spatial axes.
 * - `'valid'`: none; windows must fit inside the input.
 * - `'same'`: output = ceil(input / stride) (TensorFlow's rule). The total padding
 *   max((out − 1)·stride + kernel − input, 0) is split evenly, the odd pixel going to the
 *   bottom/right; for an odd kernel and stride 1 this is kernel // 2 per side, as the book.
 * - a number, or [rows, cols]: that many zeros on both sides of each axis.
 */
export type Padding2d = 'same' | 'valid' | number | readonly [number, number];

/**
 * The geometry of a 2-D window operation (convolution or pooling) on one example, computed
 * once from shapes so the kernels only loop (tfjs's `computeConv2DInfo`).
 * Input [inChannels, inHeight, inWidth] → output [outChannels, outHeight, outWidth].
 */
export interface Window2dInfo {
  readonly inChannels: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
}

/** [height, width] from a Size2d, or a ValueError naming the op and argument. */
export function size2d(value: Size2d, what: string, op: string): [number, number] {
  // Model files are JSON, so guard against any runtime value, not just the declared type.
  const pair: readonly unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  assertValue(pair.length === 2 && pair.every((v) => Number.isInteger(v) && (v as number) > 0), () =>
    engineText(
      '{0}: {1} must be a positive integer or [height, width] of positive integers, got {2}',
      op,
      what,
      JSON.stringify(value),
    ),
  );
  return [pair[0] as number, pair[1] as number];
}

/** Checks a padding spec without shapes, so a bad value fails at construction. */
export function checkPadding(padding: Padding2d, op: string): void {
  if (padding === 'same' || padding === 'valid') return;
  const pair: readonly unknown[] =
    typeof padding === 'number' ? [padding, padding] : Array.isArray(padding) ? padding : [];
  assertValue(pair.length === 2 && pair.every((v) => Number.isInteger(v) && (v as number) >= 0), () =>
    engineText(
      "{0}: padding must be 'same', 'valid', a non-negative integer or [rows, cols], got {1}",
      op,
      JSON.stringify(padding),
    ),
  );
}

/** Padding per side of one axis. */
function padAxis(padding: Padding2d, axis: 0 | 1, input: number, kernel: number, stride: number): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') {
    const out = Math.ceil(input / stride);
    const total = Math.max((out - 1) * stride + kernel - input, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  const p = typeof padding === 'number' ? padding : padding[axis];
  return [p, p];
}

function windowInfo(
  op: string,
  input: Shape,
  outChannels: number,
  kernel: [number, number],
  stride: Size2d,
  padding: Padding2d,
): Window2dInfo {
  assertShape(input.length === 3 && input.every((d) => d > 0), () =>
    engineText(
      '{0}: input must be [channels, height, width] per example with every axis > 0, got {1}',
      op,
      formatShape(input),
    ),
  );
  const [sh, sw] = size2d(stride, 'stride', op);
  checkPadding(padding, op);
  const [c, h, w] = input;
  const [kh, kw] = kernel;
  const [pt, pb] = padAxis(padding, 0, h, kh, sh);
  const [pl, pr] = padAxis(padding, 1, w, kw, sw);
  const paddedH = h + pt + pb,
    paddedW = w + pl + pr;
  assertShape(kh <= paddedH && kw <= paddedW, () =>
    engineText(
      '{0}: kernel {1} is larger than the padded input {2} (input {3}, padding {4} in total)',
      op,
      formatShape(kernel),
      formatShape([paddedH, paddedW]),
      formatShape(input),
      formatShape([pt + pb, pl + pr]),
    ),
  );
  return {
    inChannels: c,
    inHeight: h,
    inWidth: w,
    outChannels,
    outHeight: Math.floor((paddedH - kh) / sh) + 1,
    outWidth: Math.floor((paddedW - kw) / sw) + 1,
    kernelHeight: kh,
    kernelWidth: kw,
    strideHeight: sh,
    strideWidth: sw,
    padTop: pt,
    padBottom: pb,
    padLeft: pl,
    padRight: pr,
  };
}

/**
 * Convolution geometry. input [Cin, H, W] (no batch axis), filter [Cout, Cin, kh, kw].
 * outHeight = floor((H + padTop + padBottom − kh) / strideHeight) + 1, likewise for the width.
 */
export function conv2dInfo(
  op: string,
  input: Shape,
  filter: Shape,
  stride: Size2d = 1,
  padding: Padding2d = 'valid',
): Window2dInfo {
  assertShape(
    filter.length === 4 && filter.every((d) => d > 0),
    () =>
      `${op}: weights must be [outChannels, inChannels, kernelHeight, kernelWidth] with every axis > 0, got ${formatShape(filter)}`,
  );
  assertShape(input.length !== 3 || input[0] === filter[1], () =>
    engineText(
      '{0}: input {1} has {2} channels but the weights {3} expect {4}',
      op,
      formatShape(input),
      input[0],
      formatShape(filter),
      filter[1],
    ),
  );
  return windowInfo(op, input, filter[0], [filter[2], filter[3]], stride, padding);
}

/**
 * Pooling geometry: input [C, H, W] → [C, outH, outW]; stride defaults to the kernel size.
 * Padding must be smaller than the kernel on each side, so no window lies wholly in padding.
 */
export function pool2dInfo(
  op: string,
  input: Shape,
  kernel: Size2d,
  stride?: Size2d,
  padding: Padding2d = 0,
): Window2dInfo {
  const k = size2d(kernel, 'kernel size', op);
  const info = windowInfo(op, input, input[0], k, stride ?? k, padding);
  assertValue(Math.max(info.padTop, info.padBottom) < k[0] && Math.max(info.padLeft, info.padRight) < k[1], () =>
    engineText(
      '{0}: padding {1} must be smaller than the kernel {2}',
      op,
      formatShape([info.padTop, info.padLeft]),
      formatShape(k),
    ),
  );
  return info;
}

/** Output shape [Cout, outH, outW] of a convolution (see conv2dInfo). */
export function conv2dOutputShape(
  input: Shape,
  filter: Shape,
  stride: Size2d = 1,
  padding: Padding2d = 'valid',
  op = 'Conv2d',
): Shape {
  const i = conv2dInfo(op, input, filter, stride, padding);
  return [i.outChannels, i.outHeight, i.outWidth];
}

/** Output shape [C, outH, outW] of a pooling (see pool2dInfo). */
export function pool2dOutputShape(
  input: Shape,
  kernel: Size2d,
  stride?: Size2d,
  padding: Padding2d = 0,
  op = 'Pool2d',
): Shape {
  const i = pool2dInfo(op, input, kernel, stride, padding);
  return [i.outChannels, i.outHeight, i.outWidth];
}
