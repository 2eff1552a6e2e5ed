import { assertShape } from '../errors';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape';
import { allocate, Tensor } from '../tensor/tensor';
import { makeNode, Var } from './var';

/**
 * Concatenation along the last (feature) axis: the book's Z = [X_t, H_{t−1}].
 * Shape: [..., n_1], [..., n_2], ... (equal leading axes) → [..., n_1 + n_2 + ...].
 * Backward: each input gets its own columns of dL/dy.
 */
export function concatColumns(parts: readonly Var[]): Var {
  assertShape(parts.length > 0, () => 'concatColumns: nothing to concatenate');
  const lead = parts[0].shape.slice(0, -1);
  assertShape(
    parts.every((p) => p.value.rank >= 1 && shapesEqual(p.shape.slice(0, -1), lead)),
    () => `concatColumns: leading axes differ: ${parts.map((p) => formatShape(p.shape)).join(', ')}`,
  );
  const rows = sizeOf(lead);
  const widths = parts.map((p) => p.shape[p.shape.length - 1]);
  const total = widths.reduce((s, w) => s + w, 0);
  const y = allocate(parts[0].dtype, rows * total);
  let col = 0;
  parts.forEach((p, k) => {
    const w = widths[k],
      d = p.value.data;
    for (let r = 0; r < rows; r++) y.set(d.subarray(r * w, (r + 1) * w), r * total + col);
    col += w;
  });
  return makeNode(new Tensor([...lead, total], y), 'concat', [...parts], (dy) => {
    const g = dy.data;
    let c = 0;
    return parts.map((p, k) => {
      const w = widths[k],
        start = c;
      c += w;
      if (!p.requiresGrad) return null;
      const d = allocate(p.dtype, rows * w);
      for (let r = 0; r < rows; r++) d.set(g.subarray(r * total + start, r * total + start + w), r * w);
      return new Tensor(p.shape, d);
    });
  });
}

/**
 * Columns [start, end) of the last axis: one gate's slice of a fused [batch, 4·hidden] product.
 * Shape: [..., n] → [..., end − start]. Backward: dL/dy into those columns, zeros elsewhere.
 */
export function sliceColumns(x: Var, start: number, end: number): Var {
  const n = x.shape[x.shape.length - 1];
  assertShape(
    x.value.rank >= 1 && Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= n,
    () => `sliceColumns: [${start}, ${end}) is not a column range of ${formatShape(x.shape)}`,
  );
  const rows = x.value.size / n,
    w = end - start;
  const xv = x.value.data;
  const y = allocate(x.dtype, rows * w);
  for (let r = 0; r < rows; r++) y.set(xv.subarray(r * n + start, r * n + end), r * w);
  return makeNode(new Tensor([...x.shape.slice(0, -1), w], y), 'slice', [x], (dy) => {
    const g = dy.data;
    const dx = allocate(x.dtype, xv.length);
    for (let r = 0; r < rows; r++) dx.set(g.subarray(r * w, (r + 1) * w), r * n + start);
    return [new Tensor(x.shape, dx)];
  });
}
