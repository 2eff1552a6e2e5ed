import type { Window2dInfo } from '../conv/convShape';
import type { TensorData } from '../tensor/tensor';

/*
 * im2col / col2im for one example, the layout change that turns a convolution into a GEMM.
 *
 *   x:    [C, H, W] row-major, starting at xOff
 *   cols: [C·kh·kw, outH·outW] row-major, starting at colsOff
 *         cols[(c·kh + p)·kw + q, i·outW + j] = xpad[c, i·sh + p, j·sw + q]
 *
 * Rows are ordered (c, p, q) to match a weight tensor [Cout, C, kh, kw] viewed as [Cout, C·kh·kw],
 * so y[Cout, outH·outW] = W · cols. Padding is never materialised: out-of-range taps are skipped.
 */

/** Fills cols from x (every entry is written, padding taps with 0). */
export function im2col(x: TensorData, xOff: number, info: Window2dInfo, cols: TensorData, colsOff: number): void {
  const { inChannels: cIn, inHeight: h, inWidth: w, kernelHeight: kh, kernelWidth: kw } = info;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, padTop, padLeft } = info;
  const n = oh * ow;
  for (let c = 0; c < cIn; c++) {
    const xChan = xOff + c * h * w;
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        const row = colsOff + ((c * kh + p) * kw + q) * n;
        // Output columns j whose tap iw = j·sw + q − padLeft falls inside the row: [j0, j1).
        const [j0, j1] = validRange(q - padLeft, sw, w, ow);
        for (let i = 0; i < oh; i++) {
          const ih = i * sh + p - padTop;
          const out = row + i * ow;
          if (ih < 0 || ih >= h) {
            cols.fill(0, out, out + ow);
            continue;
          }
          const src = xChan + ih * w + q - padLeft;
          for (let j = 0; j < j0; j++) cols[out + j] = 0;
          for (let j = j0; j < j1; j++) cols[out + j] = x[src + j * sw];
          for (let j = j1; j < ow; j++) cols[out + j] = 0;
        }
      }
    }
  }
}

/** [j0, j1): the j in [0, count) with 0 ≤ j·stride + shift < size (empty as [j, j] when none). */
function validRange(shift: number, stride: number, size: number, count: number): [number, number] {
  const j0 = Math.min(count, Math.max(0, Math.ceil(-shift / stride)));
  const j1 = Math.max(j0, Math.min(count, Math.floor((size - 1 - shift) / stride) + 1));
  return [j0, j1];
}

/** The adjoint of im2col: dx[c, ih, iw] += every cols entry that was read from it. */
export function col2im(cols: TensorData, colsOff: number, info: Window2dInfo, dx: TensorData, dxOff: number): void {
  const { inChannels: cIn, inHeight: h, inWidth: w, kernelHeight: kh, kernelWidth: kw } = info;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, padTop, padLeft } = info;
  const n = oh * ow;
  for (let c = 0; c < cIn; c++) {
    const dxChan = dxOff + c * h * w;
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        const row = colsOff + ((c * kh + p) * kw + q) * n;
        const [j0, j1] = validRange(q - padLeft, sw, w, ow);
        for (let i = 0; i < oh; i++) {
          const ih = i * sh + p - padTop;
          if (ih < 0 || ih >= h) continue;
          const dst = dxChan + ih * w + q - padLeft;
          const src = row + i * ow;
          for (let j = j0; j < j1; j++) dx[dst + j * sw] += cols[src + j];
        }
      }
    }
  }
}
