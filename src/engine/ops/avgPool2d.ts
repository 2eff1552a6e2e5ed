import type { Size2d } from '../conv/convShape';
import { Tensor } from '../tensor/tensor';
import { OpContext, opTensor } from './operation';
import { Pool2dAttrs, Pool2dOp } from './pool2d';

/**
 * AvgPool2dOp: the mean of each kh×kw window, per channel.
 * Shape: x [batch, C, H, W] → y [batch, C, outH, outW]; stride defaults to the kernel size.
 * Padding counts as zeros in the mean: the divisor is always kh·kw (PyTorch's default
 * `count_include_pad=True`), so every output is the same linear map of the inputs it covers.
 * Gradient: dy scaled by 1/(kh·kw) flows back to every input of the pooling region, summed
 * over all regions that contain an input when stride < kernel.
 */
export class AvgPool2dOp extends Pool2dOp {
  readonly equation = 'y = mean over window\n∂L/∂x = ∂L/∂y / k²';
  constructor(kernel: Size2d, attrs: Pool2dAttrs = {}) {
    super('AvgPool2d', kernel, attrs);
  }

  protected output(x: Tensor, ctx: OpContext): Tensor {
    const info = this.info(x.shape);
    const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, kernelHeight: kh, kernelWidth: kw } = info;
    const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = info;
    const y = opTensor(ctx, [x.shape[0], x.shape[1], oh, ow], x.dtype);
    const xd = x.data,
      yd = y.data,
      scale = 1 / (kh * kw);
    for (let plane = 0; plane < x.shape[0] * x.shape[1]; plane++) {
      const xOff = plane * h * w;
      for (let i = 0; i < oh; i++) {
        const r0 = Math.max(i * sh - padTop, 0),
          r1 = Math.min(i * sh - padTop + kh, h);
        for (let j = 0; j < ow; j++) {
          const c0 = Math.max(j * sw - padLeft, 0),
            c1 = Math.min(j * sw - padLeft + kw, w);
          let s = 0;
          for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s += xd[xOff + r * w + c];
          yd[(plane * oh + i) * ow + j] = s * scale;
        }
      }
    }
    return y;
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const info = this.info(ctx.x.shape);
    const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, kernelHeight: kh, kernelWidth: kw } = info;
    const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = info;
    const dx = opTensor(ctx, ctx.x.shape, dy.dtype, true);
    const d = dy.data,
      g = dx.data,
      scale = 1 / (kh * kw);
    for (let plane = 0; plane < dy.shape[0] * dy.shape[1]; plane++) {
      const xOff = plane * h * w;
      for (let i = 0; i < oh; i++) {
        const r0 = Math.max(i * sh - padTop, 0),
          r1 = Math.min(i * sh - padTop + kh, h);
        for (let j = 0; j < ow; j++) {
          const c0 = Math.max(j * sw - padLeft, 0),
            c1 = Math.min(j * sw - padLeft + kw, w);
          const v = d[(plane * oh + i) * ow + j] * scale;
          for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) g[xOff + r * w + c] += v;
        }
      }
    }
    return dx;
  }
}
