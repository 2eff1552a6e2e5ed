import { conv2dInfo, checkPadding, Padding2d, Size2d, size2d, Window2dInfo } from '../conv/convShape';
import { assertShape } from '../errors';
import { ArenaWorkspace } from '../kernels/arenaWorkspace';
import { col2im, im2col } from '../kernels/im2col';
import { gemm } from '../kernels/gemm';
import { kernelArena } from '../kernels/kernelBackend';
import { gemmVariantIndex, kernelThreads, runTask } from '../kernels/parallel';
import { convArgs, Task } from '../kernels/parallelTasks';
import { formatShape } from '../tensor/shape';
import { Tensor, TensorData } from '../tensor/tensor';
import { directConvForward, directConvInputGrad, directConvParamGrads, directGeometry } from './directConv2d';
import { ForwardMode, makeParam, OpContext, Operation, opTensor, Param } from './operation';

export interface Conv2dAttrs {
  /** Step between windows, one number or [height, width]. Default 1. */
  stride?: Size2d;
  /** See Padding2d. Default 'valid'. */
  padding?: Padding2d;
}

/** What one call saves: the geometry, the im2col patches [B, K, N] and the profile's choice. */
interface Conv2dContext extends OpContext {
  info: Window2dInfo;
  bookParamGrad: boolean;
  /**
   * Fast path (float32 on the WebAssembly kernels): the patches stay in the op's arena block
   * 'cols'; `generation` says which training forward wrote them, so a backward whose patches were
   * overwritten by a later forward rebuilds them from x.
   */
  fastCols?: number;
}

/**
 * Conv2dOp: 2-D cross-correlation (no kernel flip, as PyTorch and the book) plus an optional bias.
 *   y[b, o, i, j] = B[o] + Σ_{c,p,q} W[o, c, p, q] · xpad[b, c, i·sh + p, j·sw + q]
 * Shape: x [batch, Cin, H, W] → y [batch, Cout, outH, outW] (conv/convShape.ts).
 * Parameters: W [Cout, Cin, kh, kw] (PyTorch's layout; the book's Conv2D_Op stores
 * [Cin, Cout, k, k]) and, optionally, B [Cout] as a separate parameter.
 *
 * Per example, with K = Cin·kh·kw and N = outH·outW: cols = im2col(x_b) [K, N], then
 *   forward  y_b = W·cols            (W viewed as [Cout, K]; gemm NN)
 *   backward dW += dy_b·colsᵀ (gemm NT), dB += Σ_{b,i,j} dy, dx_b = col2im(Wᵀ·dy_b) (gemm TN).
 * In training the patches are saved in the call's context, so backward does not redo im2col.
 *
 * Book profile (`bookConvParamGrad`, E5.4): lincoln's `Conv2D_Op._param_grad` flattens patches
 * stored (hw, b)-major against gradient rows stored (b, hw)-major, so for B > 1 each gradient
 * row r = b·N + hw meets the patch of example r mod B at position ⌊r/B⌋ (book-parity §2.1).
 * That is reproduced by permuting the patch columns before the weight-gradient GEMM; B = 1 is
 * unaffected. The input gradient is always the true one (the book's unflipped-kernel input
 * gradient never reaches a printed number).
 */
export class Conv2dOp extends Operation {
  readonly name = 'Conv2d';
  readonly equation = 'y = x ⋆ W (+ b)\n∂L/∂x = ∂L/∂y ⋆ rot180(W)\n∂L/∂W = x ⋆ ∂L/∂y';
  readonly w: Param;
  readonly b: Param | null;
  readonly stride: Size2d;
  readonly padding: Padding2d;

  constructor(w: Tensor, b: Tensor | null = null, attrs: Conv2dAttrs = {}) {
    super();
    assertShape(
      w.rank === 4,
      () =>
        `Conv2d: W must be rank 4 [outChannels, inChannels, kernelHeight, kernelWidth], got ${formatShape(w.shape)}`,
    );
    assertShape(
      b === null || (b.rank === 1 && b.shape[0] === w.shape[0]),
      () => `Conv2d: B must be [${w.shape[0]}] to match W ${formatShape(w.shape)}, got ${formatShape(b?.shape ?? [])}`,
    );
    this.stride = attrs.stride ?? 1;
    this.padding = attrs.padding ?? 'valid';
    size2d(this.stride, 'stride', this.name);
    checkPadding(this.padding, this.name);
    this.w = makeParam('W', w);
    this.b = b ? makeParam('B', b) : null;
    this.params.push(this.w);
    if (this.b) this.params.push(this.b);
  }

