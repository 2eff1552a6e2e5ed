import { allocate, Tensor } from '../tensor/tensor';
import { makeNode, Var } from './var';

/**
 * An elementwise function y = f(x); `dydx(x, y)` is its derivative at one element, written with
 * whichever of x and y is cheaper (σ' = y(1 − y), tanh' = 1 − y²). Shape: x → y, same shape.
 */
function unary(op: string, x: Var, f: (v: number) => number, dydx: (x: number, y: number) => number): Var {
  const xv = x.value.data;
  const y = allocate(x.dtype, xv.length);
  for (let i = 0; i < y.length; i++) y[i] = f(xv[i]);
  return makeNode(new Tensor(x.shape, y), op, [x], (dy) => {
    const g = dy.data;
    const dx = allocate(x.dtype, g.length);
    for (let i = 0; i < g.length; i++) dx[i] = g[i] * dydx(xv[i], y[i]);
    return [new Tensor(x.shape, dx)];
  });
}

/** σ(x) = 1 / (1 + e^−x); σ'(x) = σ(x)(1 − σ(x)). */
export function sigmoid(x: Var): Var {
  return unary(
    'sigmoid',
    x,
    (v) => 1 / (1 + Math.exp(-v)),
    (_x, y) => y * (1 - y),
  );
}

/** tanh(x); tanh'(x) = 1 − tanh²(x). */
export function tanh(x: Var): Var {
  return unary('tanh', x, Math.tanh, (_x, y) => 1 - y * y);
}

/** max(0, x); the derivative is 1 for x > 0 and 0 otherwise (0 at x = 0, as the engine's ReLU). */
export function relu(x: Var): Var {
  return unary(
    'relu',
    x,
    (v) => (v > 0 ? v : 0),
    (v) => (v > 0 ? 1 : 0),
  );
}

/** e^x; its own derivative. */
export function exp(x: Var): Var {
  return unary('exp', x, Math.exp, (_x, y) => y);
}

/** ln x; derivative 1/x. */
export function log(x: Var): Var {
  return unary('log', x, Math.log, (v) => 1 / v);
}

/** −x. */
export function negate(x: Var): Var {
  return unary(
    'negate',
    x,
    (v) => -v,
    () => -1,
  );
}
