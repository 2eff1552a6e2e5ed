import type { Window2dInfo } from '../conv/convShape';
import type { ArenaWorkspace } from '../kernels/arenaWorkspace';
import { fastConv } from '../kernels/kernelBackend';
import { gemmVariantIndex, kernelThreads, runTask } from '../kernels/parallel';
import { directConvArgs, Task } from '../kernels/parallelTasks';
import type { StepArena } from '../kernels/stepArena';
import { Tensor, TensorData } from '../tensor/tensor';

/*
 * Conv2dOp's stride-1 fast path: conv.wat's direct kernels (no im2col patches, no GEMM packing),
 * through the DirectConvForward / DirectConvWeightGrad tasks. Blocks of the op's ArenaWorkspace:
 * 'x' (the input, unless it lives in the arena), 'w4' (packed weights and bias), 'xpad' (the
 * padded inputs of a training forward, kept for the weight gradient), 'xpadOne' and 'y' (inference
 * groups), 'dy', 'directParts' and 'dyPadded' (weight gradient).
 */

/** The padded input geometry: hp rows, wp columns per channel. */
export interface DirectPad {
  readonly hp: number;
  readonly wp: number;
}

/**
 * The padded input conv.wat reads for a stride-1 convolution (hp ≥ oh + kh − 1 rows, wp ≥
 * ⌈ow/8⌉·8 + kw columns, so no vector read leaves a row), or null: other strides, or no conv.wat
 * on this runtime, go through im2col + GEMM.
 */
export function directGeometry(info: Window2dInfo): DirectPad | null {
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || !fastConv()) return null;
  return { hp: info.outHeight + info.kernelHeight - 1, wp: Math.ceil(info.outWidth / 8) * 8 + info.kernelWidth };
}

/**
 * y = conv(x, W) + B for x [batch, Cin, H, W] → y [batch, Cout, oh, ow]. In a training step
 * (`step`) y is a step tensor written in place and the padded inputs stay in 'xpad' for
 * `directConvParamGrads`; otherwise the examples go in groups through a bounded output block
 * (inference on thousands of images must not leave a block of their size in the arena).
 */
export function directConvForward(
  ws: ArenaWorkspace,
  x: Tensor,
  info: Window2dInfo,
  pad: DirectPad,
  w: Tensor,
  b: Tensor | null,
  step: StepArena | undefined,
  inferenceBlockBytes: number,
): Tensor {
  const batch = x.shape[0],
    cOut = info.outChannels,
    n = info.outHeight * info.outWidth;
  const xStride = info.inChannels * info.inHeight * info.inWidth,
    padded = info.inChannels * pad.hp * pad.wp;
  const shape = [batch, cOut, info.outHeight, info.outWidth];
  const xOff = ws.place('x', x.data);
  const { w4, b4 } = packWeights(ws, info, w.data, b?.data);
  const geometry = directConvArgs(info, gemmVariantIndex(), pad.hp, pad.wp);
  if (step) {
    const xpad = ws.block('xpad', batch * padded * 4);
    const y = step.tensor(shape);
    runTask(Task.DirectConvForward, [...geometry, xOff, xpad, 1, w4, b4, y.data.byteOffset], batch, 1);
    return y;
  }
  const group = Math.max(1, Math.min(batch, Math.floor(inferenceBlockBytes / (cOut * n * 4))));
  const xpad = ws.block('xpadOne', kernelThreads() * padded * 4);
  const yOff = ws.block('y', group * cOut * n * 4);
  const y = Tensor.zeros(shape, x.dtype);
  for (let g0 = 0; g0 < batch; g0 += group) {
    const g = Math.min(group, batch - g0);
    runTask(Task.DirectConvForward, [...geometry, xOff + 4 * g0 * xStride, xpad, 0, w4, b4, yOff], g, 1);
    y.data.set(ws.f32().subarray(yOff >> 2, (yOff >> 2) + g * cOut * n), g0 * cOut * n);
  }
  return y;
}

/**
 * dW += Σ_b dy_b ⋆ xp_b and dB += Σ dy (DirectConvWeightGrad): each thread accumulates its examples
 * into its own block laid out as the packed weights, added into dW and dB here. `keptValid`: the
 * forward's padded inputs are still in 'xpad' (else they are rebuilt from x).
 */
export function directConvParamGrads(
  ws: ArenaWorkspace,
  dy: Tensor,
  x: Tensor,
  info: Window2dInfo,
  pad: DirectPad,
  keptValid: boolean,
  dw: TensorData,
  db: TensorData | undefined,
): void {
  const batch = dy.shape[0],
    cOut = info.outChannels,
    oh = info.outHeight,
    ow = info.outWidth;
  const cIn = info.inChannels,
    taps = cIn * info.kernelHeight * info.kernelWidth,
    groups = Math.ceil(cOut / 4);
  const padded = cIn * pad.hp * pad.wp;
  const dyOff = ws.place('dy', dy.data);
  const xpad = ws.block('xpad', batch * padded * 4);
  const conv = fastConv();
  if (!keptValid && conv) {
    const xOff = ws.place('x', x.data),
      xStride = cIn * info.inHeight * info.inWidth;
    for (let b = 0; b < batch; b++) {
      conv.padInput(
        xOff + 4 * b * xStride,
        xpad + 4 * b * padded,
        cIn,
        info.inHeight,
        info.inWidth,
        pad.hp,
        pad.wp,
        info.padTop,
        info.padLeft,
      );
    }
  }
  const threads = kernelThreads();
  const partFloats = groups * taps * 4 + (db ? groups * 4 : 0);
  const parts = ws.block('directParts', threads * partFloats * 4);
  ws.f32().fill(0, parts >> 2, (parts >> 2) + threads * partFloats);
  const ow4 = Math.ceil(ow / 4) * 4;
  const dyScratch = ow4 !== ow ? ws.block('dyPadded', threads * cOut * oh * ow4 * 4) : 0;
  runTask(
    Task.DirectConvWeightGrad,
    [
      ...directConvArgs(info, gemmVariantIndex(), pad.hp, pad.wp),
      xpad,
      dyOff,
      dyScratch,
      parts,
      partFloats,
      db ? 1 : 0,
    ],
    batch,
    1,
  );
  const f = ws.f32();
  for (let p = 0; p < threads; p++) {
    const at = (parts >> 2) + p * partFloats;
    for (let o = 0; o < cOut; o++) {
      const src = at + (o >> 2) * taps * 4 + (o & 3);
      for (let t = 0; t < taps; t++) dw[o * taps + t] += f[src + 4 * t];
      if (db) db[o] += f[at + groups * taps * 4 + o];
    }
  }
}