  /** Geometry for an input [batch, Cin, H, W]; throws a ShapeError naming both shapes. */
  info(xShape: readonly number[]): Window2dInfo {
    assertShape(
      xShape.length === 4,
      () =>
        `Conv2d: input must be rank 4 [batch, channels, height, width], got rank ${xShape.length} ${formatShape(xShape)}`,
    );
    return conv2dInfo(this.name, xShape.slice(1), this.w.value.shape, this.stride, this.padding);
  }

  protected override checkInput(x: Tensor): void {
    this.info(x.shape);
  }

  /** The fast path's arena blocks (patches, operand copies), reused from call to call. */
  private workspace: ArenaWorkspace | null = null;
  private generation = 0;

  /**
   * The arena when this op runs on the WebAssembly kernels: float32 data, parameters and their
   * gradients in the arena, and not the book profile's patch order. Null: the reference loops.
   */
  private fastArena(
    x: Tensor,
    bookParamGrad: boolean,
    keptPatches?: { info: Window2dInfo; batch: number },
  ): ArenaWorkspace | null {
    if (bookParamGrad || !(x.data instanceof Float32Array)) return null;
    // The kept patches live in an arena block that is never shrunk: an outsized batch (full-batch
    // training on thousands of images) takes the reference path rather than grow the arena for good.
    if (keptPatches) {
      const { k, n } = sizes(keptPatches.info);
      if (keptPatches.batch * (k + 1) * n * 4 > MAX_KEPT_PATCH_BYTES) return null;
    }
    const arena = kernelArena();
    const params = [this.w, ...(this.b ? [this.b] : [])];
    if (!arena || !params.every((p) => arena.owns(p.value.data) && arena.owns(p.grad.data))) return null;
    if (this.workspace?.arena !== arena) this.workspace = new ArenaWorkspace(arena, this);
    return this.workspace;
  }

  protected output(x: Tensor, ctx: OpContext, mode: ForwardMode): Tensor {
    const info = this.info(x.shape);
    const ws = this.fastArena(
      x,
      mode.profile.bookConvParamGrad,
      mode.training ? { info, batch: x.shape[0] } : undefined,
    );
    if (ws) return this.fastOutput(ws, x, info, ctx as Conv2dContext, mode);
    const { k, n, xStride } = sizes(info);
    const batch = x.shape[0],
      cOut = info.outChannels;
    // Training keeps every example's patches for backward. Inference reuses one [K, N] buffer:
    // predicting 2048 MNIST images through a 5×5 conv would otherwise hold ~320 MB of float64.
    const keep = mode.training;
    const cols = Tensor.zeros(keep ? [batch, k, n] : [k, n], x.dtype);
    const y = Tensor.zeros([batch, cOut, info.outHeight, info.outWidth], x.dtype);
    const wd = this.w.value.data,
      yd = y.data,
      cd = cols.data,
      bias = this.b?.value.data;
    for (let b = 0; b < batch; b++) {
      const off = keep ? b * k * n : 0;
      im2col(x.data, b * xStride, info, cd, off);
      const yb = yd.subarray(b * cOut * n, (b + 1) * cOut * n);
      gemm('NN', wd, cd.subarray(off, off + k * n), yb, cOut, k, n);
      if (bias) for (let o = 0; o < cOut; o++) for (let t = o * n; t < (o + 1) * n; t++) yb[t] += bias[o];
    }
    const c = ctx as Conv2dContext;
    if (keep) c.saved = cols;
    c.info = info;
    c.bookParamGrad = mode.profile.bookConvParamGrad;
    return y;
  }

