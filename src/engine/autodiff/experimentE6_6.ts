import { Tensor } from '../tensor/tensor';
import { add, multiply } from './elementwise';
import { NumberWithGrad } from './numberWithGrad';
import { Var, variable } from './var';

export interface E6_6Result {
  /** First cell: a = 3, b = a·4, c = b + 3, c.backward(). */
  readonly first: { readonly aGrad: number; readonly bGrad: number };
  /** Second cell, with a new a: d = a + 2, e = c·d, e.backward(). */
  readonly second: { readonly aGrad: number; readonly eNum: number };
  /** What the notebook prints, in order: `print(a.grad)`, `print(b.grad)`, then `a.grad`. */
  readonly printed: string[];
}

/**
 * E6.6 (Autograd_Simple.ipynb), run on the book's NumberWithGrad: prints 4, 1, then 35.
 * dc/da = 4 and dc/db = 1; e = (4a + 3)(a + 2) gives de/da = 4(a + 2) + (4a + 3) = 20 + 15 = 35.
 */
export function experimentE6_6(): E6_6Result {
  let a = new NumberWithGrad(3);
  let b = a.mul(4);
  let c = b.add(3);
  c.backward();
  const first = { aGrad: gradOf(a), bGrad: gradOf(b) };
  // The notebook makes a new a before the second example (a's gradient would accumulate).
  a = new NumberWithGrad(3);
  b = a.mul(4);
  c = b.add(3);
  const d = a.add(2);
  const e = c.mul(d);
  e.backward();
  const second = { aGrad: gradOf(a), eNum: e.num };
  return { first, second, printed: [first.aGrad, first.bGrad, second.aGrad].map(String) };
}

function gradOf(n: NumberWithGrad): number {
  if (n.grad === null) throw new Error('E6.6: backward did not reach this number');
  return n.grad;
}

/**
 * E6.6's second expression on the tensor autodiff, with 0-d float64 values and the book's names:
 * e = (a·4 + 3)·(a + 2) at a = 3. Returns the nodes; call `e.backward()` to fill the gradients.
 */
export function e6_6Graph(): { a: Var; b: Var; c: Var; d: Var; e: Var } {
  const a = variable(Tensor.fill([], 3, 'float64'), 'a');
  const b = multiply(a, 4);
  b.label = 'b';
  const c = add(b, 3);
  c.label = 'c';
  const d = add(a, 2);
  d.label = 'd';
  const e = multiply(c, d);
  e.label = 'e';
  return { a, b, c, d, e };
}
