import type { TensorData } from '../tensor/tensor';
import { fastElementwise } from './kernelBackend';

/** Adam's constants for one step: β1, β2, the bias corrections c1 = 1 − β1ᵗ and c2 = 1 − β2ᵗ, lr, ε. */
export interface AdamStep {
  readonly b1: number;
  readonly b2: number;
  readonly c1: number;
  readonly c2: number;
  readonly lr: number;
  readonly eps: number;
}

/**
 * One Adam step over one parameter tensor, in place (m, v: its moments, same length). float32
 * tensors that live in the kernel arena run on the WebAssembly kernel (elementwise.wat `adam`),
 * which keeps this loop's float64 arithmetic and float32 roundings: the same bits either way.
 */
export function adamUpdate(w: TensorData, g: TensorData, m: TensorData, v: TensorData, s: AdamStep): void {
  if (
    w instanceof Float32Array &&
    g instanceof Float32Array &&
    m instanceof Float32Array &&
    v instanceof Float32Array &&
    fastElementwise()?.adam(w, g, m, v, s)
  )
    return;
  const { b1, b2, c1, c2, lr, eps } = s;
  for (let i = 0; i < w.length; i++) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
  }
}
