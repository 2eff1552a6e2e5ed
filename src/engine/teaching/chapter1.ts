import { RandomState } from '../random/randomState';
import { Matrix, map, matmul, randnMatrix, round, sigmoid, sumAll, transpose, zip } from './matrix';

/*
 * Chapter 1, "Foundations": functions, the chain rule and the derivative of a matrix function,
 * written as the book writes them (book-parity.md §6.1). Each function is short on purpose: step
 * through them in a debugger next to the chapter.
 */

/** f(x) = x². */
export const square = (x: number): number => x * x;

/** Leaky ReLU with the book's slope 0.2. */
export const leakyRelu = (x: number): number => Math.max(0.2 * x, x);

/** Central difference (f(x+Δ) − f(x−Δ)) / 2Δ, the book's `deriv`. */
export function deriv(f: (x: number) => number, x: number, delta = 0.001): number {
  return (f(x + delta) - f(x - delta)) / (2 * delta);
}

/** Chain rule for f2(f1(x)): (f2∘f1)'(x) = f2'(f1(x)) · f1'(x), each derivative numeric. */
export function chainDeriv2(f1: (x: number) => number, f2: (x: number) => number, x: number): number {
  return deriv(f1, x) * deriv(f2, f1(x));
}

/** Chain rule for three functions: f3'(f2(f1(x))) · f2'(f1(x)) · f1'(x). */
export function chainDeriv3(
  f1: (x: number) => number,
  f2: (x: number) => number,
  f3: (x: number) => number,
  x: number,
): number {
  const a = f1(x);
  return deriv(f1, x) * deriv(f2, a) * deriv(f3, f2(a));
}

/** N = X·W. Shapes: [1, k] · [k, 1] → [1, 1] in the chapter's example. */
export function matmulForward(x: Matrix, w: Matrix): Matrix {
  return matmul(x, w);
}

/** dN/dX for N = X·W with one row of X: Wᵀ. */
export function matmulBackwardFirst(_x: Matrix, w: Matrix): Matrix {
  return transpose(w);
}

/** S = σ(X·W). */
export function matrixForwardExtra(x: Matrix, w: Matrix, f: (v: number) => number = sigmoid): Matrix {
  return map(matmul(x, w), f);
}

/** dS/dX for S = σ(X·W): σ'(X·W) · Wᵀ, where σ'(n) = σ(n)(1 − σ(n)). */
export function matrixFunctionBackward1(x: Matrix, w: Matrix): Matrix {
  const dSdN = map(matmul(x, w), (n) => sigmoid(n) * (1 - sigmoid(n)));
  return matmul(dSdN, transpose(w));
}

/** L = Σ σ(X·W), the scalar the chapter differentiates with respect to a whole matrix X. */
export function matrixFunctionForwardSum(x: Matrix, w: Matrix): number {
  return sumAll(matrixForwardExtra(x, w));
}

/** dL/dX = (dL/dS ⊙ σ'(X·W)) · Wᵀ with dL/dS all ones. */
export function matrixFunctionBackwardSum1(x: Matrix, w: Matrix): Matrix {
  const n = matmul(x, w);
  const dSdN = map(n, (v) => sigmoid(v) * (1 - sigmoid(v)));
  const dLdN = zip(
    map(n, () => 1),
    dSdN,
    (a, b) => a * b,
  );
  return matmul(dLdN, transpose(w));
}

/** Copy of X with X[i][j] += inc (the notebook's `forward_test` helper). */
function bumped(x: Matrix, i: number, j: number, inc: number): Matrix {
  return x.map((row, r) => row.map((v, c) => (r === i && c === j ? v + inc : v)));
}

/** E1.1: X = randn(1,3), W = randn(3,1) after seed(190203); dN/dX = Wᵀ. */
export function experimentE1_1(): { x: Matrix; w: Matrix; dNdX: Matrix } {
  const rng = new RandomState(190203);
  const g = () => rng.gauss();
  const x = randnMatrix(1, 3, g);
  const w = randnMatrix(3, 1, g);
  return { x, w, dNdX: matmulBackwardFirst(x, w) };
}

/** E1.2: dS/dX for S = σ(XW), checked by a forward difference on X[0][2] with step 0.01. */
export function experimentE1_2(): { dSdX: Matrix; numeric: number; analytic: number } {
  const { x, w } = experimentE1_1();
  const dSdX = matrixFunctionBackward1(x, w);
  const numeric = (matrixForwardExtra(bumped(x, 0, 2, 0.01), w)[0][0] - matrixForwardExtra(x, w)[0][0]) / 0.01;
  return { dSdX, numeric: round(numeric, 2), analytic: round(dSdX[0][2], 2) };
}

/** E1.3: L = Σσ(XW) for X = randn(3,3), W = randn(3,2) after seed(190204); dL/dX checked on X[0][0]. */
export function experimentE1_3(): { x: Matrix; loss: number; dLdX: Matrix; numeric: number } {
  const rng = new RandomState(190204);
  const g = () => rng.gauss();
  const x = randnMatrix(3, 3, g);
  const w = randnMatrix(3, 2, g);
  const loss = matrixFunctionForwardSum(x, w);
  const dLdX = matrixFunctionBackwardSum1(x, w);
  const numeric = (matrixFunctionForwardSum(bumped(x, 0, 0, 0.001), w) - loss) / 0.001;
  return { x, loss, dLdX, numeric };
}
