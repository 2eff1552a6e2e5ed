import { Tensor, allocate } from '../tensor/tensor';
import { sizeOf } from '../tensor/shape';
import { broadcastIndex, broadcastShape, sumToShape } from './broadcast';
import { asVar, makeNode, Operand, Var } from './var';

/**
 * A binary elementwise op with broadcasting: y[i] = f(a[ia(i)], b[ib(i)]). `da` and `db` give
 * ∂y/∂a and ∂y/∂b at one element; backward multiplies them by dL/dy and sums over broadcast axes.
 * Shape: a, b broadcastable (broadcast.ts) → y of the broadcast shape.
 */
function binary(
  op: string,
  x: Operand,
  z: Operand,
  f: (a: number, b: number) => number,
  da: (a: number, b: number) => number,
  db: (a: number, b: number) => number,
): Var {
  const dtype = typeof x === 'number' ? (typeof z === 'number' ? 'float64' : z.dtype) : x.dtype;
  const a = asVar(x, dtype),
    b = asVar(z, dtype);
  const shape = broadcastShape(op, a.shape, b.shape);
  const ia = broadcastIndex(shape, a.shape),
    ib = broadcastIndex(shape, b.shape);
  const av = a.value.data,
    bv = b.value.data;
  const y = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < y.length; i++) y[i] = f(av[ia[i]], bv[ib[i]]);
  return makeNode(new Tensor(shape, y), op, [a, b], (dy) => {
    const g = dy.data;
    const ga = allocate(dtype, g.length),
      gb = allocate(dtype, g.length);
    for (let i = 0; i < g.length; i++) {
      ga[i] = g[i] * da(av[ia[i]], bv[ib[i]]);
      gb[i] = g[i] * db(av[ia[i]], bv[ib[i]]);
    }
    return [
      a.requiresGrad ? sumToShape(new Tensor(shape, ga), a.shape, ia) : null,
      b.requiresGrad ? sumToShape(new Tensor(shape, gb), b.shape, ib) : null,
    ];
  });
}

/** a + b (broadcasting): dL/da = dL/dy, summed over the axes a was broadcast along. */
export function add(a: Operand, b: Operand): Var {
  return binary(
    'add',
    a,
    b,
    (p, q) => p + q,
    () => 1,
    () => 1,
  );
}

/** a − b (broadcasting). */
export function subtract(a: Operand, b: Operand): Var {
  return binary(
    'subtract',
    a,
    b,
    (p, q) => p - q,
    () => 1,
    () => -1,
  );
}

/** a ⊙ b (elementwise, broadcasting): dL/da = dL/dy ⊙ b, dL/db = dL/dy ⊙ a. */
export function multiply(a: Operand, b: Operand): Var {
  return binary(
    'multiply',
    a,
    b,
    (p, q) => p * q,
    (_p, q) => q,
    (p) => p,
  );
}

/** a / b (elementwise, broadcasting): dL/da = dL/dy / b, dL/db = −dL/dy · a / b². */
export function divide(a: Operand, b: Operand): Var {
  return binary(
    'divide',
    a,
    b,
    (p, q) => p / q,
    (_p, q) => 1 / q,
    (p, q) => -p / (q * q),
  );
}
