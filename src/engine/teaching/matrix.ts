/**
 * Tiny matrix helpers on plain `number[][]` for the chapter 1–2 teaching code. They trade speed
 * for readability: every function is a few lines a learner can read next to the book's NumPy.
 * (The engine proper works on typed-array Tensors.)
 */
export type Matrix = number[][];

export function shape(a: Matrix): [number, number] {
  return [a.length, a[0]?.length ?? 0];
}

/** `np.random.randn(rows, cols)` from a NumPy-compatible stream. */
export function randnMatrix(rows: number, cols: number, gauss: () => number): Matrix {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, gauss));
}

/** A·B. Shapes: [m, k] · [k, n] → [m, n]. */
export function matmul(a: Matrix, b: Matrix): Matrix {
  const [m, k] = shape(a);
  const [k2, n] = shape(b);
  if (k !== k2) throw new Error(`matmul: cannot multiply [${m}, ${k}] by [${k2}, ${n}]`);
  return a.map((row) => Array.from({ length: n }, (_, j) => row.reduce((s, v, p) => s + v * b[p][j], 0)));
}

export function transpose(a: Matrix): Matrix {
  const [m, n] = shape(a);
  return Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => a[i][j]));
}

/** Elementwise f(a). */
export function map(a: Matrix, f: (v: number) => number): Matrix {
  return a.map((row) => row.map(f));
}

/** Elementwise f(a, b); a row vector b [1, n] is broadcast over a's rows, as NumPy does. */
export function zip(a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  return a.map((row, i) => row.map((v, j) => f(v, (b.length === 1 ? b[0] : b[i])[j])));
}

/** Column sums: `a.sum(axis=0, keepdims)` → [1, n]. */
export function sumRows(a: Matrix): Matrix {
  const [, n] = shape(a);
  return [Array.from({ length: n }, (_, j) => a.reduce((s, row) => s + row[j], 0))];
}

export function sumAll(a: Matrix): number {
  return a.reduce((s, row) => s + row.reduce((t, v) => t + v, 0), 0);
}

export function mean(a: Matrix): number {
  const [m, n] = shape(a);
  return sumAll(a) / (m * n);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Rounds to `places` decimals as NumPy's `np.round` does for display. */
export function round(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}
