import type { Window2dInfo } from '../conv/convShape';
import { col2im } from './im2col';
import { gemmBatch } from './gemmBatchTask';
import { convOf, elementwiseOf, gemmOf, type RangeTask, type ThreadKernels } from './threadKernels';

/*
 * The work a kernel thread can do: range tasks over the engine's shared WebAssembly memory.
 * Every task takes integer arguments (byte offsets into the memory, sizes) and a range
 * [from, to) of its outer loop (rows of C, examples of a batch, elements); kernels/parallel.ts
 * cuts the range into one part per thread and runs part 0 on the calling thread. With one thread
 * the whole range runs as one part, through the same code, so the one- and many-thread paths
 * differ only in where the range is cut.
 *
 * This module is loaded by the engine and by every helper thread (kernels/kernelThread.ts), so it
 * holds no state: a thread's kernels come in its ThreadKernels.
 */

/** Task ids (indices into TASKS); numbers, since they travel through shared memory. */
export const Task = {
  GemmRows: 0,
  ConvForward: 1,
  ConvWeightGrad: 2,
  ConvInputGrad: 3,
  Tanh: 4,
  TanhBackward: 5,
  DirectConvForward: 6,
  DirectConvWeightGrad: 7,
  GemmBatch: 8,
} as const;

/** The GEMM variant index of gemm64.wat (float64: 8-byte elements) in ThreadKernels.gemm. */
export const GEMM_F64 = 2;

/**
 * GemmRows: rows [from, to) of C (+)= op(A)·op(B), float32 or (variant GEMM_F64) float64.
 * args: variant, m, k, n, a, rsA, csA, b, rsB, csB, c, accumulate (byte offsets, element strides).
 * Row i of C depends only on row i of op(A), and every row goes through the same k-slices in the
 * same order, so the split result is bit-identical to the one-thread product.
 */
function gemmRows(t: ThreadKernels, a: ArrayLike<number>, from: number, to: number): void {
  const [variant, , k, n, aOff, rsA, csA, bOff, rsB, csB, cOff, acc] = a as number[];
  const size = variant === GEMM_F64 ? 8 : 4;
  gemmOf(t, variant)(
    to - from,
    k,
    n,
    aOff + size * from * rsA,
    rsA,
    csA,
    bOff,
    rsB,
    csB,
    cOff + size * from * n,
    acc,
    t.workspace,
  );
}

/** Conv geometry as the first CONV_ARGS arguments of the convolution tasks. */
export const CONV_ARGS = 13;
export function convArgs(info: Window2dInfo, variant: number): number[] {
  return [
    variant,
    info.inChannels,
    info.inHeight,
    info.inWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.kernelHeight,
    info.kernelWidth,
    info.strideHeight,
    info.strideWidth,
    info.padTop,
    info.padLeft,
  ];
}
function convInfo(a: ArrayLike<number>): Window2dInfo {
  return {
    inChannels: a[1],
    inHeight: a[2],
    inWidth: a[3],
    outChannels: a[4],
    outHeight: a[5],
    outWidth: a[6],
    kernelHeight: a[7],
    kernelWidth: a[8],
    strideHeight: a[9],
    strideWidth: a[10],
    padTop: a[11],
    padLeft: a[12],
    // im2col/col2im read only padTop and padLeft; the far sides follow from the output size.
    padBottom: 0,
    padRight: 0,
  };
}

/**
 * ConvForward, examples [from, to): cols_b = im2col(x_b); y_b = W·cols_b (+ bias per channel).
 * args: conv geometry, then x, cols, colsPerExample, w, bias (0: none), y. With colsPerExample
 * the patches go to cols + b·(K+1)·N (kept for backward), else to the part's own block. Each
 * block is [K+1, N]: the K patch rows and a row of ones, which makes the bias gradient the last
 * column of the weight-gradient product (ConvWeightGrad).
 */
