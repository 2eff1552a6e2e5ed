import { Tensor } from '../../../src/engine/tensor/tensor';

/**
 * Direct-loop convolution, written from the definition and independent of im2col and the GEMM:
 *   y[b,o,i,j] = B[o] + Σ_{c,p,q} W[o,c,p,q] · x[b, c, i·sh + p − pt, j·sw + q − pl]
 * with out-of-range x read as 0. Padding is symmetric [pt, pl]. Returns y and, given dy, the
 * exact gradients dx, dW, dB by the same loops.
 */
export function naiveConv2d(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  stride: [number, number],
  pad: [number, number],
  dy?: Tensor,
) {
  const [batch, cIn, h, wd] = x.shape;
  const [cOut, , kh, kw] = w.shape;
  const [sh, sw] = stride,
    [pt, pl] = pad;
  const oh = Math.floor((h + 2 * pt - kh) / sh) + 1,
    ow = Math.floor((wd + 2 * pl - kw) / sw) + 1;
  const y = Tensor.zeros([batch, cOut, oh, ow], 'float64');
  const dx = Tensor.zeros(x.shape, 'float64'),
    dw = Tensor.zeros(w.shape, 'float64'),
    db = Tensor.zeros([cOut], 'float64');
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < cOut; o++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let s = b ? b.get(o) : 0;
          const g = dy ? dy.get(n, o, i, j) : 0;
          for (let c = 0; c < cIn; c++) {
            for (let p = 0; p < kh; p++) {
              for (let q = 0; q < kw; q++) {
                const r = i * sh + p - pt,
                  col = j * sw + q - pl;
                if (r < 0 || r >= h || col < 0 || col >= wd) continue;
                s += w.get(o, c, p, q) * x.get(n, c, r, col);
                dx.set(dx.get(n, c, r, col) + g * w.get(o, c, p, q), n, c, r, col);
                dw.set(dw.get(o, c, p, q) + g * x.get(n, c, r, col), o, c, p, q);
              }
            }
          }
          y.set(s, n, o, i, j);
          db.set(db.get(o) + g, o);
        }
      }
    }
  }
  return { y, dx, dw, db };
}

/** Largest |a − b| over all elements (the tensors must have the same size). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}