  /**
   * Forward on the kernel tasks (parallelTasks.ts ConvForward), examples split across threads. In
   * training the whole batch goes through at once and its patches are kept; in inference the
   * examples go in groups whose output fits a bounded block (predicting thousands of images must
   * not leave a block of their size in the arena).
   */
  private fastOutput(ws: ArenaWorkspace, x: Tensor, info: Window2dInfo, ctx: Conv2dContext, mode: ForwardMode): Tensor {
    const direct = directGeometry(info);
    if (direct) {
      // Every forward may reuse the op's blocks, so every forward starts a new generation.
      const generation = ++this.generation;
      ctx.info = info;
      ctx.bookParamGrad = false;
      const y = directConvForward(
        ws,
        x,
        info,
        direct,
        this.w.value,
        this.b?.value ?? null,
        ctx.step,
        INFERENCE_BLOCK_BYTES,
      );
      if (ctx.step) ctx.fastCols = generation;
      return y;
    }
    const { k, n, xStride } = sizes(info);
    const batch = x.shape[0],
      cOut = info.outChannels;
    const keep = mode.training;
    const shape = [batch, cOut, info.outHeight, info.outWidth];
    const xOff = ws.place('x', x.data);
    const cols = ws.block('cols', (keep ? batch : kernelThreads()) * (k + 1) * n * 4);
    const geometry = convArgs(info, gemmVariantIndex());
    const w = this.w.value.data.byteOffset,
      bias = this.b ? this.b.value.data.byteOffset : 0;
    // Every forward may reuse the 'cols' block, so every forward starts a new generation.
    const generation = ++this.generation;
    ctx.info = info;
    ctx.bookParamGrad = false;
    if (ctx.step) {
      // A training step: y goes straight into the step arena, where the next op reads it.
      const y = ctx.step.tensor(shape);
      runTask(Task.ConvForward, [...geometry, xOff, cols, keep ? 1 : 0, w, bias, y.data.byteOffset], batch, 1);
      if (keep) ctx.fastCols = generation;
      return y;
    }
    const group = keep ? batch : Math.max(1, Math.min(batch, Math.floor(INFERENCE_BLOCK_BYTES / (cOut * n * 4))));
    const yOff = ws.block('y', group * cOut * n * 4);
    const y = Tensor.zeros(shape, x.dtype);
    for (let g0 = 0; g0 < batch; g0 += group) {
      const g = Math.min(group, batch - g0);
      runTask(Task.ConvForward, [...geometry, xOff + 4 * g0 * xStride, cols, keep ? 1 : 0, w, bias, yOff], g, 1);
      y.data.set(ws.f32().subarray(yOff >> 2, (yOff >> 2) + g * cOut * n), g0 * cOut * n);
    }
    if (keep) ctx.fastCols = generation;
    return y;
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const c = ctx as Conv2dContext;
    const ws = this.fastArena(dy, c.bookParamGrad, { info: c.info, batch: dy.shape[0] });
    if (ws) {
      const { info } = c;
      const { k, n, xStride } = sizes(info);
      const batch = dy.shape[0];
      // In a training step dx is written in place in the step arena; else through a block.
      const dx = opTensor(ctx, ctx.x.shape, dy.dtype);
      const inPlace = ws.arena.owns(dx.data);
      const dxOff = inPlace ? dx.data.byteOffset : ws.block('dx', batch * xStride * 4);
      if (!(directGeometry(info) && directConvInputGrad(ws, dy, info, this.w.value, dxOff))) {
        const dyOff = ws.place('dy', dy.data);
        const dcols = ws.block('dcols', kernelThreads() * k * n * 4);
        runTask(
          Task.ConvInputGrad,
          [...convArgs(info, gemmVariantIndex()), this.w.value.data.byteOffset, dyOff, dcols, dxOff],
          batch,
          1,
        );
      }
      if (!inPlace) dx.data.set(ws.f32().subarray(dxOff >> 2, (dxOff >> 2) + dx.size));
      return dx;
    }
    const { info } = ctx as Conv2dContext;
    const { k, n, xStride } = sizes(info);
    const cOut = info.outChannels;
    const dx = Tensor.zeros(ctx.x.shape, dy.dtype);
    const dcols = Tensor.zeros([k, n], dy.dtype).data;
    for (let b = 0; b < dy.shape[0]; b++) {
      gemm('TN', this.w.value.data, dy.data.subarray(b * cOut * n, (b + 1) * cOut * n), dcols, k, cOut, n);
      col2im(dcols, 0, info, dx.data, b * xStride);
    }
    return dx;
  }