function convForward(t: ThreadKernels, a: ArrayLike<number>, from: number, to: number, part: number): void {
  const info = convInfo(a);
  const [xOff, colsOff, perExample, wOff, biasOff, yOff] = sliceArgs(a, CONV_ARGS, 6);
  const { k, n, xStride } = convSizes(info);
  const cOut = info.outChannels;
  const gemm = gemmOf(t, a[0]);
  const im2col = elementwiseOf(t, a[0]).im2col;
  const f = t.f32();
  for (let b = from; b < to; b++) {
    const cols = colsOff + 4 * (k + 1) * n * (perExample ? b : part);
    im2col(
      xOff + 4 * b * xStride,
      cols,
      info.inChannels,
      info.inHeight,
      info.inWidth,
      info.kernelHeight,
      info.kernelWidth,
      info.outHeight,
      info.outWidth,
      info.strideHeight,
      info.strideWidth,
      info.padTop,
      info.padLeft,
    );
    f.fill(1, (cols >> 2) + k * n, (cols >> 2) + (k + 1) * n);
    const y = yOff + 4 * b * cOut * n;
    if (biasOff) for (let o = 0; o < cOut; o++) f.fill(f[(biasOff >> 2) + o], (y >> 2) + o * n, (y >> 2) + (o + 1) * n);
    gemm(cOut, k, n, wOff, k, 1, cols, n, 1, y, biasOff ? 1 : 0, t.workspace);
  }
}

/**
 * ConvWeightGrad, examples [from, to): G_part += Σ_b dy_b·[cols_b; 1]ᵀ, a [Cout, K+1] block per
 * part whose first K columns are the weight gradient and whose last is the bias gradient
 * (Σ over positions of dy). args: conv geometry, then dy, cols (as ConvForward keeps them), parts.
 * The caller zeroes the parts' blocks (at parts + p·Cout·(K+1)·4) and adds them into dW and dB.
 */
function convWeightGrad(t: ThreadKernels, a: ArrayLike<number>, from: number, to: number, part: number): void {
  const info = convInfo(a);
  const [dyOff, colsOff, partsOff] = sliceArgs(a, CONV_ARGS, 3);
  const { k, n } = convSizes(info);
  const cOut = info.outChannels;
  const gemm = gemmOf(t, a[0]);
  const g = partsOff + 4 * part * cOut * (k + 1);
  for (let b = from; b < to; b++) {
    gemm(cOut, n, k + 1, dyOff + 4 * b * cOut * n, n, 1, colsOff + 4 * b * (k + 1) * n, 1, n, g, 1, t.workspace);
  }
}

/**
 * ConvInputGrad, examples [from, to): dx_b = col2im(Wᵀ·dy_b).
 * args: conv geometry, then w, dy, dcols (one [K, N] block per part), dx. Each part zeroes its
 * examples of dx first.
 */
function convInputGrad(t: ThreadKernels, a: ArrayLike<number>, from: number, to: number, part: number): void {
  const info = convInfo(a);
  const [wOff, dyOff, dcolsOff, dxOff] = sliceArgs(a, CONV_ARGS, 4);
  const { k, n, xStride } = convSizes(info);
  const cOut = info.outChannels;
  const gemm = gemmOf(t, a[0]);
  const f = t.f32();
  const dcols = dcolsOff + 4 * part * k * n;
  f.fill(0, (dxOff >> 2) + from * xStride, (dxOff >> 2) + to * xStride);
  for (let b = from; b < to; b++) {
    gemm(k, cOut, n, wOff, 1, k, dyOff + 4 * b * cOut * n, n, 1, dcols, 0, t.workspace);
    col2im(f, dcols >> 2, info, f, (dxOff >> 2) + b * xStride);
  }
}

/** Tanh, elements [from, to): y = tanh(x). args: variant, x, y. */
function tanhRange(t: ThreadKernels, a: ArrayLike<number>, from: number, to: number): void {
  elementwiseOf(t, a[0]).tanh(a[1] + 4 * from, a[2] + 4 * from, to - from);
}

/** TanhBackward, elements [from, to): dx = dy·(1 − y²). args: variant, dy, y, dx. */
function tanhBackwardRange(t: ThreadKernels, a: ArrayLike<number>, from: number, to: number): void {
  elementwiseOf(t, a[0]).tanhBackward(a[1] + 4 * from, a[2] + 4 * from, a[3] + 4 * from, to - from);
}

/**
 * Stride-1 convolution without patches (conv.wat), its geometry as the first DIRECT_CONV_ARGS
 * arguments: variant, Cin, H, W, Cout, oh, ow, kh, kw, padTop, padLeft, hp, wp (the padded input).
 */
