import type { Size2d } from '../conv/convShape';
import { Tensor } from '../tensor/tensor';
import { OpContext, opTensor } from './operation';
import { Pool2dAttrs, Pool2dOp } from './pool2d';

/** What one call saves: for each output element, the flat index of the input it copied. */
interface MaxPoolContext extends OpContext {
  argmax: Int32Array;
}

/**
 * MaxPool2dOp: the maximum of each kh×kw window, per channel.
 * Shape: x [batch, C, H, W] → y [batch, C, outH, outW]; stride defaults to the kernel size.
 * Padding positions are ignored (as if −∞), never selected.
 * Gradient: dy goes to the position of the maximum; on ties, to the first maximum in row-major
 * window order (PyTorch's rule), so exactly one input per window receives it.
 */
export class MaxPool2dOp extends Pool2dOp {
  readonly equation = 'y = max over window\n∂L/∂x = ∂L/∂y at the argmax';
  constructor(kernel: Size2d, attrs: Pool2dAttrs = {}) {
    super('MaxPool2d', kernel, attrs);
  }

  protected output(x: Tensor, ctx: OpContext): Tensor {
    const info = this.info(x.shape);
    const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, kernelHeight: kh, kernelWidth: kw } = info;
    const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = info;
    const planes = x.shape[0] * x.shape[1];
    const y = opTensor(ctx, [x.shape[0], x.shape[1], oh, ow], x.dtype);
    const argmax = new Int32Array(y.size);
    const xd = x.data,
      yd = y.data;
    for (let plane = 0; plane < planes; plane++) {
      const xOff = plane * h * w;
      for (let i = 0; i < oh; i++) {
        // Window rows clipped to the real input (padding < kernel, so the window is never empty).
        const r0 = Math.max(i * sh - padTop, 0),
          r1 = Math.min(i * sh - padTop + kh, h);
        for (let j = 0; j < ow; j++) {
          const c0 = Math.max(j * sw - padLeft, 0),
            c1 = Math.min(j * sw - padLeft + kw, w);
          let best = xOff + r0 * w + c0;
          for (let r = r0; r < r1; r++) {
            for (let c = c0; c < c1; c++) if (xd[xOff + r * w + c] > xd[best]) best = xOff + r * w + c;
          }
          const o = (plane * oh + i) * ow + j;
          yd[o] = xd[best];
          argmax[o] = best;
        }
      }
    }
    (ctx as MaxPoolContext).argmax = argmax;
    return y;
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const { argmax } = ctx as MaxPoolContext;
    const dx = opTensor(ctx, ctx.x.shape, dy.dtype, true);
    const d = dy.data,
      g = dx.data;
    // += because overlapping windows (stride < kernel) can pick the same input.
    for (let o = 0; o < d.length; o++) g[argmax[o]] += d[o];
    return dx;
  }
}
