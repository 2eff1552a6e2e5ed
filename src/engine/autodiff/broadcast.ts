import { assertShape } from '../errors';
import { formatShape, Shape, sizeOf } from '../tensor/shape';
import { allocate, Tensor } from '../tensor/tensor';

/**
 * NumPy broadcasting of two shapes: aligned from the right, each pair of sizes equal or one of
 * them 1 (a row bias [1, n] against [batch, n], a scalar [] against anything).
 */
export function broadcastShape(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const da = a[a.length - rank + k] ?? 1,
      db = b[b.length - rank + k] ?? 1;
    assertShape(
      da === db || da === 1 || db === 1,
      () => `${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`,
    );
    out.push(Math.max(da, db));
  }
  return out;
}

/**
 * For every element of a tensor of shape `out`, the flat index of the element of a tensor of
 * shape `input` (broadcast to `out`) that it reads. The same map sends gradients back: summing
 * dL/dout over the elements that read one input element gives that element's gradient.
 */
export function broadcastIndex(out: Shape, input: Shape): Int32Array {
  const n = sizeOf(out);
  const map = new Int32Array(n);
  const rank = out.length;
  // Stride of each output axis in the input (0 on axes the input broadcasts along).
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let k = input.length - 1; k >= 0; k--) {
    const axis = rank - input.length + k;
    strides[axis] = input[k] === 1 ? 0 : s;
    s *= input[k];
  }
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    map[i] = off;
    // Odometer increment of the output multi-index, keeping the input offset in step.
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]++;
      off += strides[k];
      if (idx[k] < out[k]) break;
      off -= strides[k] * idx[k];
      idx[k] = 0;
    }
  }
  return map;
}

/** Σ of `g` (shape `out`) into a tensor of shape `input` through a broadcastIndex map. */
export function sumToShape(g: Tensor, input: Shape, map: Int32Array): Tensor {
  const data = allocate(g.dtype, sizeOf(input));
  const gd = g.data;
  for (let i = 0; i < gd.length; i++) data[map[i]] += gd[i];
  return new Tensor(input, data);
}