export const DIRECT_CONV_ARGS = 13;
export function directConvArgs(info: Window2dInfo, variant: number, hp: number, wp: number): number[] {
  return [
    variant,
    info.inChannels,
    info.inHeight,
    info.inWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.kernelHeight,
    info.kernelWidth,
    info.padTop,
    info.padLeft,
    hp,
    wp,
  ];
}

/**
 * DirectConvForward, examples [from, to): xp_b = pad(x_b); y_b = conv(xp_b, W) + b.
 * args: geometry, then x, xpad, perExample, w4, b4, y. With perExample the padded inputs go to
 * xpad + b·Cin·hp·wp (kept for the weight gradient), else to the part's own block.
 */
function directConvForward(t: ThreadKernels, a: ArrayLike<number>, from: number, to: number, part: number): void {
  const [variant, cIn, h, w, cOut, oh, ow, kh, kw, padTop, padLeft, hp, wp] = sliceArgs(a, 0, DIRECT_CONV_ARGS);
  const [x, xpad, perExample, w4, b4, y] = sliceArgs(a, DIRECT_CONV_ARGS, 6);
  const k = convOf(t, variant);
  const padded = cIn * hp * wp;
  for (let b = from; b < to; b++) {
    const xp = xpad + 4 * padded * (perExample ? b : part);
    k.padInput(x + 4 * b * cIn * h * w, xp, cIn, h, w, hp, wp, padTop, padLeft);
    k.convForward(xp, hp, wp, cIn, w4, b4, y + 4 * b * cOut * oh * ow, cOut, oh, ow, kh, kw);
  }
}

/**
 * DirectConvWeightGrad, examples [from, to): each part accumulates Σ_b the weight gradient into
 * its block at parts + part·partFloats·4 ([G, Cin, kh, kw, 4] as conv.wat's w4, then the bias
 * gradient [G·4] when hasBias). args: geometry, then xpad (as the forward kept it), dy, dyScratch
 * (a [Cout, oh, ⌈ow/4⌉·4] block per part, used when ow is not a multiple of 4), parts, partFloats,
 * hasBias. The caller zeroes the parts and adds them into dW and dB.
 */
function directConvWeightGrad(t: ThreadKernels, a: ArrayLike<number>, from: number, to: number, part: number): void {
  const [variant, cIn, , , cOut, oh, ow, kh, kw, , , hp, wp] = sliceArgs(a, 0, DIRECT_CONV_ARGS);
  const [xpad, dy, dyScratch, parts, partFloats, hasBias] = sliceArgs(a, DIRECT_CONV_ARGS, 6);
  const k = convOf(t, variant);
  const ow4 = Math.ceil(ow / 4) * 4;
  const groups = Math.ceil(cOut / 4);
  const dw4 = parts + 4 * part * partFloats;
  const db4 = hasBias ? dw4 + 4 * groups * cIn * kh * kw * 4 : 0;
  const scratch = dyScratch + 4 * part * cOut * oh * ow4;
  for (let b = from; b < to; b++) {
    let dyB = dy + 4 * b * cOut * oh * ow;
    if (ow4 !== ow) {
      k.padRows(dyB, scratch, cOut * oh, ow, ow4);
      dyB = scratch;
    }
    k.convWeightGrad(xpad + 4 * b * cIn * hp * wp, hp, wp, cIn, dyB, ow4, dw4, db4, cOut, oh, ow4, kh, kw);
  }
}

export const TASKS: readonly RangeTask[] = [
  gemmRows,
  convForward,
  convWeightGrad,
  convInputGrad,
  tanhRange,
  tanhBackwardRange,
  directConvForward,
  directConvWeightGrad,
  gemmBatch,
];

/** K = Cin·kh·kw, N = outH·outW, and one example's input size. */
export function convSizes(info: Window2dInfo): { k: number; n: number; xStride: number } {
  return {
    k: info.inChannels * info.kernelHeight * info.kernelWidth,
    n: info.outHeight * info.outWidth,
    xStride: info.inChannels * info.inHeight * info.inWidth,
  };
}

function sliceArgs(a: ArrayLike<number>, start: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(a[start + i]);
  return out;
}
