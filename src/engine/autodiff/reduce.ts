import { assertShape } from '../errors';
import { formatShape, sizeOf } from '../tensor/shape';
import { allocate, Tensor } from '../tensor/tensor';
import { makeNode, Var } from './var';

/**
 * Σ of x over all elements (no axis: shape [] or, with keepDims, all ones) or along one axis.
 * Shape: x [..., n_axis, ...] → x's shape without that axis (or with it as 1 when keepDims).
 * Backward: every summed element gets dL/dy of its sum (a broadcast of dy back to x's shape).
 */
export function sum(x: Var, axis?: number, keepDims = false): Var {
  return reduce('sum', x, axis, keepDims, 1);
}

/** Mean over all elements or along one axis: sum / count, with dL/dx = dL/dy / count. */
export function mean(x: Var, axis?: number, keepDims = false): Var {
  const n = axis === undefined ? x.value.size : x.shape[normalizeAxis(x, axis)];
  return reduce('mean', x, axis, keepDims, 1 / n);
}

function normalizeAxis(x: Var, axis: number): number {
  const a = axis < 0 ? axis + x.value.rank : axis;
  assertShape(
    Number.isInteger(a) && a >= 0 && a < x.value.rank,
    () => `sum: axis ${axis} out of range for ${formatShape(x.shape)}`,
  );
  return a;
}

function reduce(op: string, x: Var, axis: number | undefined, keepDims: boolean, scale: number): Var {
  const shape = x.shape;
  // View x as [outer, n, inner] with n the reduced axis (all of x when there is no axis).
  let outer = 1,
    n = x.value.size,
    inner = 1;
  let outShape: number[];
  if (axis === undefined) {
    outShape = keepDims ? shape.map(() => 1) : [];
  } else {
    const a = normalizeAxis(x, axis);
    outer = sizeOf(shape.slice(0, a));
    n = shape[a];
    inner = sizeOf(shape.slice(a + 1));
    outShape = keepDims ? shape.map((d, k) => (k === a ? 1 : d)) : shape.filter((_, k) => k !== a);
  }
  const xv = x.value.data;
  const y = allocate(x.dtype, outer * inner);
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < n; j++) for (let i = 0; i < inner; i++) y[o * inner + i] += xv[(o * n + j) * inner + i] * scale;
  return makeNode(new Tensor(outShape, y), op, [x], (dy) => {
    const g = dy.data;
    const dx = allocate(x.dtype, xv.length);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < inner; i++) dx[(o * n + j) * inner + i] = g[o * inner + i] * scale;
    return [new Tensor(shape, dx)];
  });
}
