import type { TensorData } from '../tensor/tensor';
import { fastElementwise } from './kernelBackend';

/**
 * In-place momentum step over all parameters of one tensor:
 *   v ← μ·v + gScale·g;   w ← w − wScale·v
 * (PyTorch's form: gScale 1, wScale lr; the book's: gScale lr, wScale 1.) float32 tensors that
 * live in the kernel arena (parameters made by makeParam, slots made by the optimizer) run on the
 * WebAssembly kernel; anything else runs this loop.
 */
export function momentumUpdate(
  w: TensorData,
  g: TensorData,
  v: TensorData,
  mu: number,
  gScale: number,
  wScale: number,
): void {
  if (w instanceof Float32Array && g instanceof Float32Array && v instanceof Float32Array) {
    const fast = fastElementwise();
    if (fast && fast.momentum(w, g, v, mu, gScale, wScale)) return;
  }
  // v[i] is read back after the store, so float32 rounds the velocity before it moves w, as the
  // wasm kernel and the optimizer's original loop do.
  for (let i = 0; i < w.length; i++) {
    v[i] = mu * v[i] + gScale * g[i];
    w[i] -= wScale * v[i];
  }
}