/**
 * The input gradient as a stride-1 convolution: dx[c] = Σ_o dy[o] ⋆ flip(W[o, c]), i.e. dy
 * zero-padded by kh − 1 − padTop rows above (kw − 1 − padLeft columns left) convolved with the
 * weights transposed to [Cin, Cout] and flipped — conv.wat's forward kernel again, no patches and
 * no col2im (whose scatter-add in JavaScript was half of a multi-conv autoencoder's step). dx is
 * written at byte offset `dxOff` ([batch, Cin, H, W], every element). Null when a padding is
 * wider than the kernel − 1 (then the gradient takes im2col's path).
 */
export function directConvInputGrad(
  ws: ArenaWorkspace,
  dy: Tensor,
  info: Window2dInfo,
  w: Tensor,
  dxOff: number,
): boolean {
  const kh = info.kernelHeight,
    kw = info.kernelWidth;
  if (Math.max(info.padTop, info.padBottom) > kh - 1 || Math.max(info.padLeft, info.padRight) > kw - 1) return false;
  // The transposed convolution's geometry: dy's channels in, x's out.
  const t: Window2dInfo = {
    inChannels: info.outChannels,
    inHeight: info.outHeight,
    inWidth: info.outWidth,
    outChannels: info.inChannels,
    outHeight: info.inHeight,
    outWidth: info.inWidth,
    kernelHeight: kh,
    kernelWidth: kw,
    strideHeight: 1,
    strideWidth: 1,
    padTop: kh - 1 - info.padTop,
    padBottom: kh - 1 - info.padBottom,
    padLeft: kw - 1 - info.padLeft,
    padRight: kw - 1 - info.padRight,
  };
  const pad = { hp: t.outHeight + kh - 1, wp: Math.ceil(t.outWidth / 8) * 8 + kw };
  const dyOff = ws.place('dy', dy.data);
  const { w4, b4 } = packFlippedWeights(ws, info, w.data);
  const dyPad = ws.block('dyPadOne', kernelThreads() * t.inChannels * pad.hp * pad.wp * 4);
  runTask(
    Task.DirectConvForward,
    [...directConvArgs(t, gemmVariantIndex(), pad.hp, pad.wp), dyOff, dyPad, 0, w4, b4, dxOff],
    dy.shape[0],
    1,
  );
  return true;
}

/** W [Cout, Cin, kh, kw] as the input gradient reads it: W'[c, o, p, q] = W[o, c, kh−1−p, kw−1−q] packed four input channels a tap, bias 0. */
function packFlippedWeights(ws: ArenaWorkspace, info: Window2dInfo, w: TensorData): { w4: number; b4: number } {
  const cIn = info.inChannels,
    cOut = info.outChannels,
    kh = info.kernelHeight,
    kw = info.kernelWidth;
  const groups = Math.ceil(cIn / 4),
    taps = cOut * kh * kw;
  const at = ws.block('w4flipped', (groups * taps * 4 + groups * 4) * 4);
  const f = ws.f32(),
    base = at >> 2;
  for (let c = 0; c < groups * 4; c++) {
    const dst = base + (c >> 2) * taps * 4 + (c & 3);
    for (let o = 0; o < cOut; o++) {
      for (let p = 0; p < kh; p++) {
        for (let q = 0; q < kw; q++) {
          const tap = (o * kh + p) * kw + q;
          f[dst + 4 * tap] = c < cIn ? w[((o * cIn + c) * kh + (kh - 1 - p)) * kw + (kw - 1 - q)] : 0;
        }
      }
    }
  }
  f.fill(0, base + groups * taps * 4, base + groups * taps * 4 + groups * 4);
  return { w4: at, b4: at + groups * taps * 16 };
}

/** W [Cout, Cin, kh, kw] and B as conv.wat reads them: w4 [G, Cin, kh, kw, 4], b4 [G·4], zeros past Cout. */
function packWeights(
  ws: ArenaWorkspace,
  info: Window2dInfo,
  w: TensorData,
  b: TensorData | undefined,
): { w4: number; b4: number } {
  const cOut = info.outChannels,
    groups = Math.ceil(cOut / 4);
  const taps = info.inChannels * info.kernelHeight * info.kernelWidth;
  const at = ws.block('w4', (groups * taps * 4 + groups * 4) * 4);
  const f = ws.f32(),
    base = at >> 2,
    bBase = base + groups * taps * 4;
  for (let o = 0; o < groups * 4; o++) {
    const dst = base + (o >> 2) * taps * 4 + (o & 3);
    if (o < cOut) for (let t = 0; t < taps; t++) f[dst + 4 * t] = w[o * taps + t];
    else for (let t = 0; t < taps; t++) f[dst + 4 * t] = 0;
    f[bBase + o] = o < cOut && b ? b[o] : 0;
  }
  return { w4: at, b4: at + groups * taps * 16 };
}