  protected override paramGrads(dy: Tensor, ctx: OpContext): void {
    const c = ctx as Conv2dContext;
    const ws = this.fastArena(dy, c.bookParamGrad, { info: c.info, batch: dy.shape[0] });
    if (ws) {
      this.fastParamGrads(ws, dy, ctx as Conv2dContext);
      return;
    }
    const { info, bookParamGrad } = ctx as Conv2dContext;
    const { k, n, xStride } = sizes(info);
    const batch = dy.shape[0],
      cOut = info.outChannels;
    let cols = ctx.saved?.data;
    if (!cols) {
      // Backward after an inference forward (gradient checks): rebuild the patches.
      cols = Tensor.zeros([batch, k, n], dy.dtype).data;
      for (let b = 0; b < batch; b++) im2col(ctx.x.data, b * xStride, info, cols, b * k * n);
    }
    if (bookParamGrad && batch > 1) cols = bookPatchOrder(cols, batch, k, n);
    for (let b = 0; b < batch; b++) {
      const dyb = dy.data.subarray(b * cOut * n, (b + 1) * cOut * n);
      gemm('NT', dyb, cols.subarray(b * k * n, (b + 1) * k * n), this.w.grad.data, cOut, n, k, true);
    }
    if (!this.b) return;
    const db = this.b.grad.data,
      d = dy.data;
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < cOut; o++) {
        let s = 0;
        for (let t = (b * cOut + o) * n, end = t + n; t < end; t++) s += d[t];
        db[o] += s;
      }
    }
  }

  /**
   * Weight and bias gradients on the kernel tasks (ConvWeightGrad): each thread accumulates its
   * examples into its own [Cout, K+1] block (weights, then the bias as the product with the
   * patches' row of ones), added into the gradients at the end.
   */
  private fastParamGrads(ws: ArenaWorkspace, dy: Tensor, ctx: Conv2dContext): void {
    const { info } = ctx;
    const direct = directGeometry(info);
    if (direct) {
      directConvParamGrads(
        ws,
        dy,
        ctx.x,
        info,
        direct,
        ctx.fastCols === this.generation,
        this.w.grad.data,
        this.b?.grad.data,
      );
      return;
    }
    const { k, n, xStride } = sizes(info);
    const batch = dy.shape[0],
      cOut = info.outChannels;
    const dyOff = ws.place('dy', dy.data);
    const cols = ws.block('cols', batch * (k + 1) * n * 4);
    if (ctx.fastCols !== this.generation) {
      // The patches of this call were overwritten by a later forward (or never kept): rebuild.
      const f = ws.f32();
      const x = ws.place('x', ctx.x.data) >> 2;
      for (let b = 0; b < batch; b++) {
        const at = (cols >> 2) + b * (k + 1) * n;
        im2col(f, x + b * xStride, info, f, at);
        f.fill(1, at + k * n, at + (k + 1) * n);
      }
    }
    const threads = kernelThreads();
    const partInts = cOut * (k + 1);
    const parts = ws.block('gradParts', threads * partInts * 4);
    ws.f32().fill(0, parts >> 2, (parts >> 2) + threads * partInts);
    runTask(Task.ConvWeightGrad, [...convArgs(info, gemmVariantIndex()), dyOff, cols, parts], batch, 1);
    const f = ws.f32();
    const dw = this.w.grad.data,
      db = this.b?.grad.data;
    for (let p = 0; p < threads; p++) {
      const at = (parts >> 2) + p * partInts;
      for (let o = 0; o < cOut; o++) {
        const row = at + o * (k + 1);
        for (let i = 0; i < k; i++) dw[o * k + i] += f[row + i];
        if (db) db[o] += f[row + k];
      }
    }
  }
}

/** Largest patch block [B, K+1, N] the fast path keeps for backward (float32 bytes). */
const MAX_KEPT_PATCH_BYTES = 256 << 20;
/** Output block for a group of examples in inference (bytes). */
const INFERENCE_BLOCK_BYTES = 8 << 20;

/** K = Cin·kh·kw (patch length), N = outH·outW (patches per example), and one example's input size. */
function sizes(info: Window2dInfo): { k: number; n: number; xStride: number } {
  return {
    k: info.inChannels * info.kernelHeight * info.kernelWidth,
    n: info.outHeight * info.outWidth,
    xStride: info.inChannels * info.inHeight * info.inWidth,
  };
}

/**
 * The patches as lincoln's `_param_grad` pairs them with gradient rows: row r = b·N + hw of
 * the result holds the patch of example r mod B at position ⌊r/B⌋. Same layout [B, K, N].
 */
export function bookPatchOrder(cols: TensorData, batch: number, k: number, n: number): TensorData {
  const out = cols.slice();
  for (let r = 0; r < batch * n; r++) {
    const dst = Math.floor(r / n) * k * n + (r % n);
    const src = (r % batch) * k * n + Math.floor(r / batch);
    for (let row = 0; row < k; row++) out[dst + row * n] = cols[src + row * n];
  }
  return out;
}
